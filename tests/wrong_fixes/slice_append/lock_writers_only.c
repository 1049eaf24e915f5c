/* lock_writers_only.c - WRONG fix for the slice_append lab: appends are
 * locked, the audit page's reads are not.
 *
 * A lock orders only the threads that take it.  The audit page reads len
 * and ids while a handler, holding the lock, reallocs and frees the very
 * array it is reading.
 *
 * Expect: data-race
 */
#include "slice_append.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t trail_lock = PTHREAD_MUTEX_INITIALIZER;
/* The trail: ids[0..len) are in use, room for cap.  Appended to by every
 * handler thread, read by the audit page. */
static int *ids;
static size_t len;
static size_t cap;

/* Makes room for at least one more id; returns 0, or -1 out of memory. */
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
    return len;
}

int audit_at(size_t i)
{
    return ids[i];
}
