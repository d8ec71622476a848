/* summary.c - the end-of-replay summary, and the detailed counters it reads */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "field.h"
#include "summary.h"

/* Room for a counter's name: a prefix and a field's dotted name. */
#define NAME_MAX_LEN (FIELD_PATH_MAX + 32)
#define EXCLUDED "excluded."
#define EXCEPTED "excepted.line"
#define UNKNOWN "parents_unknown."

static int add(struct counters *tab, const char *name, uint64_t v)
{
	const struct counter c = {name, v};

	return counters_add(tab, &c, 1);
}

int summary_counters(const struct rule *rule, const uint64_t *unknown,
		     struct counters *tab)
{
	const struct rule_exception *exc;
	const struct rule_clause *cl;
	char name[NAME_MAX_LEN], path[FIELD_PATH_MAX];
	struct rule_counts rc;
	size_t i, n;
	int r = 0;

	rule_counts(rule, &rc);
	cl = rule_clauses(rule, &n);
	for (i = 0; i < n && i < rc.nexcluded && r == 0; i++) {
		snprintf(name, sizeof(name), EXCLUDED "%s",
			 field_path(cl[i].field, path));
		r = add(tab, name, rc.excluded[i]);
	}
	exc = rule_exceptions(rule, &n);
	for (i = 0; i < n && i < rc.nexcepted && r == 0; i++) {
		snprintf(name, sizeof(name), EXCEPTED "%u", exc[i].line);
		r = add(tab, name, rc.excepted[i]);
	}
	if (r == 0)
		r = COUNTERS_ADD(tab, {"rule_inexact", rc.inexact},
				 {"rule_stale", rc.stale});
	for (i = 0; i < PROCTABLE_MISSES && r == 0; i++) {
		snprintf(name, sizeof(name), UNKNOWN "%s",
			 explain_reason_name((enum proctable_miss)i));
		r = add(tab, name, unknown[i]);
	}
	return r;
}

/* ---------------------------------------------------------------- print */

/* The counter name, or 0 when tab has none. */
static uint64_t get(const struct counters *tab, const char *name)
{
	uint64_t v = 0;

	return counters_get(tab, name, &v) == 0 ? v : 0;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* One test: its count, what it tests, and how many patterns. */
static void print_test(FILE *fp, uint64_t v, const char *where,
		       const struct rule_clause *t)
{
	char path[FIELD_PATH_MAX];

	fprintf(fp, "    %10" PRIu64 "  %s%s %s (%zu %s)\n", v, where,
		field_path(t->field, path), match_op_name(t->op), t->npatterns,
		t->op == MATCH_IN || t->op == MATCH_EQ
			? plural(t->npatterns, "value", "values")
			: plural(t->npatterns, "pattern", "patterns"));
}

/* The exclusions, each with its count (0 when tab has none). */
static void print_exclusions(FILE *fp, const struct counters *tab,
			     const struct rule *rule)
{
	char name[NAME_MAX_LEN], path[FIELD_PATH_MAX];
	const struct rule_clause *cl;
	size_t i, n;

	cl = rule_clauses(rule, &n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), EXCLUDED "%s",
			 field_path(cl[i].field, path));
		print_test(fp, get(tab, name), "", &cl[i]);
	}
}

/* The local exceptions, by line. */
static void print_exceptions(FILE *fp, const struct counters *tab,
			     const struct rule *rule)
{
	const struct rule_exception *exc;
	char name[NAME_MAX_LEN], where[NAME_MAX_LEN];
	struct rule_clause t;
	size_t i, n;

	exc = rule_exceptions(rule, &n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), EXCEPTED "%u", exc[i].line);
		snprintf(where, sizeof(where), "line %u: ", exc[i].line);
		t = (struct rule_clause){exc[i].field, exc[i].op, NULL,
					 exc[i].nvalues};
		print_test(fp, get(tab, name), where, &t);
	}
}

