/* counter.c - request statistics for the web service's /status page.
 *
 * Every request handler thread calls count_request() when it has sent its
 * response; the /status page reads the totals with requests_served() and
 * requests_in_class().
 */
#include "counter.h"

#include <stdatomic.h>

/* Responses sent: bumped by every handler thread, read by the status page;
 * atomic. */
static atomic_long served;
/* served_in_class[c]: responses with a status c00..c99 (c = 1..5); bumped
 * by every handler thread, read by the status page; atomic. */
static atomic_long served_in_class[6];

void count_request(int status)
{
    int cls = status / 100;

    /* A fetch-and-add is one indivisible read-modify-write, so concurrent
     * increments cannot overwrite each other.  Relaxed order is enough: the
     * counts publish no other data, and the reader gets its ordering from
     * joining the handlers. */
    atomic_fetch_add_explicit(&served, 1, memory_order_relaxed);
    if (cls >= 1 && cls <= 5)
        atomic_fetch_add_explicit(&served_in_class[cls], 1, memory_order_relaxed);
}

long requests_served(void)
{
    return atomic_load_explicit(&served, memory_order_relaxed);
}

long requests_in_class(int cls)
{
    if (cls < 1 || cls > 5)
        return 0;
    return atomic_load_explicit(&served_in_class[cls], memory_order_relaxed);
}
