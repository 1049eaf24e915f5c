/* publish_order.c - the service's settings, loaded in the background.
 *
 * settings_load() fills in a new settings object and then makes it the
 * current one; handlers call settings_current() for every request.
 *
 * Expect: data-race
 */
#include "publish_order.h"

#include <stdio.h>
#include <stdlib.h>

/* The published settings, NULL until loaded: written once by the loader,
 * read by every handler. */
static struct settings *current;

int settings_load(int port, int max_clients, const char *greeting)
{
    struct settings *s = malloc(sizeof *s);

    if (!s)
        return -1;
    s->port = port;
    s->max_clients = max_clients;
    snprintf(s->greeting, sizeof s->greeting, "%s", greeting);
    current = s;
    return 0;
}

const struct settings *settings_current(void)
{
    return current;
}
