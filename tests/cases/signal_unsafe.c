/* signal_unsafe.c - a signal handler that allocates and prints.
 *
 * Can a handler call malloc and stdio?  Not safely: the signal may arrive
 * while the interrupted thread holds the allocator's or the stream's lock.
 * A worker raises SIGUSR1; the handler formats a message in a malloc'd
 * buffer.  The fix only sets a volatile sig_atomic_t flag and the main
 * thread does the printing.  The verdict must be signal-unsafe-call, not a
 * data race, from a report with a single stack.
 *
 * Mode: file
 * Verdict: 1 signal-unsafe-call
 * Options: --runs 1
 * Where: signal-unsafe-call handler
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t got; /* set by the handler, read by main after the join */

static void handler(int sig) {
#ifndef GOOD
    char *line = malloc(64);
    snprintf(line, 64, "caught signal %d\n", sig);
    fputs(line, stdout);
    free(line);
#else
    (void)sig;
#endif
    got = 1;
}

static void *worker(void *arg) {
    (void)arg;
    raise(SIGUSR1);
    return NULL;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("got=%d\n", (int)got);
    return 0;
}
