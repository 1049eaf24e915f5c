/* tsan_env.h - the environment a checked program runs in.
 *
 * The harness owns TSAN_OPTIONS: an inherited value (exitcode=0,
 * report_thread_leaks=0, a suppressions file...) could switch the detector
 * off, so it is replaced, never appended to, and the caller is told what was
 * dropped.  Every option that could hide a report (report_bugs, exitcode,
 * suppressions...) is set explicitly, so options compiled into the program
 * (__tsan_default_options) cannot switch the detector off either.  It
 * always names an absolute symbolizer (or says none exists), because a
 * runtime that cannot find one prints reports without a line.
 */
#ifndef RACELAB_TSAN_ENV_H
#define RACELAB_TSAN_ENV_H

#include <stddef.h>
#include <stdint.h>

struct tsan_env_opts {
    const char *log_prefix;   /* TSan log_path: reports go to <prefix>.<pid> */
    const char *rt_log;       /* RACELAB_RT_LOG */
    const char *rt_state;     /* RACELAB_RT_STATE */
    int perturb;              /* set RACELAB_SEED to seed */
    uint64_t seed;
    const char *forbid;       /* RACELAB_FORBID, NULL for none */
    const char *checked_file; /* RACELAB_CHECKED_FILE, NULL for any */
    int max_threads;          /* RACELAB_MAX_THREADS, 0 for none */
    int thread_cap;           /* RACELAB_THREAD_CAP, 0 for the runtime's default */
};

/* Builds a NULL-terminated environment (inherited, minus TSAN_OPTIONS and
 * RACELAB_*, plus ours).  Free with tsan_env_free.  NULL on ENOMEM. */
char **tsan_env_build(const struct tsan_env_opts *o);

/* Frees an environment from tsan_env_build. */
void tsan_env_free(char **env);

/* The TSAN_OPTIONS value the harness would set for this log prefix. */
int tsan_options_format(char *buf, size_t cap, const char *log_prefix);

/* An absolute path to an llvm-symbolizer that exists, or NULL. */
const char *tsan_symbolizer(void);

/* A RACELAB_SYMBOLIZER value that is not an executable llvm-symbolizer or
 * addr2line (and so was replaced by one found here), or NULL. */
const char *tsan_symbolizer_rejected(void);

/* The inherited TSAN_OPTIONS the harness ignores, or NULL if none. */
const char *tsan_inherited_options(void);

/* vm.mmap_rnd_bits, or -1 when unreadable. */
int tsan_mmap_rnd_bits(void);

/* True (1) when children should run without ASLR: the kernel's mmap
 * randomisation is above what older TSan runtimes accept (28 bits). */
int tsan_needs_no_aslr(void);

#endif
