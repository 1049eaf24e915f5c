/* sleep_wait.h - the sales report behind the /admin/report endpoint. */
#ifndef SLEEP_WAIT_H
#define SLEEP_WAIT_H

struct order {
    long cents;   /* amount paid */
    int refunded; /* 1 if the money went back */
};

struct report {
    long orders;        /* orders not refunded */
    long refunds;       /* orders refunded */
    long revenue_cents; /* sum over the orders not refunded */
};

/* Builds the report over orders[0..n) on a background builder thread and
 * stores it in *out.  Returns 0, or an error number if the builder could
 * not be started. */
int build_report(const struct order *orders, int n, struct report *out);

#endif
