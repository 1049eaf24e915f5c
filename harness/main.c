/* main.c - racelab's command-line front.
 *
 *   racelab list                      the labs in teaching order
 *   racelab verify [-j N] [--json F] [--junit F]
 *                                     every pair: buggy caught, fixes clean
 *   racelab pair-side LAB VARIANT     one side of a pair (what ctest runs)
 *   racelab check LAB [FILE]          a learner's version of a lab
 *   racelab run [OPTIONS] -- PROGRAM [ARGS]   any TSan-built program
 *   racelab file [OPTIONS] FILE.c [-- ARGS]   one C file, built with the lab flags
 *   racelab grade [LAB...]            points per lab of a learner's work (check --all)
 *   racelab tampered LAB [FILE]       was the lab's driver edited, or reached into?
 *
 * Exit codes (one table, also in the README):
 *   0  clean / the pair holds        1  findings / the pair does not hold
 *   2  usage or setup error (does not build for `file`, not instrumented,
 *      detector failed, unknown lab)  130 interrupted
 * Only main exits; everything below returns.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "lab.h"
#include "output.h"
#include "racelab_config.h"
#include "run_child.h"
#include "tsan_env.h"



void usage(FILE *out) {
    fputs("usage: racelab list\n"
          "       racelab verify [-j N] [--json FILE] [--junit FILE]\n"
          "       racelab pair-side LAB VARIANT\n"
          "       racelab check LAB [FILE] [OPTIONS]\n"
          "       racelab run [OPTIONS] -- PROGRAM [ARGS...]\n"
          "       racelab file [OPTIONS] FILE.c [-- ARGS...]\n"
          "       racelab grade [LAB...] [--json FILE] [--junit FILE]   (points for a learner's work)\n"
          "       racelab tampered LAB [FILE]\n"
          "options: --runs N  --timeout S  --seed S  --json FILE  --junit FILE  --raw  --keep-logs\n"
          "         --expect KINDS (run/file: keep running until every kind has shown)\n"
          "         --max-threads N  --max-rss MB  --max-procs N  --max-output BYTES  -j N  --quiet\n"
          "exit: 0 clean, 1 findings, 2 usage or setup error, 130 interrupted\n",
          out);
}

static int parse_cli(int argc, char **argv, struct cli *c) {
    static const struct option opts[] = {
        {"runs", 1, 0, 'r'},        {"timeout", 1, 0, 't'},    {"seed", 1, 0, 's'},
        {"json", 1, 0, 'J'},        {"junit", 1, 0, 'U'},      {"raw", 0, 0, 'R'},
        {"keep-logs", 0, 0, 'k'},   {"max-threads", 1, 0, 'T'}, {"max-rss", 1, 0, 'M'},
        {"max-procs", 1, 0, 'P'},   {"max-output", 1, 0, 'O'}, {"jobs", 1, 0, 'j'},
        {"quiet", 0, 0, 'q'},       {"help", 0, 0, 'h'},       {"expect", 1, 0, 'E'},
        {0, 0, 0, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "+j:qh", opts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'r': c->runs = (int)strtol(optarg, &end, 10); if (*end || c->runs < 1) return -1; break;
        case 't': c->timeout_s = strtod(optarg, &end); if (*end || c->timeout_s <= 0) return -1; break;
        case 's': c->seed = strtoull(optarg, &end, 10); c->seed_given = 1; if (*end) return -1; break;
        case 'J': c->json = optarg; break;
        case 'U': c->junit = optarg; break;
        case 'R': c->raw = 1; break;
        case 'k': c->keep = 1; break;
        case 'T': c->limits.max_threads = atoi(optarg); if (c->limits.max_threads < 1) return -1; break;
        case 'M': c->limits.max_rss_mb = atol(optarg); if (c->limits.max_rss_mb < 1) return -1; break;
        case 'P': c->limits.max_procs = atoi(optarg); if (c->limits.max_procs < 1) return -1; break;
        case 'O': c->limits.max_output = (size_t)atol(optarg); if (!c->limits.max_output) return -1; break;
        case 'j': c->jobs = atoi(optarg); if (c->jobs < 1) return -1; break;
        case 'q': c->quiet = 1; break;
        case 'E': c->expect = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    return optind;
}

void copy_expect(struct check_opts *o, char expect[][32], int n) {
    o->nexpect = 0;
    for (int i = 0; i < n && i < CHECK_MAX_EXPECT; i++) o->expect[o->nexpect++] = expect[i];
}

/* Runs for a catch (buggy) check and a clean check, from the lab's catch rate. */
int catch_runs(const struct lab_info *li) {
    if (li->rate_runs <= 0) return 20;
    int n = check_runs_needed(check_rate_lower(li->caught, li->rate_runs), 0.999);
    return n < 5 ? 5 : (n > 100 ? 100 : n);
}

