/* thread_leak.c - the /dashboard handler: a dashboard page is made of
 * several parts, and fetch_page() fetches them from the backend at the same
 * time, one worker thread per part, then waits until every part is in.
 *
 * Expect: thread-leak
 */
#include "thread_leak.h"

#include <pthread.h>
#include <string.h>

/* Guards the body and status of every part while workers fill them in. */
static pthread_mutex_t parts_lock = PTHREAD_MUTEX_INITIALIZER;
/* Broadcast by a worker when its part is in. */
static pthread_cond_t part_done = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg)
{
    struct part *pt = arg;
    char body[PART_BODY_MAX];

    backend_fetch(pt->id, body, sizeof body);
    pthread_mutex_lock(&parts_lock);
    memcpy(pt->body, body, sizeof body);
    pt->status = PART_FETCHED;
    pthread_cond_broadcast(&part_done);
    pthread_mutex_unlock(&parts_lock);
    return NULL;
}

int fetch_page(struct page *pg)
{
    pthread_t tid;

    for (int i = 0; i < pg->nparts; i++) {
        if (pg->part[i].id < 0) {
            pg->part[i].status = PART_INVALID;
            return -1;
        }
        if (pthread_create(&tid, NULL, worker, &pg->part[i]) != 0)
            return -1;
    }
    pthread_mutex_lock(&parts_lock);
    for (int i = 0; i < pg->nparts; i++)
        while (pg->part[i].status != PART_FETCHED)
            pthread_cond_wait(&part_done, &parts_lock);
    pthread_mutex_unlock(&parts_lock);
    return 0;
}
