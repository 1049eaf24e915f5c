/* binary_facts.c - what a program's file says before it runs (see binary_facts.h):
 * ELF headers and symbols, then a scan of the program's own code. */
#include "binary_facts.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "racelab_config.h"
#include "run_child.h"
#include "tsan_env.h"


/* A program function found by the scan. */
struct bin_func {
    char name[128];
    uint64_t addr, size;
    int tsan_access;      /* calls __tsan_read/write/atomic...: its accesses are instrumented */
    int tsan_any;         /* calls any __tsan_ function (func_entry too): built with TSan */
    int sret;             /* hands its first argument back: it may be a struct's return slot */
    int global_writes, global_reads; /* accesses to the program's writable globals */
    int pointer_writes;   /* stores through pointers to memory that is not the stack */
};

/* Code that touches shared memory without a TSan access call.  A function
 * built with TSan (it calls __tsan_func_entry) counts only for globals:
 * compilers add uninstrumented pointer stores of their own there (varargs,
 * gcc's inline memcpy).  Loads through pointers never count (gcc expands
 * strcmp into them after instrumenting). */
static int bin_uninstrumented(const struct bin_func *f) {
    if (f->tsan_access) return 0;
    return f->global_writes || f->global_reads || (!f->tsan_any && f->pointer_writes);
}

/* What a register or a stack slot holds, as far as the scan can tell. */
enum bin_val { BV_UNKNOWN, BV_CONST, BV_RETSLOT, BV_STACK, BV_GLOBAL };

/* The scan's state inside one function. */
struct bin_state {
    unsigned char reg[16];
    int frame;                      /* rbp is the frame pointer */
    long slot_off[16];              /* values spilled to the frame (-O0) */
    unsigned char slot_val[16];
    int nslots;
};

static void bin_state_reset(struct bin_state *st, const struct bin_func *f) {
    memset(st, 0, sizeof *st);
    st->reg[7] = BV_STACK;                      /* %rsp */
    if (f && f->sret) st->reg[5] = BV_RETSLOT;  /* %rdi */
}

static unsigned char *bin_slot(struct bin_state *st, long off, int create) {
    for (int i = 0; i < st->nslots; i++)
        if (st->slot_off[i] == off) return &st->slot_val[i];
    if (!create || st->nslots == 16) return NULL;
    st->slot_off[st->nslots] = off;
    st->slot_val[st->nslots] = BV_UNKNOWN;
    return &st->slot_val[st->nslots++];
}

#define BIN_MAX_FUNCS 512

/* The runtime's and the C library's functions: never the program's code. */
static int bin_runtime_name(const char *n, int skip_rl) {
    static const char *const prefix[] = {"_Z", "__", "_GLOBAL_", "Annotate", "WTFAnnotate", "real_",
                                         "tsan.", "asan.", "ubsan.", "sancov.", "_dl_", "_init", "_fini"};
    static const char *const exact[] = {"_start", "deregister_tm_clones", "register_tm_clones", "frame_dummy",
                                        "RunningOnValgrind", "ValgrindSlowdown", "ThreadSanitizerQuery",
                                        "setjmp", "_setjmp", "sigsetjmp", "longjmp", "_longjmp", "siglongjmp",
                                        "data_start", "atexit", "at_quick_exit", "OnPrint"};
    if (skip_rl && strncmp(n, "rl_", 3) == 0) return 1; /* the lab runtime (racelab_rt.c) */
    for (size_t i = 0; i < sizeof prefix / sizeof prefix[0]; i++)
        if (strncmp(n, prefix[i], strlen(prefix[i])) == 0) return 1;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(n, exact[i]) == 0) return 1;
    return 0;
}

/* The 16 general registers: an index for any width of one, or -1. */
static int bin_reg(const char *r, size_t n) {
    static const char *const names[16][5] = {
        {"rax", "eax", "ax", "al", "ah"}, {"rbx", "ebx", "bx", "bl", "bh"}, {"rcx", "ecx", "cx", "cl", "ch"},
        {"rdx", "edx", "dx", "dl", "dh"}, {"rsi", "esi", "si", "sil", ""},  {"rdi", "edi", "di", "dil", ""},
        {"rbp", "ebp", "bp", "bpl", ""},  {"rsp", "esp", "sp", "spl", ""}};
    if (n && r[0] == '%') r++, n--;
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 5; k++)
            if (names[i][k][0] && strlen(names[i][k]) == n && strncmp(r, names[i][k], n) == 0) return i;
    if (n >= 2 && r[0] == 'r' && r[1] >= '0' && r[1] <= '9') {
        int v = atoi(r + 1);
        if (v >= 8 && v <= 15) return v;
    }
    return -1;
}

