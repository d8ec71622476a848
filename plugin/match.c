/* match.c - Elasticsearch EQL comparisons (==, in, like, like~) on C strings */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "match.h"
#include "utf8.h"

/* ASCII-only case folding: bytes outside A-Z, UTF-8 included, are kept. */
static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool byte_eq(unsigned char a, unsigned char b, bool fold_case)
{
	return fold_case ? fold(a) == fold(b) : a == b;
}

/*
 * Length of the character at s: a valid UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 1 for a byte
 * that starts none. EQL works on characters, so '?' takes one of these and
 * '*' gives them back whole. s is NUL-terminated and *s is not NUL.
 */
static size_t char_len(const unsigned char *s)
{
	size_t n = utf8_seq(s);

	return n ? n : 1;
}

/*
 * The classic greedy algorithm with one backtrack point: on a mismatch,
 * retry from the most recent '*', letting it swallow one more character. An
 * earlier '*' never needs to be revisited, because whatever the later one
 * could not match an earlier one cannot either, so the cost is at most
 * O(strlen(pattern) * strlen(value)) and linear in the usual cases; there
 * is no exponential blow-up. The resume point always sits on a token
 * boundary, so escapes are parsed the same way on every pass.
 *
 * A lone backslash at the very end of a pattern has nothing to escape and
 * is taken as a literal backslash.
 */
bool match_like(const char *pattern, const char *value, bool fold_case)
{
	const unsigned char *p = (const unsigned char *)pattern;
	const unsigned char *v = (const unsigned char *)value;
	const unsigned char *star_p = NULL, *star_v = NULL;

	if (!pattern || !value)
		return false;

	while (*v) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true; /* a trailing star eats the rest */
			star_p = p;
			star_v = v;
			continue;
		}
		if (*p == '?') {
			p++;
			v += char_len(v);
			continue;
		}
		if (*p) {
			const unsigned char *lit = p;
			size_t len = 1;

			if (*p == '\\' && p[1]) {
				lit = p + 1;
				len = 2;
			}
			if (byte_eq(*lit, *v, fold_case)) {
				p += len;
				v++;
				continue;
			}
		}
		if (!star_p)
			return false;
		/* let the last star take one more character and try again */
		p = star_p;
		star_v += char_len(star_v);
		v = star_v;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* One comparison under op; value and pattern are both non-NULL. */
static bool match_one(enum match_op op, const char *pattern, const char *value)
{
	switch (op) {
	case MATCH_EQ:
		return strcmp(pattern, value) == 0;
	case MATCH_LIKE:
		return match_like(pattern, value, false);
	case MATCH_ILIKE:
		return match_like(pattern, value, true);
	}
	return false;
}

/*
 * true if value matches any of the n patterns under op (a list is an OR).
 * A NULL value, a NULL pattern list or n == 0 match nothing; NULL entries
 * in the list are skipped.
 */
bool match_value(enum match_op op, const char *const *patterns, size_t n,
		 const char *value)
{
	size_t i;

	if (!value || !patterns)
		return false;
	for (i = 0; i < n; i++)
		if (patterns[i] && match_one(op, patterns[i], value))
			return true;
	return false;
}

/*
 * true if any of the nvalues elements of values matches any pattern. An
 * empty or NULL array matches nothing; NULL elements are skipped.
 */
bool match_array(enum match_op op, const char *const *patterns, size_t n,
		 char *const *values, size_t nvalues)
{
	size_t i;

	if (!values)
		return false;
	for (i = 0; i < nvalues; i++)
		if (match_value(op, patterns, n, values[i]))
			return true;
	return false;
}
