/* no_sanitize_in_header.c - an opt-out attribute hidden in a local header.
 *
 * Can a header of the file's own hide an opt-out from the source search?
 * Yes, from the search; not from the harness: it reads the built program
 * and finds 'worker' touching the shared counter without a TSan call.
 * Verdict not-instrumented (exit 2), naming the function.
 *
 * Mode: file
 * Verdict: 2 not-instrumented
 * Options: --runs 1
 * Where: not-instrumented worker
 * Where: not-instrumented without ThreadSanitizer
 */
#include <pthread.h>
#include <stdio.h>

#include "parts/opt_out.h"

static int counter; /* bumped by worker and main */

OPT_OUT("thread") static void *worker(void *arg) {
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
