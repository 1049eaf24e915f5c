/* no_sanitize_disguised.c - an opt-out attribute spelled by a macro.
 *
 * Can a file hide its opt-out from a text search?  Here the attribute's
 * name is pasted together by the preprocessor.  The harness also searches
 * the file after the preprocessor: not graded (exit 2, not-instrumented),
 * showing the line as the macro expanded it (naming 'worker').
 *
 * Mode: file
 * Verdict: 2 not-instrumented
 * Options: --runs 1
 * Where: not-instrumented worker
 * Where: not-instrumented expands to
 */
#include <pthread.h>
#include <stdio.h>

#define PASTE(a, b) a##b
#define OPT_OUT(what) __attribute__((PASTE(no_, sanitize)(what)))

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
