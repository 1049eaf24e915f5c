/* check_then_act.c - customer accounts of the payment service.
 *
 * Each account's balance is one atomic variable; a payment changes it with
 * a compare-and-swap.
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

int account_pay(struct account *a, long amount)
{
    long balance = atomic_load(&a->balance);

    /* The compare-and-swap stores balance - amount only if the balance is
     * still the one just checked; if another payment changed it meanwhile,
     * it fails, reloads balance, and the check runs again on the new one. */
    do {
        if (balance < amount)
            return -1;
    } while (!atomic_compare_exchange_weak(&a->balance, &balance, balance - amount));
    return 0;
}
