/* cmocka_worker_assert.c - a cmocka assertion inside a worker thread.
 *
 * Can a unit test assert from the threads it starts?  Not with cmocka: its
 * assertions are not thread-safe, and a failing one longjmps from the
 * worker into the test thread's stack (undefined behaviour; here the
 * process exits 255 without cmocka's failure message and without a TSan
 * report).  Verdict: findings (exit 1, crash), never clean, whatever the
 * framework prints, with a note that names the rule: assert only in the
 * test's own thread, after pthread_join.  The exit status is the evidence;
 * racelab does not parse a framework's text.
 *
 * Mode: run
 * Build: -fsanitize=thread -g -O1 -pthread -lcmocka
 * Verdict: 1 crash
 * Options: --runs 1 --timeout 10
 * Note: cmocka
 * Good: 0
 * Options: --runs 3
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

struct job {
    int input, output; /* input set before the thread starts; output read after the join */
};

static void *worker(void *arg) {
    struct job *j = arg;
    j->output = j->input * j->input;
#ifndef GOOD
    /* job 1 is made to fail on purpose, from the wrong thread */
    assert_int_equal(j->output, j->input == 3 ? 10 : j->input * j->input);
#endif
    return NULL;
}

static void test_squares(void **state) {
    (void)state;
    struct job jobs[2] = {{2, 0}, {3, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, &jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
#ifdef GOOD
    assert_int_equal(jobs[0].output, 4); /* only the test thread asserts */
    assert_int_equal(jobs[1].output, 9);
#endif
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_squares)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
