/* suppressions_disguised.c - compiled-in suppressions spelled by a macro.
 *
 * Can a file hide its suppressions from a text search?  Here the function's
 * name is pasted together by the preprocessor.  The harness also searches
 * the file after the preprocessor: not graded (exit 2, not-instrumented),
 * with the line as the macro expanded it.
 *
 * Mode: file
 * Verdict: 2 not-instrumented
 * Options: --runs 1
 * Where: not-instrumented __tsan_default_suppressions
 */
#include <pthread.h>
#include <stdio.h>

#define PASTE(a, b) a##b
#define HOOK(name) PASTE(__tsan_default_, name)

static int hits; /* bumped by worker and main */

const char *HOOK(suppressions)(void) { return "race:*\n"; }

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
