/* racelab_rt.h - the lab runtime, force-included into every lab program.
 *
 * Every lab and solution file, and its driver, is compiled with
 * `-include racelab_rt.h`.  This header first includes the system headers
 * it wraps, then renames a few calls to the runtime's versions, which
 * record what the harness's own oracles need and ThreadSanitizer cannot
 * see:
 *
 *   - pthread_create:  live / peak / total thread counts, and where each
 *                      thread was created (too-many-threads,
 *                      live-threads-at-exit);
 *   - lock, unlock, condition-variable, rwlock, join calls: what each thread
 *                      is blocked on and where (the timeout finding), and a
 *                      seeded schedule perturbation point;
 *   - sleep, usleep, nanosleep: recorded with file:line (forbidden-call);
 *   - C11 atomic operations: a seeded perturbation point before each.
 *
 * The runtime itself (racelab_rt.c) is built WITHOUT -fsanitize=thread and
 * never takes a pthread lock, so it adds no happens-before edge that could
 * hide a race.  Outside the harness (no RACELAB_* variables) the program runs
 * normally and the runtime only prints failed driver checks to stderr.
 *
 * Driver API (for labs/<name>/test_<name>.c only):
 *   RL_CHECK(cond, fmt, ...)      record an "invariant" finding when cond is false
 *   RL_CHECK_EQ(got, want, what)  the same for two long values, printing both
 *   rl_failed()                   number of failed checks so far
 *   rl_threads_live(), rl_threads_peak(), rl_threads_created()
 *   rl_clock_now_ns()             monotonic clock, never perturbed
 */
#ifndef RACELAB_RT_H
#define RACELAB_RT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Checks and counters for drivers. */
void rl_check_failed(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rl_failed(void);
int rl_threads_live(void);
int rl_threads_peak(void);
int rl_threads_created(void);
int64_t rl_clock_now_ns(void);

#define RL_CHECK(cond, ...)                                                    \
    do {                                                                       \
        if (!(cond)) rl_check_failed(__FILE__, __LINE__, __VA_ARGS__);         \
    } while (0)
#define RL_CHECK_EQ(got, want, what)                                           \
    do {                                                                       \
        long rl_g_ = (long)(got), rl_w_ = (long)(want);                        \
        if (rl_g_ != rl_w_)                                                    \
            rl_check_failed(__FILE__, __LINE__, "%s: expected %ld, got %ld",   \
                            (what), rl_w_, rl_g_);                             \
    } while (0)

/* The wrapped calls: same contract as the POSIX call, plus the call site. */
int rl_pthread_create(pthread_t *t, const pthread_attr_t *attr,
                      void *(*fn)(void *), void *arg, const char *fn_name,
                      const char *file, int line);
int rl_pthread_join(pthread_t t, void **ret, const char *file, int line);
int rl_pthread_detach(pthread_t t, const char *file, int line);
int rl_mutex_lock(pthread_mutex_t *m, const char *what, const char *file, int line);
int rl_mutex_trylock(pthread_mutex_t *m, const char *what, const char *file, int line);
int rl_mutex_unlock(pthread_mutex_t *m, const char *what, const char *file, int line);
int rl_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const char *what,
                 const char *file, int line);
int rl_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                      const struct timespec *abstime, const char *what,
                      const char *file, int line);
int rl_cond_signal(pthread_cond_t *c, const char *what, const char *file, int line);
int rl_cond_broadcast(pthread_cond_t *c, const char *what, const char *file, int line);
int rl_rwlock_rdlock(pthread_rwlock_t *l, const char *what, const char *file, int line);
int rl_rwlock_wrlock(pthread_rwlock_t *l, const char *what, const char *file, int line);
int rl_rwlock_unlock(pthread_rwlock_t *l, const char *what, const char *file, int line);
int rl_sem_wait(sem_t *s, const char *what, const char *file, int line);
int rl_sem_post(sem_t *s, const char *what, const char *file, int line);
void rl_atomic_point(void);
unsigned rl_sleep(unsigned s, const char *file, int line);
int rl_usleep(useconds_t us, const char *file, int line);
int rl_nanosleep(const struct timespec *req, struct timespec *rem,
                 const char *file, int line);
int rl_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
                       struct timespec *rem, const char *file, int line);

#ifndef RACELAB_RT_NO_WRAP
/* The program's main is renamed: the runtime's main calls it and notes that
 * it returned, so a program cut short (exit or _exit from a constructor, a
 * thread, an error path) is never mistaken for one that ran its checks. */
