/* lock_order.c - transfers between customer accounts.
 *
 * Each account has its own lock.  An operation on two accounts holds both
 * locks at once, so no one can see the money half moved.
 */
#include "lock_order.h"

#include <pthread.h>
#include <sched.h>
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

/* Locks two accounts: blocks only for the first; if the second is busy,
 * lets go of the first and starts over.  A thread never waits while it
 * holds a lock, so no cycle of waiting threads can form. */
static void lock_both(struct account *a, struct account *b)
{
    for (;;) {
        pthread_mutex_lock(&a->lock);
        if (pthread_mutex_trylock(&b->lock) == 0)
            return;
        pthread_mutex_unlock(&a->lock);
        sched_yield(); /* let the holder finish */
    }
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
