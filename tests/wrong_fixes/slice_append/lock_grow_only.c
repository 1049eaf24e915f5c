/* lock_grow_only.c - WRONG fix for the slice_append lab: only the realloc
 * is locked.
 *
 * The lock makes two reallocs wait for each other, but the check for room,
 * the store into ids[len] and len++ still run unlocked: two handlers can
 * take the same slot, and a handler can store into the old array while
 * another one's realloc copies and frees it.
 *
 * Expect: data-race
 */
#include "slice_append.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;
/* The trail: ids[0..len) are in use, room for cap.  Appended to by every
 * handler thread, read by the audit page. */
static int *ids;
static size_t len;
static size_t cap;

/* Makes room for at least one more id; returns 0, or -1 out of memory. */
static int grow(void)
{
    int err = 0;

    pthread_mutex_lock(&grow_lock);
    if (len == cap) {
        size_t want = cap ? 2 * cap : 4;
        int *bigger = realloc(ids, want * sizeof *bigger);
        if (bigger) {
            ids = bigger;
            cap = want;
        } else {
            err = -1;
        }
    }
    pthread_mutex_unlock(&grow_lock);
    return err;
}

int audit_append(int request_id)
{
    if (len == cap && grow() != 0)
        return -1;
    ids[len++] = request_id;
    return 0;
}

size_t audit_len(void)
{
    return len;
}

int audit_at(size_t i)
{
    return ids[i];
}
