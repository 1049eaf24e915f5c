/* test_pool_shutdown.c - the driver for the pool_shutdown lab (do not
 * edit).
 *
 * NHANDLERS handler threads submit NJOBS jobs each.  The first jobs hang
 * (at a gate main holds closed) until every worker is busy, so most jobs
 * are still queued when main opens the gate and at once shuts the pool
 * down, as a deploy would.  Then main submits one more job, which must be
 * refused with ECANCELED, and checks: every accepted job ran exactly once;
 * the refused one never ran; no worker outlived
 * pool_shutdown().  Last, pool_free().
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 6
 * Timeout: 5
 */
#include "pool_shutdown.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 2
#define NJOBS 16
#define NALL (NHANDLERS * NJOBS)

/* Guards everything below; changed is broadcast on every change. */
static pthread_mutex_t drv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int gate_open;      /* 0: jobs hang at the gate */
static int started;        /* jobs that began */
static int runs[NALL + 1]; /* times job i ran; NALL is the late job */

static int job_id[NALL + 1];
/* submit_err[i]: what pool_submit() said for job i; written by the handler
 * that submitted it, read by main after joining. */
static int submit_err[NALL];
static struct pool *pool;

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_pool_shutdown: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* A background job: hangs while the gate is closed, then counts itself. */
static void job(void *arg)
{
    int id = *(int *)arg;

    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    started++;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    while (!gate_open)
        must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
    runs[id]++;
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
}

static void *handler(void *arg)
{
    int h = (int)(long)arg;

    for (int i = h * NJOBS; i < (h + 1) * NJOBS; i++)
        submit_err[i] = pool_submit(pool, job, &job_id[i]);
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS];

    for (int i = 0; i <= NALL; i++)
        job_id[i] = i;
    pool = pool_start();
    if (!pool) {
        fprintf(stderr, "test_pool_shutdown: pool_start failed\n");
        exit(2);
    }
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, (void *)(long)h), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");

    /* Every worker busy, the rest queued: now the deploy stops the pool. */
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    while (started < POOL_WORKERS)
        must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
    gate_open = 1;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    pool_shutdown(pool);
    int live_after_shutdown = rl_threads_live();
    int late_err = pool_submit(pool, job, &job_id[NALL]);

    for (int i = 0; i < NALL; i++) {
        char what[80];
        snprintf(what, sizeof what, "pool_submit() of job %d before shutdown (0 = accepted)", i);
        RL_CHECK_EQ(submit_err[i], 0, what);
    }
    RL_CHECK(late_err == ECANCELED, "pool_submit() after pool_shutdown(): expected ECANCELED (%d), got %d",
             ECANCELED, late_err);
    RL_CHECK_EQ(live_after_shutdown, 0, "worker threads still alive after pool_shutdown() returned");
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    int never = 0, twice = 0;
    for (int i = 0; i < NALL; i++) {
        never += runs[i] == 0;
        twice += runs[i] > 1;
    }
    RL_CHECK_EQ(never, 0, "accepted jobs that never ran");
    RL_CHECK_EQ(twice, 0, "jobs that ran more than once");
    RL_CHECK_EQ(runs[NALL], 0, "runs of the job submitted after pool_shutdown()");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    pool_free(pool);
    return 0;
}
