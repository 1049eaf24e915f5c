/* blocked_sender.c - price lookups with a deadline.
 *
 * Each lookup gets a fetcher thread that asks the backend and leaves the
 * answer in the lookup's one-answer slot for the handler.
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
    int answer;             /* the slot: the price, once full is set */
    int full;
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

    /* The slot holds one answer and nobody else ever fills it, so this
     * send always completes at once: the fetcher never waits for a handler
     * that may have given up.  A late answer just stays in the slot until
     * the last user frees the lookup. */
    pthread_mutex_lock(&l->lock);
    l->answer = price;
    l->full = 1;
    pthread_cond_broadcast(&l->changed);
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
    while (!l->full && !l->gave_up)
        pthread_cond_wait(&l->changed, &l->lock);
    if (l->full) {
        *price = l->answer;
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
