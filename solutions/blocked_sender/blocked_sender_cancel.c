/* blocked_sender.c - price lookups with a deadline.
 *
 * Each lookup gets a fetcher thread that asks the backend and hands the
 * answer straight to the waiting handler, unless the handler gave up.
 */
#include "blocked_sender.h"

#include <errno.h>
#include <stdlib.h>

/* One lookup, shared by the handler and its fetcher; freed by whichever
 * of the two is done with it last. */
struct lookup {
    pthread_mutex_t lock;   /* guards the fields below */
    pthread_cond_t changed; /* broadcast on every change */
    int item;
    const int *answer;      /* the fetcher's answer, while it hands it over */
    int taken;              /* the handler has copied *answer */
    int gave_up;            /* the handler's deadline passed */
    int users;              /* handler and fetcher: 2, then 1, then 0 */
};

/* Drops one user of l, the last one frees it.  Called with l->lock held. */
static void lookup_put(struct lookup *l)
{
    int last = --l->users == 0;

    pthread_mutex_unlock(&l->lock);
    if (last) {
        pthread_mutex_destroy(&l->lock);
        pthread_cond_destroy(&l->changed);
        free(l);
    }
}

static void *fetcher(void *arg)
{
    struct lookup *l = arg;
    int price = backend_price(l->item);

    /* Hand the answer over, and wait until the handler has copied it. */
    pthread_mutex_lock(&l->lock);
    l->answer = &price;
    pthread_cond_broadcast(&l->changed);
    /* A send the handler's give-up cancels: lookup_give_up() broadcasts,
     * so the fetcher stops waiting for a taker that will never come.  An
     * answer not taken is withdrawn before price goes out of scope: the
     * handler checks the slot under the same lock and finds it empty. */
    while (!l->taken && !l->gave_up)
        pthread_cond_wait(&l->changed, &l->lock);
    l->answer = NULL;
    lookup_put(l);
    return NULL;
}

struct lookup *lookup_start(int item)
{
    struct lookup *l = calloc(1, sizeof *l);
    pthread_attr_t attr;
    pthread_t tid;
    int err;

    if (!l)
        return NULL;
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->changed, NULL);
    l->item = item;
    l->users = 2;
    /* Nobody joins a fetcher, so it is created detached. */
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    err = pthread_create(&tid, &attr, fetcher, l);
    pthread_attr_destroy(&attr);
    if (err) {
        free(l);
        return NULL;
    }
    return l;
}

int lookup_wait(struct lookup *l, int *price)
{
    int err = 0;

    pthread_mutex_lock(&l->lock);
    while (!l->answer && !l->gave_up)
        pthread_cond_wait(&l->changed, &l->lock);
    if (l->answer) {
        *price = *l->answer;
        l->taken = 1;
        pthread_cond_broadcast(&l->changed);
    } else {
        err = ETIMEDOUT;
    }
    lookup_put(l);
    return err;
}

void lookup_give_up(struct lookup *l)
{
    pthread_mutex_lock(&l->lock);
    l->gave_up = 1;
    pthread_cond_broadcast(&l->changed);
    pthread_mutex_unlock(&l->lock);
}
