/* local_mutex.c - WRONG fix for the counter lab: a mutex declared inside
 * count_request().
 *
 * Each call locks its own, fresh mutex, which no other thread ever sees:
 * the lock excludes nobody and orders nothing.  Threads exclude each other
 * only through the same lock object.
 *
 * Expect: data-race
 */
#include "counter.h"

#include <pthread.h>

/* Responses sent: bumped by every handler thread, read by the status page. */
static long served;
/* served_in_class[c]: responses with a status c00..c99 (c = 1..5); bumped
 * by every handler thread, read by the status page. */
static long served_in_class[6];

void count_request(int status)
{
    int cls = status / 100;
    pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

    pthread_mutex_lock(&stats_lock);
    served++;
    if (cls >= 1 && cls <= 5)
        served_in_class[cls]++;
    pthread_mutex_unlock(&stats_lock);
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
