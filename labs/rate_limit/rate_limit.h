/* rate_limit.h - the API's request limiter: one token bucket that every
 * request handler shares.
 *
 * The bucket holds at most `burst` tokens and earns `rate` tokens per second
 * of the server's clock.  Each request takes one token.  A request that
 * finds no whole token is refused (429 Too Many Requests) and told how long
 * to wait before retrying (the Retry-After header).
 */
#ifndef RATE_LIMIT_H
#define RATE_LIMIT_H

#include <stdint.h>

struct limiter;

/* A full bucket; now_ms is the server's clock in milliseconds (any thread
 * may call it).  NULL if rate or burst is below 1 or memory ran out. */
struct limiter *limiter_new(long rate, long burst, int64_t (*now_ms)(void));

/* Takes a token for one request, from any handler thread.  Returns 0 when
 * the request is admitted.  Otherwise the request is refused and the result
 * is its Retry-After in milliseconds: the shortest wait (at least 1) after
 * which a request would be admitted if no one else took a token meanwhile. */
long limiter_take(struct limiter *l);

void limiter_free(struct limiter *l);

#endif
