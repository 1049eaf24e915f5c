/* join_happy_path_only.c - WRONG fix for the thread_leak lab: the workers
 * are joined when every part is valid, but the error path still returns as
 * soon as it meets the invalid part, leaving the workers it already
 * started unjoined (and perhaps still writing the page).
 *
 * Expect: thread-leak
 */
#include "thread_leak.h"

#include <pthread.h>

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

    for (int i = 0; i < pg->nparts; i++) {
        if (pg->part[i].id < 0) {
            pg->part[i].status = PART_INVALID;
            return -1;
        }
        if (pthread_create(&tid[i], NULL, worker, &pg->part[i]) != 0)
            return -1;
    }
    for (int i = 0; i < pg->nparts; i++)
        if (pthread_join(tid[i], NULL) != 0)
            return -1;
    return 0;
}
