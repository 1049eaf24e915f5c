/* per_client_limit.h - per-client request limits: a token bucket for each
 * client, kept in a table that every request handler shares, and a cleaner
 * thread that drops the buckets of clients gone quiet.
 *
 * A client's bucket holds at most `burst` tokens and earns `rate` tokens
 * per second of the server's clock; each request takes one.  A client
 * without a bucket gets a full one.  A bucket whose client has made no
 * request for `idle_ms` or more is stale: limits_sweep() removes it (the
 * client would find a full bucket again by then anyway).
 */
#ifndef PER_CLIENT_LIMIT_H
#define PER_CLIENT_LIMIT_H

#include <stdint.h>

struct limits;

/* An empty table; now_ms is the server's clock in milliseconds (any thread
 * may call it).  NULL if rate, burst or idle_ms is below 1, if idle_ms is
 * too short to refill a bucket (idle_ms x rate < 1000 x burst), or if
 * memory ran out. */
struct limits *limits_new(long rate, long burst, int64_t idle_ms, int64_t (*now_ms)(void));

/* From any handler thread: takes one of client's tokens and returns 1 (the
 * request may go on), or returns 0 (refused: 429 Too Many Requests). */
int limits_allow(struct limits *t, int client);

/* From the cleaner thread, while handlers run: removes every stale bucket
 * and returns how many it removed. */
int limits_sweep(struct limits *t);

/* The number of clients with a bucket in the table. */
int limits_size(struct limits *t);

/* Frees the table; no other thread may be using it. */
void limits_free(struct limits *t);

#endif
