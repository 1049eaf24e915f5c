/* errgroup.h - run one request's sub-requests at once, wait for them all,
 * and report the first error.
 *
 * The handler of GET /dashboard starts one sub-request per backend with
 * group_go() and waits with group_wait().  Once one sub-request has failed
 * the page cannot be built, so the group is cancelled: every sub-request
 * asks group_cancelled() between its steps and gives up when it says so.
 */
#ifndef ERRGROUP_H
#define ERRGROUP_H

#define GROUP_MAX 8 /* sub-requests per group */

struct group;

/* A new group; NULL when memory ran out. */
struct group *group_new(void);

/* Starts fn(g, arg) in a thread of its own.  fn returns 0, or a negative
 * error number when it failed (-ECANCELED when it gave up because the group
 * was cancelled).  Returns 0, or an error number when the sub-request could
 * not be started (EINVAL past GROUP_MAX, or pthread_create's error). */
int group_go(struct group *g, int (*fn)(struct group *g, void *arg), void *arg);

/* Waits until every sub-request started has returned.  Returns the first
 * error the group saw, or 0 when all of them succeeded.  Call it once, from
 * the thread that called group_go(). */
int group_wait(struct group *g);

/* Nonzero once the group is cancelled: a sub-request has failed, or
 * group_wait() has returned.  Any thread. */
int group_cancelled(struct group *g);

/* Frees a group whose group_wait() has returned. */
void group_free(struct group *g);

#endif
