/* test_rate_limit.c - the driver for the rate_limit lab (do not edit).
 *
 * One limiter (RATE tokens/s, BURST tokens) on the driver's fake clock, and
 * NHANDLERS handler threads that ask it for far more tokens than it holds.
 * The run is NPHASES phases:
 *
 *   still phases   main moves the clock on, then the handlers make TAKES
 *                  requests each while the clock stands still;
 *   moving phase   every MOVE_EVERY-th request moves the clock MOVE_MS on
 *                  just before it asks, as a real clock would move while
 *                  the handlers work; main then takes what is left.
 *
 * After each phase, with the handlers waiting, main checks the limiter
 * against the token-bucket rule:
 *
 *   - never more admitted than BURST + RATE x elapsed seconds;
 *   - not fewer either: every whole token the bucket earned is handed out;
 *   - Retry-After is right: every refusal at one moment gives the same
 *     value r, and main asks again at r - 1 ms (refused, told 1 ms) and at
 *     r ms (admitted).
 *
 * A limiter that waits for a token instead of refusing hangs: during a
 * still phase the clock does not move.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 5
 */
#include "rate_limit.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 7          /* tokens per second: 7 thousandths per ms */
#define BURST 5
#define NHANDLERS 4
#define TAKES 4         /* requests per handler in a still phase */
#define MOVING_TAKES 16 /* requests per handler in the moving phase */
#define MOVE_EVERY 2    /* moving phase: every 2nd request moves the clock */
#define MOVE_MS 10
#define NSTILL 6
#define NPHASES (NSTILL + 1)
#define START_MS 50000  /* the fake clock at the start */
#define MAX_WAIT ((1000 + RATE - 1) / RATE) /* Retry-After with an empty bucket */

/* How far main moves the clock before each still phase (ms). */
static const int64_t step_ms[NSTILL] = {0, 150, 400, 90, 1000, 300};

/* The fake clock.  Main moves it between phases, the handlers during the
 * moving phase; relaxed, so the clock orders nothing for ThreadSanitizer. */
static _Atomic int64_t clock_ms = START_MS;
static atomic_long moving_takes; /* requests made in the moving phase */
static struct limiter *lim;
static pthread_barrier_t phase_start, phase_end;

/* What one handler saw in one phase: written by that handler, read by main
 * after the phase's end barrier. */
struct tally {
    int admitted, refused, bad;
    long retry_min, retry_max;
};
static struct tally tally[NHANDLERS][NPHASES];

