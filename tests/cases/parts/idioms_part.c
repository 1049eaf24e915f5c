/* idioms_part.c - record() of instrumented_idioms.c in a file of its own,
 * so that a variant can build it without -fsanitize=thread. */
void record(long *slot, long v) { *slot += v; }
