/* volatile_pointer.c - WRONG fix for the lazy_init lab: a volatile table
 * pointer.
 *
 * volatile makes each check really load the pointer, but it does not make
 * the unlocked load synchronise with the store: a handler that sees the
 * pointer is not guaranteed to see the entries written before it, and the
 * load and the store still race.
 *
 * Expect: data-race
 */
#include "lazy_init.h"

#include <pthread.h>
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
/* The table, NULL until built: written once, read by every handler. */
static struct mime_table *volatile table;

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
    if (table == NULL) {
        pthread_mutex_lock(&table_lock);
        if (table == NULL)
            table = table_build();
        pthread_mutex_unlock(&table_lock);
    }
    return table;
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
