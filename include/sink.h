/* sink.h - where alerts go: stdout, a file, syslog; queue and rate limit */
#ifndef SINK_H
#define SINK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"

struct sink;

struct sink_stats {
	uint64_t emitted;    /* alerts handed to the sink */
	uint64_t written;    /* alerts fully written to every output */
	uint64_t suppressed; /* alerts held back by the rate limit */
	uint64_t dropped;    /* alerts lost because the queue was full */
	uint64_t write_errors;
	size_t queued; /* alerts waiting for a failed output */
};

/* Open the outputs cfg names. Returns NULL with the reason logged; free
 * with sink_free (which tries the queue once more). */
struct sink *sink_create(const struct config *cfg);
void sink_free(struct sink *s);

/* Switch to the outputs and limits of cfg (SIGHUP): reopens the file.
 * Returns 0, or -1 with the old outputs kept. */
int sink_reconfigure(struct sink *s, const struct config *cfg);

/*
 * Hand one alert (JSON without newline) to every output. Each output gets
 * the whole line or nothing; a failed output keeps the line in a bounded
 * queue for retry. Returns 0 when written or queued, 1 when held back by the
 * rate limit, -1 when dropped.
 */
int sink_emit(struct sink *s, const char *json, size_t len);

/* Periodic work: retry the queue, reopen a file renamed or deleted under
 * us, and write the rate-limit summary. now is time(NULL). */
void sink_tick(struct sink *s, time_t now);

/* Reopen the file output (SIGHUP, logrotate). */
void sink_reopen(struct sink *s);

void sink_stats(const struct sink *s, struct sink_stats *st);

#endif /* SINK_H */
