/* rule.c - the Manual Dracut Execution rule as data, and local exceptions */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "match.h"
#include "rule.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The query, from the seed (version 1) and the upstream rule (version 7):
 *
 *   process where host.os.type == "linux" and event.type == "start" and
 *   event.action in ("exec", "exec_event", "start", "ProcessRollup2") and
 *   process.name == "dracut" and process.parent.executable != null and
 *   not (parent.executable like~ (...) or parent.name in (...) or
 *        parent.args like~ (...) or parent.command_line like~ "...")
 *
 * host.os.type, event.type and event.action hold for every successful
 * execve or execveat this plugin sees, so they reduce to image.success.
 * Version 6 matched parent.executable with like instead of like~ and added
 * six parents; version 7 changed only the MITRE mapping. Each list is
 * written once: version 1 uses a prefix of the longer one.
 */

/* One test of one field: true if the field matches any of the values. */
struct clause {
	enum rule_field field;
	enum match_op op;
	const char *const *values;
	size_t nvalues;
};

static const char *const process_names[] = {"dracut"};

static const char *const parent_executables[] = {
	/* version 1 */
	"/usr/lib/kernel/*",
	"/etc/kernel/install.d/*",
	"/var/lib/dpkg/info/dracut.postinst",
	"/tmp/newroot/*",
	"/usr/lib/module-init-tools/*",
	/* added in version 6 */
	"/usr/bin/xargs",
	"/sbin/dkms",
	"/sbin/mkinitrd",
	"/usr/bin/timeout",
	"/usr/sbin/dkms",
	"/usr/bin/systemd-inhibit",
};
#define PARENT_EXECUTABLES_V1 5

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

/* Every clause must hold for a process to be a candidate. */
static const struct clause candidate_clauses[] = {
	{RULE_F_NAME, MATCH_EQ, process_names, ARRAY_SIZE(process_names)},
};

/* Any one of these clauses excludes the process (the rule's not (...)). */
static const struct clause exclusions_v1[] = {
	{RULE_F_PARENT_EXECUTABLE, MATCH_ILIKE, parent_executables,
	 PARENT_EXECUTABLES_V1},
	{RULE_F_PARENT_NAME, MATCH_EQ, parent_names, ARRAY_SIZE(parent_names)},
	{RULE_F_PARENT_ARGS, MATCH_ILIKE, parent_args, ARRAY_SIZE(parent_args)},
	{RULE_F_PARENT_COMMAND_LINE, MATCH_ILIKE, parent_command_lines,
	 ARRAY_SIZE(parent_command_lines)},
};

