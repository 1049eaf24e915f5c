/* errgroup.c - run one request's sub-requests at once, wait for them all,
 * and report the first error.
 *
 * Each sub-request gets a thread; group_wait() joins them in the order
 * they were started.
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
    int n;                /* sub-requests started: the handler's thread only */
    pthread_mutex_t lock; /* guards err and cancelled */
    int err;        /* the first error, 0 if none: set by the sub-requests' threads */
    int cancelled;  /* set on the first error and by group_wait, read by the sub-requests */
};

struct group *group_new(void)
{
    struct group *g = calloc(1, sizeof *g);

    if (g && pthread_mutex_init(&g->lock, NULL) != 0) {
        free(g);
        return NULL;
    }
    return g;
}

/* Runs one sub-request; if it failed, keeps its error if it is the first
 * and cancels the group. */
static void *worker(void *arg)
{
    struct task *t = arg;
    int err = t->fn(t->g, t->arg);

    if (err) {
        /* Check, set and cancel in one locked step: two failing
         * sub-requests cannot both be first, and every sibling that asks
         * group_cancelled() after this unlock sees the cancel. */
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
    pthread_mutex_lock(&g->lock);
    g->cancelled = 1;
    int err = g->err;
    pthread_mutex_unlock(&g->lock);
    return err;
}

int group_cancelled(struct group *g)
{
    pthread_mutex_lock(&g->lock);
    int c = g->cancelled;
    pthread_mutex_unlock(&g->lock);
    return c;
}

void group_free(struct group *g)
{
    pthread_mutex_destroy(&g->lock);
    free(g);
}
