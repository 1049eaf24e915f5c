/* unbounded_spawn.h - webhook delivery for the web service.
 *
 * When something happens (an order is paid, a ticket is closed) a request
 * handler calls dispatch() with a delivery job: a function that posts the
 * event to the customer's webhook URL.  Deliveries run in the background,
 * several at a time, and may be slow.
 *
 * The operations team's limits: at most DISPATCH_WORKERS deliveries run at
 * once, and at most DISPATCH_BACKLOG more wait for their turn.  When that
 * many wait, dispatch() refuses the job at once with EBUSY (the handler
 * answers "503, retry later"); it never blocks the handler.
 */
#ifndef UNBOUNDED_SPAWN_H
#define UNBOUNDED_SPAWN_H

#define DISPATCH_WORKERS 4
#define DISPATCH_BACKLOG 8

/* Gets the dispatcher ready; call once before dispatch().  Returns 0 or an
 * error number. */
int dispatcher_start(void);

/* Has deliver(event) run once, in the background.  Returns 0 when the job
 * was accepted (it will run exactly once), EBUSY when DISPATCH_BACKLOG jobs
 * already wait (it will not run: try again later), or another error number
 * (it will not run).  Safe to call from any number of threads. */
int dispatch(void (*deliver)(void *), void *event);

/* Waits until every accepted job has run, then stops the dispatcher: when
 * it returns, no thread of the dispatcher is left.  No dispatch() may be
 * running or come after it. */
void dispatcher_stop(void);

#endif
