/* output.c - a check's result for people, and as JSON and JUnit XML. */
#include "output.h"
#include "racelab_config.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *kind, *text;
} explanations[] = {
    {"data-race", "Two threads touched the same memory, at least one wrote, and nothing ordered the two "
                  "accesses (no lock held by both, no atomic, no join between them). The result depends on "
                  "timing: updates can be lost or half-seen. ThreadSanitizer reports it whether or not "
                  "this run's result came out wrong."},
    {"thread-leak", "A joinable thread was never joined (or detached). Its result and resources are "
                    "never collected; in a server this grows with every request."},
    {"lock-order-inversion", "Two locks are taken in opposite orders by different code paths: if two threads "
                             "each hold one and wait for the other, both wait forever. Reported from the "
                             "lock order alone, even if this run did not hang."},
    {"heap-use-after-free", "Memory was freed by one thread while another thread could still use it."},
    {"destroy-locked-mutex", "A mutex was destroyed while still locked: some path returned without unlocking."},
    {"unlock-unlocked-mutex", "A mutex was unlocked that was not locked, or by a thread that does not hold it."},
    {"double-lock", "A thread locked a mutex it already holds: with a normal mutex that thread waits forever."},
    {"signal-unsafe-call", "A signal handler called a function that is not async-signal-safe (malloc, printf...)."},
    {"signal-handler-spoils-errno", "A signal handler changed errno without restoring it."},
    {"invariant", "The lab's behaviour check failed: the program computed a wrong result (a lost update, a "
                  "missing entry, a wrong total...). Even without a report, the outcome shows the interleaving."},
    {"timeout", "The program did not finish in time: some thread waits for something that never comes "
                "(a deadlock, a lost wakeup, a join of a thread that never ends). Each thread's wait is listed."},
    {"live-threads-at-exit", "The program ended while threads were still running or blocked: work was "
                             "abandoned, not finished or cancelled."},
    {"too-many-threads", "More threads were alive at once than the lab allows: threads are created without "
                         "a bound (one per job) instead of a bounded pool."},
    {"forbidden-call", "The fix uses a call the lab forbids: sleeping does not order memory between threads; "
                       "it only makes a race rarer."},
    {"crash", "The program crashed or exited with an error status."},
    {"memory-limit", "The program used more memory than allowed and was stopped."},
    {"too-many-processes", "The program started more processes than allowed and was stopped."},
    {"build-error", "The program does not compile."},
    {"tool-error", "The detector or the toolchain failed, so there is no verdict about the program."},
    {"unsupported", "The program does something ThreadSanitizer cannot check (e.g. starting threads in a "
                    "child after fork in a multi-threaded process): its silence means nothing."},
    {"not-instrumented", "Part of the program is hidden from the detector, so a clean run would mean nothing."},
    {"suppressed", "Reports were hidden by suppressions: the program is not clean, it is silenced."},
    {"unparsed", "ThreadSanitizer printed a report racelab could not parse; it is kept as it is."},
};

const char *output_explain(const char *kind) {
    for (size_t i = 0; i < sizeof explanations / sizeof explanations[0]; i++)
        if (strcmp(explanations[i].kind, kind) == 0) return explanations[i].text;
    return "A ThreadSanitizer report of a kind racelab has no explanation for yet; the raw report follows.";
}

/* --- the failure view ------------------------------------------------------
 *
 * For each finding: the kind as a headline, what happened in one plain
 * sentence, what the kind means, each access with a few source lines (the
 * line itself marked), which threads they were (the function each ran and
 * where it was started, read from the report), which locks were held, and
 * how to replay the run.  Once at the end: the lab's own words on what the
 * detector is telling you (from its README).  Colour only when asked. */

struct palette {
    const char *bold, *red, *dim, *cyan, *off;
};

