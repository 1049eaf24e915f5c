/* racy_clean_claim.c - a program that races but looks healthy: it prints the
 * right total, exits 0 and never crashes.  The harness must still say no:
 * the test expects exit 1 and a data-race finding, proving a racy program
 * cannot be checked as clean. */
#include <pthread.h>
#include <stdio.h>

static long total; /* written by both adders, read by main: unprotected */

static void *adder(void *arg) {
    (void)arg;
    for (int i = 0; i < 100; i++) total++;
    return NULL;
}

int main(void) {
    pthread_t a, b;
    if (pthread_create(&a, NULL, adder, NULL) || pthread_create(&b, NULL, adder, NULL)) return 2;
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("total=200\n"); /* claims success whatever total is */
    return 0;
}
