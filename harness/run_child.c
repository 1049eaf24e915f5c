/* run_child.c - run one program as a bounded, fully reaped child.
 *
 * How a run is watched: the child gets its own process group; a pidfd tells
 * us the moment it exits; between events the whole process tree (the group,
 * plus anything descended from it, plus orphans handed to us as subreaper)
 * is sampled from /proc every SAMPLE_MS for memory, threads and processes.
 * When the run ends for any reason the tree is killed with SIGKILL and
 * every child reaped, so nothing is left behind.
 */
#include "run_child.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_MS 40
#define MAX_TRACKED 4096

static volatile sig_atomic_t run_got_signal;

static void run_on_signal(int sig) { run_got_signal = sig; }

struct run_limits run_default_limits(void) {
    struct run_limits l = {10.0, 2048, 400, 64, 256 * 1024};
    return l;
}

void run_setup(void) {
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = run_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int run_interrupted(void) { return run_got_signal != 0; }

const char *run_end_name(enum run_end end) {
    static const char *names[] = {"exited", "signaled", "timeout", "memory", "threads",
                                  "processes", "interrupted", "exec-failed"};
    return (unsigned)end < sizeof names / sizeof names[0] ? names[end] : "?";
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One process as seen in /proc/<pid>/stat. */
struct proc_info {
    pid_t pid, ppid, pgrp;
    long threads, rss_pages;
};

static int read_proc_stat(pid_t pid, struct proc_info *pi) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    if (!p) return -1;
    char state;
    int ppid, pgrp;
    long f[20];
    /* fields after ')': state ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime stime cutime cstime priority nice num_threads
     * itrealvalue starttime vsize rss */
    if (sscanf(p + 1, " %c %d %d %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld",
               &state, &ppid, &pgrp, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8],
               &f[9], &f[10], &f[11], &f[12], &f[13], &f[14], &f[15], &f[16], &f[17], &f[18]) < 22)
        return -1;
    if (state == 'Z') return -1; /* a zombie holds no threads or memory */
    pi->pid = pid;
    pi->ppid = ppid;
    pi->pgrp = pgrp;
    pi->threads = f[14];
    pi->rss_pages = f[18];
    return 0;
}

struct tree_sample {
    int procs;
    long threads, rss_mb;
};

/* Finds the tree: the group pgid, descendants of tracked pids, orphans
 * reparented to us.  Keeps tracked[] (pids ever seen in the tree) current. */
static struct tree_sample sample_tree(pid_t pgid, pid_t *tracked, int *ntracked) {
    struct tree_sample s = {0, 0, 0};
    static struct proc_info all[MAX_TRACKED];
    int nall = 0;
    DIR *d = opendir("/proc");
    if (!d) return s;
    struct dirent *e;
    while ((e = readdir(d)) && nall < MAX_TRACKED) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        if (read_proc_stat((pid_t)atoi(e->d_name), &all[nall]) == 0) nall++;
    }
    closedir(d);
    pid_t self = getpid();
    int changed = 1;
    char *in = calloc((size_t)nall + 1, 1);
    if (!in) return s;
    while (changed) { /* fixed point: anything whose parent is in the tree is in */
        changed = 0;
        for (int i = 0; i < nall; i++) {
            if (in[i]) continue;
            int yes = all[i].pgrp == pgid || all[i].ppid == self;
            for (int j = 0; !yes && j < *ntracked; j++)
                yes = tracked[j] == all[i].pid || tracked[j] == all[i].ppid;
            for (int j = 0; !yes && j < nall; j++)
                yes = in[j] && all[j].pid == all[i].ppid;
            if (yes) {
                in[i] = 1;
                changed = 1;
            }
        }
    }
    long page_kb = sysconf(_SC_PAGESIZE) / 1024;
    int nt = 0;
    for (int i = 0; i < nall; i++) {
        if (!in[i]) continue;
        s.procs++;
        s.threads += all[i].threads;
        s.rss_mb += all[i].rss_pages * page_kb / 1024;
        if (nt < MAX_TRACKED) tracked[nt++] = all[i].pid;
    }
    *ntracked = nt;
    free(in);
    return s;
}

static void kill_tree(pid_t pgid, const pid_t *tracked, int ntracked) {
    kill(-pgid, SIGKILL);
    for (int i = 0; i < ntracked; i++)
        if (tracked[i] > 1 && tracked[i] != getpid()) kill(tracked[i], SIGKILL);
}

