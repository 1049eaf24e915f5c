/* report_parse.c - turn ThreadSanitizer's text output into findings.
 *
 * The text is read one line at a time.  A "WARNING: ThreadSanitizer:
 * <headline>" line (or "ERROR: ThreadSanitizer: SEGV ..." for a crash)
 * opens a report block, which ends at its SUMMARY line, at a "=====" line
 * or where the next report starts; the block's sections become one
 * finding: access headers ("Write of size 4 at .. by thread T1:"), stacks
 * ("#0 func /path/file.c:19:5 (prog+0x1234)"), "Location is ..." and so
 * on.  Outside a block, single lines are recognised: TSan's fatal start-up
 * errors, symbolizer trouble, the matched-suppressions summary.  Program
 * output is ignored.  There is no recursion and each line is scanned a
 * bounded number of times, so the work is linear in the input.
 */
#include "report_parse.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPOS ((size_t)-1)
#define HDR_WARN "WARNING: ThreadSanitizer: "
#define HDR_ERR "ERROR: ThreadSanitizer: "
#define MSG_MAX 600

/* A piece of the input text; not NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

/* A bounded one-line message being built. */
struct msg {
    char buf[MSG_MAX];
    size_t n;
};

/* The state of one report_parse call (nothing global). */
struct parser {
    struct finding_list *out;
    int count;       /* findings appended */
    int failed;      /* out of memory */
    int symbolizer;  /* the symbolizer problem was already reported */
};

/* One frame line, cut into its parts (spans into the input). */
struct frame {
    struct span func, file, module;
    int line;
};

enum section { SEC_NONE, SEC_START, SEC_ACC, SEC_SKIP };
enum role { ROLE_HEADER, ROLE_MAIN, ROLE_AND };

/* The state of one report block being read. */
struct block {
    size_t fi;              /* index of its finding in out->items */
    int crash;              /* "ERROR: ThreadSanitizer:" block */
    enum section sec;       /* what the frames that follow belong to */
    int slot;               /* access the frames go to, -1 for none */
    int any[2], prog[2];    /* a frame taken / a program frame taken */
    enum role role[2];
    struct span top[2];     /* function of each access's frame #0 */
    struct span headline, cycle;
    int var_global;         /* the variable is a global's name */
    long more_leaks;
};

/* Runtime and library functions: never "the program's own code". */
static const char *const rt_exact[] = {
    "free", "malloc", "calloc", "realloc", "reallocarray", "posix_memalign",
    "aligned_alloc", "memalign", "valloc", "pvalloc", "cfree", "strdup",
    "strndup", "memcpy", "memmove", "memset", "memcmp", "bcmp", "strcpy",
    "strncpy", "strcat", "strlen", "strcmp", "usleep", "sleep", "nanosleep",
    "clock_nanosleep", "raise", "kill", "abort", "exit", "_exit", "fork",
    "signal", "sigaction", "start_thread", "clone", "clone3", "_start",
    "printf", "fprintf", "puts", "fputs", "write", "read", "close",
};
static const char *const rt_prefix[] = {
    "__interceptor_", "___interceptor_", "__interception", "__tsan",
    "__sanitizer", "__asan", "__ubsan", "__lsan", "pthread_", "__pthread",
    "__libc", "__GI_", "_dl_", "__cxa_", "__cxx", "operator new",
    "operator delete", "sem_", "__clone", "rl_",
};
static const char *const rt_file_part[] = {
    "libsanitizer/", "compiler-rt/", "sanitizer_common/", "nptl/", "sysdeps/",
};

/* Headlines with a fixed kind; anything else becomes its own token. */
static const struct {
    const char *prefix, *kind;
} headline_kinds[] = {
    {"data race", "data-race"},
    {"heap-use-after-free", "heap-use-after-free"},
    {"thread leak", "thread-leak"},
    {"lock-order-inversion", "lock-order-inversion"},
    {"destroy of a locked mutex", "destroy-locked-mutex"},
    {"unlock of an unlocked mutex", "unlock-unlocked-mutex"},
    {"double lock of a mutex", "double-lock"},
    {"signal-unsafe call inside of a signal", "signal-unsafe-call"},
    {"signal handler spoils errno", "signal-handler-spoils-errno"},
    {"read lock of a write locked mutex", "mutex-misuse-other"},
    {"read unlock of a write locked mutex", "mutex-misuse-other"},
    {"use of an invalid mutex", "mutex-misuse-other"},
    {"mutex held in the wrong context", "mutex-misuse-other"},
};

