/* fork_child_race.c - the race happens only in a forked child.
 *
 * Can a race hide in a child process whose status the parent ignores?  The
 * parent forks before it has any thread (a supported fork), the child
 * races and exits, the parent exits 0.  TSan writes the child's report to
 * the child's own log file, which the harness collects.
 *
 * Mode: file
 * Verdict: 1 data-race
 * Options: --runs 1
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int shared; /* child only: bumped by its worker and its main thread */

static void *worker(void *arg) {
    (void)arg;
    shared++;
    return NULL;
}

int main(void) {
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, worker, NULL);
        shared++;
        pthread_join(t, NULL);
        printf("child shared=%d\n", shared);
        exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    return 0;
}
