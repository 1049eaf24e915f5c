/* rt_read.h - read what the lab runtime left behind (see rt/racelab_rt.c):
 * its record log (driver checks, forbidden calls, thread bounds) and its
 * thread table (who was blocked where, who was still alive at exit). */
#ifndef RACELAB_RT_READ_H
#define RACELAB_RT_READ_H

#include "finding.h"
#include "rt_state.h"

/* Turns each "kind\tfile\tline\tmessage" record of the log into a finding.
 * A missing file is not an error.  Returns findings added, or -1. */
int rt_read_log(const char *path, struct finding_list *out);

/* Loads the thread table; 0, or -1 if absent or not a racelab table. */
int rt_read_state(const char *path, struct rl_state *st);

/* Describes every thread that is not finished, one line each, into buf:
 * "worker (created at x.c:20): blocked in pthread_cond_wait(&cv) at x.c:31".
 * Slot 0 (main) is included only when with_main is set.  Returns how many
 * threads were described. */
int rt_describe_threads(const struct rl_state *st, int with_main, char *buf, size_t cap);

/* Adds a finding of the given kind for the unfinished threads of st (none
 * if every thread finished): acc[0] and acc[1] are the first two threads'
 * blocking or creation sites.  Returns 1 if added, 0 if not, -1 on ENOMEM. */
int rt_threads_finding(const struct rl_state *st, const char *kind, const char *headline,
                       int with_main, struct finding_list *out);

#endif
