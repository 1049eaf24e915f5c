/* finding.c - the finding record and its growable list (see finding.h).
 *
 * Plain storage helpers: every string a finding holds is its own heap copy,
 * so a list can be freed, moved and merged without caring where the text
 * came from.  Nothing here exits or prints; failures return NULL or -1.
 */
#include "finding.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every kind racelab knows: ThreadSanitizer's report kinds, then its own. */
static const char *const known_kinds[] = {
    "data-race", "thread-leak", "lock-order-inversion", "heap-use-after-free",
    "destroy-locked-mutex", "unlock-unlocked-mutex", "double-lock",
    "signal-unsafe-call", "signal-handler-spoils-errno", "mutex-misuse-other",
    "invariant", "timeout", "live-threads-at-exit", "too-many-threads",
    "forbidden-call", "crash", "build-error", "tool-error", "suppressed",
    "unparsed", "not-instrumented", "unsupported",
};

/* A heap copy of s (strdup is not in ISO C11); NULL on ENOMEM. */
static char *copy_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);

    if (c)
        memcpy(c, s, n);
    return c;
}

/* Makes room for n more items in list; 0 or -1 (ENOMEM, list unchanged). */
static int list_reserve(struct finding_list *list, size_t n)
{
    size_t want, cap;
    struct finding *items;

    if (n > SIZE_MAX - list->len) {
        errno = ENOMEM;
        return -1;
    }
    want = list->len + n;
    if (want <= list->cap)
        return 0;
    cap = list->cap ? list->cap : 8;
    while (cap < want) {
        if (cap > SIZE_MAX / 2 / sizeof *items) {
            cap = want;
            break;
        }
        cap *= 2;
    }
    if (cap > SIZE_MAX / sizeof *items) {
        errno = ENOMEM;
        return -1;
    }
    items = realloc(list->items, cap * sizeof *items);
    if (!items)
        return -1;
    list->items = items;
    list->cap = cap;
    return 0;
}

/* Frees the strings of one access. */
static void access_free(struct access *a)
{
    free(a->what);
    free(a->thread);
    free(a->mutexes);
    free(a->loc.func);
    free(a->loc.file);
}

/* Frees the strings of one finding. */
static void finding_free(struct finding *f)
{
    free(f->kind);
    free(f->message);
    free(f->variable);
    access_free(&f->acc[0]);
    access_free(&f->acc[1]);
    free(f->raw);
}

/* Appends a zeroed finding of the given kind; returns it or NULL on ENOMEM
 * (or NULL with EINVAL when list or kind is NULL). */
struct finding *finding_add(struct finding_list *list, const char *kind)
{
    struct finding *f;
    char *k;

    if (!list || !kind) {
        errno = EINVAL;
        return NULL;
    }
    if (list_reserve(list, 1) != 0)
        return NULL;
    k = copy_str(kind);
    if (!k)
        return NULL;
    f = &list->items[list->len++];
    memset(f, 0, sizeof *f);
    f->kind = k;
    return f;
}

/* Sets a string field of a finding (copies s; frees the old value); 0 or -1.
 * s == NULL clears the field; on failure the old value is kept. */
int finding_set(char **field, const char *s)
{
    char *copy = NULL;

    if (!field) {
        errno = EINVAL;
        return -1;
    }
    if (s) {
        copy = copy_str(s);
        if (!copy)
            return -1;
    }
    free(*field);
    *field = copy;
    return 0;
}

/* Frees every finding's strings and the list's storage; leaves an empty list. */
void finding_list_free(struct finding_list *list)
{
    size_t i;

    if (!list)
        return;
    for (i = 0; i < list->len; i++)
        finding_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->len = 0;
    list->cap = 0;
}

/* Moves every finding of src to the end of dst; src is left empty. 0 or -1
 * (on failure both lists are unchanged). */
int finding_list_take(struct finding_list *dst, struct finding_list *src)
{
    if (!dst || !src) {
        errno = EINVAL;
        return -1;
    }
    if (dst == src || src->len == 0)
        return 0;
    if (list_reserve(dst, src->len) != 0)
        return -1;
    memcpy(dst->items + dst->len, src->items, src->len * sizeof *src->items);
    dst->len += src->len;
    free(src->items);
    src->items = NULL;
    src->len = 0;
    src->cap = 0;
    return 0;
}

/* True (1) when the list holds a finding of this kind. */
int finding_list_has(const struct finding_list *list, const char *kind)
{
    size_t i;

    if (!list || !kind)
        return 0;
    for (i = 0; i < list->len; i++)
        if (list->items[i].kind && strcmp(list->items[i].kind, kind) == 0)
            return 1;
    return 0;
}

/* True (1) when kind is one of the tokens racelab knows (TSan's or its own). */
int finding_kind_known(const char *kind)
{
    size_t i;

    if (!kind)
        return 0;
    for (i = 0; i < sizeof known_kinds / sizeof known_kinds[0]; i++)
        if (strcmp(kind, known_kinds[i]) == 0)
            return 1;
    return 0;
}
