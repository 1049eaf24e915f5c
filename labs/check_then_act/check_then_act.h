/* check_then_act.h - customer accounts of the payment service.
 *
 * Every payment request debits one account; many handler threads serve
 * requests at once, and two of them may serve requests for the same
 * account.  An account must never go below zero.
 */
#ifndef CHECK_THEN_ACT_H
#define CHECK_THEN_ACT_H

struct account;

/* Opens an account holding balance cents; NULL when memory ran out. */
struct account *account_open(long balance);

/* Closes an account (no thread may use it any more). */
void account_close(struct account *a);

/* The account's balance in cents. */
long account_balance(struct account *a);

/* Pays amount cents out of the account.  Returns 0 when paid, or -1 (and
 * leaves the balance alone) when the balance is too low. */
int account_pay(struct account *a, long amount);

#endif
