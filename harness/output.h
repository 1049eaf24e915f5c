/* output.h - a check's result for people (explained, with the source lines
 * of both accesses) and for machines (JSON, JUnit XML). */
#ifndef RACELAB_OUTPUT_H
#define RACELAB_OUTPUT_H

#include <stdio.h>

#include "check.h"

/* One checked program: what it is, what was wanted, and what happened. */
struct output_case {
    const char *suite;       /* e.g. "counter" or "racecheck" */
    const char *name;        /* e.g. "buggy", "fixed", "learner" */
    const char *program;     /* path */
    const struct check_opts *opts;
    const struct check_result *res;
    int passed;              /* did it hold (caught as expected / clean as required)? */
    double catch_rate;       /* the p the run count came from; <0 if none */
    const char *summary;     /* one line: what the verdict means */
};

/* Prints the findings for a person: kind, explanation, both accesses with a
 * few source lines around each (the racing line marked), threads, locks,
 * and how to replay the failing run.  raw: also print the raw reports. */
void output_human(FILE *out, const struct output_case *c, int raw, int color);

/* Writes one case as a JSON object (no trailing newline). */
void output_json_case(FILE *out, const struct output_case *c);

/* Writes a JUnit XML document with one testcase per case. */
void output_junit(FILE *out, const char *suite, const struct output_case *cases, int n);

/* Writes s as a JSON string (quoted, escaped; null for NULL). */
void output_json_str(FILE *out, const char *s);

/* Writes s escaped for XML text or an attribute value. */
void output_xml_str(FILE *out, const char *s);

/* What a finding kind means, in teaching terms (one or two sentences). */
const char *output_explain(const char *kind);

#endif