static const struct clause exclusions_v7[] = {
	{RULE_F_PARENT_EXECUTABLE, MATCH_LIKE, parent_executables,
	 ARRAY_SIZE(parent_executables)},
	{RULE_F_PARENT_NAME, MATCH_EQ, parent_names, ARRAY_SIZE(parent_names)},
	{RULE_F_PARENT_ARGS, MATCH_ILIKE, parent_args, ARRAY_SIZE(parent_args)},
	{RULE_F_PARENT_COMMAND_LINE, MATCH_ILIKE, parent_command_lines,
	 ARRAY_SIZE(parent_command_lines)},
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

static const char *const references_v1[] = {
	"https://www.elastic.co/guide/en/security/current/"
	"prebuilt-rule-8-17-3-manual-dracut-execution.html",
};

static const char *const references_v7[] = {
	"https://github.com/elastic/detection-rules/blob/main/rules/linux/"
	"persistence_manual_dracut_execution.toml",
};

#define TACTIC(id, name) id, name, "https://attack.mitre.org/tactics/" id "/"
#define TECHNIQUE(id, name)                                                    \
	id, name, "https://attack.mitre.org/techniques/" id "/"
#define NO_SUBTECHNIQUE NULL, NULL, NULL

static const struct rule_threat threats[] = {
	{TACTIC("TA0003", "Persistence"), TECHNIQUE("T1542", "Pre-OS Boot"),
	 NO_SUBTECHNIQUE},
	{TACTIC("TA0002", "Execution"),
	 TECHNIQUE("T1059", "Command and Scripting Interpreter"), "T1059.004",
	 "Unix Shell", "https://attack.mitre.org/techniques/T1059/004/"},
	/* added in version 7 */
	{TACTIC("TA0005", "Defense Evasion"), TECHNIQUE("T1542", "Pre-OS Boot"),
	 NO_SUBTECHNIQUE},
};
#define THREATS_V1 2

#define META(v, refs, nthr)                                                    \
	{                                                                      \
		.id = RULE_ID, .name = RULE_NAME,                              \
		.description = RULE_DESCRIPTION, .author = "Elastic",          \
		.license = "Elastic License v2", .severity = "low",            \
		.version = (v), .risk_score = 21, .references = (refs),        \
		.nreferences = ARRAY_SIZE(refs), .threats = threats,           \
		.nthreats = (nthr),                                            \
	}

/* One version of the rule: its metadata and its exclusions. */
struct rule_def {
	struct rule_meta meta;
	const struct clause *exclusions;
	size_t nexclusions;
};

static const struct rule_def rule_defs[] = {
	{META(1, references_v1, THREATS_V1), exclusions_v1,
	 ARRAY_SIZE(exclusions_v1)},
	{META(7, references_v7, ARRAY_SIZE(threats)), exclusions_v7,
	 ARRAY_SIZE(exclusions_v7)},
};

struct rule {
	const struct rule_def *def;
	struct rule_exception *exc; /* nexc local exceptions, owned */
	size_t nexc;
};

/* ---------------------------------------------------------------- fields */

/* Field names as exceptions spell them; user.* is an alias of
 * process.user.*. */
static const struct {
	const char *name;
	enum rule_field field;
} field_names[] = {
	{"process.executable", RULE_F_EXECUTABLE},
	{"process.name", RULE_F_NAME},
	{"process.args", RULE_F_ARGS},
	{"process.command_line", RULE_F_COMMAND_LINE},
	{"process.parent.executable", RULE_F_PARENT_EXECUTABLE},
	{"process.parent.name", RULE_F_PARENT_NAME},
	{"process.parent.args", RULE_F_PARENT_ARGS},
	{"process.parent.command_line", RULE_F_PARENT_COMMAND_LINE},
	{"process.user.name", RULE_F_USER_NAME},
	{"process.user.id", RULE_F_USER_ID},
	{"user.name", RULE_F_USER_NAME},
	{"user.id", RULE_F_USER_ID},
};

/* Room for the decimal form of any uid_t, with its NUL. */
#define UID_BUF 24

/*
 * The value of field for proc (or its parent): either one string in *str
 * or an array in *arr and *narr. A missing field leaves both NULL. uidbuf
 * holds the decimal uid for RULE_F_USER_ID, always present, written as the
 * alert writes process.user.id (4294967295 included).
 */
static void field_get(enum rule_field field, const struct image *proc,
		      const struct image *parent, char uidbuf[UID_BUF],
		      const char **str, char *const **arr, size_t *narr)
{
	const struct image *img = proc;

	*str = NULL;
	*arr = NULL;
	*narr = 0;
	switch (field) {
	case RULE_F_PARENT_EXECUTABLE:
	case RULE_F_PARENT_NAME:
	case RULE_F_PARENT_ARGS:
	case RULE_F_PARENT_COMMAND_LINE:
		img = parent;
		break;
	default:
		break;
	}
	if (!img)
		return;
	switch (field) {
	case RULE_F_EXECUTABLE:
	case RULE_F_PARENT_EXECUTABLE:
		*str = img->executable;
		break;
	case RULE_F_NAME:
	case RULE_F_PARENT_NAME:
		*str = img->name;
		break;
	case RULE_F_ARGS:
	case RULE_F_PARENT_ARGS:
		if (img->args) {
			*arr = img->args;
			*narr = img->argc;
		}
		break;
	case RULE_F_COMMAND_LINE:
	case RULE_F_PARENT_COMMAND_LINE:
		*str = img->command_line;
		break;
	case RULE_F_USER_NAME:
		*str = img->user_name;
		break;
	case RULE_F_USER_ID:
		snprintf(uidbuf, UID_BUF, "%lu", (unsigned long)img->uid);
		*str = uidbuf;
		break;
	}
}

/* true if field of proc/parent matches any of values under op. */
static bool field_match(enum rule_field field, enum match_op op,
			const char *const *values, size_t nvalues,
			const struct image *proc, const struct image *parent)
{
	char uidbuf[UID_BUF];
	const char *str;
	char *const *arr;
	size_t narr;

	field_get(field, proc, parent, uidbuf, &str, &arr, &narr);
	if (arr)
		return match_array(op, values, nvalues, arr, narr);
	return match_value(op, values, nvalues, str);
}

static bool clause_match(const struct clause *c, const struct image *proc,
			 const struct image *parent)
{
	return field_match(c->field, c->op, c->values, c->nvalues, proc,
			   parent);
}

static bool exception_match(const struct rule_exception *e,
			    const struct image *proc,
			    const struct image *parent)
{
	return field_match(e->field, e->op, (const char *const *)e->values,
			   e->nvalues, proc, parent);
}

/* ---------------------------------------------------------------- the rule */

static const struct rule_def *rule_def_find(int version)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rule_defs); i++)
		if (rule_defs[i].meta.version == version)
			return &rule_defs[i];
	return NULL;
}

