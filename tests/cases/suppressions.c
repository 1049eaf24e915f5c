/* suppressions.c - a real race, hidden by suppressions.
 *
 * Can suppressions make a racy program come out clean?  Not under racelab.
 * The harness never uses the caller's TSAN_OPTIONS (so neither
 * suppressions=race:* nor a file TSan cannot even parse gets in), runs
 * with print_suppressions=1, and reads the program file: suppressions
 * compiled into the binary (__tsan_default_suppressions, built with
 * -DEMBED here) are a finding of their own.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 1 suppressed
 * Name: embedded
 * Build: -DEMBED
 * Options: --runs 1
 * Absent: data-race
 * Verdict: 1 data-race
 * Name: inherited-file
 * Env: TSAN_OPTIONS=suppressions=@DIR@/parts/hide_all.supp
 * Options: --runs 1
 * Note: ignored the inherited TSAN_OPTIONS
 * Verdict: 1 data-race
 * Name: inherited-bad-file
 * Env: TSAN_OPTIONS=suppressions=@DIR@/parts/bad_type.supp
 * Options: --runs 1
 * Absent: tool-error
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

static int hits; /* written by writer, read by reader */
#ifdef GOOD
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards hits */
#define LOCK() pthread_mutex_lock(&mu)
#define UNLOCK() pthread_mutex_unlock(&mu)
#else
#define LOCK() ((void)0)
#define UNLOCK() ((void)0)
#endif

#ifdef EMBED
const char *__tsan_default_suppressions(void) { return "race:writer\n"; }
#endif

__attribute__((noinline)) static void *writer(void *arg) {
    (void)arg;
    for (int i = 0; i < 100; i++) {
        LOCK();
        hits++;
        UNLOCK();
    }
    return NULL;
}

__attribute__((noinline)) static void *reader(void *arg) {
    long seen = 0;
    (void)arg;
    for (int i = 0; i < 100; i++) {
        LOCK();
        seen += hits;
        UNLOCK();
    }
    return (void *)seen;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, writer, NULL);
    pthread_create(&b, NULL, reader, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("hits=%d\n", hits);
    return 0;
}