/* Never fewer than CLEAN_RUNS_MIN: the formula guards against a bug as
 * catchable as the original; a learner's half-fix can be rarer than that. */
#define CLEAN_RUNS_MIN 5
int clean_runs(const struct lab_info *li) {
    if (li->rate_runs <= 0) return 10;
    int n = check_runs_needed(check_rate_lower(li->caught, li->rate_runs), 0.99);
    return n < CLEAN_RUNS_MIN ? CLEAN_RUNS_MIN : n;
}

uint64_t default_seed(const struct cli *c) {
    if (c->seed_given) return c->seed;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16)) % 1000000000ull;
}

int write_json(const char *path, const struct output_case *cases, int n, const char *extra) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "racelab: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("{", f);
    if (extra) fputs(extra, f);
    fputs("\"results\":[", f);
    for (int i = 0; i < n; i++) {
        if (i) fputs(",\n", f);
        output_json_case(f, &cases[i]);
    }
    fputs("]}\n", f);
    return fclose(f);
}

int write_junit(const char *path, const char *suite, const struct output_case *cases, int n) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "racelab: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    output_junit(f, suite, cases, n);
    return fclose(f);
}

/* The distinct finding kinds of a result, space-separated. */
void kinds_of(const struct check_result *r, char *buf, size_t cap) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->findings.len; i++) {
        const char *k = r->findings.items[i].kind;
        int dup = 0;
        for (size_t j = 0; j < i; j++) dup |= strcmp(r->findings.items[j].kind, k) == 0;
        if (dup) continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used ? " " : "", k);
        if (n < 0 || (size_t)n >= cap - used) break;
        used += (size_t)n;
    }
}

/* Says what a result means, in one line, and whether it holds. */
int summarise(const struct check_opts *o, const struct check_result *r, double p, char *buf, size_t cap) {
    char kinds[256];
    kinds_of(r, kinds, sizeof kinds);
    if (r->verdict == VERDICT_INTERRUPTED) {
        snprintf(buf, cap, "interrupted after %d run%s", r->runs_done, r->runs_done == 1 ? "" : "s");
        return 0;
    }
    if (r->verdict == VERDICT_SETUP) {
        snprintf(buf, cap, "no verdict: %s (%s)", kinds,
                 r->findings.len && r->findings.items[0].message ? r->findings.items[0].message : "");
        return 0;
    }
    if (o->goal == GOAL_CATCH) {
        int ok = check_expected_seen(o, r);
        char want[256] = "";
        for (int i = 0; i < o->nexpect; i++) {
            strncat(want, i ? " " : "", sizeof want - strlen(want) - 1);
            strncat(want, o->expect[i], sizeof want - strlen(want) - 1);
        }
        if (ok)
            snprintf(buf, cap, "caught: %s in %d run%s (expected %s)", kinds, r->runs_done,
                     r->runs_done == 1 ? "" : "s", want);
        else
            snprintf(buf, cap, "NOT caught as expected: wanted %s, got %s in %d runs", want,
                     kinds[0] ? kinds : "nothing", r->runs_done);
        return ok;
    }
    if (r->verdict == VERDICT_FINDINGS) {
        snprintf(buf, cap, "%s (run %d of %d, seed %" PRIu64 ")", kinds, r->failing_run, r->runs_done,
                 r->failing_seed);
        return 0;
    }
    if (p > 0)
        snprintf(buf, cap,
                 "clean: no finding in %d runs: 99%% confidence for a bug as catchable as the original "
                 "(caught in %.0f%% of runs, lower bound)",
                 r->runs_done, p * 100);
    else
        snprintf(buf, cap,
                 "clean: no finding in %d run%s: 99%% confidence of seeing any bug that shows in at least "
                 "%.0f%% of runs",
                 r->runs_done, r->runs_done == 1 ? "" : "s", check_rate_ruled_out(r->runs_done, 0.99) * 100);
    return 1;
}

