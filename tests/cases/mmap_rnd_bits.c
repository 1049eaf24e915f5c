/* mmap_rnd_bits.c - ThreadSanitizer and high-entropy address randomisation.
 *
 * Can the harness still give a verdict on a kernel whose vm.mmap_rnd_bits
 * is above 28?  Older runtimes (gcc's libtsan, clang < 18) then die before
 * main with "FATAL: ThreadSanitizer: unexpected memory mapping" and exit
 * 66, the status of a race report.  The harness runs without address
 * randomisation when the sysctl is high, and retries that way once when a
 * run dies of it.  Tests cannot change the sysctl, so this program is the
 * honest substitute:
 *   - RACELAB_NO_ASLR=1 forces the no-ASLR path; "expect-no-aslr" makes the
 *     program exit 3 if it was not really started without randomisation;
 *   - "old-runtime" prints the old runtime's FATAL line and exits 66 when
 *     randomisation is on (what an old runtime does on such a kernel), so
 *     the harness's retry is exercised; "always-fatal" never starts.
 * Not tested here: a real kernel with mmap_rnd_bits > 28 and a real old
 * runtime (this machine has 28 and clang 14, which both work).
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread
 * Verdict: 1 data-race
 * Name: forced
 * Env: RACELAB_NO_ASLR=1
 * Args: expect-no-aslr
 * Options: --runs 1
 * Note: address randomisation
 * Absent: crash
 * Verdict: 1 data-race
 * Name: aslr-on
 * Env: RACELAB_NO_ASLR=0
 * Options: --runs 1
 * Verdict: 1 data-race
 * Env: RACELAB_NO_ASLR=0
 * Args: old-runtime
 * Options: --runs 1
 * Note: re-ran without address randomisation
 * Absent: tool-error
 * Verdict: 2 tool-error
 * Env: RACELAB_NO_ASLR=0
 * Args: always-fatal
 * Options: --runs 1
 * Where: tool-error memory mapping
 * Absent: data-race
 * Good: 0
 * Env: RACELAB_NO_ASLR=1
 * Args: expect-no-aslr
 * Options: --runs 3
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <unistd.h>

int hits; /* bumped by worker and main */
#ifdef GOOD
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
#endif

static void *worker(void *arg) {
    (void)arg;
#ifdef GOOD
    pthread_mutex_lock(&mu);
    hits++;
    pthread_mutex_unlock(&mu);
#else
    hits++;
#endif
    return NULL;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    int no_aslr = (personality(0xffffffff) & ADDR_NO_RANDOMIZE) != 0;
    if (!strcmp(mode, "expect-no-aslr") && !no_aslr) return 3;
    if ((!strcmp(mode, "old-runtime") && !no_aslr) || !strcmp(mode, "always-fatal")) {
        fprintf(stderr, "FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000\n");
        _exit(66);
    }
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
#ifdef GOOD
    pthread_mutex_lock(&mu);
    hits++;
    pthread_mutex_unlock(&mu);
#else
    hits++;
#endif
    pthread_join(t, NULL);
    printf("hits=%d\n", hits);
    return 0;
}
