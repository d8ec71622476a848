/* rule.h - the Manual Dracut Execution rule: its versions as data, verdicts */
#ifndef RULE_H
#define RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"
#include "image.h"
#include "match.h"
#include "rule_exception.h"

/* The version applied when neither the command line nor the configuration
 * names one: version 1, the seed. */
#define RULE_VERSION_DEFAULT 1

/* One test of the rule's query: true when the field matches any of the
 * patterns under op, as EQL has it (an array field: any element). */
struct rule_clause {
	struct field_ref field;
	enum match_op op;
	const char *const *patterns;
	size_t npatterns;
};

/* MITRE ATT&CK mapping; technique and subtechnique fields may be NULL. */
struct rule_threat {
	const char *tactic_id, *tactic_name, *tactic_reference;
	const char *technique_id, *technique_name, *technique_reference;
	const char *subtechnique_id, *subtechnique_name,
		*subtechnique_reference;
};

/* What the alert says about the rule. Static data, never freed. */
struct rule_meta {
	const char *id;
	const char *name;
	const char *description;
	const char *author;
	const char *license;
	const char *severity; /* "low" */
	int version;
	int risk_score;
	const char *const *references;
	size_t nreferences;
	const struct rule_threat *threats;
	size_t nthreats;
	const char *const *tags; /* the rule's own tags ("Tactic: Stealth") */
	size_t ntags;
};

/* true if version names a rule this build knows. */
bool rule_version_known(int version);

/* The versions this build knows, as "1, 7 or 8": for the usage text and
 * error messages. Static text, never NULL. */
const char *rule_versions_text(void);

enum rule_verdict {
	RULE_NOT_CANDIDATE, /* failed exec, or process.name != "dracut" */
	RULE_NO_PARENT,	    /* process.parent.executable is null */
	RULE_EXCLUDED,	    /* one of the rule's own exclusions matched */
	RULE_EXCEPTED,	    /* a local exception matched */
	RULE_ALERT,
};

/* The verdict's name for --explain: "not_candidate", "no_parent",
 * "excluded", "excepted" or "alert". Static text. */
const char *rule_verdict_name(enum rule_verdict v);

struct rule;

/*
 * Build the rule of a known version with nexc local exceptions, which are
 * copied (the caller keeps its own; their line numbers are kept). Returns
 * NULL for an unknown version or exceptions missing (errno EINVAL) or on
 * ENOMEM; free with rule_free (NULL-safe).
 */
struct rule *rule_create(int version, const struct rule_exception *exc,
			 size_t nexc);
void rule_free(struct rule *rule);

/* The rule's metadata: static data, valid for the life of the program;
 * NULL for a NULL rule. */
const struct rule_meta *rule_meta(const struct rule *rule);

/* The query's exclusions, in the order the rule writes them (its
 * "not (a or b or ...)"); *n set to their number. Static data. */
const struct rule_clause *rule_clauses(const struct rule *rule, size_t *n);

/* The rule's copy of the local exceptions, in configuration order; *n set
 * to their number. Valid while the rule is. */
const struct rule_exception *rule_exceptions(const struct rule *rule,
					     size_t *n);

/* Cheap pre-filter: would proc qualify before its parent is known (a
 * successful exec whose process.name is "dracut")? The caller looks up the
 * parent only for candidates. NULL arguments give false. */
bool rule_candidate(const struct rule *rule, const struct image *proc);

/*
 * ---- The parent's side, judged on its whole image ----
 *
 * The process table keeps parents cut at table_max_image_bytes, yet the
 * rule must see the whole arguments. So when the table keeps a cut copy,
 * it first judges the whole image with rule_parent_eval and keeps the
 * result beside the copy; rule_eval then takes that result instead of
 * testing the cut copy. The result is compact and fixed in size: for the
 * exclusions and for the exceptions that test process.parent.*, the first
 * one that matched (only the first can decide), with what names the match.
 */

/* Where a test matched. */
struct rule_hit {
	uint32_t test;	  /* 1 + the clause's or exception's index; 0: none
			   * of the parent-side ones matched */
	uint32_t pattern; /* index of the pattern (or value) that matched */
	uint32_t element; /* array field: index of the element that matched */
	uint32_t len;	  /* bytes of the value that matched (UINT32_MAX:
			   * longer), to tell whether a cut copy holds it
			   * whole */
};