struct check_opts base_opts(const struct cli *c) {
    struct check_opts o;
    memset(&o, 0, sizeof o);
    o.limits = c->limits;
    if (c->timeout_s > 0) o.limits.timeout_s = c->timeout_s;
    o.seed = default_seed(c);
    o.keep_logs = c->keep;
    return o;
}

/* Fills opts for one side of a lab pair; the program and its source file. */
int pair_opts(const struct cli *c, const struct lab_info *li, const char *variant, struct check_opts *o,
                     char *bin, size_t bincap, char *src, size_t srccap, char (*expect)[32], double *p) {
    *o = base_opts(c);
    if (c->timeout_s <= 0) o->limits.timeout_s = li->timeout_s;
    o->perturb = 1;
    o->require_main_return = 1;
    o->forbid = li->forbid;
    o->max_threads = li->max_threads;
    *p = li->rate_runs > 0 ? check_rate_lower(li->caught, li->rate_runs) : -1;
    snprintf(bin, bincap, "%s/labs/%s/%s", RACELAB_BINARY_DIR, li->name, variant);
    if (strcmp(variant, "buggy") == 0) {
        snprintf(src, srccap, "%s/%s.c", li->dir, li->name);
        o->goal = GOAL_CATCH;
        o->runs = c->runs ? c->runs : catch_runs(li);
        copy_expect(o, (char(*)[32])li->expect, li->nexpect);
    } else if (strncmp(variant, "wrong_", 6) == 0) {
        snprintf(src, srccap, "%s/tests/wrong_fixes/%s/%s.c", RACELAB_SOURCE_DIR, li->name, variant + 6);
        if (access(src, R_OK) != 0) /* a patch: its Expect line is in its preamble */
            snprintf(src, srccap, "%s/tests/wrong_fixes/%s/%s.patch", RACELAB_SOURCE_DIR, li->name, variant + 6);
        int n = lab_header_expect(src, expect, LAB_MAX_EXPECT);
        if (n <= 0) {
            fprintf(stderr, "racelab: %s has no \" * Expect:\" line\n", src);
            return -1;
        }
        o->goal = GOAL_CATCH;
        o->runs = c->runs ? c->runs : catch_runs(li);
        copy_expect(o, expect, n);
    } else if (strncmp(variant, "fixed", 5) == 0) {
        snprintf(src, srccap, "%s/solutions/%s/%s%s.c", RACELAB_SOURCE_DIR, li->name, li->name, variant + 5);
        o->goal = GOAL_CLEAN;
        o->runs = c->runs ? c->runs : clean_runs(li);
    } else {
        fprintf(stderr, "racelab: unknown variant '%s' (buggy, fixed, fixed_<alt>, wrong_<name>)\n", variant);
        return -1;
    }
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "racelab: %s is not built: run ./scripts/lab build\n", bin);
        return -1;
    }
    static char checked[128]; /* the program's own file name (a patch builds <stem>.c) */
    const char *base = strrchr(src, '/');
    snprintf(checked, sizeof checked, "%s", base ? base + 1 : src);
    char *dot = strrchr(checked, '.');
    if (dot && strcmp(dot, ".patch") == 0) snprintf(dot, sizeof checked - (size_t)(dot - checked), ".c");
    o->checked_file = checked;
    return 0;
}

