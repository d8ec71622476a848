/* rule_exception.h - local exceptions: one configuration line each, parsed */
#ifndef RULE_EXCEPTION_H
#define RULE_EXCEPTION_H

#include <stddef.h>

#include "field.h"
#include "match.h"

/* One local exception: the process is not reported when field matches any
 * of the values under op. */
struct rule_exception {
	struct field_ref field;
	enum match_op op;
	char **values; /* nvalues strings, owned */
	size_t nvalues;
	unsigned line; /* its line in the configuration file; 0: none */
};

/*
 * Parse the text of one exception, for example
 *   process.parent.executable like~ "/opt/kernel/hook-*" "/usr/local/sbin/x"
 * FIELD OPERATOR VALUE...: FIELD is one of the names field_rule_names()
 * lists; OPERATOR is one of match_op_names(); values are double-quoted,
 * blank-separated or an EQL list ("a", "b"). == takes one value. In a
 * value \" is a quote and any other backslash is kept for the pattern. A
 * user id compared with == or in must be a decimal uid (0-4294967295,
 * no leading zero). out->line is left 0: the caller, which knows the line,
 * sets it. On success returns 0 and out owns the values; the caller
 * releases them with rule_exception_clear. On error returns -1 with out
 * cleared and a one-line reason in err (errlen bytes; err may be NULL).
 */
int rule_exception_parse(const char *text, struct rule_exception *out,
			 char *err, size_t errlen);

/* Deep-copy src into dst. Returns 0, or -1 on ENOMEM with dst cleared. */
int rule_exception_copy(struct rule_exception *dst,
			const struct rule_exception *src);

/* Free the values of exc and zero it; NULL-safe, and safe on a cleared
 * one. */
void rule_exception_clear(struct rule_exception *exc);

#endif /* RULE_EXCEPTION_H */
