/* lock_order.h - transfers between customer accounts.
 *
 * Every account has a unique id.  Many teller threads move money between
 * accounts at once, and an auditor may ask for the total of two accounts
 * while money moves between them.
 */
#ifndef LOCK_ORDER_H
#define LOCK_ORDER_H

struct account;

/* Opens account number id holding balance cents; NULL when memory ran
 * out. */
struct account *account_open(int id, long balance);

/* Closes an account (no thread may use it any more). */
void account_close(struct account *a);

/* The account's id. */
int account_id(const struct account *a);

/* Moves amount cents from one account to another (from != to), all at
 * once: no one sees the money in both or in neither.  Returns 0, or -1
 * (and moves nothing) when from holds less than amount. */
int transfer(struct account *from, struct account *to, long amount);

/* The sum of two accounts' balances (a != b), as of one instant. */
long total_of(struct account *a, struct account *b);

#endif
