/* output.c - a check's result for people, and as JSON and JUnit XML. */
#include "output.h"

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

/* Prints lines around `line` of file, marking the line itself. */
static void print_source(FILE *out, const char *file, int line, int color) {
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
            fprintf(out, "%s    > %4d | %s%s\n", color ? "\033[1;31m" : "", n, buf, color ? "\033[0m" : "");
        else
            fprintf(out, "      %4d | %s\n", n, buf);
    }
    fclose(f);
}

void output_human(FILE *out, const struct output_case *c, int raw, int color) {
    const struct check_result *r = c->res;
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
    for (size_t i = 0; i < r->findings.len; i++) {
        const struct finding *f = &r->findings.items[i];
        fprintf(out, "\n%s%s%s: %s\n", bold, f->kind, off, f->message ? f->message : "");
        if (f->variable) fprintf(out, "  on: %s\n", f->variable);
        fprintf(out, "  %s\n", output_explain(f->kind));
        for (int a = 0; a < f->nacc; a++) {
            const struct access *ac = &f->acc[a];
            if (ac->what) {
                fprintf(out, "  %s%s", a == 0 ? "" : "and ", ac->what);
                if (ac->thread && !strstr(ac->what, ac->thread)) fprintf(out, " by %s", ac->thread);
                if (ac->mutexes) fprintf(out, " holding %s", ac->mutexes);
                fputc('\n', out);
            }
            if (ac->loc.file)
                fprintf(out, "    at %s:%d%s%s\n", ac->loc.file, ac->loc.line, ac->loc.func ? " in " : "",
                        ac->loc.func ? ac->loc.func : "");
            print_source(out, ac->loc.file, ac->loc.line, color);
        }
        if (f->raw && (raw || strcmp(f->kind, "timeout") == 0 || strcmp(f->kind, "live-threads-at-exit") == 0 ||
                       strcmp(f->kind, "unparsed") == 0))
            fprintf(out, "%s\n", f->raw);
        if (f->first_run)
            fprintf(out, "  seen in %d of %d run%s; first in run %d (replay: --seed %llu --runs 1)\n",
                    f->runs_seen, r->runs_done, r->runs_done == 1 ? "" : "s", f->first_run, f->seed);
    }
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
                if (f->nacc && f->acc[0].loc.file) fprintf(out, " (%s:%d)", f->acc[0].loc.file, f->acc[0].loc.line);
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