struct bin_ranges {
    uint64_t lo[32], hi[32];
    int n;
};

static int bin_in(const struct bin_ranges *r, uint64_t a) {
    for (int i = 0; i < r->n; i++)
        if (a >= r->lo[i] && a < r->hi[i]) return 1;
    return 0;
}

/* Reads one disassembled instruction (AT&T syntax) of f: marks TSan calls
 * and counts accesses to memory another thread could share, following
 * where each register's address came from (st). */
static void bin_insn(struct bin_func *f, const char *text, const struct bin_ranges *data, struct bin_state *st) {
    static const char *const prefixes[] = {"lock", "rep", "repz", "repnz", "repe", "repne", "data16",
                                           "notrack", "bnd", "cs", "ds", "es", "ss", "addr32"};
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    char *comment = strchr(buf, '#');
    uint64_t target = 0;
    int has_target = 0;
    if (comment) {
        *comment = '\0';
        char *end;
        target = strtoull(comment + 1, &end, 16);
        has_target = end != comment + 1;
    }
    char *p = buf, *mn;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        mn = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = '\0';
        int is_prefix = 0;
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) is_prefix |= strcmp(mn, prefixes[i]) == 0;
        if (!is_prefix || !*p) break;
    }
    while (*p == ' ' || *p == '\t') p++;
    char *ops = p;
    for (char *e = ops + strlen(ops); e > ops && (e[-1] == ' ' || e[-1] == '\t'); e--) e[-1] = '\0';
    if (!strncmp(mn, "call", 4) || !strncmp(mn, "jmp", 3)) {
        static const char *const access[] = {"__tsan_read", "__tsan_write", "__tsan_unaligned",
                                             "__tsan_atomic", "__tsan_vptr", "__tsan_volatile"};
        const char *lt = strchr(text, '<');
        for (size_t i = 0; lt && i < sizeof access / sizeof access[0]; i++)
            if (!strncmp(lt + 1, access[i], strlen(access[i]))) f->tsan_access = 1;
        if (lt && !strncmp(lt + 1, "__tsan_", 7)) f->tsan_any = 1;
        if (!strncmp(mn, "call", 4)) /* a call keeps only the callee-saved registers */
            for (int r = 0; r < 16; r++)
                if (!(r == 1 || r == 6 || r == 7 || r >= 12)) st->reg[r] = BV_UNKNOWN;
        return;
    }
    if (!strncmp(mn, "nop", 3) || !strncmp(mn, "endbr", 5) || !strncmp(mn, "prefetch", 8) || mn[0] == 'j' ||
        !strncmp(mn, "ret", 3) || !strncmp(mn, "push", 4) || !strncmp(mn, "pop", 3) || !strncmp(mn, "leave", 5) ||
        strstr(ops, "%es:") || strstr(ops, "%fs:") || strstr(ops, "%gs:"))
        return; /* no data access, string instructions (inline memcpy), thread-local data */
    if (!strncmp(mn, "mov", 3) && !strcmp(ops, "%rsp,%rbp")) {
        st->frame = 1;
        st->reg[6] = BV_STACK;
        return;
    }
    /* The destination is the last operand, outside parentheses. */
    char *dest = ops;
    int depth = 0;
    for (char *q = ops; *q; q++) {
        if (*q == '(') depth++;
        else if (*q == ')') depth--;
        else if (*q == ',' && depth == 0) dest = q + 1;
    }
    int dreg = dest[0] == '%' && !strchr(dest, '(') ? bin_reg(dest, strlen(dest)) : -1;
    int sreg = ops[0] == '%' && dest > ops ? bin_reg(ops, (size_t)(dest - 1 - ops)) : -1;
    int reads_only = !strncmp(mn, "cmp", 3) || !strncmp(mn, "test", 4) || !strncmp(mn, "bt", 2) ||
                     !strncmp(mn, "ucomis", 6) || !strncmp(mn, "comis", 5);
    int is_mov = !strncmp(mn, "mov", 3) && strncmp(mn, "movs", 4) && strncmp(mn, "movz", 4);
    char *open = strchr(ops, '(');
    if (open) {
        /* disp(base,index,scale): what the address points to */
        char *base = open + 1;
        size_t bn = strcspn(base, ",)");
        int rip = bn == 4 && !strncmp(base, "%rip", 4);
        int breg = rip ? -1 : bin_reg(base, bn), ireg = -1;
        if (base[bn] == ',') ireg = bin_reg(base + bn + 1, strcspn(base + bn + 1, ",)"));
        int val = BV_UNKNOWN;
        if (rip) val = has_target && bin_in(data, target) ? BV_GLOBAL : BV_CONST;
        else if (breg >= 0) val = st->reg[breg];
        if (val == BV_UNKNOWN && ireg >= 0 && (st->reg[ireg] == BV_CONST || st->reg[ireg] == BV_GLOBAL))
            val = st->reg[ireg];
        if (!strncmp(mn, "lea", 3)) {
            if (dreg >= 0) st->reg[dreg] = (unsigned char)val;
            return;
        }
        int store = !reads_only && strchr(dest, '(') != NULL;
        if (val == BV_GLOBAL) store ? f->global_writes++ : f->global_reads++;
        else if (val == BV_UNKNOWN && store) f->pointer_writes++;
        /* A value spilled to the frame and read back keeps what it was (-O0). */
        long off = strtol(ops[0] == '(' ? "0" : (store ? dest : ops), NULL, 0);
        int frame_slot = breg == 6 && st->frame && ireg < 0;
        if (frame_slot && store) {
            unsigned char *slot = bin_slot(st, off, is_mov && sreg >= 0);
            if (slot) *slot = is_mov && sreg >= 0 ? st->reg[sreg] : BV_UNKNOWN;
            return;
        }
        if (dreg >= 0 && !reads_only) {
            unsigned char *slot = frame_slot && is_mov ? bin_slot(st, off, 0) : NULL;
            st->reg[dreg] = slot ? *slot : BV_UNKNOWN;
        }
        return;
    }
    if (dreg < 0 || reads_only) return;
    if (is_mov && sreg >= 0) {
        st->reg[dreg] = st->reg[sreg]; /* a copy */
    } else if (!(st->reg[dreg] != BV_UNKNOWN && (!strncmp(mn, "add", 3) || !strncmp(mn, "sub", 3) ||
                                                  !strncmp(mn, "inc", 3) || !strncmp(mn, "dec", 3)))) {
        st->reg[dreg] = BV_UNKNOWN; /* stepping through a table keeps what it points into */
    }
}

