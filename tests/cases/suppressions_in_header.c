/* suppressions_in_header.c - compiled-in suppressions hidden in a local header.
 *
 * Can a header of the file's own hide suppressions from the source search?
 * Yes, from the search; not from the harness: the built program defines
 * __tsan_default_suppressions itself, so it is never clean (suppressed,
 * exit 1), whatever the suppressions hide.
 *
 * Mode: file
 * Verdict: 1 suppressed
 * Options: --runs 1
 * Absent: data-race
 */
#include <pthread.h>
#include <stdio.h>

#include "parts/opt_out.h"

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
