/* summary.h - the end-of-replay summary, and the detailed counters it reads */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "counters.h"
#include "proctable.h"
#include "rule.h"

/*
 * Append to tab the counters that say in detail why candidates raised no
 * alert: "excluded.FIELD" for each of rule's exclusions (FIELD its ECS
 * name: each exclusion of a version tests a field of its own) and
 * "excepted.lineN" for each local exception (N its line in the
 * configuration file), as rule_counts gives them since rule was built (a
 * reload starts them again); "rule_inexact" and "rule_stale"; then
 * "parents_unknown.REASON" for each reason explain_reason_name names, from
 * unknown[PROCTABLE_MISSES]. Returns 0, or -1 with errno (counters_add).
 */
int summary_counters(const struct rule *rule, const uint64_t *unknown,
		     struct counters *tab);

/*
 * Write the summary of a replay to fp, for a person, from tab: the
 * counters the SIGUSR1 report prints (summary_counters' among them). What
 * was read, the execs, the dracut runs and their alerts, the runs excluded
 * by each of rule's clauses and excepted by each local exception, the
 * parents unknown by reason, and what was dropped. alerts_written: false
 * when --explain's lines took the alerts' place.
 */
void summary_print(FILE *fp, const struct counters *tab,
		   const struct rule *rule, bool alerts_written);

#endif /* SUMMARY_H */
