/* pool_shutdown.c - the background job pool of the web service.
 *
 * A fixed set of workers takes jobs, first come first served, from a
 * queue that pool_submit() appends to.
 *
 * Expect: live-threads-at-exit invariant
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
    pthread_t workers[POOL_WORKERS];
};

/* Runs queued jobs, oldest first.  The loop starts with p->lock held. */
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
    for (int i = 0; i < POOL_WORKERS; i++)
        if (pthread_create(&p->workers[i], NULL, worker, p) != 0)
            return NULL;
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

/* Stops the pool: empties the queue. */
void pool_shutdown(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->head) {
        struct job *j = p->head;
        p->head = j->next;
        free(j);
    }
    p->tail = NULL;
    pthread_mutex_unlock(&p->lock);
}

void pool_free(struct pool *p)
{
    free(p);
}
