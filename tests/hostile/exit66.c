/* exit66.c - a program that exits 66 by itself, with no report.
 *
 * Can a program pass itself off as a TSan finding?  66 is the status TSan
 * uses for a report, but no report was written: the verdict is crash (an
 * error status), never data-race.
 *
 * Mode: file
 * Verdict: 1 crash
 * Options: --runs 1
 * Absent: data-race
 * Where: crash 66
 */
#include <stdlib.h>

int main(void) { exit(66); }
