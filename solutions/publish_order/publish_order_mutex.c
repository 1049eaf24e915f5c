/* publish_order.c - the service's settings, loaded in the background.
 *
 * settings_load() fills in a new settings object and then makes it the
 * current one; handlers call settings_current() for every request.
 */
#include "publish_order.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* Guards current. */
static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
/* The published settings, NULL until loaded: written once by the loader,
 * read by every handler; under current_lock. */
static struct settings *current;

int settings_load(int port, int max_clients, const char *greeting)
{
    struct settings *s = malloc(sizeof *s);

    if (!s)
        return -1;
    s->port = port;
    s->max_clients = max_clients;
    snprintf(s->greeting, sizeof s->greeting, "%s", greeting);
    /* The unlock hands every write above to the next thread that locks. */
    pthread_mutex_lock(&current_lock);
    current = s;
    pthread_mutex_unlock(&current_lock);
    return 0;
}

const struct settings *settings_current(void)
{
    pthread_mutex_lock(&current_lock);
    struct settings *s = current;
    pthread_mutex_unlock(&current_lock);
    return s;
}