/* Writes text wrapped at width columns, each line after `indent`. */
static void print_wrapped(FILE *out, const char *indent, const char *text, int width) {
    int col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n') p++;
        if (!*p) break;
        size_t w = strcspn(p, " \n");
        if (col && col + 1 + (int)w > width) {
            fputc('\n', out);
            col = 0;
        }
        if (!col) col = fprintf(out, "%s", indent);
        else col += fprintf(out, " ");
        col += fprintf(out, "%.*s", (int)w, p);
        p += w;
    }
    if (col) fputc('\n', out);
}

/* Prints lines around `line` of file, marking the line itself. */
static void print_source(FILE *out, const char *file, int line, const struct palette *pl) {
    FILE *f = file ? fopen(file, "r") : NULL;
    if (!f || line <= 0) {
        if (f) fclose(f);
        return;
    }
    char buf[512];
    for (int n = 1; fgets(buf, sizeof buf, f) && n <= line + 1; n++) {
        if (n < line - 2) continue;
        buf[strcspn(buf, "\n")] = '\0';
        if (n == line)
            fprintf(out, "%s    > %4d | %s%s\n", pl->red, n, buf, pl->off);
        else
            fprintf(out, "%s      %4d | %s%s\n", pl->dim, n, buf, pl->off);
    }
    fclose(f);
}

/* Copies into buf the function and "file:line" of a frame line
 * "#1 handler /path/test_counter.c:54:9 (...)"; 0, or -1 if not a frame. */
static int parse_frame(const char *line, char *func, size_t fcap, char *where, size_t wcap) {
    while (*line == ' ') line++;
    if (*line != '#') return -1;
    const char *p = line + strcspn(line, " ");
    while (*p == ' ') p++;
    size_t fl = strcspn(p, " \n");
    snprintf(func, fcap, "%.*s", (int)fl, p);
    p += fl;
    while (*p == ' ') p++;
    size_t wl = strcspn(p, " \n");
    char path[400];
    snprintf(path, sizeof path, "%.*s", (int)(wl < sizeof path ? wl : sizeof path - 1), p);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *colon = strchr(base, ':');
    if (colon && (colon = strchr(colon + 1, ':'))) *colon = '\0'; /* drop the column */
    snprintf(where, wcap, "%s", base);
    return 0;
}

/* Frames that belong to the harness's runtime or libc, not the program. */
static int plumbing_frame(const char *func, const char *where) {
    return strncmp(func, "rl_", 3) == 0 || strcmp(func, "pthread_create") == 0 || strcmp(func, "start_thread") == 0 ||
           strstr(where, "racelab_rt") != NULL || strcmp(where, "<null>") == 0;
}

/* The story of one thread ("T2") from a raw report: the function it ran
 * (the outermost program frame of its access stack) and where it was
 * started.  Writes e.g. "T2 ran handler(), started by the main thread in
 * main() at test_counter.c:67"; returns 0 if the report says nothing. */
static int thread_story(const char *raw, const char *tid, char *buf, size_t cap) {
    if (!raw || !tid) return -1;
    char func[128], where[256], ran[128] = "", started[400] = "", key[64];
    /* the access block: "... by thread T2:" or "... by thread T2 (mutexes: ...):" */
    snprintf(key, sizeof key, "by thread %s", tid);
    const char *p = strstr(raw, key);
    while (p && (p[strlen(key)] != ':' && p[strlen(key)] != ' ')) p = strstr(p + 1, key);
    if (p) {
        const char *line = strchr(p, '\n');
        while (line && line[1] && line[1] != '\n') {
            line++;
            if (parse_frame(line, func, sizeof func, where, sizeof where) == 0 && !plumbing_frame(func, where))
                snprintf(ran, sizeof ran, "%s()", func);
            line = strchr(line, '\n');
        }
    }
    snprintf(key, sizeof key, "Thread %s (", tid);
    const char *t = strstr(raw, key);
    if (t) {
        const char *by = strstr(t, "created by ");
        const char *eol = strchr(t, '\n');
        if (by && eol && by < eol) {
            by += 11;
            size_t bl = strstr(by, " at:") && strstr(by, " at:") < eol ? (size_t)(strstr(by, " at:") - by) : 0;
            const char *line = eol;
            while (line && line[1] && line[1] != '\n') {
                line++;
                if (parse_frame(line, func, sizeof func, where, sizeof where) == 0 && !plumbing_frame(func, where)) {
                    snprintf(started, sizeof started, "started by the %.*s in %s() at %s", (int)bl, by, func, where);
                    if (strncmp(by, "main thread", 11) != 0)
                        snprintf(started, sizeof started, "started by %.*s in %s() at %s", (int)bl, by, func, where);
                    break;
                }
                line = strchr(line, '\n');
            }
        }
        if (strstr(t, ", finished)") && strstr(t, ", finished)") < (eol ? eol : t + strlen(t)))
            strncat(started, started[0] ? ", since finished" : "finished", sizeof started - strlen(started) - 1);
    }
    if (!ran[0] && !started[0]) return -1;
    snprintf(buf, cap, "%s%s%s%s%s", tid, ran[0] ? " ran " : "", ran, ran[0] && started[0] ? ", " : " ", started);
    return 0;
}

