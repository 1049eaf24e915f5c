/* test_publish_order.c - the driver for the publish_order lab (do not edit).
 *
 * A loader thread loads the settings while NHANDLERS handler threads serve
 * requests: each handler asks settings_current() until the settings appear
 * (serving with defaults meanwhile), then copies what it sees.  Main checks
 * that every handler saw the settings exactly as loaded.
 *
 * The handlers wait for the settings by asking again, not through a lock,
 * condition variable or join of the driver's own: any of those would order
 * the loader's writes before the handlers' reads and hide the very thing
 * this lab is about.  The only ordering must come from the lab's code.
 *
 * Max-threads: 6
 * Timeout: 5
 */
#include "publish_order.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 4
#define PORT 8443
#define MAX_CLIENTS 256
#define GREETING "racelab ready"

/* What handler h saw: written only by handler h, read by main after the
 * joins. */
static struct settings seen[NHANDLERS];

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_publish_order: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static void *loader(void *arg)
{
    long *err = arg;

    *err = settings_load(PORT, MAX_CLIENTS, GREETING);
    return NULL;
}

static void *handler(void *arg)
{
    struct settings *mine = arg;
    const struct settings *s;

    while ((s = settings_current()) == NULL)
        sched_yield(); /* a request served with the defaults */
    mine->port = s->port;
    mine->max_clients = s->max_clients;
    memcpy(mine->greeting, s->greeting, sizeof mine->greeting);
    return NULL;
}

int main(void)
{
    pthread_t load_tid, tid[NHANDLERS];
    long load_err = -2;

    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, &seen[h]), "pthread_create");
    must(pthread_create(&load_tid, NULL, loader, &load_err), "pthread_create");
    must(pthread_join(load_tid, NULL), "pthread_join");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");

    RL_CHECK_EQ(load_err, 0, "settings_load()");
    for (int h = 0; h < NHANDLERS; h++) {
        char what[64];

        snprintf(what, sizeof what, "handler %d: settings.port", h);
        RL_CHECK_EQ(seen[h].port, PORT, what);
        snprintf(what, sizeof what, "handler %d: settings.max_clients", h);
        RL_CHECK_EQ(seen[h].max_clients, MAX_CLIENTS, what);
        seen[h].greeting[sizeof seen[h].greeting - 1] = '\0';
        RL_CHECK(strcmp(seen[h].greeting, GREETING) == 0,
                 "handler %d: settings.greeting: expected \"%s\", got \"%s\"", h, GREETING,
                 seen[h].greeting);
    }
    RL_CHECK_EQ(rl_threads_created(), NHANDLERS + 1, "loader and handler threads started");
    return 0;
}
