/* recheck.c - WRONG fix for the check_then_act lab: check the balance a
 * second time just before the debit.
 *
 * Each check is still its own locked step, and so is the debit: however
 * many times the balance is checked, another payment can take the money
 * between the last check and the debit.  The window is smaller, not gone.
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
    if (account_balance(a) < amount) /* still there? */
        return -1;
    debit(a, amount);
    return 0;
}
