/* volatile_flag.c - WRONG fix for the sleep_wait lab: spin until the
 * builder sets a volatile `done` flag.
 *
 * No sleep any more, and the loop does wait until the flag is set, but a
 * volatile access is not an atomic one: nothing makes the builder's writes
 * of the result visible, in order, to the thread that saw the flag (the
 * compiler and the CPU may reorder them), so the flag and the result are
 * both raced on.
 *
 * Expect: data-race
 */
#include "sleep_wait.h"

#include <pthread.h>

/* One report being built: the input is set before the builder starts;
 * result is written by the builder and read by build_report. */
struct job {
    const struct order *orders;
    int n;
    struct report result;
    volatile int done;
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
    job->done = 1;
    return NULL;
}

int build_report(const struct order *orders, int n, struct report *out)
{
    struct job job = {orders, n, {0, 0, 0}, 0};
    pthread_t tid;
    int err = pthread_create(&tid, NULL, builder, &job);

    if (err)
        return err;
    pthread_detach(tid);
    while (!job.done)
        continue;
    *out = job.result;
    return 0;
}
