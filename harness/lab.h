/* lab.h - the lab registry, a lab's machine-read header lines, and building
 * a learner's file exactly like the shipped labs. */
#ifndef RACELAB_LAB_H
#define RACELAB_LAB_H

#include <stddef.h>

#include "finding.h"

#define LAB_MAX 64
#define LAB_MAX_EXPECT 8

struct lab_info {
    char name[64];
    int caught, rate_runs;            /* measured catch rate (0/0: not measured) */
    char expect[LAB_MAX_EXPECT][32];  /* from "Expect:" in labs/<name>/<name>.c */
    int nexpect;
    char forbid[256];                 /* from "Forbid:" in the driver */
    int max_threads;                  /* from "Max-threads:" in the driver */
    double timeout_s;                 /* from "Timeout:" in the driver (default 10) */
    char dir[512];                    /* labs/<name> */
};

/* Reads labs/labs.txt: names in teaching order into names[]; returns how
 * many (-1 if the registry cannot be read). */
int lab_registry(char names[][64], int max);

/* Loads a lab by name; 0, or -1 with a message in err (unknown lab, ...). */
int lab_load(const char *name, struct lab_info *li, char *err, size_t errcap);

/* Reads the kinds of a " * Expect:" header line of file into expect[];
 * returns how many (0 when the file has none, -1 if unreadable). */
int lab_header_expect(const char *file, char expect[][32], int max);

/* Adds a "not-instrumented" finding for every way the source opts out of
 * ThreadSanitizer or the runtime (no_sanitize, __tsan_default_options,
 * #undef of a wrapped call...).  Returns findings added, or -1. */
int lab_scan_source(const char *file, struct finding_list *out);

/* Builds src (plus the lab's driver, or nothing when li is NULL) with the
 * labs' flags into out_bin.  Returns 0 on success; on a compile error, 1
 * with the compiler's output in *log (caller frees); -1 if the compiler
 * could not be run (message in *log). */
int lab_build(const struct lab_info *li, const char *src, const char *out_bin, char **log);

/* The default working copy of a lab: work/<name>/<name>.c under the source
 * tree (or $RACELAB_WORK/<name>/<name>.c). */
void lab_work_path(const char *name, char *buf, size_t cap);

#endif
