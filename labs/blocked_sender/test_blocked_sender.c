/* test_blocked_sender.c - the driver for the blocked_sender lab (do not
 * edit).
 *
 * NHANDLERS handler threads start together and each make two lookups.
 * For the first item the backend answers at once: lookup_wait() must
 * return that price.  For the second the backend hangs until the handler
 * is done with it: main, as the handlers' deadline timer, calls
 * lookup_give_up() once the backend has been asked, lookup_wait() must
 * return ETIMEDOUT, and only then does the backend answer (late).  main
 * checks the answers, that each item was asked for once and never on the
 * handler's own thread.  The harness then checks that no thread is left
 * when main returns: a fetcher whose answer came too late must still
 * finish.  No real time is involved: the deadline is whenever main says
 * so.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 10
 * Timeout: 5
 */
#include "blocked_sender.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 3
#define FAST(h) (2 * (h))     /* the backend answers at once */
#define SLOW(h) (2 * (h) + 1) /* the backend answers after the deadline */
#define NITEMS (2 * NHANDLERS)

/* Lets every handler start at the same moment, once all exist. */
static pthread_barrier_t start_line;

/* Guards everything below; changed is broadcast on every change. */
static pthread_mutex_t drv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static pthread_t handler_tid[NHANDLERS];
static int asked[NITEMS];            /* backend calls for each item */
static int answered[NITEMS];         /* backend answers given for each item */
static int asked_on_handler;         /* calls made on a handler's own thread */
static int answer_late[NHANDLERS];   /* the backend may answer SLOW(h) now */
static struct lookup *slow_lookup[NHANDLERS]; /* for the deadline timer */

/* What each handler got: written by handler h, read by main after the join. */
static int fast_err[NHANDLERS], fast_price[NHANDLERS], slow_err[NHANDLERS];

/* Dies on a failed call (pthread calls return the error number). */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_blocked_sender: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static int price_of(int item)
{
    return 100 * item + 99;
}

int backend_price(int item)
{
    int h = item / 2;

    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    asked[item]++;
    if (pthread_equal(pthread_self(), handler_tid[h]))
        asked_on_handler++;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    while (item == SLOW(h) && !answer_late[h])
        must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
    answered[item]++;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    return price_of(item);
}

static struct lookup *start_or_die(int item)
{
    struct lookup *l = lookup_start(item);

    if (!l) {
        fprintf(stderr, "test_blocked_sender: lookup_start(%d) returned NULL\n", item);
        exit(2);
    }
    return l;
}

static void *handler(void *arg)
{
    int h = (int)(long)arg, ignored;
    int err = pthread_barrier_wait(&start_line);

    if (err && err != PTHREAD_BARRIER_SERIAL_THREAD)
        must(err, "pthread_barrier_wait");
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    handler_tid[h] = pthread_self();
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");

    fast_err[h] = lookup_wait(start_or_die(FAST(h)), &fast_price[h]);

    struct lookup *l = start_or_die(SLOW(h));
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    slow_lookup[h] = l;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    slow_err[h] = lookup_wait(l, &ignored);

    /* The handler has answered its client; now the backend answers. */
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    answer_late[h] = 1;
    must(pthread_cond_broadcast(&changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS];

    must(pthread_barrier_init(&start_line, NULL, NHANDLERS + 1), "pthread_barrier_init");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, (void *)(long)h), "pthread_create");
    int err = pthread_barrier_wait(&start_line);
    if (err && err != PTHREAD_BARRIER_SERIAL_THREAD)
        must(err, "pthread_barrier_wait");

    /* The deadline timer: gives up on each slow lookup once the backend
     * has been asked for it (so the fetcher is surely still waiting). */
    for (int h = 0; h < NHANDLERS; h++) {
        must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
        while (!slow_lookup[h] || !asked[SLOW(h)])
            must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
        struct lookup *l = slow_lookup[h];
        must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
        lookup_give_up(l);
    }
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");
    must(pthread_barrier_destroy(&start_line), "pthread_barrier_destroy");

    /* Every late answer has left the backend: each fetcher has its answer
     * in hand, and all that is left for it is to deliver it and end. */
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    for (int h = 0; h < NHANDLERS; h++)
        while (!answered[SLOW(h)])
            must(pthread_cond_wait(&changed, &drv_lock), "pthread_cond_wait");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");

    for (int h = 0; h < NHANDLERS; h++) {
        char what[80];
        snprintf(what, sizeof what, "lookup_wait() of fast item %d (0 = got the price)", FAST(h));
        RL_CHECK_EQ(fast_err[h], 0, what);
        snprintf(what, sizeof what, "price of item %d", FAST(h));
        if (fast_err[h] == 0)
            RL_CHECK_EQ(fast_price[h], price_of(FAST(h)), what);
        RL_CHECK(slow_err[h] == ETIMEDOUT,
                 "lookup_wait() of slow item %d after lookup_give_up(): expected ETIMEDOUT (%d), got %d",
                 SLOW(h), ETIMEDOUT, slow_err[h]);
    }
    must(pthread_mutex_lock(&drv_lock), "pthread_mutex_lock");
    for (int i = 0; i < NITEMS; i++) {
        char what[80];
        snprintf(what, sizeof what, "backend calls for item %d", i);
        RL_CHECK_EQ(asked[i], 1, what);
        snprintf(what, sizeof what, "backend answers for item %d", i);
        RL_CHECK_EQ(answered[i], 1, what);
    }
    RL_CHECK_EQ(asked_on_handler, 0, "backend calls made on the handler's own thread");
    must(pthread_mutex_unlock(&drv_lock), "pthread_mutex_unlock");
    return 0;
}