/* Reads what is available on fd into the capped buffer. 0 = EOF. */
static int drain(int fd, struct run_result *res, size_t cap) {
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) return errno == EINTR ? 1 : (errno == EAGAIN ? 1 : 0);
        if (n == 0) return 0;
        size_t keep = 0;
        if (res->output_len < cap) {
            keep = cap - res->output_len;
            if (keep > (size_t)n) keep = (size_t)n;
            memcpy(res->output + res->output_len, buf, keep);
            res->output_len += keep;
        }
        res->output_dropped += (size_t)n - keep;
    }
}

static void child_exec(const struct run_request *req, int out_w, int err_w, pid_t harness) {
    setpgid(0, 0);
    /* If the harness dies (even killed by the program), the program dies too. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != harness) _exit(127);
    if (req->no_aslr) personality(ADDR_NO_RANDOMIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out_w, 1);
    dup2(out_w, 2);
    if (req->cwd && chdir(req->cwd) != 0) {
        int e = errno;
        ssize_t w = write(err_w, &e, sizeof e);
        (void)w;
        _exit(127);
    }
    execvpe(req->argv[0], req->argv, req->envp);
    int e = errno;
    ssize_t w = write(err_w, &e, sizeof e);
    (void)w;
    _exit(127);
}

int run_child(const struct run_request *req, struct run_result *res) {
    memset(res, 0, sizeof *res);
    size_t cap = req->limits.max_output ? req->limits.max_output : 256 * 1024;
    res->output = malloc(cap + 1);
    if (!res->output) return -1;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return -1;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    double t0 = now_s();
    pid_t self = getpid(), pid = fork();
    if (pid < 0) {
        close(out[0]), close(out[1]), close(err[0]), close(err[1]);
        return -1;
    }
    if (pid == 0) child_exec(req, out[1], err[1], self);
    setpgid(pid, pid); /* also in the child: whichever runs first */
    close(out[1]);
    close(err[1]);
    int e = 0;
    if (read(err[0], &e, sizeof e) == (ssize_t)sizeof e) {
        close(err[0]);
        close(out[0]);
        waitpid(pid, NULL, 0);
        res->end = RUN_EXEC_FAILED;
        res->exec_errno = e;
        res->output[0] = '\0';
        return 0;
    }
    close(err[0]);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

    static pid_t tracked[MAX_TRACKED];
    int ntracked = 1;
    tracked[0] = pid;
    int status = 0, done = 0, out_open = 1;
    enum run_end end = RUN_EXITED;
    double next_sample = t0;
    while (!done) {
        double now = now_s();
        if (run_got_signal) {
            end = RUN_INTERRUPTED;
            break;
        }
        if (req->limits.timeout_s > 0 && now - t0 >= req->limits.timeout_s) {
            end = RUN_TIMEOUT;
            break;
        }
        if (now >= next_sample) {
            struct tree_sample s = sample_tree(pid, tracked, &ntracked);
            if (s.procs > res->peak_procs) res->peak_procs = s.procs;
            if (s.threads > res->peak_threads) res->peak_threads = (int)s.threads;
            if (s.rss_mb > res->peak_rss_mb) res->peak_rss_mb = s.rss_mb;
            if (req->limits.max_threads && s.threads > req->limits.max_threads) {
                end = RUN_THREADS;
                break;
            }
            if (req->limits.max_procs && s.procs > req->limits.max_procs) {
                end = RUN_PROCS;
                break;
            }
            if (req->limits.max_rss_mb && s.rss_mb > req->limits.max_rss_mb) {
                end = RUN_MEMORY;
                break;
            }
            next_sample = now + SAMPLE_MS / 1000.0;
        }
        struct pollfd pfd[2];
        int n = 0;
        if (out_open) pfd[n++] = (struct pollfd){out[0], POLLIN, 0};
        if (pidfd >= 0) pfd[n++] = (struct pollfd){pidfd, POLLIN, 0};
        int wait_ms = (int)((next_sample - now_s()) * 1000) + 1;
        if (pidfd < 0 && wait_ms > 5) wait_ms = 5; /* no pidfd: poll for the exit */
        if (wait_ms < 0) wait_ms = 0;
        poll(pfd, (nfds_t)n, wait_ms);
        if (out_open && !drain(out[0], res, cap)) out_open = 0;
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) done = 1;
    }
    if (!done) {
        if (req->before_kill && end != RUN_INTERRUPTED) req->before_kill(pid, end, req->before_kill_ctx);
        sample_tree(pid, tracked, &ntracked);
        kill_tree(pid, tracked, ntracked);
        waitpid(pid, &status, 0);
    } else {
        if (WIFEXITED(status)) {
            end = RUN_EXITED;
            res->exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            end = RUN_SIGNALED;
            res->signo = WTERMSIG(status);
        }
        /* Helpers such as TSan's symbolizer end by themselves once the program
         * is gone: give them a moment before calling them stragglers. */
        struct tree_sample s = sample_tree(pid, tracked, &ntracked);
        for (int tries = 0; s.procs && tries < 40; tries++) {
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
            s = sample_tree(pid, tracked, &ntracked);
        }
        res->stragglers = s.procs;
        if (s.procs) kill_tree(pid, tracked, ntracked);
    }
    /* Reap everything: our child and any orphans given to us as subreaper. */
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    if (res->stragglers || end != RUN_EXITED) {
        for (int tries = 0; tries < 200; tries++) {
            struct tree_sample s = sample_tree(pid, tracked, &ntracked);
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
            if (s.procs == 0) break;
            kill_tree(pid, tracked, ntracked);
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    while (out_open && drain(out[0], res, cap)) {
        struct pollfd p = {out[0], POLLIN, 0};
        if (poll(&p, 1, 20) <= 0) break;
    }
    close(out[0]);
    if (pidfd >= 0) close(pidfd);
    res->output[res->output_len] = '\0';
    res->end = end;
    res->wall_s = now_s() - t0;
    return 0;
}

void run_result_free(struct run_result *res) {
    free(res->output);
    res->output = NULL;
}

/* ---- where a hung program's threads wait ----------------------------------- */

/* A program frame: not the C library, the sanitizer runtime or the kernel. */
static int where_program_frame(const char *func, const char *file) {
    static const char *const lib_files[] = {"./nptl/", "../sysdeps/", "./stdlib/", "./posix/", "./misc/",
                                            "sanitizer", "compiler-rt", "/usr/include/", "/usr/src/"};
    if (!file[0] || !strncmp(func, "__tsan", 6) || !strncmp(func, "__sanitizer", 11) ||
        !strncmp(func, "__interceptor", 13) || !strncmp(func, "rl_", 3))
        return 0;
    for (size_t i = 0; i < sizeof lib_files / sizeof lib_files[0]; i++)
        if (strstr(file, lib_files[i])) return 0;
    return 1;
}

/* Reads gdb's "thread apply all bt" output into w[]. */
static int where_from_gdb(char *out, struct run_thread_where *w, int max) {
    int n = 0, have = 0;
    char call[64] = "", start[128] = "";
    struct run_thread_where cur;
    memset(&cur, 0, sizeof cur);
    for (char *line = out; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (!strncmp(line, "Thread ", 7)) {
            if (have && cur.func[0] && n < max) w[n++] = cur;
            memset(&cur, 0, sizeof cur);
            have = 1;
            call[0] = start[0] = '\0';
            char *lwp = strstr(line, "(LWP ");
            snprintf(cur.who, sizeof cur.who, "thread (LWP %d)", lwp ? atoi(lwp + 5) : 0);
        } else if (have && line[0] == '#') {
            /* "#7  0x... in waiter (arg=...) at /path/x.c:54" or "#0  func (...) at file:line" */
            char *p = strchr(line, ' ');
            while (p && *p == ' ') p++;
            if (p && !strncmp(p, "0x", 2)) {
                char *in = strstr(p, " in ");
                p = in ? in + 4 : NULL;
            }
            if (p) {
                char func[128];
                size_t fl = strcspn(p, " (");
                snprintf(func, sizeof func, "%.*s", (int)(fl < sizeof func ? fl : sizeof func - 1), p);
                char *at = strstr(p, ") at ");
                char file[256] = "";
                int lineno = 0;
                if (at) {
                    snprintf(file, sizeof file, "%s", at + 5);
                    char *colon = strrchr(file, ':');
                    if (colon) {
                        lineno = atoi(colon + 1);
                        *colon = '\0';
                    }
                }
                if (!strcmp(func, "__tsan_thread_start_func") || !strcmp(func, "start_thread")) {
                    /* the frame above was the thread's own function */
                } else if (!cur.func[0] && where_program_frame(func, file)) {
                    snprintf(cur.func, sizeof cur.func, "%s", func);
                    snprintf(cur.file, sizeof cur.file, "%s", file);
                    cur.line = lineno;
                    snprintf(cur.blocked, sizeof cur.blocked, "%s", call[0] ? call : "its own code");
                } else if (!cur.func[0] && func[0] != '_') {
                    snprintf(call, sizeof call, "%.*s", (int)strcspn(func, "@"), func); /* the call it waits in */
                }
                if (func[0] && strcmp(func, "__tsan_thread_start_func") && strcmp(func, "start_thread") &&
                    strcmp(func, "clone3") && strcmp(func, "clone"))
                    snprintf(start, sizeof start, "%s", func);
                if (!strcmp(func, "main")) snprintf(cur.who, sizeof cur.who, "main thread");
                else if (cur.func[0] && strncmp(cur.who, "main", 4))
                    snprintf(cur.who, sizeof cur.who, "%s", start); /* named by its start function */
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    if (have && cur.func[0] && n < max) w[n++] = cur;
    return n;
}

/* The x86-64 system call a thread waits in, in words. */
static const char *where_syscall_name(long nr) {
    switch (nr) {
    case 202: return "futex (a lock, condition variable or join)";
    case 0: return "read";
    case 7: return "poll";
    case 23: return "select";
    case 34: return "pause";
    case 35: return "nanosleep";
    case 61: return "wait4 (waiting for a child)";
    case 230: return "clock_nanosleep";
    case 232: case 281: return "epoll_wait";
    case 43: case 288: return "accept";
    case 45: case 47: return "recv";
    case 128: case 130: return "waiting for a signal";
    default: return NULL;
    }
}

/* /proc only: the system call each thread of pid waits in. */
static int where_from_proc(pid_t pid, struct run_thread_where *w, int max) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char p2[128], buf[128] = "";
        snprintf(p2, sizeof p2, "/proc/%d/task/%s/syscall", (int)pid, e->d_name);
        int fd = open(p2, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t r = read(fd, buf, sizeof buf - 1);
            buf[r > 0 ? r : 0] = '\0';
            close(fd);
        }
        struct run_thread_where *t = &w[n++];
        memset(t, 0, sizeof *t);
        snprintf(t->who, sizeof t->who, "%s (LWP %s)", atoi(e->d_name) == pid ? "main thread" : "thread", e->d_name);
        const char *name = buf[0] >= '0' && buf[0] <= '9' ? where_syscall_name(atol(buf)) : NULL;
        if (name) snprintf(t->blocked, sizeof t->blocked, "%s", name);
        else if (!strncmp(buf, "running", 7)) snprintf(t->blocked, sizeof t->blocked, "running (a busy loop?)");
        else snprintf(t->blocked, sizeof t->blocked, "system call %.20s", buf[0] ? buf : "?");
    }
    closedir(d);
    return n;
}

int run_where_threads(pid_t pid, struct run_thread_where *w, int max) {
    char spid[24];
    snprintf(spid, sizeof spid, "%d", (int)pid);
    const char *gdb = getenv("RACELAB_GDB"); /* a gdb to use, or "none" */
    const char *gdbs[] = {gdb && *gdb ? gdb : "gdb", gdb && *gdb ? "" : "/usr/bin/gdb"};
    extern char **environ;
    for (size_t i = 0; i < sizeof gdbs / sizeof gdbs[0] && strcmp(gdbs[i], "none") != 0; i++) {
        if (!gdbs[i][0]) continue;
        char *argv[] = {(char *)gdbs[i], "-nx", "-batch", "-p", spid, "-ex", "thread apply all bt 16", NULL};
        struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
        rq.limits.timeout_s = 15;
        rq.limits.max_output = 1 << 20;
        struct run_result rr;
        if (run_child(&rq, &rr) != 0) break;
        int n = rr.end == RUN_EXITED ? where_from_gdb(rr.output, w, max) : 0;
        int exec_failed = rr.end == RUN_EXEC_FAILED;
        run_result_free(&rr);
        if (n > 0) return n;
        if (!exec_failed) break; /* gdb ran but could not attach: use /proc */
    }
    return where_from_proc(pid, w, max);
}
