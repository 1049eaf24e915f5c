/* raw_invite_thread.c - WRONG fix for the http_server lab: every lock in
 * place and a graceful shutdown, but POST /invite still starts a thread per
 * request.
 *
 * While the mail service is slow, every invitation in flight is one more
 * live thread: nothing bounds them, and server_wait() cannot join them.
 *
 * Expect: too-many-threads
 */
#include "http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NHANDLERS 4
#define NWORKERS 2
#define CONN_QUEUE 256     /* accepted connections waiting for a handler */
#define CACHE_MAX 24       /* cached pages; past it the cache starts over */
#define STALE_MS 30000     /* a client unseen this long is forgotten */
#define CLEAN_PERIOD_MS 5  /* how often the cleaner looks (real time) */
#define IDLE_MS 5000       /* a silent client is dropped after this */
#define REQ_MAX 8192       /* request head plus body, bytes */
#define BODY_MAX 512

static struct server_config cfg;    /* set by server_start before any thread */
static int listen_fd = -1;          /* the acceptor's once started */
static int stop_pipe[2] = {-1, -1}; /* SIGTERM writes a byte that nobody reads,
                                       so the pipe stays readable for every poll */
static long accepted;               /* connections; written by the acceptor only */
static pthread_t acceptor_tid, handler_tid[NHANDLERS], worker_tid[NWORKERS], cleaner_tid;

/* ---- statistics -------------------------------------------------------- */

enum route { R_ROOT, R_PAGE, R_SIGNUP, R_INVITE, R_SLOW, R_STATS, R_OTHER, R_BAD, NROUTES };
static const char *const route_name[NROUTES] = {"/", "/page", "/signup", "/invite",
                                                "/slow", "/stats", "other", "bad"};

/* Bumped by every handler for every request, read by GET /stats; all under
 * stats_mu, so no count is lost and a stats page is one snapshot. */
static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static long requests;
static long route_hits[NROUTES];
static long status_class[6]; /* [c]: responses with a status c00..c99 */

static void count_request(enum route r, int status)
{
    pthread_mutex_lock(&stats_mu);
    requests++;
    route_hits[r]++;
    status_class[status / 100]++;
    pthread_mutex_unlock(&stats_mu);
}

static void render_stats(char *out, size_t cap)
{
    pthread_mutex_lock(&stats_mu);
    size_t n = (size_t)snprintf(out, cap, "requests %ld\n", requests);
    for (int c = 2; c <= 5 && n < cap; c++)
        n += (size_t)snprintf(out + n, cap - n, "status %dxx %ld\n", c, status_class[c]);
    for (int r = 0; r < NROUTES && n < cap; r++)
        n += (size_t)snprintf(out + n, cap - n, "route %s %ld\n", route_name[r], route_hits[r]);
    pthread_mutex_unlock(&stats_mu);
}

/* ---- response cache: page name -> rendered page ------------------------ */

/* Searched and filled by every handler serving /page; under cache_mu. */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct { char name[40], html[160]; } cache[CACHE_MAX];
static int cache_count;

/* Copies the cached page into out; returns 1, or 0 on a miss. */
static int cache_get(const char *name, char *out, size_t cap)
{
    int hit = 0;
    pthread_mutex_lock(&cache_mu);
    for (int i = 0; i < cache_count && !hit; i++)
        if ((hit = strcmp(cache[i].name, name) == 0)) snprintf(out, cap, "%s", cache[i].html);
    pthread_mutex_unlock(&cache_mu);
    return hit;
}

static void cache_put(const char *name, const char *html)
{
    pthread_mutex_lock(&cache_mu);
    if (cache_count == CACHE_MAX) cache_count = 0; /* full: start over */
    snprintf(cache[cache_count].name, sizeof cache[0].name, "%s", name);
    snprintf(cache[cache_count].html, sizeof cache[0].html, "%s", html);
    cache_count++;
    pthread_mutex_unlock(&cache_mu);
}

/* ---- rate limiter: a token bucket per client address ------------------- */

struct client {
    uint32_t addr;
    int64_t tokens, last_ms, seen_ms; /* last_ms: when tokens were last added */
    struct client *next;
};
/* Looked up and changed by every handler, pruned by the cleaner; the
 * table and every bucket in it are under limiter_mu. */
static pthread_mutex_t limiter_mu = PTHREAD_MUTEX_INITIALIZER;
static struct client *clients;

