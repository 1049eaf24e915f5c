/* does_not_compile.c - a file with a syntax error.
 *
 * Can a file that does not build be graded?  No verdict about the program
 * is possible: build-error, exit 2, with the compiler's message.
 *
 * Mode: file
 * Verdict: 2 build-error
 * Options: --runs 1
 */
#include <stdio.h>

int main(void) {
    puts("missing semicolon")
    return 0;
}
