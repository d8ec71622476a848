/* rule.c - the Manual Dracut Execution rule: versions as data, verdicts */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "image.h"
#include "match.h"
#include "rule.h"
#include "rule_exception.h"
#include "util.h"

/*
 * The query, as every version writes it:
 *
 *   process where host.os.type == "linux" and event.type == "start" and
 *   event.action in ("exec", "exec_event", "start", "ProcessRollup2") and
 *   process.name == "dracut" and process.parent.executable != null and
 *   not (parent.executable like~ (...) or parent.name in (...) or
 *        parent.args like~ (...) or parent.command_line like~ "...")
 *
 * host.os.type, event.type and event.action hold for every successful
 * execve or execveat this plugin sees, so they reduce to image.success;
 * process.parent.executable != null is rule_eval's own step. What is left
 * is the candidate clause and the exclusions, declared below as data.
 */

/* A list of strings, and its length: two initializers. */
#define LIST(...)                                                              \
	(const char *const[]){__VA_ARGS__},                                    \
		ARRAY_SIZE(((const char *const[]){__VA_ARGS__}))
/* A named array, and its length. */
#define ALL(a) (a), ARRAY_SIZE(a)
#define PROCESS(id)                                                            \
	{                                                                      \
		(id), false                                                    \
	}
#define PARENT(id)                                                             \
	{                                                                      \
		(id), true                                                     \
	}

/* The candidate clause and the exclusions of one query. */
struct query {
	struct rule_clause candidate;
	const struct rule_clause *exclusions;
	size_t nexclusions;
};

#define CLAUSES(...)                                                           \
	(const struct rule_clause[]){__VA_ARGS__},                             \
		ARRAY_SIZE(((const struct rule_clause[]){__VA_ARGS__}))

/* process.name == "dracut", in every version */
#define DRACUT                                                                 \
	{                                                                      \
		PROCESS(FIELD_NAME), MATCH_EQ, LIST("dracut")                  \
	}

/*
 * Lists that no version has changed since version 1. Both queries name
 * them; check_rule compares every version's clauses, value by value,
 * with that version's own text, so a change here cannot pass unseen.
 */
static const char *const parent_names[] = {
	"dracut-install", "dracut",	    "run-parts", "weak-modules",
	"mkdumprd",	  "new-kernel-pkg", "sudo",
};
static const char *const parent_args[] = {
	"/usr/bin/dracut-rebuild",
	"/var/tmp/rpm-tmp.*",
};
static const char *const parent_command_lines[] = {
	"/bin/sh -c if command -v mkinitcpio*",
};

/* The query of versions 1 to 5: the seed's. */
static const struct query query_v1 = {
	DRACUT,
	CLAUSES({PARENT(FIELD_EXECUTABLE), MATCH_ILIKE,
		 LIST("/usr/lib/kernel/*", "/etc/kernel/install.d/*",
		      "/var/lib/dpkg/info/dracut.postinst", "/tmp/newroot/*",
		      "/usr/lib/module-init-tools/*")},
		{PARENT(FIELD_NAME), MATCH_IN, ALL(parent_names)},
		{PARENT(FIELD_ARGS), MATCH_ILIKE, ALL(parent_args)},
		{PARENT(FIELD_COMMAND_LINE), MATCH_ILIKE,
		 ALL(parent_command_lines)}),
};

/* The query of versions 6 to 8: parent.executable with like, not like~,
 * and six more parents. */
static const struct query query_v6 = {
	DRACUT,
	CLAUSES({PARENT(FIELD_EXECUTABLE), MATCH_LIKE,
		 LIST("/usr/lib/kernel/*", "/etc/kernel/install.d/*",
		      "/var/lib/dpkg/info/dracut.postinst", "/tmp/newroot/*",
		      "/usr/lib/module-init-tools/*", "/usr/bin/xargs",
		      "/sbin/dkms", "/sbin/mkinitrd", "/usr/bin/timeout",
		      "/usr/sbin/dkms", "/usr/bin/systemd-inhibit")},
		{PARENT(FIELD_NAME), MATCH_IN, ALL(parent_names)},
		{PARENT(FIELD_ARGS), MATCH_ILIKE, ALL(parent_args)},
		{PARENT(FIELD_COMMAND_LINE), MATCH_ILIKE,
		 ALL(parent_command_lines)}),
};

