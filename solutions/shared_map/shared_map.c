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

struct entry {
    struct entry *next;
    char key[CACHE_KEY_MAX];
    char val[CACHE_VAL_MAX];
};

/* Guards bucket, nentries and every entry: readers share it, cache_put
 * holds it alone. */
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
/* bucket[b]: the chain of entries whose key hashes to b.  cache_put links
 * entries in and rewrites values, cache_get walks the chains; both run in
 * every handler thread; under cache_lock. */
static struct entry *bucket[NBUCKETS];
/* Keys stored: bumped by cache_put, read by cache_size; under cache_lock. */
static long nentries;

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
    /* The write lock waits until no reader is inside the map and keeps new
     * ones out, so no get sees a half-linked entry or a half-copied value;
     * the unlock publishes the change to every later lock holder. */
    pthread_rwlock_wrlock(&cache_lock);
    struct entry *e = find(b, key);
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e) {
            pthread_rwlock_unlock(&cache_lock);
            return -1;
        }
        strcpy(e->key, key);
        e->next = bucket[b];
        bucket[b] = e;
        nentries++;
    }
    strcpy(e->val, val);
    pthread_rwlock_unlock(&cache_lock);
    return 0;
}

int cache_get(const char *key, char out[CACHE_VAL_MAX])
{
    pthread_rwlock_rdlock(&cache_lock);
    struct entry *e = find(bucket_of(key), key);
    if (e)
        memcpy(out, e->val, CACHE_VAL_MAX);
    pthread_rwlock_unlock(&cache_lock);
    return e != NULL;
}

long cache_size(void)
{
    pthread_rwlock_rdlock(&cache_lock);
    long n = nentries;
    pthread_rwlock_unlock(&cache_lock);
    return n;
}
