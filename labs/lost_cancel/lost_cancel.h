/* lost_cancel.h - the fan-out behind GET /search: one worker per shard.
 *
 * The request handler builds a search with search_new(), runs it with
 * search_run() and answers with the hit count.  Meanwhile the connection's
 * watcher thread may call search_cancel() (the client went away), and the
 * request carries a deadline on the server's clock.
 */
#ifndef LOST_CANCEL_H
#define LOST_CANCEL_H

#include <stdint.h>

#define NSHARDS 4       /* shards of the index, one worker each */
#define SHARD_ITEMS 40  /* items in each shard */

/* What search_run() says instead of a hit count. */
#define SEARCH_CANCELLED (-1) /* search_cancel() was called before it finished */
#define SEARCH_TIMED_OUT (-2) /* the deadline passed before it finished */
#define SEARCH_FAILED (-3)    /* a worker could not be started */

struct search_req {
    /* Examines item `item` (0..SHARD_ITEMS-1) of shard `shard`
     * (0..NSHARDS-1): 1 if it matches the query.  Any thread may call it. */
    int (*match)(int shard, int item);
    /* The server's clock, in milliseconds.  Any thread may call it. */
    int64_t (*now)(void);
    /* The request's deadline on that clock. */
    int64_t deadline;
};

struct search;

/* A search for req (which must outlive it); NULL when memory ran out. */
struct search *search_new(const struct search_req *req);

/* Searches every shard at once and returns the number of matching items,
 * or one of the SEARCH_* codes.  After search_cancel(), or once now()
 * reaches the deadline, each worker starts at most one more item, and
 * search_run() returns as soon as the workers have ended. */
long search_run(struct search *s);

/* Cancels the search: the client went away.  Any thread, any time after
 * search_new() and before search_free(). */
void search_cancel(struct search *s);

void search_free(struct search *s);

#endif