/* ---------------------------------------------------------------- metadata */

#define RULE_ID "834ee026-f9f9-4ec7-b5e0-7fbfe84765f4"
#define RULE_NAME "Manual Dracut Execution"
#define RULE_DESCRIPTION                                                       \
	"This rule detects manual execution of the `dracut` command on "       \
	"Linux systems. Dracut is a tool used to generate an initramfs "       \
	"image that is used to boot the system. Attackers may use `dracut` "   \
	"to create a custom initramfs image that includes malicious code or "  \
	"backdoors, allowing them to maintain persistence on the system."
#define RULE_RISK_SCORE 21 /* Elastic's score for severity "low" */

#define GUIDE_8_17_3                                                           \
	"https://www.elastic.co/guide/en/security/current/"                    \
	"prebuilt-rule-8-17-3-manual-dracut-execution.html"
#define RULE_TOML                                                              \
	"https://github.com/elastic/detection-rules/blob/main/rules/linux/"    \
	"persistence_manual_dracut_execution.toml"

#define TACTIC(id, name) id, name, "https://attack.mitre.org/tactics/" id "/"
#define TECHNIQUE(id, name)                                                    \
	id, name, "https://attack.mitre.org/techniques/" id "/"
#define NO_SUBTECHNIQUE NULL, NULL, NULL

#define PERSISTENCE_PRE_OS_BOOT                                                \
	{                                                                      \
		TACTIC("TA0003", "Persistence"),                               \
			TECHNIQUE("T1542", "Pre-OS Boot"), NO_SUBTECHNIQUE     \
	}
#define EXECUTION_UNIX_SHELL                                                   \
	{                                                                      \
		TACTIC("TA0002", "Execution"),                                 \
			TECHNIQUE("T1059",                                     \
				  "Command and Scripting Interpreter"),        \
			"T1059.004", "Unix Shell",                             \
			"https://attack.mitre.org/techniques/T1059/004/"       \
	}
/* TA0005 is "Defense Evasion" up to ATT&CK v18, "Stealth" from v19 on */
#define TA0005_PRE_OS_BOOT(name)                                               \
	{                                                                      \
		TACTIC("TA0005", name), TECHNIQUE("T1542", "Pre-OS Boot"),     \
			NO_SUBTECHNIQUE                                        \
	}
#define THREATS(...)                                                           \
	(const struct rule_threat[]){__VA_ARGS__},                             \
		ARRAY_SIZE(((const struct rule_threat[]){__VA_ARGS__}))

/* The tags of version 1, as the seed lists them. */
#define TAGS_V1                                                                \
	LIST("Domain: Endpoint", "OS: Linux", "Use Case: Threat Detection",    \
	     "Tactic: Persistence", "Tactic: Execution",                       \
	     "Data Source: Elastic Endgame", "Data Source: Elastic Defend",    \
	     "Data Source: Crowdstrike", "Data Source: SentinelOne")
/* The tags of version 6 on, as the upstream rule file lists them, with
 * the tactic tags (and version 8's Stealth) where the file has them. */
#define TAGS_V6(...)                                                           \
	LIST("Domain: Endpoint", "OS: Linux", "Platform: Linux",               \
	     "Data Source: Elastic Endgame", "Data Source: Elastic Defend",    \
	     "Data Source: Crowdstrike", "Data Source: SentinelOne",           \
	     "Rule Type: Event Correlation (EQL)", __VA_ARGS__,                \
	     "Resources: Investigation Guide")

/* One version: what the alert says, and the query. */
struct version {
	struct rule_meta meta;
	const struct query *query;
};

/* The metadata of version v; refs, threats and tags are LIST or THREATS
 * (each two initializers: the array, then its length). */
#define DECLARE(v, refs, thr, tg, q)                                           \
	{                                                                      \
		.meta = {.id = RULE_ID,                                        \
			 .name = RULE_NAME,                                    \
			 .description = RULE_DESCRIPTION,                      \
			 .author = "Elastic",                                  \
			 .license = "Elastic License v2",                      \
			 .severity = "low",                                    \
			 .version = (v),                                       \
			 .risk_score = RULE_RISK_SCORE,                        \
			 .references = refs,                                   \
			 .threats = thr,                                       \
			 .tags = tg},                                          \
		.query = (q)                                                   \
	}