/* Fatal and tool lines: a needle, the kind, and what it means. */
static const struct {
    const char *needle, *kind, *why;
} tool_lines[] = {
    {"unexpected memory mapping", "tool-error",
     "TSan could not start: its address-space layout check failed (typically "
     "high-entropy ASLR, vm.mmap_rnd_bits > 28, with an older clang)"},
    {"failed to parse suppressions", "tool-error",
     "TSan could not start: the suppressions file has a bad line (each line "
     "is type:pattern, e.g. race:writer)"},
    {"failed to read suppressions file", "tool-error",
     "TSan could not start: the suppressions file cannot be read"},
    {"in TSAN_OPTIONS", "tool-error",
     "TSan could not start: TSAN_OPTIONS is malformed (name=value pairs "
     "separated by spaces or ':')"},
    {"multi-threaded fork is not supported", "unsupported",
     "the program started a thread in the child of a multi-threaded fork(), "
     "which TSan does not support"},
    {"Thread limit", "too-many-threads",
     "the program exceeded TSan's limit on threads"},
};

/* ---- spans ------------------------------------------------------------ */

static struct span mk(const char *p, size_t n)
{
    struct span s;
    s.p = p;
    s.n = n;
    return s;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static struct span trim(struct span s)
{
    while (s.n && is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

static struct span head(struct span s, size_t n)
{
    return mk(s.p, n < s.n ? n : s.n);
}

static struct span after(struct span s, size_t off)
{
    return off < s.n ? mk(s.p + off, s.n - off) : mk(s.p + s.n, 0);
}

/* Index of the first occurrence of lit in s, or NPOS. */
static size_t find(struct span s, const char *lit)
{
    size_t m = strlen(lit), i = 0;
    const char *q;

    if (m == 0 || m > s.n)
        return m == 0 ? 0 : NPOS;
    while (i + m <= s.n) {
        q = memchr(s.p + i, lit[0], s.n - m - i + 1);
        if (!q)
            return NPOS;
        i = (size_t)(q - s.p);
        if (memcmp(q, lit, m) == 0)
            return i;
        i++;
    }
    return NPOS;
}

/* Index of the last c in s, or NPOS. */
static size_t rfind_char(struct span s, char c)
{
    size_t i = s.n;

    while (i--)
        if (s.p[i] == c)
            return i;
    return NPOS;
}

static int starts(struct span s, const char *lit)
{
    size_t m = strlen(lit);
    return s.n >= m && memcmp(s.p, lit, m) == 0;
}

static int ends(struct span s, const char *lit)
{
    size_t m = strlen(lit);
    return s.n >= m && memcmp(s.p + s.n - m, lit, m) == 0;
}

static int eq(struct span s, const char *lit)
{
    return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* s up to the first occurrence of lit (all of s when absent). */
static struct span until(struct span s, const char *lit)
{
    size_t i = find(s, lit);
    return i == NPOS ? s : head(s, i);
}

/* The leading decimal number of s (capped), or -1 if none. */
static long number(struct span s)
{
    long v = 0;
    size_t i = 0;

    if (!s.n || !is_digit(s.p[0]))
        return -1;
    for (; i < s.n && is_digit(s.p[i]); i++)
        v = v > (INT_MAX - 9) / 10 ? INT_MAX : v * 10 + (s.p[i] - '0');
    return v;
}

/* The next line at *pos (without "\n" or a trailing "\r"); 0 at the end. */
static int next_line(const char *text, size_t len, size_t *pos, struct span *line)
{
    const char *start, *nl;
    size_t n;

    if (*pos >= len)
        return 0;
    start = text + *pos;
    nl = memchr(start, '\n', len - *pos);
    n = nl ? (size_t)(nl - start) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    if (n && start[n - 1] == '\r')
        n--;
    *line = mk(start, n);
    return 1;
}

/* The trimmed line without the sanitizers' "==1234==" prefix. */
static struct span strip_pid(struct span s)
{
    size_t i = 2;

    s = trim(s);
    if (!starts(s, "=="))
        return s;
    while (i < s.n && is_digit(s.p[i]))
        i++;
    if (i > 2 && i + 1 < s.n && s.p[i] == '=' && s.p[i + 1] == '=')
        return trim(after(s, i + 2));
    return s;
}

/* True for TSan's "==================" separator line. */
static int is_separator(struct span t)
{
    size_t i;

    if (t.n < 5)
        return 0;
    for (i = 0; i < t.n; i++)
        if (t.p[i] != '=')
            return 0;
    return 1;
}

/* ---- messages and findings -------------------------------------------- */

static void msg_add(struct msg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends printf-style text to m, silently truncating. */
static void msg_add(struct msg *m, const char *fmt, ...)
{
    va_list ap;
    int r;

    if (m->n >= sizeof m->buf - 1)
        return;
    va_start(ap, fmt);
    r = vsnprintf(m->buf + m->n, sizeof m->buf - m->n, fmt, ap);
    va_end(ap);
    if (r > 0)
        m->n += (size_t)r < sizeof m->buf - m->n ? (size_t)r : sizeof m->buf - 1 - m->n;
}

/* Appends a span to m. */
static void msg_span(struct msg *m, struct span s)
{
    int n = s.n < MSG_MAX ? (int)s.n : MSG_MAX;
    msg_add(m, "%.*s", n, s.p ? s.p : "");
}

/* Appends a span with every hex number shown as "0x*", so the message of
 * the same problem is the same in every run (the raw text keeps them). */
static void msg_span_stable(struct msg *m, struct span s)
{
    size_t i = 0, j;

    while (i < s.n) {
        if (s.p[i] == '0' && i + 2 < s.n && s.p[i + 1] == 'x' && is_hex(s.p[i + 2])) {
            msg_add(m, "0x*");
            for (j = i + 2; j < s.n && is_hex(s.p[j]);)
                j++;
        } else {
            for (j = i + 1; j < s.n && s.p[j] != '0'; j++)
                ;
            msg_span(m, mk(s.p + i, j - i));
        }
        i = j;
    }
}

/* Copies a span into *field (NULL for an empty span); marks ENOMEM. */
static void set_span(struct parser *ps, char **field, struct span s)
{
    char *c;

    if (s.n == 0) {
        free(*field);
        *field = NULL;
        return;
    }
    c = malloc(s.n + 1);
    if (!c) {
        ps->failed = 1;
        return;
    }
    memcpy(c, s.p, s.n);
    c[s.n] = '\0';
    free(*field);
    *field = c;
}

/* Sets *field to the message text, with control characters made visible. */
static void set_msg(struct parser *ps, char **field, struct msg *m)
{
    size_t i;

    for (i = 0; i < m->n; i++)
        if ((unsigned char)m->buf[i] < 0x20 || m->buf[i] == 0x7f)
            m->buf[i] = '?';
    set_span(ps, field, mk(m->buf, m->n));
}

/* Appends a finding with its raw text; returns its index or NPOS. */
static size_t add(struct parser *ps, const char *kind, struct span raw)
{
    struct finding *f;

    if (ps->failed || ps->count == INT_MAX)
        return NPOS;
    f = finding_add(ps->out, kind);
    if (!f) {
        ps->failed = 1;
        return NPOS;
    }
    ps->count++;
    set_span(ps, &f->raw, raw);
    return ps->out->len - 1;
}

/* Appends a one-line finding: kind, message and the line as raw. */
static void add_line(struct parser *ps, const char *kind, struct msg *m, struct span raw)
{
    size_t i = add(ps, kind, raw);

    if (i != NPOS)
        set_msg(ps, &ps->out->items[i].message, m);
}

/* ---- frames ------------------------------------------------------------ */

/* Removes a trailing ":<digits>" from *s into *num; 1 if there was one. */
static int tail_number(struct span *s, int *num)
{
    size_t i = s->n;

    while (i && is_digit(s->p[i - 1]))
        i--;
    if (i == s->n || i < 2 || s->p[i - 1] != ':')
        return 0;
    *num = (int)number(after(*s, i));
    s->n = i - 1;
    return 1;
}

/* Cuts "#3 func file:line:col (module+0x12) (BuildId: ..)" into fr; 0 if
 * the line is not a frame. */
static int parse_frame(struct span t, struct frame *fr)
{
    size_t i = 1, open, cut;
    struct span r, g;
    int a, b, k;

    memset(fr, 0, sizeof *fr);
    if (t.n < 2 || t.p[0] != '#' || !is_digit(t.p[1]))
        return 0;
    while (i < t.n && is_digit(t.p[i]))
        i++;
    r = trim(after(t, i));
    for (k = 0; k < 2 && r.n && r.p[r.n - 1] == ')'; k++) {
        open = rfind_char(r, '(');
        if (open == NPOS)
            break;
        g = mk(r.p + open + 1, r.n - open - 2);
        if (starts(g, "BuildId:")) {
            r = trim(head(r, open));
            continue;
        }
        if (find(g, "+0x") != NPOS || starts(g, "0x")) {
            fr->module = starts(g, "0x") ? mk(g.p, 0) : until(g, "+0x");
            r = trim(head(r, open));
        }
        break;
    }
    if (starts(r, "0x") && (cut = find(r, " in ")) != NPOS) /* "0x.. in f" */
        r = trim(after(r, cut + 4));
    cut = rfind_char(r, ' ');
    if (cut == NPOS) {
        fr->func = r;
    } else {
        fr->func = trim(head(r, cut));
        fr->file = trim(after(r, cut + 1));
    }
    if (tail_number(&fr->file, &a))
        fr->line = tail_number(&fr->file, &b) ? b : a;
    if (eq(fr->func, "<null>") || eq(fr->func, "??"))
        fr->func.n = 0;
    if (eq(fr->file, "<null>") || eq(fr->file, "??"))
        fr->file.n = 0;
    return 1;
}

/* True when a frame is TSan, libc/pthread or racelab's runtime, not the
 * program's own code. */
static int frame_is_runtime(const struct frame *fr)
{
    size_t i, slash;
    struct span base;

    for (i = 0; fr->func.n && i < sizeof rt_exact / sizeof rt_exact[0]; i++)
        if (eq(fr->func, rt_exact[i]))
            return 1;
    for (i = 0; fr->func.n && i < sizeof rt_prefix / sizeof rt_prefix[0]; i++)
        if (starts(fr->func, rt_prefix[i]))
            return 1;
    if (fr->file.n) {
        if (starts(fr->file, "/usr/") || ends(fr->file, ".o"))
            return 1;
        for (i = 0; i < sizeof rt_file_part / sizeof rt_file_part[0]; i++)
            if (find(fr->file, rt_file_part[i]) != NPOS)
                return 1;
        slash = rfind_char(fr->file, '/');
        base = slash == NPOS ? fr->file : after(fr->file, slash + 1);
        if (eq(base, "racelab_rt.c"))
            return 1;
    }
    return find(fr->module, ".so") != NPOS;
}

/* ---- report blocks ----------------------------------------------------- */

static struct finding *blk_f(struct parser *ps, struct block *b)
{
    return &ps->out->items[b->fi];
}

/* Starts a new access of the block's finding for the frames that follow. */
static struct access *open_access(struct parser *ps, struct block *b, enum role role)
{
    struct finding *f = blk_f(ps, b);

    if (f->nacc >= 2) {
        b->sec = SEC_SKIP;
        b->slot = -1;
        return NULL;
    }
    b->slot = f->nacc++;
    b->sec = SEC_ACC;
    b->role[b->slot] = role;
    return &f->acc[b->slot];
}

/* Takes a frame for the open access: frame #0 unless a later frame is in
 * the program's own code. */
static void on_frame(struct parser *ps, struct block *b, struct span t)
{
    struct frame fr;
    struct location *loc;
    int s, rt;

    if (b->sec == SEC_START)
        open_access(ps, b, b->crash ? ROLE_HEADER : ROLE_MAIN);
    if (b->slot < 0 || b->sec != SEC_ACC || !parse_frame(t, &fr))
        return;
    s = b->slot;
    rt = frame_is_runtime(&fr);
    if (b->any[s] && (b->prog[s] || rt))
        return;
    if (!b->any[s])
        b->top[s] = fr.func;
    b->any[s] = 1;
    b->prog[s] = !rt;
    loc = &blk_f(ps, b)->acc[s].loc;
    set_span(ps, &loc->func, fr.func);
    set_span(ps, &loc->file, fr.file);
    loc->line = fr.line;
}

/* "Write of size 4 at 0x.. by thread T1 (mutexes: write M0):" */
static void access_header(struct parser *ps, struct access *a, struct span t)
{
    size_t at = find(t, " at "), by = find(t, " by "), mx;
    struct span th;

    if (ends(t, ":"))
        t.n--;
    set_span(ps, &a->what, trim(head(t, at < by ? at : by)));
    if (by != NPOS) {
        th = until(after(t, by + 4), " (");
        set_span(ps, &a->thread, trim(th));
    }
    if ((mx = find(t, "(mutexes: ")) != NPOS)
        set_span(ps, &a->mutexes, trim(until(after(t, mx + 10), ")")));
}

/* "Thread T1 (tid=12, finished) created by main thread at:" */
static void leak_header(struct parser *ps, struct access *a, struct span t)
{
    struct span name = until(until(after(t, 7), " "), "("), state, by;
    struct msg m = {{0}, 0};
    size_t c = find(t, ", ");

    msg_add(&m, "Thread ");
    msg_span(&m, name);
    if (c != NPOS) {
        state = until(after(t, c + 2), ")");
        if (state.n && state.n < 20) {
            msg_add(&m, " (");
            msg_span(&m, state);
            msg_add(&m, ")");
        }
    }
    msg_add(&m, " created");
    set_msg(ps, &a->what, &m);
    if ((c = find(t, " created by ")) != NPOS) {
        by = until(until(after(t, c + 12), " at"), ":");
        set_span(ps, &a->thread, trim(by));
    }
}

/* "Mutex M1 acquired here while holding mutex M0 in thread T1:" */
static void lock_header(struct parser *ps, struct access *a, struct span t)
{
    struct span taken = until(after(t, 6), " "), held = mk(t.p, 0);
    struct msg m = {{0}, 0};
    size_t h = find(t, "holding mutex "), in = find(t, " in ");

    if (h != NPOS)
        held = until(until(after(t, h + 14), " "), ":");
    msg_add(&m, "Mutex ");
    msg_span(&m, taken);
    msg_add(&m, " acquired while holding ");
    msg_span(&m, held);
    set_msg(ps, &a->what, &m);
    if (in != NPOS)
        set_span(ps, &a->thread, trim(until(after(t, in + 4), ":")));
}

/* "Location is global 'x' of size 4 at ..", "Location is heap block of
 * size 48 at ..", "Location is stack of main thread." -> the variable. */
static void location_line(struct parser *ps, struct block *b, struct span t)
{
    struct finding *f = blk_f(ps, b);
    struct span r = after(t, 12), name;

    if (f->variable)
        return;
    if (starts(r, "global '")) {
        r = after(r, 8);
        if (find(r, "'") == NPOS)
            return;
        name = until(r, "'");
        if (eq(name, "??") || eq(name, "<null>"))
            return;
        b->var_global = 1;
    } else {
        name = until(until(until(r, " at 0x"), " allocated "), " created ");
        name = trim(name);
        while (name.n && (name.p[name.n - 1] == '.' || name.p[name.n - 1] == ':'))
            name.n--;
    }
    set_span(ps, &f->variable, trim(name));
}

/* Reads one non-frame line of a block: a section header or a note. */
static void block_line(struct parser *ps, struct block *b, struct span t)
{
    const char *kind = blk_f(ps, b)->kind;
    struct access *a;

    if (t.n == 0) {
        b->sec = SEC_NONE;
        b->slot = -1;
    } else if (t.p[0] == '#') {
        on_frame(ps, b, t);
    } else if (starts(t, "Previous ") || starts(t, "Write of size") ||
               starts(t, "Read of size") || starts(t, "Atomic ")) {
        if ((a = open_access(ps, b, ROLE_HEADER)))
            access_header(ps, a, t);
    } else if (starts(t, "Location is ")) {
        location_line(ps, b, t);
        b->sec = SEC_SKIP;
    } else if (starts(t, "Thread ") && find(t, " created ") != NPOS) {
        b->sec = SEC_SKIP;
        if (strcmp(kind, "thread-leak") == 0 && (a = open_access(ps, b, ROLE_HEADER)))
            leak_header(ps, a, t);
    } else if (starts(t, "Mutex ") && find(t, " acquired here while holding ") != NPOS) {
        if ((a = open_access(ps, b, ROLE_HEADER)))
            lock_header(ps, a, t);
    } else if (starts(t, "Cycle in lock order graph:")) {
        b->cycle = trim(after(t, 26));
    } else if (eq(t, "and:")) {
        open_access(ps, b, ROLE_AND);
    } else if (starts(t, "And ") && find(t, " more similar thread leak") != NPOS) {
        b->more_leaks = number(after(t, 4));
    } else if (ends(t, ":")) {
        b->sec = SEC_SKIP; /* "As if synchronized via sleep:", "Mutex M0 created at:" .. */
        b->slot = -1;
    }
}

/* Appends "what by thread at file.c:12 in func" for an access; had_frames
 * tells an unsymbolized stack from none at all. */
static void msg_access(struct msg *m, const struct access *a, int had_frames)
{
    const struct location *l = &a->loc;
    const char *base = l->file ? strrchr(l->file, '/') : NULL;

    base = base ? base + 1 : l->file;
    if (a->what)
        msg_add(m, "%s", a->what);
    if (a->thread)
        msg_add(m, "%sby %s", a->what ? " " : "", a->thread);
    if (a->mutexes)
        msg_add(m, " (holding %s)", a->mutexes);
    if (base && l->line > 0)
        msg_add(m, " at %s:%d", base, l->line);
    else if (base)
        msg_add(m, " at %s", base);
    else if (!l->func)
        msg_add(m, had_frames ? " at an unsymbolized address" : " (no stack)");
    if (l->func)
        msg_add(m, " in %s", l->func);
}

/* Appends the cycle "M0 (0x..) => M1 (0x..) => M0" without addresses. */
static void msg_cycle(struct msg *m, struct span c)
{
    size_t i, depth = 0, start = m->n;

    for (i = 0; i < c.n && m->n < sizeof m->buf - 1; i++) {
        if (c.p[i] == '(')
            depth++;
        else if (c.p[i] == ')' && depth)
            depth--;
        else if (!depth && !(c.p[i] == ' ' && m->n > start && m->buf[m->n - 1] == ' '))
            m->buf[m->n++] = c.p[i];
    }
    while (m->n > start && m->buf[m->n - 1] == ' ')
        m->n--;
    m->buf[m->n] = '\0';
}

/* The "what" of an access that has no header line of its own. */
static const char *default_what(const char *kind, enum role role)
{
    size_t i;
    static const struct {
        const char *kind, *main, *and_;
    } names[] = {
        {"destroy-locked-mutex", "Mutex destroyed", "Mutex locked"},
        {"unlock-unlocked-mutex", "Mutex unlocked", "and"},
        {"double-lock", "Mutex locked again", "and"},
        {"signal-handler-spoils-errno", "Handler changes errno", "and"},
        {"crash", "Crashed", "and"},
    };

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(kind, names[i].kind) == 0)
            return role == ROLE_AND ? names[i].and_ : names[i].main;
    return role == ROLE_AND ? "and" : "Stack";
}

/* Names the accesses of single-stack reports and writes the message. */
static void finish_block(struct parser *ps, struct block *b)
{
    struct finding *f = blk_f(ps, b);
    const char *k = f->kind;
    struct msg m = {{0}, 0}, w = {{0}, 0};
    int i, located = 0;

    for (i = 0; i < f->nacc && !ps->failed; i++) {
        located |= f->acc[i].loc.func || f->acc[i].loc.file || !b->any[i];
        if (f->acc[i].what)
            continue;
        w.n = 0;
        if (b->top[i].n && strcmp(k, "signal-unsafe-call") == 0) {
            msg_add(&w, "Call to ");
            msg_span(&w, b->top[i]);
        } else {
            msg_add(&w, "%s", default_what(k, b->role[i]));
        }
        set_msg(ps, &f->acc[i].what, &w);
    }
    if (strcmp(k, "crash") == 0)
        msg_add(&m, "crash: ");
    msg_span(&m, b->headline);
    if (strcmp(k, "data-race") == 0 && f->variable)
        msg_add(&m, b->var_global ? " on '%s'" : " on %s", f->variable);
    if (b->cycle.n) {
        msg_add(&m, ": cycle ");
        msg_cycle(&m, b->cycle);
    }
    for (i = 0; i < f->nacc; i++) {
        if (i == 0)
            msg_add(&m, b->cycle.n ? "; " : ": ");
        else
            msg_add(&m, strcmp(k, "data-race") == 0 ? " vs " : "; ");
        if (strcmp(k, "heap-use-after-free") == 0 && i == 1)
            msg_add(&m, "freed: ");
        msg_access(&m, &f->acc[i], b->any[i]);
    }
    if (f->nacc == 0)
        msg_add(&m, " (the report text has no stack)");
    else if (!located)
        msg_add(&m, " (no source lines: the report is unsymbolized)");
    if (strcmp(k, "thread-leak") == 0)
        msg_add(&m, ", never joined or detached");
    if (b->more_leaks > 0)
        msg_add(&m, " (and %ld more similar)", b->more_leaks);
    set_msg(ps, &f->message, &m);
}

/* The kind for a headline ("data race" -> "data-race"); unknown headlines
 * become their words joined by '-', parenthesised parts dropped. */
static const char *headline_kind(struct span h, int trusted, char *buf, size_t cap)
{
    size_t i, n = 0, depth = 0, p;
    int gap = 0;

    for (i = 0; i < sizeof headline_kinds / sizeof headline_kinds[0]; i++) {
        p = strlen(headline_kinds[i].prefix);
        if (starts(h, headline_kinds[i].prefix) && (h.n == p || !is_alnum(h.p[p])))
            return headline_kinds[i].kind;
    }
    if (!trusted)
        return "unparsed";
    for (i = 0; i < h.n && n + 2 < cap; i++) {
        char c = h.p[i];
        if (c == '(')
            depth++;
        else if (c == ')' && depth)
            depth--;
        else if (!depth && is_alnum(c)) {
            if (gap && n)
                buf[n++] = '-';
            buf[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            gap = 0;
            continue;
        }
        gap = 1;
    }
    buf[n] = '\0';
    return n ? buf : "unparsed";
}

/* True when a line inside a block means the block is over (not included). */
static int ends_block(struct span line, struct span u)
{
    return find(line, HDR_WARN) != NPOS || find(line, HDR_ERR) != NPOS ||
           is_separator(u) || starts(u, "FATAL:") ||
           find(u, "ThreadSanitizer: Matched ") != NPOS ||
           find(u, "ThreadSanitizer: reported ") != NPOS;
}

static void tool_line(struct parser *ps, struct span line);

/* Reads the report block whose header is at first+off; returns the position
 * after the block. */
static size_t parse_block(struct parser *ps, const char *text, size_t len,
                          size_t pos, struct span first, size_t off, int crash)
{
    struct block b;
    struct span hdr = after(first, off), h, line, t, u;
    const char *raw_end = first.p + first.n;
    char tok[80];
    const char *kind;
    size_t before, pid, fi;
    int trusted;

    memset(&b, 0, sizeof b);
    b.crash = crash;
    h = after(hdr, crash ? strlen(HDR_ERR) : strlen(HDR_WARN));
    pid = find(h, crash ? " (" : " (pid=");
    trusted = pid != NPOS;
    b.headline = trim(head(h, pid));
    kind = crash ? "crash" : headline_kind(b.headline, trusted, tok, sizeof tok);
    fi = add(ps, kind, mk(NULL, 0));
    if (fi == NPOS)
        return pos;
    b.fi = fi;
    b.sec = SEC_START;
    b.slot = -1;
    while (!ps->failed) {
        before = pos;
        if (!next_line(text, len, &pos, &line))
            break;
        t = trim(line);
        u = strip_pid(line);
        if (ends_block(line, u)) {
            pos = before;
            break;
        }
        raw_end = line.p + line.n;
        if (find(u, "SUMMARY: ThreadSanitizer:") != NPOS || (crash && eq(u, "ABORTING")))
            break;
        if (find(u, "symbolizer") != NPOS && (starts(u, "WARNING") || starts(u, "ERROR")))
            tool_line(ps, line);
        else
            block_line(ps, &b, t);
    }
    if (ps->failed)
        return pos;
    set_span(ps, &blk_f(ps, &b)->raw, mk(hdr.p, (size_t)(raw_end - hdr.p)));
    if (strcmp(kind, "unparsed") == 0) {
        struct msg m = {{0}, 0};
        msg_add(&m, "unrecognised ThreadSanitizer report: ");
        msg_span(&m, trim(hdr));
        set_msg(ps, &blk_f(ps, &b)->message, &m);
    } else {
        finish_block(ps, &b);
    }
    return pos;
}

/* True when s starts with a TSan suppression type and ':' ("race:f"). */
static int suppression_type(struct span s)
{
    static const char *const types[] = {
        "race:", "race_top:", "thread:", "mutex:", "signal:", "deadlock:",
        "called_from_lib:",
    };
    size_t i;

    for (i = 0; i < sizeof types / sizeof types[0]; i++)
        if (starts(s, types[i]))
            return 1;
    return 0;
}

/* "ThreadSanitizer: Matched 2 suppressions (pid=1):" and its "1 race:f"
 * lines -> one "suppressed" finding; returns the position after them. */
static size_t parse_suppressed(struct parser *ps, const char *text, size_t len,
                               size_t pos, struct span first, size_t off)
{
    struct msg names = {{0}, 0}, m = {{0}, 0};
    struct span line, t, entry, r = after(first, off);
    const char *raw_end = first.p + first.n;
    long total = 0, n, matched = number(after(r, 25));
    size_t before, i;

    for (;;) {
        before = pos;
        if (!next_line(text, len, &pos, &line))
            break;
        t = trim(line);
        n = number(t);
        i = find(t, " ");
        entry = after(t, i + 1); /* "type:pattern" */
        if (n < 0 || i == NPOS || !suppression_type(entry)) {
            pos = before;
            break;
        }
        total = total > INT_MAX - n ? INT_MAX : total + n;
        msg_add(&names, "%s", names.n ? ", " : "");
        msg_span(&names, trim(entry));
        raw_end = line.p + line.n;
    }
    if (total <= 0)
        total = matched > 0 ? matched : 0;
    msg_add(&m, "%ld report(s) hidden by suppressions", total);
    if (names.n)
        msg_add(&m, ": %s", names.buf);
    i = add(ps, "suppressed", mk(r.p, (size_t)(raw_end - r.p)));
    if (i != NPOS)
        set_msg(ps, &ps->out->items[i].message, &m);
    return pos;
}

/* Recognises a single line outside reports: fatal errors, symbolizer
 * trouble, a SUMMARY without its report.  Other lines are program output. */
static void tool_line(struct parser *ps, struct span line)
{
    struct span u = strip_pid(line);
    struct msg m = {{0}, 0};
    size_t i;

    if (u.n == 0)
        return;
    if (find(u, "symbolizer") != NPOS &&
        (starts(u, "WARNING") || starts(u, "ERROR") || find(u, "ailed") != NPOS)) {
        if (ps->symbolizer)
            return;
        ps->symbolizer = 1;
        msg_add(&m, "TSan's external symbolizer is unusable, so reports have no "
                    "function names or source lines (");
        msg_span(&m, u);
        msg_add(&m, ")");
        add_line(ps, "tool-error", &m, u);
        return;
    }
    if (find(u, "ThreadSanitizer") == NPOS || find(u, "ThreadSanitizer: reported ") != NPOS)
        return;
    if (find(u, "SUMMARY: ThreadSanitizer:") != NPOS) {
        msg_add(&m, "ThreadSanitizer report without its WARNING line: ");
        msg_span(&m, u);
        add_line(ps, "unparsed", &m, u);
        return;
    }
    for (i = 0; i < sizeof tool_lines / sizeof tool_lines[0]; i++) {
        if (find(u, tool_lines[i].needle) != NPOS) {
            msg_add(&m, "%s (", tool_lines[i].why);
            msg_span_stable(&m, u);
            msg_add(&m, ")");
            add_line(ps, tool_lines[i].kind, &m, u);
            return;
        }
    }
    if (find(u, "FATAL") != NPOS || find(u, "ERROR") != NPOS || find(u, "CHECK failed") != NPOS ||
        find(u, "failed to") != NPOS || find(u, "nested bug") != NPOS ||
        find(u, "not supported") != NPOS || find(u, "with ignores enabled") != NPOS) {
        msg_add(&m, "ThreadSanitizer failed: ");
        msg_span_stable(&m, u);
        add_line(ps, "tool-error", &m, u);
    }
}

/* Parses text (len bytes, need not be NUL-terminated) and appends findings
 * to out.  Returns the number of findings appended, or -1 on ENOMEM. */
int report_parse(const char *text, size_t len, struct finding_list *out)
{
    struct parser ps;
    struct span line;
    size_t pos = 0, off;

    if (!out)
        return -1;
    memset(&ps, 0, sizeof ps);
    ps.out = out;
    if (!text)
        len = 0;
    while (!ps.failed) {
        if (!next_line(text, len, &pos, &line))
            break;
        if ((off = find(line, HDR_WARN)) != NPOS)
            pos = parse_block(&ps, text, len, pos, line, off, 0);
        else if ((off = find(line, HDR_ERR)) != NPOS)
            pos = parse_block(&ps, text, len, pos, line, off, 1);
        else if ((off = find(line, "ThreadSanitizer: Matched ")) != NPOS)
            pos = parse_suppressed(&ps, text, len, pos, line, off);
        else
            tool_line(&ps, line);
    }
    return ps.failed ? -1 : ps.count;
}

/* True (1) if a location is usable for a learner (has file and line). */
int report_location_known(const struct location *loc)
{
    return loc && loc->file && loc->file[0] && loc->line > 0;
}
