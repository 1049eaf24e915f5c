/* racelab_rt.c - the lab runtime: thread accounting, blocked-on tracking,
 * seeded schedule perturbation, forbidden-call and driver-check records.
 *
 * Built WITHOUT -fsanitize=thread and linked into every lab program.  It
 * must never add a happens-before edge between the program's threads (that
 * would hide the very races the labs teach), so it takes no pthread lock and
 * shares state only through C11 atomics in uninstrumented code, which
 * ThreadSanitizer does not see.  Delays use the raw nanosleep system call
 * for the same reason.
 *
 * Environment (set by the harness; all optional):
 *   RACELAB_RT_LOG       append records here: "kind\tfile\tline\tmessage\n"
 *   RACELAB_RT_STATE     map the thread table (rt_state.h) in this file
 *   RACELAB_SEED         perturb the schedule with this seed (decimal)
 *   RACELAB_FORBID       calls the checked file must not make ("sleep usleep")
 *   RACELAB_CHECKED_FILE basename of the checked file (forbidden calls count
 *                        only there)
 *   RACELAB_MAX_THREADS  live-thread bound (too-many-threads above it)
 *   RACELAB_THREAD_CAP   refuse pthread_create (EAGAIN) above this many live
 */
#define RACELAB_RT_NO_WRAP 1
#include "racelab_rt.h"
#include "rt_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static struct rl_state rl_local_state; /* used when no state file is given */
static struct rl_state *rl_st = &rl_local_state;
static int rl_log_fd = -1;
static uint64_t rl_seed;
static int rl_perturb;
static int rl_max_threads;
static int rl_thread_cap = 1000;
static char rl_forbid[256];
static char rl_checked_file[256];
static atomic_int rl_nfailed;
static atomic_int rl_too_many_said;
static pthread_t rl_tids[RL_STATE_SLOTS];
static void *(*rl_fns[RL_STATE_SLOTS])(void *);
static void *rl_args[RL_STATE_SLOTS];
static pthread_key_t rl_exit_key;

static __thread int rl_self = -1;   /* this thread's slot, -1 if none */
static __thread uint64_t rl_rng;     /* this thread's perturbation stream */
static __thread int rl_delay_budget; /* microseconds of delay left */

