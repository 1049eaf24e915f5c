/* suppressions_disguised.c - compiled-in suppressions the source scan cannot see.
 *
 * Can a file hide its suppressions from a text search?  Here the function's
 * name is pasted together by the preprocessor.  The harness then finds it
 * in the built program instead: a program that defines its own
 * suppressions is never clean (suppressed, exit 1), whatever they hide.
 *
 * Mode: file
 * Verdict: 1 suppressed
 * Options: --runs 1
 * Absent: data-race
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