/* The parent-side tests of one rule on one whole image. */
struct rule_parent_result {
	uint64_t stamp;		   /* the parent-side tests it was made by;
				    * 0: no result */
	struct rule_hit exclusion; /* first exclusion that matched */
	struct rule_hit exception; /* first parent-side exception */
};

/*
 * Judge parent, the whole image of a process that may become a parent (as
 * the table receives it, before cutting), with every exclusion and local
 * exception that tests process.parent.*, into *out. No allocation, no
 * I/O; parent NULL gives a result in which nothing matched.
 */
void rule_parent_eval(const struct rule *rule, const struct image *parent,
		      struct rule_parent_result *out);

/*
 * The parent-side tests of rule, as a non-zero fingerprint of the tests
 * and their places in the rule (a hash). Two rules with equal stamps judge
 * parents alike, so a result stays valid across a reload that does not
 * change those tests (rule version 7 to 8, or a new exception on
 * process.user.id). A result whose stamp differs is stale.
 */
uint64_t rule_parent_stamp(const struct rule *rule);

/* ---- The decision ---- */

/* Room for a uid in decimal, with its NUL (as field_value.num). */
#define RULE_NUM_MAX sizeof(((struct field_value *)0)->num)

/*
 * What decided a candidate's verdict, from the evaluation that decides it,
 * for --explain. The strings are not copied: pattern belongs to the rule
 * (valid while it is), value to proc or parent (valid while they are).
 */
struct rule_decision {
	enum rule_verdict verdict;
	int version; /* the rule's version */
	/* RULE_EXCLUDED and RULE_EXCEPTED: the test that matched */
	size_t index;		/* in rule_clauses() or rule_exceptions() */
	unsigned line;		/* RULE_EXCEPTED: its configuration line */
	struct field_ref field; /* field_path() gives its ECS name */
	enum match_op op;	/* as the rule or exception writes it */
	const char *pattern;	/* the pattern (or value) that matched */
	const char *value;	/* the value it matched (an array field: the
				 * element); rule_decision_value reads it */
	char num[RULE_NUM_MAX]; /* the value, when it is a uid */
	bool value_cut;		/* the value lies past the table's cut: the kept
				 * result names the match, but value is NULL */
	/* the parent was judged on the table's cut copy, without a current
	 * kept result: the verdict may not be the whole arguments' */
	bool inexact;
	bool stale; /* a kept result came from other parent-side tests (a
		     * reload) and was not used */
};

/* The value d's test matched: d->value, the uid in d->num, or NULL (no
 * match, or value_cut). */
const char *rule_decision_value(const struct rule_decision *d);

/*
 * Evaluate the rule on proc and its parent (NULL when unknown): the
 * candidate test, then process.parent.executable != null (an empty string
 * exists), then the exclusions in order, then the local exceptions in
 * order; the first test that matches decides. kept is the table's result
 * for the parent (rule_parent_eval on its whole image), or NULL when the
 * parent image is whole; a kept result from other parent-side tests is not
 * used (d->stale), and the cut copy is judged instead (d->inexact). d
 * receives the decision when not NULL. Returns the verdict. Counts every
 * decision in the rule (rule_counts). No allocation.
 */
enum rule_verdict rule_eval(struct rule *rule, const struct image *proc,
			    const struct image *parent,
			    const struct rule_parent_result *kept,
			    struct rule_decision *d);

/*
 * How many candidates each test decided, since rule_create: excluded[i]
 * for rule_clauses()[i], excepted[i] for rule_exceptions()[i]; and how
 * many decisions were inexact or met a stale kept result. The arrays
 * belong to the rule and are valid while it is.
 */
struct rule_counts {
	const uint64_t *excluded;
	size_t nexcluded;
	const uint64_t *excepted;
	size_t nexcepted;
	uint64_t inexact;
	uint64_t stale;
};
void rule_counts(const struct rule *rule, struct rule_counts *out);

#endif /* RULE_H */
