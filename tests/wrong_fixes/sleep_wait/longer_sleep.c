/* longer_sleep.c - WRONG fix for the sleep_wait lab: sleep three times
 * longer.
 *
 * A sleep orders nothing: the builder's writes still do not happen-before
 * the read (ThreadSanitizer says "as if synchronized via sleep"), and a
 * busy machine can still delay the builder past any fixed time.
 *
 * Expect: data-race forbidden-call
 */
#include "sleep_wait.h"

#include <pthread.h>
#include <unistd.h>

/* One report being built: the input is set before the builder starts;
 * result is written by the builder and read by build_report. */
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
    pthread_detach(tid);
    usleep(30 * 1000); /* a day's report takes well under a millisecond */
    *out = job.result;
    return 0;
}
