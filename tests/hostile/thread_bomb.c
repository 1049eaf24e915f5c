/* thread_bomb.c - one new thread per loop turn, none ever ends.
 *
 * Can a program that starts threads without bound exhaust the machine?  The
 * harness counts the live threads of the whole process tree and stops the
 * run above --max-threads (too-many-threads).  As a safety net the program
 * itself stops creating at 5000 and then blocks.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 1 too-many-threads
 * Options: --runs 1 --max-threads 64 --timeout 20
 * Max-seconds: 20
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *idle(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

int main(void) {
    for (int i = 0; i < 5000; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, idle, NULL) != 0) break;
    }
    for (;;) pause();
}
