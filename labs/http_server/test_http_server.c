/* test_http_server.c - the driver for the http_server lab (do not edit).
 *
 * Starts the server on a free port of 127.0.0.1 and talks HTTP to it over
 * real sockets.  Each client thread connects from its own loopback address
 * (127.0.0.N), so the server's per-client rate limiter tells them apart.
 *
 *   1. Load: NCLIENTS clients each run keep-alive and one-shot connections
 *      (pages, signups, invites, 404, 405, HTTP/1.0) and malformed requests;
 *      two more share one address and together burst past its limit.
 *      Every response is checked: status, headers, body.
 *   2. Main steps the fake clock (Retry-After, refill), then checks that
 *      GET /stats counts exactly what the server answered.
 *   3. Shutdown under load: two /slow requests are in flight and clients
 *      keep connecting when main sends SIGTERM.  Every connection the server
 *      accepted must get a full response, every mail queued in phase 1 must
 *      be sent, and no thread may be left once server_wait() returned.
 *
 * The mail service and the slow backend are gates that main opens: mails
 * pile up during phase 1, and /slow stays in flight until the server has
 * stopped accepting.  Time is the fake clock main steps, never the wall's.
 *
 * Max-threads: 18
 * Timeout: 5
 */
#include "http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define NCLIENTS 4     /* phase 1 clients, at 127.0.0.10 ... */
#define NPAGES 40      /* page names p0 .. p39 */
#define BURST 32       /* the limiter: BURST requests at once, */
#define REFILL_MS 2000 /* then one more every REFILL_MS */
#define BURST_HOST 50  /* two burst clients share 127.0.0.50 */
#define BURST_EACH 18  /* requests per burst client: 36 in all, 4 over */
#define LOAD_MAX 300   /* phase 3: connections per load client at most */

enum { GOT_REPLY, GOT_NOTHING, GOT_GARBLED }; /* what an exchange got */
enum route { R_ROOT, R_PAGE, R_SIGNUP, R_INVITE, R_SLOW, R_STATS, R_OTHER, R_BAD, NROUTES };
static const char *const route_name[NROUTES] = {"/", "/page", "/signup", "/invite",
                                                "/slow", "/stats", "other", "bad"};

static int port;
static _Atomic int64_t fake_now; /* ms: main steps it, the server reads it */

/* Driver state shared by the hooks, the clients and main; under drv_mu. */
static pthread_mutex_t drv_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drv_cv = PTHREAD_COND_INITIALIZER;
static int mail_open, slow_open; /* the gates */
static int slow_waiting;         /* /slow requests inside the backend */
static int warm, loaders_done, stop_seen; /* phase 3 progress */
static struct { char to[64], text[128]; } outbox[64];
static int nmail;

/* What one client saw.  Written by its own thread, read by main after the
 * join; main's own requests use main_cl. */
struct client {
    int host, id;
    long by_route[NROUTES], by_class[6]; /* answered requests */
    long conns_answered;                 /* connections with >= 1 response */
    long ok, limited;                    /* burst clients: 200s and 429s */
    int errors;
    char first_error[400];
};
static struct client clients[NCLIENTS + 2], loaders[5], main_cl = {.host = 1};

struct reply {
    int status, close, retry_after;
    long length;
    char type[32], allow[16], body[512];
};
struct link {
    int fd, replies;
};

static int64_t clock_now(void) { return atomic_load(&fake_now); }

