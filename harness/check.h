/* check.h - run a program several times and decide, with stated confidence.
 *
 * One check = up to `runs` runs of one built program.  Each run gets a fresh
 * TSan log prefix, runtime log and thread table, and its own perturbation
 * seed (seed + run index).  Findings from TSan reports, the runtime's
 * records, the thread table and the exit status are merged across runs
 * (the same kind at the same lines counts once, with the number of runs it
 * appeared in).  A check stops as soon as its verdict is known.
 */
#ifndef RACELAB_CHECK_H
#define RACELAB_CHECK_H

#include <stdint.h>

#include "finding.h"
#include "run_child.h"

enum check_goal {
    GOAL_CLEAN,  /* must show no finding in `runs` runs: stop at the first finding */
    GOAL_CATCH,  /* must show every expected kind: stop when all are seen */
};

#define CHECK_MAX_EXPECT 8

struct check_opts {
    char *const *argv;       /* the built program and its arguments */
    enum check_goal goal;
    int runs;                /* clean: runs needed; catch: most runs to try */
    const char *expect[CHECK_MAX_EXPECT];
    int nexpect;
    uint64_t seed;           /* first run's seed; run i uses seed + i */
    int perturb;             /* 1: perturb the schedule (lab programs) */
    struct run_limits limits;
    const char *forbid, *checked_file;
    int max_threads;
    int require_main_return; /* lab programs: ending before main returned is a finding */
    int keep_logs;           /* keep the run directory (its path is printed) */
};

enum check_verdict {
    VERDICT_CLEAN = 0,       /* no finding in every run made */
    VERDICT_FINDINGS = 1,    /* at least one finding */
    VERDICT_SETUP = 2,       /* the tool could not give a verdict */
    VERDICT_INTERRUPTED = 3,
};

struct check_result {
    enum check_verdict verdict;
    int runs_done, runs_with_findings;
    struct finding_list findings;
    uint64_t failing_seed;   /* seed of the first run with a finding */
    int failing_run;         /* 0 when none */
    double wall_s;
    int peak_threads;        /* highest live thread count seen (runtime or /proc) */
    char notes[1024];        /* what the harness did on its own (no ASLR, ...) */
    char logdir[256];        /* kept run directory, if keep_logs */
};

/* Runs the check.  Returns 0 (see res->verdict), or -1 on a harness failure
 * (no temp dir, no memory).  Free res with check_result_free. */
int check_run(const struct check_opts *o, struct check_result *res);

/* Appends a line to res->notes (once): what the harness did on its own. */
void check_note(struct check_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Frees what check_run allocated. */
void check_result_free(struct check_result *res);

/* True (1) when every expected kind of o appears in res. */
int check_expected_seen(const struct check_opts *o, const struct check_result *res);

/* The Wilson lower bound (one-sided 95%) of a catch rate caught/runs. */
double check_rate_lower(int caught, int runs);

/* Clean runs needed so that a bug caught with per-run probability p would
 * have shown at least once with the given confidence (e.g. 0.99). */
int check_runs_needed(double p, double confidence);

/* The per-run catch rate that N clean runs rule out at that confidence. */
double check_rate_ruled_out(int runs, double confidence);

#endif
