/* check.c - run a program several times and merge what every run showed.
 *
 * The verdict never comes from the exit status alone: 66 is what TSan exits
 * with for a report AND for "could not start", and a program can exit 66 by
 * itself.  Findings come from the parsed log files, the runtime's records
 * and thread table, and only then from how the process ended.
 */
#include "check.h"

#include <errno.h>
#include <stdarg.h>
#include <glob.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report_parse.h"
#include "rt_read.h"
#include "tsan_env.h"

double check_rate_lower(int caught, int runs) {
    if (runs <= 0) return 0;
    double z = 1.6448536269514722, n = runs, p = (double)caught / n;
    double centre = p + z * z / (2 * n);
    double spread = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    double lo = (centre - spread) / (1 + z * z / n);
    return lo < 0 ? 0 : lo;
}

int check_runs_needed(double p, double confidence) {
    if (p <= 0) return 1000;
    if (p >= 1) return 1;
    double n = ceil(log(1 - confidence) / log(1 - p));
    return n < 1 ? 1 : (n > 1000 ? 1000 : (int)n);
}

double check_rate_ruled_out(int runs, double confidence) {
    if (runs <= 0) return 1;
    return 1 - pow(1 - confidence, 1.0 / runs);
}

int check_expected_seen(const struct check_opts *o, const struct check_result *res) {
    for (int i = 0; i < o->nexpect; i++)
        if (!finding_list_has(&res->findings, o->expect[i])) return 0;
    return 1;
}

void check_note(struct check_result *res, const char *fmt, ...) {
    size_t used = strlen(res->notes);
    va_list ap;
    va_start(ap, fmt);
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (strstr(res->notes, line)) return;
    snprintf(res->notes + used, sizeof res->notes - used, "%s%s", used ? "\n" : "", line);
}

static int read_file(const char *path, char **text, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *g = n < (64u << 20) ? realloc(buf, cap *= 2) : NULL;
            if (!g) break; /* a 64 MiB log is plenty of evidence */
            buf = g;
        }
    }
    fclose(f);
    if (!buf) return -1;
    *text = buf;
    *len = n;
    return 0;
}

/* Same line of the same file; files compare by base name, since TSan prints
 * the path from debug info and the runtime the path the compiler was given. */
static int same_loc(const struct location *a, const struct location *b) {
    if (a->line != b->line) return 0;
    if (!a->file || !b->file) return a->file == b->file;
    const char *x = strrchr(a->file, '/'), *y = strrchr(b->file, '/');
    return strcmp(x ? x + 1 : a->file, y ? y + 1 : b->file) == 0;
}

static int same_finding(const struct finding *a, const struct finding *b) {
    if (strcmp(a->kind, b->kind) != 0 || a->nacc != b->nacc) return 0;
    if (a->nacc == 0) return (a->message && b->message) ? strcmp(a->message, b->message) == 0 : 1;
    if (a->nacc == 1) return same_loc(&a->acc[0].loc, &b->acc[0].loc);
    return (same_loc(&a->acc[0].loc, &b->acc[0].loc) && same_loc(&a->acc[1].loc, &b->acc[1].loc)) ||
           (same_loc(&a->acc[0].loc, &b->acc[1].loc) && same_loc(&a->acc[1].loc, &b->acc[0].loc));
}

/* Moves one run's findings into the merged list, counting repeats. */
static int merge(struct check_result *res, struct finding_list *run, int run_no, uint64_t seed) {
    for (size_t i = 0; i < run->len; i++) {
        struct finding *f = &run->items[i], *same = NULL;
        for (size_t j = 0; j < res->findings.len && !same; j++)
            if (same_finding(&res->findings.items[j], f)) same = &res->findings.items[j];
        if (same) {
            if (same->last_run != run_no) same->runs_seen++;
            same->last_run = run_no;
            continue; /* freed with the run's list below */
        }
        struct finding *dst = finding_add(&res->findings, f->kind);
        if (!dst) return -1;
        free(dst->kind);
        *dst = *f;
        memset(f, 0, sizeof *f);
        dst->runs_seen = 1;
        dst->first_run = dst->last_run = run_no;
        dst->seed = seed;
    }
    finding_list_free(run);
    return 0;
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (segmentation fault)";
    case SIGABRT: return "SIGABRT (abort)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic error)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGKILL: return "SIGKILL";
    default: return strsignal(sig);
    }
}

static int add_simple(struct finding_list *l, const char *kind, const char *msg) {
    struct finding *f = finding_add(l, kind);
    return f && finding_set(&f->message, msg) == 0 ? 0 : -1;
}