static void die(const char *what)
{
    fprintf(stderr, "test_http_server: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void must(int err, const char *call)
{
    if (err) {
        errno = err;
        die(call);
    }
}

/* The mail service: holds every mail until main opens the gate. */
static void send_mail(const char *to, const char *text)
{
    pthread_mutex_lock(&drv_mu);
    while (!mail_open) pthread_cond_wait(&drv_cv, &drv_mu);
    if (nmail < 64) {
        snprintf(outbox[nmail].to, sizeof outbox[0].to, "%s", to);
        snprintf(outbox[nmail].text, sizeof outbox[0].text, "%s", text);
    }
    nmail++;
    pthread_mutex_unlock(&drv_mu);
}

/* The slow backend: answers once main opens its gate. */
static void slow_backend(void)
{
    pthread_mutex_lock(&drv_mu);
    slow_waiting++;
    pthread_cond_broadcast(&drv_cv);
    while (!slow_open) pthread_cond_wait(&drv_cv, &drv_mu);
    pthread_mutex_unlock(&drv_mu);
}

/* Records a failed expectation; main turns it into a check. */
static void fail(struct client *cl, const char *fmt, ...)
{
    va_list ap;
    if (cl->errors++) return;
    va_start(ap, fmt);
    vsnprintf(cl->first_error, sizeof cl->first_error, fmt, ap);
    va_end(ap);
}

/* Connects from 127.0.0.<host>; -1 if refused (or failed: errno says). */
static int link_open(struct link *l, int host)
{
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000000u | (unsigned)host)};
    struct sockaddr_in srv = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    l->replies = 0;
    if ((l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) die("socket");
    if (bind(l->fd, (struct sockaddr *)&me, sizeof me) != 0) die("bind to a 127.0.0.N address");
    if (connect(l->fd, (struct sockaddr *)&srv, sizeof srv) == 0) return 0;
    int err = errno;
    close(l->fd);
    l->fd = -1;
    errno = err;
    return -1;
}

static void link_close(struct client *cl, struct link *l)
{
    close(l->fd);
    if (l->replies) cl->conns_answered++;
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

/* Parses one response head (NUL-terminated, CRLFs included) into r. */
static int parse_head(char *head, struct reply *r)
{
    char *line, *save;
    memset(r, 0, sizeof *r);
    r->length = r->retry_after = -1;
    if (sscanf(head, "HTTP/1.1 %3d ", &r->status) != 1 || r->status < 100 || r->status > 599) return -1;
    strtok_r(head, "\r\n", &save);
    while ((line = strtok_r(NULL, "\r\n", &save))) {
        char *v = strchr(line, ':');
        if (!v) return -1;
        *v++ = '\0';
        v += strspn(v, " ");
        if (!strcasecmp(line, "Content-Length")) r->length = atol(v);
        if (!strcasecmp(line, "Retry-After")) r->retry_after = atoi(v);
        if (!strcasecmp(line, "Connection")) r->close = !strcasecmp(v, "close");
        if (!strcasecmp(line, "Content-Type")) snprintf(r->type, sizeof r->type, "%s", v);
        if (!strcasecmp(line, "Allow")) snprintf(r->allow, sizeof r->allow, "%s", v);
    }
    return r->length < 0 || r->length >= (long)sizeof r->body ? -1 : 0;
}

/* Sends one request (if len) and reads one whole response into r. */
static int exchange(struct link *l, const char *req, size_t len, struct reply *r)
{
    char buf[2048], *end;
    size_t n = 0, head = 0;
    r->length = -1;
    if (send_all(l->fd, req, len) != 0) return GOT_NOTHING;
    while (!head || n < head + (size_t)r->length) {
        if (n == sizeof buf - 1) return GOT_GARBLED;
        ssize_t got = recv(l->fd, buf + n, sizeof buf - 1 - n, 0);
        if (got <= 0) return n ? GOT_GARBLED : GOT_NOTHING;
        n += (size_t)got;
        buf[n] = '\0';
        if (!head && (end = memmem(buf, n, "\r\n\r\n", 4))) {
            char text[1024];
            head = (size_t)(end + 4 - buf);
            if (head >= sizeof text) return GOT_GARBLED;
            memcpy(text, buf, head);
            text[head] = '\0';
            if (parse_head(text, r) != 0) return GOT_GARBLED;
        }
    }
    if (n != head + (size_t)r->length) return GOT_GARBLED; /* more than one response */
    memcpy(r->body, buf + head, (size_t)r->length);
    r->body[r->length] = '\0';
    l->replies++;
    return GOT_REPLY;
}

/* Sends a request and checks the response's status and (unless NULL) body;
 * the answered request is tallied under route.  Returns the GOT_ kind. */
static int ask(struct client *cl, struct link *l, const char *req, size_t len, enum route route,
               int status, const char *body, struct reply *r)
{
    int got = exchange(l, req, len, r);
    char what[48];
    size_t w = 0;
    size_t shown = len ? len : strlen(req);
    for (; w < shown && w < sizeof what - 1 && req[w] != '\r'; w++)
        what[w] = req[w] >= ' ' && req[w] < 127 ? req[w] : '?';
    what[w] = '\0';
    if (got != GOT_REPLY) {
        fail(cl, "client %d: \"%s\": %s", cl->id, what,
             got == GOT_NOTHING ? "no response (connection closed or reset)" : "garbled response");
        return got;
    }
    cl->by_route[route]++;
    cl->by_class[r->status / 100]++;
    if (r->status != status)
        fail(cl, "client %d: \"%s\": status %d, expected %d", cl->id, what, r->status, status);
    else if (body && strcmp(r->body, body) != 0)
        fail(cl, "client %d: \"%s\": body \"%.60s\", expected \"%.60s\"", cl->id, what, r->body, body);
    else if (status == 429 && r->retry_after < 1)
        fail(cl, "client %d: \"%s\": 429 without a Retry-After", cl->id, what);
    return got;
}

/* Builds "METHOD PATH HTTP/1.1" with a body, keep-alive or not. */
static size_t request(char *buf, size_t cap, const char *method, const char *path, const char *body, int keep)
{
    int n = snprintf(buf, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s", method, path,
                     keep ? "" : "Connection: close\r\n");
    if (body)
        n += snprintf(buf + n, cap - (size_t)n, "Content-Type: application/x-www-form-urlencoded\r\n"
                                                "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    else
        n += snprintf(buf + n, cap - (size_t)n, "\r\n");
    return (size_t)n;
}

static void page_html(char *out, size_t cap, int k)
{
    snprintf(out, cap, "<h1>p%d</h1>\n<p>This is the p%d page.</p>\n", k, k);
}

/* After a "Connection: close" response the server must hang up. */
static void expect_closed(struct client *cl, struct link *l, const struct reply *r, const char *what)
{
    char byte;
    if (!r->close) fail(cl, "client %d: %s: no \"Connection: close\"", cl->id, what);
    else if (recv(l->fd, &byte, 1, 0) != 0) fail(cl, "client %d: %s: connection left open", cl->id, what);
}

/* ---- phase 1 ------------------------------------------------------------ */

/* One keep-alive connection of 17 requests: pages, mails, errors. */
static void keep_alive_session(struct client *cl)
{
    struct link l;
    struct reply r;
    char req[512], path[64], body[128], want[160];
    if (link_open(&l, cl->host) != 0) die("connect");
    ask(cl, &l, req, request(req, sizeof req, "GET", "/", NULL, 1), R_ROOT, 200, "hello from racelab\n", &r);
    for (int k = 0; k < 6; k++) {
        int p = (cl->id * 5 + k * 3) % NPAGES;
        snprintf(path, sizeof path, "/page/p%d", p);
        page_html(want, sizeof want, p);
        ask(cl, &l, req, request(req, sizeof req, "GET", path, NULL, 1), R_PAGE, 200, want, &r);
        if (r.status == 200 && strcmp(r.type, "text/html") != 0) fail(cl, "client %d: %s: type %s", cl->id, path, r.type);
    }
    for (int k = 0; k < 6; k++) {
        int invite = k >= 2;
        snprintf(body, sizeof body, "email=%s%d-%d@example.com", invite ? "friend" : "user", cl->id, k);
        ask(cl, &l, req, request(req, sizeof req, "POST", invite ? "/invite" : "/signup", body, 1),
            invite ? R_INVITE : R_SIGNUP, 202, "queued\n", &r);
    }
    ask(cl, &l, req, request(req, sizeof req, "GET", "/missing", NULL, 1), R_OTHER, 404, "not found\n", &r);
    ask(cl, &l, req, request(req, sizeof req, "GET", "/page/Bad_Name", NULL, 1), R_PAGE, 404, "not found\n", &r);
    ask(cl, &l, req, request(req, sizeof req, "DELETE", "/stats", NULL, 1), R_STATS, 405, NULL, &r);
    if (r.status == 405 && strcmp(r.allow, "GET") != 0) fail(cl, "client %d: 405 with Allow \"%s\"", cl->id, r.allow);
    ask(cl, &l, req, request(req, sizeof req, "POST", "/signup", "name=nobody", 1), R_SIGNUP, 400, "bad request\n", &r);
    if (r.close) fail(cl, "client %d: a keep-alive request was answered with Connection: close", cl->id);
    link_close(cl, &l);
}

/* Requests the server must answer with 400 and a hang-up. */
static void malformed_sessions(struct client *cl)
{
    static const char *const bad[] = {
        "GARBAGE\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
        "POST /signup HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "\x01\x02\xff\xfe binary\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n", /* then the client hangs up its side */
    };
    char big[9000], huge_body[800];
    struct link l;
    struct reply r;
    memset(big, 'A', sizeof big);
    snprintf(huge_body, sizeof huge_body, "POST /signup HTTP/1.1\r\nContent-Length: 700\r\n\r\n");
    memset(huge_body + strlen(huge_body), 'x', sizeof huge_body - strlen(huge_body));
    for (int k = 0; k < 9; k++) {
        const char *raw = k < 7 ? bad[k] : k == 7 ? big : huge_body;
        size_t len = k < 7 ? strlen(raw) : k == 7 ? sizeof big : sizeof huge_body;
        if (link_open(&l, cl->host) != 0) die("connect");
        if (k == 6) {
            send_all(l.fd, raw, len);
            shutdown(l.fd, SHUT_WR);
            len = 0;
        }
        if (ask(cl, &l, raw, len, R_BAD, 400, "bad request\n", &r) == GOT_REPLY) expect_closed(cl, &l, &r, "400");
        link_close(cl, &l);
    }
}

static void *client(void *arg)
{
    struct client *cl = arg;
    struct link l;
    struct reply r;
    char req[512], path[64], want[160];
    keep_alive_session(cl);
    for (int k = 0; k < 4; k++) { /* one request per connection */
        int p = (cl->id * 7 + k) % NPAGES;
        snprintf(path, sizeof path, "/page/p%d", p);
        page_html(want, sizeof want, p);
        if (link_open(&l, cl->host) != 0) die("connect");
        if (ask(cl, &l, req, request(req, sizeof req, "GET", path, NULL, 0), R_PAGE, 200, want, &r) == GOT_REPLY)
            expect_closed(cl, &l, &r, path);
        link_close(cl, &l);
    }
    if (link_open(&l, cl->host) != 0) die("connect");
    const char *old = "GET / HTTP/1.0\r\n\r\n"; /* HTTP/1.0: closes by default */
    if (ask(cl, &l, old, strlen(old), R_ROOT, 200, "hello from racelab\n", &r) == GOT_REPLY)
        expect_closed(cl, &l, &r, "HTTP/1.0");
    link_close(cl, &l);
    malformed_sessions(cl);
    return NULL;
}

/* Half of a burst from one address: 200 until the bucket is empty, then 429. */
static void *burst_client(void *arg)
{
    struct client *cl = arg;
    struct link l;
    struct reply r;
    char req[256];
    size_t len = request(req, sizeof req, "GET", "/", NULL, 1);
    if (link_open(&l, cl->host) != 0) die("connect");
    for (int k = 0; k < BURST_EACH; k++) {
        if (exchange(&l, req, len, &r) != GOT_REPLY) {
            fail(cl, "burst client %d: no response to request %d", cl->id, k);
            break;
        }
        cl->by_route[R_ROOT]++;
        cl->by_class[r.status / 100]++;
        if (r.status == 200 && strcmp(r.body, "hello from racelab\n") == 0)
            cl->ok++;
        else if (r.status == 429 && r.retry_after == REFILL_MS / 1000 && !strcmp(r.body, "too many requests\n"))
            cl->limited++;
        else
            fail(cl, "burst client %d: status %d, Retry-After %d, body \"%.40s\"", cl->id, r.status,
                 r.retry_after, r.body);
    }
    link_close(cl, &l);
    return NULL;
}

/* ---- phase 3 ------------------------------------------------------------ */

static void *slow_client(void *arg)
{
    struct client *cl = arg;
    struct link l;
    struct reply r;
    char req[256];
    if (link_open(&l, cl->host) != 0) die("connect");
    if (ask(cl, &l, req, request(req, sizeof req, "GET", "/slow", NULL, 0), R_SLOW, 200, "slow done\n", &r) ==
        GOT_REPLY)
        expect_closed(cl, &l, &r, "/slow");
    link_close(cl, &l);
    return NULL;
}

/* Tells main once a load client got its third response. */
static void loader_progress(int *replies)
{
    if (++*replies != 3) return;
    pthread_mutex_lock(&drv_mu);
    warm++;
    pthread_cond_broadcast(&drv_cv);
    pthread_mutex_unlock(&drv_mu);
}

/* Keeps the server busy until it refuses: one request per connection, or
 * (keep_alive) as many as the server allows on each.  A connection that got
 * no byte back is one the server had not accepted yet: allowed. */
static void *load_client(void *arg)
{
    struct client *cl = arg;
    int keep = cl->id == 4, replies = 0, stop = 0;
    char req[256], path[64];
    struct link l = {-1, 0};
    for (int k = 0; k < LOAD_MAX && !stop; k++) {
        struct reply r;
        snprintf(path, sizeof path, keep ? "/" : "/page/p%d", k % NPAGES);
        if (l.fd < 0 && link_open(&l, cl->host) != 0) {
            if (errno != ECONNREFUSED && errno != ECONNRESET) die("connect");
            stop = 1; /* refused, or reset while the listener closed */
            break;
        }
        int got = exchange(&l, req, request(req, sizeof req, "GET", path, NULL, keep), &r);
        if (got == GOT_GARBLED) fail(cl, "load client %d: a garbled or partial response", cl->id);
        if (got == GOT_REPLY && r.status != 200 && (r.status != 429 || r.retry_after < 1))
            fail(cl, "load client %d: %s: status %d", cl->id, path, r.status);
        if (got == GOT_NOTHING && !l.replies) stop = 1; /* reset before accepted: the server stops */
        if (got == GOT_REPLY) loader_progress(&replies);
        if (got != GOT_REPLY || r.close || !keep) {
            link_close(cl, &l);
            l.fd = -1;
        }
    }
    if (l.fd >= 0) link_close(cl, &l);
    pthread_mutex_lock(&drv_mu);
    if (replies < 3) warm++; /* never got going: do not keep main waiting */
    loaders_done++;
    stop_seen |= stop;
    pthread_cond_broadcast(&drv_cv);
    pthread_mutex_unlock(&drv_mu);
    return NULL;
}

/* ---- main ---------------------------------------------------------------- */

/* Reads "KEY N" from a /stats body; -1 if absent. */
static long stat_of(const char *stats, const char *key)
{
    char pat[64];
    int n = snprintf(pat, sizeof pat, "%s ", key);
    for (const char *p = stats; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, pat, (size_t)n) == 0) return atol(p + n);
    return -1;
}

/* Main's own request from 127.0.0.<host>, one per connection. */
static void main_get(int host, const char *path, enum route route, int status, int retry_after, struct reply *r)
{
    struct link l;
    char req[256];
    main_cl.host = host;
    if (link_open(&l, host) != 0) die("connect");
    ask(&main_cl, &l, req, request(req, sizeof req, "GET", path, NULL, 0), route, status, NULL, r);
    if (retry_after && r->retry_after != retry_after)
        fail(&main_cl, "%s at t=%ld ms: Retry-After %d, expected %d", path, (long)clock_now(), r->retry_after,
             retry_after);
    link_close(&main_cl, &l);
}

static void check_client(const struct client *cl)
{
    RL_CHECK(cl->errors == 0, "%d wrong response(s); the first: %s", cl->errors, cl->first_error);
}

int main(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t salen = sizeof sa;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 64) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0)
        die("listening socket on 127.0.0.1");
    port = ntohs(sa.sin_port);
    struct server_config cfg = {lfd, 0, BURST, REFILL_MS, clock_now, send_mail, slow_backend};
    int got_port = server_start(&cfg);
    RL_CHECK_EQ(got_port, port, "server_start() on the given socket: the port");
    if (got_port != port) return 0;

    /* 1. load */
    pthread_t tid[NCLIENTS + 2], ltid[5];
    for (int i = 0; i < NCLIENTS + 2; i++) {
        int burst = i >= NCLIENTS;
        clients[i].id = i;
        clients[i].host = burst ? BURST_HOST : 10 + i;
        must(pthread_create(&tid[i], NULL, burst ? burst_client : client, &clients[i]), "pthread_create");
    }
    for (int i = 0; i < NCLIENTS + 2; i++) must(pthread_join(tid[i], NULL), "pthread_join");

    /* 2. the clock, then the counts */
    struct reply r;
    long burst_ok = clients[NCLIENTS].ok + clients[NCLIENTS + 1].ok;
    long burst_429 = clients[NCLIENTS].limited + clients[NCLIENTS + 1].limited;
    RL_CHECK(burst_ok == BURST && burst_429 == 2 * BURST_EACH - BURST,
             "burst of %d from one address: %ld admitted, %ld refused with 429; expected %d and %d",
             2 * BURST_EACH, burst_ok, burst_429, BURST, 2 * BURST_EACH - BURST);
    atomic_store(&fake_now, REFILL_MS); /* one token back */
    main_get(BURST_HOST, "/", R_ROOT, 200, 0, &r);
    main_get(BURST_HOST, "/", R_ROOT, 429, 2, &r);
    atomic_store(&fake_now, REFILL_MS + 1000);
    main_get(BURST_HOST, "/", R_ROOT, 429, 1, &r);
    atomic_store(&fake_now, 2 * REFILL_MS);
    main_get(BURST_HOST, "/", R_ROOT, 200, 0, &r);
    atomic_store(&fake_now, 100000); /* every client is stale now: the cleaner may drop them */

    struct client want = {0};
    want.by_route[R_STATS]++; /* the /stats request counts itself */
    want.by_class[2]++;
    for (int i = 0; i < NCLIENTS + 3; i++) {
        const struct client *cl = i < NCLIENTS + 2 ? &clients[i] : &main_cl;
        for (int k = 0; k < NROUTES; k++) want.by_route[k] += cl->by_route[k];
        for (int c = 1; c <= 5; c++) want.by_class[c] += cl->by_class[c];
    }
    main_get(1, "/stats", R_STATS, 200, 0, &r);
    long total = 0;
    for (int k = 0; k < NROUTES; k++) {
        char key[32];
        snprintf(key, sizeof key, "route %s", route_name[k]);
        RL_CHECK(stat_of(r.body, key) == want.by_route[k], "GET /stats: \"%s\" is %ld, the server answered %ld",
                 key, stat_of(r.body, key), want.by_route[k]);
        total += want.by_route[k];
    }
    for (int c = 2; c <= 5; c++) {
        char key[32];
        snprintf(key, sizeof key, "status %dxx", c);
        RL_CHECK(stat_of(r.body, key) == want.by_class[c], "GET /stats: \"%s\" is %ld, the server answered %ld",
                 key, stat_of(r.body, key), want.by_class[c]);
    }
    RL_CHECK(stat_of(r.body, "requests") == total, "GET /stats: \"requests\" is %ld, the server answered %ld",
             stat_of(r.body, "requests"), total);

    /* 3. SIGTERM under load, with two /slow requests in flight */
    for (int i = 0; i < 5; i++) {
        loaders[i].id = i;
        loaders[i].host = 30 + i;
        must(pthread_create(&ltid[i], NULL, i < 2 ? slow_client : load_client, &loaders[i]), "pthread_create");
    }
    pthread_mutex_lock(&drv_mu);
    while (slow_waiting < 2 || warm < 3) pthread_cond_wait(&drv_cv, &drv_mu);
    pthread_mutex_unlock(&drv_mu);
    if (kill(getpid(), SIGTERM) != 0) die("kill");
    pthread_mutex_lock(&drv_mu);
    while (!stop_seen && loaders_done < 3) pthread_cond_wait(&drv_cv, &drv_mu);
    int stopped = stop_seen;
    mail_open = slow_open = 1; /* in-flight requests and queued mails may finish now */
    pthread_cond_broadcast(&drv_cv);
    pthread_mutex_unlock(&drv_mu);
    long accepted = server_wait();
    pthread_mutex_lock(&drv_mu);
    int mails = nmail; /* the mails sent before server_wait() returned */
    pthread_mutex_unlock(&drv_mu);
    for (int i = 0; i < 5; i++) must(pthread_join(ltid[i], NULL), "pthread_join");
    int live = rl_threads_live(); /* the driver's threads are all joined */

    RL_CHECK(stopped, "after SIGTERM the server kept accepting connections (%d each)", LOAD_MAX);
    long answered = main_cl.conns_answered;
    for (int i = 0; i < NCLIENTS + 2; i++) answered += clients[i].conns_answered;
    for (int i = 0; i < 5; i++) answered += loaders[i].conns_answered;
    RL_CHECK(accepted == answered, "the server accepted %ld connections but only %ld got a response", accepted,
             answered);
    RL_CHECK(live == 0, "%d server thread(s) still running after server_wait() returned", live);
    RL_CHECK_EQ(mails, NCLIENTS * 6, "mails sent by the time server_wait() returned");
    pthread_mutex_lock(&drv_mu); /* a stray sender may still be writing */
    for (int i = 0; i < NCLIENTS && mails == NCLIENTS * 6; i++)
        for (int k = 0; k < 6; k++) {
            char to[64], text[128];
            int found = 0;
            snprintf(to, sizeof to, "%s%d-%d@example.com", k >= 2 ? "friend" : "user", i, k);
            snprintf(text, sizeof text, k >= 2 ? "You are invited, %s!" : "Welcome, %s!", to);
            for (int m = 0; m < mails && m < 64; m++)
                found += !strcmp(outbox[m].to, to) && !strcmp(outbox[m].text, text);
            RL_CHECK(found == 1, "mail to %s sent %d times, expected once", to, found);
        }
    pthread_mutex_unlock(&drv_mu);
    for (int i = 0; i < NCLIENTS + 2; i++) check_client(&clients[i]);
    for (int i = 0; i < 5; i++) check_client(&loaders[i]);
    check_client(&main_cl);
    return 0;
}
