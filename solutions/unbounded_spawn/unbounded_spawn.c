/* unbounded_spawn.c - webhook delivery for the web service.
 *
 * A fixed pool of DISPATCH_WORKERS worker threads takes jobs from a queue
 * that holds at most DISPATCH_BACKLOG of them, so a burst of events costs
 * a bounded number of threads and a bounded amount of memory.
 * dispatcher_stop() lets the workers finish the queue, then joins them.
 */
#include "unbounded_spawn.h"

#include <errno.h>

/* One delivery waiting for a worker. */
struct delivery {
    void (*deliver)(void *);
    void *event;
};

/* Guards the queue and stopping.  has_work is signalled when a job is
 * queued or the dispatcher stops. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t has_work = PTHREAD_COND_INITIALIZER;
/* The queue, a ring: count jobs from queue[head]; under lock. */
static struct delivery queue[DISPATCH_BACKLOG];
static int head, count;
/* Set by dispatcher_stop(): workers leave once the queue is empty; under
 * lock. */
static int stopping;
static pthread_t workers[DISPATCH_WORKERS];
static int nworkers;

/* Takes jobs off the queue and runs them, until the dispatcher stops and
 * the queue is empty.  The loop always starts with lock held. */
static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (count == 0 && !stopping)
            pthread_cond_wait(&has_work, &lock);
        if (count == 0)
            break;
        struct delivery d = queue[head];
        head = (head + 1) % DISPATCH_BACKLOG;
        count--;
        pthread_mutex_unlock(&lock);
        d.deliver(d.event);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int dispatcher_start(void)
{
    stopping = 0;
    for (nworkers = 0; nworkers < DISPATCH_WORKERS; nworkers++) {
        int err = pthread_create(&workers[nworkers], NULL, worker, NULL);
        if (err) {
            dispatcher_stop();
            return err;
        }
    }
    return 0;
}

int dispatch(void (*deliver)(void *), void *event)
{
    int err = 0;

    /* Backpressure: a full queue refuses the job instead of growing or
     * starting another thread; the caller decides when to retry. */
    pthread_mutex_lock(&lock);
    if (count == DISPATCH_BACKLOG) {
        err = EBUSY;
    } else {
        queue[(head + count) % DISPATCH_BACKLOG] = (struct delivery){deliver, event};
        count++;
        pthread_cond_signal(&has_work);
    }
    pthread_mutex_unlock(&lock);
    return err;
}

void dispatcher_stop(void)
{
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_broadcast(&has_work);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    nworkers = 0;
}
