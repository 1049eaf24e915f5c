/* lazy_init.c - MIME types by file extension, for the static file handler.
 *
 * The table costs something to build and many runs of the service never
 * serve a static file, so it is built on first use, exactly once.
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

/* Runs table_init() once. */
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
/* The table, NULL until built: written once by table_init(), read by every
 * handler after pthread_once() returns. */
static struct mime_table *table;

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

static void table_init(void)
{
    table = table_build();
}

/* The table, built by the first caller. */
static struct mime_table *get_table(void)
{
    /* pthread_once runs table_init exactly once, and every call returns
     * only after it finished: its writes happen before every read below,
     * whichever thread built the table. */
    pthread_once(&table_once, table_init);
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
