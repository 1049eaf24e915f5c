/* counter.c - request statistics for the web service's /status page.
 *
 * Every request handler thread calls count_request() when it has sent its
 * response; the /status page reads the totals with requests_served() and
 * requests_in_class().
 *
 * Expect: data-race
 */
#include "counter.h"

/* Responses sent: bumped by every handler thread, read by the status page. */
static long served;
/* served_in_class[c]: responses with a status c00..c99 (c = 1..5); bumped
 * by every handler thread, read by the status page. */
static long served_in_class[6];

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
