/* test_lost_cancel.c - the driver for the lost_cancel lab (do not edit).
 *
 * A handler thread runs three searches over NSHARDS shards of SHARD_ITEMS
 * items (every third item matches).  Examining one item costs one
 * millisecond of the driver's fake clock: match() advances it itself.
 *
 *   complete    no cancel, a far deadline: the exact hit count, every item
 *               examined exactly once, the shards searched at the same time
 *               (each shard's first item waits until all shards have begun:
 *               a search that runs them one after another hangs).
 *   disconnect  once CANCEL_AFTER items are examined, a watcher thread calls
 *               search_cancel(); items begun from then on wait until it has
 *               returned.  search_run() must say SEARCH_CANCELLED, and at
 *               most one item per worker may begin after the cancel.
 *   deadline    the deadline is DEADLINE_AFTER ms after the start:
 *               SEARCH_TIMED_OUT, and at most one item per worker may begin
 *               at or after the deadline.
 *
 * Every time, no item may begin after search_run() returned, and no thread
 * but main may be left once the handler is joined.
 *
 * The driver keeps its books with relaxed atomics and waits by spinning
 * (sched_yield), never with a lock or a condition variable: those would
 * order the watcher's and the workers' accesses for ThreadSanitizer and
 * hide a race in the code under test.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 7
 */
#include "lost_cancel.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_EVERY 3     /* item i matches when i % MATCH_EVERY == 0 */
#define CANCEL_AFTER 20   /* disconnect: items examined before the client goes */
#define DEADLINE_AFTER 30 /* deadline: ms after the start */
#define START_MS 1000     /* the fake clock at the start of each search */
#define FAR_AWAY 1000000  /* a deadline no search reaches */
#define RELAXED memory_order_relaxed

enum scenario { COMPLETE, DISCONNECT, DEADLINE };

/* Set by main while no other thread runs (before it starts the handler). */
static enum scenario scenario;
static struct search_req req;

/* Shared with the handler, the watcher and the workers: relaxed atomics. */
static _Atomic int64_t clock_ms;  /* the fake clock; match() adds 1 per item */
static atomic_long examined;      /* items begun in this search */
static atomic_int seen[NSHARDS][SHARD_ITEMS]; /* times each item was examined */
static atomic_int bad_calls;      /* match() calls with an item out of range */
static atomic_int shards_begun;   /* complete: shards whose first item came in */
static atomic_int cancel_done;    /* disconnect: search_cancel() has returned */
static atomic_long after_cancel;  /* items begun after that */
static atomic_long after_deadline; /* items begun when the clock read >= deadline */
static atomic_int run_done;       /* search_run() has returned */
static atomic_long after_return;  /* items begun after that */

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_lost_cancel: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* The fake clock, handed to the search as req.now. */
static int64_t now_ms(void)
{
    return atomic_load_explicit(&clock_ms, RELAXED);
}

/* The query, handed to the search as req.match: examining an item costs
 * 1 ms of the fake clock.  Counts what the scenario checks, and holds the
 * workers where the scenario says (see the top of the file). */
static int match(int shard, int item)
{
    int64_t t = atomic_fetch_add_explicit(&clock_ms, 1, RELAXED);
    long n = atomic_fetch_add_explicit(&examined, 1, RELAXED);
    int cancelled = atomic_load_explicit(&cancel_done, RELAXED);

    if (shard < 0 || shard >= NSHARDS || item < 0 || item >= SHARD_ITEMS) {
        atomic_fetch_add_explicit(&bad_calls, 1, RELAXED);
        return 0;
    }
    if (atomic_load_explicit(&run_done, RELAXED))
        atomic_fetch_add_explicit(&after_return, 1, RELAXED);
    if (cancelled)
        atomic_fetch_add_explicit(&after_cancel, 1, RELAXED);
    if (t >= req.deadline)
        atomic_fetch_add_explicit(&after_deadline, 1, RELAXED);
    atomic_fetch_add_explicit(&seen[shard][item], 1, RELAXED);
    if (scenario == COMPLETE && item == 0) {
        atomic_fetch_add_explicit(&shards_begun, 1, RELAXED);
        while (atomic_load_explicit(&shards_begun, RELAXED) < NSHARDS)
            sched_yield();
    }
    if (scenario == DISCONNECT && n >= CANCEL_AFTER && !cancelled)
        while (!atomic_load_explicit(&cancel_done, RELAXED))
            sched_yield();
    return item % MATCH_EVERY == 0;
}

