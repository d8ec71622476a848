/* rule.h - the Manual Dracut Execution rule, as data, plus local exceptions */
#ifndef RULE_H
#define RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "match.h"

/* Fields a clause or an exception can test. */
enum rule_field {
	RULE_F_EXECUTABLE,
	RULE_F_NAME,
	RULE_F_ARGS,
	RULE_F_COMMAND_LINE,
	RULE_F_PARENT_EXECUTABLE,
	RULE_F_PARENT_NAME,
	RULE_F_PARENT_ARGS,
	RULE_F_PARENT_COMMAND_LINE,
	RULE_F_USER_NAME, /* process.user.name (also user.name) */
	RULE_F_USER_ID,	  /* process.user.id (also user.id), decimal uid */
};

/* One local exception from the configuration file. */
struct rule_exception {
	enum rule_field field;
	enum match_op op;
	char **values; /* nvalues strings, owned */
	size_t nvalues;
};

/*
 * Parse the text of one exception, for example
 *   process.parent.executable like~ "/opt/kernel/hook-*" "/usr/local/sbin/x"
 * FIELD OPERATOR VALUE...: FIELD is process.{executable,name,args,
 * command_line}, process.parent.{executable,name,args,command_line},
 * process.user.{name,id} or user.{name,id}; OPERATOR is ==, in, like or
 * like~; values are double-quoted, blank-separated or an EQL list
 * ("a", "b"). == takes one value. In a value \" is a quote and any other
 * backslash is kept for the pattern. On success returns 0 and out owns
 * the values; the caller releases them with rule_exception_clear. On error
 * returns -1 with out cleared and a one-line reason in err.
 */
int rule_exception_parse(const char *text, struct rule_exception *out,
			 char *err, size_t errlen);
/* Free the values of exc and zero it; NULL-safe. */
void rule_exception_clear(struct rule_exception *exc);

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
};

enum rule_verdict {
	RULE_NOT_CANDIDATE, /* failed exec, or process.name != "dracut" */
	RULE_NO_PARENT,	    /* process.parent.executable is null */
	RULE_EXCLUDED,	    /* one of the rule's own exclusions matched */
	RULE_EXCEPTED,	    /* a local exception matched */
	RULE_ALERT,
};

struct rule;

/* Build the rule of version 1 or 7 with local exceptions (copied). Returns
 * NULL for an unknown version or on ENOMEM; free with rule_free. */
struct rule *rule_create(int version, const struct rule_exception *exc,
			 size_t nexc);
void rule_free(struct rule *rule);

/* true if version names a rule this build knows. */
bool rule_version_known(int version);

/* Cheap pre-filter: would proc qualify before its parent is known? The
 * caller looks up the parent only for candidates. */
bool rule_candidate(const struct rule *rule, const struct image *proc);

/* Evaluate the rule on proc and its parent (NULL when unknown). */
enum rule_verdict rule_eval(const struct rule *rule, const struct image *proc,
			    const struct image *parent);

const struct rule_meta *rule_meta(const struct rule *rule);

#endif /* RULE_H */
