/* test_check_then_act.c - the driver for the check_then_act lab (do not
 * edit).
 *
 * NACCOUNTS accounts each hold exactly the price of one order.  Every
 * customer's app sends its payment request twice (it retried), so
 * NHANDLERS handler threads each get the whole list of requests, in the
 * same order, and try to pay every account once.  Requests arrive in
 * batches of BATCH, and a retry arrives with the original: the handlers
 * start each batch together (a barrier), so a handler that is paused for a
 * while falls behind by one batch at most, and the two keep meeting on the
 * same accounts.  Main checks, after the joins, that no account went below
 * zero, that no money appeared or vanished, and that every account was
 * paid.
 *
 * Max-threads: 3
 */
#include "check_then_act.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 2
#define NBATCHES 10
#define BATCH 50
#define NACCOUNTS (NBATCHES * BATCH)
#define PRICE 1250 /* cents */

static struct account *account[NACCOUNTS];
static pthread_barrier_t batch_arrives;
/* paid[h]: the cents handler h paid out; written only by handler h, read by
 * main after the joins. */
static long paid[NHANDLERS];

/* Dies on a failed call: pthread calls return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_check_then_act: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static void *handler(void *arg)
{
    long *mine = arg;

    for (int b = 0; b < NBATCHES; b++) {
        int err = pthread_barrier_wait(&batch_arrives);

        if (err != 0 && err != PTHREAD_BARRIER_SERIAL_THREAD)
            must(err, "pthread_barrier_wait");
        for (int k = b * BATCH; k < (b + 1) * BATCH; k++)
            if (account_pay(account[k], PRICE) == 0)
                *mine += PRICE;
    }
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS];
    long balances = 0, paid_out = 0, lowest = 0;
    int overdrawn = 0, unpaid = 0;

    for (int k = 0; k < NACCOUNTS; k++)
        if (!(account[k] = account_open(PRICE)))
            must(ENOMEM, "account_open");
    must(pthread_barrier_init(&batch_arrives, NULL, NHANDLERS), "pthread_barrier_init");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, &paid[h]), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");
    must(pthread_barrier_destroy(&batch_arrives), "pthread_barrier_destroy");

    for (int k = 0; k < NACCOUNTS; k++) {
        long b = account_balance(account[k]);

        balances += b;
        overdrawn += b < 0;
        unpaid += b > 0;
        if (b < lowest)
            lowest = b;
        account_close(account[k]);
    }
    for (int h = 0; h < NHANDLERS; h++)
        paid_out += paid[h];
    RL_CHECK(overdrawn == 0,
             "%d of %d accounts went below zero (lowest balance %ld cents): an account holding "
             "one price paid out twice", overdrawn, NACCOUNTS, lowest);
    RL_CHECK_EQ(balances + paid_out, (long)NACCOUNTS * PRICE,
                "cents left in the accounts plus cents paid out");
    RL_CHECK(unpaid == 0, "%d of %d accounts were never paid out of", unpaid, NACCOUNTS);
    RL_CHECK_EQ(rl_threads_created(), NHANDLERS, "handler threads started");
    return 0;
}
