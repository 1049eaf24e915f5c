/* test_lost_wakeup.c - the driver for the lost_wakeup lab (do not edit).
 *
 * A requester thread sends NREQUESTS requests to a worker thread, one at a
 * time, each with its own reply slot, and waits for each answer with
 * reply_wait() before sending the next.  The worker takes requests from a
 * one-request mailbox (the driver's own) and answers with reply_send().
 * Main checks every answer after the joins.  A run that hangs is stopped
 * after the timeout below and reported with where each thread waits.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 3
 * Timeout: 2
 */
#include "lost_wakeup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREQUESTS 100
#define STOP (-1)

/* The mailbox: at most one request waiting for the worker. */
static pthread_mutex_t mailbox_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mailbox_changed = PTHREAD_COND_INITIALIZER;
static int mailbox_full;             /* under mailbox_lock */
static int mailbox_n;                /* the request's number, or STOP; under mailbox_lock */
static struct reply *mailbox_reply;  /* where to answer; under mailbox_lock */

static struct reply *slot[NREQUESTS];
/* answer[i]: what reply_wait() returned for request i; written by the
 * requester, read by main after the joins. */
static long answer[NREQUESTS];

/* Dies on a failed call: pthread calls return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_lost_wakeup: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

/* The answer to request n. */
static long answer_to(int n)
{
    return 1000L + 7L * n;
}

/* Puts a request into the mailbox once it is empty. */
static void mailbox_put(int n, struct reply *r)
{
    must(pthread_mutex_lock(&mailbox_lock), "pthread_mutex_lock");
    while (mailbox_full)
        must(pthread_cond_wait(&mailbox_changed, &mailbox_lock), "pthread_cond_wait");
    mailbox_full = 1;
    mailbox_n = n;
    mailbox_reply = r;
    must(pthread_cond_broadcast(&mailbox_changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&mailbox_lock), "pthread_mutex_unlock");
}

/* Takes the next request out of the mailbox, waiting for one. */
static int mailbox_take(struct reply **r)
{
    must(pthread_mutex_lock(&mailbox_lock), "pthread_mutex_lock");
    while (!mailbox_full)
        must(pthread_cond_wait(&mailbox_changed, &mailbox_lock), "pthread_cond_wait");
    int n = mailbox_n;
    *r = mailbox_reply;
    mailbox_full = 0;
    must(pthread_cond_broadcast(&mailbox_changed), "pthread_cond_broadcast");
    must(pthread_mutex_unlock(&mailbox_lock), "pthread_mutex_unlock");
    return n;
}

static void *worker(void *arg)
{
    struct reply *r;
    int n;

    while ((n = mailbox_take(&r)) != STOP)
        reply_send(r, answer_to(n));
    return NULL;
}

static void *requester(void *arg)
{
    for (int i = 0; i < NREQUESTS; i++) {
        mailbox_put(i, slot[i]);
        answer[i] = reply_wait(slot[i]);
    }
    mailbox_put(STOP, NULL);
    return NULL;
}

int main(void)
{
    pthread_t worker_tid, requester_tid;
    int wrong = 0, first_wrong = -1;

    for (int i = 0; i < NREQUESTS; i++)
        if (!(slot[i] = reply_new()))
            must(ENOMEM, "reply_new");
    must(pthread_create(&worker_tid, NULL, worker, NULL), "pthread_create");
    must(pthread_create(&requester_tid, NULL, requester, NULL), "pthread_create");
    must(pthread_join(requester_tid, NULL), "pthread_join");
    must(pthread_join(worker_tid, NULL), "pthread_join");

    for (int i = 0; i < NREQUESTS; i++) {
        if (answer[i] != answer_to(i) && wrong++ == 0)
            first_wrong = i;
        reply_free(slot[i]);
    }
    RL_CHECK(wrong == 0, "%d of %d answers wrong; the first, request %d: expected %ld, got %ld",
             wrong, NREQUESTS, first_wrong, first_wrong < 0 ? 0 : answer_to(first_wrong),
             first_wrong < 0 ? 0 : answer[first_wrong]);
    RL_CHECK_EQ(rl_threads_created(), 2, "worker and requester threads started");
    return 0;
}
