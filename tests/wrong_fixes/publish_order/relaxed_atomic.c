/* relaxed_atomic.c - WRONG fix for the publish_order lab: an atomic
 * pointer with relaxed order.
 *
 * The pointer itself no longer races, but a relaxed store releases nothing:
 * a handler that loads the pointer has no guarantee of seeing the fields
 * written before it, so the reads of port, max_clients and greeting still
 * race with the loader's writes.
 *
 * Expect: data-race
 */
#include "publish_order.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* The published settings, NULL until loaded: written once by the loader,
 * read by every handler. */
static _Atomic(struct settings *) current;

int settings_load(int port, int max_clients, const char *greeting)
{
    struct settings *s = malloc(sizeof *s);

    if (!s)
        return -1;
    s->port = port;
    s->max_clients = max_clients;
    snprintf(s->greeting, sizeof s->greeting, "%s", greeting);
    atomic_store_explicit(&current, s, memory_order_relaxed);
    return 0;
}

const struct settings *settings_current(void)
{
    return atomic_load_explicit(&current, memory_order_relaxed);
}
