/* explain.h - --explain: why each dracut run did or did not alert */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"
#include "proctable.h"
#include "rule.h"
#include "util.h"

/*
 * One line for every dracut candidate (a successful exec whose
 * process.name is dracut), made from the decision that decides its alert:
 * the rule's rule_decision and the table's parent lookup, never a second
 * evaluation. Each line is one JSON object of UTF-8 (json.h's writer) that
 * stands alone:
 *
 *   @timestamp   the exec's audit time
 *   verdict      "alert", "excluded", "excepted" or "no_parent"
 *   rule         {"version": N}
 *   clause       excluded: the exclusion, counted from 1 in the rule's order
 *   exception    excepted: the local exception, counted from 1 in the
 *                configuration's order; line: its line in the file
 *   field, operator, pattern, value
 *                excluded and excepted: the ECS field, the operator as
 *                written (==, in, like, like~), the pattern or value that
 *                matched, and the process's value it matched (an array
 *                field: the element)
 *   value_cut    true: the table keeps the parent cut, and the value lies
 *                past the cut (the rule judged the whole image when the
 *                table recorded it; value is then left out)
 *   inexact      true: the parent was judged on its cut copy (no result
 *                kept for it under the current tests)
 *   stale        true: a kept result came from other tests (a reload)
 *   lookup       the parent lookup: tried (["stream", "proc", "fork"]),
 *                and source ("stream", "fork", "proc") when found, or
 *                reason (explain_reason_name) and missing_pid when not
 *   host, process (as the alert writes them: pid, executable, args, ...,
 *                parent with its pid and, when known, its fields),
 *   auditd       {"sequence": the exec's serial}
 *   encoded_fields  the fields written \xHH-encoded (json.h), if any
 */
struct explain_input {
	const struct image *proc;	     /* the dracut exec */
	const struct proctable_lookup *look; /* its parent's lookup */
	const struct rule_decision *d;	     /* the rule's decision */
	const char *host_name;
};

/*
 * Why a candidate has no parent executable: the table's miss
 * ("no_ppid", "never_seen", "evicted", "reused", "proc_gone",
 * "other_host", "nomem"), or "no_executable" for PROCTABLE_FOUND (a parent
 * whose executable is unknown). Static text, never NULL.
 */
const char *explain_reason_name(enum proctable_miss m);

/* Write in's line (without its newline) into b, emptied first. Returns
 * the text, NUL-terminated with its length in b->len, or NULL on ENOMEM. */
const char *explain_build(struct buf *b, const struct explain_input *in);

/* Where the lines go: standard output or a file. */
struct explain;

/*
 * Write lines to path: "-" for standard output, else a file appended to
 * (created with mode 0600, its directory made). Returns NULL with the
 * reason logged; free with explain_close (NULL-safe).
 */
struct explain *explain_open(const char *path);
void explain_close(struct explain *ex);

/* Reopen the file (SIGHUP, logrotate); standard output stays. */
void explain_reopen(struct explain *ex);

/* Write in's line, whole, with its newline; a line that cannot be
 * written is counted and logged (rate-limited), never retried. */
void explain_write(struct explain *ex, const struct explain_input *in);

struct explain_stats {
	uint64_t written; /* lines written */
	uint64_t errors;  /* lines lost (a write error, ENOMEM) */
};
void explain_stats(const struct explain *ex, struct explain_stats *st);

#endif /* EXPLAIN_H */
