/* atomic_balance.c - WRONG fix for the check_then_act lab: an atomic
 * balance instead of the lock.
 *
 * Each load and each subtraction is now atomic on its own, but the payment
 * is a load followed by a subtraction: two atomic steps are not one.
 * Another payment can still take the money between them.
 *
 * Expect: invariant
 */
#include "check_then_act.h"

#include <stdatomic.h>
#include <stdlib.h>

struct account {
    atomic_long balance; /* cents; read and written by every handler */
};

struct account *account_open(long balance)
{
    struct account *a = malloc(sizeof *a);

    if (!a)
        return NULL;
    atomic_init(&a->balance, balance);
    return a;
}

void account_close(struct account *a)
{
    free(a);
}

long account_balance(struct account *a)
{
    return atomic_load(&a->balance);
}

/* Takes amount cents off the balance. */
static void debit(struct account *a, long amount)
{
    atomic_fetch_sub(&a->balance, amount);
}

int account_pay(struct account *a, long amount)
{
    if (account_balance(a) < amount)
        return -1;
    debit(a, amount);
    return 0;
}
