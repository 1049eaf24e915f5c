/* lost_cancel.c - the fan-out behind GET /search: one worker per shard.
 *
 * search_run() starts a worker for each shard, waits for them all and adds
 * up their hits.  A search whose client went away (search_cancel) or whose
 * deadline passed has nobody to answer: search_run() reports that instead
 * of the count.
 */
#include "lost_cancel.h"

#include <stdatomic.h>
#include <stdlib.h>

/* One shard's share of the search. */
struct shard_job {
    struct search *s;
    int shard;
    long hits; /* written by the shard's worker, read by search_run after the join */
};

struct search {
    const struct search_req *req;
    /* The cancellation token: set once by search_cancel (the connection's
     * watcher), read by every worker before each item and by search_run;
     * atomic. */
    atomic_int cancelled;
    struct shard_job job[NSHARDS];
};

struct search *search_new(const struct search_req *req)
{
    struct search *s = calloc(1, sizeof *s);

    if (s)
        s->req = req;
    return s;
}

/* Is the search over: cancelled, or past its deadline? */
static int search_stopped(struct search *s)
{
    /* Relaxed is enough: the flag publishes no data (the hits reach
     * search_run through the joins), and an atomic load cannot race with
     * search_cancel's store. */
    return atomic_load_explicit(&s->cancelled, memory_order_relaxed) ||
           s->req->now() >= s->req->deadline;
}

/* Examines the items of one shard until the search is over. */
static void *worker(void *arg)
{
    struct shard_job *j = arg;
    const struct search_req *req = j->s->req;

    /* Asking the token before every item bounds the work done after a
     * cancel or the deadline to the one item each worker may have begun. */
    for (int i = 0; i < SHARD_ITEMS && !search_stopped(j->s); i++)
        if (req->match(j->shard, i))
            j->hits++;
    return NULL;
}

long search_run(struct search *s)
{
    pthread_t tid[NSHARDS];
    int started = 0;
    long hits = 0;

    for (int n = 0; n < NSHARDS; n++) {
        s->job[n] = (struct shard_job){s, n, 0};
        if (pthread_create(&tid[n], NULL, worker, &s->job[n]) != 0) {
            search_cancel(s); /* the workers already started stop early */
            break;
        }
        started++;
    }
    for (int n = 0; n < started; n++) {
        pthread_join(tid[n], NULL);
        hits += s->job[n].hits;
    }
    if (started < NSHARDS)
        return SEARCH_FAILED;
    if (atomic_load_explicit(&s->cancelled, memory_order_relaxed))
        return SEARCH_CANCELLED;
    if (s->req->now() >= s->req->deadline)
        return SEARCH_TIMED_OUT;
    return hits;
}

void search_cancel(struct search *s)
{
    atomic_store_explicit(&s->cancelled, 1, memory_order_relaxed);
}

void search_free(struct search *s)
{
    free(s);
}
