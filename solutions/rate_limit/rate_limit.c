/* rate_limit.c - the API's request limiter: one token bucket that every
 * request handler shares.
 *
 * Tokens are counted in thousandths so that the bucket can earn a fraction
 * of a token per millisecond exactly: at `rate` tokens per second it earns
 * `rate` thousandths per millisecond.
 */
#include "rate_limit.h"

#include <pthread.h>
#include <stdlib.h>

struct limiter {
    long rate;             /* tokens earned per second */
    long burst;            /* most tokens the bucket holds */
    int64_t (*now)(void);  /* the server's clock, in ms */
    pthread_mutex_t lock;  /* guards milli and filled */
    /* The bucket: read and written by every handler in limiter_take, under
     * lock. */
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
    if (pthread_mutex_init(&l->lock, NULL) != 0) {
        free(l);
        return NULL;
    }
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
    long wait = 0;

    /* Refill, decision and Retry-After form one step under the lock: no
     * other handler can spend the token between the check and the take,
     * and the Retry-After is computed from the very bucket that refused. */
    pthread_mutex_lock(&l->lock);
    refill(l, l->now());
    if (l->milli >= 1000)
        l->milli -= 1000;
    else /* the milliseconds it takes to earn the rest of a token, rounded up */
        wait = (1000 - l->milli + l->rate - 1) / l->rate;
    pthread_mutex_unlock(&l->lock);
    return wait;
}

void limiter_free(struct limiter *l)
{
    pthread_mutex_destroy(&l->lock);
    free(l);
}
