/* condvar_no_predicate.c - a condition variable used without a predicate.
 *
 * Can the waiter read 'msg' unordered with the signaller's write, and can it
 * wait forever?  The signaller writes 'msg' and signals without the mutex;
 * the waiter calls pthread_cond_wait once, with no `while (!ready)` loop.
 * By default the signaller first waits (on a relaxed atomic, which orders
 * nothing for ThreadSanitizer) until the waiter is inside the wait, so the
 * wakeup arrives and the read of 'msg' is a data race on every run.  With
 * "lost" the signal is sent before anyone waits: the wakeup is lost and the
 * waiter blocks forever.  TSan prints nothing for that; the harness's
 * timeout must say where each thread waits.
 *
 * Mode: file
 * Verdict: 1 data-race
 * Options: --runs 1
 * Where: data-race msg
 * Verdict: 1 timeout
 * Args: lost
 * Options: --runs 1 --timeout 2
 * Where: timeout pthread_cond_wait
 * Good: 0
 * Options: --runs 3
 * Good: 0
 * Args: lost
 * Options: --runs 3
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int msg;                  /* written by signaller, read by waiter */
#ifdef GOOD
static int ready;                /* the predicate: written and read under mu */
#endif
static int lost;                 /* "lost": signal before the wait */
static atomic_int waiting, signalled; /* relaxed: they order nothing */

static void spin_until(atomic_int *flag) {
    while (!atomic_load_explicit(flag, memory_order_relaxed)) sched_yield();
}

static void *waiter(void *arg) {
    (void)arg;
    if (lost) spin_until(&signalled);
    pthread_mutex_lock(&mu);
    atomic_store_explicit(&waiting, 1, memory_order_relaxed);
#ifdef GOOD
    while (!ready) pthread_cond_wait(&cv, &mu);
#else
    pthread_cond_wait(&cv, &mu);
#endif
    printf("msg=%d\n", msg);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *signaller(void *arg) {
    (void)arg;
    if (!lost) {
        spin_until(&waiting);
        pthread_mutex_lock(&mu);   /* returns once the waiter sleeps in the wait */
        pthread_mutex_unlock(&mu);
    }
#ifdef GOOD
    pthread_mutex_lock(&mu);
    msg = 1;
    ready = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
#else
    msg = 1;
    pthread_cond_signal(&cv);
#endif
    atomic_store_explicit(&signalled, 1, memory_order_relaxed);
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t w, s;
    lost = argc > 1 && strcmp(argv[1], "lost") == 0;
    pthread_create(&w, NULL, waiter, NULL);
    pthread_create(&s, NULL, signaller, NULL);
    pthread_join(s, NULL);
    pthread_join(w, NULL);
    return 0;
}