/* Takes a token for addr: returns 1, or 0 and the seconds to wait. */
static int limiter_take(uint32_t addr, int *retry_s)
{
    int64_t now = cfg.now_ms();
    int ok = 1;
    pthread_mutex_lock(&limiter_mu);
    struct client *c = clients;
    while (c && c->addr != addr) c = c->next;
    if (!c && (c = malloc(sizeof *c))) {
        *c = (struct client){addr, cfg.burst, now, now, clients};
        clients = c;
    }
    if (c) { /* without memory for a bucket, let the request through */
        int64_t add = (now - c->last_ms) / cfg.refill_ms;
        c->seen_ms = now;
        c->tokens += add;
        c->last_ms += add * cfg.refill_ms;
        if (c->tokens >= cfg.burst) { /* full: the time since then earns nothing */
            c->tokens = cfg.burst;
            c->last_ms = now;
        }
        if ((ok = c->tokens > 0)) c->tokens--;
        else *retry_s = (int)((c->last_ms + cfg.refill_ms - now + 999) / 1000);
    }
    pthread_mutex_unlock(&limiter_mu);
    return ok;
}

/* Drops the buckets of clients not seen for STALE_MS (all if all is set). */
static void forget_clients(int64_t now, int all)
{
    pthread_mutex_lock(&limiter_mu);
    for (struct client **pp = &clients, *c; (c = *pp);) {
        if (all || now - c->seen_ms > STALE_MS) {
            *pp = c->next;
            free(c);
        } else {
            pp = &c->next;
        }
    }
    pthread_mutex_unlock(&limiter_mu);
}

/* cleaner_stop: set by server_wait, read by the cleaner; under clean_mu. */
static pthread_mutex_t clean_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t clean_cv = PTHREAD_COND_INITIALIZER;
static int cleaner_stop;

static void *cleaner(void *unused)
{
    pthread_mutex_lock(&clean_mu);
    while (!cleaner_stop) { /* the loop always starts with clean_mu held */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += CLEAN_PERIOD_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&clean_cv, &clean_mu, &until);
        pthread_mutex_unlock(&clean_mu);
        forget_clients(cfg.now_ms(), 0);
        pthread_mutex_lock(&clean_mu);
    }
    pthread_mutex_unlock(&clean_mu);
    return unused;
}

/* ---- background jobs: mails sent by the worker pool -------------------- */

struct job {
    char to[64], text[128];
    struct job *next;
};
/* Handlers append, workers take; under job_mu.  jobs_closed: set by
 * server_wait once no handler is left to submit. */
static pthread_mutex_t job_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_cv = PTHREAD_COND_INITIALIZER;
static struct job *job_head, *job_tail;
static int jobs_closed;

static struct job *job_new(const char *to, const char *text)
{
    struct job *j = calloc(1, sizeof *j);
    if (j) {
        snprintf(j->to, sizeof j->to, "%s", to);
        snprintf(j->text, sizeof j->text, "%s", text);
    }
    return j;
}

/* Sends one invitation right away, in its own thread. */
static void *inviter(void *arg)
{
    struct job *j = arg;
    cfg.send_mail(j->to, j->text);
    free(j);
    return NULL;
}

/* Queues a mail; returns 0, or -1 when out of memory. */
static int job_submit(const char *to, const char *text)
{
    struct job *j = job_new(to, text);
    if (!j) return -1;
    pthread_mutex_lock(&job_mu);
    if (job_tail)
        job_tail->next = j;
    else
        job_head = j;
    job_tail = j;
    pthread_cond_signal(&job_cv);
    pthread_mutex_unlock(&job_mu);
    return 0;
}

static void *worker(void *unused)
{
    pthread_mutex_lock(&job_mu);
    /* The loop always starts with job_mu held.  It ends only when the queue
     * is closed AND empty: every queued job is done. */
    for (;;) {
        while (!job_head && !jobs_closed) pthread_cond_wait(&job_cv, &job_mu);
        struct job *j = job_head;
        if (!j) break;
        if (!(job_head = j->next)) job_tail = NULL;
        pthread_mutex_unlock(&job_mu);
        cfg.send_mail(j->to, j->text);
        free(j);
        pthread_mutex_lock(&job_mu);
    }
    pthread_mutex_unlock(&job_mu);
    return unused;
}

/* ---- HTTP --------------------------------------------------------------- */

struct conn {
    int fd;
    size_t len; /* bytes in buf */
    char buf[REQ_MAX];
};
struct request {
    char method[8], target[128], body[BODY_MAX + 1];
    int keep_alive;
    size_t size; /* head plus body, bytes */
};
struct response {
    int status;
    const char *type;
    char extra[64]; /* more header lines, each ending in \r\n */
    char body[1024];
};
enum { GOT_REQUEST, GOT_EOF, GOT_BAD, GOT_STOP };

