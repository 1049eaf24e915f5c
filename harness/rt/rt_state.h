/* rt_state.h - the shared-memory thread table the lab runtime keeps.
 *
 * The runtime maps the file named by RACELAB_RT_STATE and keeps one slot per
 * thread up to date: its start function, where it was created, and what it
 * is blocked on right now.  The harness reads the file after the program
 * ended or was killed, so it can say where each thread was stuck (timeout)
 * and which threads were still alive at exit.  Plain fixed-size records:
 * both sides include this header.
 */
#ifndef RACELAB_RT_STATE_H
#define RACELAB_RT_STATE_H

#include <stdint.h>

#define RL_STATE_MAGIC 0x52414345u /* "RACE" */
#define RL_STATE_VERSION 3u
#define RL_STATE_SLOTS 512u        /* slot 0 is the main thread */

enum rl_slot_state {
    RL_SLOT_FREE = 0,
    RL_SLOT_RUNNING = 1,
    RL_SLOT_BLOCKED = 2,  /* inside a wrapped blocking call: op says which */
    RL_SLOT_FINISHED = 3,
};

struct rl_slot {
    uint32_t state;           /* enum rl_slot_state */
    uint32_t detached;        /* 1 when pthread_detach'ed or created detached */
    uint32_t joined;          /* 1 once pthread_join returned it */
    uint32_t pad;
    char fn[48];              /* start function as written at pthread_create */
    char create_site[112];    /* "file.c:42" of the pthread_create call */
    char op[96];              /* e.g. "pthread_cond_wait(&q->not_empty)" */
    char op_site[112];        /* "file.c:57" of that call */
};

struct rl_state {
    uint32_t magic, version, nslots, exited; /* exited: exit() ran its handlers */
    uint32_t main_returned, pad;             /* the program's own main returned */
    int32_t live, peak, created, refused;    /* thread counts (main excluded) */
    uint64_t seed;                           /* schedule perturbation seed used */
    struct rl_slot slot[RL_STATE_SLOTS];
};

#endif
