/* test_errgroup.c - the driver for the errgroup lab (do not edit).
 *
 * Main plays the request handler: it runs two groups of NTASKS
 * sub-requests.  A sub-request is NSTEPS steps; before each step it asks
 * group_cancelled() and returns -ECANCELED when the group is cancelled.
 *
 *   success  no sub-request fails: group_wait() returns 0 and every
 *            sub-request did all its steps.
 *   failure  "auth" fails with -EACCES at step FAIL_AT, once the other
 *            three are waiting inside that step: "billing" then fails
 *            with -EIO, and "search" and "recs" would go on.  They wait
 *            there until group_cancelled() says yes (or, if it never
 *            does, until the thread that ran "auth" has ended).
 *            group_wait() must return -EACCES, the first error, and no
 *            sub-request may begin a step after "auth" failed.
 *
 * Every time, all the group's threads must have ended when group_wait()
 * returns.
 *
 * The sub-requests wait by spinning (sched_yield) and keep the books in
 * relaxed atomics, never with a lock or a condition variable: those would
 * order the sub-requests' threads for ThreadSanitizer and hide a race in
 * the code under test.  A group that does not run its sub-requests at the
 * same time hangs in the failure case (timeout).
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 5
 */
#include "errgroup.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTASKS 4
#define NSTEPS 30
#define FAIL_AT 2
#define RELAXED memory_order_relaxed

/* One sub-request's script and what it did. */
struct sub {
    const char *name;
    int fail_at, fail_err; /* fails with fail_err at step fail_at (-1: never) */
    int hold_at;           /* waits for the cancel inside this step (-1: never) */
    int first;             /* the first to fail: waits until the others hold */
    atomic_int steps;      /* steps begun */
    atomic_int returned;   /* what fn returned, + 1000 once it has */
};

static struct sub subs[NTASKS];
static atomic_int held;        /* sub-requests waiting inside their hold step */
static atomic_int failed;      /* the first failure has been returned */
static atomic_int after_fail;  /* steps begun after that */
static int live_all;           /* live threads while all sub-requests run */

/* Dies on a failed call: pthread calls return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_errgroup: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* May a held sub-request go on?  Once the group is cancelled; or, should it
 * never be, once the failed sub-request's thread has ended. */
static int released(struct group *g)
{
    return group_cancelled(g) ||
           (atomic_load_explicit(&failed, RELAXED) && rl_threads_live() < live_all);
}

/* The steps of one sub-request, as its script says. */
static int run_steps(struct group *g, struct sub *s)
{
    for (int k = 0; k < NSTEPS; k++) {
        if (group_cancelled(g))
            return -ECANCELED;
        atomic_fetch_add_explicit(&s->steps, 1, RELAXED);
        if (atomic_load_explicit(&failed, RELAXED))
            atomic_fetch_add_explicit(&after_fail, 1, RELAXED);
        if (k == s->hold_at) {
            atomic_fetch_add_explicit(&held, 1, RELAXED);
            while (!released(g))
                sched_yield();
        }
        if (k == s->fail_at) {
            if (s->first) {
                while (atomic_load_explicit(&held, RELAXED) < NTASKS - 1)
                    sched_yield();
                atomic_store_explicit(&failed, 1, RELAXED);
            }
            return s->fail_err;
        }
    }
    return 0;
}

/* What the sub-request returned to the group (0 if it never returned). */
static int result_of(struct sub *s)
{
    int r = atomic_load_explicit(&s->returned, RELAXED);
    return r ? r - 1000 : 0;
}

/* The function group_go() runs: one sub-request, noting what it returned. */
static int subrequest(struct group *g, void *arg)
{
    struct sub *s = arg;
    int r = run_steps(g, s);

    atomic_store_explicit(&s->returned, r + 1000, RELAXED);
    return r;
}

/* Runs one group of NTASKS sub-requests; returns group_wait()'s result. */
static int run_group(int failing)
{
    static const char *const names[NTASKS] = {"auth", "billing", "search", "recs"};
    struct group *g = group_new();
    int base = rl_threads_live();

    if (!g) {
        fprintf(stderr, "test_errgroup: group_new: out of memory\n");
        exit(2);
    }
    atomic_store(&held, 0);
    atomic_store(&failed, 0);
    atomic_store(&after_fail, 0);
    live_all = base + NTASKS;
    for (int i = 0; i < NTASKS; i++) {
        struct sub *s = &subs[i];
        s->name = names[i];
        s->fail_at = s->fail_err = s->hold_at = -1;
        s->first = 0;
        atomic_store(&s->steps, 0);
        atomic_store(&s->returned, 0);
        if (failing) {
            s->hold_at = i == 0 ? -1 : FAIL_AT;
            if (i <= 1) {
                s->fail_at = FAIL_AT;
                s->fail_err = i == 0 ? -EACCES : -EIO;
                s->first = i == 0;
            }
        }
    }
    for (int i = 0; i < NTASKS; i++)
        must(group_go(g, subrequest, &subs[i]), "group_go");
    int err = group_wait(g);
    RL_CHECK(rl_threads_live() == base, "%s: %d sub-request threads still alive after group_wait() "
             "returned", failing ? "failure" : "success", rl_threads_live() - base);
    group_free(g);
    return err;
}

int main(void)
{
    int created = rl_threads_created();
    int err = run_group(0);

    RL_CHECK_EQ(err, 0, "success: group_wait()");
    for (int i = 0; i < NTASKS; i++) {
        RL_CHECK(atomic_load(&subs[i].steps) == NSTEPS, "success: sub-request %s did %d of its %d "
                 "steps", subs[i].name, atomic_load(&subs[i].steps), NSTEPS);
        RL_CHECK(result_of(&subs[i]) == 0, "success: sub-request %s returned %d", subs[i].name,
                 result_of(&subs[i]));
    }
    RL_CHECK_EQ(rl_threads_created() - created, NTASKS, "success: threads started");

    created = rl_threads_created();
    err = run_group(1);
    RL_CHECK(err == -EACCES, "failure: group_wait() returned %d (%s); the first error was %d "
             "(-EACCES, from auth)", err, err < 0 ? strerror(-err) : "no error", -EACCES);
    RL_CHECK(atomic_load(&after_fail) == 0, "failure: %d steps begun by other sub-requests after "
             "auth had failed; the group should have been cancelled, and none begun",
             atomic_load(&after_fail));
    for (int i = 2; i < NTASKS; i++)
        RL_CHECK(result_of(&subs[i]) == -ECANCELED, "failure: sub-request %s returned %d, not "
                 "-ECANCELED: the group was not cancelled while it ran", subs[i].name,
                 result_of(&subs[i]));
    RL_CHECK_EQ(rl_threads_created() - created, NTASKS, "failure: threads started");
    return 0;
}