/* Every version this build knows, each declared whole. */
static const struct version versions[] = {
	DECLARE(1, LIST(GUIDE_8_17_3),
		THREATS(PERSISTENCE_PRE_OS_BOOT, EXECUTION_UNIX_SHELL), TAGS_V1,
		&query_v1),
	DECLARE(7, LIST(RULE_TOML),
		THREATS(PERSISTENCE_PRE_OS_BOOT, EXECUTION_UNIX_SHELL,
			TA0005_PRE_OS_BOOT("Defense Evasion")),
		TAGS_V6("Tactic: Persistence", "Tactic: Execution"), &query_v6),
	DECLARE(8, LIST(RULE_TOML),
		THREATS(PERSISTENCE_PRE_OS_BOOT, EXECUTION_UNIX_SHELL,
			TA0005_PRE_OS_BOOT("Stealth")),
		TAGS_V6("Tactic: Persistence", "Tactic: Execution",
			"Tactic: Stealth"),
		&query_v6),
};

/* Room for rule_versions_text: a few digits and a separator each. */
#define VERSIONS_TEXT_MAX 128

static const struct version *version_find(int v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(versions); i++)
		if (versions[i].meta.version == v)
			return &versions[i];
	return NULL;
}

bool rule_version_known(int version)
{
	return version_find(version) != NULL;
}

const char *rule_versions_text(void)
{
	static char text[VERSIONS_TEXT_MAX];
	size_t i, n = ARRAY_SIZE(versions), len = 0;

	if (text[0])
		return text;
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%d",
					i == 0	     ? ""
					: i + 1 == n ? " or "
						     : ", ",
					versions[i].meta.version);
	return text;
}

const char *rule_verdict_name(enum rule_verdict v)
{
	static const char *const names[] = {
		[RULE_NOT_CANDIDATE] = "not_candidate",
		[RULE_NO_PARENT] = "no_parent",
		[RULE_EXCLUDED] = "excluded",
		[RULE_EXCEPTED] = "excepted",
		[RULE_ALERT] = "alert",
	};

	return (unsigned)v < ARRAY_SIZE(names) ? names[v] : "?";
}

/* ---------------------------------------------------------------- the rule */

struct rule {
	const struct version *def;
	struct rule_exception *exc; /* nexc local exceptions, owned */
	size_t nexc;
	struct rule_clause *exc_tests; /* the exceptions, as clauses */
	uint64_t stamp;		       /* rule_parent_stamp */
	uint64_t *excluded;	       /* per exclusion */
	uint64_t *excepted;	       /* per exception */
	uint64_t inexact, stale;
};

/* FNV-1a, 64 bits: the fingerprint of the parent-side tests. */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * FNV_PRIME;
	return h;
}

/* Fold the list's tag and its parent-side tests into h, each with its
 * place: the child-side tests and the list's length do not count. */
static uint64_t hash_tests(uint64_t h, char tag, const struct rule_clause *t,
			   size_t n)
{
	size_t i, k;

	h = hash_bytes(h, &tag, sizeof(tag));
	for (i = 0; i < n; i++) {
		if (!t[i].field.parent)
			continue;
		h = hash_bytes(h, &i, sizeof(i));
		h = hash_bytes(h, &t[i].field.id, sizeof(t[i].field.id));
		h = hash_bytes(h, &t[i].op, sizeof(t[i].op));
		h = hash_bytes(h, &t[i].npatterns, sizeof(t[i].npatterns));
		for (k = 0; k < t[i].npatterns; k++)
			if (t[i].patterns[k])
				h = hash_bytes(h, t[i].patterns[k],
					       strlen(t[i].patterns[k]) + 1);
	}
	return h;
}

/* Copy the exceptions into rule and view each as a clause. */
static int rule_take_exceptions(struct rule *rule,
				const struct rule_exception *exc, size_t nexc)
{
	size_t i;

	rule->exc = calloc(nexc, sizeof(*rule->exc));
	rule->exc_tests = calloc(nexc, sizeof(*rule->exc_tests));
	rule->excepted = calloc(nexc, sizeof(*rule->excepted));
	if (!rule->exc || !rule->exc_tests || !rule->excepted)
		return -1;
	for (i = 0; i < nexc; i++) {
		struct rule_exception *e = &rule->exc[i];

		if (rule_exception_copy(e, &exc[i]) < 0)
			return -1;
		rule->nexc = i + 1;
		rule->exc_tests[i] = (struct rule_clause){
			e->field, e->op, (const char *const *)e->values,
			e->nvalues};
	}
	return 0;
}

