/* stack_loop_var.c - every thread gets the address of the loop variable.
 *
 * Can each worker read its own id from &i?  They all read main's one 'i'
 * while main keeps incrementing it: a race on the main thread's stack
 * (TSan: "Location is stack of main thread", no variable name).  The fix
 * gives each worker its own element that is never written again.
 *
 * Mode: file
 * Verdict: 1 data-race
 * Options: --runs 1
 * Where: data-race stack
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

#define NWORKERS 4

static void *worker(void *arg) {
    int id = *(int *)arg;
    printf("worker %d\n", id);
    return NULL;
}

int main(void) {
    pthread_t t[NWORKERS];
#ifdef GOOD
    int ids[NWORKERS];
    for (int i = 0; i < NWORKERS; i++) {
        ids[i] = i;
        pthread_create(&t[i], NULL, worker, &ids[i]);
    }
#else
    for (int i = 0; i < NWORKERS; i++) pthread_create(&t[i], NULL, worker, &i);
#endif
    for (int k = 0; k < NWORKERS; k++) pthread_join(t[k], NULL);
    return 0;
}
