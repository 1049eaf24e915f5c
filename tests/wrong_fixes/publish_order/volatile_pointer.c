/* volatile_pointer.c - WRONG fix for the publish_order lab: a volatile
 * pointer.
 *
 * volatile keeps the compiler from caching or dropping the pointer's loads
 * and stores, but it does not order the writes to the fields before the
 * write of the pointer (neither the compiler nor the CPU must keep them in
 * order), and it is no synchronisation: the accesses still race.
 *
 * Expect: data-race
 */
#include "publish_order.h"

#include <stdio.h>
#include <stdlib.h>

/* The published settings, NULL until loaded: written once by the loader,
 * read by every handler. */
static struct settings *volatile current;

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
