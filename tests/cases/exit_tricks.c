/* exit_tricks.c - one real race, then every way of leaving.
 *
 * Can the way a program ends hide a race report?  Its exit status cannot be
 * trusted: TSan's 66 is replaced by exit(3), skipped by _exit(0), turned
 * into a signal by abort(), never produced by a program that hangs, and a
 * race in a forked child leaves the parent's status 0.  The harness reads
 * TSan's log files (one per process, children included), keeps what was
 * written before a timeout kill, and only then looks at the status.  For a
 * hang it also says where each thread waits (gdb's backtrace, or with
 * RACELAB_GDB=none the system call from /proc).
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Options: --runs 1
 * Verdict: 1 data-race
 * Verdict: 1 data-race
 * Args: exit3
 * Verdict: 1 data-race
 * Args: _exit0
 * Verdict: 1 data-race crash
 * Args: abort
 * Verdict: 1 data-race timeout
 * Args: hang
 * Options: --timeout 2
 * Where: timeout pause
 * Where: timeout exit_tricks.c
 * Verdict: 1 data-race timeout
 * Name: hang-without-gdb
 * Env: RACELAB_GDB=none
 * Args: hang
 * Options: --timeout 2
 * Where: timeout pause
 * Verdict: 1 data-race
 * Args: fork-child
 * Good: 0
 * Options: --runs 3
 * Good: 0
 * Args: _exit0
 * Options: --runs 3
 * Good: 0
 * Args: fork-child
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int g; /* written by main and worker (printed, so -O1 keeps the stores) */
#ifdef GOOD
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards g */
#endif

static void set_g(int v) {
#ifdef GOOD
    pthread_mutex_lock(&mu);
    g = v;
    pthread_mutex_unlock(&mu);
#else
    g = v;
#endif
}

static void *worker(void *arg) {
    (void)arg;
    set_g(1);
    return NULL;
}

static void race(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    set_g(2);
    pthread_join(t, NULL);
}

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "";
    if (!strcmp(how, "fork-child")) {
        pid_t pid = fork();
        if (pid == 0) {
            race();
            printf("child g=%d\n", g);
            exit(0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        printf("parent: child exit %d, parent exits 0 anyway\n", WEXITSTATUS(st));
        return 0;
    }
    race();
    printf("g=%d\n", g);
    fflush(stdout);
    if (!strcmp(how, "exit3")) exit(3);
    if (!strcmp(how, "_exit0")) _exit(0);
    if (!strcmp(how, "abort")) abort();
    if (!strcmp(how, "hang"))
        for (;;) pause();
    return 0;
}