/* Disassembles [lo, hi) of path with objdump and reads the functions in
 * it.  0, or -1 when no disassembler could be run (why in note). */
static int bin_disassemble(const char *path, uint64_t lo, uint64_t hi, struct bin_func *fn, int nfn,
                           const struct bin_ranges *data, char *note, size_t notecap) {
    char start[40], stop[40];
    snprintf(start, sizeof start, "--start-address=0x%" PRIx64, lo);
    snprintf(stop, sizeof stop, "--stop-address=0x%" PRIx64, hi);
    char llvm[600] = "";
    const char *sym = tsan_symbolizer();
    if (sym) {
        snprintf(llvm, sizeof llvm, "%s", sym);
        char *slash = strrchr(llvm, '/');
        if (slash) snprintf(slash + 1, sizeof llvm - (size_t)(slash + 1 - llvm), "llvm-objdump");
    }
    const char *tools[] = {"objdump", "/usr/bin/objdump", "/usr/bin/llvm-objdump", llvm};
    extern char **environ;
    for (size_t t = 0; t < sizeof tools / sizeof tools[0]; t++) {
        if (!tools[t][0]) continue;
        char *argv[] = {(char *)tools[t], "-d", "--no-show-raw-insn", start, stop, (char *)path, NULL};
        struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
        rq.limits.timeout_s = 30;
        rq.limits.max_output = 64u << 20;
        struct run_result rr;
        if (run_child(&rq, &rr) != 0) break;
        if (rr.end != RUN_EXITED || rr.exit_code != 0) {
            run_result_free(&rr);
            continue;
        }
        struct bin_func *cur = NULL;
        struct bin_state st;
        /* First pass: which functions hand their first argument back, as a
         * function returning a struct hands back its return slot: "mov
         * %rdi,%rax", or at -O0 through a frame slot ("mov %rdi,-0x28(%rbp)"
         * ... "mov -0x28(%rbp),%rax" right before the return). */
        char spill[32] = "";
        int pending = 0; /* the spilled first argument was just loaded into %rax */
        for (char *line = rr.output; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
            size_t n = strcspn(line, "\n");
            if (line[0] != ' ' && n) {
                uint64_t a = strtoull(line, NULL, 16);
                cur = NULL;
                spill[0] = '\0';
                pending = 0;
                for (int i = 0; i < nfn && !cur; i++)
                    if (fn[i].addr == a) cur = &fn[i];
                continue;
            }
            char ins[200];
            snprintf(ins, sizeof ins, "%.*s", (int)(n < sizeof ins ? n : sizeof ins - 1), line);
            if (pending && cur) { /* ... and is what the function returns */
                if (strstr(ins, "ret")) cur->sret = 1;
                if (!strstr(ins, "pop") && !strstr(ins, "leave") && !strstr(ins, "nop") && !strstr(ins, ",%rsp"))
                    pending = 0;
                continue;
            }
            char *m = cur ? strstr(ins, "mov") : NULL;
            if (!m) continue;
            m += strcspn(m, " \t");
            m += strspn(m, " \t");
            m[strcspn(m, " \t#")] = '\0';
            size_t ml = strlen(m);
            if (!strcmp(m, "%rdi,%rax")) cur->sret = 1;
            else if (!strncmp(m, "%rdi,", 5) && ml > 11 && !strcmp(m + ml - 6, "(%rbp)"))
                snprintf(spill, sizeof spill, "%.*s", (int)(ml - 5), m + 5);
            else if (spill[0] && !strncmp(m, spill, strlen(spill)) && !strcmp(m + strlen(spill), ",%rax"))
                pending = 1;
        }
        cur = NULL;
        for (char *line = rr.output; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            char *lt = strchr(line, '<');
            size_t len = strlen(line);
            if (line[0] != ' ' && lt && len > 2 && line[len - 1] == ':' && line[len - 2] == '>') {
                uint64_t a = strtoull(line, NULL, 16);
                cur = NULL;
                for (int i = 0; i < nfn && !cur; i++)
                    if (fn[i].addr == a) cur = &fn[i];
                bin_state_reset(&st, cur);
            } else if (cur) {
                char *colon = strchr(line, ':');
                char *q = line;
                while (*q == ' ') q++;
                if (colon && q < colon && strspn(q, "0123456789abcdef") == (size_t)(colon - q))
                    bin_insn(cur, colon + 1, data, &st);
            }
            line = nl ? nl + 1 : NULL;
        }
        run_result_free(&rr);
        return 0;
    }
    snprintf(note, notecap, "no objdump found (apt-get install binutils): the program's code was not checked "
                            "for parts built without ThreadSanitizer");
    return -1;
}

