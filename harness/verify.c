/* verify.c - every pair at once: each buggy program caught, each fix clean,
 * checked in parallel worker processes, printed in registry order. */
#include <dirent.h>
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

static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }

/* The variants of a lab that verify checks: buggy, fixed, then each
 * alternative solution solutions/<lab>/<lab>_<alt>.c as fixed_<alt>, sorted
 * (the same rule cmake/racelab.cmake builds them by). */
static int lab_variants(const char *lab, char variants[][64], int max) {
    int n = 0;
    snprintf(variants[n++], 64, "buggy");
    snprintf(variants[n++], 64, "fixed");
    char sol_dir[700];
    snprintf(sol_dir, sizeof sol_dir, "%s/solutions/%s", RACELAB_SOURCE_DIR, lab);
    DIR *d = opendir(sol_dir);
    if (!d) return n;
    size_t ll = strlen(lab);
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len > ll + 3 && len < ll + 60 && strncmp(e->d_name, lab, ll) == 0 && e->d_name[ll] == '_' &&
            strcmp(e->d_name + len - 2, ".c") == 0)
            snprintf(variants[n++], 64, "fixed%.*s", (int)(len - 2 - ll), e->d_name + ll);
    }
    closedir(d);
    qsort(variants[2], (size_t)(n - 2), sizeof variants[0], cmp_str);
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

int cmd_verify(struct cli *c, int argc, char **argv) {
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
    int total_runs = 0;
    for (int k = 0; k < njobs; k++) total_runs += jobs[k].runs;
    printf("\n%d of %d pairs hold (%d programs checked, %d runs, %.1f s with %d job%s)\n", labs_ok, nlabs, njobs,
           total_runs, wall, jobs_max, jobs_max == 1 ? "" : "s");
    printf("runs: a buggy program runs until every expected kind shows; a fix runs N clean times,\n"
           "N = max(5, ceil(ln 0.01 / ln(1 - p))), p = the lower 95%% bound of the buggy program's\n"
           "measured catch rate (labs/labs.txt): 99%% confidence for a bug as catchable as the original.\n");
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
                    output_xml_str(f, jobs[k].summary);
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

