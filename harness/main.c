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
#include "lab.h"
#include "output.h"
#include "racelab_config.h"
#include "run_child.h"
#include "tsan_env.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

struct cli {
    int runs, jobs, raw, keep, color, seed_given, quiet;
    uint64_t seed;
    double timeout_s;
    const char *json, *junit;
    struct run_limits limits;
};

static void usage(FILE *out) {
    fputs("usage: racelab list\n"
          "       racelab verify [-j N] [--json FILE] [--junit FILE]\n"
          "       racelab pair-side LAB VARIANT\n"
          "       racelab check LAB [FILE] [OPTIONS]\n"
          "       racelab run [OPTIONS] -- PROGRAM [ARGS...]\n"
          "       racelab file [OPTIONS] FILE.c [-- ARGS...]\n"
          "       racelab grade [LAB...] [--json FILE] [--junit FILE]   (points for a learner's work)\n"
          "       racelab tampered LAB [FILE]\n"
          "options: --runs N  --timeout S  --seed S  --json FILE  --junit FILE  --raw  --keep-logs\n"
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
        {"quiet", 0, 0, 'q'},       {"help", 0, 0, 'h'},       {0, 0, 0, 0}};
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
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    return optind;
}

static void copy_expect(struct check_opts *o, char expect[][32], int n) {
    o->nexpect = 0;
    for (int i = 0; i < n && i < CHECK_MAX_EXPECT; i++) o->expect[o->nexpect++] = expect[i];
}

/* Runs for a catch (buggy) check and a clean check, from the lab's catch rate. */
static int catch_runs(const struct lab_info *li) {
    if (li->rate_runs <= 0) return 20;
    int n = check_runs_needed(check_rate_lower(li->caught, li->rate_runs), 0.999);
    return n < 5 ? 5 : (n > 100 ? 100 : n);
}

/* Never fewer than CLEAN_RUNS_MIN: the formula guards against a bug as
 * catchable as the original; a learner's half-fix can be rarer than that. */
#define CLEAN_RUNS_MIN 5
static int clean_runs(const struct lab_info *li) {
    if (li->rate_runs <= 0) return 10;
    int n = check_runs_needed(check_rate_lower(li->caught, li->rate_runs), 0.99);
    return n < CLEAN_RUNS_MIN ? CLEAN_RUNS_MIN : n;
}

static uint64_t default_seed(const struct cli *c) {
    if (c->seed_given) return c->seed;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16)) % 1000000000ull;
}

static int write_json(const char *path, const struct output_case *cases, int n, const char *extra) {
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

static int write_junit(const char *path, const char *suite, const struct output_case *cases, int n) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "racelab: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    output_junit(f, suite, cases, n);
    return fclose(f);
}

