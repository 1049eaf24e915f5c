/* test_lazy_init.c - the driver for the lazy_init lab (do not edit).
 *
 * NHANDLERS handler threads start together and each looks up the MIME type
 * of NEXT extensions.  Main checks every answer, and that all handlers got
 * the very same strings: one table, built once.
 *
 * Max-threads: 5
 */
#include "lazy_init.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 4
#define NEXT 4

static const char *const ext[NEXT] = {"html", "png", "json", "exe"};
static const char *const want[NEXT] = {"text/html", "image/png", "application/json",
                                       "application/octet-stream"};

/* got[h][e]: handler h's answer for ext[e]; written only by handler h, read
 * by main after the joins. */
static const char *got[NHANDLERS][NEXT];

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_lazy_init: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static void *handler(void *arg)
{
    const char **mine = arg;

    for (int e = 0; e < NEXT; e++)
        mine[e] = mime_type(ext[e]);
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS];

    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, got[h]), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");

    for (int h = 0; h < NHANDLERS; h++)
        for (int e = 0; e < NEXT; e++) {
            RL_CHECK(got[h][e] && strcmp(got[h][e], want[e]) == 0,
                     "handler %d: mime_type(\"%s\"): expected \"%s\", got \"%s\"", h, ext[e],
                     want[e], got[h][e] ? got[h][e] : "(null)");
            RL_CHECK(got[h][e] == got[0][e],
                     "mime_type(\"%s\") gave handler %d and handler 0 different copies: "
                     "the table was built more than once", ext[e], h);
        }
    RL_CHECK_EQ(rl_threads_created(), NHANDLERS, "handler threads started");
    return 0;
}
