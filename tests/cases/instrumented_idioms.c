/* instrumented_idioms.c - a clean program full of code compilers leave
 * uninstrumented on purpose.
 *
 * Can the harness's check for code built without TSan call a fully
 * instrumented program "not instrumented"?  It must not.  Constant tables
 * read in loops, structs returned by value (the caller's return slot),
 * varargs, copies and string compares the compiler expands inline (gcc
 * does that after instrumenting), and stack buffers reached through
 * pointers, at -O0, -O2 and -Os, with clang and gcc: all clean.  The last
 * variants build the worker's file without -fsanitize=thread and must be
 * caught.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -pthread
 * Options: --runs 2
 * Verdict: 0
 * Name: clang-O0
 * Build: -O0
 * Verdict: 0
 * Name: clang-O2
 * Build: -O2
 * Verdict: 0
 * Name: clang-Os
 * Build: -Os
 * Verdict: 0
 * Name: gcc-O0
 * CC: gcc
 * Build: -O0
 * Verdict: 0
 * Name: gcc-O2
 * CC: gcc
 * Build: -O2
 * Verdict: 0
 * Name: gcc-Os
 * CC: gcc
 * Build: -Os
 * Verdict: 2 not-instrumented
 * Name: gcc-O0-part-uninstrumented
 * CC: gcc
 * Build: -O0 -DPART
 * Part: parts/idioms_part.c -g -O0
 * Where: not-instrumented record
 * Verdict: 2 not-instrumented
 * Name: clang-O2-part-uninstrumented
 * Build: -O2 -DPART
 * Part: parts/idioms_part.c -g -O2
 * Where: not-instrumented record
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct limits {
    double timeout;
    long rss, threads, procs;
};

static const char *const names[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

/* A struct returned by value: written through the caller's return slot. */
static struct limits default_limits(void) {
    struct limits l = {10.0, 2048, 400, 64};
    return l;
}

/* A constant table scanned with inlined compares. */
static int known(const char *s) {
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strncmp(s, names[i], 3) == 0 && strcmp(s, names[i]) == 0) return 1;
    return 0;
}

/* Varargs into a stack buffer. */
static void say(char *out, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

static char *copy(const char *s) {
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, s, n);
    return c;
}

#ifdef PART
void record(long *slot, long v); /* in parts/idioms_part.c */
#else
static void record(long *slot, long v) { *slot += v; }
#endif

static long total;                                   /* written by worker, read by main after the join */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards total */

static void *worker(void *arg) {
    struct limits l = default_limits();
    char line[64];
    say(line, sizeof line, "%s %ld", (const char *)arg, l.threads);
    char *dup = copy(line);
    pthread_mutex_lock(&mu);
    record(&total, known((const char *)arg) + (dup ? (long)strlen(dup) : 0) + l.procs);
    pthread_mutex_unlock(&mu);
    free(dup);
    return NULL;
}

int main(void) {
    pthread_t t[2];
    pthread_create(&t[0], NULL, worker, "beta");
    pthread_create(&t[1], NULL, worker, "omega");
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
    printf("total=%ld\n", total);
    return 0;
}