/* Adds file:line (from the symbolizer) to the not-instrumented findings
 * first..list->len-1, whose functions start at addrs[]. */
static void bin_locate(const char *path, struct finding_list *list, size_t first, const uint64_t *addrs) {
    const char *sym = tsan_symbolizer();
    size_t n = list->len - first;
    if (!sym || n == 0 || n > 64) return;
    char *argv[70], hex[64][24], obj[1100];
    int k = 0;
    snprintf(obj, sizeof obj, "--obj=%s", path);
    argv[k++] = (char *)sym;
    argv[k++] = obj;
    for (size_t i = 0; i < n; i++) {
        snprintf(hex[i], sizeof hex[i], "0x%" PRIx64, addrs[i]);
        argv[k++] = hex[i];
    }
    argv[k] = NULL;
    extern char **environ;
    struct run_request rq = {argv, environ, NULL, 0, run_default_limits(), NULL, NULL};
    rq.limits.timeout_s = 20;
    struct run_result rr;
    if (run_child(&rq, &rr) != 0) return;
    /* Each address gives "function\nfile:line:column\n\n". */
    char *line = rr.end == RUN_EXITED ? rr.output : NULL;
    for (size_t i = 0; i < n && line; i++) {
        char *l1 = strchr(line, '\n');
        if (!l1) break;
        char *loc = l1 + 1, *l2 = strchr(loc, '\n');
        if (!l2) break;
        *l2 = '\0';
        char *c1 = strchr(loc, ':');
        struct finding *f = &list->items[first + i];
        if (c1 && loc[0] != '?') {
            *c1 = '\0';
            finding_set(&f->acc[0].loc.file, loc);
            f->acc[0].loc.line = atoi(c1 + 1);
        }
        line = l2 + 1;
        while (*line == '\n') line++;
    }
    run_result_free(&rr);
}

