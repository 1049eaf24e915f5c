/* lost_wakeup.h - reply slots: how a worker hands a request's answer back.
 *
 * A requester makes a reply slot, sends its request (with the slot) to a
 * worker thread, and waits on the slot; the worker computes the answer and
 * puts it into the slot.  Each slot carries one reply.
 */
#ifndef LOST_WAKEUP_H
#define LOST_WAKEUP_H

struct reply;

/* A new, empty reply slot; NULL when memory ran out. */
struct reply *reply_new(void);

/* Frees a slot (no thread may use it any more). */
void reply_free(struct reply *r);

/* Worker side: puts the answer into the slot and wakes the requester. */
void reply_send(struct reply *r, long value);

/* Requester side: waits until the answer is in the slot and returns it. */
long reply_wait(struct reply *r);

#endif
