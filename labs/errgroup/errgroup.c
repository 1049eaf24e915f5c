/* errgroup.c - run one request's sub-requests at once, wait for them all,
 * and report the first error.
 *
 * Each sub-request gets a thread; group_wait() joins them in the order
 * they were started.
 *
 * Expect: data-race invariant
 */
#include "errgroup.h"

#include <errno.h>
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
    int err;        /* the first error, 0 if none: set by the sub-requests' threads */
    int cancelled;  /* set by group_wait, read by the sub-requests */
};

struct group *group_new(void)
{
    return calloc(1, sizeof(struct group));
}

/* Runs one sub-request and keeps its error if it is the first. */
static void *worker(void *arg)
{
    struct task *t = arg;
    int err = t->fn(t->g, t->arg);

    if (err && !t->g->err)
        t->g->err = err;
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
