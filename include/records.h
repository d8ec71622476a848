/* records.h - audit record lines grouped into whole events */
#ifndef RECORDS_H
#define RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What became of the lines taken. */
struct records_stats {
	uint64_t garbage; /* lines dropped: not an audit record, a node name
			   * out of bounds, a CWD record without exactly one
			   * cwd=, or a last line cut by the end of the
			   * input */
	uint64_t skipped; /* records of a type no exec or fork event needs */
	uint64_t ended;	  /* events ended by their last record */
	uint64_t unended; /* events ended without it: it never came */
};

/* Where a whole event goes: text[0..len) is its records, one a line, as
 * they came (those dropped taken out). text is only valid during the
 * call. */
typedef void records_emit_fn(const char *text, size_t len, void *arg);

struct records_limits {
	/* An event whose last record has not come lost_after after its first
	 * one is ended without it: in records taken since (by_count), or in
	 * the units of the clock the caller passes (records_take,
	 * records_age). */
	uint64_t lost_after;
	bool by_count;
	size_t max_open; /* events open at once; beyond, the oldest ends */
	size_t max_line; /* a longer line is taken in pieces of this size */
};

struct records;

/* Take lines for emit(arg). Returns NULL on ENOMEM; free with
 * records_free (records_free(NULL) is safe), which emits nothing more. */
struct records *records_create(const struct records_limits *lim,
			       records_emit_fn *emit, void *arg);
void records_free(struct records *rs);

/*
 * Take the complete lines of buf[0..len). Lines starting with '#' are
 * comments. Other lines that do not start as an audit record,
 * "[node=NAME ]type=TYPE msg=audit(SEC.MSEC:SERIAL):", are dropped and
 * logged with a rate limit, and so are records whose node name is empty or
 * longer than NODE_NAME_MAX (node.h) bytes, and records of the types no
 * exec or fork event needs (all but SYSCALL, EXECVE, CWD and PATH); all
 * counted (garbage, skipped). The
 * records of one event share their node and stamp. An event ends when its
 * last record comes, its PROCTITLE record (which the kernel writes last
 * before EOE) or its EOE record, whichever is first; both are dropped,
 * and a later one finds no event. The events that end go to emit
 * whole, in the order they end: the kernel's, which is their serials'
 * order within a boot (their time may step back). now is the caller's
 * clock when not by_count.
 *
 * buf is written to: an event's records are moved together over the lines
 * dropped between them. Returns the bytes taken: a trailing partial line
 * is left for the next call, unless it is longer than max_line.
 */
size_t records_take(struct records *rs, char *buf, size_t len, uint64_t now);

/* Not by_count: the caller's clock is now; end the events that have waited
 * lost_after for their last record. */
void records_age(struct records *rs, uint64_t now);

/* The end of the input, with left bytes of a line that never ended (they
 * are dropped and counted): every open event ends. */
void records_finish(struct records *rs, size_t left);

/* Did the last record taken end its event? */
bool records_at_end(const struct records *rs);

/* The counters so far (valid as long as rs). */
const struct records_stats *records_stats(const struct records *rs);

#endif /* RECORDS_H */