/* A TSan report whose frames are all unsymbolized cannot point at a line. */
static int unsymbolized(const struct finding *f) {
    if (!f->raw || !strstr(f->raw, "<null> <null>")) return 0;
    for (int i = 0; i < f->nacc; i++)
        if (f->acc[i].loc.file) return 0;
    return 1;
}

/* What the harness saw of a hung program just before killing it. */
struct hang_view {
    const char *rt_state;              /* the lab runtime's thread table, if the program has one */
    struct run_thread_where where[8];
    int n;
};

/* run_child's before-kill hook: on a timeout, look where every thread
 * waits, unless the lab runtime's thread table will say it better. */
static void look_before_kill(pid_t pid, enum run_end why, void *ctx) {
    struct hang_view *h = ctx;
    h->n = 0;
    if (why == RUN_TIMEOUT && access(h->rt_state, R_OK) != 0) h->n = run_where_threads(pid, h->where, 8);
}

/* A timeout finding from what gdb or /proc showed: one line per thread,
 * the first two as the finding's accesses.  0, 1 if nothing seen, -1. */
static int hang_finding(const char *msg, const struct hang_view *h, struct finding_list *out) {
    if (h->n <= 0) return 1;
    struct finding *f = finding_add(out, "timeout");
    if (!f) return -1;
    char text[4096] = "", m[700];
    size_t used = 0;
    for (int i = 0; i < h->n; i++) {
        const struct run_thread_where *w = &h->where[i];
        char line[700];
        if (w->func[0])
            snprintf(line, sizeof line, "%s: in %s() at %s:%d, blocked in %s", w->who, w->func, w->file, w->line,
                     w->blocked);
        else
            snprintf(line, sizeof line, "%s: blocked in %s", w->who, w->blocked);
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? "\n" : "", line);
        if (used >= sizeof text) used = sizeof text - 1;
        if (f->nacc < 2) {
            struct access *a = &f->acc[f->nacc++];
            char what[300];
            snprintf(what, sizeof what, "%s: blocked in %s", w->who, w->blocked);
            if (finding_set(&a->what, what) || finding_set(&a->thread, w->who) ||
                (w->func[0] && (finding_set(&a->loc.func, w->func) || finding_set(&a->loc.file, w->file))))
                return -1;
            a->loc.line = w->line;
        }
    }
    snprintf(m, sizeof m, "%s: %d thread%s waiting", msg, h->n, h->n == 1 ? "" : "s");
    return finding_set(&f->message, m) || finding_set(&f->raw, text) ? -1 : 0;
}