struct rule *rule_create(int version, const struct rule_exception *exc,
			 size_t nexc)
{
	const struct version *def = version_find(version);
	struct rule *rule;
	uint64_t h;

	if (!def || (nexc && !exc)) {
		errno = EINVAL;
		return NULL;
	}
	rule = calloc(1, sizeof(*rule));
	if (!rule)
		return NULL;
	rule->def = def;
	/* one more counter than clauses: never a request for 0 bytes */
	rule->excluded =
		calloc(def->query->nexclusions + 1, sizeof(*rule->excluded));
	if (!rule->excluded ||
	    (nexc && rule_take_exceptions(rule, exc, nexc) < 0)) {
		rule_free(rule);
		errno = ENOMEM;
		return NULL;
	}
	h = hash_tests(FNV_OFFSET, 'x', def->query->exclusions,
		       def->query->nexclusions);
	h = hash_tests(h, 'e', rule->exc_tests, rule->nexc);
	rule->stamp = h ? h : 1; /* 0 means "no result" */
	return rule;
}

void rule_free(struct rule *rule)
{
	size_t i;

	if (!rule)
		return;
	for (i = 0; i < rule->nexc; i++)
		rule_exception_clear(&rule->exc[i]);
	free(rule->exc);
	free(rule->exc_tests);
	free(rule->excluded);
	free(rule->excepted);
	free(rule);
}

const struct rule_meta *rule_meta(const struct rule *rule)
{
	return rule ? &rule->def->meta : NULL;
}

const struct rule_clause *rule_clauses(const struct rule *rule, size_t *n)
{
	*n = rule->def->query->nexclusions;
	return rule->def->query->exclusions;
}

const struct rule_exception *rule_exceptions(const struct rule *rule, size_t *n)
{
	*n = rule->nexc;
	return rule->exc;
}

uint64_t rule_parent_stamp(const struct rule *rule)
{
	return rule->stamp;
}

void rule_counts(const struct rule *rule, struct rule_counts *out)
{
	out->excluded = rule->excluded;
	out->nexcluded = rule->def->query->nexclusions;
	out->excepted = rule->excepted;
	out->nexcepted = rule->nexc;
	out->inexact = rule->inexact;
	out->stale = rule->stale;
}

/* ---------------------------------------------------------------- matching */

static uint32_t len32(const char *s)
{
	size_t n = strlen(s);

	return n < UINT32_MAX ? (uint32_t)n : UINT32_MAX;
}

/*
 * Does test t match img (the process or the parent, whichever t names)?
 * On a match, hit names the pattern, element and length, and v holds the
 * field's value.
 */
static bool test_image(const struct rule_clause *t, const struct image *img,
		       struct field_value *v, struct rule_hit *hit)
{
	size_t pat, i;

	field_get(t->field.id, img, v);
	memset(hit, 0, sizeof(*hit));
	if (!v->arr) {
		if (!match_find(t->op, t->patterns, t->npatterns, v->str, &pat))
			return false;
		hit->pattern = (uint32_t)pat;
		hit->len = len32(v->str);
		return true;
	}
	for (i = 0; i < v->n; i++) {
		if (match_find(t->op, t->patterns, t->npatterns, v->arr[i],
			       &pat)) {
			hit->pattern = (uint32_t)pat;
			hit->element = (uint32_t)i;
			hit->len = len32(v->arr[i]);
			return true;
		}
	}
	return false;
}

/*
 * The first of the n tests that matches. A parent-side test is judged by
 * kept when there is one (it names the first parent-side test that matched
 * the whole image), else on parent; the others on proc. Returns 1 + its
 * index with *hit and v filled, or 0.
 */
static size_t first_match(const struct rule_clause *tests, size_t n,
			  const struct rule_hit *kept, const struct image *proc,
			  const struct image *parent, struct rule_hit *hit,
			  struct field_value *v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct rule_clause *t = &tests[i];

		if (t->field.parent && kept) {
			if (kept->test != i + 1)
				continue;
			*hit = *kept;
			field_get(t->field.id, parent, v);
			return i + 1;
		}
		if (test_image(t, t->field.parent ? parent : proc, v, hit)) {
			hit->test = (uint32_t)(i + 1);
			return i + 1;
		}
	}
	return 0;
}

