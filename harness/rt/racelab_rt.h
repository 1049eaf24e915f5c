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
 *   - sleep, usleep, nanosleep: recorded with file:line (forbidden-call).
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
unsigned rl_sleep(unsigned s, const char *file, int line);
int rl_usleep(useconds_t us, const char *file, int line);
int rl_nanosleep(const struct timespec *req, struct timespec *rem,
                 const char *file, int line);
int rl_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
                       struct timespec *rem, const char *file, int line);

#ifndef RACELAB_RT_NO_WRAP
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
#endif

#ifdef __cplusplus
}
#endif
#endif
