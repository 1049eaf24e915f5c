/* kills_harness.c - a program that kills the harness running it.
 *
 * Can a program outlive a harness it killed?  Its direct process cannot:
 * the harness starts it with a parent-death signal (SIGKILL), so it dies
 * with the harness.  racelab itself ends by SIGKILL (exit -9 here), with no
 * verdict, and no process carrying the test's marker is left.  Not covered:
 * processes the program forked before killing the harness (they would be
 * orphaned to init).
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1
 * Verdict: -9
 * Options: --runs 1 --timeout 20
 * Max-seconds: 15
 */
#include <signal.h>
#include <unistd.h>

int main(void) {
    kill(getppid(), SIGKILL);
    for (;;) pause();
}
