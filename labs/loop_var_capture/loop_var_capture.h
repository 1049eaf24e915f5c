/* loop_var_capture.h - the nightly sales total, summed in parallel.
 *
 * The day's order amounts are split into NSHARDS shards of (nearly) equal
 * size; one summer thread per shard adds its shard up.
 */
#ifndef LOOP_VAR_CAPTURE_H
#define LOOP_VAR_CAPTURE_H

#define NSHARDS 4

/* Sums cents[0..n) with one thread per shard.  Returns the sum, or -1 when
 * a thread could not be started. */
long parallel_sum(const long *cents, int n);

#endif
