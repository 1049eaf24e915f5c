/* fuzz_report_parse.c - libFuzzer target: report_parse on arbitrary bytes.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Iharness
 *        harness/finding.c harness/report_parse.c this file.
 * Each input is parsed from an exactly sized copy (libFuzzer's data is not
 * NUL-terminated), every finding is checked to be complete, then freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer entry point: parse, check the invariants, free. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct finding_list list = {0};
    size_t i;
    int n = report_parse((const char *)data, size, &list);

    if (n >= 0 && (size_t)n != list.len)
        abort();
    for (i = 0; i < list.len; i++) {
        const struct finding *f = &list.items[i];
        if (!f->kind || !f->message || !f->raw || f->nacc < 0 || f->nacc > 2)
            abort();
        if (strchr(f->message, '\n'))
            abort();
    }
    finding_list_free(&list);
    return 0;
}
