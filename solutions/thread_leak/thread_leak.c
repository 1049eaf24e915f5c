/* thread_leak.c - the /dashboard handler: a dashboard page is made of
 * several parts, and fetch_page() fetches them from the backend at the same
 * time, one worker thread per part, then waits until every part is in.
 */
#include "thread_leak.h"

#include <pthread.h>

/* Writes only its own part; fetch_page reads it after joining the worker. */
static void *worker(void *arg)
{
    struct part *pt = arg;

    backend_fetch(pt->id, pt->body, sizeof pt->body);
    pt->status = PART_FETCHED;
    return NULL;
}

int fetch_page(struct page *pg)
{
    pthread_t tid[PAGE_MAX_PARTS];
    int started = 0, err = 0;

    for (; started < pg->nparts; started++) {
        if (pg->part[started].id < 0) {
            pg->part[started].status = PART_INVALID;
            err = -1;
            break;
        }
        if (pthread_create(&tid[started], NULL, worker, &pg->part[started]) != 0) {
            err = -1;
            break;
        }
    }
    /* Every worker started is joined, on the error path too: the join is
     * the wait (it returns once the worker has finished, and everything the
     * worker wrote happens-before it), and it releases the thread, so none
     * is left behind as a zombie holding its stack. */
    for (int i = 0; i < started; i++)
        if (pthread_join(tid[i], NULL) != 0)
            err = -1;
    return err;
}
