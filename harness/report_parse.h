/* report_parse.h - turn ThreadSanitizer's text into findings.
 *
 * Input is the text of one or more TSan log files (log_path=...) or a
 * captured stderr.  Every "WARNING: ThreadSanitizer: <headline>" block
 * becomes one finding whose kind is the headline as a token
 * ("data race" -> "data-race", "lock-order-inversion (potential deadlock)"
 * -> "lock-order-inversion", "destroy of a locked mutex" ->
 * "destroy-locked-mutex", "signal-unsafe call inside of a signal" ->
 * "signal-unsafe-call", unknown headlines -> their words joined by '-').
 * Fatal start-up errors ("FATAL: ThreadSanitizer: ...", "failed to parse
 * suppressions", "starting new threads after multi-threaded fork",
 * "invalid path to external symbolizer") become "tool-error" findings.
 * "ThreadSanitizer: Matched N suppressions" becomes a "suppressed" finding
 * (a report was hidden).  Text that looks like a TSan report but cannot be
 * parsed is kept as a finding of kind "unparsed" with the raw text: never
 * silence.
 */
#ifndef RACELAB_REPORT_PARSE_H
#define RACELAB_REPORT_PARSE_H

#include "finding.h"

/* Parses text (len bytes, need not be NUL-terminated) and appends findings
 * to out.  Returns the number of findings appended, or -1 on ENOMEM. */
int report_parse(const char *text, size_t len, struct finding_list *out);

/* True (1) if a location is usable for a learner (has file and line). */
int report_location_known(const struct location *loc);

#endif
