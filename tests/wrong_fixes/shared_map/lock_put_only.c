/* lock_put_only.c - WRONG fix for the shared_map lab: cache_put takes a
 * lock, cache_get does not.
 *
 * The lock keeps writers apart, but a reader that never takes it is not
 * ordered with any writer: it can walk a chain while an entry is linked in,
 * or copy a value while it is being rewritten.
 *
 * Expect: data-race
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

/* bucket[b]: the chain of entries whose key hashes to b.  cache_put links
 * entries in and rewrites values, cache_get walks the chains; both run in
 * every handler thread. */
static struct entry *bucket[NBUCKETS];
/* Keys stored: bumped by cache_put, read by cache_size. */
static long nentries;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

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
    pthread_mutex_lock(&cache_lock);
    struct entry *e = find(b, key);
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e) {
            pthread_mutex_unlock(&cache_lock);
            return -1;
        }
        strcpy(e->key, key);
        e->next = bucket[b];
        bucket[b] = e;
        nentries++;
    }
    strcpy(e->val, val);
    pthread_mutex_unlock(&cache_lock);
    return 0;
}

int cache_get(const char *key, char out[CACHE_VAL_MAX])
{
    struct entry *e = find(bucket_of(key), key);

    if (!e)
        return 0;
    memcpy(out, e->val, CACHE_VAL_MAX);
    return 1;
}

long cache_size(void)
{
    return nentries;
}
