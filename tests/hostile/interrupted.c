/* interrupted.c - Ctrl-C while the checked program hangs.
 *
 * Can interrupting the harness leave the program running?  The program
 * writes its pid to the FIFO it is given, then blocks forever.  Once the
 * test has read that pid it sends SIGINT to the harness's process group,
 * as a terminal's Ctrl-C does (the program itself runs in a group of its
 * own, so only the harness gets it).  The harness must kill and reap the
 * whole run and exit 130; nothing may be left.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 130
 * Name: ctrl-c
 * Args: @FIFO@
 * Options: --runs 5 --timeout 60
 * Interrupt: yes
 * Max-seconds: 30
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *sleeper(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    int fd = open(argv[1], O_WRONLY);
    if (fd < 0) return 2;
    dprintf(fd, "%d\n", (int)getpid());
    close(fd);
    for (;;) pause();
}