/* true if version names a rule this build knows (1 or 7). */
bool rule_version_known(int version)
{
	return rule_def_find(version) != NULL;
}

/* Deep-copy src into dst; on ENOMEM returns -1 with dst cleared. */
static int exception_copy(struct rule_exception *dst,
			  const struct rule_exception *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->field = src->field;
	dst->op = src->op;
	if (src->nvalues == 0)
		return 0;
	dst->values = calloc(src->nvalues, sizeof(*dst->values));
	if (!dst->values)
		return -1;
	dst->nvalues = src->nvalues;
	for (i = 0; i < src->nvalues; i++) {
		if (!src->values[i])
			continue;
		dst->values[i] = strdup(src->values[i]);
		if (!dst->values[i]) {
			rule_exception_clear(dst);
			return -1;
		}
	}
	return 0;
}

/*
 * Build the rule of the given version (1 or 7) with nexc local exceptions,
 * which are copied: the caller keeps its own. Returns NULL for an unknown
 * version (errno EINVAL) or on ENOMEM; the caller frees it with rule_free.
 */
struct rule *rule_create(int version, const struct rule_exception *exc,
			 size_t nexc)
{
	const struct rule_def *def = rule_def_find(version);
	struct rule *rule;
	size_t i;

	if (!def || (nexc && !exc)) {
		errno = EINVAL;
		return NULL;
	}
	rule = calloc(1, sizeof(*rule));
	if (!rule)
		return NULL;
	rule->def = def;
	if (nexc) {
		rule->exc = calloc(nexc, sizeof(*rule->exc));
		if (!rule->exc) {
			free(rule);
			return NULL;
		}
		for (i = 0; i < nexc; i++) {
			if (exception_copy(&rule->exc[i], &exc[i]) < 0) {
				rule_free(rule);
				errno = ENOMEM;
				return NULL;
			}
			rule->nexc = i + 1;
		}
	}
	return rule;
}

/* Free a rule and its exceptions. rule_free(NULL) is safe. */
void rule_free(struct rule *rule)
{
	size_t i;

	if (!rule)
		return;
	for (i = 0; i < rule->nexc; i++)
		rule_exception_clear(&rule->exc[i]);
	free(rule->exc);
	free(rule);
}

/*
 * true if proc qualifies before its parent is looked at: a successful exec
 * whose process.name is "dracut" (case-sensitive). NULL arguments give
 * false.
 */
bool rule_candidate(const struct rule *rule, const struct image *proc)
{
	size_t i;

	if (!rule || !proc || !proc->success)
		return false;
	for (i = 0; i < ARRAY_SIZE(candidate_clauses); i++)
		if (!clause_match(&candidate_clauses[i], proc, NULL))
			return false;
	return true;
}

/*
 * Evaluate the rule on proc and its parent (NULL when unknown): candidate
 * test, then process.parent.executable != null (an empty string exists),
 * then the rule's exclusions, then the local exceptions.
 */
enum rule_verdict rule_eval(const struct rule *rule, const struct image *proc,
			    const struct image *parent)
{
	size_t i;

	if (!rule_candidate(rule, proc))
		return RULE_NOT_CANDIDATE;
	if (!parent || !parent->executable)
		return RULE_NO_PARENT;
	for (i = 0; i < rule->def->nexclusions; i++)
		if (clause_match(&rule->def->exclusions[i], proc, parent))
			return RULE_EXCLUDED;
	for (i = 0; i < rule->nexc; i++)
		if (exception_match(&rule->exc[i], proc, parent))
			return RULE_EXCEPTED;
	return RULE_ALERT;
}

