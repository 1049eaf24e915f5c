/* thread_leak.c - a joinable thread that is never joined.
 *
 * Can a program end with a finished thread nobody joined?  TSan calls it a
 * thread leak, but only when asked to (report_thread_leaks=1, its default)
 * and only when the thread has finished.  Main waits, without sleeping and
 * without any synchronisation TSan would see, until the worker's kernel
 * task is gone, then returns.  An inherited TSAN_OPTIONS with
 * report_thread_leaks=0 exitcode=0 must not hide it: the harness sets its
 * own options.
 *
 * Mode: file
 * Verdict: 1 thread-leak
 * Options: --runs 1
 * Verdict: 1 thread-leak
 * Name: inherited-options
 * Env: TSAN_OPTIONS=report_thread_leaks=0 exitcode=0
 * Options: --runs 1
 * Note: ignored the inherited TSAN_OPTIONS
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_int worker_tid; /* the worker's kernel thread id, relaxed */

static void *worker(void *arg) {
    (void)arg;
    atomic_store_explicit(&worker_tid, (int)syscall(SYS_gettid), memory_order_relaxed);
    return NULL;
}

/* Returns once the thread with this id has exited (its /proc entry is gone). */
static void wait_gone(void) {
    int tid;
    while (!(tid = atomic_load_explicit(&worker_tid, memory_order_relaxed))) sched_yield();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", tid);
    while (access(path, F_OK) == 0) sched_yield();
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
#ifdef GOOD
    pthread_join(t, NULL);
#else
    wait_gone();
#endif
    puts("main done");
    return 0;
}
