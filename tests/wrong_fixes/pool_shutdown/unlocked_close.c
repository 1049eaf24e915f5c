/* unlocked_close.c - WRONG fix for the pool_shutdown lab: the close flag
 * is set without the lock.
 *
 * "It is only one int" - but the workers and pool_submit() read closed
 * under the lock, and a write outside it is ordered with none of those
 * reads.  A submit can also check closed, see 0, and queue its job after
 * the workers decided the queue was finished.
 *
 * Expect: data-race
 */
#include "pool_shutdown.h"

#include <errno.h>
#include <stdlib.h>

/* One queued job. */
struct job {
    void (*run)(void *);
    void *arg;
    struct job *next;
};

struct pool {
    pthread_mutex_t lock;       /* guards head, tail and closed */
    pthread_cond_t ready;       /* signalled when a job is queued or the
                                 * queue closes */
    struct job *head, *tail;    /* the queue, oldest first */
    int closed;                 /* set once by pool_shutdown(): no more jobs */
    pthread_t workers[POOL_WORKERS];
    int nworkers;               /* workers started */
};

/* Runs queued jobs, oldest first, until the queue is closed AND empty.
 * The loop starts with p->lock held. */
static void *worker(void *arg)
{
    struct pool *p = arg;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->closed)
            pthread_cond_wait(&p->ready, &p->lock);
        if (!p->head)
            break;
        struct job *j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        j->run(j->arg);
        free(j);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct pool *pool_start(void)
{
    struct pool *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
    for (; p->nworkers < POOL_WORKERS; p->nworkers++) {
        if (pthread_create(&p->workers[p->nworkers], NULL, worker, p) != 0) {
            /* The error path stops the workers already started, too. */
            pool_shutdown(p);
            pool_free(p);
            return NULL;
        }
    }
    return p;
}

int pool_submit(struct pool *p, void (*run)(void *), void *arg)
{
    struct job *j = malloc(sizeof *j);

    if (!j)
        return ENOMEM;
    *j = (struct job){run, arg, NULL};
    pthread_mutex_lock(&p->lock);
    if (p->closed) {
        pthread_mutex_unlock(&p->lock);
        free(j);
        return ECANCELED;
    }
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

void pool_shutdown(struct pool *p)
{
    p->closed = 1;
    pthread_cond_broadcast(&p->ready);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->workers[i], NULL);
    p->nworkers = 0;
}

void pool_free(struct pool *p)
{
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->ready);
    free(p);
}
