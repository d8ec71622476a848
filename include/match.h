/* match.h - Elasticsearch EQL comparisons: ==, in, like and like~ */
#ifndef MATCH_H
#define MATCH_H

#include <stdbool.h>
#include <stddef.h>

enum match_op {
	MATCH_EQ,    /* == and in: exact, case-sensitive */
	MATCH_LIKE,  /* like: wildcards, case-sensitive */
	MATCH_ILIKE, /* like~: wildcards, ASCII case folded */
};

/*
 * EQL wildcard match of value against pattern, anchored at both ends: '*'
 * matches any run of characters ('/' included), '?' exactly one character
 * (a valid UTF-8 sequence, or a single byte that is not part of one), '\'
 * makes the next byte literal; everything else is literal. fold_case folds
 * ASCII letters only. No I/O, no allocation.
 */
bool match_like(const char *pattern, const char *value, bool fold_case);

/* true if value matches any of the n patterns under op. A NULL value (a
 * missing field) matches nothing. */
bool match_value(enum match_op op, const char *const *patterns, size_t n,
		 const char *value);

/* true if any of the nvalues array elements matches any pattern. An empty
 * array matches nothing. */
bool match_array(enum match_op op, const char *const *patterns, size_t n,
		 char *const *values, size_t nvalues);

#endif /* MATCH_H */