/* splitmix64: small, good enough, and the same on every machine. */
static uint64_t rl_next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rl_copy(char *dst, size_t cap, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

static const char *rl_base(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void rl_site(char *dst, size_t cap, const char *file, int line) {
    snprintf(dst, cap, "%s:%d", file, line);
}

/* Writes one record line (tabs and newlines in msg become spaces). */
static void rl_record(const char *kind, const char *file, int line, const char *msg) {
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s\t%s\t%d\t", kind, file ? file : "", line);
    if (n < 0 || n >= (int)sizeof buf) return;
    for (const char *p = msg; *p && n < (int)sizeof buf - 2; p++)
        buf[n++] = (*p == '\t' || *p == '\n') ? ' ' : *p;
    buf[n++] = '\n';
    if (rl_log_fd >= 0) {
        ssize_t w = write(rl_log_fd, buf, (size_t)n);
        (void)w;
    } else {
        fprintf(stderr, "racelab: %s at %s:%d: %s\n", kind, file ? file : "?", line, msg);
    }
}

static void rl_recordf(const char *kind, const char *file, int line, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rl_record(kind, file, line, msg);
}

static void rl_thread_gone(void *unused) {
    (void)unused;
    if (rl_self > 0 && rl_st->slot[rl_self].state != RL_SLOT_FINISHED) {
        rl_st->slot[rl_self].state = RL_SLOT_FINISHED;
        atomic_fetch_sub((atomic_int *)&rl_st->live, 1);
    }
}

static void rl_fini(void);

__attribute__((constructor)) static void rl_init(void) {
    const char *s;
    if ((s = getenv("RACELAB_RT_STATE")) && *s) {
        int fd = open(s, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0 && ftruncate(fd, sizeof(struct rl_state)) == 0) {
            void *p = mmap(NULL, sizeof(struct rl_state), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (p != MAP_FAILED) rl_st = p;
        }
        if (fd >= 0) close(fd);
    }
    if ((s = getenv("RACELAB_RT_LOG")) && *s)
        rl_log_fd = open(s, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if ((s = getenv("RACELAB_SEED")) && *s) {
        rl_seed = strtoull(s, NULL, 10);
        rl_perturb = 1;
    }
    if ((s = getenv("RACELAB_FORBID"))) rl_copy(rl_forbid + 1, sizeof rl_forbid - 2, s);
    rl_forbid[0] = ' ';
    for (char *p = rl_forbid; *p; p++)
        if (*p == ',') *p = ' ';
    strcat(rl_forbid, " ");
    if ((s = getenv("RACELAB_CHECKED_FILE"))) rl_copy(rl_checked_file, sizeof rl_checked_file, rl_base(s));
    if ((s = getenv("RACELAB_MAX_THREADS"))) rl_max_threads = atoi(s);
    if ((s = getenv("RACELAB_THREAD_CAP")) && atoi(s) > 0) rl_thread_cap = atoi(s);
    rl_st->magic = RL_STATE_MAGIC;
    rl_st->version = RL_STATE_VERSION;
    rl_st->nslots = RL_STATE_SLOTS;
    rl_st->seed = rl_seed;
    rl_st->slot[0].state = RL_SLOT_RUNNING;
    rl_copy(rl_st->slot[0].fn, sizeof rl_st->slot[0].fn, "main");
    rl_self = 0;
    rl_rng = rl_seed;
    rl_delay_budget = 20000;
    pthread_key_create(&rl_exit_key, rl_thread_gone);
    atexit(rl_fini);
}

/* Gives threads that are running (not blocked) a moment to finish, so a
 * thread that is returning right now is not reported as alive at exit. */
static void rl_fini(void) {
    rl_st->exited = 1;
    /* A thread just woken from a wait still shows as blocked until it runs:
     * blocked threads get 100 ms to move, running ones up to 500 ms. */
    for (int tries = 0; tries < 100; tries++) {
        int running = 0, blocked = 0;
        for (unsigned i = 1; i < RL_STATE_SLOTS; i++) {
            if (rl_st->slot[i].state == RL_SLOT_RUNNING) running++;
            if (rl_st->slot[i].state == RL_SLOT_BLOCKED) blocked++;
        }
        if (!running && (!blocked || tries >= 20)) break;
        struct timespec ts = {0, 5 * 1000 * 1000};
        syscall(SYS_nanosleep, &ts, NULL);
    }
    /* TSan reports a never-joined thread only if it has fully exited by now,
     * which a thread that just returned may not have: say it ourselves, once
     * per creation site, so the verdict does not depend on that timing. */
    char said[16][112];
    int nsaid = 0;
    for (unsigned i = 1; i < RL_STATE_SLOTS; i++) {
        struct rl_slot *s = &rl_st->slot[i];
        if (s->state != RL_SLOT_FINISHED || s->detached || s->joined) continue;
        int dup = 0;
        for (int k = 0; k < nsaid; k++) dup |= strcmp(said[k], s->create_site) == 0;
        if (dup) continue;
        if (nsaid < 16) rl_copy(said[nsaid++], sizeof said[0], s->create_site);
        char file[112];
        rl_copy(file, sizeof file, s->create_site);
        char *colon = strrchr(file, ':');
        int line = colon ? atoi(colon + 1) : 0;
        if (colon) *colon = '\0';
        rl_recordf("thread-leak", file, line,
                   "thread %s finished but was never joined or detached: its exit status and "
                   "resources are never collected", s->fn);
    }
}

/* A schedule perturbation point: with the seed's say-so, yield or pause. */
static void rl_point(void) {
    if (!rl_perturb) return;
    uint64_t r = rl_next(&rl_rng);
    unsigned pick = (unsigned)(r & 31u);
    if (pick < 4) {
        syscall(SYS_sched_yield);
    } else if (pick == 4 && rl_delay_budget > 0) {
        long us = 50 + (long)((r >> 8) % 950);
        rl_delay_budget -= (int)us;
        struct timespec ts = {0, us * 1000};
        syscall(SYS_nanosleep, &ts, NULL);
    }
}

void rl_atomic_point(void) { rl_point(); }

/* Notes that the program's own main returned (see main below). */
__attribute__((noinline)) void rl_note_main_returned(void) { rl_st->main_returned = 1; }

/* The real main: the program's main is lab_main (racelab_rt.h renames it).
 * It may be declared with no parameters; passing them anyway is harmless on
 * every ABI racelab runs on.  main itself touches no global, so the harness's
 * scan for uninstrumented code has nothing to say about it. */
int lab_main(int argc, char **argv, char **envp);
int main(int argc, char **argv, char **envp) {
    int r = lab_main(argc, argv, envp);
    rl_note_main_returned();
    return r;
}

static void rl_block(const char *op, const char *what, const char *file, int line) {
    if (rl_self < 0) return;
    struct rl_slot *s = &rl_st->slot[rl_self];
    char buf[96];
    snprintf(buf, sizeof buf, "%s(%s)", op, what);
    rl_copy(s->op, sizeof s->op, buf);
    rl_site(s->op_site, sizeof s->op_site, file, line);
    s->state = RL_SLOT_BLOCKED;
}

static void rl_unblock(void) {
    if (rl_self < 0) return;
    rl_st->slot[rl_self].state = RL_SLOT_RUNNING;
}

static void *rl_trampoline(void *p) {
    int slot = (int)(intptr_t)p;
    rl_self = slot;
    rl_rng = rl_seed ^ (0x2545f4914f6cdd1dull * (uint64_t)(slot + 1));
    rl_delay_budget = 20000;
    pthread_setspecific(rl_exit_key, (void *)1);
    rl_point();
    void *ret = rl_fns[slot](rl_args[slot]);
    rl_thread_gone(NULL);
    return ret;
}

void rl_check_failed(const char *file, int line, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    atomic_fetch_add(&rl_nfailed, 1);
    rl_record("invariant", file, line, msg);
}

int rl_failed(void) { return atomic_load(&rl_nfailed); }
int rl_threads_live(void) { return atomic_load((atomic_int *)&rl_st->live); }
int rl_threads_peak(void) { return atomic_load((atomic_int *)&rl_st->peak); }
int rl_threads_created(void) { return atomic_load((atomic_int *)&rl_st->created); }

int64_t rl_clock_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int rl_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                      void *arg, const char *fn_name, const char *file, int line) {
    int live = atomic_fetch_add((atomic_int *)&rl_st->live, 1) + 1;
    if (live > rl_thread_cap) {
        atomic_fetch_sub((atomic_int *)&rl_st->live, 1);
        atomic_fetch_add((atomic_int *)&rl_st->refused, 1);
        if (!atomic_exchange(&rl_too_many_said, 2))
            rl_recordf("too-many-threads", file, line,
                       "thread creation refused: %d live threads reached the safety cap; "
                       "threads of %s are created without bound", rl_thread_cap, fn_name);
        return EAGAIN;
    }
    int peak = atomic_load((atomic_int *)&rl_st->peak);
    while (live > peak && !atomic_compare_exchange_weak((atomic_int *)&rl_st->peak, &peak, live)) {
    }
    if (rl_max_threads > 0 && live + 1 > rl_max_threads && !atomic_exchange(&rl_too_many_said, 1))
        rl_recordf("too-many-threads", file, line,
                   "%d threads alive at once (main included), the lab allows %d; "
                   "this pthread_create starts %s", live + 1, rl_max_threads, fn_name);
    int idx = atomic_fetch_add((atomic_int *)&rl_st->created, 1) + 1;
    rl_point();
    if (idx >= (int)RL_STATE_SLOTS) { /* no slot left: count, but track nothing */
        int err = pthread_create(t, attr, fn, arg);
        if (err) atomic_fetch_sub((atomic_int *)&rl_st->live, 1);
        return err;
    }
    struct rl_slot *s = &rl_st->slot[idx];
    rl_copy(s->fn, sizeof s->fn, fn_name);
    rl_site(s->create_site, sizeof s->create_site, file, line);
    s->op[0] = '\0';
    s->joined = 0;
    int ds = PTHREAD_CREATE_JOINABLE;
    if (attr) pthread_attr_getdetachstate(attr, &ds);
    s->detached = ds == PTHREAD_CREATE_DETACHED;
    s->state = RL_SLOT_RUNNING;
    rl_fns[idx] = fn;
    rl_args[idx] = arg;
    int err = pthread_create(t, attr, rl_trampoline, (void *)(intptr_t)idx);
    if (err) {
        s->state = RL_SLOT_FREE;
        atomic_fetch_sub((atomic_int *)&rl_st->live, 1);
    } else {
        rl_tids[idx] = *t;
    }
    return err;
}

/* The slot of a joinable thread: glibc reuses the pthread_t of a thread that
 * is gone, so slots already joined or detached never match. */
static int rl_slot_of(pthread_t t) {
    int n = atomic_load((atomic_int *)&rl_st->created);
    for (int i = n < (int)RL_STATE_SLOTS ? n : (int)RL_STATE_SLOTS - 1; i > 0; i--)
        if (pthread_equal(rl_tids[i], t) && !rl_st->slot[i].joined && !rl_st->slot[i].detached) return i;
    return -1;
}

int rl_pthread_join(pthread_t t, void **ret, const char *file, int line) {
    int slot = rl_slot_of(t);
    rl_point();
    rl_block("pthread_join", slot > 0 ? rl_st->slot[slot].fn : "thread", file, line);
    int err = pthread_join(t, ret);
    rl_unblock();
    if (!err && slot > 0) rl_st->slot[slot].joined = 1;
    return err;
}

int rl_pthread_detach(pthread_t t, const char *file, int line) {
    (void)file;
    (void)line;
    int slot = rl_slot_of(t);
    if (slot > 0) rl_st->slot[slot].detached = 1;
    return pthread_detach(t);
}

#define RL_BLOCKING(op, call)                                                  \
    do {                                                                       \
        rl_point();                                                            \
        rl_block(op, what, file, line);                                        \
        int rl_err_ = (call);                                                  \
        rl_unblock();                                                          \
        return rl_err_;                                                        \
    } while (0)

int rl_mutex_lock(pthread_mutex_t *m, const char *what, const char *file, int line) {
    RL_BLOCKING("pthread_mutex_lock", pthread_mutex_lock(m));
}

int rl_mutex_trylock(pthread_mutex_t *m, const char *what, const char *file, int line) {
    (void)what, (void)file, (void)line;
    rl_point();
    return pthread_mutex_trylock(m);
}

int rl_mutex_unlock(pthread_mutex_t *m, const char *what, const char *file, int line) {
    (void)what, (void)file, (void)line;
    int err = pthread_mutex_unlock(m);
    rl_point();
    return err;
}

int rl_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const char *what, const char *file, int line) {
    RL_BLOCKING("pthread_cond_wait", pthread_cond_wait(c, m));
}

int rl_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime,
                      const char *what, const char *file, int line) {
    RL_BLOCKING("pthread_cond_timedwait", pthread_cond_timedwait(c, m, abstime));
}

int rl_cond_signal(pthread_cond_t *c, const char *what, const char *file, int line) {
    (void)what, (void)file, (void)line;
    rl_point();
    return pthread_cond_signal(c);
}

int rl_cond_broadcast(pthread_cond_t *c, const char *what, const char *file, int line) {
    (void)what, (void)file, (void)line;
    rl_point();
    return pthread_cond_broadcast(c);
}

int rl_rwlock_rdlock(pthread_rwlock_t *l, const char *what, const char *file, int line) {
    RL_BLOCKING("pthread_rwlock_rdlock", pthread_rwlock_rdlock(l));
}

int rl_rwlock_wrlock(pthread_rwlock_t *l, const char *what, const char *file, int line) {
    RL_BLOCKING("pthread_rwlock_wrlock", pthread_rwlock_wrlock(l));
}

int rl_rwlock_unlock(pthread_rwlock_t *l, const char *what, const char *file, int line) {
    (void)what, (void)file, (void)line;
    int err = pthread_rwlock_unlock(l);
    rl_point();
    return err;
}

int rl_sem_wait(sem_t *s, const char *what, const char *file, int line) {
    RL_BLOCKING("sem_wait", sem_wait(s));
}

int rl_sem_post(sem_t *s, const char *what, const char *file, int line) {
    (void)what, (void)file, (void)line;
    rl_point();
    return sem_post(s);
}

/* Records a forbidden call once per call site, if the lab forbids it here. */
static void rl_forbidden(const char *name, const char *file, int line) {
    char key[64];
    snprintf(key, sizeof key, " %s ", name);
    if (!strstr(rl_forbid, key)) return;
    if (rl_checked_file[0] && strcmp(rl_base(file), rl_checked_file) != 0) return;
    static _Atomic int said_lines[64];
    for (int i = 0; i < 64; i++) {
        int expect = 0;
        if (atomic_load(&said_lines[i]) == line) return;
        if (atomic_compare_exchange_strong(&said_lines[i], &expect, line)) break;
    }
    rl_recordf("forbidden-call", file, line,
               "%s() called: sleeping is not synchronisation (this lab forbids %s)", name, name);
}

unsigned rl_sleep(unsigned s, const char *file, int line) {
    rl_forbidden("sleep", file, line);
    rl_block("sleep", "", file, line);
    unsigned r = sleep(s);
    rl_unblock();
    return r;
}

int rl_usleep(useconds_t us, const char *file, int line) {
    rl_forbidden("usleep", file, line);
    rl_block("usleep", "", file, line);
    int r = usleep(us);
    rl_unblock();
    return r;
}

int rl_nanosleep(const struct timespec *req, struct timespec *rem, const char *file, int line) {
    rl_forbidden("nanosleep", file, line);
    rl_block("nanosleep", "", file, line);
    int r = nanosleep(req, rem);
    rl_unblock();
    return r;
}

int rl_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem,
                       const char *file, int line) {
    rl_forbidden("clock_nanosleep", file, line);
    rl_block("clock_nanosleep", "", file, line);
    int r = clock_nanosleep(clk, flags, req, rem);
    rl_unblock();
    return r;
}