/* Only the parent-side tests: a NULL process matches none of the others. */
void rule_parent_eval(const struct rule *rule, const struct image *parent,
		      struct rule_parent_result *out)
{
	const struct query *q = rule->def->query;
	struct field_value v;

	memset(out, 0, sizeof(*out));
	out->stamp = rule->stamp;
	if (!parent)
		return;
	first_match(q->exclusions, q->nexclusions, NULL, NULL, parent,
		    &out->exclusion, &v);
	first_match(rule->exc_tests, rule->nexc, NULL, NULL, parent,
		    &out->exception, &v);
}

bool rule_candidate(const struct rule *rule, const struct image *proc)
{
	struct field_value v;
	struct rule_hit hit;

	if (!rule || !proc || !proc->success)
		return false;
	return test_image(&rule->def->query->candidate, proc, &v, &hit);
}

const char *rule_decision_value(const struct rule_decision *d)
{
	if (d->value)
		return d->value;
	return d->num[0] ? d->num : NULL;
}

/* Name in d the value that hit matched, as v holds the field. A hit from
 * a kept result names it by place and length, which a cut copy may have
 * lost. */
static void name_value(struct rule_decision *d, const struct field_value *v,
		       const struct rule_hit *hit)
{
	const char *s =
		v->arr ? (hit->element < v->n ? v->arr[hit->element] : NULL)
		       : v->str;

	if (!s || len32(s) != hit->len || hit->len == UINT32_MAX) {
		d->value_cut = true;
		return;
	}
	if (s >= v->num && s < v->num + sizeof(v->num)) {
		/* a number's text lives in v, which the caller's frame owns */
		snprintf(d->num, sizeof(d->num), "%s", s);
		return;
	}
	d->value = s;
}

/* Did one of the n tests decide? Fills d from the first that matched. */
static bool decide(struct rule_decision *d, const struct rule_clause *tests,
		   size_t n, const struct rule_hit *kept,
		   const struct image *proc, const struct image *parent)
{
	struct field_value v;
	struct rule_hit hit;
	size_t i = first_match(tests, n, kept, proc, parent, &hit, &v);

	if (!i--)
		return false;
	d->index = i;
	d->field = tests[i].field;
	d->op = tests[i].op;
	d->pattern = tests[i].patterns[hit.pattern];
	name_value(d, &v, &hit);
	return true;
}

/* A kept result is used only when the current tests made it. */
static const struct rule_parent_result *
usable(struct rule *rule, const struct image *parent,
       const struct rule_parent_result *kept, struct rule_decision *d)
{
	if (kept && kept->stamp != rule->stamp) {
		d->stale = true;
		rule->stale++;
		kept = NULL;
	}
	if (!kept && (parent->flags & IMAGE_COPY_TRUNCATED)) {
		d->inexact = true;
		rule->inexact++;
	}
	return kept;
}

enum rule_verdict rule_eval(struct rule *rule, const struct image *proc,
			    const struct image *parent,
			    const struct rule_parent_result *kept,
			    struct rule_decision *d)
{
	const struct query *q;
	struct rule_decision local;

	if (!d)
		d = &local;
	memset(d, 0, sizeof(*d));
	d->version = rule ? rule->def->meta.version : 0;
	if (!rule_candidate(rule, proc))
		return d->verdict = RULE_NOT_CANDIDATE;
	if (!parent || !parent->executable)
		return d->verdict = RULE_NO_PARENT;
	q = rule->def->query;
	kept = usable(rule, parent, kept, d);
	if (decide(d, q->exclusions, q->nexclusions,
		   kept ? &kept->exclusion : NULL, proc, parent)) {
		rule->excluded[d->index]++;
		return d->verdict = RULE_EXCLUDED;
	}
	if (decide(d, rule->exc_tests, rule->nexc,
		   kept ? &kept->exception : NULL, proc, parent)) {
		rule->excepted[d->index]++;
		d->line = rule->exc[d->index].line;
		return d->verdict = RULE_EXCEPTED;
	}
	return d->verdict = RULE_ALERT;
}