/* "wrote" / "read" / "used" from an access's what ("Previous write of size 8"). */
static const char *verb_of(const char *what) {
    if (!what) return "used";
    if (strcasestr(what, "write")) return "wrote";
    if (strcasestr(what, "read")) return "read";
    return "used";
}

/* The thread id ("T2") or "main" from "thread T2" / "main thread". */
static const char *tid_of(const char *thread) {
    if (!thread) return NULL;
    const char *t = strstr(thread, "thread T");
    if (t) return t + 7;
    return strstr(thread, "main") ? "main" : NULL;
}

/* "thread T2" as is, "main thread" as "the main thread". */
static const char *who(const char *thread, const char *none) {
    if (!thread) return none;
    return strncmp(thread, "main", 4) == 0 ? "the main thread" : thread;
}

/* A data race in one sentence, e.g. "Thread T2 wrote 'served' at counter.c:21
 * while thread T1 wrote it at counter.c:21, and nothing ordered the two." */
static void race_sentence(FILE *out, const struct finding *f, const struct palette *pl) {
    const struct access *a = &f->acc[0], *b = &f->acc[1];
    char s[1200], la[300] = "", lb[300] = "", var[300] = "the same memory";
    const char *fa = a->loc.file ? strrchr(a->loc.file, '/') : NULL, *fb = b->loc.file ? strrchr(b->loc.file, '/') : NULL;
    if (a->loc.file && a->loc.line > 0) snprintf(la, sizeof la, " at %s:%d", fa ? fa + 1 : a->loc.file, a->loc.line);
    if (b->loc.file && b->loc.line > 0) snprintf(lb, sizeof lb, " at %s:%d", fb ? fb + 1 : b->loc.file, b->loc.line);
    if (f->variable && !strchr(f->variable, ' ')) snprintf(var, sizeof var, "'%s'", f->variable);
    else if (f->variable && strncmp(f->variable, "stack", 5) == 0) snprintf(var, sizeof var, "memory on the %s", f->variable);
    else if (f->variable) snprintf(var, sizeof var, "memory in a %s", f->variable);
    snprintf(s, sizeof s, "What happened: %s %s %s%s while %s %s it%s, and nothing ordered the two accesses.",
             who(a->thread, "one thread"), verb_of(a->what), var, la, who(b->thread, "another thread"),
             verb_of(b->what), lb);
    if (s[15] >= 'a' && s[15] <= 'z') s[15] = (char)(s[15] - 'a' + 'A');
    fputs(pl->bold, out);
    print_wrapped(out, "  ", s, 78);
    fputs(pl->off, out);
}

/* The first paragraph of a lab README's "What the detector is telling you",
 * less its first sentence when that only repeats the headline; up to three
 * sentences, backticks dropped.  0, or -1 when the README has none. */
