/* shared_map.c - the response cache: a chained hash map with a fixed
 * number of buckets, from request path to rendered response.
 *
 * Every request handler thread calls cache_get() before rendering a page
 * and cache_put() after.
 */
#include "shared_map.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 8
#define NSTRIPES 4 /* bucket b belongs to stripe b % NSTRIPES */

struct entry {
    struct entry *next;
    char key[CACHE_KEY_MAX];
    char val[CACHE_VAL_MAX];
};

/* One lock per stripe of buckets: handlers working on different stripes
 * never wait for each other.  stripe[s].lock guards the buckets of stripe
 * s, their entries, and stripe[s].nentries (keys stored in the stripe). */
static struct stripe {
    pthread_mutex_t lock;
    long nentries;
} stripe[NSTRIPES] = {
    {PTHREAD_MUTEX_INITIALIZER, 0}, {PTHREAD_MUTEX_INITIALIZER, 0},
    {PTHREAD_MUTEX_INITIALIZER, 0}, {PTHREAD_MUTEX_INITIALIZER, 0},
};
/* bucket[b]: the chain of entries whose key hashes to b.  cache_put links
 * entries in and rewrites values, cache_get walks the chains; both run in
 * every handler thread; under stripe[b % NSTRIPES].lock. */
static struct entry *bucket[NBUCKETS];

/* FNV-1a: spreads similar paths ("/user/1", "/user/2") over the buckets. */
static unsigned bucket_of(const char *key)
{
    unsigned h = 2166136261u;

    while (*key)
        h = (h ^ (unsigned char)*key++) * 16777619u;
    return h % NBUCKETS;
}

static struct entry *find(unsigned b, const char *key)
{
    for (struct entry *e = bucket[b]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

int cache_put(const char *key, const char *val)
{
    if (strlen(key) >= CACHE_KEY_MAX || strlen(val) >= CACHE_VAL_MAX)
        return -1;
    unsigned b = bucket_of(key);
    struct stripe *st = &stripe[b % NSTRIPES];
    /* Every access to a bucket, its entries and its stripe's count happens
     * under that stripe's lock, so accesses to one key are ordered; keys in
     * other stripes do not share any data with this one. */
    pthread_mutex_lock(&st->lock);
    struct entry *e = find(b, key);
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e) {
            pthread_mutex_unlock(&st->lock);
            return -1;
        }
        strcpy(e->key, key);
        e->next = bucket[b];
        bucket[b] = e;
        st->nentries++;
    }
    strcpy(e->val, val);
    pthread_mutex_unlock(&st->lock);
    return 0;
}

int cache_get(const char *key, char out[CACHE_VAL_MAX])
{
    unsigned b = bucket_of(key);
    struct stripe *st = &stripe[b % NSTRIPES];

    pthread_mutex_lock(&st->lock);
    struct entry *e = find(b, key);
    if (e)
        memcpy(out, e->val, CACHE_VAL_MAX);
    pthread_mutex_unlock(&st->lock);
    return e != NULL;
}

/* Sums the stripes one at a time: exact once the puts have finished, a
 * moment's approximation while they run. */
long cache_size(void)
{
    long n = 0;

    for (int s = 0; s < NSTRIPES; s++) {
        pthread_mutex_lock(&stripe[s].lock);
        n += stripe[s].nentries;
        pthread_mutex_unlock(&stripe[s].lock);
    }
    return n;
}
