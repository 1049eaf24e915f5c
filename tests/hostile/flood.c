/* flood.c - a racy program that then prints without end.
 *
 * Can a flood of output hide the verdict or stall the harness?  TSan's
 * reports go to log files, not to the flooded streams; the harness keeps a
 * bounded part of the output and drops the rest, so it stays fast and
 * small, and the race is still reported.  "forever" floods until the
 * timeout; "64m" writes 64 MiB to each stream and exits.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 1 data-race
 * Args: 64m
 * Options: --runs 1
 * Max-output: 300000
 * Max-seconds: 20
 * Note: the rest was dropped
 * Verdict: 1 data-race timeout
 * Args: forever
 * Options: --runs 1 --timeout 2
 * Max-output: 300000
 * Max-seconds: 20
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int shared; /* bumped by worker and main */

static void *worker(void *arg) {
    (void)arg;
    shared++;
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    shared++;
    pthread_join(t, NULL);
    int forever = argc > 1 && strcmp(argv[1], "forever") == 0;
    static char line[65536];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (long i = 0; forever || i < 1024; i++) {
        if (write(1, line, sizeof line) < 0 || write(2, line, sizeof line) < 0) break;
    }
    return 0;
}
