/* slice_append.c - the in-memory audit trail of the web service.
 *
 * A growable array of request ids: handlers append with audit_append(),
 * the /admin/audit page reads with audit_len() and audit_at().  The array
 * starts small and doubles when full, so appends stay cheap on average.
 */
#include "slice_append.h"

#include <pthread.h>
#include <stdlib.h>

/* Guards ids, len and cap: the pointer, the count and the capacity change
 * together, so they are read and written only with it held. */
static pthread_mutex_t trail_lock = PTHREAD_MUTEX_INITIALIZER;
/* The trail: ids[0..len) are in use, room for cap.  Appended to by every
 * handler thread, read by the audit page; under trail_lock. */
static int *ids;
static size_t len;
static size_t cap;

/* Makes room for at least one more id; returns 0, or -1 out of memory.
 * Called with trail_lock held. */
static int grow(void)
{
    size_t want = cap ? 2 * cap : 4;
    int *bigger = realloc(ids, want * sizeof *bigger);

    if (!bigger)
        return -1;
    ids = bigger;
    cap = want;
    return 0;
}

int audit_append(int request_id)
{
    int err = 0;

    /* The check for room, the realloc that may move the array, and the
     * store into the slot form one step: with the lock held across all
     * three, no other thread can see the old array after it was freed,
     * take the same slot, or read len before the id is in place. */
    pthread_mutex_lock(&trail_lock);
    if (len == cap && grow() != 0)
        err = -1;
    else
        ids[len++] = request_id;
    pthread_mutex_unlock(&trail_lock);
    return err;
}

size_t audit_len(void)
{
    pthread_mutex_lock(&trail_lock);
    size_t n = len;
    pthread_mutex_unlock(&trail_lock);
    return n;
}

int audit_at(size_t i)
{
    pthread_mutex_lock(&trail_lock);
    int id = ids[i];
    pthread_mutex_unlock(&trail_lock);
    return id;
}
