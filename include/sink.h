/* sink.h - where alerts go: syslog, a file, stdout; queue and rate limit */
#ifndef SINK_H
#define SINK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"

struct sink;

/*
 * One alert as the sink takes it: the whole JSON text (no newline), and a
 * way to get a shorter version of it for an output with a size limit
 * (syslog_max_message): within returns the alert in at most max bytes,
 * with its length in *len, the argument lists cut first and flagged as
 * the alert module does (alert.h); or NULL when it cannot be made that
 * short, or on ENOMEM. What within returns stays valid until its next
 * call; text need stay valid only until the first call of within (within
 * may reuse its memory). within may be NULL: an alert too long for an
 * output is then not sent to it.
 */
struct sink_doc {
	const char *text;
	size_t len;
	const char *(*within)(void *arg, size_t max, size_t *len);
	void *arg;
};

/* The counts of one output. */
struct sink_output_stats {
	uint64_t written;      /* alerts it took */
	uint64_t write_errors; /* writes that failed (each retry counts) */
	uint64_t too_long;     /* alerts its size limit kept from it, even
				* cut: dropped for that output */
};

struct sink_stats {
	uint64_t emitted;      /* alerts handed to the sink */
	uint64_t written;      /* alerts fully written to every output */
	uint64_t suppressed;   /* alerts held back by the rate limit */
	uint64_t dropped;      /* alerts lost because the queue was full */
	uint64_t write_errors; /* the outputs' write_errors, added up */
	uint64_t too_long;     /* the outputs' too_long, added up */
	size_t queued;	       /* alerts waiting for a failed output */
	struct sink_output_stats out[OUT_TYPES]; /* by enum output_type */
};

/* Open the outputs cfg names. Returns NULL with the reason logged; free
 * with sink_free (which tries the queue once more). */
struct sink *sink_create(const struct config *cfg);
void sink_free(struct sink *s);

/* Switch to the outputs and limits of cfg (SIGHUP): reopens the file.
 * Returns 0, or -1 with the reason logged and the old outputs kept. */
int sink_reconfigure(struct sink *s, const struct config *cfg);

/*
 * Hand one alert to every output. Each output gets the whole alert, or,
 * past its size limit, the version doc->within gives, or nothing (counted
 * in too_long and logged): never an alert cut in the middle. Syslog is not
 * queued: what it cannot take is lost to it, counted and logged. The file
 * and stdout take whole alerts, one line each; one that fails keeps the
 * line in a bounded queue for retry. Returns 0 when written or queued, 1
 * when held back by the rate limit, -1 when dropped.
 */
int sink_emit_doc(struct sink *s, const struct sink_doc *doc);

/* sink_emit_doc of an alert that has no shorter version (within NULL):
 * an output with a size limit below len does not get it. */
int sink_emit(struct sink *s, const char *json, size_t len);

/* Periodic work: retry the queue, reopen a file renamed or deleted under
 * us, and write the rate-limit summary. now is time(NULL). */
void sink_tick(struct sink *s, time_t now);

/* Reopen the file output (SIGHUP, logrotate). */
void sink_reopen(struct sink *s);

/* Copy the counters into st. */
void sink_stats(const struct sink *s, struct sink_stats *st);

#endif /* SINK_H */
