/* lost_wakeup.c - reply slots: how a worker hands a request's answer back.
 *
 * The worker stores the answer and signals the slot's condition variable;
 * the requester sleeps on it instead of spinning.  Both touch the answer
 * only under the slot's mutex.
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
    r->value = value;
    r->sent = 1;
    pthread_cond_signal(&r->filled);
    pthread_mutex_unlock(&r->lock);
}

long reply_wait(struct reply *r)
{
    pthread_mutex_lock(&r->lock);
    /* The signal wakes only a thread that is already waiting; sent remembers
     * it for one that is not.  Checked under the lock, so the worker cannot
     * send between the check and the wait; and in a loop, because a wakeup
     * does not prove the answer is there (spurious wakeups). */
    while (!r->sent)
        pthread_cond_wait(&r->filled, &r->lock);
    long value = r->value;
    pthread_mutex_unlock(&r->lock);
    return value;
}
