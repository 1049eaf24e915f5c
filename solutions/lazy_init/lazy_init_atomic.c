/* lazy_init.c - MIME types by file extension, for the static file handler.
 *
 * The table costs something to build and many runs of the service never
 * serve a static file, so it is built on first use, once, under a lock; the
 * lock is only taken while there is no table yet.
 */
#include "lazy_init.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct mime_entry {
    char ext[8];
    char type[32];
};

struct mime_table {
    int n;
    struct mime_entry entry[8];
};

/* Guards building the table. */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
/* The table, NULL until built: written once (under table_lock, with
 * release), read by every handler (with acquire). */
static _Atomic(struct mime_table *) table;

/* Allocates and fills a new table; NULL when memory ran out. */
static struct mime_table *table_build(void)
{
    static const char *const known[][2] = {
        {"html", "text/html"}, {"css", "text/css"},   {"js", "text/javascript"},
        {"png", "image/png"},  {"jpg", "image/jpeg"}, {"svg", "image/svg+xml"},
        {"json", "application/json"},
    };
    struct mime_table *t = calloc(1, sizeof *t);

    if (!t)
        return NULL;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        strcpy(t->entry[i].ext, known[i][0]);
        strcpy(t->entry[i].type, known[i][1]);
        t->n++;
    }
    return t;
}

/* The table, built by the first caller. */
static struct mime_table *get_table(void)
{
    /* Acquire pairs with the release below: a caller that sees the table
     * also sees everything table_build() wrote into it. */
    struct mime_table *t = atomic_load_explicit(&table, memory_order_acquire);

    if (t == NULL) {
        pthread_mutex_lock(&table_lock);
        t = atomic_load_explicit(&table, memory_order_relaxed); /* the lock orders it */
        if (t == NULL) {
            t = table_build();
            atomic_store_explicit(&table, t, memory_order_release);
        }
        pthread_mutex_unlock(&table_lock);
    }
    return t;
}

const char *mime_type(const char *ext)
{
    struct mime_table *t = get_table();

    if (!t)
        return NULL;
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->entry[i].ext, ext) == 0)
            return t->entry[i].type;
    return "application/octet-stream";
}
