/* test_sleep_wait.c - the driver for the sleep_wait lab (do not edit).
 *
 * Main asks for the report of NDAYS days of orders, one after another, and
 * checks each against totals it computes itself, and that each report was
 * built on its own background thread.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 */
#include "sleep_wait.h"

#include <stdio.h>

#define NDAYS 3
#define NORDERS 200

static struct order day[NDAYS][NORDERS];

int main(void)
{
    for (int d = 0; d < NDAYS; d++) {
        struct report want = {0, 0, 0};
        struct report got = {-1, -1, -1};
        char what[64];

        for (int i = 0; i < NORDERS; i++) {
            day[d][i].cents = 100 + (i * 37 + d * 11) % 900;
            day[d][i].refunded = (i + d) % 9 == 0;
            if (day[d][i].refunded) {
                want.refunds++;
            } else {
                want.orders++;
                want.revenue_cents += day[d][i].cents;
            }
        }
        int err = build_report(day[d], NORDERS, &got);
        snprintf(what, sizeof what, "day %d: build_report() error", d);
        RL_CHECK_EQ(err, 0, what);
        snprintf(what, sizeof what, "day %d: report.orders", d);
        RL_CHECK_EQ(got.orders, want.orders, what);
        snprintf(what, sizeof what, "day %d: report.refunds", d);
        RL_CHECK_EQ(got.refunds, want.refunds, what);
        snprintf(what, sizeof what, "day %d: report.revenue_cents", d);
        RL_CHECK_EQ(got.revenue_cents, want.revenue_cents, what);
    }
    RL_CHECK_EQ(rl_threads_created(), NDAYS, "builder threads started (one per report)");
    return 0;
}
