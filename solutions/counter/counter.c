/* counter.c - request statistics for the web service's /status page.
 *
 * Every request handler thread calls count_request() when it has sent its
 * response; the /status page reads the totals with requests_served() and
 * requests_in_class().
 */
#include "counter.h"

#include <pthread.h>

/* Guards served and served_in_class. */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
/* Responses sent: bumped by every handler thread, read by the status page;
 * under stats_lock. */
static long served;
/* served_in_class[c]: responses with a status c00..c99 (c = 1..5); bumped
 * by every handler thread, read by the status page; under stats_lock. */
static long served_in_class[6];

void count_request(int status)
{
    int cls = status / 100;

    /* Each read-modify-write runs whole under the lock, so no handler can
     * overwrite another's increment, and every unlock hands the counts on
     * to the next thread that locks (a happens-before edge). */
    pthread_mutex_lock(&stats_lock);
    served++;
    if (cls >= 1 && cls <= 5)
        served_in_class[cls]++;
    pthread_mutex_unlock(&stats_lock);
}

long requests_served(void)
{
    pthread_mutex_lock(&stats_lock);
    long n = served;
    pthread_mutex_unlock(&stats_lock);
    return n;
}

long requests_in_class(int cls)
{
    if (cls < 1 || cls > 5)
        return 0;
    pthread_mutex_lock(&stats_lock);
    long n = served_in_class[cls];
    pthread_mutex_unlock(&stats_lock);
    return n;
}
