/* suppressions_in_source.c - a learner's file that brings its own suppressions.
 *
 * Can a checked file switch reports off from inside?  racelab file reads
 * the source first: compiled-in suppressions mean "not graded" (exit 2,
 * not-instrumented), before anything runs.
 *
 * Mode: file
 * Verdict: 2 not-instrumented
 * Options: --runs 1
 * Where: not-instrumented __tsan_default_suppressions
 */
#include <pthread.h>
#include <stdio.h>

static int hits; /* bumped by worker and main */

const char *__tsan_default_suppressions(void) { return "race:*\n"; }

static void *worker(void *arg) {
    (void)arg;
    hits++;
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    hits++;
    pthread_join(t, NULL);
    printf("hits=%d\n", hits);
    return 0;
}
