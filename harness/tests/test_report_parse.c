/* test_report_parse.c - cmocka tests of report_parse and the finding list.
 *
 * The fixtures are real ThreadSanitizer logs captured on the development
 * machine by fixtures/capture.sh from the programs in fixtures/src/; the
 * line numbers below are lines of those programs.  FIXTURE_DIR (a string,
 * set by the build) is where the .log files are read from at run time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_parse.h"

#ifndef FIXTURE_DIR
#error "compile with -DFIXTURE_DIR=\"/path/to/harness/tests/fixtures\""
#endif

/* What one access of a finding must look like. */
struct exp_acc {
    const char *base;   /* file basename; NULL = no file (unsymbolized) */
    int line;
    const char *func;   /* NULL = not checked */
    const char *thread; /* NULL = must be NULL */
    const char *what;   /* prefix of what; NULL = not checked */
};

/* What a fixture must parse to: the count, then one chosen finding. */
struct expect {
    const char *name;   /* the test's name */
    const char *fixture;
    int count;          /* findings in the whole log */
    int index;          /* the finding checked below */
    const char *kind;
    const char *variable; /* NULL = must be NULL */
    const char *msg_has;  /* substring of the message */
    int nacc;
    struct exp_acc acc[2];
};

static const struct expect expects[] = {
    {"race_global", "race_global", 1, 0, "data-race", "result", "data race on 'result'", 2,
     {{"race_global.c", 17, "main", "main thread", "Write of size 4"},
      {"race_global.c", 9, "writer", "thread T1", "Previous write of size 4"}}},
    {"race_heap", "race_heap", 1, 0, "data-race", "heap block of size 48", "race_heap.c:22", 2,
     {{"race_heap.c", 22, "main", "main thread", "Write of size 8"},
      {"race_heap.c", 13, "deposit", "thread T1", "Previous write of size 8"}}},
    /* clang prints main's frame without a line here ("race_stack.c (..)"). */
    {"race_stack", "race_stack", 1, 0, "data-race",
     "stack of main thread", "stack of main thread", 2,
     {{"race_stack.c", 0, "main", "main thread", "Write of size 4"},
      {"race_stack.c", 7, "worker", "thread T1", "Previous read of size 4"}}},
    {"thread_leak", "thread_leak", 1, 0, "thread-leak", NULL, "Thread T1", 1,
     {{"thread_leak.c", 23, "main", "main thread", "Thread T1 (finished) created"}}},
    {"lock_order", "lock_order", 1, 0, "lock-order-inversion", NULL, "cycle M0 => M1 => M0", 2,
     {{"lock_order.c", 11, "forward", "thread T1", "Mutex M1 acquired while holding M0"},
      {"lock_order.c", 20, "backward", "thread T2", "Mutex M0 acquired while holding M1"}}},
    {"heap_uaf", "heap_uaf", 1, 0, "heap-use-after-free", NULL, "freed", 2,
     {{"heap_uaf.c", 25, "main", "main thread", "Read of size 4"},
      {"heap_uaf.c", 12, "releaser", "thread T1", "Previous write of size 8"}}},
    {"destroy_locked", "destroy_locked", 1, 0, "destroy-locked-mutex",
     "stack of main thread", "destroy_locked.c:7", 2,
     {{"destroy_locked.c", 7, "shutdown_lock", NULL, "Mutex destroyed"},
      {"destroy_locked.c", 6, "shutdown_lock", NULL, "Mutex locked"}}},
    {"race_sleep", "race_sleep", 1, 0, "data-race", "ready_value", "race_sleep.c:19", 2,
     {{"race_sleep.c", 19, "main", "main thread", "Read of size 1"},
      {"race_sleep.c", 10, "producer", "thread T1", "Previous write of size 1"}}},
    {"signal_unsafe_0", "signal_unsafe", 2, 0, "signal-unsafe-call", NULL, "malloc", 1,
     {{"signal_unsafe.c", 10, "on_usr1", NULL, "Call to malloc"}}},
    {"signal_unsafe_1", "signal_unsafe", 2, 1, "signal-unsafe-call", NULL, "free", 1,
     {{"signal_unsafe.c", 12, "on_usr1", NULL, "Call to free"}}},
    /* TSan reports the handler's entry, i.e. the line of its '{'. */
    {"signal_errno", "signal_errno", 1, 0, "signal-handler-spoils-errno",
     NULL, "signal_errno.c:11", 1,
     {{"signal_errno.c", 11, "on_usr1", NULL, NULL}}},
    {"crash_segv", "crash_segv", 1, 0, "crash", NULL, "SEGV on unknown address", 1,
     {{"crash_segv.c", 9, "store", NULL, "Crashed"}}},
    {"fork_threads", "fork_threads", 1, 0, "unsupported", NULL, "multi-threaded fork", 0, {{0}}},
    {"suppressed", "suppressed", 1, 0, "suppressed",
     NULL, "1 report(s) hidden by suppressions: race:writer", 0, {{0}}},
    {"suppr_parse_error", "suppr_parse_error", 1, 0, "tool-error",
     NULL, "failed to parse suppressions", 0, {{0}}},
    {"suppr_missing", "suppr_missing", 1, 0, "tool-error",
     NULL, "failed to read suppressions file", 0, {{0}}},
    {"options_error", "options_error", 1, 0, "tool-error",
     NULL, "expected '=' in TSAN_OPTIONS", 0, {{0}}},
    {"fatal_mapping", "fatal_mapping", 1, 0, "tool-error",
     NULL, "unexpected memory mapping 0x*-0x*", 0, {{0}}},
    {"unsymbolized", "unsymbolized", 1, 0, "data-race", NULL, "unsymbolized", 2,
     {{NULL, 0, NULL, "main thread", "Write of size 4"},
      {NULL, 0, NULL, "thread T1", "Previous write of size 4"}}},
    {"bad_symbolizer_0", "bad_symbolizer", 2, 0, "tool-error", NULL, "symbolizer", 0, {{0}}},
    {"bad_symbolizer_1", "bad_symbolizer", 2, 1, "data-race",
     "heap block of size 48", "unsymbolized", 2,
     {{NULL, 0, NULL, "main thread", "Write of size 8"},
      {NULL, 0, NULL, "thread T1", "Previous write of size 8"}}},
    {"two_reports_mixed_0", "two_reports_mixed", 2, 0, "data-race",
     "hits", "data race on 'hits'", 2,
     {{"two_reports.c", 20, "main", "main thread", "Write of size 8"},
      {"two_reports.c", 11, "counter", "thread T1", "Previous write of size 8"}}},
    {"two_reports_mixed_1", "two_reports_mixed", 2, 1, "unlock-unlocked-mutex",
     "m", "two_reports.c:23", 1,
     {{"two_reports.c", 23, "main", NULL, "Mutex unlocked"}}},
    {"gcc_race_global", "gcc_race_global", 1, 0, "data-race", "result", "data race on 'result'", 2,
     {{"race_global.c", 17, "main", "main thread", "Read of size 4"},
      {"race_global.c", 9, "writer", "thread T1", "Previous write of size 4"}}},
    {"gcc_lock_order", "gcc_lock_order", 1, 0, "lock-order-inversion",
     NULL, "cycle M0 => M1 => M0", 2,
     {{"lock_order.c", 11, "forward", "thread T1", "Mutex M1"},
      {"lock_order.c", 20, "backward", "thread T2", "Mutex M0"}}},
};

