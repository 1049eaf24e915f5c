/* serve_main.c - runs the http_server lab's server on its own, for bench.sh.
 *
 * Not part of the lab's build (the lab is its server and test_http_server.c).
 * Serves 127.0.0.1:PORT (argv[1], default 0: a free port), prints the port
 * on stdout, and runs until SIGTERM.  The clock is the real monotonic one,
 * the rate limit is so high that a benchmark never meets it, and mails and
 * the slow backend cost nothing.
 */
#include "http_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_mail(const char *to, const char *text)
{
    (void)to;
    (void)text;
}

static void no_backend(void)
{
}

int main(int argc, char **argv)
{
    struct server_config cfg = {-1, argc > 1 ? atoi(argv[1]) : 0, 1000000000, 1,
                                monotonic_ms, drop_mail, no_backend};
    int port = server_start(&cfg);
    if (port < 0) {
        perror("serve_main: server_start");
        return 1;
    }
    printf("%d\n", port);
    fflush(stdout);
    long accepted = server_wait();
    fprintf(stderr, "serve_main: stopped after %ld connections\n", accepted);
    return 0;
}
