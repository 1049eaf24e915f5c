/* check_outside_lock.c - WRONG fix for the lost_wakeup lab: an atomic
 * "sent" flag, checked before taking the lock.
 *
 * The flag is right, the place of the check is not: the worker can set it
 * and signal after the requester found it clear but before the requester
 * waits.  The check and the wait must be one step under the mutex that the
 * sender also holds.
 *
 * Expect: timeout
 */
#include "lost_wakeup.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct reply {
    pthread_mutex_t lock;  /* guards value */
    pthread_cond_t filled; /* signalled when the worker stored the answer */
    long value;            /* the answer: written by the worker, read by the requester */
    atomic_int sent;       /* 1 once value holds the answer */
};

struct reply *reply_new(void)
{
    struct reply *r = malloc(sizeof *r);

    if (!r)
        return NULL;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->filled, NULL);
    r->value = 0;
    atomic_init(&r->sent, 0);
    return r;
}

void reply_free(struct reply *r)
{
    pthread_cond_destroy(&r->filled);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

void reply_send(struct reply *r, long value)
{
    pthread_mutex_lock(&r->lock);
    r->value = value;
    atomic_store(&r->sent, 1);
    pthread_cond_signal(&r->filled);
    pthread_mutex_unlock(&r->lock);
}

long reply_wait(struct reply *r)
{
    if (!atomic_load(&r->sent)) {
        pthread_mutex_lock(&r->lock);
        pthread_cond_wait(&r->filled, &r->lock);
        pthread_mutex_unlock(&r->lock);
    }
    pthread_mutex_lock(&r->lock);
    long value = r->value;
    pthread_mutex_unlock(&r->lock);
    return value;
}
