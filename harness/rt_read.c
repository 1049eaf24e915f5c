/* rt_read.c - read the lab runtime's records and thread table. */
#include "rt_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits "file.c:42" into a location. */
static int set_site(struct location *loc, const char *site, const char *func) {
    const char *colon = strrchr(site, ':');
    if (!colon || colon == site) return finding_set(&loc->file, site[0] ? site : NULL);
    char file[256];
    size_t n = (size_t)(colon - site);
    if (n >= sizeof file) n = sizeof file - 1;
    memcpy(file, site, n);
    file[n] = '\0';
    loc->line = atoi(colon + 1);
    if (finding_set(&loc->file, file) != 0) return -1;
    return func ? finding_set(&loc->func, func) : 0;
}

int rt_read_log(const char *path, struct finding_list *out) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[2048];
    int added = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *kind = line, *file = strchr(kind, '\t');
        if (!file) continue;
        *file++ = '\0';
        char *lno = strchr(file, '\t');
        if (!lno) continue;
        *lno++ = '\0';
        char *msg = strchr(lno, '\t');
        if (!msg) continue;
        *msg++ = '\0';
        struct finding *fd = finding_add(out, kind);
        if (!fd || finding_set(&fd->message, msg) || finding_set(&fd->acc[0].loc.file, file) ||
            finding_set(&fd->raw, msg)) {
            fclose(f);
            return -1;
        }
        fd->acc[0].loc.line = atoi(lno);
        fd->nacc = 1;
        added++;
    }
    fclose(f);
    return added;
}

int rt_read_state(const char *path, struct rl_state *st) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(st, 1, sizeof *st, f);
    fclose(f);
    if (n != sizeof *st || st->magic != RL_STATE_MAGIC || st->version != RL_STATE_VERSION) return -1;
    return 0;
}

static int unfinished(const struct rl_slot *s) {
    return s->state == RL_SLOT_RUNNING || s->state == RL_SLOT_BLOCKED;
}

static void describe(const struct rl_slot *s, int is_main, char *buf, size_t cap) {
    char who[200];
    if (is_main)
        snprintf(who, sizeof who, "main thread");
    else
        snprintf(who, sizeof who, "%.48s (created at %.112s)", s->fn, s->create_site);
    if (s->state == RL_SLOT_BLOCKED)
        snprintf(buf, cap, "%s: blocked in %.96s at %.112s", who, s->op, s->op_site);
    else
        snprintf(buf, cap, "%s: running (not in a lock, wait, join or sleep)", who);
}

int rt_describe_threads(const struct rl_state *st, int with_main, char *buf, size_t cap) {
    size_t used = 0;
    int count = 0;
    if (cap) buf[0] = '\0';
    for (unsigned i = with_main ? 0 : 1; i < RL_STATE_SLOTS; i++) {
        const struct rl_slot *s = &st->slot[i];
        if (!unfinished(s)) continue;
        if (!buf) {
            count++;
            continue;
        }
        char line[512];
        describe(s, i == 0, line, sizeof line);
        int n = snprintf(buf + used, cap > used ? cap - used : 0, "%s%s", count ? "\n" : "", line);
        if (n > 0 && used + (size_t)n < cap) used += (size_t)n;
        count++;
    }
    return count;
}

int rt_threads_finding(const struct rl_state *st, const char *kind, const char *headline,
                       int with_main, struct finding_list *out) {
    char text[8192];
    int n = rt_describe_threads(st, with_main, text, sizeof text);
    int others = rt_describe_threads(st, 0, NULL, 0);
    if (n == 0 || (!with_main && others == 0)) return 0;
    struct finding *f = finding_add(out, kind);
    if (!f) return -1;
    char msg[512];
    snprintf(msg, sizeof msg, "%s: %d thread%s not finished", headline, n, n == 1 ? "" : "s");
    if (finding_set(&f->message, msg) || finding_set(&f->raw, text)) return -1;
    /* The most telling threads first: main waiting (for a hang, what it waits
     * for), then blocked threads, then threads still running. */
    for (int pass = 0; pass < 3 && f->nacc < 2; pass++) {
        for (unsigned i = pass == 0 ? 0 : 1; i < RL_STATE_SLOTS && f->nacc < 2; i++) {
            const struct rl_slot *s = &st->slot[i];
            if (!unfinished(s)) continue;
            if (pass == 0 && (i != 0 || !with_main || s->state != RL_SLOT_BLOCKED)) break;
            if (pass == 1 && s->state != RL_SLOT_BLOCKED) continue;
            if (pass == 2 && s->state == RL_SLOT_BLOCKED) continue;
            struct access *a = &f->acc[f->nacc];
            char what[256];
            describe(s, i == 0, what, sizeof what);
            if (finding_set(&a->what, what)) return -1;
            if (finding_set(&a->thread, i == 0 ? "main thread" : s->fn)) return -1;
            const char *site = s->state == RL_SLOT_BLOCKED ? s->op_site : s->create_site;
            if (set_site(&a->loc, site, NULL)) return -1;
            f->nacc++;
        }
    }
    return 1;
}
