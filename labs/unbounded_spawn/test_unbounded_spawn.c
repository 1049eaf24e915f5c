/* test_unbounded_spawn.c - the driver for the unbounded_spawn lab (do not
 * edit).
 *
 * main plays the request handlers and dispatches NJOBS webhook jobs.
 * First a burst, while every delivery hangs (the webhook is down: each
 * job waits at a gate main holds closed):
 *   - DISPATCH_WORKERS jobs are accepted and all start;
 *   - DISPATCH_BACKLOG more are accepted and wait;
 *   - the next one is refused with EBUSY.
 * Then the webhook recovers (main opens the gate) and main dispatches the
 * rest, retrying a refused job once some delivery has finished.  After
 * dispatcher_stop(), main checks that every job ran exactly once, never on
 * main's own thread, never more than DISPATCH_WORKERS at once, and that
 * no dispatcher thread is left.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 5
 * Timeout: 5
 */
#include "unbounded_spawn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NJOBS 64

/* Guards everything below; changed is broadcast on every change. */
static pthread_mutex_t drv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int gate_open;        /* 0: deliveries hang at the gate */
static int started, done;    /* deliveries that began / finished */
static int running, most_running;
static int runs[NJOBS];      /* times job i ran */
static int ran_on_main;      /* deliveries run by main's own thread */
static pthread_t main_tid;

static int job_id[NJOBS];

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_unbounded_spawn: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* The delivery job: posts event *arg to its webhook (which hangs while the
 * gate is closed). */
static void deliver(void *arg)
{
    int id = *(int *)arg;

    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    started++;
    if (++running > most_running)
        most_running = running;
    if (pthread_equal(pthread_self(), main_tid))
        ran_on_main++;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    while (!gate_open)
        must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
    runs[id]++;
    running--;
    done++;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
}

/* Waits under drv_lock until at least n deliveries have started. */
static void wait_started(int n)
{
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    while (started < n)
        must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
}

/* Dispatches job i, retrying while the dispatcher says EBUSY: each retry
 * waits until one more delivery has finished.  Returns the refusals. */
static int dispatch_until_accepted(int i)
{
    int refusals = 0;

    for (;;) {
        must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
        int done_before = done;
        must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
        int err = dispatch(deliver, &job_id[i]);
        if (err != EBUSY) {
            must(err, "dispatch");
            return refusals;
        }
        refusals++;
        must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
        while (done == done_before)
            must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
        must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    }
}

int main(void)
{
    int burst_err[DISPATCH_WORKERS + DISPATCH_BACKLOG + 1];
    int nburst = DISPATCH_WORKERS + DISPATCH_BACKLOG + 1, next;

    main_tid = pthread_self();
    for (int i = 0; i < NJOBS; i++)
        job_id[i] = i;
    must(dispatcher_start(), "dispatcher_start");

    /* The burst, with the webhook down. */
    for (int i = 0; i < DISPATCH_WORKERS; i++)
        burst_err[i] = dispatch(deliver, &job_id[i]);
    wait_started(DISPATCH_WORKERS);
    for (int i = DISPATCH_WORKERS; i < nburst; i++)
        burst_err[i] = dispatch(deliver, &job_id[i]);

    /* The webhook recovers; the rest, with backpressure. */
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    gate_open = 1;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    next = burst_err[nburst - 1] == 0 ? nburst : nburst - 1;
    for (int i = next; i < NJOBS; i++)
        dispatch_until_accepted(i);
    dispatcher_stop();
    int live_after_stop = rl_threads_live();

    for (int i = 0; i < nburst - 1; i++) {
        char what[80];
        snprintf(what, sizeof what, "dispatch() of burst job %d (0 = accepted)", i);
        RL_CHECK_EQ(burst_err[i], 0, what);
    }
    RL_CHECK(burst_err[nburst - 1] == EBUSY,
             "dispatch() with %d jobs running and %d waiting: expected EBUSY (%d), got %d",
             DISPATCH_WORKERS, DISPATCH_BACKLOG, EBUSY, burst_err[nburst - 1]);
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    int never = 0, twice = 0;
    for (int i = 0; i < NJOBS; i++) {
        never += runs[i] == 0;
        twice += runs[i] > 1;
    }
    RL_CHECK_EQ(never, 0, "accepted jobs that never ran");
    RL_CHECK_EQ(twice, 0, "jobs that ran more than once");
    RL_CHECK_EQ(ran_on_main, 0, "deliveries run on the caller's thread (dispatch must not block)");
    RL_CHECK(most_running <= DISPATCH_WORKERS, "%d deliveries ran at once, the limit is %d",
             most_running, DISPATCH_WORKERS);
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    RL_CHECK(rl_threads_peak() <= DISPATCH_WORKERS,
             "%d dispatcher threads were alive at once, the limit is %d", rl_threads_peak(),
             DISPATCH_WORKERS);
    RL_CHECK_EQ(live_after_stop, 0, "dispatcher threads still alive after dispatcher_stop()");
    return 0;
}
