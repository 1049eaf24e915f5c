/* tsan_options.c - a program whose environment or build tries to switch TSan off.
 *
 * Can TSAN_OPTIONS hide a race and a leaked thread?  Three ways in: an
 * inherited TSAN_OPTIONS (exitcode=0 report_thread_leaks=0 and a
 * suppressions file that hides every race), options compiled into the
 * program (__tsan_default_options with report_bugs=0, -DOWN_OPTIONS), and
 * a program that re-executes itself with its own TSAN_OPTIONS ("reexec"),
 * which also drops the harness's log_path.  The harness sets every option
 * that could hide a report itself and reads the program's output as well as
 * the log files, so the race is found each time.  Not caught: the leak in
 * the re-executed program (its own report_thread_leaks=0 wins there).
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Options: --runs 1
 * Verdict: 1 data-race thread-leak
 * Name: inherited
 * Env: TSAN_OPTIONS=exitcode=0 report_thread_leaks=0 suppressions=@DIR@/../cases/parts/hide_all.supp
 * Note: ignored the inherited TSAN_OPTIONS
 * Verdict: 1 data-race thread-leak
 * Name: compiled-in
 * Build: -DOWN_OPTIONS
 * Note: __tsan_default_options
 * Verdict: 1 data-race
 * Args: reexec
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef OWN_OPTIONS
const char *__tsan_default_options(void) { return "report_bugs=0 exitcode=0 report_thread_leaks=0"; }
#endif

int shared;              /* bumped by worker and main */
static atomic_int tid;   /* the worker's kernel thread id, relaxed */

static void *worker(void *arg) {
    (void)arg;
    shared++;
    atomic_store_explicit(&tid, (int)syscall(SYS_gettid), memory_order_relaxed);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 2 && !strcmp(argv[1], "reexec") && !getenv("REEXECUTED")) {
        setenv("REEXECUTED", "1", 1);
        setenv("TSAN_OPTIONS", "exitcode=0 report_thread_leaks=0", 1);
        execv("/proc/self/exe", argv);
        return 1;
    }
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    shared++;
    int id; /* leak the worker: wait until it is gone, never join */
    while (!(id = atomic_load_explicit(&tid, memory_order_relaxed))) sched_yield();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", id);
    while (access(path, F_OK) == 0) sched_yield();
    printf("shared=%d\n", shared);
    return 0;
}
