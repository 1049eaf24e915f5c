/* missing_symbolizer.c - a race reported without a usable symbolizer.
 *
 * Can the harness give a verdict that points nowhere?  It must not: without
 * llvm-symbolizer every frame is "<null> <null>" and the learner is told
 * nothing.  The harness passes an absolute symbolizer it found itself (so a
 * RACELAB_SYMBOLIZER that names nothing, or a PATH without one, changes
 * nothing, with a note); when the one it was given fails, or the program
 * has no symbols (stripped), the verdict is tool-error (exit 2), never a
 * bare race.  Built without -g, reports name functions but not lines,
 * and the note says so.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Options: --runs 1
 * Verdict: 1 data-race
 * Name: found-by-harness
 * Env: RACELAB_SYMBOLIZER=/nonexistent/llvm-symbolizer
 * Env: PATH=/nonexistent
 * Located: data-race
 * Where: data-race deposit
 * Note: RACELAB_SYMBOLIZER=/nonexistent/llvm-symbolizer is not an executable llvm-symbolizer
 * Verdict: 2 tool-error
 * Name: broken
 * Env: RACELAB_SYMBOLIZER=@DIR@/parts/broken-symbolizer/llvm-symbolizer
 * Verdict: 2 tool-error
 * Name: stripped
 * Build: -s
 * Verdict: 1 data-race
 * Name: no-debug-info
 * Build: -g0
 * Where: data-race deposit
 * Note: no debug info
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>

int balance; /* deposited into by teller and main */
#ifdef GOOD
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards balance */
#endif

__attribute__((noinline)) static void deposit(int v) {
#ifdef GOOD
    pthread_mutex_lock(&mu);
    balance += v;
    pthread_mutex_unlock(&mu);
#else
    balance += v;
#endif
}

static void *teller(void *arg) {
    (void)arg;
    deposit(10);
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, teller, NULL);
    deposit(5);
    pthread_join(t, NULL);
    printf("balance=%d\n", balance);
    return 0;
}
