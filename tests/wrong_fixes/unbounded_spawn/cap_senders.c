/* cap_senders.c - WRONG fix for the unbounded_spawn lab: still one thread
 * per job, but at most DISPATCH_WORKERS + DISPATCH_BACKLOG of them.
 *
 * It refuses with EBUSY at the right moment, yet every waiting job is a
 * whole thread (a stack, a kernel task) that only waits.  Waiting work
 * belongs in a queue; threads are for the work that runs.
 *
 * Expect: too-many-threads
 */
#include "unbounded_spawn.h"

#include <errno.h>
#include <stdlib.h>

/* One delivery, owned by its sender thread. */
struct delivery {
    void (*deliver)(void *);
    void *event;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t no_senders = PTHREAD_COND_INITIALIZER;
/* Sender threads started and not yet done: under lock. */
static int in_flight;

static void *sender(void *arg)
{
    struct delivery *d = arg;

    d->deliver(d->event);
    free(d);
    pthread_mutex_lock(&lock);
    if (--in_flight == 0)
        pthread_cond_broadcast(&no_senders);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int dispatcher_start(void)
{
    return 0;
}

int dispatch(void (*deliver)(void *), void *event)
{
    struct delivery *d = malloc(sizeof *d);
    pthread_t tid;
    int err;

    if (!d)
        return ENOMEM;
    d->deliver = deliver;
    d->event = event;
    pthread_mutex_lock(&lock);
    if (in_flight == DISPATCH_WORKERS + DISPATCH_BACKLOG) {
        pthread_mutex_unlock(&lock);
        free(d);
        return EBUSY;
    }
    in_flight++;
    pthread_mutex_unlock(&lock);
    err = pthread_create(&tid, NULL, sender, d);
    if (err) {
        pthread_mutex_lock(&lock);
        in_flight--;
        pthread_mutex_unlock(&lock);
        free(d);
        return err;
    }
    pthread_detach(tid);
    return 0;
}

void dispatcher_stop(void)
{
    pthread_mutex_lock(&lock);
    while (in_flight > 0)
        pthread_cond_wait(&no_senders, &lock);
    pthread_mutex_unlock(&lock);
}
