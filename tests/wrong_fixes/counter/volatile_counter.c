/* volatile_counter.c - WRONG fix for the counter lab: `volatile` counters.
 *
 * volatile only stops the compiler from caching or dropping the accesses;
 * served++ is still a separate load and store that two handlers can
 * interleave, and nothing orders one thread's store before another's load.
 *
 * Expect: data-race
 */
#include "counter.h"

/* Responses sent: bumped by every handler thread, read by the status page. */
static volatile long served;
/* served_in_class[c]: responses with a status c00..c99 (c = 1..5); bumped
 * by every handler thread, read by the status page. */
static volatile long served_in_class[6];

void count_request(int status)
{
    int cls = status / 100;

    served++;
    if (cls >= 1 && cls <= 5)
        served_in_class[cls]++;
}

long requests_served(void)
{
    return served;
}

long requests_in_class(int cls)
{
    if (cls < 1 || cls > 5)
        return 0;
    return served_in_class[cls];
}