/* Looks through the program's own functions for code built without TSan;
 * adds one "not-instrumented" finding per such function to out. */
static void bin_scan_code(const char *path, const Elf64_Sym *syms, size_t nsyms, const char *str, size_t strn,
                          const Elf64_Shdr *sh, int shnum, const char *shstr, size_t shstrn, int skip_rl,
                          struct bin_facts *bf, struct finding_list *out) {
    struct bin_ranges data = {{0}, {0}, 0};
    int text_ndx = -1;
    for (int i = 0; i < shnum; i++) {
        const char *nm = sh[i].sh_name < shstrn ? shstr + sh[i].sh_name : "";
        if (!strcmp(nm, ".text")) text_ndx = i;
        if ((sh[i].sh_flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE) || (sh[i].sh_flags & SHF_TLS))
            continue;
        if (!strncmp(nm, ".got", 4) || !strncmp(nm, ".data.rel.ro", 12) || !strcmp(nm, ".dynamic") ||
            !strcmp(nm, ".init_array") || !strcmp(nm, ".fini_array") || data.n == 32)
            continue;
        data.lo[data.n] = sh[i].sh_addr;
        data.hi[data.n++] = sh[i].sh_addr + sh[i].sh_size;
    }
    static struct bin_func fn[BIN_MAX_FUNCS];
    int nfn = 0;
    for (size_t i = 0; i < nsyms && nfn < BIN_MAX_FUNCS; i++) {
        const Elf64_Sym *s = &syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || (int)s->st_shndx != text_ndx || !s->st_size ||
            ELF64_ST_BIND(s->st_info) == STB_WEAK || s->st_name >= strn)
            continue;
        const char *name = str + s->st_name;
        if (bin_runtime_name(name, skip_rl)) continue;
        int alias = 0; /* an interceptor's plain name sits on the runtime's address */
        for (size_t j = 0; j < nsyms && !alias; j++)
            alias = syms[j].st_value == s->st_value && j != i && syms[j].st_name < strn &&
                    ELF64_ST_TYPE(syms[j].st_info) == STT_FUNC && bin_runtime_name(str + syms[j].st_name, 0);
        if (alias) continue;
        struct bin_func *f = &fn[nfn++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "%s", name);
        f->addr = s->st_value;
        f->size = s->st_size;
    }
    /* One disassembly per cluster of nearby functions. */
    for (int i = 0; i < nfn;) {
        uint64_t lo = fn[i].addr, hi = fn[i].addr + fn[i].size;
        int j = i + 1;
        for (; j < nfn; j++) {
            uint64_t a = fn[j].addr, e = a + fn[j].size;
            uint64_t nlo = a < lo ? a : lo, nhi = e > hi ? e : hi;
            if (nhi - nlo > (1u << 20)) break;
            lo = nlo, hi = nhi;
        }
        if (bin_disassemble(path, lo, hi, fn + i, j - i, &data, bf->scan_note, sizeof bf->scan_note) != 0) return;
        i = j;
    }
    size_t first = out->len;
    static uint64_t addrs[BIN_MAX_FUNCS];
    for (int i = 0; i < nfn; i++) {
        if (!bin_uninstrumented(&fn[i])) continue;
        struct finding *f = finding_add(out, "not-instrumented");
        if (!f) return;
        char msg[400];
        snprintf(msg, sizeof msg,
                 "function '%s' reads or writes shared memory without ThreadSanitizer: it was built without "
                 "-fsanitize=thread (or with no_sanitize(\"thread\")), so a race there is invisible",
                 fn[i].name);
        finding_set(&f->message, msg);
        finding_set(&f->acc[0].what, "code not instrumented");
        finding_set(&f->acc[0].loc.func, fn[i].name);
        f->nacc = 1;
        addrs[out->len - 1 - first] = fn[i].addr;
    }
    bin_locate(path, out, first, addrs);
}

/* Reads what the program file says (see struct bin_facts); findings for
 * code the detector cannot see go to out.  skip_rl: the lab runtime is
 * linked in (racelab file; also assumed when the binary defines it).
 * 0, or -1 if the file cannot be read. */
