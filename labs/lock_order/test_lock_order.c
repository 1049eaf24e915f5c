/* test_lock_order.c - the driver for the lock_order lab (do not edit).
 *
 * Two branches each hold a pair of accounts.  Two teller threads work in
 * two rounds: in round one teller 0 moves money forward inside the first
 * pair while teller 1 moves money backward inside the second; in round two
 * they swap pairs.  Each teller also asks total_of() the pair's total, which
 * must never change: money only moves inside the pair.  Main checks the
 * tellers' results after the joins.
 *
 * Within a round the tellers never touch the same account, so this driver
 * cannot deadlock, whatever order the code locks in: ThreadSanitizer finds
 * a lock order that could deadlock from the orders it has seen, without
 * waiting for the deadlock to happen.
 *
 * Max-threads: 3
 * Timeout: 5
 */
#include "lock_order.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTELLERS 2
#define NTRANSFERS 50
#define OPENING 100000 /* cents in each account at the start */
#define AMOUNT 700     /* cents per transfer */

/* pair[p][0], pair[p][1]: branch p's accounts; ids 1, 2 and 3, 4. */
static struct account *pair[2][2];
static pthread_barrier_t next_round;

/* What a teller saw: written only by its own teller, read by main after the
 * joins. */
struct teller {
    int failed;     /* transfers that did not go through */
    int bad_totals; /* total_of() answers that were not the pair's total */
};
static struct teller teller[NTELLERS];

/* Dies on a failed call: pthread calls return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_lock_order: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* Moves money inside one pair, forward (0 to 1) or backward (1 to 0). */
static void work_on(struct teller *me, struct account **acc, int forward)
{
    struct account *from = acc[forward ? 0 : 1], *to = acc[forward ? 1 : 0];

    for (int i = 0; i < NTRANSFERS; i++) {
        if (transfer(from, to, AMOUNT) != 0)
            me->failed++;
        if (total_of(from, to) != 2L * OPENING)
            me->bad_totals++;
    }
}

static void *teller_main(void *arg)
{
    struct teller *me = arg;
    int t = (int)(me - teller);
    int err;

    /* Round one: teller 0 forward in pair 0, teller 1 backward in pair 1;
     * round two: teller 0 forward in pair 1, teller 1 backward in pair 0. */
    work_on(me, pair[t], t == 0);
    err = pthread_barrier_wait(&next_round);
    if (err != 0 && err != PTHREAD_BARRIER_SERIAL_THREAD)
        must(err, "pthread_barrier_wait");
    work_on(me, pair[1 - t], t == 0);
    return NULL;
}

int main(void)
{
    pthread_t tid[NTELLERS];

    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 2; i++)
            if (!(pair[p][i] = account_open(2 * p + i + 1, OPENING)))
                must(ENOMEM, "account_open");
    must(pthread_barrier_init(&next_round, NULL, NTELLERS), "pthread_barrier_init");
    for (int t = 0; t < NTELLERS; t++)
        must(pthread_create(&tid[t], NULL, teller_main, &teller[t]), "pthread_create");
    for (int t = 0; t < NTELLERS; t++)
        must(pthread_join(tid[t], NULL), "pthread_join");
    must(pthread_barrier_destroy(&next_round), "pthread_barrier_destroy");

    for (int t = 0; t < NTELLERS; t++) {
        char what[64];

        snprintf(what, sizeof what, "teller %d: transfers that failed", t);
        RL_CHECK_EQ(teller[t].failed, 0, what);
        snprintf(what, sizeof what, "teller %d: wrong total_of() answers", t);
        RL_CHECK_EQ(teller[t].bad_totals, 0, what);
    }
    for (int p = 0; p < 2; p++) {
        char what[64];

        snprintf(what, sizeof what, "total_of() the accounts %d and %d after the rounds",
                 account_id(pair[p][0]), account_id(pair[p][1]));
        RL_CHECK_EQ(total_of(pair[p][0], pair[p][1]), 2L * OPENING, what);
        for (int i = 0; i < 2; i++)
            account_close(pair[p][i]);
    }
    RL_CHECK_EQ(rl_threads_created(), NTELLERS, "teller threads started");
    return 0;
}
