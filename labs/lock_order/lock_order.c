/* lock_order.c - transfers between customer accounts.
 *
 * Each account has its own lock.  An operation on two accounts holds both
 * locks at once, so no one can see the money half moved.
 *
 * Expect: lock-order-inversion
 */
#include "lock_order.h"

#include <pthread.h>
#include <stdlib.h>

struct account {
    int id;               /* unique, never changes */
    pthread_mutex_t lock; /* guards balance */
    long balance;         /* cents */
};

struct account *account_open(int id, long balance)
{
    struct account *a = malloc(sizeof *a);

    if (!a)
        return NULL;
    a->id = id;
    pthread_mutex_init(&a->lock, NULL);
    a->balance = balance;
    return a;
}

void account_close(struct account *a)
{
    pthread_mutex_destroy(&a->lock);
    free(a);
}

int account_id(const struct account *a)
{
    return a->id;
}

int transfer(struct account *from, struct account *to, long amount)
{
    int ok;

    pthread_mutex_lock(&from->lock);
    pthread_mutex_lock(&to->lock);
    ok = from->balance >= amount;
    if (ok) {
        from->balance -= amount;
        to->balance += amount;
    }
    pthread_mutex_unlock(&to->lock);
    pthread_mutex_unlock(&from->lock);
    return ok ? 0 : -1;
}

long total_of(struct account *a, struct account *b)
{
    pthread_mutex_lock(&a->lock);
    pthread_mutex_lock(&b->lock);
    long sum = a->balance + b->balance;
    pthread_mutex_unlock(&b->lock);
    pthread_mutex_unlock(&a->lock);
    return sum;
}
