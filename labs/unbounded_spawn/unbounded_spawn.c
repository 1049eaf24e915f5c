/* unbounded_spawn.c - webhook delivery for the web service.
 *
 * Each accepted job gets a sender thread of its own, so a slow webhook
 * never holds up the others.  dispatcher_stop() waits until no sender is
 * left running.
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

/* Guards in_flight; no_senders is signalled when it drops to 0. */
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
