/* sleep_wait.c - the /admin/report endpoint: the handler hands the sales
 * report to a background builder thread, so that building it never runs on
 * a request thread, and returns the finished report.
 */
#include "sleep_wait.h"

#include <pthread.h>

/* One report being built: the input is set before the builder starts;
 * result is written by the builder and read by build_report after joining
 * it. */
struct job {
    const struct order *orders;
    int n;
    struct report result;
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
    job->result = r;
    return NULL;
}

int build_report(const struct order *orders, int n, struct report *out)
{
    struct job job = {orders, n, {0, 0, 0}};
    pthread_t tid;
    int err = pthread_create(&tid, NULL, builder, &job);

    if (err)
        return err;
    /* pthread_join returns only once the builder has finished, and all it
     * wrote happens-before the return: the result is complete, however
     * slow the builder was. */
    err = pthread_join(tid, NULL);
    if (err)
        return err;
    *out = job.result;
    return 0;
}
