/* test_shared_map.c - the driver for the shared_map lab (do not edit).
 *
 * NHANDLERS handler threads each cache NKEYS pages of their own (first a
 * draft, then the final page under the same key), read each one back, and
 * read pages other handlers cache at the same time.  Each handler tallies
 * what it saw; after joining them, main checks the tallies, that every
 * page put is readable with its final value, and that the cache holds
 * exactly NHANDLERS * NKEYS keys.
 *
 * Max-threads: 5
 */
#include "shared_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 4
#define NKEYS 16

/* What one handler saw.  seen[h] is written only by handler h and read by
 * main after joining it. */
struct seen {
    int puts;          /* cache_put calls that succeeded */
    int own_missing;   /* own page absent right after caching it */
    int own_wrong;     /* own page read back with another value */
    int others_wrong;  /* another handler's page found with a value nobody put */
};
static struct seen seen[NHANDLERS];

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_shared_map: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static void key_of(int h, int i, char key[CACHE_KEY_MAX])
{
    snprintf(key, CACHE_KEY_MAX, "/user/%d/page/%d", h, i);
}

/* The page handler h renders for its key i: a draft first, then final. */
static void val_of(int h, int i, int final, char val[CACHE_VAL_MAX])
{
    snprintf(val, CACHE_VAL_MAX, "%s %d.%d", final ? "page" : "draft", h, i);
}

static void *handler(void *arg)
{
    struct seen *mine = arg;
    int h = (int)(mine - seen);
    char key[CACHE_KEY_MAX], val[CACHE_VAL_MAX], draft[CACHE_VAL_MAX], got[CACHE_VAL_MAX];

    for (int i = 0; i < NKEYS; i++) {
        key_of(h, i, key);
        val_of(h, i, 0, draft);
        val_of(h, i, 1, val);
        mine->puts += cache_put(key, draft) == 0;
        mine->puts += cache_put(key, val) == 0;
        if (!cache_get(key, got))
            mine->own_missing++;
        else if (strcmp(got, val) != 0)
            mine->own_wrong++;

        int o = (h + 1 + i % (NHANDLERS - 1)) % NHANDLERS;
        key_of(o, i, key);
        val_of(o, i, 0, draft);
        val_of(o, i, 1, val);
        if (cache_get(key, got) && strcmp(got, draft) != 0 && strcmp(got, val) != 0)
            mine->others_wrong++;
    }
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS];
    char key[CACHE_KEY_MAX], val[CACHE_VAL_MAX], got[CACHE_VAL_MAX];
    int missing = 0, wrong = 0;

    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, &seen[h]), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");

    RL_CHECK_EQ(rl_threads_created(), NHANDLERS, "handler threads started");
    for (int h = 0; h < NHANDLERS; h++) {
        RL_CHECK(seen[h].puts == 2 * NKEYS, "handler %d: %d of %d cache_put calls succeeded",
                 h, seen[h].puts, 2 * NKEYS);
        RL_CHECK(seen[h].own_missing == 0, "handler %d: %d of its own pages missing right after cache_put",
                 h, seen[h].own_missing);
        RL_CHECK(seen[h].own_wrong == 0, "handler %d: %d of its own pages read back with a wrong value",
                 h, seen[h].own_wrong);
        RL_CHECK(seen[h].others_wrong == 0, "handler %d: %d pages of other handlers read with a value nobody put",
                 h, seen[h].others_wrong);
    }
    for (int h = 0; h < NHANDLERS; h++) {
        for (int i = 0; i < NKEYS; i++) {
            key_of(h, i, key);
            val_of(h, i, 1, val);
            if (!cache_get(key, got))
                missing++;
            else if (strcmp(got, val) != 0)
                wrong++;
        }
    }
    RL_CHECK_EQ(missing, 0, "pages missing after all handlers finished");
    RL_CHECK_EQ(wrong, 0, "pages with a wrong value after all handlers finished");
    RL_CHECK_EQ(cache_size(), NHANDLERS * NKEYS, "cache_size()");
    return 0;
}
