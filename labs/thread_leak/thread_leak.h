/* thread_leak.h - assembling a page from parts fetched concurrently.
 *
 * A page (a dashboard, say) is made of up to PAGE_MAX_PARTS parts, each
 * fetched from a backend.  fetch_page() fetches them on worker threads, one
 * per part, and fills in each part's body and status.
 */
#ifndef THREAD_LEAK_H
#define THREAD_LEAK_H

#include <stddef.h>

#define PAGE_MAX_PARTS 4
#define PART_BODY_MAX 32

enum part_status {
    PART_PENDING = 0, /* not fetched (yet) */
    PART_FETCHED = 1, /* body holds the backend's answer */
    PART_INVALID = 2, /* id is not a valid part id: the page fails */
};

struct part {
    int id;                   /* which part to fetch; valid ids are >= 0 */
    char body[PART_BODY_MAX]; /* filled by fetch_page */
    int status;               /* enum part_status, set by fetch_page */
};

struct page {
    int nparts;
    struct part part[PAGE_MAX_PARTS];
};

/* Fetches every part of pg, each on its own worker thread.  Returns 0 when
 * all parts were fetched, or -1 when a part id is invalid (that part is
 * marked PART_INVALID) or a worker could not be started. */
int fetch_page(struct page *pg);

/* The backend (provided by the driver): writes part id's content to out. */
void backend_fetch(int id, char *out, size_t cap);

#endif
