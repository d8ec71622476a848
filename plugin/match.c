/* match.c - Elasticsearch EQL comparisons (==, in, like, like~) on C strings */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
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

/* The spellings, indexed by enum match_op. */
static const char *const op_names[MATCH_NOPS] = {
	[MATCH_EQ] = "==",
	[MATCH_IN] = "in",
	[MATCH_LIKE] = "like",
	[MATCH_ILIKE] = "like~",
};

/* Room for every spelling with its separator, as match_op_names joins
 * them. */
#define OP_NAMES_MAX 64

const char *match_op_name(enum match_op op)
{
	return (unsigned)op < MATCH_NOPS ? op_names[op] : "?";
}

int match_op_lookup(const char *s, size_t len, enum match_op *op)
{
	size_t i;

	for (i = 0; i < MATCH_NOPS; i++) {
		if (strlen(op_names[i]) == len &&
		    memcmp(op_names[i], s, len) == 0) {
			*op = (enum match_op)i;
			return 0;
		}
	}
	return -1;
}

/* What goes before item i of n in "a, b or c". */
static const char *list_sep(size_t i, size_t n)
{
	return i == 0 ? "" : i + 1 == n ? " or " : ", ";
}

const char *match_op_names(void)
{
	static char names[OP_NAMES_MAX];
	size_t i, len = 0;

	if (names[0])
		return names;
	for (i = 0; i < MATCH_NOPS; i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len,
					"%s%s", list_sep(i, MATCH_NOPS),
					op_names[i]);
	return names;
}

/* One comparison under op; value and pattern are both non-NULL. */
static bool match_one(enum match_op op, const char *pattern, const char *value)
{
	switch (op) {
	case MATCH_EQ:
	case MATCH_IN:
		return strcmp(pattern, value) == 0;
	case MATCH_LIKE:
		return match_like(pattern, value, false);
	case MATCH_ILIKE:
		return match_like(pattern, value, true);
	case MATCH_NOPS:
		break;
	}
	return false;
}

/* The list in order: the first pattern that matches is the one named. */
bool match_find(enum match_op op, const char *const *patterns, size_t n,
		const char *value, size_t *which)
{
	size_t i;

	if (!value || !patterns)
		return false;
	for (i = 0; i < n; i++) {
		if (patterns[i] && match_one(op, patterns[i], value)) {
			if (which)
				*which = i;
			return true;
		}
	}
	return false;
}

bool match_value(enum match_op op, const char *const *patterns, size_t n,
		 const char *value)
{
	return match_find(op, patterns, n, value, NULL);
}

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
