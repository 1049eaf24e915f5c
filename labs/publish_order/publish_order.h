/* publish_order.h - the service's settings, loaded in the background.
 *
 * At start-up a loader thread reads the settings and publishes them; the
 * request handlers are already running and use built-in defaults until the
 * settings appear.  Settings are published once and never change after.
 */
#ifndef PUBLISH_ORDER_H
#define PUBLISH_ORDER_H

struct settings {
    int port;
    int max_clients;
    char greeting[32];
};

/* Builds the settings from these values and publishes them.  Called once,
 * by the loader thread.  Returns 0, or -1 when memory ran out. */
int settings_load(int port, int max_clients, const char *greeting);

/* The published settings, or NULL while they are still being loaded. */
const struct settings *settings_current(void);

#endif
