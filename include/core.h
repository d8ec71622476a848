/* core.h - the pipeline: exec event, process table, rule, alert, sink */
#ifndef CORE_H
#define CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <auparse.h>

#include "config.h"
#include "counters.h"

struct core;

/*
 * Build the pipeline for cfg. live selects plugin mode: /proc is read (if
 * cfg->proc_fallback) and the table is seeded from it; replay never reads
 * /proc. Returns NULL with the reason logged; free with core_free, which
 * flushes the sink.
 */
struct core *core_create(const struct config *cfg, bool live);
void core_free(struct core *core);

/* Switch to cfg (SIGHUP). All or nothing: returns -1 and keeps the running
 * state when anything in cfg cannot be applied (the reason logged). cfg
 * must outlive the core or the next core_reconfigure. */
int core_reconfigure(struct core *core, const struct config *cfg);

/* Take one complete event: au is positioned at its first record, and is
 * only used during the call. */
void core_event(struct core *core, auparse_state_t *au);

/* Periodic work (about once a second): sink retries, table sweep. */
void core_tick(struct core *core, time_t now);

/* Reopen outputs (SIGHUP). */
void core_reopen(struct core *core);

/*
 * --explain: from now on, write one line for every dracut candidate to
 * path ("-": standard output), as explain.h says, from the decision that
 * decides its alert. alerts: whether the alerts still go to the outputs
 * (false: the lines take their place; the alerts are decided and counted,
 * not written). Returns 0, or -1 with the reason logged.
 */
int core_explain(struct core *core, const char *path, bool alerts);

/*
 * Append the pipeline's counters to tab: the exec events read, the rule's
 * decisions, the alerts' fate at the outputs and the process table's state,
 * each counted once by the module that knows it. Returns 0, or -1 with
 * errno set (counters_add).
 */
int core_counters(const struct core *core, struct counters *tab);

/* Write the state report to fp: version, configuration summary, then the
 * counters of tab in its order. */
void core_report(const struct core *core, const struct counters *tab, FILE *fp);

/* Has an alert failed to reach an output (a write error, or lost), or an
 * --explain line its file? */
bool core_alerts_lost(const struct core *core);

/* Write the summary of a replay to fp, from tab (as core_report's), for a
 * person: summary.h says what it holds. */
void core_summary(const struct core *core, const struct counters *tab,
		  FILE *fp);

#endif /* CORE_H */
