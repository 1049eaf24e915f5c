/* check_then_act.c - customer accounts of the payment service.
 *
 * Each account has its own lock, and every access to the balance is made
 * under it.
 *
 * Expect: invariant
 */
#include "check_then_act.h"

#include <pthread.h>
#include <stdlib.h>

struct account {
    pthread_mutex_t lock; /* guards balance */
    long balance;         /* cents; read and written by every handler */
};

struct account *account_open(long balance)
{
    struct account *a = malloc(sizeof *a);

    if (!a)
        return NULL;
    pthread_mutex_init(&a->lock, NULL);
    a->balance = balance;
    return a;
}

void account_close(struct account *a)
{
    pthread_mutex_destroy(&a->lock);
    free(a);
}

long account_balance(struct account *a)
{
    pthread_mutex_lock(&a->lock);
    long balance = a->balance;
    pthread_mutex_unlock(&a->lock);
    return balance;
}

/* Takes amount cents off the balance. */
static void debit(struct account *a, long amount)
{
    pthread_mutex_lock(&a->lock);
    a->balance -= amount;
    pthread_mutex_unlock(&a->lock);
}

int account_pay(struct account *a, long amount)
{
    if (account_balance(a) < amount)
        return -1;
    debit(a, amount);
    return 0;
}
