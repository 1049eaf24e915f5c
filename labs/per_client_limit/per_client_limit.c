/* per_client_limit.c - per-client request limits: a token bucket for each
 * client in a table (a linked list: the server sees few clients at once),
 * and the sweep the cleaner thread runs.
 *
 * Tokens are counted in thousandths: at `rate` tokens per second a bucket
 * earns `rate` thousandths per millisecond.
 *
 * Expect: data-race
 */
#include "per_client_limit.h"

#include <pthread.h>
#include <stdlib.h>

/* One client's bucket: used by the handlers serving that client, looked at
 * and freed by the cleaner. */
struct bucket {
    struct bucket *next;
    int client;
    long milli;         /* thousandths of a token in the bucket */
    int64_t filled;     /* the clock when it last earned tokens */
    int64_t last_seen;  /* the clock at the client's last request */
};

struct limits {
    long rate, burst;
    int64_t idle_ms;
    int64_t (*now)(void);
    pthread_mutex_t lock;  /* guards head and count */
    struct bucket *head;   /* the table */
    int count;             /* buckets in it */
};

struct limits *limits_new(long rate, long burst, int64_t idle_ms, int64_t (*now_ms)(void))
{
    if (rate < 1 || burst < 1 || idle_ms < 1 || idle_ms * rate < 1000 * burst)
        return NULL;
    struct limits *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    *t = (struct limits){.rate = rate, .burst = burst, .idle_ms = idle_ms, .now = now_ms};
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

/* The client's bucket, a full new one if it had none; NULL if memory ran
 * out.  Called with t->lock held. */
static struct bucket *find_or_add(struct limits *t, int client, int64_t now)
{
    for (struct bucket *b = t->head; b; b = b->next)
        if (b->client == client)
            return b;
    struct bucket *b = malloc(sizeof *b);
    if (b) {
        *b = (struct bucket){t->head, client, t->burst * 1000, now, now};
        t->head = b;
        t->count++;
    }
    return b;
}

/* Records a request at now: refills the bucket and takes a token from it.
 * Returns 1, or 0 when it holds no whole token. */
static int take(struct limits *t, struct bucket *b, int64_t now)
{
    b->last_seen = now;
    if (now > b->filled) {
        b->milli += (now - b->filled) * t->rate;
        if (b->milli > t->burst * 1000)
            b->milli = t->burst * 1000;
        b->filled = now;
    }
    if (b->milli < 1000)
        return 0;
    b->milli -= 1000;
    return 1;
}

int limits_allow(struct limits *t, int client)
{
    int64_t now = t->now();

    pthread_mutex_lock(&t->lock);
    struct bucket *b = find_or_add(t, client, now);
    pthread_mutex_unlock(&t->lock);
    return b ? take(t, b, now) : 0;
}

int limits_sweep(struct limits *t)
{
    int64_t now = t->now();
    int removed = 0;

    pthread_mutex_lock(&t->lock);
    for (struct bucket **p = &t->head; *p;) {
        struct bucket *b = *p;
        if (now - b->last_seen >= t->idle_ms) {
            *p = b->next;
            free(b);
            t->count--;
            removed++;
        } else {
            p = &b->next;
        }
    }
    pthread_mutex_unlock(&t->lock);
    return removed;
}

int limits_size(struct limits *t)
{
    pthread_mutex_lock(&t->lock);
    int n = t->count;
    pthread_mutex_unlock(&t->lock);
    return n;
}

void limits_free(struct limits *t)
{
    while (t->head) {
        struct bucket *b = t->head;
        t->head = b->next;
        free(b);
    }
    pthread_mutex_destroy(&t->lock);
    free(t);
}
