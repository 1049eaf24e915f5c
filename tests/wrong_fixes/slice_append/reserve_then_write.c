/* reserve_then_write.c - WRONG fix for the slice_append lab: the slot is
 * reserved under the lock, the id is stored after unlocking.
 *
 * "Only the index needs the lock" forgets that the array itself moves: the
 * store lands in whatever array ids pointed to when it was read, which
 * another handler's realloc may be copying or may already have freed.
 * And a reader can see len count a slot whose id is not stored yet.
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
    pthread_mutex_lock(&trail_lock);
    if (len == cap && grow() != 0) {
        pthread_mutex_unlock(&trail_lock);
        return -1;
    }
    size_t slot = len++;
    int *array = ids;
    pthread_mutex_unlock(&trail_lock);
    array[slot] = request_id;
    return 0;
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