/* The distinct finding kinds of a result, space-separated. */
static void kinds_of(const struct check_result *r, char *buf, size_t cap) {
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
static int summarise(const struct check_opts *o, const struct check_result *r, double p, char *buf, size_t cap) {
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

static struct check_opts base_opts(const struct cli *c) {
    struct check_opts o;
    memset(&o, 0, sizeof o);
    o.limits = c->limits;
    if (c->timeout_s > 0) o.limits.timeout_s = c->timeout_s;
    o.seed = default_seed(c);
    o.keep_logs = c->keep;
    return o;
}

/* Fills opts for one side of a lab pair; the program and its source file. */
static int pair_opts(const struct cli *c, const struct lab_info *li, const char *variant, struct check_opts *o,
                     char *bin, size_t bincap, char *src, size_t srccap, char (*expect)[32], double *p) {
    *o = base_opts(c);
    if (c->timeout_s <= 0) o->limits.timeout_s = li->timeout_s;
    o->perturb = 1;
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
    const char *base = strrchr(src, '/');
    o->checked_file = base ? base + 1 : src;
    return 0;
}

/* One side of one pair: returns 1 if it holds, 0 if not, -1 on setup error. */
static int run_pair_side(const struct cli *c, const char *lab, const char *variant, struct check_result *res,
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
    if (check_run(o_out, res) != 0) {
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
    if (check_run(&o, &res) != 0) {
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

/* The variants of a lab that verify checks: buggy, then each solution. */
static int lab_variants(const char *lab, char variants[][64], int max) {
    int n = 0;
    snprintf(variants[n++], 64, "buggy");
    char dir[700];
    snprintf(dir, sizeof dir, "%s/labs/%s", RACELAB_BINARY_DIR, lab);
    const char *extra[] = {"fixed"};
    snprintf(variants[n++], 64, "%s", extra[0]);
    char sol_dir[700];
    snprintf(sol_dir, sizeof sol_dir, "%s/solutions/%s", RACELAB_SOURCE_DIR, lab);
    char cmd[1024];
    /* alternatives: solutions/<lab>/<lab>_<alt>.c */
    FILE *ls;
    snprintf(cmd, sizeof cmd, "ls -1 '%s' 2>/dev/null", sol_dir);
    if ((ls = popen(cmd, "r"))) {
        char line[256];
        size_t ll = strlen(lab);
        while (fgets(line, sizeof line, ls) && n < max) {
            line[strcspn(line, "\n")] = '\0';
            size_t len = strlen(line);
            if (len > ll + 3 && strncmp(line, lab, ll) == 0 && line[ll] == '_' && strcmp(line + len - 2, ".c") == 0) {
                line[len - 2] = '\0';
                snprintf(variants[n++], 64, "fixed%s", line + ll);
            }
        }
        pclose(ls);
    }
    return n;
}

struct job {
    char lab[64], variant[64];
    pid_t pid;
    char result_path[300], json_path[300];
    int done, holds, runs;
    double wall;
    char summary[1024];
};

/* Verify worker: runs one side, writes "holds\truns\twall\tsummary" and JSON. */
static void verify_worker(struct cli *c, struct job *j) {
    run_setup();
    struct check_result res;
    struct check_opts o;
    double p;
    char summary[1024];
    int holds = run_pair_side(c, j->lab, j->variant, &res, summary, sizeof summary, &p, &o);
    FILE *f = fopen(j->result_path, "w");
    if (f) {
        if (holds < 0 && res.runs_done == 0) snprintf(summary, sizeof summary, "setup error (see above)");
        fprintf(f, "%d\t%d\t%.3f\t%s\n", holds, holds < 0 && !res.runs_done ? 0 : res.runs_done,
                holds < 0 && !res.runs_done ? 0.0 : res.wall_s, summary);
        fclose(f);
    }
    if (holds >= 0 || res.runs_done) {
        FILE *jf = fopen(j->json_path, "w");
        if (jf) {
            char name[140];
            snprintf(name, sizeof name, "%s", j->variant);
            struct output_case oc = {j->lab, name, j->variant, &o, &res, holds > 0, p, summary};
            output_json_case(jf, &oc);
            fclose(jf);
        }
        if (holds == 0 && !c->quiet) {
            struct output_case oc = {j->lab, j->variant, j->variant, &o, &res, 0, p, summary};
            char hdr[200];
            snprintf(hdr, sizeof hdr, "\n--- %s/%s did not hold:", j->lab, j->variant);
            fprintf(stderr, "%s\n", hdr);
            output_human(stderr, &oc, 0, 0);
        }
        check_result_free(&res);
    }
    _exit(holds < 0 ? 2 : (holds ? 0 : 1));
}

static int cmd_verify(struct cli *c, int argc, char **argv) {
    (void)argv;
    if (argc != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char labs[LAB_MAX][64];
    int nlabs = lab_registry(labs, LAB_MAX);
    if (nlabs <= 0) {
        fprintf(stderr, "racelab: no labs in %s/labs/labs.txt\n", RACELAB_SOURCE_DIR);
        return EXIT_USAGE;
    }
    static struct job jobs[LAB_MAX * 6];
    int njobs = 0;
    for (int i = 0; i < nlabs; i++) {
        char variants[6][64];
        int nv = lab_variants(labs[i], variants, 6);
        for (int v = 0; v < nv; v++) {
            struct job *j = &jobs[njobs++];
            memset(j, 0, sizeof *j);
            snprintf(j->lab, sizeof j->lab, "%s", labs[i]);
            snprintf(j->variant, sizeof j->variant, "%s", variants[v]);
        }
    }
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/racelab-verify.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "racelab: cannot make a temporary directory: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    int jobs_max = c->jobs ? c->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs_max < 1) jobs_max = 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    printf("%-18s %-16s %-6s %5s %7s  %s\n", "lab", "program", "holds", "runs", "time", "verdict");
    int next = 0, running = 0, printed = 0, failed = 0, setup = 0;
    while (printed < njobs) {
        while (running < jobs_max && next < njobs && !run_interrupted()) {
            struct job *j = &jobs[next];
            snprintf(j->result_path, sizeof j->result_path, "%s/%d.txt", dir, next);
            snprintf(j->json_path, sizeof j->json_path, "%s/%d.json", dir, next);
            fflush(stdout);
            fflush(stderr);
            j->pid = fork();
            if (j->pid == 0) verify_worker(c, j);
            if (j->pid < 0) {
                j->done = 1;
                j->holds = -1;
                snprintf(j->summary, sizeof j->summary, "cannot fork: %s", strerror(errno));
            } else {
                running++;
            }
            next++;
        }
        if (running) {
            int st;
            pid_t w = wait(&st);
            for (int i = 0; i < next && w > 0; i++) {
                struct job *j = &jobs[i];
                if (j->pid != w || j->done) continue;
                j->done = 1;
                running--;
                FILE *f = fopen(j->result_path, "r");
                j->holds = -1;
                snprintf(j->summary, sizeof j->summary, "worker ended without a result");
                if (f) {
                    char line[1200];
                    if (fgets(line, sizeof line, f) &&
                        sscanf(line, "%d\t%d\t%lf\t%1023[^\n]", &j->holds, &j->runs, &j->wall, j->summary) < 3)
                        j->holds = -1;
                    fclose(f);
                }
            }
        } else if (next >= njobs || run_interrupted()) {
            for (int i = printed; i < njobs; i++)
                if (!jobs[i].done) {
                    jobs[i].done = 1;
                    jobs[i].holds = -1;
                    snprintf(jobs[i].summary, sizeof jobs[i].summary, "not run (interrupted)");
                }
        }
        /* print finished rows in registry order */
        while (printed < njobs && jobs[printed].done) {
            struct job *j = &jobs[printed++];
            const char *h = j->holds > 0 ? "yes" : (j->holds == 0 ? "NO" : "ERROR");
            if (j->holds == 0) failed++;
            if (j->holds < 0) setup++;
            printf("%-18s %-16s %-6s %5d %6.2fs  %s\n", j->lab, j->variant, h, j->runs, j->wall, j->summary);
            fflush(stdout);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int labs_ok = 0;
    for (int i = 0; i < nlabs; i++) {
        int ok = 1;
        for (int k = 0; k < njobs; k++)
            if (strcmp(jobs[k].lab, labs[i]) == 0 && jobs[k].holds <= 0) ok = 0;
        labs_ok += ok;
    }
    printf("\n%d of %d pairs hold (%d programs checked, %.1f s with %d job%s)\n", labs_ok, nlabs, njobs, wall,
           jobs_max, jobs_max == 1 ? "" : "s");
    if (c->json) {
        FILE *f = fopen(c->json, "w");
        if (!f) {
            fprintf(stderr, "racelab: cannot write %s: %s\n", c->json, strerror(errno));
        } else {
            fprintf(f, "{\"pairs_total\":%d,\"pairs_holding\":%d,\"wall_s\":%.3f,\"labs\":[", nlabs, labs_ok, wall);
            for (int i = 0; i < nlabs; i++) {
                fprintf(f, "%s\n{\"name\":\"%s\",\"programs\":[", i ? "," : "", labs[i]);
                int first = 1;
                for (int k = 0; k < njobs; k++) {
                    if (strcmp(jobs[k].lab, labs[i]) != 0) continue;
                    char *text = NULL;
                    size_t len = 0;
                    FILE *jf = fopen(jobs[k].json_path, "r");
                    if (jf) {
                        text = malloc(1 << 22);
                        len = text ? fread(text, 1, (1 << 22) - 1, jf) : 0;
                        fclose(jf);
                    }
                    fputs(first ? "" : ",", f);
                    first = 0;
                    if (text && len) fwrite(text, 1, len, f);
                    else fprintf(f, "{\"name\":\"%s\",\"passed\":false,\"verdict\":\"setup-error\"}", jobs[k].variant);
                    free(text);
                }
                fputs("]}", f);
            }
            fputs("]}\n", f);
            fclose(f);
        }
    }
    if (c->junit) {
        FILE *f = fopen(c->junit, "w");
        if (f) {
            int fails = 0, errs = 0;
            for (int k = 0; k < njobs; k++) fails += jobs[k].holds == 0, errs += jobs[k].holds < 0;
            fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"racelab.verify\" "
                       "tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n",
                    njobs, fails, errs, wall);
            for (int k = 0; k < njobs; k++) {
                fprintf(f, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">", jobs[k].lab, jobs[k].variant,
                        jobs[k].wall);
                if (jobs[k].holds <= 0) {
                    fprintf(f, "<%s message=\"", jobs[k].holds ? "error" : "failure");
                    for (const char *s = jobs[k].summary; *s; s++) {
                        if (*s == '"') fputs("&quot;", f);
                        else if (*s == '&') fputs("&amp;", f);
                        else if (*s == '<') fputs("&lt;", f);
                        else if (*s == '>') fputs("&gt;", f);
                        else fputc(*s, f);
                    }
                    fprintf(f, "\"/>");
                }
                fputs("</testcase>\n", f);
            }
            fputs("  </testsuite>\n</testsuites>\n", f);
            fclose(f);
        }
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "racelab: could not remove %s\n", dir);
    if (run_interrupted()) return EXIT_INTERRUPTED;
    if (setup) return EXIT_USAGE;
    return failed ? EXIT_FINDINGS : EXIT_CLEAN;
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
static int build_or_report(const struct lab_info *li, const char *src, const char *out_bin,
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

static int mkdirs(const char *path) {
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

static int finish_single(struct cli *c, struct output_case *oc, int setup_is_findings) {
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
    struct check_opts o = base_opts(c);
    if (c->timeout_s <= 0) o.limits.timeout_s = li.timeout_s;
    o.goal = GOAL_CLEAN;
    o.perturb = 1;
    o.forbid = li.forbid;
    o.max_threads = li.max_threads;
    const char *base = strrchr(src, '/');
    o.checked_file = base ? base + 1 : src;
    o.runs = c->runs ? c->runs : clean_runs(&li);
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
        if (check_run(&o, &res) != 0) {
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

/* ---- binary facts: what a program's file says before it runs -------------
 *
 * A clean run means something only if the detector saw the code.  Before a
 * program runs, its ELF file is read for: the TSan runtime (linked in by
 * clang, imported from libtsan by gcc), static linking (unsupported),
 * compiled-in suppressions and options, and the program's own functions
 * that read or write memory without a single TSan call (a file built
 * without -fsanitize=thread, or no_sanitize("thread")): races there are
 * invisible, so such a program is never called clean.
 */
struct bin_facts {
    int elf;              /* 0: not an ELF file (a script?): nothing below is known */
    int has_tsan;         /* the TSan runtime is linked in or imported */
    int is_static;        /* no program interpreter: linked statically */
    int has_debug;        /* has DWARF (.debug_info) */
    int links_cmocka;     /* DT_NEEDED names libcmocka */
    int own_suppressions; /* defines __tsan_default_suppressions itself */
    int own_options;      /* defines __tsan_default_options itself */
    char scan_note[256];  /* why the code scan could not run, if it could not */
};

/* A program function found by the scan. */
struct bin_func {
    char name[128];
    uint64_t addr, size;
    int tsan_access;      /* calls __tsan_read/write/atomic...: its accesses are instrumented */
    int tsan_any;         /* calls any __tsan_ function (func_entry too): built with TSan */
    int sret;             /* hands its first argument back: it may be a struct's return slot */
    int global_writes, global_reads; /* accesses to the program's writable globals */
    int pointer_writes;   /* stores through pointers to memory that is not the stack */
};

/* Code that touches shared memory without a TSan access call.  A function
 * built with TSan (it calls __tsan_func_entry) counts only for globals:
 * compilers add uninstrumented pointer stores of their own there (varargs,
 * gcc's inline memcpy).  Loads through pointers never count (gcc expands
 * strcmp into them after instrumenting). */
static int bin_uninstrumented(const struct bin_func *f) {
    if (f->tsan_access) return 0;
    return f->global_writes || f->global_reads || (!f->tsan_any && f->pointer_writes);
}

/* What a register or a stack slot holds, as far as the scan can tell. */
enum bin_val { BV_UNKNOWN, BV_CONST, BV_RETSLOT, BV_STACK, BV_GLOBAL };

/* The scan's state inside one function. */
struct bin_state {
    unsigned char reg[16];
    int frame;                      /* rbp is the frame pointer */
    long slot_off[16];              /* values spilled to the frame (-O0) */
    unsigned char slot_val[16];
    int nslots;
};

static void bin_state_reset(struct bin_state *st, const struct bin_func *f) {
    memset(st, 0, sizeof *st);
    st->reg[7] = BV_STACK;                      /* %rsp */
    if (f && f->sret) st->reg[5] = BV_RETSLOT;  /* %rdi */
}

static unsigned char *bin_slot(struct bin_state *st, long off, int create) {
    for (int i = 0; i < st->nslots; i++)
        if (st->slot_off[i] == off) return &st->slot_val[i];
    if (!create || st->nslots == 16) return NULL;
    st->slot_off[st->nslots] = off;
    st->slot_val[st->nslots] = BV_UNKNOWN;
    return &st->slot_val[st->nslots++];
}

#define BIN_MAX_FUNCS 512

/* The runtime's and the C library's functions: never the program's code. */
static int bin_runtime_name(const char *n, int skip_rl) {
    static const char *const prefix[] = {"_Z", "__", "_GLOBAL_", "Annotate", "WTFAnnotate", "real_",
                                         "tsan.", "asan.", "ubsan.", "sancov.", "_dl_", "_init", "_fini"};
    static const char *const exact[] = {"_start", "deregister_tm_clones", "register_tm_clones", "frame_dummy",
                                        "RunningOnValgrind", "ValgrindSlowdown", "ThreadSanitizerQuery",
                                        "setjmp", "_setjmp", "sigsetjmp", "longjmp", "_longjmp", "siglongjmp",
                                        "data_start", "atexit", "at_quick_exit", "OnPrint"};
    if (skip_rl && strncmp(n, "rl_", 3) == 0) return 1; /* the lab runtime (racelab_rt.c) */
    for (size_t i = 0; i < sizeof prefix / sizeof prefix[0]; i++)
        if (strncmp(n, prefix[i], strlen(prefix[i])) == 0) return 1;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(n, exact[i]) == 0) return 1;
    return 0;
}

/* The 16 general registers: an index for any width of one, or -1. */
static int bin_reg(const char *r, size_t n) {
    static const char *const names[16][5] = {
        {"rax", "eax", "ax", "al", "ah"}, {"rbx", "ebx", "bx", "bl", "bh"}, {"rcx", "ecx", "cx", "cl", "ch"},
        {"rdx", "edx", "dx", "dl", "dh"}, {"rsi", "esi", "si", "sil", ""},  {"rdi", "edi", "di", "dil", ""},
        {"rbp", "ebp", "bp", "bpl", ""},  {"rsp", "esp", "sp", "spl", ""}};
    if (n && r[0] == '%') r++, n--;
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 5; k++)
            if (names[i][k][0] && strlen(names[i][k]) == n && strncmp(r, names[i][k], n) == 0) return i;
    if (n >= 2 && r[0] == 'r' && r[1] >= '0' && r[1] <= '9') {
        int v = atoi(r + 1);
        if (v >= 8 && v <= 15) return v;
    }
    return -1;
}

struct bin_ranges {
    uint64_t lo[32], hi[32];
    int n;
};

static int bin_in(const struct bin_ranges *r, uint64_t a) {
    for (int i = 0; i < r->n; i++)
        if (a >= r->lo[i] && a < r->hi[i]) return 1;
    return 0;
}

/* Reads one disassembled instruction (AT&T syntax) of f: marks TSan calls
 * and counts accesses to memory another thread could share, following
 * where each register's address came from (st). */
static void bin_insn(struct bin_func *f, const char *text, const struct bin_ranges *data, struct bin_state *st) {
    static const char *const prefixes[] = {"lock", "rep", "repz", "repnz", "repe", "repne", "data16",
                                           "notrack", "bnd", "cs", "ds", "es", "ss", "addr32"};
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    char *comment = strchr(buf, '#');
    uint64_t target = 0;
    int has_target = 0;
    if (comment) {
        *comment = '\0';
        char *end;
        target = strtoull(comment + 1, &end, 16);
        has_target = end != comment + 1;
    }
    char *p = buf, *mn;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        mn = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = '\0';
        int is_prefix = 0;
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) is_prefix |= strcmp(mn, prefixes[i]) == 0;
        if (!is_prefix || !*p) break;
    }
    while (*p == ' ' || *p == '\t') p++;
    char *ops = p;
    for (char *e = ops + strlen(ops); e > ops && (e[-1] == ' ' || e[-1] == '\t'); e--) e[-1] = '\0';
    if (!strncmp(mn, "call", 4) || !strncmp(mn, "jmp", 3)) {
        static const char *const access[] = {"__tsan_read", "__tsan_write", "__tsan_unaligned",
                                             "__tsan_atomic", "__tsan_vptr", "__tsan_volatile"};
        const char *lt = strchr(text, '<');
        for (size_t i = 0; lt && i < sizeof access / sizeof access[0]; i++)
            if (!strncmp(lt + 1, access[i], strlen(access[i]))) f->tsan_access = 1;
        if (lt && !strncmp(lt + 1, "__tsan_", 7)) f->tsan_any = 1;
        if (!strncmp(mn, "call", 4)) /* a call keeps only the callee-saved registers */
            for (int r = 0; r < 16; r++)
                if (!(r == 1 || r == 6 || r == 7 || r >= 12)) st->reg[r] = BV_UNKNOWN;
        return;
    }
    if (!strncmp(mn, "nop", 3) || !strncmp(mn, "endbr", 5) || !strncmp(mn, "prefetch", 8) || mn[0] == 'j' ||
        !strncmp(mn, "ret", 3) || !strncmp(mn, "push", 4) || !strncmp(mn, "pop", 3) || !strncmp(mn, "leave", 5) ||
        strstr(ops, "%es:") || strstr(ops, "%fs:") || strstr(ops, "%gs:"))
        return; /* no data access, string instructions (inline memcpy), thread-local data */
    if (!strncmp(mn, "mov", 3) && !strcmp(ops, "%rsp,%rbp")) {
        st->frame = 1;
        st->reg[6] = BV_STACK;
        return;
    }
    /* The destination is the last operand, outside parentheses. */
    char *dest = ops;
    int depth = 0;
    for (char *q = ops; *q; q++) {
        if (*q == '(') depth++;
        else if (*q == ')') depth--;
        else if (*q == ',' && depth == 0) dest = q + 1;
    }
    int dreg = dest[0] == '%' && !strchr(dest, '(') ? bin_reg(dest, strlen(dest)) : -1;
    int sreg = ops[0] == '%' && dest > ops ? bin_reg(ops, (size_t)(dest - 1 - ops)) : -1;
    int reads_only = !strncmp(mn, "cmp", 3) || !strncmp(mn, "test", 4) || !strncmp(mn, "bt", 2) ||
                     !strncmp(mn, "ucomis", 6) || !strncmp(mn, "comis", 5);
    int is_mov = !strncmp(mn, "mov", 3) && strncmp(mn, "movs", 4) && strncmp(mn, "movz", 4);
    char *open = strchr(ops, '(');
    if (open) {
        /* disp(base,index,scale): what the address points to */
        char *base = open + 1;
        size_t bn = strcspn(base, ",)");
        int rip = bn == 4 && !strncmp(base, "%rip", 4);
        int breg = rip ? -1 : bin_reg(base, bn), ireg = -1;
        if (base[bn] == ',') ireg = bin_reg(base + bn + 1, strcspn(base + bn + 1, ",)"));
        int val = BV_UNKNOWN;
        if (rip) val = has_target && bin_in(data, target) ? BV_GLOBAL : BV_CONST;
        else if (breg >= 0) val = st->reg[breg];
        if (val == BV_UNKNOWN && ireg >= 0 && (st->reg[ireg] == BV_CONST || st->reg[ireg] == BV_GLOBAL))
            val = st->reg[ireg];
        if (!strncmp(mn, "lea", 3)) {
            if (dreg >= 0) st->reg[dreg] = (unsigned char)val;
            return;
        }
        int store = !reads_only && strchr(dest, '(') != NULL;
        if (val == BV_GLOBAL) store ? f->global_writes++ : f->global_reads++;
        else if (val == BV_UNKNOWN && store) f->pointer_writes++;
        /* A value spilled to the frame and read back keeps what it was (-O0). */
        long off = strtol(ops[0] == '(' ? "0" : (store ? dest : ops), NULL, 0);
        int frame_slot = breg == 6 && st->frame && ireg < 0;
        if (frame_slot && store) {
            unsigned char *slot = bin_slot(st, off, is_mov && sreg >= 0);
            if (slot) *slot = is_mov && sreg >= 0 ? st->reg[sreg] : BV_UNKNOWN;
            return;
        }
        if (dreg >= 0 && !reads_only) {
            unsigned char *slot = frame_slot && is_mov ? bin_slot(st, off, 0) : NULL;
            st->reg[dreg] = slot ? *slot : BV_UNKNOWN;
        }
        return;
    }
    if (dreg < 0 || reads_only) return;
    if (is_mov && sreg >= 0) {
        st->reg[dreg] = st->reg[sreg]; /* a copy */
    } else if (!(st->reg[dreg] != BV_UNKNOWN && (!strncmp(mn, "add", 3) || !strncmp(mn, "sub", 3) ||
                                                  !strncmp(mn, "inc", 3) || !strncmp(mn, "dec", 3)))) {
        st->reg[dreg] = BV_UNKNOWN; /* stepping through a table keeps what it points into */
    }
}

/* Disassembles [lo, hi) of path with objdump and reads the functions in
 * it.  0, or -1 when no disassembler could be run (why in note). */
static int bin_disassemble(const char *path, uint64_t lo, uint64_t hi, struct bin_func *fn, int nfn,
                           const struct bin_ranges *data, char *note, size_t notecap) {
    char start[40], stop[40];
    snprintf(start, sizeof start, "--start-address=0x%" PRIx64, lo);
    snprintf(stop, sizeof stop, "--stop-address=0x%" PRIx64, hi);
    char llvm[600] = "";
    const char *sym = tsan_symbolizer();
    if (sym) {
        snprintf(llvm, sizeof llvm, "%s", sym);
        char *slash = strrchr(llvm, '/');
        if (slash) snprintf(slash + 1, sizeof llvm - (size_t)(slash + 1 - llvm), "llvm-objdump");
    }
    const char *tools[] = {"objdump", "/usr/bin/objdump", "/usr/bin/llvm-objdump", llvm};
    extern char **environ;
    for (size_t t = 0; t < sizeof tools / sizeof tools[0]; t++) {
        if (!tools[t][0]) continue;
        char *argv[] = {(char *)tools[t], "-d", "--no-show-raw-insn", start, stop, (char *)path, NULL};
        struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
        rq.limits.timeout_s = 30;
        rq.limits.max_output = 64u << 20;
        struct run_result rr;
        if (run_child(&rq, &rr) != 0) break;
        if (rr.end != RUN_EXITED || rr.exit_code != 0) {
            run_result_free(&rr);
            continue;
        }
        struct bin_func *cur = NULL;
        struct bin_state st;
        /* First pass: which functions hand their first argument back, as a
         * function returning a struct hands back its return slot: "mov
         * %rdi,%rax", or at -O0 through a frame slot ("mov %rdi,-0x28(%rbp)"
         * ... "mov -0x28(%rbp),%rax" right before the return). */
        char spill[32] = "";
        int pending = 0; /* the spilled first argument was just loaded into %rax */
        for (char *line = rr.output; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
            size_t n = strcspn(line, "\n");
            if (line[0] != ' ' && n) {
                uint64_t a = strtoull(line, NULL, 16);
                cur = NULL;
                spill[0] = '\0';
                pending = 0;
                for (int i = 0; i < nfn && !cur; i++)
                    if (fn[i].addr == a) cur = &fn[i];
                continue;
            }
            char ins[200];
            snprintf(ins, sizeof ins, "%.*s", (int)(n < sizeof ins ? n : sizeof ins - 1), line);
            if (pending && cur) { /* ... and is what the function returns */
                if (strstr(ins, "ret")) cur->sret = 1;
                if (!strstr(ins, "pop") && !strstr(ins, "leave") && !strstr(ins, "nop") && !strstr(ins, ",%rsp"))
                    pending = 0;
                continue;
            }
            char *m = cur ? strstr(ins, "mov") : NULL;
            if (!m) continue;
            m += strcspn(m, " \t");
            m += strspn(m, " \t");
            m[strcspn(m, " \t#")] = '\0';
            size_t ml = strlen(m);
            if (!strcmp(m, "%rdi,%rax")) cur->sret = 1;
            else if (!strncmp(m, "%rdi,", 5) && ml > 11 && !strcmp(m + ml - 6, "(%rbp)"))
                snprintf(spill, sizeof spill, "%.*s", (int)(ml - 5), m + 5);
            else if (spill[0] && !strncmp(m, spill, strlen(spill)) && !strcmp(m + strlen(spill), ",%rax"))
                pending = 1;
        }
        cur = NULL;
        for (char *line = rr.output; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            char *lt = strchr(line, '<');
            size_t len = strlen(line);
            if (line[0] != ' ' && lt && len > 2 && line[len - 1] == ':' && line[len - 2] == '>') {
                uint64_t a = strtoull(line, NULL, 16);
                cur = NULL;
                for (int i = 0; i < nfn && !cur; i++)
                    if (fn[i].addr == a) cur = &fn[i];
                bin_state_reset(&st, cur);
            } else if (cur) {
                char *colon = strchr(line, ':');
                char *q = line;
                while (*q == ' ') q++;
                if (colon && q < colon && strspn(q, "0123456789abcdef") == (size_t)(colon - q))
                    bin_insn(cur, colon + 1, data, &st);
            }
            line = nl ? nl + 1 : NULL;
        }
        run_result_free(&rr);
        return 0;
    }
    snprintf(note, notecap, "no objdump found (apt-get install binutils): the program's code was not checked "
                            "for parts built without ThreadSanitizer");
    return -1;
}

/* Adds file:line (from the symbolizer) to the not-instrumented findings
 * first..list->len-1, whose functions start at addrs[]. */
static void bin_locate(const char *path, struct finding_list *list, size_t first, const uint64_t *addrs) {
    const char *sym = tsan_symbolizer();
    size_t n = list->len - first;
    if (!sym || n == 0 || n > 64) return;
    char *argv[70], hex[64][24], obj[1100];
    int k = 0;
    snprintf(obj, sizeof obj, "--obj=%s", path);
    argv[k++] = (char *)sym;
    argv[k++] = obj;
    for (size_t i = 0; i < n; i++) {
        snprintf(hex[i], sizeof hex[i], "0x%" PRIx64, addrs[i]);
        argv[k++] = hex[i];
    }
    argv[k] = NULL;
    extern char **environ;
    struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
    rq.limits.timeout_s = 20;
    struct run_result rr;
    if (run_child(&rq, &rr) != 0) return;
    /* Each address gives "function\nfile:line:column\n\n". */
    char *line = rr.end == RUN_EXITED ? rr.output : NULL;
    for (size_t i = 0; i < n && line; i++) {
        char *l1 = strchr(line, '\n');
        if (!l1) break;
        char *loc = l1 + 1, *l2 = strchr(loc, '\n');
        if (!l2) break;
        *l2 = '\0';
        char *c1 = strchr(loc, ':');
        struct finding *f = &list->items[first + i];
        if (c1 && loc[0] != '?') {
            *c1 = '\0';
            finding_set(&f->acc[0].loc.file, loc);
            f->acc[0].loc.line = atoi(c1 + 1);
        }
        line = l2 + 1;
        while (*line == '\n') line++;
    }
    run_result_free(&rr);
}

/* Looks through the program's own functions for code built without TSan;
 * adds one "not-instrumented" finding per such function to out. */
static void bin_scan_code(const char *path, const Elf64_Sym *syms, size_t nsyms, const char *str, size_t strn,
                          const Elf64_Shdr *sh, int shnum, const char *shstr, size_t shstrn, int skip_rl,
                          struct bin_facts *bf, struct finding_list *out) {
    struct bin_ranges data = {{0}, {0}, 0};
    int text_ndx = -1;
    for (int i = 0; i < shnum; i++) {
        const char *nm = sh[i].sh_name < shstrn ? shstr + sh[i].sh_name : "";
        if (!strcmp(nm, ".text")) text_ndx = i;
        if ((sh[i].sh_flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE) || (sh[i].sh_flags & SHF_TLS))
            continue;
        if (!strncmp(nm, ".got", 4) || !strncmp(nm, ".data.rel.ro", 12) || !strcmp(nm, ".dynamic") ||
            !strcmp(nm, ".init_array") || !strcmp(nm, ".fini_array") || data.n == 32)
            continue;
        data.lo[data.n] = sh[i].sh_addr;
        data.hi[data.n++] = sh[i].sh_addr + sh[i].sh_size;
    }
    static struct bin_func fn[BIN_MAX_FUNCS];
    int nfn = 0;
    for (size_t i = 0; i < nsyms && nfn < BIN_MAX_FUNCS; i++) {
        const Elf64_Sym *s = &syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || (int)s->st_shndx != text_ndx || !s->st_size ||
            ELF64_ST_BIND(s->st_info) == STB_WEAK || s->st_name >= strn)
            continue;
        const char *name = str + s->st_name;
        if (bin_runtime_name(name, skip_rl)) continue;
        int alias = 0; /* an interceptor's plain name sits on the runtime's address */
        for (size_t j = 0; j < nsyms && !alias; j++)
            alias = syms[j].st_value == s->st_value && j != i && syms[j].st_name < strn &&
                    ELF64_ST_TYPE(syms[j].st_info) == STT_FUNC && bin_runtime_name(str + syms[j].st_name, 0);
        if (alias) continue;
        struct bin_func *f = &fn[nfn++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "%s", name);
        f->addr = s->st_value;
        f->size = s->st_size;
    }
    /* One disassembly per cluster of nearby functions. */
    for (int i = 0; i < nfn;) {
        uint64_t lo = fn[i].addr, hi = fn[i].addr + fn[i].size;
        int j = i + 1;
        for (; j < nfn; j++) {
            uint64_t a = fn[j].addr, e = a + fn[j].size;
            uint64_t nlo = a < lo ? a : lo, nhi = e > hi ? e : hi;
            if (nhi - nlo > (1u << 20)) break;
            lo = nlo, hi = nhi;
        }
        if (bin_disassemble(path, lo, hi, fn + i, j - i, &data, bf->scan_note, sizeof bf->scan_note) != 0) return;
        i = j;
    }
    size_t first = out->len;
    static uint64_t addrs[BIN_MAX_FUNCS];
    for (int i = 0; i < nfn; i++) {
        if (!bin_uninstrumented(&fn[i])) continue;
        struct finding *f = finding_add(out, "not-instrumented");
        if (!f) return;
        char msg[400];
        snprintf(msg, sizeof msg,
                 "function '%s' reads or writes shared memory without ThreadSanitizer: it was built without "
                 "-fsanitize=thread (or with no_sanitize(\"thread\")), so a race there is invisible",
                 fn[i].name);
        finding_set(&f->message, msg);
        finding_set(&f->acc[0].what, "code not instrumented");
        finding_set(&f->acc[0].loc.func, fn[i].name);
        f->nacc = 1;
        addrs[out->len - 1 - first] = fn[i].addr;
    }
    bin_locate(path, out, first, addrs);
}

/* Reads what the program file says (see struct bin_facts); findings for
 * code the detector cannot see go to out.  skip_rl: the lab runtime is
 * linked in (racelab file; also assumed when the binary defines it).
 * 0, or -1 if the file cannot be read. */
static int binary_facts(const char *path, int skip_rl, struct bin_facts *bf, struct finding_list *out) {
    memset(bf, 0, sizeof *bf);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    const unsigned char *p = n >= sizeof(Elf64_Ehdr) ? mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (p == MAP_FAILED) return 0; /* empty or tiny: not ELF, let exec decide */
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) goto done;
    bf->elf = 1;
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phoff > n || eh->e_shoff > n ||
        eh->e_phnum > (n - eh->e_phoff) / sizeof(Elf64_Phdr) ||
        eh->e_shnum > (n - eh->e_shoff) / sizeof(Elf64_Shdr)) {
        bf->has_tsan = memmem(p, n, "__tsan_init", 11) != NULL; /* not a 64-bit ELF we can read */
        snprintf(bf->scan_note, sizeof bf->scan_note, "not a 64-bit ELF file: its code was not inspected");
        goto done;
    }
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(p + eh->e_phoff);
    bf->is_static = 1;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_INTERP) bf->is_static = 0;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(p + eh->e_shoff);
    int shnum = eh->e_shnum;
    const char *shstr = "";
    size_t shstrn = 0;
    if (eh->e_shstrndx < shnum && sh[eh->e_shstrndx].sh_offset + sh[eh->e_shstrndx].sh_size <= n) {
        shstr = (const char *)p + sh[eh->e_shstrndx].sh_offset;
        shstrn = sh[eh->e_shstrndx].sh_size;
    }
    const Elf64_Shdr *symtab = NULL, *dynsym = NULL;
    for (int i = 0; i < shnum; i++) {
        const char *nm = sh[i].sh_name < shstrn ? shstr + sh[i].sh_name : "";
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_offset + sh[i].sh_size > n) continue;
        if (!strcmp(nm, ".debug_info")) bf->has_debug = 1;
        if (sh[i].sh_type == SHT_SYMTAB) symtab = &sh[i];
        if (sh[i].sh_type == SHT_DYNSYM) dynsym = &sh[i];
        if (sh[i].sh_type == SHT_DYNAMIC && sh[i].sh_link < (unsigned)shnum) {
            const Elf64_Shdr *ds = &sh[sh[i].sh_link];
            const Elf64_Dyn *dyn = (const Elf64_Dyn *)(p + sh[i].sh_offset);
            for (size_t k = 0; k < sh[i].sh_size / sizeof *dyn && dyn[k].d_tag != DT_NULL; k++)
                if (dyn[k].d_tag == DT_NEEDED && ds->sh_offset + ds->sh_size <= n &&
                    dyn[k].d_un.d_val < ds->sh_size) {
                    const char *lib = (const char *)p + ds->sh_offset + dyn[k].d_un.d_val;
                    if (strstr(lib, "libtsan")) bf->has_tsan = 1;
                    if (strstr(lib, "libcmocka")) bf->links_cmocka = 1;
                }
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        const Elf64_Shdr *t = pass ? dynsym : symtab;
        if (!t || t->sh_link >= (unsigned)shnum || sh[t->sh_link].sh_offset + sh[t->sh_link].sh_size > n) continue;
        const Elf64_Sym *syms = (const Elf64_Sym *)(p + t->sh_offset);
        size_t nsyms = t->sh_size / sizeof *syms;
        const char *str = (const char *)p + sh[t->sh_link].sh_offset;
        size_t strn = sh[t->sh_link].sh_size;
        for (size_t i = 0; i < nsyms; i++) {
            if (syms[i].st_name >= strn) continue;
            const char *name = str + syms[i].st_name;
            int strong = syms[i].st_shndx != SHN_UNDEF && ELF64_ST_BIND(syms[i].st_info) == STB_GLOBAL;
            if (!strcmp(name, "__tsan_init") || !strcmp(name, "__tsan_func_entry")) bf->has_tsan = 1;
            if (!strcmp(name, "__tsan_default_suppressions") && strong) bf->own_suppressions = 1;
            if (!strcmp(name, "__tsan_default_options") && strong) bf->own_options = 1;
            if (!strcmp(name, "rl_pthread_create") && strong) skip_rl = 1; /* built with the lab runtime */
        }
        if (!bf->has_tsan || bf->is_static) break;
        if (pass == 0 || !symtab) { /* the scan needs the full symbol table */
            if (t == symtab)
                bin_scan_code(path, syms, nsyms, str, strn, sh, shnum, shstr, shstrn, skip_rl, bf, out);
            else
                snprintf(bf->scan_note, sizeof bf->scan_note,
                         "the program is stripped: its code was not checked for parts built without "
                         "ThreadSanitizer");
            break;
        }
    }
done:
    munmap((void *)p, n);
    return 0;
}

/* Appends one line to a result's notes (once). */
static void add_note(struct check_result *res, const char *msg) {
    size_t used = strlen(res->notes);
    if (strstr(res->notes, msg)) return;
    snprintf(res->notes + used, sizeof res->notes - used, "%s%s", used ? "\n" : "", msg);
}

/* Runs the check of a program whose file facts are known, then adds what
 * the file says (hidden code, compiled-in suppressions): a program with
 * code the detector cannot see is never called clean. */
static int run_known(struct check_opts *o, const struct bin_facts *bf, struct finding_list *hidden,
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
        add_note(res, "the program compiles in its own TSan options (__tsan_default_options): the harness's "
                      "options override every one that could hide a report");
    if (bf->scan_note[0]) add_note(res, bf->scan_note);
    if (!bf->has_debug && res->findings.len)
        add_note(res, "the program has no debug info: reports can name functions but not lines (build with -g)");
    if (bf->links_cmocka && (finding_list_has(&res->findings, "crash") || finding_list_has(&res->findings, "timeout")))
        add_note(res, "the program uses cmocka, whose assertions are not thread-safe: a failing assert_*() in a "
                      "worker thread jumps into the test thread's stack (a crash, a hang or exit 255); assert "
                      "only in the test's own thread, after pthread_join");
    return 0;
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

/* --- grade (./scripts/lab check --all): a learner's work, in points ---------
 *
 * Each lab scores in tiers: builds (1), behaves (1: no invariant, timeout,
 * crash, leaked or excess threads in the runs made), race-free (1: no finding
 * at all in the lab's N runs, so the 99% confidence statement holds; a
 * program that misbehaves is not credited as race-free, since deleting the
 * threads would make it so).  A lab not started scores 0 and says so; a lab
 * whose driver was edited, or whose file reaches into the driver or the
 * runtime, is reported as tampered and not graded. */

enum { GRADE_TIERS = 3 };

/* Kinds that say the program misbehaved (as opposed to a detector report). */
static int grade_behaviour_kind(const char *k) {
    static const char *const kinds[] = {"invariant",    "timeout",        "crash",
                                        "live-threads-at-exit", "too-many-threads", "memory-limit",
                                        "too-many-processes"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(k, kinds[i]) == 0) return 1;
    return 0;
}

static void grade_flag(struct finding_list *out, const char *file, int line, const char *msg) {
    struct finding *f = finding_add(out, "tampered");
    if (!f) return;
    finding_set(&f->message, msg);
    if (file) {
        finding_set(&f->acc[0].loc.file, file);
        f->acc[0].loc.line = line;
        f->nacc = 1;
    }
}

/* The sha256 of a file as 64 hex digits, via sha256sum; 0 or -1. */
static int grade_sha256(const char *path, char hex[65]) {
    char cmd[900];
    snprintf(cmd, sizeof cmd, "sha256sum -- '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    int ok = fscanf(p, "%64s", hex) == 1 && strlen(hex) == 64;
    return pclose(p) == 0 && ok ? 0 : -1;
}

/* Flags edits to a lab's driver and interface header: against the checksum
 * list (RACELAB_DRIVER_SUMS, default .github/classroom/drivers.sha256) and
 * against git HEAD when the tree is a git checkout.  Returns flags added. */
static int grade_driver_tampered(const char *lab, struct finding_list *out) {
    int added = 0;
    char rel[2][200], path[700], msg[900];
    snprintf(rel[0], sizeof rel[0], "labs/%s/test_%s.c", lab, lab);
    snprintf(rel[1], sizeof rel[1], "labs/%s/%s.h", lab, lab);
    const char *sums = getenv("RACELAB_DRIVER_SUMS");
    char sums_default[700];
    snprintf(sums_default, sizeof sums_default, "%s/.github/classroom/drivers.sha256", RACELAB_SOURCE_DIR);
    FILE *f = fopen(sums && *sums ? sums : sums_default, "r");
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", RACELAB_SOURCE_DIR, rel[i]);
        if (access(path, R_OK) != 0) continue;
        if (f) {
            char line[512], want[65], name[400], got[65];
            rewind(f);
            while (fgets(line, sizeof line, f))
                if (sscanf(line, "%64s %399s", want, name) == 2 && strcmp(name, rel[i]) == 0) {
                    if (grade_sha256(path, got) == 0 && strcmp(got, want) != 0) {
                        snprintf(msg, sizeof msg, "%s differs from the shipped version (checksum list): the "
                                 "driver is not the learner's to edit", rel[i]);
                        grade_flag(out, path, 0, msg);
                        added++;
                    }
                    break;
                }
        }
        char cmd[1200];
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && git rev-parse --verify -q HEAD:'%s' >/dev/null 2>&1 && "
                 "! git diff --quiet HEAD -- '%s' 2>/dev/null",
                 RACELAB_SOURCE_DIR, rel[i], rel[i]);
        int rc = system(cmd);
        if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0) {
            snprintf(msg, sizeof msg, "%s has uncommitted edits (git diff HEAD): the driver is not the "
                     "learner's to edit", rel[i]);
            grade_flag(out, path, 0, msg);
            added++;
        }
    }
    if (f) fclose(f);
    return added;
}

/* Flags a learner's file that reaches into the driver or the runtime: it
 * includes a .c file or the driver, mentions the runtime's RL_* / rl_*
 * names, or defines main (then the driver would not be linked at all). */
static int grade_source_tampered(const char *src, struct finding_list *out) {
    FILE *f = fopen(src, "r");
    if (!f) return 0;
    char line[2048], code[2048], msg[600];
    int added = 0, in_comment = 0;
    for (int lno = 1; fgets(line, sizeof line, f); lno++) {
        /* the line without comments (strings are left as they are) */
        size_t n = 0;
        for (const char *p = line; *p; p++) {
            if (in_comment) {
                if (p[0] == '*' && p[1] == '/') in_comment = 0, p++;
                continue;
            }
            if (p[0] == '/' && p[1] == '*') { in_comment = 1; p++; continue; }
            if (p[0] == '/' && p[1] == '/') break;
            code[n++] = *p;
        }
        code[n] = '\0';
        const char *why = NULL;
        const char *inc = strstr(code, "#include");
        if (!inc) inc = strstr(code, "# include");
        if (inc && (strstr(inc, ".c\"") || strstr(inc, ".c>") || strstr(inc, "test_") || strstr(inc, "racelab_rt")))
            why = "includes the driver, the runtime or another .c file";
        for (const char *p = code; !why && (p = strstr(p, "rl_")); p++)
            if (p == code || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) why = "uses the runtime's rl_* names";
        for (const char *p = code; !why && (p = strstr(p, "RL_")); p++)
            if (p == code || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) why = "uses the driver's RL_* macros";
        const char *m = strstr(code, "main");
        if (!why && m && (m == code || !(isalnum((unsigned char)m[-1]) || m[-1] == '_'))) {
            const char *q = m + 4;
            while (*q == ' ' || *q == '\t') q++;
            if (*q == '(') why = "defines main: the lab's driver would not be linked";
        }
        if (why) {
            snprintf(msg, sizeof msg, "your file %s (line %d): racelab does not grade a file that reaches into the "
                     "lab's driver", why, lno);
            grade_flag(out, src, lno, msg);
            added++;
        }
    }
    fclose(f);
    return added;
}

struct grade_row {
    char lab[64], src[700], status[16], kinds[256], summary[1024];
    int tier[GRADE_TIERS], points, runs;
    double wall;
    struct finding_list flags; /* tampering found */
};

/* Appends the distinct kinds of r not yet in row->kinds. */
static void grade_add_kinds(struct grade_row *row, const struct check_result *r) {
    for (size_t i = 0; i < r->findings.len; i++) {
        const char *k = r->findings.items[i].kind;
        char pad[300];
        snprintf(pad, sizeof pad, " %s ", row->kinds);
        char key[80];
        snprintf(key, sizeof key, " %s ", k);
        if (strstr(pad, key)) continue;
        size_t used = strlen(row->kinds);
        snprintf(row->kinds + used, sizeof row->kinds - used, "%s%s", used ? " " : "", k);
    }
}

/* Grades one lab into row; returns -1 when interrupted. */
static int grade_lab(struct cli *c, const char *lab, struct grade_row *row) {
    memset(row, 0, sizeof *row);
    snprintf(row->lab, sizeof row->lab, "%s", lab);
    struct lab_info li;
    char err[1024], dir[700], bin[800];
    lab_work_path(lab, row->src, sizeof row->src);
    if (access(row->src, R_OK) != 0) { /* before loading: a lab not started is never an error */
        snprintf(row->status, sizeof row->status, "not-started");
        snprintf(row->summary, sizeof row->summary, "not started: 0 points (./scripts/lab start %s)", lab);
        return 0;
    }
    if (lab_load(lab, &li, err, sizeof err) != 0) {
        snprintf(row->status, sizeof row->status, "error");
        snprintf(row->summary, sizeof row->summary, "%s", err);
        return 0;
    }
    grade_driver_tampered(lab, &row->flags);
    grade_source_tampered(row->src, &row->flags);
    lab_scan_source(row->src, &row->flags);
    if (row->flags.len) {
        snprintf(row->status, sizeof row->status, "tampered");
        snprintf(row->summary, sizeof row->summary, "not graded: %s",
                 row->flags.items[0].message ? row->flags.items[0].message : "tampered");
        snprintf(row->kinds, sizeof row->kinds, "%s", row->flags.items[0].kind);
        return 0;
    }
    snprintf(dir, sizeof dir, "%s/check/%s", RACELAB_BINARY_DIR, lab);
    snprintf(bin, sizeof bin, "%s/grade.%d", dir, (int)getpid()); /* concurrent grades do not collide */
    struct check_result res;
    memset(&res, 0, sizeof res);
    if (mkdirs(dir) != 0 || build_or_report(&li, row->src, bin, &res) != 0) {
        int tool = res.findings.len && strcmp(res.findings.items[0].kind, "tool-error") == 0;
        snprintf(row->status, sizeof row->status, tool ? "error" : "build-error");
        snprintf(row->summary, sizeof row->summary, "%s: %s", tool ? "no verdict" : "does not build",
                 res.findings.len && res.findings.items[0].message ? res.findings.items[0].message : dir);
        snprintf(row->kinds, sizeof row->kinds, "%s", tool ? "tool-error" : "build-error");
        check_result_free(&res);
        return 0;
    }
    row->tier[0] = 1;
    struct check_opts o = base_opts(c);
    if (c->timeout_s <= 0) o.limits.timeout_s = li.timeout_s;
    o.goal = GOAL_CLEAN;
    o.perturb = 1;
    o.forbid = li.forbid;
    o.max_threads = li.max_threads;
    const char *base = strrchr(row->src, '/');
    o.checked_file = base ? base + 1 : row->src;
    o.runs = c->runs ? c->runs : clean_runs(&li);
    char *pargv[] = {bin, NULL};
    o.argv = pargv;
    double p = li.rate_runs > 0 ? check_rate_lower(li.caught, li.rate_runs) : -1;
    int run_rc = check_run(&o, &res);
    if (run_rc != 0 || res.verdict == VERDICT_INTERRUPTED) {
        check_result_free(&res);
        unlink(bin);
        return -1;
    }
    row->runs = res.runs_done;
    row->wall = res.wall_s;
    grade_add_kinds(row, &res);
    if (res.verdict == VERDICT_SETUP) {
        snprintf(row->status, sizeof row->status, "error");
        summarise(&o, &res, p, row->summary, sizeof row->summary);
        check_result_free(&res);
        unlink(bin);
        return 0;
    }
    int behaves = 1;
    for (size_t i = 0; i < res.findings.len; i++) behaves &= !grade_behaviour_kind(res.findings.items[i].kind);
    summarise(&o, &res, p, row->summary, sizeof row->summary);
    if (res.verdict == VERDICT_CLEAN) {
        row->tier[1] = row->tier[2] = 1;
    } else if (behaves) {
        /* A detector report stopped the check early: give the behaviour
         * checks the same number of runs before crediting them. */
        struct check_result more;
        memset(&more, 0, sizeof more);
        o.goal = GOAL_CATCH;
        o.expect[0] = "invariant";
        o.nexpect = 1;
        if (check_run(&o, &more) != 0 || more.verdict == VERDICT_INTERRUPTED) {
            check_result_free(&res);
            check_result_free(&more);
            unlink(bin);
            return -1;
        }
        for (size_t i = 0; i < more.findings.len; i++) behaves &= !grade_behaviour_kind(more.findings.items[i].kind);
        grade_add_kinds(row, &more);
        row->runs += more.runs_done;
        row->wall += more.wall_s;
        check_result_free(&more);
        row->tier[1] = behaves;
    }
    check_result_free(&res);
    unlink(bin);
    row->points = row->tier[0] + row->tier[1] + row->tier[2];
    snprintf(row->status, sizeof row->status, row->points == GRADE_TIERS ? "passed" : "failed");
    return 0;
}

static void grade_json(FILE *f, struct grade_row *rows, int n, int total, int max) {
    static const char *const tier_names[GRADE_TIERS] = {"builds", "behaves", "race_free"};
    fprintf(f, "{\"suite\":\"racelab.grade\",\"total\":%d,\"max\":%d,\"passed\":%s,\"labs\":[", total, max,
            total == max ? "true" : "false");
    for (int i = 0; i < n; i++) {
        struct grade_row *r = &rows[i];
        fputs(i ? ",\n" : "\n", f);
        fputs("{\"lab\":", f);
        output_json_str(f, r->lab);
        fputs(",\"file\":", f);
        output_json_str(f, r->src);
        fprintf(f, ",\"status\":\"%s\",\"points\":%d,\"max\":%d,\"tiers\":{", r->status, r->points, GRADE_TIERS);
        for (int t = 0; t < GRADE_TIERS; t++) fprintf(f, "%s\"%s\":%s", t ? "," : "", tier_names[t], r->tier[t] ? "true" : "false");
        fprintf(f, "},\"runs\":%d,\"wall_s\":%.3f", r->runs, r->wall);
        if (r->tier[2]) fputs(",\"confidence\":0.99", f);
        fputs(",\"kinds\":[", f);
        char kinds[256];
        snprintf(kinds, sizeof kinds, "%s", r->kinds);
        int k = 0;
        for (char *tok = strtok(kinds, " "); tok; tok = strtok(NULL, " ")) {
            fputs(k++ ? "," : "", f);
            output_json_str(f, tok);
        }
        fputs("],\"summary\":", f);
        output_json_str(f, r->summary);
        fputs(",\"tampering\":[", f);
        for (size_t j = 0; j < r->flags.len; j++) {
            fputs(j ? "," : "", f);
            output_json_str(f, r->flags.items[j].message);
        }
        fputs("]}", f);
    }
    fputs("\n]}\n", f);
}

static void grade_junit(FILE *f, struct grade_row *rows, int n, int total, int max) {
    int failures = 0, errors = 0;
    double wall = 0;
    for (int i = 0; i < n; i++) {
        if (!strcmp(rows[i].status, "error")) errors++;
        else if (rows[i].points < GRADE_TIERS) failures++;
        wall += rows[i].wall;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"racelab.grade\" tests=\"%d\" "
               "failures=\"%d\" errors=\"%d\">\n  <testsuite name=\"racelab.grade\" tests=\"%d\" failures=\"%d\" "
               "errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n    <properties><property name=\"points\" "
               "value=\"%d\"/><property name=\"max\" value=\"%d\"/></properties>\n",
            n, failures, errors, n, failures, errors, wall, total, max);
    for (int i = 0; i < n; i++) {
        struct grade_row *r = &rows[i];
        fprintf(f, "    <testcase classname=\"racelab.grade\" name=\"%s\" time=\"%.3f\">\n", r->lab, r->wall);
        if (r->points < GRADE_TIERS) {
            const char *tag = strcmp(r->status, "error") ? "failure" : "error";
            fprintf(f, "      <%s type=\"%s\" message=\"", tag, r->status);
            output_xml_str(f, r->summary);
            fprintf(f, "\">%d of %d points: builds %d, behaves %d, race-free %d\n", r->points, GRADE_TIERS,
                    r->tier[0], r->tier[1], r->tier[2]);
            for (size_t j = 0; j < r->flags.len; j++) {
                output_xml_str(f, r->flags.items[j].message);
                fputc('\n', f);
            }
            fprintf(f, "</%s>\n", tag);
        }
        fprintf(f, "      <system-out>points %d/%d: ", r->points, GRADE_TIERS);
        output_xml_str(f, r->summary);
        fputs("</system-out>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
}

static int cmd_grade(struct cli *c, int argc, char **argv) {
    char labs[LAB_MAX][64];
    int n = lab_registry(labs, LAB_MAX);
    if (n <= 0) {
        fprintf(stderr, "racelab: no labs in %s/labs/labs.txt\n", RACELAB_SOURCE_DIR);
        return EXIT_USAGE;
    }
    if (argc > 0) { /* only the labs named, in teaching order */
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < argc; a++)
                if (strcmp(labs[i], argv[a]) == 0 && k < LAB_MAX) memmove(labs[k++], labs[i], 64);
        if (k != argc) {
            fprintf(stderr, "racelab: grade: unknown lab among the names given (./scripts/lab list)\n");
            return EXIT_USAGE;
        }
        n = k;
    }
    static struct grade_row rows[LAB_MAX];
    int color = isatty(1) && !getenv("NO_COLOR"), total = 0, max = n * GRADE_TIERS, errors = 0;
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "", *green = color ? "\033[32m" : "",
               *red = color ? "\033[31m" : "";
    printf("%s%-18s builds behaves race-free  points  verdict%s\n", bold, "lab", off);
    for (int i = 0; i < n; i++) {
        if (grade_lab(c, labs[i], &rows[i]) < 0 || run_interrupted()) {
            fprintf(stderr, "racelab: interrupted\n");
            return EXIT_INTERRUPTED;
        }
        struct grade_row *r = &rows[i];
        total += r->points;
        errors += !strcmp(r->status, "error");
        int graded = r->tier[0] || !strcmp(r->status, "build-error");
        printf("%-18s %4s %7s %9s %6s%d/%d  %s%s%s\n", r->lab, graded ? (r->tier[0] ? "1" : "0") : "-",
               graded ? (r->tier[1] ? "1" : "0") : "-", graded ? (r->tier[2] ? "1" : "0") : "-", "", r->points,
               GRADE_TIERS, r->points == GRADE_TIERS ? green : red, r->summary, off);
        for (size_t j = 1; j < r->flags.len; j++) printf("%-18s %s\n", "", r->flags.items[j].message);
    }
    printf("%stotal: %d of %d points%s (tiers: builds 1, behaves 1, race-free with 99%% confidence 1)\n", bold,
           total, max, off);
    if (c->json) {
        FILE *f = fopen(c->json, "w");
        if (!f) fprintf(stderr, "racelab: cannot write %s: %s\n", c->json, strerror(errno));
        else grade_json(f, rows, n, total, max), fclose(f);
    }
    if (c->junit) {
        FILE *f = fopen(c->junit, "w");
        if (!f) fprintf(stderr, "racelab: cannot write %s: %s\n", c->junit, strerror(errno));
        else grade_junit(f, rows, n, total, max), fclose(f);
    }
    for (int i = 0; i < n; i++) finding_list_free(&rows[i].flags);
    if (errors) return EXIT_USAGE;
    return total == max ? EXIT_CLEAN : EXIT_FINDINGS;
}

/* tampered LAB [FILE]: exit 1 and say why when the lab's driver was edited
 * or the file reaches into it; 0 otherwise (what `./scripts/lab check` asks
 * before it checks a learner's file). */
static int cmd_tampered(int argc, char **argv) {
    struct lab_info li;
    char err[1024], src[700];
    if (argc < 1 || argc > 2 || lab_load(argv[0], &li, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: tampered LAB [FILE]%s%s\n", argc ? ": " : "", argc ? err : "");
        return EXIT_USAGE;
    }
    if (argc == 2) snprintf(src, sizeof src, "%s", argv[1]);
    else lab_work_path(li.name, src, sizeof src);
    struct finding_list flags = {0};
    grade_driver_tampered(li.name, &flags);
    grade_source_tampered(src, &flags);
    for (size_t i = 0; i < flags.len; i++) printf("tampered: %s\n", flags.items[i].message);
    int rc = flags.len ? EXIT_FINDINGS : EXIT_CLEAN;
    finding_list_free(&flags);
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
