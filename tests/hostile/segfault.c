/* segfault.c - a program that dereferences a null pointer.
 *
 * Can a crash read as clean, or as a race?  TSan catches the SIGSEGV, prints
 * its own report and exits; the verdict is crash.
 *
 * Mode: file
 * Verdict: 1 crash
 * Options: --runs 1
 * Absent: data-race
 */
#include <stdio.h>

int *volatile nowhere; /* always NULL */

int main(void) {
    *nowhere = 1;
    puts("unreachable");
    return 0;
}