/* The reasons parents were unknown, those that happened. */
static void print_unknown(FILE *fp, const struct counters *tab)
{
	size_t i, k = strlen(UNKNOWN);

	for (i = 0; i < tab->n; i++)
		if (!strncmp(tab->v[i].name, UNKNOWN, k) && tab->v[i].value)
			fprintf(fp, "    %10" PRIu64 "  %s\n", tab->v[i].value,
				tab->v[i].name + k);
}

/* The alerts: decided, and what became of them when not all were
 * written. */
static void print_alerts(FILE *fp, const struct counters *tab,
			 bool alerts_written)
{
	uint64_t decided = get(tab, "candidates") - get(tab, "excluded") -
			   get(tab, "excepted") - get(tab, "parents_unknown");
	uint64_t lost = get(tab, "dropped") + get(tab, "too_long") +
			get(tab, "suppressed");

	fprintf(fp, "  %-17s%" PRIu64, "alerts", decided);
	if (!alerts_written)
		fprintf(fp, ", not written: the --explain lines say them");
	else if (get(tab, "alerts") != decided || lost ||
		 get(tab, "write_errors"))
		fprintf(fp,
			", %" PRIu64 " to the outputs: %" PRIu64
			" held back or lost, %" PRIu64 " write errors",
			get(tab, "alerts"), lost, get(tab, "write_errors"));
	fprintf(fp, "\n");
}

void summary_print(FILE *fp, const struct counters *tab,
		   const struct rule *rule, bool alerts_written)
{
	const struct rule_meta *meta = rule_meta(rule);
	size_t nexc;

	rule_exceptions(rule, &nexc);
	fprintf(fp, "audisp-dracut: summary of the replay\n");
	fprintf(fp, "  %-17s%" PRIu64 " bytes, %" PRIu64 " events\n", "read",
		get(tab, "input_bytes"), get(tab, "events"));
	fprintf(fp, "  %-17s%" PRIu64 ", %" PRIu64 " failed\n", "execs",
		get(tab, "execs"), get(tab, "execs_failed"));
	fprintf(fp, "  %-17s%" PRIu64 " (and %" PRIu64 " seen twice)\n",
		"dracut runs", get(tab, "candidates"), get(tab, "duplicates"));
	print_alerts(fp, tab, alerts_written);
	fprintf(fp, "  %-17s%" PRIu64 ", by rule version %d:\n", "excluded",
		get(tab, "excluded"), meta ? meta->version : 0);
	print_exclusions(fp, tab, rule);
	fprintf(fp, "  %-17s%" PRIu64 "%s\n", "excepted", get(tab, "excepted"),
		nexc ? ", by local exceptions:" : " (no local exceptions)");
	print_exceptions(fp, tab, rule);
	fprintf(fp, "  %-17s%" PRIu64 "%s\n", "parents unknown",
		get(tab, "parents_unknown"),
		get(tab, "parents_unknown") ? ":" : "");
	print_unknown(fp, tab);
	if (get(tab, "rule_inexact"))
		fprintf(fp, "  %-17s%" PRIu64 " (judged on a cut parent)\n",
			"inexact", get(tab, "rule_inexact"));
	fprintf(fp,
		"  %-17s%" PRIu64 " input lines (not audit records), %" PRIu64
		" exec events (malformed)\n",
		"dropped", get(tab, "input_garbage"), get(tab, "parse_errors"));
	fprintf(fp, "  %-17s%" PRIu64 " records of types no exec event needs\n",
		"skipped", get(tab, "input_skipped_records"));
	if (get(tab, "input_unended"))
		fprintf(fp,
			"  %-17s%" PRIu64 " events without their last "
			"record\n",
			"unended", get(tab, "input_unended"));
	if (get(tab, "explained") || get(tab, "explain_errors"))
		fprintf(fp, "  %-17s%" PRIu64 " lines, %" PRIu64 " lost\n",
			"explained", get(tab, "explained"),
			get(tab, "explain_errors"));
}
