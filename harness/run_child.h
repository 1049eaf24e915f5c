/* run_child.h - run one program as a bounded, fully reaped child.
 *
 * The child runs in its own process group with its stdout and stderr
 * captured (capped) through one pipe.  While it runs, its whole process tree
 * is sampled from /proc: resident memory, live threads and processes are
 * bounded, and the wall-clock timeout is enforced.  Whatever ends the run,
 * every process of the tree is killed and reaped before run_child returns.
 * No address-space rlimit is used: ThreadSanitizer reserves terabytes of
 * virtual memory.  No RLIMIT_NPROC reliance: root ignores it.
 */
#ifndef RACELAB_RUN_CHILD_H
#define RACELAB_RUN_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct run_limits {
    double timeout_s;      /* wall time; 0 = none */
    long max_rss_mb;       /* summed resident memory of the tree */
    int max_threads;       /* summed live threads of the tree */
    int max_procs;         /* live processes in the tree */
    size_t max_output;     /* bytes of output kept (the rest is counted, dropped) */
};

enum run_end {
    RUN_EXITED,    /* exited by itself (see exit_code) */
    RUN_SIGNALED,  /* killed by a signal it did not get from us (see signo) */
    RUN_TIMEOUT,   /* we killed it: wall time */
    RUN_MEMORY,    /* we killed it: resident memory bound */
    RUN_THREADS,   /* we killed it: live thread bound */
    RUN_PROCS,     /* we killed it: process bound */
    RUN_INTERRUPTED, /* we killed it: the harness got SIGINT/SIGTERM */
    RUN_EXEC_FAILED  /* could not start it (see exec_errno) */
};


/* Called once, just before a run is killed for a bound, with the pid and
 * the bound (e.g. to see where a hung program's threads wait). */
typedef void (*run_before_kill_fn)(pid_t pid, enum run_end why, void *ctx);

struct run_request {
    char *const *argv;       /* argv[0] is the program (looked up in PATH) */
    char *const *envp;       /* the child's whole environment */
    const char *cwd;         /* NULL: inherit */
    int no_aslr;             /* run without address randomisation */
    struct run_limits limits;
    run_before_kill_fn before_kill;
    void *before_kill_ctx;
};

struct run_result {
    enum run_end end;
    int exit_code, signo, exec_errno;
    char *output;            /* NUL-terminated, at most limits.max_output bytes */
    size_t output_len;
    size_t output_dropped;   /* bytes beyond the cap */
    double wall_s;
    long peak_rss_mb;
    int peak_threads, peak_procs;
    int stragglers;          /* processes still alive after the main child ended */
};

/* Default bounds: 10 s, 2048 MB, 400 threads, 64 processes, 256 KiB. */
struct run_limits run_default_limits(void);

/* Makes this process a child subreaper and routes SIGINT/SIGTERM to a flag
 * that ends the current run cleanly.  Call once at start-up. */
void run_setup(void);

/* True (1) once SIGINT or SIGTERM was received. */
int run_interrupted(void);

/* Runs the program; fills res (res->output must be freed by the caller with
 * run_result_free).  Returns 0, or -1 if the run could not be attempted
 * (pipe/fork failure; errno set). */
int run_child(const struct run_request *req, struct run_result *res);

/* Frees what run_child allocated in res. */
void run_result_free(struct run_result *res);

/* Where one thread of a hung program waits. */
struct run_thread_where {
    char who[128];     /* "main thread", "waiter" (its start function), "thread (LWP 12)" */
    char blocked[64];  /* the call it waits in: "pthread_cond_wait", "futex (...)" */
    char func[128], file[256]; /* its innermost frame in the program's code; empty if unknown */
    int line;
};

/* Describes up to max threads of a live process: from a gdb backtrace when
 * gdb can attach, else from /proc (the system call each waits in).  Call it
 * before the process is killed.  RACELAB_GDB names the gdb ("none": /proc
 * only).  Returns how many threads were described. */
int run_where_threads(pid_t pid, struct run_thread_where *w, int max);

/* A short name for how the run ended ("exited", "timeout", ...). */
const char *run_end_name(enum run_end end);

#endif
