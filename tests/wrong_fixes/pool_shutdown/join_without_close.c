/* join_without_close.c - WRONG fix for the pool_shutdown lab: shutdown
 * joins the workers without telling them to stop.
 *
 * A worker leaves its loop only when something tells it to; joining a
 * thread that waits for the next job forever waits forever, too.  The
 * queue needs a "closed" state the workers check, set and broadcast under
 * the queue's lock.
 *
 * Expect: timeout
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
    pthread_mutex_t lock;       /* guards head and tail */
    pthread_cond_t ready;       /* signalled when a job is queued */
    struct job *head, *tail;    /* the queue, oldest first */
    int nworkers;               /* workers started */
    pthread_t workers[POOL_WORKERS];
};

/* Runs queued jobs, oldest first.
 * The loop starts with p->lock held. */
static void *worker(void *arg)
{
    struct pool *p = arg;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head)
            pthread_cond_wait(&p->ready, &p->lock);
        struct job *j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        j->run(j->arg);
        free(j);
        pthread_mutex_lock(&p->lock);
    }
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
