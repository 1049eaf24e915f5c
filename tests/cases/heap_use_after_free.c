/* heap_use_after_free.c - a buffer freed while a reader still uses it.
 *
 * Can main free the buffer once it has told the reader "go"?  Only if the
 * reader is done with it.  Here main frees, then raises a flag the reader
 * spins on; the flag is a relaxed atomic, which orders nothing, so the
 * reader's loads come after the free in time but are unordered with it:
 * TSan reports heap-use-after-free on every run.  The fix joins the
 * reader before freeing.
 *
 * Mode: file
 * Verdict: 1 heap-use-after-free
 * Options: --runs 1
 * Located: heap-use-after-free
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static int *buf;        /* allocated and freed by main, read by reader */
static atomic_int go;   /* relaxed: orders nothing */

static void *reader(void *arg) {
    (void)arg;
    long sum = 0;
    while (!atomic_load_explicit(&go, memory_order_relaxed)) sched_yield();
    for (int i = 0; i < 16; i++) sum += buf[i];
    printf("sum=%ld\n", sum);
    return NULL;
}

int main(void) {
    pthread_t t;
    buf = calloc(16, sizeof *buf);
    if (!buf) return 1;
    pthread_create(&t, NULL, reader, NULL);
#ifdef GOOD
    atomic_store_explicit(&go, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    free(buf);
#else
    free(buf);
    atomic_store_explicit(&go, 1, memory_order_relaxed);
    pthread_join(t, NULL);
#endif
    return 0;
}
