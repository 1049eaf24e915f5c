/* test_thread_leak.c - the driver for the thread_leak lab (do not edit).
 *
 * Main serves five dashboard requests in a row: three good pages, one page
 * whose third part id is invalid, one whose first part id is invalid.  It
 * checks each answer, that no backend fetch is still running once
 * fetch_page() has returned, that every part of a good page was fetched
 * exactly once, on a worker thread, and that those workers are all gone.
 *
 * Max-threads: 5
 */
#include "thread_leak.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define NPAGES 5
#define NIDS 16 /* part ids used below are < NIDS */

static struct page pages[NPAGES] = {
    {3, {{.id = 1}, {.id = 2}, {.id = 3}}},
    {4, {{.id = 4}, {.id = 5}, {.id = -1}, {.id = 6}}},
    {4, {{.id = 7}, {.id = 8}, {.id = 9}, {.id = 10}}},
    {2, {{.id = -2}, {.id = 11}}},
    {2, {{.id = 12}, {.id = 13}}},
};

/* Set by main before the first worker starts; read by the workers. */
static pthread_t main_thread;
/* Backend bookkeeping, updated by the workers and read by main.  Atomics,
 * so the checks add no data race of their own: */
static atomic_int in_flight;       /* backend_fetch calls running now */
static atomic_int fetches[NIDS];   /* fetches[id]: calls for part id */
static atomic_int fetched_on_main; /* calls made by main itself */

void backend_fetch(int id, char *out, size_t cap)
{
    atomic_fetch_add(&in_flight, 1);
    if (id >= 0 && id < NIDS)
        atomic_fetch_add(&fetches[id], 1);
    if (pthread_equal(pthread_self(), main_thread))
        atomic_fetch_add(&fetched_on_main, 1);
    snprintf(out, cap, "<div>part %d</div>", id);
    atomic_fetch_sub(&in_flight, 1);
}

/* The index of pg's first invalid part, or -1 when all ids are valid. */
static int first_invalid(const struct page *pg)
{
    for (int i = 0; i < pg->nparts; i++)
        if (pg->part[i].id < 0)
            return i;
    return -1;
}

int main(void)
{
    int good_parts = 0;

    main_thread = pthread_self();
    for (int p = 0; p < NPAGES; p++) {
        struct page *pg = &pages[p];
        int bad = first_invalid(pg);
        int got = fetch_page(pg);

        RL_CHECK(atomic_load(&in_flight) == 0,
                 "page %d: a backend fetch was still running after fetch_page() returned", p);
        RL_CHECK(got == (bad < 0 ? 0 : -1), "page %d: fetch_page() returned %d, expected %d",
                 p, got, bad < 0 ? 0 : -1);
        if (bad >= 0) {
            RL_CHECK(pg->part[bad].status == PART_INVALID,
                     "page %d: part %d has an invalid id but is not marked PART_INVALID", p, bad);
            continue;
        }
        for (int i = 0; i < pg->nparts; i++) {
            char want[PART_BODY_MAX];
            struct part *pt = &pg->part[i];

            snprintf(want, sizeof want, "<div>part %d</div>", pt->id);
            RL_CHECK(pt->status == PART_FETCHED, "page %d part %d: status %d, expected PART_FETCHED",
                     p, i, pt->status);
            RL_CHECK(strcmp(pt->body, want) == 0, "page %d part %d: body \"%s\", expected \"%s\"",
                     p, i, pt->body, want);
            RL_CHECK(atomic_load(&fetches[pt->id]) == 1, "page %d part %d: fetched %d times, expected once",
                     p, i, atomic_load(&fetches[pt->id]));
            good_parts++;
        }
    }
    RL_CHECK_EQ(atomic_load(&fetched_on_main), 0, "parts fetched by main instead of a worker");
    RL_CHECK(rl_threads_created() >= good_parts, "%d worker threads started for %d parts of good pages",
             rl_threads_created(), good_parts);
    RL_CHECK_EQ(rl_threads_live(), 0, "worker threads still running after the last request");
    return 0;
}
