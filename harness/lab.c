/* lab.c - the lab registry, header lines, and the learner build. */
#include "lab.h"
#include "racelab_config.h"
#include "run_child.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int lab_registry(char names[][64], int max) {
    char path[600];
    snprintf(path, sizeof path, "%s/labs/labs.txt", RACELAB_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (*p == '#' || *p == '\0') continue;
        size_t len = strcspn(p, " \t\r\n");
        if (len == 0 || len >= 64) continue;
        memcpy(names[n], p, len);
        names[n][len] = '\0';
        n++;
    }
    fclose(f);
    return n;
}

/* Reads "caught/runs" from the registry line of a lab. */
static void registry_rate(const char *name, int *caught, int *runs) {
    char path[600], line[512];
    snprintf(path, sizeof path, "%s/labs/labs.txt", RACELAB_SOURCE_DIR);
    *caught = *runs = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    size_t nl = strlen(name);
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (strncmp(p, name, nl) != 0 || !isspace((unsigned char)p[nl])) continue;
        if (sscanf(p + nl, " %d/%d", caught, runs) != 2) *caught = *runs = 0;
        break;
    }
    fclose(f);
}

/* Finds " * Key: value" in a file's header comment; value into buf. */
static int header_value(const char *file, const char *key, char *buf, size_t cap) {
    FILE *f = fopen(file, "r");
    if (!f) return -1;
    char line[1024];
    size_t kl = strlen(key);
    int found = 0;
    for (int i = 0; i < 80 && fgets(line, sizeof line, f); i++) {
        char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '*' || *p == '/') p++;
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            p += kl + 1;
            while (*p == ' ' || *p == '\t') p++;
            p[strcspn(p, "\r\n")] = '\0';
            snprintf(buf, cap, "%s", p);
            found = 1;
            break;
        }
    }
    fclose(f);
    return found;
}

int lab_header_expect(const char *file, char expect[][32], int max) {
    char value[512];
    int r = header_value(file, "Expect", value, sizeof value);
    if (r <= 0) return r;
    int n = 0;
    for (char *tok = strtok(value, " ,"); tok && n < max; tok = strtok(NULL, " ,")) {
        snprintf(expect[n], 32, "%s", tok);
        n++;
    }
    return n;
}

