/* sleep_wait.c - the /admin/report endpoint: the handler hands the sales
 * report to a background builder thread, so that building it never runs on
 * a request thread, and returns the finished report.
 */
#include "sleep_wait.h"

#include <pthread.h>

/* One report being built: the input is set before the builder starts;
 * result and done are written by the builder and read by build_report,
 * both under lock. */
struct job {
    const struct order *orders;
    int n;
    struct report result;
    int done; /* 1 once result is complete */
    pthread_mutex_t lock;
    pthread_cond_t finished; /* signalled when done becomes 1 */
};

static void *builder(void *arg)
{
    struct job *job = arg;
    struct report r = {0, 0, 0};

    for (int i = 0; i < job->n; i++) {
        if (job->orders[i].refunded) {
            r.refunds++;
            continue;
        }
        r.orders++;
        r.revenue_cents += job->orders[i].cents;
    }
    pthread_mutex_lock(&job->lock);
    job->result = r;
    job->done = 1;
    pthread_cond_signal(&job->finished);
    pthread_mutex_unlock(&job->lock); /* the last touch of job */
    return NULL;
}

int build_report(const struct order *orders, int n, struct report *out)
{
    struct job job = {orders, n, {0, 0, 0}, 0, PTHREAD_MUTEX_INITIALIZER,
                      PTHREAD_COND_INITIALIZER};
    pthread_t tid;
    int err = pthread_create(&tid, NULL, builder, &job);

    if (err)
        return err;
    pthread_detach(tid);
    /* Wait for the predicate, not for a signal: done is set and read under
     * the lock, so the builder's unlock happens-before our lock returns
     * with done == 1, and a signal sent before we wait is not lost. */
    pthread_mutex_lock(&job.lock);
    while (!job.done)
        pthread_cond_wait(&job.finished, &job.lock);
    *out = job.result;
    pthread_mutex_unlock(&job.lock);
    pthread_cond_destroy(&job.finished);
    pthread_mutex_destroy(&job.lock);
    return 0;
}
