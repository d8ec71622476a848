/* core.h - the pipeline: exec event -> process table -> rule -> alert -> sink */
#ifndef CORE_H
#define CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <auparse.h>

#include "config.h"

struct core;

struct core_stats {
	uint64_t events;	  /* events auparse delivered */
	uint64_t execs;		  /* exec events */
	uint64_t execs_failed;	  /* execs that did not succeed */
	uint64_t forks;		  /* fork events */
	uint64_t parse_errors;	  /* exec events too broken to use */
	uint64_t args_truncated;  /* execs whose argv was incomplete */
	uint64_t candidates;	  /* successful dracut execs */
	uint64_t alerts;	  /* alerts handed to the sink */
	uint64_t excluded;	  /* candidates the rule excluded */
	uint64_t excepted;	  /* candidates a local exception suppressed */
	uint64_t parents_unknown; /* candidates with no known parent */
	/* the sink's: alerts an output failed to take, and alerts lost */
	uint64_t write_errors;
	uint64_t dropped;
};

/*
 * Build the pipeline for cfg. live selects plugin mode: /proc is read (if
 * cfg->proc_fallback) and the table is seeded from it; replay never reads
 * /proc. Returns NULL with the reason logged; free with core_free, which
 * flushes the sink.
 */
struct core *core_create(const struct config *cfg, bool live);
void core_free(struct core *core);

/* Switch to cfg (SIGHUP). All or nothing: returns -1 and keeps the running
 * state when anything in cfg cannot be applied. cfg must outlive the core
 * or the next core_reconfigure. */
int core_reconfigure(struct core *core, const struct config *cfg);

/* auparse's event-ready callback; user_data is the core. */
void core_auparse_cb(auparse_state_t *au, auparse_cb_event_t type,
		     void *user_data);

/* Periodic work (about once a second): sink retries, table sweep. */
void core_tick(struct core *core, time_t now);

/* Reopen outputs (SIGHUP). */
void core_reopen(struct core *core);

/* Write the state report (version, config summary, counters) to fp. */
void core_report(struct core *core, FILE *fp);

/* Fill st with the counters so far. */
void core_stats(const struct core *core, struct core_stats *st);

#endif /* CORE_H */
