/* mixed_part.c - the second file of mixed_runtimes.c: a worker that bumps
 * the shared counter.  Whether TSan sees it depends on how this file is
 * compiled (see the Part: lines of mixed_runtimes.c). */
extern int shared;
extern void lock_shared(void), unlock_shared(void);

void *part_worker(void *arg) {
    (void)arg;
#ifdef GOOD
    lock_shared();
    shared++;
    unlock_shared();
#else
    shared++;
#endif
    return 0;
}
