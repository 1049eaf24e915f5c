/* mixed_runtimes.c - a program with one file built without -fsanitize=thread.
 *
 * Can TSan see a race whose other half is in a file built without
 * instrumentation?  No: the uninstrumented file's accesses are invisible and
 * the run is silently clean.  The harness reads the program before trusting
 * that: a function of the program that touches shared memory without a
 * single TSan call makes the verdict not-instrumented (exit 2, naming the
 * function and its line), never clean.  Built with the same flags, the
 * race is reported; fixed and instrumented, the program is clean.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 2 not-instrumented
 * Part: parts/mixed_part.c -g -O1
 * Options: --runs 1
 * Where: not-instrumented part_worker
 * Where: not-instrumented mixed_part.c
 * Verdict: 1 data-race
 * Name: both-instrumented
 * Part: parts/mixed_part.c -fsanitize=thread -g -O1
 * Options: --runs 1
 * Good: 2 not-instrumented
 * Name: fixed-but-hidden
 * Part: parts/mixed_part.c -g -O1 -DGOOD
 * Options: --runs 1
 * Good: 0
 * Part: parts/mixed_part.c -fsanitize=thread -g -O1 -DGOOD
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

int shared; /* bumped by part_worker (mixed_part.c) and main */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards shared in the fix */
void *part_worker(void *);
void lock_shared(void) { pthread_mutex_lock(&mu); }
void unlock_shared(void) { pthread_mutex_unlock(&mu); }

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, part_worker, NULL);
#ifdef GOOD
    lock_shared();
    shared++;
    unlock_shared();
#else
    shared++;
#endif
    pthread_join(t, NULL);
    printf("shared=%d\n", shared);
    return 0;
}
