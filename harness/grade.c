/* grade.c - a learner's work, in points (./scripts/lab check --all). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "racelab_config.h"

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
    struct check_opts o = learner_opts(c, &li, row->src);
    char *pargv[] = {bin, NULL};
    o.argv = pargv;
    double p = li.rate_runs > 0 ? check_rate_lower(li.caught, li.rate_runs) : -1;
    int run_rc = check_built(&o, &res);
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

int cmd_grade(struct cli *c, int argc, char **argv) {
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
int cmd_tampered(int argc, char **argv) {
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

