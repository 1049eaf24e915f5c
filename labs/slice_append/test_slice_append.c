/* test_slice_append.c - the driver for the slice_append lab (do not edit).
 *
 * NHANDLERS handler threads each serve NREQUESTS requests and append every
 * request id to the audit trail, while an auditor thread reads the trail
 * as the admin page would.  All of them start together.  After joining
 * them, main checks that the trail holds every id exactly once: nothing
 * lost, nothing doubled, nothing made up.
 *
 * Forbid: sleep usleep nanosleep clock_nanosleep
 * Max-threads: 6
 * Timeout: 5
 */
#include "slice_append.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHANDLERS 4
#define NREQUESTS 64
#define NTOTAL (NHANDLERS * NREQUESTS)
#define NREADS 64

/* Lets every thread start its work at the same moment. */
static pthread_barrier_t start_line;

/* failed[h]: appends handler h saw fail; written by handler h, read by main
 * after joining it. */
static int failed[NHANDLERS];

/* What the auditor saw: written by the auditor, read by main after joining. */
static int bad_reads;
static size_t last_len_seen;

/* Dies on a failed pthread call: they return the error number, errno is
 * left alone. */
static void must(int err, const char *call)
{
    if (err) {
        fprintf(stderr, "test_slice_append: %s: %s\n", call, strerror(err));
        exit(2);
    }
}

static void wait_for_start(void)
{
    int err = pthread_barrier_wait(&start_line);

    if (err && err != PTHREAD_BARRIER_SERIAL_THREAD)
        must(err, "pthread_barrier_wait");
}

static void *handler(void *arg)
{
    int h = (int)(long)arg;

    wait_for_start();
    for (int i = 0; i < NREQUESTS; i++)
        if (audit_append(h * NREQUESTS + i) != 0)
            failed[h]++;
    return NULL;
}

/* The admin page: reads the newest entry while the handlers append. */
static void *auditor(void *arg)
{
    (void)arg;
    wait_for_start();
    for (int r = 0; r < NREADS; r++) {
        size_t n = audit_len();
        if (n < last_len_seen || n > NTOTAL) {
            bad_reads++;
            continue;
        }
        last_len_seen = n;
        if (n > 0) {
            int id = audit_at(n - 1);
            if (id < 0 || id >= NTOTAL)
                bad_reads++;
        }
    }
    return NULL;
}

int main(void)
{
    pthread_t tid[NHANDLERS], audit_tid;
    static int seen[NTOTAL];

    must(pthread_barrier_init(&start_line, NULL, NHANDLERS + 1), "pthread_barrier_init");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_create(&tid[h], NULL, handler, (void *)(long)h), "pthread_create");
    must(pthread_create(&audit_tid, NULL, auditor, NULL), "pthread_create");
    for (int h = 0; h < NHANDLERS; h++)
        must(pthread_join(tid[h], NULL), "pthread_join");
    must(pthread_join(audit_tid, NULL), "pthread_join");
    must(pthread_barrier_destroy(&start_line), "pthread_barrier_destroy");

    long fails = 0;
    for (int h = 0; h < NHANDLERS; h++)
        fails += failed[h];
    RL_CHECK_EQ(fails, 0, "appends that failed");
    RL_CHECK_EQ(bad_reads, 0, "audit page reads that saw a length or id no handler wrote");

    size_t n = audit_len();
    RL_CHECK_EQ(n, NTOTAL, "audit_len() after every handler finished");
    long unknown = 0;
    for (size_t i = 0; i < n && i < NTOTAL; i++) {
        int id = audit_at(i);
        if (id >= 0 && id < NTOTAL)
            seen[id]++;
        else
            unknown++;
    }
    long lost = 0, doubled = 0;
    for (int id = 0; id < NTOTAL; id++) {
        lost += seen[id] == 0;
        doubled += seen[id] > 1;
    }
    RL_CHECK_EQ(lost, 0, "request ids missing from the trail");
    RL_CHECK_EQ(doubled, 0, "request ids in the trail more than once");
    RL_CHECK_EQ(unknown, 0, "entries that are no request id");
    return 0;
}
