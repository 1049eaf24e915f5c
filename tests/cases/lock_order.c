/* lock_order.c - two locks taken in opposite orders.
 *
 * Can transfer() and audit() deadlock?  transfer takes 'from' then 'to';
 * audit takes them the other way round.  Here they even run one after the
 * other, so this run cannot hang, yet the inversion is real: run them at
 * the same time and each can hold one lock while waiting for the other.
 * TSan's deadlock detector sees the cycle whatever the schedule.  The fix
 * is one global order.
 *
 * Mode: file
 * Verdict: 1 lock-order-inversion
 * Options: --runs 1
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t from = PTHREAD_MUTEX_INITIALIZER, to = PTHREAD_MUTEX_INITIALIZER;
static long balance_from = 100, balance_to; /* guarded by from / to */

static void *transfer(void *arg) {
    (void)arg;
    pthread_mutex_lock(&from);
    pthread_mutex_lock(&to);
    balance_from -= 10;
    balance_to += 10;
    pthread_mutex_unlock(&to);
    pthread_mutex_unlock(&from);
    return NULL;
}

static void *audit(void *arg) {
    (void)arg;
    long total;
#ifdef GOOD
    pthread_mutex_lock(&from);
    pthread_mutex_lock(&to);
#else
    pthread_mutex_lock(&to);
    pthread_mutex_lock(&from);
#endif
    total = balance_from + balance_to;
    pthread_mutex_unlock(&from);
    pthread_mutex_unlock(&to);
    printf("total=%ld\n", total);
    return NULL;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, transfer, NULL);
    pthread_join(a, NULL);
    pthread_create(&b, NULL, audit, NULL);
    pthread_join(b, NULL);
    return 0;
}
