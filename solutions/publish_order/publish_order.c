/* publish_order.c - the service's settings, loaded in the background.
 *
 * settings_load() fills in a new settings object and then makes it the
 * current one; handlers call settings_current() for every request.
 */
#include "publish_order.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* The published settings, NULL until loaded: written once by the loader,
 * read by every handler; atomic, stored with release, loaded with acquire. */
static _Atomic(struct settings *) current;

int settings_load(int port, int max_clients, const char *greeting)
{
    struct settings *s = malloc(sizeof *s);

    if (!s)
        return -1;
    s->port = port;
    s->max_clients = max_clients;
    snprintf(s->greeting, sizeof s->greeting, "%s", greeting);
    /* Release: every write above happens before any load that sees s. */
    atomic_store_explicit(&current, s, memory_order_release);
    return 0;
}

const struct settings *settings_current(void)
{
    /* Acquire: seeing s means seeing everything written before its release. */
    return atomic_load_explicit(&current, memory_order_acquire);
}
