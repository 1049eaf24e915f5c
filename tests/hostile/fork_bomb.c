/* fork_bomb.c - a process that forks without bound; its children escape.
 *
 * Can a program that forks without end, each child in a process group of
 * its own, outlive the check?  The harness follows the whole tree (its own
 * group, every descendant, orphans it reaps as subreaper), stops the run
 * above --max-processes (too-many-processes) and kills every process of
 * it.  The test then checks that no process carrying its marker is left.
 * As a safety net the program stops at 500 children.
 *
 * Mode: run
 * Build: -g -O1 -fsanitize=thread
 * Verdict: 1 too-many-processes
 * Options: --runs 1 --max-procs 32 --timeout 20
 * Max-seconds: 20
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    for (int i = 0; i < 500; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            setpgid(0, 0); /* out of the harness's process group */
            for (;;) pause();
        }
        if (pid < 0) break;
    }
    for (;;) pause();
}
