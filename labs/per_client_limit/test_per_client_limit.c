/* test_per_client_limit.c - the driver for the per_client_limit lab (do
 * not edit).
 *
 * NHANDLERS handler threads and one cleaner thread share a table of
 * per-client limits (RATE tokens/s, BURST tokens, stale after IDLE_MS) on
 * the driver's fake clock.  The run is NTICKS ticks of TICK_MS; main moves
 * the clock between ticks.  In each tick:
 *
 *   - every handler serves one request, for the client its script names:
 *     handlers 0 and 1 serve client 0 every tick, handler 2 serves clients
 *     2 and 3 and later client 1, handler 3 clients 4 and 5, later client
 *     1, and client 5 once more after it has gone stale;
 *   - the cleaner sweeps as the tick starts (while the handlers serve), and
 *     again once every handler has served, then notes the table's size.
 *
 * Main then checks, after the joins:
 *
 *   - each client had exactly as many requests admitted as its bucket
 *     allows (BURST to start, RATE per second, never above BURST): a bucket
 *     lost, shared or reset while its client is active shows up here;
 *   - after each tick the table holds exactly the clients that made a
 *     request within the last IDLE_MS: stale buckets do go away.
 *
 * The cleaner waits for the handlers by spinning on a relaxed atomic, not
 * with a lock or a condition variable: those would order the handlers' and
 * the cleaner's accesses for ThreadSanitizer and hide a race in the code
 * under test.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 6
 */
#include "per_client_limit.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 5          /* tokens per second */
#define BURST 2
#define IDLE_MS 400     /* IDLE_MS x RATE = 1000 x BURST: a stale bucket is full */
#define TICK_MS 100
#define NTICKS 10
#define NHANDLERS 4
#define NCLIENTS 6
#define START_MS 70000  /* the fake clock in tick 0 */

/* The fake clock: main moves it while everyone waits at the barrier. */
static _Atomic int64_t clock_ms = START_MS;
static struct limits *tab;
static pthread_barrier_t tick_start, tick_end;
static atomic_int served; /* requests served so far (all ticks) */

/* What each handler got: written by that handler, read by main after the
 * joins. */