static int lab_concept(const char *lab, char *buf, size_t cap) {
    char path[700];
    snprintf(path, sizeof path, "%s/labs/%s/README.md", RACELAB_SOURCE_DIR, lab);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[1024], para[4096] = "";
    int inside = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') {
            if (inside) break;
            inside = strcasestr(line, "what the detector is telling you") != NULL;
            continue;
        }
        if (!inside) continue;
        if (line[0] == '\n') {
            if (para[0]) break;
            continue;
        }
        line[strcspn(line, "\n")] = ' ';
        strncat(para, line, sizeof para - strlen(para) - 1);
    }
    fclose(f);
    if (!para[0]) return -1;
    /* drop backticks */
    char *w = para;
    for (char *r = para; *r; r++)
        if (*r != '`') *w++ = *r;
    *w = '\0';
    /* sentence starts: after ". " followed by an upper-case letter */
    const char *start = para;
    if (strncmp(para, "WARNING:", 8) == 0) {
        const char *q = para;
        while ((q = strstr(q, ". ")) && !(q[2] >= 'A' && q[2] <= 'Z')) q++;
        if (q) start = q + 2;
    }
    const char *end = start;
    for (int n = 0; n < 3 && end && *end; n++) {
        const char *q = end;
        while ((q = strstr(q, ". ")) && !(q[2] >= 'A' && q[2] <= 'Z')) q++;
        end = q ? q + 1 : start + strlen(start);
    }
    snprintf(buf, cap, "%.*s", (int)(end - start), start);
    return 0;
}

void output_human(FILE *out, const struct output_case *c, int raw, int color) {
    const struct check_result *r = c->res;
    struct palette pl = {"", "", "", "", ""};
    if (color) pl = (struct palette){"\033[1m", "\033[1;31m", "\033[2m", "\033[36m", "\033[0m"};
    for (size_t i = 0; i < r->findings.len; i++) {
        const struct finding *f = &r->findings.items[i];
        int race = strcmp(f->kind, "data-race") == 0 && f->nacc == 2;
        fputc('\n', out);
        if (race)
            fprintf(out, "%s%s%s%s%s%s\n", pl.red, f->kind, f->variable ? " on '" : "", f->variable ? f->variable : "",
                    f->variable ? "'" : "", pl.off);
        else
            fprintf(out, "%s%s%s: %s\n", pl.red, f->kind, pl.off, f->message ? f->message : "");
        if (race) race_sentence(out, f, &pl);
        else if (f->variable) fprintf(out, "  on: %s\n", f->variable);
        int explained = 0; /* each kind's meaning once, at its first finding */
        for (size_t j = 0; j < i; j++) explained |= strcmp(r->findings.items[j].kind, f->kind) == 0;
        if (!explained) {
            fputs(pl.dim, out);
            print_wrapped(out, "  ", output_explain(f->kind), 78);
            fputs(pl.off, out);
        }
        int locks_known = 0, any_lock = 0;
        for (int a = 0; a < f->nacc; a++) {
            const struct access *ac = &f->acc[a];
            if (ac->what) {
                fprintf(out, "  %s%s%s", pl.bold, ac->what, pl.off);
                if (ac->thread && !strstr(ac->what, ac->thread)) fprintf(out, " by %s", ac->thread);
                if (race) fprintf(out, ", holding %s", ac->mutexes ? ac->mutexes : "no lock");
                else if (ac->mutexes) fprintf(out, " holding %s", ac->mutexes);
                fputc('\n', out);
                locks_known = 1;
                any_lock |= ac->mutexes != NULL;
            }
            if (ac->loc.file)
                fprintf(out, "    at %s%s:%d%s%s%s\n", pl.cyan, ac->loc.file, ac->loc.line, ac->loc.func ? " in " : "",
                        ac->loc.func ? ac->loc.func : "", pl.off);
            const struct access *prev = a ? &f->acc[0] : NULL;
            if (prev && prev->loc.file && ac->loc.file && strcmp(prev->loc.file, ac->loc.file) == 0 &&
                prev->loc.line == ac->loc.line)
                fprintf(out, "    (the same line as above: %s ran it at the same time)\n",
                        race ? "two threads" : "another thread");
            else
                print_source(out, ac->loc.file, ac->loc.line, &pl);
        }
        if (race) {
            char story[600];
            int told = 0;
            for (int a = 0; a < 2; a++) {
                const char *tid = tid_of(f->acc[a].thread);
                if (!tid || (a == 1 && f->acc[0].thread && f->acc[1].thread && !strcmp(f->acc[0].thread, f->acc[1].thread)))
                    continue;
                if (strcmp(tid, "main") == 0) snprintf(story, sizeof story, "the main thread runs the driver's main()");
                else if (thread_story(f->raw, tid, story, sizeof story) != 0) continue;
                fprintf(out, "  %s%s%s %s\n", pl.bold, told ? "        " : "Threads:", pl.off, story);
                told = 1;
            }
            if (locks_known)
                fprintf(out, "  %sLocks:%s %s\n", pl.bold, pl.off,
                        any_lock ? "the two accesses did not both hold one same lock, so the lock orders nothing "
                                   "between them"
                                 : "neither access held a lock, so nothing orders one before the other");
        }
        if (f->raw && (raw || strcmp(f->kind, "timeout") == 0 || strcmp(f->kind, "live-threads-at-exit") == 0 ||
                       strcmp(f->kind, "unparsed") == 0))
            fprintf(out, "%s%s%s\n", raw ? pl.dim : "", f->raw, raw ? pl.off : "");
        if (f->first_run)
            fprintf(out, "  seen in %d of %d run%s; first in run %d (replay: --seed %llu --runs 1)\n", f->runs_seen,
                    r->runs_done, r->runs_done == 1 ? "" : "s", f->first_run, f->seed);
    }
    char concept[2048];
    if (r->findings.len && c->suite && lab_concept(c->suite, concept, sizeof concept) == 0) {
        fprintf(out, "\n%sWhat the detector is telling you%s (labs/%s/README.md):\n", pl.bold, pl.off, c->suite);
        print_wrapped(out, "  ", concept, 78);
    }
    if (r->findings.len && !raw && !c->passed)
        fprintf(out, "%s(--raw shows ThreadSanitizer's own report)%s\n", pl.dim, pl.off);
    if (r->notes[0]) fprintf(out, "\nnote: %s\n", r->notes);
}

