/* test_loop_var_capture.c - the driver for the loop_var_capture lab (do not
 * edit).
 *
 * Main asks parallel_sum() for the totals of NDAYS days of orders, each day
 * a different number of orders, and checks every total against its own sum
 * (a shard summed twice or skipped shows up) and that every day was summed
 * by NSHARDS threads.
 *
 * Max-threads: 5
 */
#include "loop_var_capture.h"

#include <stdio.h>

#define NDAYS 3
#define MAX_ORDERS 1000

static long cents[MAX_ORDERS];

int main(void)
{
    static const int orders_on[NDAYS] = {1000, 999, 403};

    for (int d = 0; d < NDAYS; d++) {
        int n = orders_on[d];
        long want = 0;
        char what[64];

        /* Amounts grow with k, so every shard sums to a different total
         * and a shard counted twice, or not at all, shows. */
        for (int k = 0; k < n; k++) {
            cents[k] = 1000 + k + d;
            want += cents[k];
        }
        snprintf(what, sizeof what, "day %d: parallel_sum() of %d orders", d, n);
        RL_CHECK_EQ(parallel_sum(cents, n), want, what);
    }
    RL_CHECK_EQ(rl_threads_created(), NDAYS * NSHARDS, "summer threads started");
    return 0;
}
