/* lost_cancel.c - the fan-out behind GET /search: one worker per shard.
 *
 * search_run() starts a worker for each shard, waits for them all and adds
 * up their hits.  A search whose client went away (search_cancel) or whose
 * deadline passed has nobody to answer: search_run() reports that instead
 * of the count.
 */
#include "lost_cancel.h"

#include <pthread.h>
#include <stdlib.h>

/* One shard's share of the search. */
struct shard_job {
    struct search *s;
    int shard;
    long hits; /* written by the shard's worker, read by search_run after the join */
};

struct search {
    const struct search_req *req;
    pthread_mutex_t lock; /* guards cancelled */
    /* The cancellation token: set once by search_cancel (the connection's
     * watcher), read by every worker before each item and by search_run;
     * under lock. */
    int cancelled;
    struct shard_job job[NSHARDS];
};

struct search *search_new(const struct search_req *req)
{
    struct search *s = calloc(1, sizeof *s);

    if (s && pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return NULL;
    }
    if (s)
        s->req = req;
    return s;
}

/* Has search_cancel() been called? */
static int search_cancelled(struct search *s)
{
    pthread_mutex_lock(&s->lock);
    int c = s->cancelled;
    pthread_mutex_unlock(&s->lock);
    return c;
}

/* Is the search over: cancelled, or past its deadline? */
static int search_stopped(struct search *s)
{
    return search_cancelled(s) || s->req->now() >= s->req->deadline;
}

/* Examines the items of one shard until the search is over. */
static void *worker(void *arg)
{
    struct shard_job *j = arg;
    const struct search_req *req = j->s->req;

    /* Asking the token before every item bounds the work done after a
     * cancel or the deadline to the one item each worker may have begun;
     * the lock orders search_cancel's write before every later read. */
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
    if (search_cancelled(s))
        return SEARCH_CANCELLED;
    if (s->req->now() >= s->req->deadline)
        return SEARCH_TIMED_OUT;
    return hits;
}

void search_cancel(struct search *s)
{
    pthread_mutex_lock(&s->lock);
    s->cancelled = 1;
    pthread_mutex_unlock(&s->lock);
}

void search_free(struct search *s)
{
    pthread_mutex_destroy(&s->lock);
    free(s);
}