static int valid_name(const char *name) {
    if (!*name || strlen(name) >= 64) return 0;
    for (const char *p = name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_') return 0;
    return 1;
}

int lab_load(const char *name, struct lab_info *li, char *err, size_t errcap) {
    memset(li, 0, sizeof *li);
    char names[LAB_MAX][64];
    int n = lab_registry(names, LAB_MAX);
    if (n < 0) {
        snprintf(err, errcap, "cannot read the lab registry %s/labs/labs.txt", RACELAB_SOURCE_DIR);
        return -1;
    }
    int found = 0;
    for (int i = 0; i < n; i++) found |= valid_name(name) && strcmp(names[i], name) == 0;
    if (!found) {
        int used = snprintf(err, errcap, "no lab named '%s'; the labs are:", name);
        for (int i = 0; i < n && used > 0 && (size_t)used < errcap; i++)
            used += snprintf(err + used, errcap - (size_t)used, " %s", names[i]);
        return -1;
    }
    snprintf(li->name, sizeof li->name, "%s", name);
    snprintf(li->dir, sizeof li->dir, "%s/labs/%s", RACELAB_SOURCE_DIR, name);
    registry_rate(name, &li->caught, &li->rate_runs);
    char file[700], value[256];
    snprintf(file, sizeof file, "%s/%s.c", li->dir, name);
    li->nexpect = lab_header_expect(file, li->expect, LAB_MAX_EXPECT);
    if (li->nexpect <= 0) {
        snprintf(err, errcap, "%s has no \" * Expect:\" header line", file);
        return -1;
    }
    snprintf(file, sizeof file, "%s/test_%s.c", li->dir, name);
    if (access(file, R_OK) != 0) {
        snprintf(err, errcap, "lab %s has no driver %s", name, file);
        return -1;
    }
    if (header_value(file, "Forbid", value, sizeof value) > 0) snprintf(li->forbid, sizeof li->forbid, "%s", value);
    if (header_value(file, "Max-threads", value, sizeof value) > 0) li->max_threads = atoi(value);
    li->timeout_s = 10;
    if (header_value(file, "Timeout", value, sizeof value) > 0 && atof(value) > 0) li->timeout_s = atof(value);
    return 0;
}

/* Blanks out the comments in one line of C (a comment that only mentions
 * an opt-out is not one), carrying the block-comment state across lines.
 * String and character literals are skipped so a quoted slash-star stays. */
static void strip_comments(char *line, int *in_block) {
    for (char *p = line; *p; p++) {
        if (*in_block) {
            if (p[0] == '*' && p[1] == '/') {
                *in_block = 0;
                p[0] = p[1] = ' ';
                p++;
            } else if (*p != '\n') {
                *p = ' ';
            }
        } else if (p[0] == '/' && p[1] == '*') {
            *in_block = 1;
            p[0] = p[1] = ' ';
            p++;
        } else if (p[0] == '/' && p[1] == '/') {
            *p = '\0';
            return;
        } else if (*p == '"' || *p == '\'') {
            char quote = *p++;
            while (*p && *p != quote) p += p[0] == '\\' && p[1] ? 2 : 1;
            if (!*p) return;
        }
    }
}

/* Ways a source file can hide code from the detector: what to look for and
 * what it means. */
static const char *const opt_outs[][2] = {
    {"no_sanitize", "an attribute that turns ThreadSanitizer off for a function"},
    {"disable_sanitizer_instrumentation", "an attribute that turns instrumentation off"},
    {"__tsan_default_options", "compiled-in ThreadSanitizer options"},
    {"__tsan_default_suppressions", "compiled-in suppressions that hide reports"},
    {"__tsan_ignore", "TSan annotations that hide accesses"},
    {"AnnotateIgnore", "TSan annotations that hide accesses"},
    {"AnnotateBenignRace", "an annotation that hides a race"},
    {"RACELAB_RT_NO_WRAP", "switching off racelab's runtime"},
    {"#undef pthread_", "bypassing racelab's runtime"},
    {"#undef sleep", "bypassing racelab's runtime"},
    {"#undef usleep", "bypassing racelab's runtime"},
    {"#undef nanosleep", "bypassing racelab's runtime"},
    {"#pragma clang optimize", "changing how the file is compiled"},
};
#define N_OPT_OUTS (sizeof opt_outs / sizeof opt_outs[0])

/* Adds the not-instrumented finding for opt-out i at file:lno; expanded is
 * the line as the macros made it (NULL when the text itself says it). */
static int add_opt_out(struct finding_list *out, const char *file, int lno, size_t i, const char *expanded) {
    char msg[700];
    if (expanded)
        snprintf(msg, sizeof msg,
                 "the file opts out of checking with '%s' (%s), spelled by a macro: line %d expands to "
                 "\"%.300s\"; racelab does not grade that",
                 opt_outs[i][0], opt_outs[i][1], lno, expanded);
    else
        snprintf(msg, sizeof msg, "the file opts out of checking with '%s' (%s); racelab does not grade that",
                 opt_outs[i][0], opt_outs[i][1]);
    struct finding *fd = finding_add(out, "not-instrumented");
    if (!fd || finding_set(&fd->message, msg) || finding_set(&fd->acc[0].loc.file, file)) return -1;
    fd->acc[0].loc.line = lno;
    fd->nacc = 1;
    return 0;
}

/* The same search after the preprocessor, so an opt-out a macro pastes
 * together (no_##sanitize, _Pragma) is found too.  The file's #include
 * lines are blanked first: a missing header must not stop the scan, and
 * the system's headers hold no opt-out of the learner's.  Returns findings
 * added (0 also when the preprocessor could not run), or -1. */
static int scan_expanded(const char *file, struct finding_list *out) {
    FILE *in = fopen(file, "r");
    if (!in) return 0;
    const char *tmpdir = getenv("TMPDIR");
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s/racelab-scan-XXXXXX.c", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(tmp, 2);
    FILE *copy = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!copy) {
        if (fd >= 0) close(fd);
        fclose(in);
        return 0;
    }
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        const char *p = line + strspn(line, " \t");
        if (*p == '#' && !strncmp(p + 1 + strspn(p + 1, " \t"), "include", 7))
            fputs(line[strlen(line) - 1] == '\n' ? "\n" : "", copy); /* keep the line count */
        else
            fputs(line, copy);
    }
    fclose(in);
    fclose(copy);
    char *argv[] = {RACELAB_CC, "-E", "-w", "-x", "c", "-D_GNU_SOURCE", tmp, NULL};
    struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
    rq.limits.timeout_s = 30;
    rq.limits.max_output = 8u << 20;
    struct run_result rr;
    int added = 0;
    if (run_child(&rq, &rr) == 0) {
        int lno = 0, mine = 1;
        for (char *l = rr.end == RUN_EXITED && rr.exit_code == 0 ? rr.output : NULL; l && *l && added >= 0;) {
            char *nl = strchr(l, '\n');
            if (nl) *nl = '\0';
            if (l[0] == '#' && l[1] == ' ' && l[2] >= '0' && l[2] <= '9') { /* # 12 "file" */
                lno = atoi(l + 2) - 1;
                char *q = strchr(l, '"');
                mine = q && !strncmp(q + 1, tmp, strlen(tmp)) && q[1 + strlen(tmp)] == '"';
            } else if (mine) {
                for (size_t i = 0; i < N_OPT_OUTS && added >= 0; i++)
                    if (strstr(l, opt_outs[i][0]))
                        added = add_opt_out(out, file, lno, i, l + strspn(l, " \t")) ? -1 : added + 1;
            }
            lno++;
            l = nl ? nl + 1 : NULL;
        }
        run_result_free(&rr);
    }
    unlink(tmp);
    return added;
}

