/* rule_exception.c - local exceptions: the parser of one exception line */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "match.h"
#include "rule_exception.h"
#include "util.h"

/* The most bytes of the user's text a message quotes. */
#define SNIP_MAX 60

/* The parser's place in the text and where its reasons go. */
struct parse {
	const char *s;
	struct rule_exception *out;
	char *err;
	size_t errlen;
};

static void fail(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->err || p->errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int snip(size_t n)
{
	return n > SNIP_MAX ? SNIP_MAX : (int)n;
}

/* Length to quote of the token at s, up to the next blank or the end. */
static int token_len(const char *s)
{
	return snip(strcspn(s, " \t"));
}

/* FIELD: letters, digits, '.' and '_', one of field_rule_names(). */
static int parse_field(struct parse *p, const char **name, size_t *len)
{
	const char *tok;

	p->s = skip_space(p->s);
	if (!*p->s) {
		fail(p,
		     "empty exception: expected FIELD OPERATOR \"VALUE\"...");
		return -1;
	}
	tok = p->s;
	while (isalnum((unsigned char)*p->s) || *p->s == '.' || *p->s == '_')
		p->s++;
	*name = tok;
	*len = (size_t)(p->s - tok);
	if (*len == 0) {
		fail(p, "expected a field name at '%.*s'", token_len(tok), tok);
		return -1;
	}
	if (field_lookup(tok, *len, &p->out->field) < 0) {
		fail(p, "unknown field '%.*s' (expected %s)", snip(*len), tok,
		     field_rule_names());
		return -1;
	}
	return 0;
}

/* OPERATOR: everything up to a blank, a quote or a parenthesis. */
static int parse_op(struct parse *p, const char *field, size_t field_len)
{
	const char *tok;
	size_t len;

	p->s = skip_space(p->s);
	tok = p->s;
	p->s += strcspn(p->s, " \t\"(");
	len = (size_t)(p->s - tok);
	if (len == 0) {
		fail(p, "missing operator after '%.*s' (expected %s)",
		     snip(field_len), field, match_op_names());
		return -1;
	}
	if (match_op_lookup(tok, len, &p->out->op) < 0) {
		fail(p, "unknown operator '%.*s' (expected %s)", snip(len), tok,
		     match_op_names());
		return -1;
	}
	return 0;
}

/*
 * Copy the double-quoted value at s (its opening quote) into a new string.
 * A backslash pairs with the byte after it: \" gives a literal quote and
 * every other pair passes through unchanged, so "\*" stays the pattern \*
 * and "\\" the pattern \\. Sets *end past the closing quote. Returns NULL
 * with errno EINVAL when the quote never closes, or ENOMEM.
 */
static char *read_quoted(const char *s, const char **end)
{
	char *v, *o;

	v = malloc(strlen(s) + 1);
	if (!v)
		return NULL;
	o = v;
	for (s++; *s != '"';) {
		if (*s == '\0') {
			free(v);
			errno = EINVAL;
			return NULL;
		}
		if (*s == '\\' && s[1] == '"')
			s++;
		else if (*s == '\\' && s[1] != '\0')
			*o++ = *s++;
		*o++ = *s++;
	}
	*o = '\0';
	*end = s + 1;
	return v;
}

/* One quoted value at p->s, appended to the exception's values. */
static int add_value(struct parse *p)
{
	struct rule_exception *out = p->out;
	const char *start = p->s;
	char **grown, *v;

	v = read_quoted(start, &p->s);
	if (!v) {
		if (errno == ENOMEM)
			fail(p, "out of memory");
		else
			fail(p, "unterminated quote in value %.*s",
			     snip(strlen(start)), start);
		return -1;
	}
	grown = realloc(out->values, (out->nvalues + 1) * sizeof(*grown));
	if (!grown) {
		free(v);
		fail(p, "out of memory");
		return -1;
	}
	out->values = grown;
	out->values[out->nvalues++] = v;
	p->s = skip_space(p->s);
	return 0;
}

/* What is at p->s where a value must start, if it is not one. */
static int not_a_value(struct parse *p, bool list)
{
	if (*p->s == '\0' || (list && *p->s == ')'))
		fail(p, "missing value after ',' in the list");
	else
		fail(p, "expected a double-quoted value at '%.*s'",
		     token_len(p->s), p->s);
	return -1;
}

/* The values of an EQL list, from after its '(' to its ')'. */
static int parse_list(struct parse *p)
{
	p->s = skip_space(p->s);
	while (*p->s && *p->s != ')') {
		if (p->out->nvalues > 0) {
			if (*p->s != ',') {
				fail(p, "expected ',' or ')' at '%.*s'",
				     token_len(p->s), p->s);
				return -1;
			}
			p->s = skip_space(p->s + 1);
		}
		if (*p->s != '"')
			return not_a_value(p, true);
		if (add_value(p) < 0)
			return -1;
	}
	if (*p->s != ')') {
		fail(p, "missing ')' at the end of the list");
		return -1;
	}
	p->s = skip_space(p->s + 1);
	return 0;
}

/* VALUE...: blank-separated quoted values, or one EQL list. */
static int parse_values(struct parse *p)
{
	p->s = skip_space(p->s);
	if (*p->s == '(') {
		p->s++;
		if (parse_list(p) < 0)
			return -1;
	} else {
		while (*p->s && (p->out->nvalues == 0 || *p->s == '"')) {
			if (*p->s != '"')
				return not_a_value(p, false);
			if (add_value(p) < 0)
				return -1;
		}
	}
	if (*p->s != '\0') {
		fail(p, "unexpected text after the values: '%.*s'",
		     snip(strlen(p->s)), p->s);
		return -1;
	}
	return 0;
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

/* A uid compared exactly must be one a process can have: the alert writes
 * it in decimal, so any other spelling could never match. */
static int check_uids(struct parse *p)
{
	const struct rule_exception *out = p->out;
	unsigned long long n;
	size_t i;

	if (out->field.id != FIELD_USER_ID ||
	    (out->op != MATCH_EQ && out->op != MATCH_IN))
		return 0;
	for (i = 0; i < out->nvalues; i++) {
		if (!is_decimal(out->values[i])) {
			fail(p,
			     "user id '%.*s' is not a decimal number without "
			     "leading zeros",
			     SNIP_MAX, out->values[i]);
			return -1;
		}
		if (parse_ull(out->values[i], 10, &n) < 0 || n > UINT32_MAX) {
			fail(p, "user id '%.*s' is out of range (0-%u)",
			     SNIP_MAX, out->values[i], UINT32_MAX);
			return -1;
		}
	}
	return 0;
}

/* As many values as the operator takes. */
static int check_count(struct parse *p)
{
	const struct rule_exception *out = p->out;
	const char *op = match_op_name(out->op);

	if (out->nvalues == 0) {
		fail(p, "missing value: '%s' needs %s", op,
		     out->op == MATCH_EQ ? "one double-quoted value"
					 : "one or more double-quoted values");
		return -1;
	}
	if (out->op == MATCH_EQ && out->nvalues != 1) {
		fail(p,
		     "'%s' takes exactly one value, got %zu (use '%s' for "
		     "several)",
		     op, out->nvalues, match_op_name(MATCH_IN));
		return -1;
	}
	return 0;
}

/* FIELD OPERATOR VALUE..., each step moving p->s along the text. */
int rule_exception_parse(const char *text, struct rule_exception *out,
			 char *err, size_t errlen)
{
	struct parse p = {text, out, err, errlen};
	const char *field;
	size_t field_len;

	if (!out) {
		fail(&p, "internal error: no exception to fill");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (!text) {
		fail(&p, "empty exception");
		return -1;
	}
	if (parse_field(&p, &field, &field_len) < 0 ||
	    parse_op(&p, field, field_len) < 0 || parse_values(&p) < 0 ||
	    check_count(&p) < 0 || check_uids(&p) < 0) {
		rule_exception_clear(out);
		return -1;
	}
	return 0;
}

int rule_exception_copy(struct rule_exception *dst,
			const struct rule_exception *src)
{
	size_t i;

	*dst = *src;
	dst->values = NULL;
	dst->nvalues = 0;
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
