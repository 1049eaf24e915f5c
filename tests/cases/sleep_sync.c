/* sleep_sync.c - sleeping instead of waiting.
 *
 * Can main read 'result' safely after sleeping "long enough"?  No: a sleep
 * orders nothing, however long.  TSan adds an "As if synchronized via
 * sleep" section to the report; it is still a race between the worker's
 * write and main's read.  The fix joins before reading.
 *
 * Mode: file
 * Verdict: 1 data-race
 * Options: --runs 1
 * Where: data-race result
 * Located: data-race
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int result; /* written by worker, read by main */

static void *worker(void *arg) {
    (void)arg;
    result = 42;
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
#ifdef GOOD
    pthread_join(t, NULL);
    printf("result=%d\n", result);
#else
    usleep(20000); /* "surely done by now" */
    printf("result=%d\n", result);
    pthread_join(t, NULL);
#endif
    return 0;
}