int lab_scan_source(const char *file, struct finding_list *out) {
    FILE *f = fopen(file, "r");
    if (!f) return -1;
    char line[2048];
    int added = 0, in_comment = 0;
    for (int lno = 1; fgets(line, sizeof line, f); lno++) {
        strip_comments(line, &in_comment);
        for (size_t i = 0; i < N_OPT_OUTS; i++) {
            if (!strstr(line, opt_outs[i][0])) continue;
            if (add_opt_out(out, file, lno, i, NULL) != 0) {
                fclose(f);
                return -1;
            }
            added++;
        }
    }
    fclose(f);
    return added ? added : scan_expanded(file, out);
}

/* Splits a flags string on spaces into argv (pointers into a copy). */
static int push_words(char **argv, int n, int max, char *copy) {
    for (char *tok = strtok(copy, " "); tok && n < max - 1; tok = strtok(NULL, " ")) argv[n++] = tok;
    return n;
}

int lab_build(const struct lab_info *li, const char *src, const char *out_bin, char **log) {
    char flags[1024], link[256], rt_inc[700], rt_hdr[700], lab_inc[700], driver[700];
    snprintf(flags, sizeof flags, "%s", RACELAB_TSAN_FLAGS);
    snprintf(link, sizeof link, "%s", RACELAB_LAB_LINK_FLAGS);
    snprintf(rt_inc, sizeof rt_inc, "-I%s/harness/rt", RACELAB_SOURCE_DIR);
    snprintf(rt_hdr, sizeof rt_hdr, "%s/harness/rt/racelab_rt.h", RACELAB_SOURCE_DIR);
    char *argv[96];
    int n = 0;
    argv[n++] = RACELAB_CC;
    argv[n++] = "-std=c11";
    n = push_words(argv, n, 96, flags);
    argv[n++] = "-include";
    argv[n++] = rt_hdr;
    argv[n++] = rt_inc;
    if (li) {
        snprintf(lab_inc, sizeof lab_inc, "-I%s", li->dir);
        argv[n++] = lab_inc;
    }
    argv[n++] = (char *)src;
    argv[n++] = RACELAB_RT_OBJECT; /* before the driver: its main pulls in the driver's lab_main */
    if (li) {
        snprintf(driver, sizeof driver, "%s/labs/%s/libdriver.a", RACELAB_BINARY_DIR, li->name);
        argv[n++] = driver;
    }
    n = push_words(argv, n, 94, link);
    argv[n++] = "-o";
    argv[n++] = (char *)out_bin;
    argv[n] = NULL;
    if (li && access(driver, R_OK) != 0) {
        if (asprintf(log, "the lab's driver is not built (%s): run ./scripts/lab build", driver) < 0) *log = NULL;
        return -1;
    }
    struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
    rq.limits.timeout_s = 120;
    rq.limits.max_output = 64 * 1024;
    struct run_result rr;
    if (run_child(&rq, &rr) != 0) {
        if (asprintf(log, "cannot run the compiler %s: %s", RACELAB_CC, strerror(errno)) < 0) *log = NULL;
        return -1;
    }
    int rc;
    if (rr.end == RUN_EXEC_FAILED) {
        rc = -1;
        if (asprintf(log, "cannot run the compiler %s: %s (./scripts/lab doctor says how to install it)",
                     RACELAB_CC, strerror(rr.exec_errno)) < 0)
            *log = NULL;
        run_result_free(&rr);
        return rc;
    }
    rc = rr.end == RUN_EXITED && rr.exit_code == 0 ? 0 : 1;
    *log = rr.output;
    return rc;
}

void lab_work_path(const char *name, char *buf, size_t cap) {
    const char *work = getenv("RACELAB_WORK");
    if (work && *work)
        snprintf(buf, cap, "%s/%s/%s.c", work, name, name);
    else
        snprintf(buf, cap, "%s/work/%s/%s.c", RACELAB_SOURCE_DIR, name, name);
}
