/* volatile_flag.c - WRONG fix for the lost_cancel lab: a `volatile` cancel
 * flag, checked before every item.
 *
 * volatile makes the compiler re-read the flag each time, so the search
 * stops in time on this machine; but volatile is not synchronisation.  The
 * write and the reads are still unordered (a data race in C11), and
 * nothing would order any data published along with the flag.
 *
 * Expect: data-race
 */
#include "lost_cancel.h"

#include <stdlib.h>

/* One shard's share of the search. */
struct shard_job {
    struct search *s;
    int shard;
    long hits; /* written by the shard's worker, read by search_run after the join */
};

struct search {
    const struct search_req *req;
    volatile int cancelled; /* set by search_cancel (the connection's watcher), read by search_run */
    struct shard_job job[NSHARDS];
};

struct search *search_new(const struct search_req *req)
{
    struct search *s = calloc(1, sizeof *s);

    if (s)
        s->req = req;
    return s;
}

/* Examines the items of one shard until the search is over. */
static void *worker(void *arg)
{
    struct shard_job *j = arg;
    const struct search_req *req = j->s->req;

    for (int i = 0; i < SHARD_ITEMS && !j->s->cancelled && req->now() < req->deadline; i++)
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
    if (s->cancelled)
        return SEARCH_CANCELLED;
    if (s->req->now() >= s->req->deadline)
        return SEARCH_TIMED_OUT;
    return hits;
}

void search_cancel(struct search *s)
{
    s->cancelled = 1;
}

void search_free(struct search *s)
{
    free(s);
}
