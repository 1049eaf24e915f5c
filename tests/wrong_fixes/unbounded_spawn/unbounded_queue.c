/* unbounded_queue.c - WRONG fix for the unbounded_spawn lab: a pool of
 * DISPATCH_WORKERS threads behind a queue that never says no.
 *
 * The thread count is bounded now, but the queue is not: 10,000 events in
 * a burst become 10,000 queued jobs in memory, and the handlers never
 * learn that deliveries are falling behind.  Backpressure means refusing
 * (or making the caller wait) when the backlog is full.
 *
 * Expect: invariant
 */
#include "unbounded_spawn.h"

#include <errno.h>
#include <stdlib.h>

/* One delivery waiting for a worker. */
struct delivery {
    void (*deliver)(void *);
    void *event;
    struct delivery *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t has_work = PTHREAD_COND_INITIALIZER;
/* The queue, a linked list from first to last; under lock. */
static struct delivery *first, *last;
static int stopping;
static pthread_t workers[DISPATCH_WORKERS];
static int nworkers;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!first && !stopping)
            pthread_cond_wait(&has_work, &lock);
        if (!first)
            break;
        struct delivery *d = first;
        first = d->next;
        if (!first)
            last = NULL;
        pthread_mutex_unlock(&lock);
        d->deliver(d->event);
        free(d);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int dispatcher_start(void)
{
    for (nworkers = 0; nworkers < DISPATCH_WORKERS; nworkers++) {
        int err = pthread_create(&workers[nworkers], NULL, worker, NULL);
        if (err) {
            dispatcher_stop();
            return err;
        }
    }
    return 0;
}

int dispatch(void (*deliver)(void *), void *event)
{
    struct delivery *d = malloc(sizeof *d);

    if (!d)
        return ENOMEM;
    *d = (struct delivery){deliver, event, NULL};
    pthread_mutex_lock(&lock);
    if (last)
        last->next = d;
    else
        first = d;
    last = d;
    pthread_cond_signal(&has_work);
    pthread_mutex_unlock(&lock);
    return 0;
}

void dispatcher_stop(void)
{
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_broadcast(&has_work);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    nworkers = 0;
}
