/* tsan_env.c - the environment a checked program runs in (see tsan_env.h). */
#include "tsan_env.h"
#include "racelab_config.h"

#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *rejected; /* a RACELAB_SYMBOLIZER value that was not usable */

static int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

const char *tsan_symbolizer(void) {
    static char found[512];
    static int looked;
    if (looked) return found[0] ? found : NULL;
    looked = 1;
    const char *env = getenv("RACELAB_SYMBOLIZER");
    if (env && *env) {
        const char *base = strrchr(env, '/');
        base = base ? base + 1 : env;
        /* Only a tool TSan knows how to drive; anything else is noted and
         * replaced by one found here, so reports still carry lines. */
        if (env[0] == '/' && access(env, X_OK) == 0 &&
            (strstr(base, "llvm-symbolizer") || strstr(base, "addr2line"))) {
            snprintf(found, sizeof found, "%s", env);
            return found;
        }
        rejected = env;
    }
    /* Prefer the symbolizer of the compiler's own LLVM version. */
    char cand[3][256];
    int major = atoi(RACELAB_CC_VERSION);
    snprintf(cand[0], sizeof cand[0], "/usr/lib/llvm-%d/bin/llvm-symbolizer", major);
    snprintf(cand[1], sizeof cand[1], "/usr/bin/llvm-symbolizer-%d", major);
    snprintf(cand[2], sizeof cand[2], "/usr/bin/llvm-symbolizer");
    for (int i = 0; i < 3; i++)
        if (access(cand[i], X_OK) == 0) {
            snprintf(found, sizeof found, "%s", cand[i]);
            return found;
        }
    glob_t g;
    if (glob("/usr/lib/llvm-*/bin/llvm-symbolizer", 0, NULL, &g) == 0) {
        for (size_t i = g.gl_pathc; i > 0; i--)
            if (access(g.gl_pathv[i - 1], X_OK) == 0) {
                snprintf(found, sizeof found, "%s", g.gl_pathv[i - 1]);
                break;
            }
        globfree(&g);
    }
    return found[0] ? found : NULL;
}

const char *tsan_symbolizer_rejected(void) {
    tsan_symbolizer();
    return rejected;
}

const char *tsan_inherited_options(void) {
    const char *s = getenv("TSAN_OPTIONS");
    return s && *s ? s : NULL;
}

int tsan_mmap_rnd_bits(void) {
    FILE *f = fopen("/proc/sys/vm/mmap_rnd_bits", "r");
    int bits = -1;
    if (f) {
        if (fscanf(f, "%d", &bits) != 1) bits = -1;
        fclose(f);
    }
    return bits;
}

int tsan_needs_no_aslr(void) {
    const char *force = getenv("RACELAB_NO_ASLR");
    if (force && *force) return atoi(force) != 0;
    return tsan_mmap_rnd_bits() > 28;
}

int tsan_options_format(char *buf, size_t cap, const char *log_prefix) {
    const char *sym = tsan_symbolizer();
    int n = snprintf(buf, cap,
                     "log_path=%s exitcode=66 halt_on_error=0 abort_on_error=0 "
                     "report_thread_leaks=1 report_destroy_locked=1 report_mutex_bugs=1 "
                     "report_signal_unsafe=1 detect_deadlocks=1 second_deadlock_stack=1 "
                     "print_suppressions=1 suppressions= ignore_noninstrumented_modules=0 "
                     "report_bugs=1 report_atomic_races=1 force_seq_cst_atomics=0 "
                     "ignore_interceptors_accesses=0 "
                     "die_after_fork=1 atexit_sleep_ms=200 symbolize=1 color=never%s%s",
                     log_prefix, sym ? " external_symbolizer_path=" : "", sym ? sym : "");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int env_push(char ***env, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static int env_push(char ***env, size_t *len, const char *fmt, ...) {
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    char **grown = realloc(*env, (*len + 2) * sizeof **env);
    if (!grown) {
        free(s);
        return -1;
    }
    *env = grown;
    (*env)[(*len)++] = s;
    (*env)[*len] = NULL;
    return 0;
}

char **tsan_env_build(const struct tsan_env_opts *o) {
    char **env = NULL;
    size_t len = 0;
    int bad = 0;
    for (char **e = environ; e && *e; e++) {
        if (starts_with(*e, "TSAN_OPTIONS=") || starts_with(*e, "RACELAB_")) continue;
        bad |= env_push(&env, &len, "%s", *e);
    }
    char opts[2048];
    if (tsan_options_format(opts, sizeof opts, o->log_prefix) != 0) bad = 1;
    bad |= env_push(&env, &len, "TSAN_OPTIONS=%s", opts);
    if (o->rt_log) bad |= env_push(&env, &len, "RACELAB_RT_LOG=%s", o->rt_log);
    if (o->rt_state) bad |= env_push(&env, &len, "RACELAB_RT_STATE=%s", o->rt_state);
    if (o->perturb) bad |= env_push(&env, &len, "RACELAB_SEED=%" PRIu64, o->seed);
    if (o->forbid && *o->forbid) bad |= env_push(&env, &len, "RACELAB_FORBID=%s", o->forbid);
    if (o->checked_file && *o->checked_file)
        bad |= env_push(&env, &len, "RACELAB_CHECKED_FILE=%s", o->checked_file);
    if (o->max_threads > 0) bad |= env_push(&env, &len, "RACELAB_MAX_THREADS=%d", o->max_threads);
    if (o->thread_cap > 0) bad |= env_push(&env, &len, "RACELAB_THREAD_CAP=%d", o->thread_cap);
    if (bad) {
        tsan_env_free(env);
        return NULL;
    }
    return env;
}

void tsan_env_free(char **env) {
    if (!env) return;
    for (char **e = env; *e; e++) free(*e);
    free(env);
}