/* Collects everything one run left behind into run_findings. */
static int collect(const struct check_opts *o, struct check_result *res, const char *dir, int run_no,
                   const struct run_result *rr, const struct hang_view *hang, struct finding_list *out) {
    char pattern[512], path[512];
    snprintf(pattern, sizeof pattern, "%s/tsan.%d.*", dir, run_no);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char *text;
            size_t len;
            if (read_file(g.gl_pathv[i], &text, &len) != 0) continue;
            int n = report_parse(text, len, out);
            free(text);
            if (n < 0) {
                globfree(&g);
                return -1;
            }
        }
        globfree(&g);
    }
    /* TSan prints option and start-up errors before it opens log_path, and a
     * process that re-executed itself with its own TSAN_OPTIONS reports on
     * stderr: read the output too (a report seen twice is merged once). */
    if (rr->output_len && strstr(rr->output, "ThreadSanitizer"))
        if (report_parse(rr->output, rr->output_len, out) < 0) return -1;
    /* one tool-error is enough: the parser may have named the symbolizer already */
    for (size_t i = 0; i < out->len && !finding_list_has(out, "tool-error"); i++)
        if (unsymbolized(&out->items[i])) {
            const char *why =
                tsan_symbolizer()
                    ? "ThreadSanitizer's report has no function names or lines although a symbolizer "
                      "was given: the program has no symbols or debug info (stripped, or built without "
                      "-g), or the symbolizer failed; rebuild with -g and do not strip"
                    : "ThreadSanitizer's report has no function names or lines: no symbolizer "
                      "worked (install llvm, e.g. apt-get install llvm, or set "
                      "RACELAB_SYMBOLIZER=/path/to/llvm-symbolizer)";
            if (add_simple(out, "tool-error", why) != 0) return -1;
            break;
        }
    snprintf(path, sizeof path, "%s/rt.%d.log", dir, run_no);
    if (rt_read_log(path, out) < 0) return -1;
    snprintf(path, sizeof path, "%s/rt.%d.state", dir, run_no);
    struct rl_state *st = malloc(sizeof *st);
    int have_state = st && rt_read_state(path, st) == 0;
    if (have_state && st->peak + 1 > res->peak_threads) res->peak_threads = st->peak + 1;
    if (rr->peak_threads > res->peak_threads) res->peak_threads = rr->peak_threads;
    char msg[512];
    switch (rr->end) {
    case RUN_TIMEOUT:
        if (rr->output_dropped > (1u << 20)) /* busy printing, not waiting */
            snprintf(msg, sizeof msg, "still running after %.0f s, printing without end (%zu MB beyond the "
                     "output cap): an endless loop?", o->limits.timeout_s, rr->output_dropped >> 20);
        else
            snprintf(msg, sizeof msg, "hung: still running after %.0f s and stopped; likely a deadlock or a "
                     "lost wakeup", o->limits.timeout_s);
        if (have_state) {
            int added = rt_threads_finding(st, "timeout", msg, 1, out);
            if (added < 0) return -1;
            if (added == 0 && add_simple(out, "timeout", msg) != 0) return -1;
        } else if (o->perturb) {
            /* A lab program maps its thread table before main: without one it
             * never started, which says nothing about its threads. */
            snprintf(msg, sizeof msg, "the program did not even start within %.0f s (an overloaded machine?): "
                     "no verdict; try again, or give more time with --timeout", o->limits.timeout_s);
            if (add_simple(out, "tool-error", msg) != 0) return -1;
        } else {
            int r = hang_finding(msg, hang, out);
            if (r < 0 || (r > 0 && add_simple(out, "timeout", msg) != 0)) return -1;
        }
        break;
    case RUN_MEMORY:
        if (rr->peak_procs > 1)
            snprintf(msg, sizeof msg, "stopped: resident memory above %ld MB across %d processes (forks or "
                     "allocates without bound?)", o->limits.max_rss_mb, rr->peak_procs);
        else
            snprintf(msg, sizeof msg, "stopped: resident memory above %ld MB (allocates without bound?)",
                     o->limits.max_rss_mb);
        if (add_simple(out, "memory-limit", msg)) return -1;
        break;
    case RUN_THREADS:
        snprintf(msg, sizeof msg, "stopped: more than %d threads alive at once (creates threads without bound?)",
                 o->limits.max_threads);
        if (!finding_list_has(out, "too-many-threads") && add_simple(out, "too-many-threads", msg)) return -1;
        break;
    case RUN_PROCS:
        snprintf(msg, sizeof msg, "stopped: more than %d processes (forks without bound?)", o->limits.max_procs);
        if (add_simple(out, "too-many-processes", msg)) return -1;
        break;
    case RUN_SIGNALED:
        snprintf(msg, sizeof msg, "crashed: killed by %s", signal_name(rr->signo));
        if (add_simple(out, "crash", msg)) return -1;
        break;
    case RUN_EXEC_FAILED:
        snprintf(msg, sizeof msg, "cannot start %s: %s", o->argv[0], strerror(rr->exec_errno));
        if (add_simple(out, "tool-error", msg)) return -1;
        break;
    case RUN_EXITED:
        if (o->require_main_return && (!have_state || !st->main_returned)) {
            snprintf(msg, sizeof msg,
                     "the program ended (status %d) before its main returned: exit(), _exit() or quick_exit() "
                     "cut it short (from a constructor, a thread or an error path), so the lab's checks did "
                     "not all run", rr->exit_code);
            if (add_simple(out, "crash", msg)) return -1;
        }
        if (have_state) {
            int added = rt_threads_finding(st, "live-threads-at-exit",
                                           "threads still alive when the program ended", 0, out);
            if (added < 0) return -1;
        }
        if (rr->exit_code != 0 && out->len == 0) {
            if (rr->exit_code == 66)
                snprintf(msg, sizeof msg,
                         "exited with status 66 (what ThreadSanitizer uses for a report) but no report "
                         "was written: the status alone is not a verdict");
            else
                snprintf(msg, sizeof msg, "exited with status %d", rr->exit_code);
            if (add_simple(out, "crash", msg)) return -1;
        }
        break;
    case RUN_INTERRUPTED:
        break;
    }
    free(st);
    if (rr->output_dropped)
        check_note(res, "the program printed more than %zu bytes; the rest was dropped", o->limits.max_output);
    if (rr->stragglers)
        check_note(res, "processes the program left running were killed after it ended");
    return 0;
}

