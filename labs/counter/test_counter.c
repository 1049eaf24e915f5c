/* test_counter.c - the driver for the counter lab (do not edit).
 *
 * NHANDLERS handler threads each serve NREQUESTS requests with a mix of
 * statuses, call count_request() for every response, and keep their own
 * tally of what they sent.  Meanwhile a status_page thread reads the totals,
 * as the service's /status page does, and notes if a total ever went down.
 * After joining them all, main checks that the statistics agree with the
 * tallies exactly: no lost and no extra counts.
 *
 * Max-threads: 6
 */
#include "counter.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 4
#define NREQUESTS 200

/* What one handler sent.  tally[h] is written only by handler h and read
 * by main after joining it. */
struct tally {
    long sent;
    long in_class[6];
};
static struct tally tally[NHANDLERS];

/* Set by main once the handlers are joined; read by status_page.  Relaxed:
 * it must not order anything between the threads (that could hide a race). */
static atomic_int handlers_done;
/* Written only by status_page, read by main after joining it. */
static long page_reads, page_went_down;

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_counter: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* The status of request i served by handler h: mostly 200, some 404, 503. */
static int status_of(int h, int i)
{
    if ((h + i) % 13 == 0)
        return 503;
    if ((h + i) % 5 == 0)
        return 404;
    return 200;
}

static void *handler(void *arg)
{
    struct tally *mine = arg;
    int h = (int)(mine - tally);

    for (int i = 0; i < NREQUESTS; i++) {
        int status = status_of(h, i);
        count_request(status);
        mine->sent++;
        mine->in_class[status / 100]++;
    }
    return NULL;
}

/* The /status page: reads the totals while the handlers run. */
static void *status_page(void *arg)
{
    (void)arg;
    long last = 0;
    while (!atomic_load_explicit(&handlers_done, memory_order_relaxed)) {
        long now = requests_served();
        for (int c = 1; c <= 5; c++)
            (void)requests_in_class(c); /* the page shows every total */
        if (now < last)
            page_went_down++;
        last = now;
        page_reads++;
    }
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS], page;
    struct tally want = {0, {0}};

    must(pthread_create(&page, NULL, status_page, NULL), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, &tally[h]), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");
    atomic_store_explicit(&handlers_done, 1, memory_order_relaxed);
    must(pthread_join(page, NULL), "pthread_join");

    for (int h = 0; h < NHANDLERS; h++) {
        want.sent += tally[h].sent;
        for (int c = 1; c <= 5; c++)
            want.in_class[c] += tally[h].in_class[c];
    }
    RL_CHECK_EQ(rl_threads_created(), NHANDLERS + 1, "handler and status-page threads started");
    RL_CHECK(page_reads > 0, "the status page never read the totals");
    RL_CHECK_EQ(page_went_down, 0, "times the status page saw requests_served() go down");
    RL_CHECK_EQ(want.sent, (long)NHANDLERS * NREQUESTS, "responses the handlers sent");
    RL_CHECK_EQ(requests_served(), want.sent, "requests_served()");
    for (int c = 1; c <= 5; c++) {
        char what[64];
        snprintf(what, sizeof what, "requests_in_class(%d)", c);
        RL_CHECK_EQ(requests_in_class(c), want.in_class[c], what);
    }
    return 0;
}