/* The rule's metadata: static data, valid for the life of the program. */
const struct rule_meta *rule_meta(const struct rule *rule)
{
	return rule ? &rule->def->meta : NULL;
}

/* ------------------------------------------------------------ exceptions */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of the token at s, up to the next blank or end (for messages). */
static int token_len(const char *s)
{
	size_t n = strcspn(s, " \t");

	return n > 60 ? 60 : (int)n;
}

/* Length of the rest of the text at s, capped for messages. */
static int snip_len(const char *s)
{
	size_t n = strlen(s);

	return n > 60 ? 60 : (int)n;
}

/* true if s is a canonical decimal number: digits, no leading zero. */
static bool is_decimal(const char *s)
{
	if (!*s || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Append v (taken over) to out->values. Returns 0, or -1 on ENOMEM. */
static int add_value(struct rule_exception *out, char *v)
{
	char **nv = realloc(out->values, (out->nvalues + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	out->values = nv;
	out->values[out->nvalues++] = v;
	return 0;
}

/*
 * Read the double-quoted value at *sp (which points at the opening quote).
 * A backslash pairs with the byte after it: \" gives a literal quote and
 * every other pair passes through unchanged, so "\*" stays the pattern \*
 * and "\\" the pattern \\. Returns the new string and advances *sp past the
 * closing quote, or NULL (with *sp unchanged) if the quote is unterminated
 * or on ENOMEM (errno says which: EINVAL or ENOMEM).
 */
static char *read_quoted(const char **sp)
{
	const char *s = *sp + 1;
	char *v, *o;

	v = malloc(strlen(s) + 1);
	if (!v) {
		errno = ENOMEM;
		return NULL;
	}
	o = v;
	for (;;) {
		if (*s == '\0') {
			free(v);
			errno = EINVAL;
			return NULL;
		}
		if (*s == '"')
			break;
		if (*s == '\\' && s[1] == '"') {
			*o++ = '"';
			s += 2;
		} else if (*s == '\\' && s[1] != '\0') {
			*o++ = *s++;
			*o++ = *s++;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	*sp = s + 1;
	return v;
}

/*
 * Parse one exception: FIELD OP VALUE..., where FIELD is one of the names
 * in field_names, OP is ==, in, like or like~, and each VALUE is a
 * double-quoted string. Values are separated by blanks, or written as an
 * EQL list: ("a", "b"). == takes exactly one value, the others one or
 * more. Returns 0 with out filled (the caller releases it with
 * rule_exception_clear), or -1 with out cleared and a one-line reason in
 * err (ENOMEM included).
 */
int rule_exception_parse(const char *text, struct rule_exception *out,
			 char *err, size_t errlen)
{
	const char *s, *tok, *opname;
	size_t len, i;
	bool found = false, list = false;
	char *v;

	if (!out) {
		set_err(err, errlen, "internal error: no exception to fill");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (!text) {
		set_err(err, errlen, "empty exception");
		return -1;
	}

	/* the field: letters, digits, '.', '_' */
	s = skip_space(text);
	if (!*s) {
		set_err(err, errlen,
			"empty exception: expected FIELD OPERATOR "
			"\"VALUE\"...");
		return -1;
	}
	tok = s;
	while (isalnum((unsigned char)*s) || *s == '.' || *s == '_')
		s++;
	len = (size_t)(s - tok);
	if (len == 0) {
		set_err(err, errlen, "expected a field name at '%.*s'",
			token_len(tok), tok);
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(field_names); i++) {
		if (strlen(field_names[i].name) == len &&
		    memcmp(field_names[i].name, tok, len) == 0) {
			out->field = field_names[i].field;
			found = true;
			break;
		}
	}
	if (!found) {
		set_err(err, errlen,
			"unknown field '%.*s' (expected process.executable, "
			"process.name, process.args, process.command_line, "
			"process.parent.executable, process.parent.name, "
			"process.parent.args, process.parent.command_line, "
			"process.user.name, process.user.id, user.name or "
			"user.id)",
			len > 60 ? 60 : (int)len, tok);
		return -1;
	}

	/* the operator: everything up to a blank, a quote or a paren */
	s = skip_space(s);
	tok = s;
	while (*s && *s != ' ' && *s != '\t' && *s != '"' && *s != '(')
		s++;
	len = (size_t)(s - tok);
	if (len == 0) {
		set_err(err, errlen,
			"missing operator after '%s' (expected ==, in, like "
			"or like~)",
			field_names[i].name);
		return -1;
	}
	if (len == 2 && memcmp(tok, "==", 2) == 0) {
		out->op = MATCH_EQ;
		opname = "==";
	} else if (len == 2 && memcmp(tok, "in", 2) == 0) {
		out->op = MATCH_EQ;
		opname = "in";
	} else if (len == 4 && memcmp(tok, "like", 4) == 0) {
		out->op = MATCH_LIKE;
		opname = "like";
	} else if (len == 5 && memcmp(tok, "like~", 5) == 0) {
		out->op = MATCH_ILIKE;
		opname = "like~";
	} else {
		set_err(err, errlen,
			"unknown operator '%.*s' (expected ==, in, like or "
			"like~)",
			len > 60 ? 60 : (int)len, tok);
		return -1;
	}

	/* the values */
	s = skip_space(s);
	if (*s == '(') {
		list = true;
		s = skip_space(s + 1);
	}
	for (;;) {
		if (*s == '\0' || (list && *s == ')'))
			break;
		if (out->nvalues > 0 && !list && *s != '"')
			break; /* trailing text, reported below */
		if (out->nvalues > 0 && list) {
			if (*s != ',') {
				set_err(err, errlen,
					"expected ',' or ')' at '%.*s'",
					token_len(s), s);
				goto fail;
			}
			s = skip_space(s + 1);
		}
		if (*s != '"') {
			if (*s == '\0' || (list && *s == ')'))
				set_err(err, errlen,
					"missing value after ',' in the list");
			else
				set_err(err, errlen,
					"expected a double-quoted value at "
					"'%.*s'",
					token_len(s), s);
			goto fail;
		}
		tok = s;
		v = read_quoted(&s);
		if (!v) {
			if (errno == ENOMEM)
				set_err(err, errlen, "out of memory");
			else
				set_err(err, errlen,
					"unterminated quote in value %.*s",
					snip_len(tok), tok);
			goto fail;
		}
		if (add_value(out, v) < 0) {
			free(v);
			set_err(err, errlen, "out of memory");
			goto fail;
		}
		s = skip_space(s);
	}
	if (list) {
		if (*s != ')') {
			set_err(err, errlen,
				"missing ')' at the end of the list");
			goto fail;
		}
		s = skip_space(s + 1);
	}
	if (*s != '\0') {
		set_err(err, errlen, "unexpected text after the values: '%.*s'",
			snip_len(s), s);
		goto fail;
	}
	if (out->nvalues == 0) {
		set_err(err, errlen, "missing value: '%s' needs %s", opname,
			strcmp(opname, "==") == 0
				? "one double-quoted value"
				: "one or more double-quoted values");
		goto fail;
	}
	if (strcmp(opname, "==") == 0 && out->nvalues != 1) {
		set_err(err, errlen,
			"'==' takes exactly one value, got %zu (use 'in' for "
			"several)",
			out->nvalues);
		goto fail;
	}
	if (out->field == RULE_F_USER_ID && out->op == MATCH_EQ) {
		for (i = 0; i < out->nvalues; i++) {
			if (!is_decimal(out->values[i])) {
				set_err(err, errlen,
					"user id '%.60s' is not a decimal "
					"number without leading zeros",
					out->values[i]);
				goto fail;
			}
			/* a uid is 32 bits; a larger one never matches */
			if (strlen(out->values[i]) > 10 ||
			    strtoull(out->values[i], NULL, 10) > UINT32_MAX) {
				set_err(err, errlen,
					"user id '%.60s' is out of range "
					"(0-4294967295)",
					out->values[i]);
				goto fail;
			}
		}
	}
	return 0;
fail:
	rule_exception_clear(out);
	return -1;
}

/* Free the values of exc and zero it. Safe on NULL and on a cleared one. */
void rule_exception_clear(struct rule_exception *exc)
{
	size_t i;

	if (!exc)
		return;
	for (i = 0; i < exc->nvalues; i++)
		free(exc->values[i]);
	free(exc->values);
	memset(exc, 0, sizeof(*exc));
}