int check_run(const struct check_opts *o, struct check_result *res) {
    memset(res, 0, sizeof *res);
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/racelab.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) return -1;
    int no_aslr = tsan_needs_no_aslr();
    const char *forced = getenv("RACELAB_NO_ASLR");
    if (no_aslr && forced && *forced)
        check_note(res, "RACELAB_NO_ASLR=%s: runs are made without address randomisation", forced);
    else if (no_aslr)
        check_note(res, "vm.mmap_rnd_bits=%d is above what older TSan runtimes accept: runs are made without "
                  "address randomisation", tsan_mmap_rnd_bits());
    if (tsan_inherited_options())
        check_note(res, "ignored the inherited TSAN_OPTIONS (\"%s\"): the harness sets its own", tsan_inherited_options());
    if (tsan_symbolizer_rejected())
        check_note(res, "RACELAB_SYMBOLIZER=%s is not an executable llvm-symbolizer: %s", tsan_symbolizer_rejected(),
             tsan_symbolizer() ? tsan_symbolizer() : "no other one was found");
    if (!tsan_symbolizer())
        check_note(res, "no llvm-symbolizer found: reports may lack lines (apt-get install llvm)");
    int retried_aslr = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int run = 1; run <= o->runs; run++) {
        char log_prefix[320], rt_log[320], rt_state[320];
        snprintf(log_prefix, sizeof log_prefix, "%s/tsan.%d", dir, run);
        snprintf(rt_log, sizeof rt_log, "%s/rt.%d.log", dir, run);
        snprintf(rt_state, sizeof rt_state, "%s/rt.%d.state", dir, run);
        uint64_t seed = o->seed + (uint64_t)(run - 1);
        struct tsan_env_opts eo = {log_prefix, rt_log, rt_state, o->perturb, seed,
                                   o->forbid, o->checked_file, o->max_threads, 0};
        char **env = tsan_env_build(&eo);
        if (!env) return -1;
        struct hang_view hang;
        memset(&hang, 0, sizeof hang);
        hang.rt_state = rt_state;
        struct run_request rq = {o->argv, env, NULL, no_aslr, o->limits, look_before_kill, &hang};
        struct run_result rr;
        int rc = run_child(&rq, &rr);
        tsan_env_free(env);
        if (rc != 0) return -1;
        if (rr.end == RUN_INTERRUPTED) {
            run_result_free(&rr);
            res->verdict = VERDICT_INTERRUPTED;
            break;
        }
        struct finding_list found = {0};
        if (collect(o, res, dir, run, &rr, &hang, &found) != 0) {
            run_result_free(&rr);
            return -1;
        }
        /* Older runtimes die at start on high-entropy ASLR: retry without it once. */
        if (!no_aslr && !retried_aslr && rr.output && found.len &&
            finding_list_has(&found, "tool-error")) {
            int mapping = 0;
            for (size_t i = 0; i < found.len; i++)
                if (found.items[i].message && strstr(found.items[i].message, "memory mapping")) mapping = 1;
            if (mapping) {
                check_note(res, "ThreadSanitizer could not map its memory (high-entropy ASLR): re-ran without "
                          "address randomisation");
                no_aslr = retried_aslr = 1;
                finding_list_free(&found);
                run_result_free(&rr);
                run--;
                continue;
            }
        }
        run_result_free(&rr);
        res->runs_done = run;
        if (found.len) {
            res->runs_with_findings++;
            if (!res->failing_run) {
                res->failing_run = run;
                res->failing_seed = seed;
            }
        }
        if (merge(res, &found, run, seed) != 0) return -1;
        if (finding_list_has(&res->findings, "tool-error") || finding_list_has(&res->findings, "unsupported"))
            break;
        if (o->goal == GOAL_CLEAN && res->findings.len) break;
        if (o->goal == GOAL_CATCH && o->nexpect && check_expected_seen(o, res)) break;
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (res->verdict != VERDICT_INTERRUPTED) {
        if (finding_list_has(&res->findings, "tool-error") || finding_list_has(&res->findings, "unsupported"))
            res->verdict = VERDICT_SETUP;
        else
            res->verdict = res->findings.len ? VERDICT_FINDINGS : VERDICT_CLEAN;
    }
    if (o->keep_logs) {
        snprintf(res->logdir, sizeof res->logdir, "%s", dir);
    } else {
        char cmd[300];
        glob_t g;
        snprintf(cmd, sizeof cmd, "%s/*", dir);
        if (glob(cmd, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) unlink(g.gl_pathv[i]);
            globfree(&g);
        }
        rmdir(dir);
    }
    return 0;
}

void check_result_free(struct check_result *res) { finding_list_free(&res->findings); }