int binary_facts(const char *path, int skip_rl, struct bin_facts *bf, struct finding_list *out) {
    memset(bf, 0, sizeof *bf);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    const unsigned char *p = n >= sizeof(Elf64_Ehdr) ? mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (p == MAP_FAILED) return 0; /* empty or tiny: not ELF, let exec decide */
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) goto done;
    bf->elf = 1;
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phoff > n || eh->e_shoff > n ||
        eh->e_phnum > (n - eh->e_phoff) / sizeof(Elf64_Phdr) ||
        eh->e_shnum > (n - eh->e_shoff) / sizeof(Elf64_Shdr)) {
        bf->has_tsan = memmem(p, n, "__tsan_init", 11) != NULL; /* not a 64-bit ELF we can read */
        snprintf(bf->scan_note, sizeof bf->scan_note, "not a 64-bit ELF file: its code was not inspected");
        goto done;
    }
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(p + eh->e_phoff);
    bf->is_static = 1;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_INTERP) bf->is_static = 0;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(p + eh->e_shoff);
    int shnum = eh->e_shnum;
    const char *shstr = "";
    size_t shstrn = 0;
    if (eh->e_shstrndx < shnum && sh[eh->e_shstrndx].sh_offset + sh[eh->e_shstrndx].sh_size <= n) {
        shstr = (const char *)p + sh[eh->e_shstrndx].sh_offset;
        shstrn = sh[eh->e_shstrndx].sh_size;
    }
    const Elf64_Shdr *symtab = NULL, *dynsym = NULL;
    for (int i = 0; i < shnum; i++) {
        const char *nm = sh[i].sh_name < shstrn ? shstr + sh[i].sh_name : "";
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_offset + sh[i].sh_size > n) continue;
        if (!strcmp(nm, ".debug_info")) bf->has_debug = 1;
        if (sh[i].sh_type == SHT_SYMTAB) symtab = &sh[i];
        if (sh[i].sh_type == SHT_DYNSYM) dynsym = &sh[i];
        if (sh[i].sh_type == SHT_DYNAMIC && sh[i].sh_link < (unsigned)shnum) {
            const Elf64_Shdr *ds = &sh[sh[i].sh_link];
            const Elf64_Dyn *dyn = (const Elf64_Dyn *)(p + sh[i].sh_offset);
            for (size_t k = 0; k < sh[i].sh_size / sizeof *dyn && dyn[k].d_tag != DT_NULL; k++)
                if (dyn[k].d_tag == DT_NEEDED && ds->sh_offset + ds->sh_size <= n &&
                    dyn[k].d_un.d_val < ds->sh_size) {
                    const char *lib = (const char *)p + ds->sh_offset + dyn[k].d_un.d_val;
                    if (strstr(lib, "libtsan")) bf->has_tsan = 1;
                    if (strstr(lib, "libcmocka")) bf->links_cmocka = 1;
                }
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        const Elf64_Shdr *t = pass ? dynsym : symtab;
        if (!t || t->sh_link >= (unsigned)shnum || sh[t->sh_link].sh_offset + sh[t->sh_link].sh_size > n) continue;
        const Elf64_Sym *syms = (const Elf64_Sym *)(p + t->sh_offset);
        size_t nsyms = t->sh_size / sizeof *syms;
        const char *str = (const char *)p + sh[t->sh_link].sh_offset;
        size_t strn = sh[t->sh_link].sh_size;
        for (size_t i = 0; i < nsyms; i++) {
            if (syms[i].st_name >= strn) continue;
            const char *name = str + syms[i].st_name;
            int strong = syms[i].st_shndx != SHN_UNDEF && ELF64_ST_BIND(syms[i].st_info) == STB_GLOBAL;
            if (!strcmp(name, "__tsan_init") || !strcmp(name, "__tsan_func_entry")) bf->has_tsan = 1;
            if (!strcmp(name, "__tsan_default_suppressions") && strong) bf->own_suppressions = 1;
            if (!strcmp(name, "__tsan_default_options") && strong) bf->own_options = 1;
            if (!strcmp(name, "rl_pthread_create") && strong) skip_rl = 1; /* built with the lab runtime */
        }
        if (!bf->has_tsan || bf->is_static) break;
        if (pass == 0 || !symtab) { /* the scan needs the full symbol table */
            if (t == symtab)
                bin_scan_code(path, syms, nsyms, str, strn, sh, shnum, shstr, shstrn, skip_rl, bf, out);
            else
                snprintf(bf->scan_note, sizeof bf->scan_note,
                         "the program is stripped: its code was not checked for parts built without "
                         "ThreadSanitizer");
            break;
        }
    }
done:
    munmap((void *)p, n);
    return 0;
}

