/* binary_facts.h - what a program's file says before it runs.
 *
 * A clean run means something only if the detector saw the code.  Before a
 * program runs, its ELF file is read for: the TSan runtime (linked in by
 * clang, imported from libtsan by gcc), static linking (unsupported),
 * compiled-in suppressions and options, and the program's own functions
 * that read or write memory without a single TSan call (a file built
 * without -fsanitize=thread, or no_sanitize("thread")): races there are
 * invisible, so such a program is never called clean.
 */
#ifndef RACELAB_BINARY_FACTS_H
#define RACELAB_BINARY_FACTS_H

#include "finding.h"

struct bin_facts {
    int elf;              /* 0: not an ELF file (a script?): nothing below is known */
    int has_tsan;         /* the TSan runtime is linked in or imported */
    int is_static;        /* no program interpreter: linked statically */
    int has_debug;        /* has DWARF (.debug_info) */
    int links_cmocka;     /* DT_NEEDED names libcmocka */
    int own_suppressions; /* defines __tsan_default_suppressions itself */
    int own_options;      /* defines __tsan_default_options itself */
    char scan_note[256];  /* why the code scan could not run, if it could not */
};

/* Reads the file at path into bf and adds a "not-instrumented" finding to
 * out for each of the program's own functions that touch shared memory
 * without TSan (skip_rl: also skip the lab runtime's rl_* functions, which
 * are built that way on purpose).  0, or -1 if the file cannot be read. */
int binary_facts(const char *path, int skip_rl, struct bin_facts *bf, struct finding_list *out);

#endif
