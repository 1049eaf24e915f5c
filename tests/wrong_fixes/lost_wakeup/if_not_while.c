/* if_not_while.c - WRONG fix for the lost_wakeup lab: a "sent" flag checked
 * under the lock, but with `if`; and reply_send() also broadcasts as it
 * begins ("the answer is on its way", for a progress display).
 *
 * A return from pthread_cond_wait() means "something happened, look
 * again", not "your condition holds": a broadcast about something else, or
 * a spurious wakeup (POSIX allows them), wakes the requester before the
 * answer is there, and `if` does not look again.
 *
 * Expect: invariant
 */
#include "lost_wakeup.h"

#include <pthread.h>
#include <stdlib.h>

struct reply {
    pthread_mutex_t lock;  /* guards value and sent */
    pthread_cond_t filled; /* signalled when the worker stored the answer */
    long value;            /* the answer: written by the worker, read by the requester */
    int sent;              /* 1 once value holds the answer */
};

struct reply *reply_new(void)
{
    struct reply *r = malloc(sizeof *r);

    if (!r)
        return NULL;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->filled, NULL);
    r->value = 0;
    r->sent = 0;
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
    pthread_cond_broadcast(&r->filled); /* started */
    pthread_mutex_unlock(&r->lock);
    pthread_mutex_lock(&r->lock);
    r->value = value;
    r->sent = 1;
    pthread_cond_signal(&r->filled);
    pthread_mutex_unlock(&r->lock);
}

long reply_wait(struct reply *r)
{
    pthread_mutex_lock(&r->lock);
    if (!r->sent)
        pthread_cond_wait(&r->filled, &r->lock);
    long value = r->value;
    pthread_mutex_unlock(&r->lock);
    return value;
}