void output_json_str(FILE *out, const char *s) {
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_loc(FILE *out, const struct access *a) {
    fputs("{\"what\":", out);
    output_json_str(out, a->what);
    fputs(",\"thread\":", out);
    output_json_str(out, a->thread);
    fputs(",\"mutexes\":", out);
    output_json_str(out, a->mutexes);
    fputs(",\"function\":", out);
    output_json_str(out, a->loc.func);
    fputs(",\"file\":", out);
    output_json_str(out, a->loc.file);
    fprintf(out, ",\"line\":%d}", a->loc.line);
}

static const char *verdict_name(enum check_verdict v) {
    switch (v) {
    case VERDICT_CLEAN: return "clean";
    case VERDICT_FINDINGS: return "findings";
    case VERDICT_SETUP: return "setup-error";
    default: return "interrupted";
    }
}

void output_json_case(FILE *out, const struct output_case *c) {
    const struct check_result *r = c->res;
    fputs("{\"suite\":", out);
    output_json_str(out, c->suite);
    fputs(",\"name\":", out);
    output_json_str(out, c->name);
    fputs(",\"program\":", out);
    output_json_str(out, c->program);
    fprintf(out, ",\"goal\":\"%s\",\"passed\":%s,\"verdict\":\"%s\",\"runs\":%d,\"runs_with_findings\":%d",
            c->opts->goal == GOAL_CLEAN ? "clean" : "catch", c->passed ? "true" : "false",
            verdict_name(r->verdict), r->runs_done, r->runs_with_findings);
    if (c->opts->goal == GOAL_CLEAN && r->verdict == VERDICT_CLEAN) {
        fprintf(out, ",\"confidence\":0.99,\"rate_ruled_out\":%.4f", check_rate_ruled_out(r->runs_done, 0.99));
        if (c->catch_rate >= 0) fprintf(out, ",\"catch_rate\":%.4f", c->catch_rate);
    }
    fputs(",\"expected\":[", out);
    for (int i = 0; i < c->opts->nexpect; i++) {
        if (i) fputc(',', out);
        output_json_str(out, c->opts->expect[i]);
    }
    fputs("],\"kinds\":[", out);
    int first = 1;
    for (size_t i = 0; i < r->findings.len; i++) {
        int dup = 0;
        for (size_t j = 0; j < i; j++) dup |= strcmp(r->findings.items[j].kind, r->findings.items[i].kind) == 0;
        if (dup) continue;
        if (!first) fputc(',', out);
        first = 0;
        output_json_str(out, r->findings.items[i].kind);
    }
    fprintf(out, "],\"wall_s\":%.3f,\"peak_threads\":%d", r->wall_s, r->peak_threads);
    if (r->failing_run) fprintf(out, ",\"failing_run\":%d,\"failing_seed\":%llu", r->failing_run,
                                (unsigned long long)r->failing_seed);
    fputs(",\"summary\":", out);
    output_json_str(out, c->summary);
    fputs(",\"notes\":", out);
    output_json_str(out, r->notes[0] ? r->notes : NULL);
    fputs(",\"findings\":[", out);
    for (size_t i = 0; i < r->findings.len; i++) {
        const struct finding *f = &r->findings.items[i];
        if (i) fputc(',', out);
        fputs("{\"kind\":", out);
        output_json_str(out, f->kind);
        fputs(",\"message\":", out);
        output_json_str(out, f->message);
        fputs(",\"variable\":", out);
        output_json_str(out, f->variable);
        fputs(",\"accesses\":[", out);
        for (int a = 0; a < f->nacc; a++) {
            if (a) fputc(',', out);
            json_loc(out, &f->acc[a]);
        }
        fprintf(out, "],\"runs_seen\":%d,\"first_run\":%d,\"seed\":%llu,\"raw\":", f->runs_seen, f->first_run,
                f->seed);
        output_json_str(out, f->raw);
        fputc('}', out);
    }
    fputs("]}", out);
}

void output_xml_str(FILE *out, const char *s) {
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            if (*p < 0x20 && *p != '\n' && *p != '\t') fputc(' ', out);
            else fputc(*p, out);
        }
    }
}

