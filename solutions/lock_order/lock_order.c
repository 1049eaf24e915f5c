/* lock_order.c - transfers between customer accounts.
 *
 * Each account has its own lock.  An operation on two accounts holds both
 * locks at once, so no one can see the money half moved.
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

/* Locks two accounts, always the one with the lower id first.  With one
 * order for every pair, no thread can hold the second lock of a pair while
 * waiting for the first: the lock order graph has no cycle. */
static void lock_both(struct account *a, struct account *b)
{
    struct account *first = a->id < b->id ? a : b;
    struct account *second = a->id < b->id ? b : a;

    pthread_mutex_lock(&first->lock);
    pthread_mutex_lock(&second->lock);
}

int transfer(struct account *from, struct account *to, long amount)
{
    int ok;

    lock_both(from, to);
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
    lock_both(a, b);
    long sum = a->balance + b->balance;
    pthread_mutex_unlock(&b->lock);
    pthread_mutex_unlock(&a->lock);
    return sum;
}
