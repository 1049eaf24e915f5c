/* no_sanitize.c - a function that opts out of ThreadSanitizer.
 *
 * Can an attribute hide a race?  __attribute__((no_sanitize("thread")))
 * (built with -DHIDE) removes the function's memory instrumentation, and
 * disable_sanitizer_instrumentation (-DHIDE_ALL) removes all of it: the
 * race is then invisible and the run is clean.  The harness reads the
 * program and finds the function that touches shared memory without a TSan
 * call: not-instrumented (exit 2), never clean.  Without the attribute the
 * race is reported.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Options: --runs 1
 * Verdict: 2 not-instrumented
 * Name: attribute
 * Build: -DHIDE
 * Where: not-instrumented bump_unchecked
 * Absent: data-race
 * Verdict: 2 not-instrumented
 * Name: disable-instrumentation
 * Build: -DHIDE_ALL
 * Where: not-instrumented bump_unchecked
 * Verdict: 1 data-race
 * Name: visible
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

#if defined(HIDE)
#define UNCHECKED __attribute__((no_sanitize("thread")))
#elif defined(HIDE_ALL)
#define UNCHECKED __attribute__((disable_sanitizer_instrumentation))
#else
#define UNCHECKED
#endif

int counter; /* bumped by worker and main */
#ifdef GOOD
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards counter */
#endif

UNCHECKED __attribute__((noinline)) void bump_unchecked(void) { counter++; }

static void *worker(void *arg) {
    (void)arg;
#ifdef GOOD
    pthread_mutex_lock(&mu);
    bump_unchecked();
    pthread_mutex_unlock(&mu);
#else
    bump_unchecked();
#endif
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
#ifdef GOOD
    pthread_mutex_lock(&mu);
    counter++;
    pthread_mutex_unlock(&mu);
#else
    counter++;
#endif
    pthread_join(t, NULL);
    printf("counter=%d\n", counter);
    return 0;
}
