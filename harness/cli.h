/* cli.h - what the command-line front's files share: the parsed options,
 * the exit codes, and the helpers every command uses (main.c). */
#ifndef RACELAB_CLI_H
#define RACELAB_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "binary_facts.h"
#include "check.h"
#include "lab.h"
#include "output.h"
#include "run_child.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

struct cli {
    int runs, jobs, raw, keep, color, seed_given, quiet;
    uint64_t seed;
    double timeout_s;
    const char *json, *junit;
    char *expect;            /* --expect KINDS: run/file keep going until all are seen */
    struct run_limits limits;
};

void usage(FILE *out);
void copy_expect(struct check_opts *o, char expect[][32], int n);
int catch_runs(const struct lab_info *li);
int clean_runs(const struct lab_info *li);
uint64_t default_seed(const struct cli *c);
int write_json(const char *path, const struct output_case *cases, int n, const char *extra);
int write_junit(const char *path, const char *suite, const struct output_case *cases, int n);
void kinds_of(const struct check_result *r, char *buf, size_t cap);
int summarise(const struct check_opts *o, const struct check_result *r, double p, char *buf, size_t cap);
struct check_opts base_opts(const struct cli *c);
int pair_opts(const struct cli *c, const struct lab_info *li, const char *variant, struct check_opts *o,
                     char *bin, size_t bincap, char *src, size_t srccap, char (*expect)[32], double *p);
int run_pair_side(const struct cli *c, const char *lab, const char *variant, struct check_result *res,
                         char *summary, size_t cap, double *p_out, struct check_opts *o_out);
int build_or_report(const struct lab_info *li, const char *src, const char *out_bin,
                           struct check_result *res);
int mkdirs(const char *path);
int finish_single(struct cli *c, struct output_case *oc, int setup_is_findings);
int run_known(struct check_opts *o, const struct bin_facts *bf, struct finding_list *hidden,
                     struct check_result *res);

int check_built(struct check_opts *o, struct check_result *res);
struct check_opts learner_opts(const struct cli *c, const struct lab_info *li, const char *src);

/* The commands that live in their own files. */
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_grade(struct cli *c, int argc, char **argv);
int cmd_tampered(int argc, char **argv);

#endif
