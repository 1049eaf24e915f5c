/* pool_shutdown.h - the background job pool of the web service.
 *
 * Request handlers hand slow work (sending mail, resizing images) to a
 * pool of POOL_WORKERS worker threads and answer at once.  When the
 * service stops (a deploy, a restart), it shuts the pool down gracefully:
 * the work already accepted is done, then the workers end.
 */
#ifndef POOL_SHUTDOWN_H
#define POOL_SHUTDOWN_H

#define POOL_WORKERS 3

struct pool;

/* Starts a pool of POOL_WORKERS workers.  Returns NULL when memory or
 * threads ran out. */
struct pool *pool_start(void);

/* Queues job(arg) for a worker.  Returns 0 when accepted (it will run
 * exactly once, on a worker), ECANCELED once pool_shutdown() has begun (it
 * will not run), or ENOMEM (it will not run).  Safe to call from any
 * number of threads, also while pool_shutdown() runs. */
int pool_submit(struct pool *p, void (*job)(void *), void *arg);

/* Graceful stop: every job accepted before it runs, then the workers end.
 * When it returns, no worker thread is left. */
void pool_shutdown(struct pool *p);

/* Releases the pool; call after pool_shutdown(). */
void pool_free(struct pool *p);

#endif
