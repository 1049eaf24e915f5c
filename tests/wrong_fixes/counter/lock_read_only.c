/* lock_read_only.c - WRONG fix for the counter lab: the status page locks,
 * the handlers do not.
 *
 * A lock orders only the threads that take it: the handlers' increments
 * still race with each other (and with the reader, whose lock they never
 * release).
 *
 * Expect: data-race
 */
#include "counter.h"

#include <pthread.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
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