struct tally {
    long asked[NCLIENTS], admitted[NCLIENTS], bad;
};
static struct tally tally[NHANDLERS];
/* Written by the cleaner, read by main after the joins. */
static int size_after[NTICKS];

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err && err != PTHREAD_BARRIER_SERIAL_THREAD) {
        fprintf(stderr, "test_per_client_limit: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static int64_t now_ms(void)
{
    return atomic_load_explicit(&clock_ms, memory_order_relaxed);
}

/* The client handler h serves in tick k. */
static int client_of(int h, int k)
{
    switch (h) {
    case 0:
    case 1:
        return 0;
    case 2:
        return k < 4 ? 2 + k % 2 : 1;
    default:
        return k < 4 ? 4 + k % 2 : k == 7 ? 5 : 1;
    }
}

static void *handler(void *arg)
{
    struct tally *mine = arg;
    int h = (int)(mine - tally);

    for (int k = 0; k < NTICKS; k++) {
        must(pthread_barrier_wait(&tick_start), "pthread_barrier_wait");
        int c = client_of(h, k);
        int ok = limits_allow(tab, c);
        mine->asked[c]++;
        if (ok == 1)
            mine->admitted[c]++;
        else if (ok != 0)
            mine->bad++;
        atomic_fetch_add_explicit(&served, 1, memory_order_relaxed);
        must(pthread_barrier_wait(&tick_end), "pthread_barrier_wait");
    }
    return NULL;
}

static void *cleaner(void *arg)
{
    (void)arg;
    for (int k = 0; k < NTICKS; k++) {
        must(pthread_barrier_wait(&tick_start), "pthread_barrier_wait");
        limits_sweep(tab);
        while (atomic_load_explicit(&served, memory_order_relaxed) < NHANDLERS * (k + 1))
            sched_yield();
        limits_sweep(tab);
        size_after[k] = limits_size(tab);
        must(pthread_barrier_wait(&tick_end), "pthread_barrier_wait");
    }
    return NULL;
}

/* What a correct table does with the script: admitted requests per client
 * and the size after each tick's second sweep. */
static void model(long admitted[NCLIENTS], int size[NTICKS])
{
    long milli[NCLIENTS];
    int64_t seen[NCLIENTS]; /* last request; -1: no bucket */

    for (int c = 0; c < NCLIENTS; c++)
        seen[c] = -1;
    for (int k = 0; k < NTICKS; k++) {
        int64_t now = START_MS + (int64_t)k * TICK_MS;
        for (int h = 0; h < NHANDLERS; h++) {
            int c = client_of(h, k);
            if (seen[c] < 0)
                milli[c] = BURST * 1000; /* a new bucket is full */
            milli[c] += (now - seen[c]) * RATE * (seen[c] >= 0);
            if (milli[c] > BURST * 1000)
                milli[c] = BURST * 1000; /* so is a stale one, swept or not */
            seen[c] = now;
            if (milli[c] >= 1000) {
                milli[c] -= 1000;
                admitted[c]++;
            }
        }
        size[k] = 0;
        for (int c = 0; c < NCLIENTS; c++) {
            if (seen[c] >= 0 && now - seen[c] >= IDLE_MS)
                seen[c] = -1;
            size[k] += seen[c] >= 0;
        }
    }
}

int main(void)
{
    pthread_t tid[NHANDLERS], cl;
    long want[NCLIENTS] = {0}, got[NCLIENTS] = {0}, asked = 0, bad = 0;
    int want_size[NTICKS];

    tab = limits_new(RATE, BURST, IDLE_MS, now_ms);
    if (!tab) {
        fprintf(stderr, "test_per_client_limit: limits_new failed\n");
        return 2;
    }
    must(pthread_barrier_init(&tick_start, NULL, NHANDLERS + 2), "pthread_barrier_init");
    must(pthread_barrier_init(&tick_end, NULL, NHANDLERS + 2), "pthread_barrier_init");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, &tally[h]), "pthread_create");
    must(pthread_create(&cl, NULL, cleaner, NULL), "pthread_create");
    for (int k = 0; k < NTICKS; k++) {
        if (k > 0)
            atomic_fetch_add_explicit(&clock_ms, TICK_MS, memory_order_relaxed);
        must(pthread_barrier_wait(&tick_start), "pthread_barrier_wait");
        must(pthread_barrier_wait(&tick_end), "pthread_barrier_wait");
    }
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");
    must(pthread_join(cl, NULL), "pthread_join");
    must(pthread_barrier_destroy(&tick_start), "pthread_barrier_destroy");
    must(pthread_barrier_destroy(&tick_end), "pthread_barrier_destroy");
    limits_free(tab);

    model(want, want_size);
    for (int h = 0; h < NHANDLERS; h++) {
        bad += tally[h].bad;
        for (int c = 0; c < NCLIENTS; c++) {
            asked += tally[h].asked[c];
            got[c] += tally[h].admitted[c];
        }
    }
    RL_CHECK_EQ(rl_threads_created(), NHANDLERS + 1, "handler and cleaner threads started");
    RL_CHECK_EQ(asked, NHANDLERS * NTICKS, "requests served");
    RL_CHECK_EQ(bad, 0, "limits_allow() results other than 0 or 1");
    for (int c = 0; c < NCLIENTS; c++)
        RL_CHECK(got[c] == want[c], "client %d: %ld requests admitted; its bucket allows %ld", c,
                 got[c], want[c]);
    for (int k = 0; k < NTICKS; k++)
        RL_CHECK(size_after[k] == want_size[k],
                 "tick %d (%d ms): the table holds %d clients after the sweep; %d made a request "
                 "in the last %d ms", k, k * TICK_MS, size_after[k], want_size[k], IDLE_MS);
    return 0;
}
