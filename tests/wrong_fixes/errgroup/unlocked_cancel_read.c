/* unlocked_cancel_read.c - WRONG fix for the errgroup lab: the first
 * error and the cancel are set under a lock; group_cancelled() reads the
 * flag without it ("it is only a read, and an int is written whole").
 *
 * The siblings stop in time on this machine, but their reads are not
 * ordered with the locked write: a data race, so C promises nothing (the
 * compiler may hoist the read out of a caller's loop).  Both sides of a
 * shared variable must use the lock, or the variable must be atomic.
 *
 * Expect: data-race
 */
#include "errgroup.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct task {
    struct group *g;
    int (*fn)(struct group *g, void *arg);
    void *arg;
};

struct group {
    pthread_t tid[GROUP_MAX];
    struct task task[GROUP_MAX];
    int n;          /* sub-requests started: the handler's thread only */
    pthread_mutex_t lock;
    int err;        /* the first error, 0 if none: set by the sub-requests' threads */
    int cancelled;  /* set by group_wait, read by the sub-requests */
};

struct group *group_new(void)
{
    struct group *g = calloc(1, sizeof *g);
    if (g)
        pthread_mutex_init(&g->lock, NULL);
    return g;
}

/* Runs one sub-request and keeps its error if it is the first. */
static void *worker(void *arg)
{
    struct task *t = arg;
    int err = t->fn(t->g, t->arg);

    if (err) {
        pthread_mutex_lock(&t->g->lock);
        if (!t->g->err)
            t->g->err = err;
        t->g->cancelled = 1;
        pthread_mutex_unlock(&t->g->lock);
    }
    return NULL;
}

int group_go(struct group *g, int (*fn)(struct group *g, void *arg), void *arg)
{
    if (g->n == GROUP_MAX)
        return EINVAL;
    g->task[g->n] = (struct task){g, fn, arg};
    int err = pthread_create(&g->tid[g->n], NULL, worker, &g->task[g->n]);
    if (err == 0)
        g->n++;
    return err;
}

int group_wait(struct group *g)
{
    for (int i = 0; i < g->n; i++)
        pthread_join(g->tid[i], NULL);
    /* The request is over: nothing started for it should go on. */
    g->cancelled = 1;
    return g->err;
}

int group_cancelled(struct group *g)
{
    return g->cancelled;
}

void group_free(struct group *g)
{
    free(g);
}
