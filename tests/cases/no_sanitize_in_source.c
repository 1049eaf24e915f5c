/* no_sanitize_in_source.c - a learner's file with a function that opts out.
 *
 * Can a checked file switch the detector off for one function?  racelab
 * file reads the source first and says "not graded" (exit 2,
 * not-instrumented) at the attribute's line, before building anything.
 *
 * Mode: file
 * Verdict: 2 not-instrumented
 * Options: --runs 1
 * Where: not-instrumented no_sanitize
 */
#include <pthread.h>
#include <stdio.h>

static int counter; /* bumped by worker and main */

__attribute__((no_sanitize("thread"))) static void *worker(void *arg) {
    (void)arg;
    counter++;
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    counter++;
    pthread_join(t, NULL);
    printf("counter=%d\n", counter);
    return 0;
}
