/* blocked_sender.h - price lookups with a deadline.
 *
 * A request handler that needs a price asks the pricing backend, which is
 * usually fast and sometimes very slow.  The handler may not wait past its
 * deadline, so the lookup runs on a fetcher thread of its own:
 *
 *     struct lookup *l = lookup_start(item);
 *     ...                        (the deadline timer may call lookup_give_up(l))
 *     err = lookup_wait(l, &price);   0, or ETIMEDOUT after lookup_give_up()
 *
 * The backend may still answer after the handler gave up; that answer is
 * of no use to anyone.
 */
#ifndef BLOCKED_SENDER_H
#define BLOCKED_SENDER_H

struct lookup;

/* Asks the pricing backend for the price of item (the lab's driver
 * provides it; it may take any time).  Called on the fetcher thread. */
int backend_price(int item);

/* Starts looking up item's price in the background.  Returns NULL when
 * memory or threads ran out. */
struct lookup *lookup_start(int item);

/* Waits for the price: returns 0 with *price set, or ETIMEDOUT as soon as
 * lookup_give_up(l) has been called and no price is there.  Ends the
 * handler's use of l: l is not used after this returns. */
int lookup_wait(struct lookup *l, int *price);

/* The handler's deadline passed: makes lookup_wait(l) return ETIMEDOUT
 * now, without waiting for the backend.  Called at most once, by any
 * thread, before lookup_wait(l) has returned. */
void lookup_give_up(struct lookup *l);

#endif
