/* errgroup.c - run one request's sub-requests at once, wait for them all,
 * and report the first error.
 *
 * Each sub-request gets a thread; group_wait() joins them in the order
 * they were started.
 */
#include "errgroup.h"

#include <errno.h>
#include <stdatomic.h>
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
    /* The first error, 0 if none: set once, by compare-and-swap, by the
     * sub-requests' threads. */
    atomic_int err;
    /* Set on the first error and by group_wait, read by the sub-requests. */
    atomic_int cancelled;
};

struct group *group_new(void)
{
    return calloc(1, sizeof(struct group));
}

/* Runs one sub-request; if it failed, keeps its error if it is the first
 * and cancels the group. */
static void *worker(void *arg)
{
    struct task *t = arg;
    int err = t->fn(t->g, t->arg);

    if (err) {
        /* The swap succeeds only while err is still 0: of two failing
         * sub-requests exactly one is first.  The error is in place before
         * the cancel, so a sibling that gives up on seeing the cancel
         * cannot be taken for the first failure. */
        int none = 0;
        atomic_compare_exchange_strong(&t->g->err, &none, err);
        atomic_store(&t->g->cancelled, 1);
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
    atomic_store(&g->cancelled, 1);
    return atomic_load(&g->err);
}

int group_cancelled(struct group *g)
{
    return atomic_load(&g->cancelled);
}

void group_free(struct group *g)
{
    free(g);
}
