/* fork_threads.c - a multi-threaded process forks and the child keeps working.
 *
 * Can TSan check a child that starts threads after a fork() from a process
 * that already had threads?  No: it dies ("starting new threads after
 * multi-threaded fork is not supported") or, told not to, checks nothing,
 * while the parent exits 0.  That must never pass: the verdict is
 * unsupported (exit 2).  The supported pattern, the fix, is a child that
 * only makes async-signal-safe calls and _exits (or execs).  A helper
 * thread blocked on a pipe keeps the parent multi-threaded at the fork,
 * with no sleep.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 2 unsupported
 * Options: --runs 1
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int hold[2];   /* the helper blocks reading hold[0] until main closes hold[1] */
static int counter;   /* child only: bumped by two threads */

static void *helper(void *arg) {
    (void)arg;
    char c;
    while (read(hold[0], &c, 1) > 0) {
    }
    return NULL;
}

static void *child_worker(void *arg) {
    (void)arg;
    counter++;
    return NULL;
}

int main(void) {
    if (pipe(hold) != 0) return 1;
    pthread_t h;
    pthread_create(&h, NULL, helper, NULL);
    pid_t pid = fork();
    if (pid == 0) {
#ifndef GOOD
        pthread_t c;
        pthread_create(&c, NULL, child_worker, NULL);
        counter++;
        pthread_join(c, NULL);
        printf("child counter=%d\n", counter);
        fflush(stdout);
#else
        static const char ok[] = "child ok\n";
        if (write(1, ok, sizeof ok - 1) < 0) _exit(1);
#endif
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    close(hold[1]);
    pthread_join(h, NULL);
    printf("parent: child exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
