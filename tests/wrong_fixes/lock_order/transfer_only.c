/* transfer_only.c - WRONG fix for the lock_order lab: transfer() locks the
 * lower id first, total_of() still locks in argument order.
 *
 * A lock order protects only if every path that holds two account locks
 * follows it: total_of(b, a) holds b while it waits for a, transfer(a, b)
 * holds a while it waits for b.
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
    struct account *first = from->id < to->id ? from : to;
    struct account *second = from->id < to->id ? to : from;
    int ok;

    pthread_mutex_lock(&first->lock);
    pthread_mutex_lock(&second->lock);
    ok = from->balance >= amount;
    if (ok) {
        from->balance -= amount;
        to->balance += amount;
    }
    pthread_mutex_unlock(&second->lock);
    pthread_mutex_unlock(&first->lock);
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
