/* check_once.c - WRONG fix for the lost_cancel lab: an atomic cancel flag
 * and the deadline, checked once, when a worker starts.
 *
 * No data race any more, but a worker that has started never looks again:
 * a cancel or a deadline that comes while it runs changes nothing, and
 * every worker still runs to the end of its shard.
 *
 * Expect: invariant
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
    atomic_int cancelled; /* set by search_cancel (the connection's watcher), read by the workers */
    struct shard_job job[NSHARDS];
};

struct search *search_new(const struct search_req *req)
{
    struct search *s = calloc(1, sizeof *s);

    if (s)
        s->req = req;
    return s;
}

/* Examines every item of one shard, unless the search is already over. */
static void *worker(void *arg)
{
    struct shard_job *j = arg;
    const struct search_req *req = j->s->req;

    if (atomic_load(&j->s->cancelled) || req->now() >= req->deadline)
        return NULL;
    for (int i = 0; i < SHARD_ITEMS; i++)
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
        if (pthread_create(&tid[n], NULL, worker, &s->job[n]) != 0)
            break;
        started++;
    }
    for (int n = 0; n < started; n++) {
        pthread_join(tid[n], NULL);
        hits += s->job[n].hits;
    }
    if (started < NSHARDS)
        return SEARCH_FAILED;
    if (atomic_load(&s->cancelled))
        return SEARCH_CANCELLED;
    if (s->req->now() >= s->req->deadline)
        return SEARCH_TIMED_OUT;
    return hits;
}

void search_cancel(struct search *s)
{
    atomic_store(&s->cancelled, 1);
}

void search_free(struct search *s)
{
    free(s);
}
