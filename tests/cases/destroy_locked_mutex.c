/* destroy_locked_mutex.c - an error path returns with the lock held.
 *
 * Can the account be freed while its mutex is still locked?  withdraw()
 * returns early on insufficient funds without unlocking; later the account
 * is destroyed.  The verdict is destroy-locked-mutex; the fix unlocks on
 * every path.
 *
 * Mode: file
 * Verdict: 1 destroy-locked-mutex
 * Options: --runs 1
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct account {
    pthread_mutex_t mu; /* guards balance */
    int balance;
};

static int withdraw(struct account *a, int amount) {
    pthread_mutex_lock(&a->mu);
    if (a->balance < amount) {
#ifdef GOOD
        pthread_mutex_unlock(&a->mu);
#endif
        return -1;
    }
    a->balance -= amount;
    pthread_mutex_unlock(&a->mu);
    return 0;
}

static void *teller(void *arg) {
    printf("withdraw: %d\n", withdraw(arg, 500));
    return NULL;
}

int main(void) {
    struct account *a = malloc(sizeof *a);
    if (!a) return 1;
    pthread_mutex_init(&a->mu, NULL);
    a->balance = 100;
    pthread_t t;
    pthread_create(&t, NULL, teller, a);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&a->mu);
    free(a);
    return 0;
}