/* The request handler: runs the search and notes when it returned. */
struct run {
    struct search *s;
    long result;
};

static void *handler(void *arg)
{
    struct run *r = arg;

    r->result = search_run(r->s);
    atomic_store_explicit(&run_done, 1, RELAXED);
    return NULL;
}

/* The connection's watcher: the client goes away after CANCEL_AFTER items
 * (or when the search is over, if it never gets that far). */
static void *watcher(void *arg)
{
    struct search *s = arg;

    while (atomic_load_explicit(&examined, RELAXED) < CANCEL_AFTER &&
           !atomic_load_explicit(&run_done, RELAXED))
        sched_yield();
    search_cancel(s);
    atomic_store_explicit(&cancel_done, 1, RELAXED);
    return NULL;
}

/* Runs one search in a handler thread (and a watcher, to disconnect). */
static long run_search(enum scenario sc, int64_t deadline_after)
{
    struct run r = {0};
    pthread_t h, w;

    scenario = sc;
    req = (struct search_req){match, now_ms, START_MS + deadline_after};
    atomic_store(&clock_ms, START_MS);
    atomic_store(&examined, 0);
    for (int s = 0; s < NSHARDS; s++)
        for (int i = 0; i < SHARD_ITEMS; i++)
            atomic_store(&seen[s][i], 0);
    atomic_store(&bad_calls, 0);
    atomic_store(&shards_begun, 0);
    atomic_store(&cancel_done, 0);
    atomic_store(&after_cancel, 0);
    atomic_store(&after_deadline, 0);
    atomic_store(&run_done, 0);
    atomic_store(&after_return, 0);

    r.s = search_new(&req);
    if (!r.s) {
        fprintf(stderr, "test_lost_cancel: search_new: out of memory\n");
        exit(2);
    }
    must(pthread_create(&h, NULL, handler, &r), "pthread_create");
    if (sc == DISCONNECT)
        must(pthread_create(&w, NULL, watcher, r.s), "pthread_create");
    must(pthread_join(h, NULL), "pthread_join");
    if (sc == DISCONNECT)
        must(pthread_join(w, NULL), "pthread_join");
    search_free(r.s);
    return r.result;
}

/* Checks made after every search. */
static void check_common(const char *name)
{
    int twice = 0, never = 0;

    for (int s = 0; s < NSHARDS; s++)
        for (int i = 0; i < SHARD_ITEMS; i++) {
            int n = atomic_load(&seen[s][i]);
            twice += n > 1;
            never += n == 0;
        }
    RL_CHECK(twice == 0, "%s: %d items examined more than once", name, twice);
    RL_CHECK(atomic_load(&bad_calls) == 0, "%s: match() called %d times with an item out of range",
             name, atomic_load(&bad_calls));
    RL_CHECK(atomic_load(&after_return) == 0,
             "%s: %ld items begun after search_run() had returned (workers left running)", name,
             atomic_load(&after_return));
    RL_CHECK(rl_threads_live() == 0, "%s: %d threads still alive after the handler was joined",
             name, rl_threads_live());
    if (scenario == COMPLETE)
        RL_CHECK(never == 0, "%s: %d items never examined", name, never);
}

int main(void)
{
    long hits_per_shard = (SHARD_ITEMS + MATCH_EVERY - 1) / MATCH_EVERY;
    long got;

    got = run_search(COMPLETE, FAR_AWAY);
    RL_CHECK_EQ(got, NSHARDS * hits_per_shard, "complete: search_run()");
    check_common("complete");

    got = run_search(DISCONNECT, FAR_AWAY);
    RL_CHECK_EQ(got, SEARCH_CANCELLED, "disconnect: search_run() (SEARCH_CANCELLED is -1)");
    RL_CHECK(atomic_load(&after_cancel) <= NSHARDS,
             "disconnect: %ld items begun after search_cancel() returned; at most %d allowed "
             "(one per worker)", atomic_load(&after_cancel), NSHARDS);
    check_common("disconnect");

    got = run_search(DEADLINE, DEADLINE_AFTER);
    RL_CHECK_EQ(got, SEARCH_TIMED_OUT, "deadline: search_run() (SEARCH_TIMED_OUT is -2)");
    RL_CHECK(atomic_load(&after_deadline) <= NSHARDS,
             "deadline: %ld items begun at or after the deadline; at most %d allowed "
             "(one per worker)", atomic_load(&after_deadline), NSHARDS);
    check_common("deadline");
    return 0;
}