/* Has the server been told to stop? */
static int stopping(void)
{
    struct pollfd p = {stop_pipe[0], POLLIN, 0};
    return poll(&p, 1, 0) == 1;
}

/* Reads more of the connection.  Returns bytes read, 0 at EOF or after
 * IDLE_MS of silence, -1 on error, -2 if idle is set and the server stops. */
static ssize_t fill(struct conn *c, int idle)
{
    struct pollfd p[2] = {{c->fd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
    int n;
    while ((n = poll(p, idle ? 2 : 1, IDLE_MS)) < 0 && errno == EINTR) {
    }
    if (n <= 0) return n;
    if (!p[0].revents) return -2;
    ssize_t got = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (got > 0) c->len += (size_t)got;
    return got;
}

/* Reads and parses the next request of c.  Waiting between the requests of
 * a kept-alive connection (idle), it gives up when the server stops. */
static int read_request(struct conn *c, struct request *rq, int idle)
{
    char *end, version[16], *line, *next;
    int used = 0;
    size_t clen = 0;
    while (!(end = memmem(c->buf, c->len, "\r\n\r\n", 4))) {
        if (c->len == sizeof c->buf) return GOT_BAD;
        ssize_t n = fill(c, idle && c->len == 0);
        if (n == -2) return GOT_STOP;
        if (n <= 0) return c->len ? GOT_BAD : GOT_EOF;
    }
    memset(rq, 0, sizeof *rq);
    end[2] = '\0'; /* the head is one string now, unless it holds a NUL */
    if (!(next = strstr(c->buf, "\r\n"))) return GOT_BAD;
    *next = '\0';
    if (sscanf(c->buf, "%7[A-Z] %127[^ ] %15[^ ]%n", rq->method, rq->target, version, &used) != 3 ||
        c->buf[used] || (size_t)used != strlen(rq->method) + strlen(rq->target) + strlen(version) + 2 ||
        rq->target[0] != '/')
        return GOT_BAD;
    if (strcmp(version, "HTTP/1.1") == 0) rq->keep_alive = 1;
    else if (strcmp(version, "HTTP/1.0") != 0) return GOT_BAD;
    for (line = next + 2; *line; line = next + 2) {
        char *colon = strchr(line, ':'), *value;
        if (!(next = strstr(line, "\r\n")) || !colon || colon == line || colon > next) return GOT_BAD;
        *next = *colon = '\0';
        value = colon + 1 + strspn(colon + 1, " \t");
        if (strcasecmp(line, "Content-Length") == 0) {
            if (!*value || strlen(value) > 4 || value[strspn(value, "0123456789")] ||
                (clen = (size_t)atoi(value)) > BODY_MAX)
                return GOT_BAD;
        } else if (strcasecmp(line, "Connection") == 0) {
            if (strcasecmp(value, "close") == 0) rq->keep_alive = 0;
            if (strcasecmp(value, "keep-alive") == 0) rq->keep_alive = 1;
        }
    }
    size_t head = (size_t)(end + 4 - c->buf);
    if (head + clen > sizeof c->buf) return GOT_BAD;
    while (c->len < head + clen)
        if (fill(c, 0) <= 0) return GOT_BAD;
    memcpy(rq->body, c->buf + head, clen);
    rq->size = head + clen;
    return GOT_REQUEST;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int respond(int fd, const struct response *rs, int keep_alive)
{
    int st = rs->status;
    const char *reason = st == 200 ? "OK" : st == 202 ? "Accepted" : st == 400 ? "Bad Request"
                       : st == 404 ? "Not Found" : st == 405 ? "Method Not Allowed"
                       : st == 429 ? "Too Many Requests" : "Service Unavailable";
    char out[512 + sizeof rs->body]; /* one send: a second would wait for an ACK */
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: %s\r\n%s\r\n%s",
                     rs->status, reason, rs->type, strlen(rs->body), keep_alive ? "keep-alive" : "close",
                     rs->extra, rs->body);
    return send_all(fd, out, (size_t)n);
}

static void set(struct response *rs, int status, const char *body)
{
    rs->status = status;
    snprintf(rs->body, sizeof rs->body, "%s", body);
}

static enum route route_of(const char *target)
{
    static const char *const exact[] = {"/", "/page", "/signup", "/invite", "/slow", "/stats"};
    if (strncmp(target, "/page/", 6) == 0) return R_PAGE;
    for (int r = 0; r < R_OTHER; r++)
        if (r != R_PAGE && strcmp(target, exact[r]) == 0) return (enum route)r;
    return R_OTHER;
}

/* POST /signup and /invite: queue a mail to the address in the body. */
static void mail_route(const struct request *rq, enum route r, struct response *rs)
{
    const char *to = rq->body + 6, *fmt = r == R_SIGNUP ? "Welcome, %s!" : "You are invited, %s!";
    char text[128];
    if (strncmp(rq->body, "email=", 6) != 0 || !*to || strlen(to) > 60 || to[strcspn(to, " \t\r\n")]) {
        set(rs, 400, "bad request\n");
        return;
    }
    snprintf(text, sizeof text, fmt, to);
    set(rs, 202, "queued\n");
    if (r == R_SIGNUP) {
        if (job_submit(to, text) != 0) set(rs, 503, "busy\n");
        return;
    }
    pthread_t t; /* an invitation goes out at once */
    struct job *j = job_new(to, text);
    if (!j || pthread_create(&t, NULL, inviter, j) != 0) {
        free(j);
        set(rs, 503, "busy\n");
        return;
    }
    pthread_detach(t);
}

/* Answers one parsed request from the client at addr. */
static void handle(const struct request *rq, uint32_t addr, struct response *rs)
{
    enum route r = route_of(rq->target);
    int post = r == R_SIGNUP || r == R_INVITE, retry_s = 0;
    const char *name = rq->target + 6;
    int bad_name = !*name || strlen(name) > 32 || name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-")];
    rs->type = "text/plain";
    rs->extra[0] = '\0';
    if (!limiter_take(addr, &retry_s)) {
        set(rs, 429, "too many requests\n");
        snprintf(rs->extra, sizeof rs->extra, "Retry-After: %d\r\n", retry_s);
    } else if (r == R_OTHER) {
        set(rs, 404, "not found\n");
    } else if (strcmp(rq->method, post ? "POST" : "GET") != 0) {
        set(rs, 405, "method not allowed\n");
        snprintf(rs->extra, sizeof rs->extra, "Allow: %s\r\n", post ? "POST" : "GET");
    } else if (r == R_PAGE && bad_name) {
        set(rs, 404, "not found\n");
    } else if (r == R_PAGE) {
        rs->status = 200;
        rs->type = "text/html";
        if (!cache_get(name, rs->body, sizeof rs->body)) {
            snprintf(rs->body, sizeof rs->body, "<h1>%s</h1>\n<p>This is the %s page.</p>\n", name, name);
            cache_put(name, rs->body);
        }
    } else if (r == R_SIGNUP || r == R_INVITE) {
        mail_route(rq, r, rs);
    } else if (r == R_SLOW) {
        cfg.slow_backend();
        set(rs, 200, "slow done\n");
    } else {
        set(rs, 200, r == R_ROOT ? "hello from racelab\n" : ""); /* /stats: filled in below */
    }
    count_request(r, rs->status);
    if (r == R_STATS && rs->status == 200) render_stats(rs->body, sizeof rs->body);
}

/* Half-closes, reads what the client still sends (closing with unread data
 * would reset the connection under the response), then closes. */
static void linger_close(int fd)
{
    char sink[512];
    struct pollfd p = {fd, POLLIN, 0};
    shutdown(fd, SHUT_WR);
    for (int i = 0; i < 64 && poll(&p, 1, IDLE_MS) == 1 && recv(fd, sink, sizeof sink, 0) > 0; i++) {
    }
    close(fd);
}

/* Serves one connection until the client or the server is done with it.
 * An accepted connection always gets its first request answered. */
static void serve(int fd, uint32_t addr)
{
    struct conn c = {.fd = fd};
    struct request rq;
    struct response rs = {.type = "text/plain"};
    for (int served = 0;; served++) {
        int got = read_request(&c, &rq, served > 0);
        if (got == GOT_EOF || got == GOT_STOP) break;
        if (got == GOT_BAD) {
            rs.type = "text/plain";
            rs.extra[0] = '\0';
            set(&rs, 400, "bad request\n");
            count_request(R_BAD, 400);
            respond(fd, &rs, 0);
            break;
        }
        handle(&rq, addr, &rs);
        int keep = rq.keep_alive && !stopping();
        if (respond(fd, &rs, keep) != 0 || !keep) break;
        c.len -= rq.size;
        memmove(c.buf, c.buf + rq.size, c.len);
    }
    linger_close(fd);
}

/* ---- threads: acceptor and handlers ------------------------------------- */

/* Accepted connections waiting for a handler: the acceptor puts, handlers
 * take; under conn_mu.  conns_closed: set by the acceptor when it stops. */
static pthread_mutex_t conn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conn_cv = PTHREAD_COND_INITIALIZER;
static struct { int fd; uint32_t addr; } conn_queue[CONN_QUEUE];
static int conn_first, conn_count, conns_closed;

static void *handler(void *unused)
{
    for (;;) {
        pthread_mutex_lock(&conn_mu);
        while (conn_count == 0 && !conns_closed) pthread_cond_wait(&conn_cv, &conn_mu);
        if (conn_count == 0) break; /* closed, and every accepted one served */
        int fd = conn_queue[conn_first].fd;
        uint32_t addr = conn_queue[conn_first].addr;
        conn_first = (conn_first + 1) % CONN_QUEUE;
        conn_count--;
        pthread_cond_broadcast(&conn_cv); /* the acceptor may wait for room */
        pthread_mutex_unlock(&conn_mu);
        serve(fd, addr);
    }
    pthread_mutex_unlock(&conn_mu);
    return unused;
}

static void *acceptor(void *unused)
{
    struct pollfd p[2] = {{listen_fd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
    for (;;) {
        int n = poll(p, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || p[1].revents) break;
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int fd = accept4(listen_fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
        if (fd < 0) continue;
        accepted++;
        pthread_mutex_lock(&conn_mu);
        while (conn_count == CONN_QUEUE) pthread_cond_wait(&conn_cv, &conn_mu);
        int at = (conn_first + conn_count++) % CONN_QUEUE;
        conn_queue[at].fd = fd;
        conn_queue[at].addr = ntohl(peer.sin_addr.s_addr);
        pthread_cond_broadcast(&conn_cv);
        pthread_mutex_unlock(&conn_mu);
    }
    close(listen_fd); /* stop accepting: from now on a connect is refused */
    /* Closing the queue lets each handler end once it is empty: connections
     * already accepted are still served. */
    pthread_mutex_lock(&conn_mu);
    conns_closed = 1;
    pthread_cond_broadcast(&conn_cv);
    pthread_mutex_unlock(&conn_mu);
    return unused;
}

/* ---- start, stop, wait --------------------------------------------------- */

void server_stop(void)
{
    int saved = errno; /* a signal handler must leave errno as it found it */
    char byte = 1;
    ssize_t w = write(stop_pipe[1], &byte, 1); /* fails only if a stop is pending */
    (void)w;
    errno = saved;
}

static void on_sigterm(int sig)
{
    (void)sig;
    server_stop();
}

int server_start(const struct server_config *config)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)config->port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    struct sigaction act = {.sa_handler = on_sigterm};
    int err = 0;
    cfg = *config;
    if ((listen_fd = cfg.listen_fd) < 0 &&
        ((listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
         bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(listen_fd, 64) != 0))
        return -1;
    if (getsockname(listen_fd, (struct sockaddr *)&sa, &len) != 0 || pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    sigemptyset(&act.sa_mask);
    sigaction(SIGTERM, &act, NULL);
    for (int i = 0; i < NWORKERS && !err; i++) err = pthread_create(&worker_tid[i], NULL, worker, NULL);
    for (int i = 0; i < NHANDLERS && !err; i++) err = pthread_create(&handler_tid[i], NULL, handler, NULL);
    if (!err) err = pthread_create(&cleaner_tid, NULL, cleaner, NULL);
    if (!err) err = pthread_create(&acceptor_tid, NULL, acceptor, NULL);
    if (err) {
        errno = err; /* the threads already started keep running */
        return -1;
    }
    return ntohs(sa.sin_port);
}

/* Shuts down stage by stage: each stage ends only once nothing before it
 * can feed it any more. */
long server_wait(void)
{
    pthread_join(acceptor_tid, NULL); /* it stopped accepting, closed the queue */
    for (int i = 0; i < NHANDLERS; i++)
        pthread_join(handler_tid[i], NULL); /* every accepted request answered */
    pthread_mutex_lock(&job_mu);            /* no handler is left to submit a job */
    jobs_closed = 1;
    pthread_cond_broadcast(&job_cv);
    pthread_mutex_unlock(&job_mu);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(worker_tid[i], NULL); /* every queued job done */
    pthread_mutex_lock(&clean_mu);
    cleaner_stop = 1;
    pthread_cond_signal(&clean_cv);
    pthread_mutex_unlock(&clean_mu);
    pthread_join(cleaner_tid, NULL);
    signal(SIGTERM, SIG_DFL); /* before closing the pipe its handler writes to */
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    forget_clients(0, 1);
    return accepted;
}