#define main lab_main
#define pthread_create(t, a, f, x) rl_pthread_create((t), (a), (f), (x), #f, __FILE__, __LINE__)
#define pthread_join(t, r) rl_pthread_join((t), (r), __FILE__, __LINE__)
#define pthread_detach(t) rl_pthread_detach((t), __FILE__, __LINE__)
#define pthread_mutex_lock(m) rl_mutex_lock((m), #m, __FILE__, __LINE__)
#define pthread_mutex_trylock(m) rl_mutex_trylock((m), #m, __FILE__, __LINE__)
#define pthread_mutex_unlock(m) rl_mutex_unlock((m), #m, __FILE__, __LINE__)
#define pthread_cond_wait(c, m) rl_cond_wait((c), (m), #c, __FILE__, __LINE__)
#define pthread_cond_timedwait(c, m, t) rl_cond_timedwait((c), (m), (t), #c, __FILE__, __LINE__)
#define pthread_cond_signal(c) rl_cond_signal((c), #c, __FILE__, __LINE__)
#define pthread_cond_broadcast(c) rl_cond_broadcast((c), #c, __FILE__, __LINE__)
#define pthread_rwlock_rdlock(l) rl_rwlock_rdlock((l), #l, __FILE__, __LINE__)
#define pthread_rwlock_wrlock(l) rl_rwlock_wrlock((l), #l, __FILE__, __LINE__)
#define pthread_rwlock_unlock(l) rl_rwlock_unlock((l), #l, __FILE__, __LINE__)
#define sem_wait(s) rl_sem_wait((s), #s, __FILE__, __LINE__)
#define sem_post(s) rl_sem_post((s), #s, __FILE__, __LINE__)
#define sleep(s) rl_sleep((s), __FILE__, __LINE__)
#define usleep(u) rl_usleep((u), __FILE__, __LINE__)
#define nanosleep(r, m) rl_nanosleep((r), (m), __FILE__, __LINE__)
#define clock_nanosleep(c, f, r, m) rl_clock_nanosleep((c), (f), (r), (m), __FILE__, __LINE__)

/* C11 atomics are perturbation points too: a value loaded atomically and
 * written back atomically in a second step is still a lost update, and only
 * a pause between the two steps shows it. */
#undef atomic_load
#undef atomic_store
#undef atomic_exchange
#undef atomic_compare_exchange_strong
#undef atomic_compare_exchange_weak
#undef atomic_fetch_add
#undef atomic_fetch_sub
#undef atomic_fetch_or
#undef atomic_fetch_and
#undef atomic_fetch_xor
#define RL_SC memory_order_seq_cst
#define atomic_load(o) (rl_atomic_point(), atomic_load_explicit((o), RL_SC))
#define atomic_store(o, v) (rl_atomic_point(), atomic_store_explicit((o), (v), RL_SC))
#define atomic_exchange(o, v) (rl_atomic_point(), atomic_exchange_explicit((o), (v), RL_SC))
#define atomic_compare_exchange_strong(o, e, d)                                \
    (rl_atomic_point(), atomic_compare_exchange_strong_explicit((o), (e), (d), RL_SC, RL_SC))
#define atomic_compare_exchange_weak(o, e, d)                                  \
    (rl_atomic_point(), atomic_compare_exchange_weak_explicit((o), (e), (d), RL_SC, RL_SC))
#define atomic_fetch_add(o, v) (rl_atomic_point(), atomic_fetch_add_explicit((o), (v), RL_SC))
#define atomic_fetch_sub(o, v) (rl_atomic_point(), atomic_fetch_sub_explicit((o), (v), RL_SC))
#define atomic_fetch_or(o, v) (rl_atomic_point(), atomic_fetch_or_explicit((o), (v), RL_SC))
#define atomic_fetch_and(o, v) (rl_atomic_point(), atomic_fetch_and_explicit((o), (v), RL_SC))
#define atomic_fetch_xor(o, v) (rl_atomic_point(), atomic_fetch_xor_explicit((o), (v), RL_SC))
#ifdef __clang__ /* the _explicit forms too, through clang's own builtins */
#undef atomic_load_explicit
#undef atomic_store_explicit
#undef atomic_exchange_explicit
#undef atomic_fetch_add_explicit
#undef atomic_fetch_sub_explicit
#define atomic_load_explicit(o, m) (rl_atomic_point(), __c11_atomic_load((o), (m)))
#define atomic_store_explicit(o, v, m) (rl_atomic_point(), __c11_atomic_store((o), (v), (m)))
#define atomic_exchange_explicit(o, v, m) (rl_atomic_point(), __c11_atomic_exchange((o), (v), (m)))
#define atomic_fetch_add_explicit(o, v, m) (rl_atomic_point(), __c11_atomic_fetch_add((o), (v), (m)))
#define atomic_fetch_sub_explicit(o, v, m) (rl_atomic_point(), __c11_atomic_fetch_sub((o), (v), (m)))
#endif
#endif

#ifdef __cplusplus
}
#endif
#endif
