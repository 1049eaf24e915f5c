/* slice_append.h - the in-memory audit trail of the web service.
 *
 * Every request handler appends the id of each request it served; the
 * /admin/audit page lists them.  The trail starts empty and grows as
 * needed: there is no fixed limit on its length.
 */
#ifndef SLICE_APPEND_H
#define SLICE_APPEND_H

#include <stddef.h>

/* Appends one served request id to the trail.  Returns 0, or -1 when
 * memory ran out (nothing was appended). */
int audit_append(int request_id);

/* Number of ids in the trail. */
size_t audit_len(void);

/* The i-th id appended (0 <= i < audit_len()). */
int audit_at(size_t i);

#endif
