/* opt_out.h - opt-outs spelled by macros in a header of the checked file's
 * own, where a search of the file (even preprocessed without its headers)
 * cannot see them; see *_in_header.c. */
#define PASTE(a, b) a##b
#define OPT_OUT(what) __attribute__((PASTE(no_, sanitize)(what)))
#define HOOK(name) PASTE(__tsan_default_, name)
