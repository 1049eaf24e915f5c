/* retry_after_unlock.c - WRONG fix for the rate_limit lab: refill, check
 * and take under the lock; the Retry-After computed after unlocking.
 *
 * "The decision is what matters" - but the Retry-After reads the bucket
 * too, and after the unlock another handler may be changing it: a data
 * race, and a Retry-After computed from a bucket other than the one that
 * refused.
 *
 * Expect: data-race
 */
#include "rate_limit.h"

#include <pthread.h>
#include <stdlib.h>

struct limiter {
    long rate;             /* tokens earned per second */
    long burst;            /* most tokens the bucket holds */
    int64_t (*now)(void);  /* the server's clock, in ms */
    pthread_mutex_t lock;
    /* The bucket: read and written by every handler in limiter_take. */
    long milli;            /* thousandths of a token in the bucket */
    int64_t filled;        /* the clock when it last earned tokens */
};

struct limiter *limiter_new(long rate, long burst, int64_t (*now_ms)(void))
{
    if (rate < 1 || burst < 1)
        return NULL;
    struct limiter *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    pthread_mutex_init(&l->lock, NULL);
    l->rate = rate;
    l->burst = burst;
    l->now = now_ms;
    l->milli = burst * 1000;
    l->filled = now_ms();
    return l;
}

/* Adds what the bucket earned since it was last filled, up to burst. */
static void refill(struct limiter *l, int64_t now)
{
    if (now <= l->filled)
        return;
    l->milli += (now - l->filled) * l->rate;
    if (l->milli > l->burst * 1000)
        l->milli = l->burst * 1000;
    l->filled = now;
}

long limiter_take(struct limiter *l)
{
    pthread_mutex_lock(&l->lock);
    refill(l, l->now());
    if (l->milli >= 1000) {
        l->milli -= 1000;
        pthread_mutex_unlock(&l->lock);
        return 0;
    }
    pthread_mutex_unlock(&l->lock);
    /* The milliseconds it takes to earn the rest of a token, rounded up. */
    return (1000 - l->milli + l->rate - 1) / l->rate;
}

void limiter_free(struct limiter *l)
{
    free(l);
}
