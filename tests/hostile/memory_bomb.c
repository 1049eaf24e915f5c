/* memory_bomb.c - allocates and touches memory without bound.
 *
 * Can a program that eats memory take the machine down?  The harness sums
 * the resident memory of the process tree and stops the run above
 * --max-rss MB (memory-limit); no address-space limit is used, because
 * TSan reserves terabytes of virtual memory.  As a safety net the program
 * stops at 2 GiB and then blocks.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1
 * Verdict: 1 memory-limit
 * Options: --runs 1 --max-rss 256 --timeout 20
 * Max-seconds: 20
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *volatile kept[128]; /* every block stays reachable (and cannot be optimised away) */

int main(void) {
    for (int i = 0; i < 128; i++) { /* 128 x 16 MiB = 2 GiB */
        kept[i] = malloc(16 << 20);
        if (!kept[i]) break;
        memset(kept[i], i + 1, 16 << 20);
    }
    for (;;) pause();
}