/* What main measured in one phase; checked after the joins. */
struct phase {
    long admitted, want;  /* admitted (handlers and main); by the bucket rule */
    long refused, retry_min, retry_max;
    long probe_r;         /* the Retry-After main probed (0: none) */
    long early;           /* limiter_take() at probe_r - 1 ms: want 1 */
    long on_time;         /* limiter_take() at probe_r ms: want 0 (admitted) */
};
static struct phase phase[NPHASES];
static long over_by, over_at; /* worst excess over BURST + RATE x elapsed, and when */
static long total;            /* requests admitted so far */

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err && err != PTHREAD_BARRIER_SERIAL_THREAD) {
        fprintf(stderr, "test_rate_limit: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static int64_t now_ms(void)
{
    return atomic_load_explicit(&clock_ms, memory_order_relaxed);
}

static void *handler(void *arg)
{
    struct tally *row = arg; /* this handler's tallies, one per phase */

    for (int p = 0; p < NPHASES; p++) {
        struct tally *t = &row[p];
        int takes = p < NSTILL ? TAKES : MOVING_TAKES;

        must(pthread_barrier_wait(&phase_start), "pthread_barrier_wait");
        t->retry_min = -1;
        for (int i = 0; i < takes; i++) {
            if (p == NSTILL &&
                atomic_fetch_add_explicit(&moving_takes, 1, memory_order_relaxed) % MOVE_EVERY == 0)
                atomic_fetch_add_explicit(&clock_ms, MOVE_MS, memory_order_relaxed);
            long r = limiter_take(lim);
            if (r == 0) {
                t->admitted++;
            } else if (r < 0) {
                t->bad++;
            } else {
                t->refused++;
                if (t->retry_min < 0 || r < t->retry_min)
                    t->retry_min = r;
                if (r > t->retry_max)
                    t->retry_max = r;
            }
        }
        must(pthread_barrier_wait(&phase_end), "pthread_barrier_wait");
    }
    return NULL;
}

/* Notes how far the admissions so far exceed what the bucket allows now. */
static void note_bound(void)
{
    long bound = BURST + (long)((now_ms() - START_MS) * RATE / 1000);

    if (total - bound > over_by) {
        over_by = total - bound;
        over_at = now_ms() - START_MS;
    }
}

/* Adds ms of earnings to the driver's own bucket (thousandths of tokens). */
static void earn(long *milli, int64_t ms)
{
    *milli += ms * RATE;
    if (*milli > BURST * 1000)
        *milli = BURST * 1000;
}

/* With the handlers idle: asks r - 1 ms and r ms after a refusal that said
 * r; the driver's bucket follows what the limiter should do. */
static void probe(struct phase *ph, long r, long *milli)
{
    if (r < 1 || r > MAX_WAIT)
        return; /* the range check reports it */
    ph->probe_r = r;
    atomic_fetch_add_explicit(&clock_ms, r - 1, memory_order_relaxed);
    ph->early = limiter_take(lim);
    total += ph->early == 0;
    note_bound();
    atomic_fetch_add_explicit(&clock_ms, 1, memory_order_relaxed);
    ph->on_time = limiter_take(lim);
    total += ph->on_time == 0;
    note_bound();
    earn(milli, r);
    *milli -= 1000 * ((ph->early == 0) + (ph->on_time == 0));
    if (*milli < 0)
        *milli = 0;
}

int main(void)
{
    pthread_t tid[NHANDLERS];
    long milli = BURST * 1000; /* the driver's own bucket */
    long bad = 0;

    lim = limiter_new(RATE, BURST, now_ms);
    if (!lim) {
        fprintf(stderr, "test_rate_limit: limiter_new failed\n");
        return 2;
    }
    must(pthread_barrier_init(&phase_start, NULL, NHANDLERS + 1), "pthread_barrier_init");
    must(pthread_barrier_init(&phase_end, NULL, NHANDLERS + 1), "pthread_barrier_init");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, tally[h]), "pthread_create");

    for (int p = 0; p < NPHASES; p++) {
        struct phase *ph = &phase[p];
        int64_t before;

        if (p < NSTILL) {
            atomic_fetch_add_explicit(&clock_ms, step_ms[p], memory_order_relaxed);
            earn(&milli, step_ms[p]);
        }
        before = now_ms();
        must(pthread_barrier_wait(&phase_start), "pthread_barrier_wait");
        must(pthread_barrier_wait(&phase_end), "pthread_barrier_wait");
        earn(&milli, now_ms() - before); /* the moving phase's earnings */

        ph->retry_min = -1;
        for (int h = 0; h < NHANDLERS; h++) {
            struct tally *t = &tally[h][p];
            ph->admitted += t->admitted;
            bad += t->bad;
            ph->refused += t->refused;
            if (t->refused && (ph->retry_min < 0 || t->retry_min < ph->retry_min))
                ph->retry_min = t->retry_min;
            if (t->refused && t->retry_max > ph->retry_max)
                ph->retry_max = t->retry_max;
        }
        total += ph->admitted;
        note_bound();

        long r = ph->retry_min;
        if (p == NSTILL) {
            /* Take what the handlers left, so that the count is exact. */
            for (int i = 0; i < 2 * BURST && (r = limiter_take(lim)) == 0; i++)
                ph->admitted++, total++;
            note_bound();
        }
        ph->want = milli / 1000;
        milli -= ph->want * 1000;
        if (p < NSTILL ? r == ph->retry_max : r > 0)
            probe(ph, r, &milli);
    }
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");
    must(pthread_barrier_destroy(&phase_start), "pthread_barrier_destroy");
    must(pthread_barrier_destroy(&phase_end), "pthread_barrier_destroy");
    limiter_free(lim);

    RL_CHECK_EQ(rl_threads_created(), NHANDLERS, "handler threads started");
    RL_CHECK_EQ(bad, 0, "limiter_take() calls that returned a negative number");
    RL_CHECK(over_by <= 0,
             "over-admission: %ld more requests admitted than BURST + RATE x elapsed "
             "(%d + %d/s x %ld ms)", over_by, BURST, RATE, over_at);
    for (int p = 0; p < NPHASES; p++) {
        struct phase *ph = &phase[p];
        const char *kind = p < NSTILL ? "still" : "moving";

        RL_CHECK(ph->admitted == ph->want, "%s phase %d: %ld requests admitted; the bucket had earned "
                 "%ld whole tokens", kind, p, ph->admitted, ph->want);
        RL_CHECK(!ph->refused || (ph->retry_min >= 1 && ph->retry_max <= MAX_WAIT),
                 "%s phase %d: Retry-After values from %ld to %ld ms; an empty bucket earns a token "
                 "in %d ms, and a refusal waits at least 1", kind, p, ph->retry_min,
                 ph->retry_max, MAX_WAIT);
        RL_CHECK(p == NSTILL || !ph->refused || ph->retry_min == ph->retry_max,
                 "%s phase %d: refusals at one and the same moment gave different Retry-After "
                 "values (%ld to %ld ms)", kind, p, ph->retry_min, ph->retry_max);
        if (!ph->probe_r)
            continue;
        RL_CHECK(ph->early != 0, "%s phase %d: Retry-After %ld ms is too long: a request %ld ms "
                 "later was admitted", kind, p, ph->probe_r, ph->probe_r - 1);
        RL_CHECK(ph->early == 0 || ph->early == 1, "%s phase %d: a request 1 ms before the "
                 "Retry-After (%ld ms) was told to wait %ld ms, not 1", kind, p, ph->probe_r,
                 ph->early);
        RL_CHECK(ph->early == 0 || ph->on_time == 0, "%s phase %d: Retry-After %ld ms is too "
                 "short: a request that waited that long was refused (told %ld ms more)", kind, p,
                 ph->probe_r, ph->on_time);
    }
    return 0;
}
