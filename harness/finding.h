/* finding.h - what a check found: one record per problem, and a growable list.
 *
 * A finding has a kind (a short token such as "data-race" or "timeout"), where
 * it happened (up to two source locations: the current access and the
 * previous/conflicting one), and the evidence (the raw report text).  Kinds
 * from ThreadSanitizer are named after the report headline; unknown
 * headlines are kept as their own kind, never dropped.
 */
#ifndef RACELAB_FINDING_H
#define RACELAB_FINDING_H

#include <stddef.h>

/* One stack frame location: function, file and line (line 0 = unknown). */
struct location {
    char *func;   /* NULL when unknown */
    char *file;   /* NULL when unknown (unsymbolized frame) */
    int line;
};

/* One access or event of a finding (for a race: the current or previous access). */
struct access {
    char *what;       /* e.g. "Write of size 4", "Previous read of size 4", "blocked in pthread_cond_wait(&cv)" */
    char *thread;     /* e.g. "thread T1", "main thread"; NULL if not said */
    char *mutexes;    /* e.g. "write M0, read M1"; NULL if none held */
    struct location loc; /* the first frame in the program's own code */
};

struct finding {
    char *kind;        /* token: data-race, thread-leak, invariant, timeout, ... */
    char *message;     /* one human line: what happened */
    char *variable;    /* global name, "heap block of size 48", "stack of main thread"; NULL if none */
    struct access acc[2];
    int nacc;          /* 0, 1 or 2 accesses filled */
    char *raw;         /* the evidence: the full report text; NULL if none */
    int runs_seen;     /* set by the check: in how many runs it appeared */
    int first_run;     /* set by the check: the first run (1-based) it appeared in */
    int last_run;      /* set by the check: the last run it appeared in */
    unsigned long long seed; /* set by the check: that run's perturbation seed */
};

struct finding_list {
    struct finding *items;
    size_t len, cap;
};

/* Appends a zeroed finding of the given kind; returns it or NULL on ENOMEM. */
struct finding *finding_add(struct finding_list *list, const char *kind);

/* Sets a string field of a finding (copies s; frees the old value); 0 or -1. */
int finding_set(char **field, const char *s);

/* Frees every finding's strings and the list's storage; leaves an empty list. */
void finding_list_free(struct finding_list *list);

/* Moves every finding of src to the end of dst; src is left empty. 0 or -1. */
int finding_list_take(struct finding_list *dst, struct finding_list *src);

/* True (1) when the list holds a finding of this kind. */
int finding_list_has(const struct finding_list *list, const char *kind);

/* True (1) when kind is one of the tokens racelab knows (TSan's or its own). */
int finding_kind_known(const char *kind);

#endif
