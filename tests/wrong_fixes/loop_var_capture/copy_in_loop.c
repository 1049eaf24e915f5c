/* copy_in_loop.c - WRONG fix for the loop_var_capture lab: a copy of i in
 * the loop body.
 *
 * `int shard = i;` declares one variable per iteration in the source, but
 * all iterations use the same stack slot: the next iteration overwrites the
 * copy the previous summer may not have read yet.  The race moved from i to
 * shard; it did not go away.
 *
 * Expect: data-race
 */
#include "loop_var_capture.h"

#include <pthread.h>

/* The day's orders: set by parallel_sum() before it starts the summers,
 * read by every summer. */
static const long *order_cents;
static int order_count;

/* Guards grand_total. */
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
/* The sum of all shards: added to by every summer, read after the joins. */
static long grand_total;

/* Adds up one shard of the orders; arg points at the shard's number. */
static void *summer(void *arg)
{
    int shard = *(int *)arg;
    int per_shard = (order_count + NSHARDS - 1) / NSHARDS;
    int from = shard * per_shard;
    int to = from + per_shard < order_count ? from + per_shard : order_count;
    long sum = 0;

    for (int k = from; k < to; k++)
        sum += order_cents[k];

    pthread_mutex_lock(&total_lock);
    grand_total += sum;
    pthread_mutex_unlock(&total_lock);
    return NULL;
}

long parallel_sum(const long *cents, int n)
{
    pthread_t tid[NSHARDS];
    int started = 0;

    order_cents = cents;
    order_count = n;
    grand_total = 0;
    for (int i = 0; i < NSHARDS; i++) {
        int shard = i;
        if (pthread_create(&tid[i], NULL, summer, &shard) != 0)
            break;
        started++;
    }
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    if (started < NSHARDS)
        return -1;
    return grand_total;
}