void output_junit(FILE *out, const char *suite, const struct output_case *cases, int n) {
    int failures = 0, errors = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
        if (cases[i].res->verdict == VERDICT_SETUP) errors++;
        else if (!cases[i].passed) failures++;
        total += cases[i].res->wall_s;
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    fprintf(out, "  <testsuite name=\"");
    output_xml_str(out, suite);
    fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n", n, failures,
            errors, total);
    for (int i = 0; i < n; i++) {
        const struct output_case *c = &cases[i];
        fprintf(out, "    <testcase classname=\"");
        output_xml_str(out, c->suite);
        fprintf(out, "\" name=\"");
        output_xml_str(out, c->name);
        fprintf(out, "\" time=\"%.3f\">\n", c->res->wall_s);
        if (!c->passed) {
            const char *tag = c->res->verdict == VERDICT_SETUP ? "error" : "failure";
            fprintf(out, "      <%s message=\"", tag);
            output_xml_str(out, c->summary);
            fprintf(out, "\" type=\"");
            output_xml_str(out, c->res->findings.len ? c->res->findings.items[0].kind : "not-caught");
            fprintf(out, "\">");
            for (size_t j = 0; j < c->res->findings.len; j++) {
                const struct finding *f = &c->res->findings.items[j];
                output_xml_str(out, f->kind);
                fputs(": ", out);
                output_xml_str(out, f->message);
                if (f->nacc && f->acc[0].loc.file) {
                    fputs(" (", out);
                    output_xml_str(out, f->acc[0].loc.file);
                    fprintf(out, ":%d)", f->acc[0].loc.line);
                }
                fputs("\n", out);
            }
            fprintf(out, "</%s>\n", tag);
        }
        fprintf(out, "      <system-out>");
        output_xml_str(out, c->summary);
        fprintf(out, "</system-out>\n    </testcase>\n");
    }
    fprintf(out, "  </testsuite>\n</testsuites>\n");
}
