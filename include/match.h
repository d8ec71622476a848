/* match.h - Elasticsearch EQL comparisons: ==, in, like and like~ */
#ifndef MATCH_H
#define MATCH_H

#include <stdbool.h>
#include <stddef.h>

/* The operators, as EQL writes them. == and in compare alike; they are
 * kept apart so that a rule or an exception is named as it was written. */
enum match_op {
	MATCH_EQ,    /* ==: exact, case-sensitive, one value */
	MATCH_IN,    /* in: exact, case-sensitive, a list */
	MATCH_LIKE,  /* like: wildcards, case-sensitive */
	MATCH_ILIKE, /* like~: wildcards, ASCII case folded */
	MATCH_NOPS
};

/* The operator's EQL spelling ("==", "in", "like", "like~"). Static
 * text; "?" for a value outside the enum. */
const char *match_op_name(enum match_op op);

/* The operator spelled by the len bytes at s. Returns 0 with *op set, or
 * -1 for a spelling EQL does not have here. */
int match_op_lookup(const char *s, size_t len, enum match_op *op);

/* Every operator's spelling as "a, b, c or d", for messages. Static text,
 * never NULL. */
const char *match_op_names(void);

/*
 * EQL wildcard match of value against pattern, anchored at both ends: '*'
 * matches any run of characters ('/' included), '?' exactly one character
 * (a valid UTF-8 sequence, or a single byte that is not part of one), '\'
 * makes the next byte literal; everything else is literal. fold_case folds
 * ASCII letters only. No I/O, no allocation.
 */
bool match_like(const char *pattern, const char *value, bool fold_case);

/*
 * The first of the n patterns that value matches under op (a list is an
 * OR): true with *which set to its index, or false. A NULL value (a missing
 * field), a NULL list or n == 0 match nothing; NULL patterns are skipped.
 * which may be NULL.
 */
bool match_find(enum match_op op, const char *const *patterns, size_t n,
		const char *value, size_t *which);

/* true if value matches any of the n patterns under op (match_find). */
bool match_value(enum match_op op, const char *const *patterns, size_t n,
		 const char *value);

/* true if any of the nvalues array elements matches any pattern. An empty
 * or NULL array matches nothing; NULL elements are skipped. */
bool match_array(enum match_op op, const char *const *patterns, size_t n,
		 char *const *values, size_t nvalues);

#endif /* MATCH_H */
