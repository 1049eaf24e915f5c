/* static_link.c - a ThreadSanitizer program linked with -static.
 *
 * Can a statically linked TSan program be checked?  No: TSan does not
 * support -static (clang 14 links it and it crashes at start, clang 19 and
 * gcc refuse to link).  A crash before main must not read as a pass or as
 * a race: the verdict is unsupported, a setup error (exit 2).  When the
 * compiler refuses the link there is nothing to check and the test skips.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * If-build-fails: skip
 * Verdict: 2 unsupported
 * Build: -static
 * Options: --runs 1
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

int shared; /* bumped by worker and main */
#ifdef GOOD
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards shared */
#endif

static void bump(void) {
#ifdef GOOD
    pthread_mutex_lock(&mu);
    shared++;
    pthread_mutex_unlock(&mu);
#else
    shared++;
#endif
}

static void *worker(void *arg) {
    (void)arg;
    bump();
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    bump();
    pthread_join(t, NULL);
    printf("shared=%d\n", shared);
    return 0;
}
