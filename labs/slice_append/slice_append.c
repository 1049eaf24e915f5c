/* slice_append.c - the in-memory audit trail of the web service.
 *
 * A growable array of request ids: handlers append with audit_append(),
 * the /admin/audit page reads with audit_len() and audit_at().  The array
 * starts small and doubles when full, so appends stay cheap on average.
 *
 * Expect: data-race
 */
#include "slice_append.h"

#include <stdlib.h>

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
