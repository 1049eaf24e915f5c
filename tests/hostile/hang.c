/* hang.c - a program that never ends.
 *
 * Can a program that blocks forever stall the check?  No: the harness's
 * wall-clock bound ends the run, reports timeout with where each thread
 * waits, and kills the whole process tree.  The worker waits on a
 * condition variable nobody signals; main joins it.
 *
 * Mode: file
 * Verdict: 1 timeout
 * Options: --runs 1 --timeout 2
 * Where: timeout pthread_cond_wait
 * Max-seconds: 15
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static int ready; /* never set */

static void *worker(void *arg) {
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!ready) pthread_cond_wait(&never, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    puts("unreachable");
    return 0;
}
