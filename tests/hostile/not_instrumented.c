/* not_instrumented.c - a racy program built without -fsanitize=thread.
 *
 * Can a program TSan never saw come out clean?  No: it exits 0 and prints
 * nothing, which means nothing.  The harness reads the program file first
 * and refuses: not-instrumented (exit 2), without running it.
 *
 * Mode: run
 * Build: -g -O1 -pthread
 * Verdict: 2 not-instrumented
 * Options: --runs 1
 */
#include <pthread.h>
#include <stdio.h>

int shared; /* bumped by worker and main */

static void *worker(void *arg) {
    (void)arg;
    shared++;
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    shared++;
    pthread_join(t, NULL);
    printf("shared=%d\n", shared);
    return 0;
}