/* Every fixture file, for the whole-file checks. */
static const char *const fixtures[] = {
    "race_global", "race_heap", "race_stack", "thread_leak", "lock_order",
    "heap_uaf", "destroy_locked", "race_sleep", "signal_unsafe",
    "signal_errno", "crash_segv", "fork_threads", "suppressed",
    "suppr_parse_error", "suppr_missing", "options_error", "fatal_mapping",
    "unsymbolized", "bad_symbolizer", "two_reports_mixed", "gcc_race_global",
    "gcc_lock_order",
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

/* Reads FIXTURE_DIR/<name>.log into a heap buffer, NUL-terminated for the
 * tests' own strstr; *len excludes the NUL. */
static char *read_fixture(const char *name, size_t *len)
{
    char path[1024];
    FILE *fp;
    char *buf;
    long n;

    snprintf(path, sizeof path, "%s/%s.log", FIXTURE_DIR, name);
    fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open fixture %s", path);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* A copy of text[0..len) in a buffer of exactly len bytes, so that ASan
 * catches any read past the end by the parser. */
static char *exact_copy(const char *text, size_t len)
{
    char *c = malloc(len ? len : 1);
    assert_non_null(c);
    memcpy(c, text, len);
    return c;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path;
}

/* Every finding is complete enough to show: kind, message, raw text. */
static void assert_sane(const struct finding_list *l)
{
    size_t i;
    const char *c;

    for (i = 0; i < l->len; i++) {
        const struct finding *f = &l->items[i];
        assert_non_null(f->kind);
        assert_non_null(f->message);
        assert_non_null(f->raw);
        assert_true(f->nacc >= 0 && f->nacc <= 2);
        assert_null(strchr(f->message, '\n'));
        for (c = f->kind; *c; c++)
            assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-');
    }
}

/* Checks one fixture against its row of the table (the row is *state). */
static void test_fixture(void **state)
{
    const struct expect *e = *state;
    struct finding_list l = {0};
    const struct finding *f;
    size_t len;
    char *text = read_fixture(e->fixture, &len), *exact = exact_copy(text, len);
    int i;

    assert_int_equal(report_parse(exact, len, &l), e->count);
    assert_int_equal(l.len, (size_t)e->count);
    assert_sane(&l);
    f = &l.items[e->index];
    assert_string_equal(f->kind, e->kind);
    assert_true(finding_kind_known(f->kind));
    if (e->variable)
        assert_string_equal(f->variable, e->variable);
    else
        assert_null(f->variable);
    if (!strstr(f->message, e->msg_has))
        fail_msg("message \"%s\" lacks \"%s\"", f->message, e->msg_has);
    assert_int_equal(f->nacc, e->nacc);
    for (i = 0; i < e->nacc; i++) {
        const struct access *a = &f->acc[i];
        const struct exp_acc *x = &e->acc[i];
        if (x->base) {
            assert_non_null(a->loc.file);
            assert_true(a->loc.file[0] == '/'); /* as printed: absolute */
            assert_string_equal(base_name(a->loc.file), x->base);
        } else {
            assert_null(a->loc.file);
            assert_false(report_location_known(&a->loc));
        }
        assert_int_equal(a->loc.line, x->line);
        if (x->func)
            assert_string_equal(a->loc.func, x->func);
        if (x->thread)
            assert_string_equal(a->thread, x->thread);
        else
            assert_null(a->thread);
        assert_non_null(a->what);
        if (x->what && strncmp(a->what, x->what, strlen(x->what)) != 0)
            fail_msg("access %d what \"%s\" is not \"%s...\"", i, a->what, x->what);
    }
    assert_non_null(strstr(text, "ThreadSanitizer")); /* a real TSan log */
    finding_list_free(&l);
    free(exact);
    free(text);
}

/* The "As if synchronized via sleep" stack (usleep, line 18) is no access. */
static void test_sleep_stack_is_not_an_access(void **state)
{
    struct finding_list l = {0};
    size_t len, i;
    char *text = read_fixture("race_sleep", &len);

    (void)state;
    assert_int_equal(report_parse(text, len, &l), 1);
    assert_int_equal(l.items[0].nacc, 2);
    for (i = 0; i < 2; i++) {
        assert_int_not_equal(l.items[0].acc[i].loc.line, 18);
        assert_string_not_equal(l.items[0].acc[i].loc.func, "usleep");
    }
    assert_non_null(strstr(l.items[0].raw, "As if synchronized via sleep"));
    finding_list_free(&l);
    free(text);
}

/* Two "Location is" lines: the first wins, the '??' global is ignored;
 * thread-creation stacks are never accesses of a race. */
static void test_location_and_thread_sections(void **state)
{
    struct finding_list l = {0};
    size_t len;
    char *text = read_fixture("race_stack", &len);

    (void)state;
    assert_int_equal(report_parse(text, len, &l), 1);
    assert_string_equal(l.items[0].variable, "stack of main thread");
    assert_int_not_equal(l.items[0].acc[0].loc.line, 16); /* pthread_create site */
    assert_int_not_equal(l.items[0].acc[1].loc.line, 16);
    assert_non_null(strstr(l.items[0].raw, "Location is global '\?\?'"));
    assert_non_null(strstr(l.items[0].raw, "SUMMARY: ThreadSanitizer:"));
    finding_list_free(&l);
    free(text);
}

/* An unknown headline is kept as its own kind, not dropped. */
static void test_unknown_headline(void **state)
{
    static const char text[] =
        "==================\n"
        "WARNING: ThreadSanitizer: Frobnicated Mutex twice (experimental) (pid=7)\n"
        "    #0 pthread_mutex_frob <null> (prog+0x10)\n"
        "    #1 frob /src/frob.c:31:7 (prog+0x20)\n"
        "\n"
        "SUMMARY: ThreadSanitizer: Frobnicated Mutex twice /src/frob.c:31:7 in frob\n"
        "==================\n";
    struct finding_list l = {0};

    (void)state;
    assert_int_equal(report_parse(text, sizeof text - 1, &l), 1);
    assert_string_equal(l.items[0].kind, "frobnicated-mutex-twice");
    assert_false(finding_kind_known(l.items[0].kind));
    assert_int_equal(l.items[0].nacc, 1);
    assert_string_equal(l.items[0].acc[0].loc.func, "frob");
    assert_string_equal(l.items[0].acc[0].loc.file, "/src/frob.c");
    assert_int_equal(l.items[0].acc[0].loc.line, 31);
    assert_true(report_location_known(&l.items[0].acc[0].loc));
    assert_non_null(strstr(l.items[0].message, "Frobnicated Mutex twice"));
    assert_non_null(strstr(l.items[0].raw, "SUMMARY"));
    assert_null(strstr(l.items[0].raw, "====="));
    finding_list_free(&l);
}

/* Frames of racelab's lab runtime and TSan internals are skipped. */
static void test_runtime_frames_skipped(void **state)
{
    static const char text[] =
        "WARNING: ThreadSanitizer: data race (pid=9)\n"
        "  Write of size 4 at 0x1 by thread T2 (mutexes: write M0, read M1):\n"
        "    #0 memset <null> (prog+0x1)\n"
        "    #1 rl_mutex_lock /work/harness/rt/racelab_rt.c:308:12 (prog+0x2)\n"
        "    #2 __tsan::Foo(int, bool) tsan_rtl.cpp.o (prog+0x3) (BuildId: ab)\n"
        "    #3 bump /labs/counter/counter.c:12 (prog+0x4) (BuildId: ab)\n"
        "    #4 main /labs/counter/counter.c:40 (prog+0x5)\n"
        "\n"
        "  Previous read of size 4 at 0x1 by main thread:\n"
        "    #0 0x4a5b in peek /labs/counter/counter.c:20:3\n"
        "\n"
        "  Thread T2 (tid=5, running) created by main thread at:\n"
        "    #0 pthread_create <null> (prog+0x6)\n"
        "    #1 main /labs/counter/counter.c:33 (prog+0x7)\n";
    struct finding_list l = {0};
    const struct finding *f;

    (void)state;
    assert_int_equal(report_parse(text, sizeof text - 1, &l), 1);
    f = &l.items[0];
    assert_int_equal(f->nacc, 2);
    assert_string_equal(f->acc[0].loc.func, "bump");
    assert_int_equal(f->acc[0].loc.line, 12);
    assert_string_equal(f->acc[0].thread, "thread T2");
    assert_string_equal(f->acc[0].mutexes, "write M0, read M1");
    assert_string_equal(f->acc[1].loc.func, "peek");
    assert_int_equal(f->acc[1].loc.line, 20);
    assert_null(f->acc[1].mutexes);
    assert_null(f->variable);
    finding_list_free(&l);
}

/* Empty and NULL input give no findings. */
static void test_empty_input(void **state)
{
    struct finding_list l = {0};

    (void)state;
    assert_int_equal(report_parse("", 0, &l), 0);
    assert_int_equal(report_parse(NULL, 0, &l), 0);
    assert_int_equal(report_parse("\n\n  \n", 4, &l), 0);
    assert_int_equal(report_parse("hello world\nno tsan here\n", 25, &l), 0);
    assert_int_equal(l.len, 0);
    assert_int_equal(report_parse("x", 1, NULL), -1);
    finding_list_free(&l);
}

/* Every fixture cut at every 97th byte: no crash, sane findings, and a
 * report whose WARNING line survived is never silenced. */
static void test_truncated_fixtures(void **state)
{
    size_t k, cut, len;

    (void)state;
    for (k = 0; k < NFIXTURES; k++) {
        char *text = read_fixture(fixtures[k], &len);
        for (cut = 0; cut <= len; cut += 97) {
            struct finding_list l = {0};
            char *part = exact_copy(text, cut);
            int r = report_parse(part, cut, &l);
            assert_true(r >= 0);
            assert_int_equal(l.len, (size_t)r);
            assert_sane(&l);
            if (cut > 0 && memchr(part, '\n', cut) &&
                strstr(text, "WARNING: ThreadSanitizer: ") &&
                (size_t)(strstr(text, "WARNING: ThreadSanitizer: ") - text) + 30 < cut)
                assert_true(r >= 1);
            finding_list_free(&l);
            free(part);
        }
        free(text);
    }
}

/* A truncated headline or a SUMMARY without its report is "unparsed". */
static void test_unparsed(void **state)
{
    static const char cut_head[] = "WARNING: ThreadSanitizer: data ra";
    static const char orphan[] = "  #1 main /a.c:3\n\nSUMMARY: ThreadSanitizer: data race /a.c:3 in main\n";
    static const char empty_head[] = "WARNING: ThreadSanitizer:  (pid=3)\n";
    struct finding_list l = {0};

    (void)state;
    assert_int_equal(report_parse(cut_head, sizeof cut_head - 1, &l), 1);
    assert_string_equal(l.items[0].kind, "unparsed");
    assert_string_equal(l.items[0].raw, cut_head);
    assert_int_equal(report_parse(orphan, sizeof orphan - 1, &l), 1);
    assert_string_equal(l.items[1].kind, "unparsed");
    assert_int_equal(report_parse(empty_head, sizeof empty_head - 1, &l), 1);
    assert_string_equal(l.items[2].kind, "unparsed");
    assert_sane(&l);
    finding_list_free(&l);
}

/* Random bytes and shuffled pieces of TSan text never crash the parser. */
static void test_garbage(void **state)
{
    static const char *const pieces[] = {
        "WARNING: ThreadSanitizer: ", "data race (pid=1)\n", "  Write of size 4 at ",
        " by thread T1", ":\n", "    #0 ", "f /a.c:", "12:3", " (p+0x1)", " (BuildId: x)",
        "\n", "Location is global '", "\?\?", "'", "SUMMARY: ThreadSanitizer: ", "==================\n",
        "ThreadSanitizer: Matched ", "3 suppressions", "1 race:f\n", "(", ")", "#", ":",
        "Mutex M1 acquired here while holding mutex M0 in thread T1:\n", "and:\n",
        "Thread T1 (tid=1, finished) created by main thread at:\n", "==12==", "ERROR: ThreadSanitizer: ",
        "FATAL: ThreadSanitizer: unexpected memory mapping\n", "WARNING: invalid path to external symbolizer!\n",
        "Cycle in lock order graph: M0 (0x1) => M1 (0x2) => M0\n", "\r\n", "\0",
    };
    uint32_t seed = 12345;
    char *buf = malloc(8192);
    int round;
    size_t n, want;

    (void)state;
    assert_non_null(buf);
    for (round = 0; round < 600; round++) {
        struct finding_list l = {0};
        want = 1 + (size_t)round * 13 % 8000;
        for (n = 0; n < want;) {
            seed = seed * 1103515245u + 12345u;
            if (round % 3 == 0) {
                buf[n++] = (char)(seed >> 16);
            } else {
                const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
                size_t m = *p ? strlen(p) : 1;
                if (n + m > want)
                    m = want - n;
                memcpy(buf + n, p, m);
                n += m;
            }
        }
        assert_true(report_parse(buf, n, &l) >= 0);
        assert_sane(&l);
        finding_list_free(&l);
    }
    free(buf);
}

/* Several logs concatenated: every report and every tool line, in order;
 * CRLF line ends and output glued before a WARNING change nothing. */
static void test_concatenated_logs(void **state)
{
    static const char *const parts[] = {"fatal_mapping", "race_global", "thread_leak", "suppressed"};
    static const char *const kinds[] = {"tool-error", "data-race", "thread-leak", "suppressed"};
    struct finding_list l = {0};
    size_t k, len, total = 0, i, j;
    char *all = NULL, *crlf;

    (void)state;
    for (k = 0; k < 4; k++) {
        char *t = read_fixture(parts[k], &len);
        all = realloc(all, total + len + 16);
        assert_non_null(all);
        if (k == 1) { /* program output with no newline before the report */
            memcpy(all + total, "partial output", 14);
            total += 14;
        }
        memcpy(all + total, t, len);
        total += len;
        free(t);
    }
    assert_int_equal(report_parse(all, total, &l), 4);
    for (k = 0; k < 4; k++)
        assert_string_equal(l.items[k].kind, kinds[k]);
    assert_int_equal(l.items[1].acc[0].loc.line, 17);
    finding_list_free(&l);

    crlf = malloc(total * 2);
    assert_non_null(crlf);
    for (i = j = 0; i < total; i++) {
        if (all[i] == '\n')
            crlf[j++] = '\r';
        crlf[j++] = all[i];
    }
    assert_int_equal(report_parse(crlf, j, &l), 4);
    assert_int_equal(l.items[1].acc[1].loc.line, 9);
    assert_string_equal(l.items[1].acc[1].loc.file + strlen(l.items[1].acc[1].loc.file) - 13,
                        "race_global.c");
    finding_list_free(&l);
    free(crlf);
    free(all);
}

/* A big input (thousands of reports, one huge line) parses in one pass. */
static void test_big_input(void **state)
{
    size_t len, n = 3000, k, big = 4u << 20;
    char *one = read_fixture("lock_order", &len);
    char *all = malloc(len * n), *line;
    struct finding_list l = {0};

    (void)state;
    assert_non_null(all);
    for (k = 0; k < n; k++)
        memcpy(all + k * len, one, len);
    assert_int_equal(report_parse(all, len * n, &l), (int)n);
    assert_int_equal(l.items[n - 1].acc[1].loc.line, 20);
    finding_list_free(&l);
    line = malloc(big);
    assert_non_null(line);
    for (k = 0; k < big; k++)
        line[k] = "#(=: W"[k % 6];
    assert_int_equal(report_parse(line, big, &l), 0);
    memcpy(line, "WARNING: ThreadSanitizer: data race (pid=1)\n", 44);
    assert_int_equal(report_parse(line, big, &l), 1);
    finding_list_free(&l);
    free(line);
    free(all);
    free(one);
}

/* The symbolizer's two warnings give one tool-error. */
static void test_symbolizer_once(void **state)
{
    struct finding_list l = {0};
    size_t len, i, n = 0;
    char *text = read_fixture("bad_symbolizer", &len);

    (void)state;
    assert_non_null(strstr(text, "Failed to use and restart external symbolizer"));
    assert_int_equal(report_parse(text, len, &l), 2);
    for (i = 0; i < l.len; i++)
        n += strcmp(l.items[i].kind, "tool-error") == 0;
    assert_int_equal(n, 1);
    finding_list_free(&l);
    free(text);
}

/* Several matched suppressions: hits are summed and every entry named;
 * program output after the entries is not taken as one. */
static void test_suppressed_several(void **state)
{
    static const char text[] =
        "==5==ThreadSanitizer: Matched 2 suppressions (pid=5):\n"
        "    3 race:writer\n"
        "    1 thread:spawn_helper\n"
        "2 apples: fine\n";
    struct finding_list l = {0};

    (void)state;
    assert_int_equal(report_parse(text, sizeof text - 1, &l), 1);
    assert_string_equal(l.items[0].kind, "suppressed");
    assert_string_equal(l.items[0].message,
                        "4 report(s) hidden by suppressions: race:writer, thread:spawn_helper");
    assert_null(strstr(l.items[0].raw, "apples"));
    finding_list_free(&l);
}

/* "[failed to restore the stack]": the access is kept, without a place. */
static void test_stack_not_restored(void **state)
{
    static const char text[] =
        "WARNING: ThreadSanitizer: data race (pid=5)\n"
        "  Write of size 4 at 0x1 by thread T3:\n"
        "    #0 put /src/q.c:8:3 (q+0x1)\n"
        "\n"
        "  Previous read of size 4 at 0x1 by thread T4:\n"
        "    [failed to restore the stack]\n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race /src/q.c:8:3 in put\n"
        "ThreadSanitizer: main thread finished with ignores enabled\n";
    struct finding_list l = {0};

    (void)state;
    assert_int_equal(report_parse(text, sizeof text - 1, &l), 2);
    assert_int_equal(l.items[0].nacc, 2);
    assert_int_equal(l.items[0].acc[0].loc.line, 8);
    assert_string_equal(l.items[0].acc[1].thread, "thread T4");
    assert_null(l.items[0].acc[1].loc.file);
    assert_non_null(strstr(l.items[0].message, "(no stack)"));
    assert_string_equal(l.items[1].kind, "tool-error");
    finding_list_free(&l);
}

/* finding_add/set/take/has/kind_known and report_location_known. */
static void test_finding_list(void **state)
{
    struct finding_list a = {0}, b = {0};
    struct finding *f;
    struct location loc = {NULL, NULL, 0};
    int i;

    (void)state;
    for (i = 0; i < 40; i++) {
        f = finding_add(i % 2 ? &a : &b, i % 2 ? "timeout" : "invariant");
        assert_non_null(f);
        assert_null(f->message);
        assert_int_equal(f->nacc, 0);
        assert_int_equal(finding_set(&f->message, "m"), 0);
        assert_int_equal(finding_set(&f->message, "again"), 0);
    }
    assert_null(finding_add(&a, NULL));
    assert_int_equal(finding_set(&a.items[0].variable, NULL), 0);
    assert_null(a.items[0].variable);
    assert_true(finding_list_has(&a, "timeout"));
    assert_false(finding_list_has(&a, "invariant"));
    assert_int_equal(finding_list_take(&a, &b), 0);
    assert_int_equal(a.len, 40);
    assert_int_equal(b.len, 0);
    assert_null(b.items);
    assert_true(finding_list_has(&a, "invariant"));
    assert_string_equal(a.items[39].message, "again");
    assert_true(finding_kind_known("data-race"));
    assert_true(finding_kind_known("unsupported"));
    assert_true(finding_kind_known("signal-handler-spoils-errno"));
    assert_false(finding_kind_known("data race"));
    assert_false(finding_kind_known(NULL));
    assert_false(report_location_known(&loc));
    loc.file = "a.c";
    assert_false(report_location_known(&loc));
    loc.line = 3;
    assert_true(report_location_known(&loc));
    assert_false(report_location_known(NULL));
    finding_list_free(&a);
    finding_list_free(&a);
    assert_int_equal(a.len, 0);
}

/* Builds the table entry for one fixture row. */
#define FIXTURE_TEST(i) {expects[i].name, test_fixture, NULL, NULL, (void *)&expects[i]}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(0), FIXTURE_TEST(1), FIXTURE_TEST(2), FIXTURE_TEST(3),
        FIXTURE_TEST(4), FIXTURE_TEST(5), FIXTURE_TEST(6), FIXTURE_TEST(7),
        FIXTURE_TEST(8), FIXTURE_TEST(9), FIXTURE_TEST(10), FIXTURE_TEST(11),
        FIXTURE_TEST(12), FIXTURE_TEST(13), FIXTURE_TEST(14), FIXTURE_TEST(15),
        FIXTURE_TEST(16), FIXTURE_TEST(17), FIXTURE_TEST(18), FIXTURE_TEST(19),
        FIXTURE_TEST(20), FIXTURE_TEST(21), FIXTURE_TEST(22), FIXTURE_TEST(23),
        FIXTURE_TEST(24),
        cmocka_unit_test(test_sleep_stack_is_not_an_access),
        cmocka_unit_test(test_location_and_thread_sections),
        cmocka_unit_test(test_unknown_headline),
        cmocka_unit_test(test_runtime_frames_skipped),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_truncated_fixtures),
        cmocka_unit_test(test_unparsed),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_concatenated_logs),
        cmocka_unit_test(test_big_input),
        cmocka_unit_test(test_symbolizer_once),
        cmocka_unit_test(test_suppressed_several),
        cmocka_unit_test(test_stack_not_restored),
        cmocka_unit_test(test_finding_list),
    };

    _Static_assert(sizeof expects / sizeof expects[0] == 25, "one FIXTURE_TEST per row");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
