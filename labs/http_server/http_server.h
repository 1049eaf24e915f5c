/* http_server.h - how a program starts, stops and waits for the HTTP server.
 *
 * One server per process.  The caller hands it the outside world it talks
 * to (a clock, a mail service, a slow backend) so that a test can control
 * time and see every side effect.
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stdint.h>

struct server_config {
    int listen_fd;   /* a listening TCP socket to serve, or -1: the server
                        opens one on 127.0.0.1:port itself */
    int port;        /* used when listen_fd is -1; 0 picks a free port */
    int burst;       /* rate limit: requests a client address may make at once */
    int refill_ms;   /* ... and one more every refill_ms milliseconds */
    int64_t (*now_ms)(void);                           /* the clock the limiter reads */
    void (*send_mail)(const char *to, const char *text); /* delivers one mail */
    void (*slow_backend)(void);                        /* what GET /slow waits for */
};

/* Starts the server's threads and installs its SIGTERM handler.  Returns
 * the TCP port it listens on, or -1 (errno set). */
int server_start(const struct server_config *cfg);

/* Asks the server to shut down, exactly as SIGTERM does.  Async-signal-safe;
 * returns at once. */
void server_stop(void);

/* Waits until the server has shut down after SIGTERM or server_stop():
 * no longer accepting, every accepted request answered, every queued job
 * done, every thread joined.  Returns the number of connections accepted. */
long server_wait(void);

#endif