/* One side of one pair: returns 1 if it holds, 0 if not, -1 on setup error. */
int run_pair_side(const struct cli *c, const char *lab, const char *variant, struct check_result *res,
                         char *summary, size_t cap, double *p_out, struct check_opts *o_out) {
    static struct lab_info li; /* o_out points into these after we return */
    static char expect[LAB_MAX_EXPECT][32];
    char err[1024], bin[700], src[700];
    if (lab_load(lab, &li, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: %s\n", err);
        return -1;
    }
    static char bin_keep[700];
    double p;
    if (pair_opts(c, &li, variant, o_out, bin, sizeof bin, src, sizeof src, expect, &p) != 0) return -1;
    snprintf(bin_keep, sizeof bin_keep, "%s", bin);
    char *argv[] = {bin_keep, NULL};
    o_out->argv = argv;
    if (check_built(o_out, res) != 0) {
        fprintf(stderr, "racelab: harness failure: %s\n", strerror(errno));
        return -1;
    }
    o_out->argv = NULL;
    *p_out = p;
    int holds = summarise(o_out, res, p, summary, cap);
    return res->verdict == VERDICT_SETUP ? -1 : holds;
}

static int cmd_pair_side(struct cli *c, int argc, char **argv) {
    if (argc != 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct lab_info li;
    char err[1024], bin[700], src[700], expect[LAB_MAX_EXPECT][32], summary[1024];
    if (lab_load(argv[0], &li, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: %s\n", err);
        return EXIT_USAGE;
    }
    struct check_opts o;
    double p;
    if (pair_opts(c, &li, argv[1], &o, bin, sizeof bin, src, sizeof src, expect, &p) != 0) return EXIT_USAGE;
    char *pargv[] = {bin, NULL};
    o.argv = pargv;
    struct check_result res;
    if (check_built(&o, &res) != 0) {
        fprintf(stderr, "racelab: harness failure: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    int holds = summarise(&o, &res, p, summary, sizeof summary);
    printf("%s/%s: %s\n", argv[0], argv[1], summary);
    struct output_case oc = {argv[0], argv[1], bin, &o, &res, holds, p, summary};
    if (!holds || c->raw) output_human(stdout, &oc, c->raw, 0);
    if (c->json) write_json(c->json, &oc, 1, NULL);
    if (c->junit) write_junit(c->junit, argv[0], &oc, 1);
    int rc = res.verdict == VERDICT_INTERRUPTED ? EXIT_INTERRUPTED
             : res.verdict == VERDICT_SETUP    ? EXIT_USAGE
             : holds                           ? EXIT_CLEAN
                                               : EXIT_FINDINGS;
    check_result_free(&res);
    return rc;
}

static int cmd_list(void) {
    char labs[LAB_MAX][64];
    int n = lab_registry(labs, LAB_MAX);
    if (n < 0) {
        fprintf(stderr, "racelab: cannot read the lab registry\n");
        return EXIT_USAGE;
    }
    for (int i = 0; i < n; i++) {
        struct lab_info li;
        char err[512], work[700], expect[256] = "";
        if (lab_load(labs[i], &li, err, sizeof err) != 0) {
            printf("%2d. %-18s (broken: %s)\n", i + 1, labs[i], err);
            continue;
        }
        for (int k = 0; k < li.nexpect; k++) {
            strncat(expect, k ? " " : "", sizeof expect - strlen(expect) - 1);
            strncat(expect, li.expect[k], sizeof expect - strlen(expect) - 1);
        }
        lab_work_path(labs[i], work, sizeof work);
        printf("%2d. %-18s caught as: %-28s %s\n", i + 1, labs[i], expect,
               access(work, R_OK) == 0 ? "(started)" : "");
    }
    return EXIT_CLEAN;
}

/* Builds a learner's file or a single file into out_bin; prints errors. */
int build_or_report(const struct lab_info *li, const char *src, const char *out_bin,
                           struct check_result *res) {
    char *log = NULL;
    int rc = lab_build(li, src, out_bin, &log);
    if (rc != 0) {
        struct finding *f = finding_add(&res->findings, rc > 0 ? "build-error" : "tool-error");
        if (f) {
            finding_set(&f->message, rc > 0 ? "the program does not compile" : (log ? log : "cannot build"));
            finding_set(&f->raw, log);
        }
        res->verdict = VERDICT_SETUP;
    }
    free(log);
    return rc;
}

int mkdirs(const char *path) {
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    return mkdir(tmp, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int finish_single(struct cli *c, struct output_case *oc, int setup_is_findings) {
    const struct check_result *res = oc->res;
    int color = isatty(1) && !getenv("NO_COLOR");
    printf("%s: %s\n", oc->name, oc->summary);
    output_human(stdout, oc, c->raw, color);
    if (res->logdir[0]) printf("logs kept in %s\n", res->logdir);
    if (c->json && write_json(c->json, oc, 1, NULL) != 0) return EXIT_USAGE;
    if (c->junit && write_junit(c->junit, oc->suite, oc, 1) != 0) return EXIT_USAGE;
    if (res->verdict == VERDICT_INTERRUPTED) return EXIT_INTERRUPTED;
    if (res->verdict == VERDICT_SETUP) return setup_is_findings ? EXIT_FINDINGS : EXIT_USAGE;
    return oc->passed ? EXIT_CLEAN : EXIT_FINDINGS;
}

static int cmd_check(struct cli *c, int argc, char **argv) {
    if (argc < 1 || argc > 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct lab_info li;
    char err[1024], src[700], bin[800], dir[700], summary[1024];
    if (lab_load(argv[0], &li, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: %s\n", err);
        return EXIT_USAGE;
    }
    if (argc == 2)
        snprintf(src, sizeof src, "%s", argv[1]);
    else
        lab_work_path(li.name, src, sizeof src);
    if (access(src, R_OK) != 0) {
        fprintf(stderr, "racelab: no file %s: %s%s%s\n", src, strerror(errno),
                argc == 1 ? "; start the lab first: ./scripts/lab start " : "", argc == 1 ? li.name : "");
        return EXIT_USAGE;
    }
    snprintf(dir, sizeof dir, "%s/check/%s", RACELAB_BINARY_DIR, li.name);
    if (mkdirs(dir) != 0) {
        fprintf(stderr, "racelab: cannot create %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    snprintf(bin, sizeof bin, "%s/learner.%d", dir, (int)getpid()); /* concurrent checks must not share it */
    struct check_opts o = learner_opts(c, &li, src);
    double p = li.rate_runs > 0 ? check_rate_lower(li.caught, li.rate_runs) : -1;
    struct check_result res;
    memset(&res, 0, sizeof res);
    struct output_case oc = {li.name, "learner", src, &o, &res, 0, p, summary};
    if (lab_scan_source(src, &res.findings) > 0) {
        res.verdict = VERDICT_FINDINGS;
        snprintf(summary, sizeof summary, "not graded: the file hides code from the detector");
    } else if (build_or_report(&li, src, bin, &res) != 0) {
        snprintf(summary, sizeof summary, "does not build: %s",
                 res.findings.len && res.findings.items[0].message ? res.findings.items[0].message : "");
        if (res.findings.len && res.findings.items[0].raw) fprintf(stdout, "%s\n", res.findings.items[0].raw);
    } else {
        char *pargv[] = {bin, NULL};
        o.argv = pargv;
        if (check_built(&o, &res) != 0) {
            fprintf(stderr, "racelab: harness failure: %s\n", strerror(errno));
            return EXIT_USAGE;
        }
        oc.passed = summarise(&o, &res, p, summary, sizeof summary);
        o.argv = NULL;
    }
    char title[800];
    snprintf(title, sizeof title, "%s (%s)", li.name, src);
    oc.name = title;
    int rc = finish_single(c, &oc, 1);
    check_result_free(&res);
    unlink(bin);
    return rc;
}

/* Runs the check of a program whose file facts are known, then adds what
 * the file says (hidden code, compiled-in suppressions): a program with
 * code the detector cannot see is never called clean. */
int run_known(struct check_opts *o, const struct bin_facts *bf, struct finding_list *hidden,
                     struct check_result *res) {
    if (check_run(o, res) != 0) return -1;
    if (bf->own_suppressions) {
        struct finding *f = finding_add(&res->findings, "suppressed");
        if (f)
            finding_set(&f->message, "the program compiles in its own suppressions (__tsan_default_suppressions): "
                                     "reports can be hidden, so racelab does not call it clean");
    }
    finding_list_take(&res->findings, hidden);
    if (res->verdict == VERDICT_CLEAN && res->findings.len)
        res->verdict = finding_list_has(&res->findings, "suppressed") ? VERDICT_FINDINGS : VERDICT_SETUP;
    if (bf->own_options)
        check_note(res, "the program compiles in its own TSan options (__tsan_default_options): the harness's "
                      "options override every one that could hide a report");
    if (bf->scan_note[0]) check_note(res, "%s", bf->scan_note);
    if (!bf->has_debug && res->findings.len)
        check_note(res, "the program has no debug info: reports can name functions but not lines (build with -g)");
    if (bf->links_cmocka && (finding_list_has(&res->findings, "crash") || finding_list_has(&res->findings, "timeout")))
        check_note(res, "the program uses cmocka, whose assertions are not thread-safe: a failing assert_*() in a "
                      "worker thread jumps into the test thread's stack (a crash, a hang or exit 255); assert "
                      "only in the test's own thread, after pthread_join");
    return 0;
}

/* How a learner's file of a lab is checked: clean in N runs, with the lab's
 * oracles (forbidden calls counted in src only, thread bound, timeout). */
struct check_opts learner_opts(const struct cli *c, const struct lab_info *li, const char *src) {
    struct check_opts o = base_opts(c);
    if (c->timeout_s <= 0) o.limits.timeout_s = li->timeout_s;
    o.goal = GOAL_CLEAN;
    o.perturb = 1;
    o.forbid = li->forbid;
    o.max_threads = li->max_threads;
    o.require_main_return = 1;
    const char *base = strrchr(src, '/');
    o.checked_file = base ? base + 1 : src;
    o.runs = c->runs ? c->runs : clean_runs(li);
    return o;
}

/* Checks a program racelab built itself (a learner's lab file): its file is
 * read first, so code hidden from the detector by a header of the learner's
 * own (no_sanitize, compiled-in suppressions) is found, not called clean. */
int check_built(struct check_opts *o, struct check_result *res) {
    struct bin_facts bf;
    struct finding_list hidden = {0};
    if (binary_facts(o->argv[0], 1, &bf, &hidden) < 0) return -1;
    int rc = run_known(o, &bf, &hidden, res);
    finding_list_free(&hidden);
    return rc;
}

static int cmd_run(struct cli *c, int argc, char **argv, int perturb, const char *name, const char *checked) {
    if (argc < 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char path[1024];
    if (!strchr(argv[0], '/')) {
        fprintf(stderr, "racelab: give the program as a path (./%s)\n", argv[0]);
        return EXIT_USAGE;
    }
    snprintf(path, sizeof path, "%s", argv[0]);
    struct bin_facts bf;
    struct finding_list hidden = {0};
    /* racelab file passes the checked file: its binary carries the lab runtime */
    if (access(path, X_OK) != 0 || binary_facts(path, checked != NULL, &bf, &hidden) < 0) {
        fprintf(stderr, "racelab: cannot run %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    struct check_opts o = base_opts(c);
    o.goal = GOAL_CLEAN;
    o.perturb = perturb;
    o.runs = c->runs ? c->runs : 10;
    /* --expect: a reproducer; run until every named kind has shown (or the
     * runs are used up) instead of stopping at the first finding. */
    static char expect_copy[256];
    if (c->expect) {
        snprintf(expect_copy, sizeof expect_copy, "%s", c->expect);
        o.goal = GOAL_CATCH;
        for (char *tok = strtok(expect_copy, " ,"); tok && o.nexpect < CHECK_MAX_EXPECT; tok = strtok(NULL, " ,"))
            o.expect[o.nexpect++] = tok;
    }
    o.checked_file = checked;
    o.argv = argv;
    struct check_result res;
    memset(&res, 0, sizeof res);
    char summary[1024];
    struct output_case oc = {"racecheck", name, path, &o, &res, 0, -1, summary};
    if (!bf.has_tsan) {
        struct finding *f = finding_add(&res.findings, "not-instrumented");
        if (f)
            finding_set(&f->message, bf.elf ? "the program was not built with -fsanitize=thread: a clean run would mean "
                                              "nothing"
                                            : "not an ELF program (a script?): racelab cannot see whether what it "
                                              "starts is instrumented; give it the TSan-built binary itself");
        res.verdict = VERDICT_SETUP;
        snprintf(summary, sizeof summary, "no verdict: %s is not instrumented (build it with -fsanitize=thread)", path);
    } else if (bf.is_static) {
        struct finding *f = finding_add(&res.findings, "unsupported");
        if (f) finding_set(&f->message, "the program is linked statically: ThreadSanitizer does not support -static (it "
                                         "crashes at start or reports nothing); link dynamically");
        res.verdict = VERDICT_SETUP;
        snprintf(summary, sizeof summary, "no verdict: statically linked");
    } else {
        if (run_known(&o, &bf, &hidden, &res) != 0) {
            fprintf(stderr, "racelab: harness failure: %s\n", strerror(errno));
            finding_list_free(&hidden);
            return EXIT_USAGE;
        }
        oc.passed = summarise(&o, &res, -1, summary, sizeof summary);
        if (o.goal == GOAL_CATCH) oc.passed = res.verdict == VERDICT_CLEAN; /* exit 1 on findings all the same */
    }
    finding_list_free(&hidden);
    int rc = finish_single(c, &oc, 0);
    check_result_free(&res);
    return rc;
}

static int cmd_file(struct cli *c, int argc, char **argv, int nargs, char **args) {
    if (argc != 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (access(argv[0], R_OK) != 0) {
        fprintf(stderr, "racelab: cannot read %s: %s\n", argv[0], strerror(errno));
        return EXIT_USAGE;
    }
    char dir[700], bin[800];
    snprintf(dir, sizeof dir, "%s/check/file", RACELAB_BINARY_DIR);
    if (mkdirs(dir) != 0) {
        fprintf(stderr, "racelab: cannot create %s\n", dir);
        return EXIT_USAGE;
    }
    snprintf(bin, sizeof bin, "%s/prog.%d", dir, (int)getpid());
    struct check_result res;
    memset(&res, 0, sizeof res);
    struct finding_list optouts = {0};
    if (lab_scan_source(argv[0], &optouts) > 0) {
        char summary[256];
        struct check_opts o = base_opts(c);
        snprintf(summary, sizeof summary, "no verdict: the file hides code from the detector");
        res.findings = optouts;
        res.verdict = VERDICT_SETUP;
        struct output_case oc = {"racecheck", argv[0], argv[0], &o, &res, 0, -1, summary};
        int rc = finish_single(c, &oc, 0);
        check_result_free(&res);
        return rc;
    }
    if (build_or_report(NULL, argv[0], bin, &res) != 0) {
        char summary[256];
        struct check_opts o = base_opts(c);
        snprintf(summary, sizeof summary, "no verdict: %s does not build", argv[0]);
        if (res.findings.len && res.findings.items[0].raw) fprintf(stdout, "%s\n", res.findings.items[0].raw);
        struct output_case oc = {"racecheck", argv[0], argv[0], &o, &res, 0, -1, summary};
        int rc = finish_single(c, &oc, 0);
        check_result_free(&res);
        unlink(bin);
        return rc;
    }
    check_result_free(&res);
    const char *base = strrchr(argv[0], '/');
    char **pargv = calloc((size_t)nargs + 2, sizeof *pargv);
    if (!pargv) {
        unlink(bin);
        return EXIT_USAGE;
    }
    pargv[0] = bin;
    for (int i = 0; i < nargs; i++) pargv[i + 1] = args[i];
    int rc = cmd_run(c, nargs + 1, pargv, 1, argv[0], base ? base + 1 : argv[0]);
    free(pargv);
    unlink(bin);
    return rc;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct cli c;
    memset(&c, 0, sizeof c);
    c.limits = run_default_limits();
    const char *cmd = argv[1];
    /* options may come before or after the positional words (not after --) */
    char *pos[64];
    int npos = 0;
    char **rest = NULL;
    int nrest = 0;
    char *opt_argv[128];
    int nopt = 0;
    opt_argv[nopt++] = argv[0];
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            rest = argv + i + 1;
            nrest = argc - i - 1;
            break;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            if (nopt >= 126) return EXIT_USAGE;
            opt_argv[nopt++] = argv[i];
            int takes = strcmp(argv[i], "--raw") && strcmp(argv[i], "--keep-logs") && strcmp(argv[i], "--quiet") &&
                        strcmp(argv[i], "-q") && strcmp(argv[i], "--help") && !strchr(argv[i], '=');
            if (takes && i + 1 < argc) opt_argv[nopt++] = argv[++i];
        } else if (npos < 64) {
            pos[npos++] = argv[i];
        }
    }
    opt_argv[nopt] = NULL;
    if (parse_cli(nopt, opt_argv, &c) < 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    run_setup();
    if (!strcmp(cmd, "list")) return cmd_list();
    if (!strcmp(cmd, "verify")) return cmd_verify(&c, npos, pos);
    if (!strcmp(cmd, "pair-side")) return cmd_pair_side(&c, npos, pos);
    if (!strcmp(cmd, "check")) return cmd_check(&c, npos, pos);
    if (!strcmp(cmd, "file")) return cmd_file(&c, npos, pos, rest ? nrest : 0, rest);
    if (!strcmp(cmd, "grade")) return cmd_grade(&c, npos, pos);
    if (!strcmp(cmd, "tampered")) return cmd_tampered(npos, pos);
    if (!strcmp(cmd, "run")) {
        if (!rest || nrest < 1) {
            fprintf(stderr, "racelab: usage: racelab run [OPTIONS] -- PROGRAM [ARGS...]\n");
            return EXIT_USAGE;
        }
        return cmd_run(&c, nrest, rest, 0, rest[0], NULL);
    }
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    fprintf(stderr, "racelab: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
