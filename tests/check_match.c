/* check_match.c - unit tests for match.c: EQL ==, in, like and like~ */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * One wildcard case. Every expected value below was worked out by hand
 * from the EQL rules: '*' any run (including '/' and nothing), '?' exactly
 * one character (a valid UTF-8 sequence, or one byte that is not part of
 * one), '\' makes the next byte literal, anchored at both ends, every other
 * byte literal, ASCII-only case folding for like~.
 */
struct like_case {
	const char *pattern;
	const char *value;
	bool like;  /* expected for like (case-sensitive) */
	bool ilike; /* expected for like~ (ASCII case folded) */
};

static const struct like_case like_cases[] = {
	/* no wildcards: the whole value must be equal */
	{"abc", "abc", true, true},
	{"abc", "abd", false, false},
	{"abc", "ab", false, false},
	{"ab", "abc", false, false},
	{"abc", "xabc", false, false},
	{"", "", true, true},
	{"", "a", false, false},
	{"a", "", false, false},
	/* '*' */
	{"*", "", true, true},
	{"*", "anything/with/slashes", true, true},
	{"**", "", true, true},
	{"a*", "a", true, true},
	{"a*", "ba", false, false},
	{"*a", "ba", true, true},
	{"*a", "ab", false, false},
	{"a*b", "a/x/b", true, true},
	{"a*b", "a/x/bc", false, false},
	{"a**b", "ab", true, true},
	{"a*a", "a", false, false},
	{"a*a", "aa", true, true},
	{"a*b*c", "abbbc", true, true},
	{"a*b*c", "acb", false, false},
	{"*ab", "aab", true, true},
	{"*aab", "aaab", true, true},
	{"*abc*", "ababab", false, false},
	{"*abab", "abababab", true, true},
	{"/usr/lib/kernel/*", "/usr/lib/kernel/", true, true},
	{"/usr/lib/kernel/*", "/usr/lib/kernel", false, false},
	{"/usr/lib/kernel/*", "/usr/lib/kernel/install.d/50-dracut.install",
	 true, true},
	/* '?' is exactly one character */
	{"?", "", false, false},
	{"?", "a", true, true},
	{"?", "/", true, true},
	{"?", "ab", false, false},
	{"a?c", "abc", true, true},
	{"a?c", "ac", false, false},
	{"a?c", "abbc", false, false},
	{"?*", "", false, false},
	{"?*", "x", true, true},
	{"*?", "", false, false},
	{"*?*?*", "a", false, false},
	{"*?*?*", "ab", true, true},
	{"*a?c*", "xxabcxx", true, true},
	/* a character, not a byte: U+00E9 is two bytes, U+20AC three and
	 * U+1F600 four, but each is one character to EQL */
	{"?", "\xc3\xa9", true, true},
	{"??", "\xc3\xa9", false, false},
	{"caf?", "caf\xc3\xa9", true, true},
	{"a?b",
	 "a\xe2\x82\xac"
	 "b",
	 true, true},
	{"?", "\xf0\x9f\x98\x80", true, true},
	{"??", "\xf0\x9f\x98\x80", false, false},
	/* '*' gives back whole characters too: X, Y, then 'a' never fits
	 * U+20AC a U+20AC (U+20AC, a, U+20AC or a, U+20AC, end), though
	 * it would byte by byte */
	{"*??a*",
	 "\xe2\x82\xac"
	 "a\xe2\x82\xac",
	 false, false},
	{"*?a*",
	 "\xe2\x82\xac"
	 "a\xe2\x82\xac",
	 true, true},
	/* a byte outside any valid sequence is one character of its own */
	{"?", "\xff", true, true},
	{"??", "\xc3(", true, true},	     /* C3 needs a continuation byte */
	{"?", "\xc3", true, true},	     /* cut short */
	{"?", "\xe0\x80\x80", false, false}, /* overlong: three bytes */
	{"???", "\xe0\x80\x80", true, true},
	/* '.' and the other regex and SQL metacharacters are literal */
	{"a.c", "abc", false, false},
	{"a.c", "a.c", true, true},
	{".", "x", false, false},
	{".*", "x", false, false},
	{".*", ".x", true, true},
	{"/var/tmp/rpm-tmp.*", "/var/tmp/rpm-tmpX1234", false, false},
	{"/var/tmp/rpm-tmp.*", "/var/tmp/rpm-tmp.1234", true, true},
	{"a+b", "a+b", true, true},
	{"a+b", "aab", false, false},
	{"[ab]", "a", false, false},
	{"[ab]", "[ab]", true, true},
	{"^a$", "a", false, false},
	{"^a$", "^a$", true, true},
	{"a|b", "a", false, false},
	{"(a)", "(a)", true, true},
	{"%", "abc", false, false},
	{"_", "x", false, false},
	{"a{2}", "aa", false, false},
	/* escapes */
	{"\\*", "*", true, true},
	{"\\*", "a", false, false},
	{"\\*", "", false, false},
	{"\\?", "?", true, true},
	{"\\?", "a", false, false},
	{"\\\\", "\\", true, true},
	{"\\\\", "\\\\", false, false},
	{"a\\*b", "a*b", true, true},
	{"a\\*b", "axb", false, false},
	{"a\\*b", "a*xb", false, false},
	{"*\\*", "abc*", true, true},
	{"*\\*", "abc", false, false},
	{"\\**", "*abc", true, true},
	{"\\**", "abc", false, false},
	{"*\\?", "why?", true, true},
	{"*\\?", "why", false, false},
	{"\\a", "a", true, true},
	{"\\a", "\\a", false, false},
	{"a\\", "a\\", true, true}, /* a lone final backslash is literal */
	{"a\\", "a", false, false},
	{"*\\\\*", "C:\\dir", true, true},
	{"*\\\\*", "C:/dir", false, false},
	/* case: like is exact, like~ folds ASCII letters only */
	{"ABC", "abc", false, true},
	{"abc", "ABC", false, true},
	{"aBc", "AbC", false, true},
	{"/USR/LIB/KERNEL/*", "/usr/lib/kernel/x", false, true},
	{"\\A", "a", false, true},
	{"A?C", "abc", false, true},
	{"*B", "aaab", false, true},
	{"@", "`", false, false},		/* 0x40 vs 0x60 */
	{"[", "{", false, false},		/* 0x5b vs 0x7b */
	{"\xc3\x89", "\xc3\xa9", false, false}, /* E-acute: not ASCII */
	{"\xc9", "\xe9", false, false},		/* Latin-1 E-acute */
	{"\xc3\xa9", "\xc3\xa9", true, true},
	/* bytes above 0x7f are compared as they are */
	{"*\xff", "abc\xff", true, true},
	{"\xff", "\x7f", false, false},
};

START_TEST(test_like_table)
{
	const struct like_case *c = &like_cases[_i];

	ck_assert_msg(match_like(c->pattern, c->value, false) == c->like,
		      "like \"%s\" on \"%s\": expected %d", c->pattern,
		      c->value, c->like);
	ck_assert_msg(match_like(c->pattern, c->value, true) == c->ilike,
		      "like~ \"%s\" on \"%s\": expected %d", c->pattern,
		      c->value, c->ilike);
}
END_TEST

START_TEST(test_like_null)
{
	ck_assert(!match_like(NULL, "a", false));
	ck_assert(!match_like("a", NULL, false));
	ck_assert(!match_like(NULL, NULL, true));
	ck_assert(!match_like("*", NULL, true));
}
END_TEST

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *repeat(char c, size_t n, const char *tail)
{
	size_t tl = tail ? strlen(tail) : 0;
	char *s = malloc(n + tl + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	if (tail)
		memcpy(s + n, tail, tl);
	s[n + tl] = '\0';
	return s;
}

/*
 * Patterns that make a naive recursive matcher take exponential time. With
 * the single backtrack point the cost is bounded by pattern length times
 * value length (here about 2 million steps), so even under valgrind each
 * call finishes far inside the limit; a backtracking matcher would not
 * finish at all.
 */
START_TEST(test_like_pathological)
{
	char *as = repeat('a', 100000, NULL);
	char *asb = repeat('a', 100000, "b");
	char *pat = repeat('a', 20, "b");
	char *starpat;
	double t0 = now(), dt;

	ck_assert(!match_like("*a*a*a*a*b", as, false));
	ck_assert(!match_like("*a*a*a*a*b", as, true));
	ck_assert(match_like("*a*a*a*a*b", asb, false));
	ck_assert(!match_like("*a*a*a*a*a*a*a*a*a*a*a*a*b", as, false));
	ck_assert(match_like("a*a*a*a*a*a*a*a*a*a*", as, false));
	ck_assert(!match_like("*a*a*a*a*a*a*a*a*a*a*?", "aaaaaaaaa", false));
	ck_assert(match_like("*a*a*a*a*a*a*a*a*a*a*?", "aaaaaaaaaaa", false));
	/* "*aaaa...ab": every start position compares 20 bytes */
	starpat = malloc(strlen(pat) + 2);
	ck_assert_ptr_nonnull(starpat);
	starpat[0] = '*';
	strcpy(starpat + 1, pat);
	ck_assert(!match_like(starpat, as, false));
	ck_assert(match_like(starpat, asb, true));
	ck_assert(!match_like("*?*?*?*?*?*?*?*?b", as, false));
	ck_assert(match_like("*?*?*?*?*?*?*?*?b", asb, false));
	dt = now() - t0;
	ck_assert_msg(dt < 3.0, "pathological patterns took %.2f s", dt);
	free(as);
	free(asb);
	free(pat);
	free(starpat);
}
END_TEST

START_TEST(test_value_eq)
{
	static const char *const sudo[] = {"sudo"};
	static const char *const star[] = {"a*"};
	static const char *const xyz[] = {"x", "y", "z"};
	static const char *const empty[] = {""};
	static const char *const withnull[] = {NULL, "b"};

	ck_assert(match_value(MATCH_EQ, sudo, 1, "sudo"));
	ck_assert(!match_value(MATCH_EQ, sudo, 1, "Sudo")); /* case-sensitive */
	ck_assert(!match_value(MATCH_EQ, sudo, 1, "sudo "));
	ck_assert(!match_value(MATCH_EQ, sudo, 1, "sud"));
	ck_assert(!match_value(MATCH_EQ, sudo, 1, "sudoedit"));
	/* == expands no wildcard */
	ck_assert(!match_value(MATCH_EQ, star, 1, "abc"));
	ck_assert(match_value(MATCH_EQ, star, 1, "a*"));
	/* a list is an OR, bounded by n */
	ck_assert(match_value(MATCH_EQ, xyz, 3, "x"));
	ck_assert(match_value(MATCH_EQ, xyz, 3, "z"));
	ck_assert(!match_value(MATCH_EQ, xyz, 3, "w"));
	ck_assert(!match_value(MATCH_EQ, xyz, 2, "z"));
	ck_assert(!match_value(MATCH_EQ, xyz, 0, "x"));
	ck_assert(match_value(MATCH_EQ, empty, 1, ""));
	ck_assert(!match_value(MATCH_EQ, empty, 1, "a"));
	ck_assert(match_value(MATCH_EQ, withnull, 2, "b"));
	/* a missing field matches nothing, not even "" or "*" */
	ck_assert(!match_value(MATCH_EQ, empty, 1, NULL));
	ck_assert(!match_value(MATCH_EQ, NULL, 3, "x"));
}
END_TEST

START_TEST(test_value_like)
{
	static const char *const pats[] = {
		"/usr/lib/kernel/*", "/var/lib/dpkg/info/dracut.postinst"};
	static const char *const star[] = {"*"};

	ck_assert(match_value(MATCH_LIKE, pats, 2, "/usr/lib/kernel/x"));
	ck_assert(match_value(MATCH_LIKE, pats, 2,
			      "/var/lib/dpkg/info/dracut.postinst"));
	ck_assert(!match_value(MATCH_LIKE, pats, 2, "/USR/LIB/KERNEL/x"));
	ck_assert(match_value(MATCH_ILIKE, pats, 2, "/USR/LIB/KERNEL/x"));
	ck_assert(!match_value(MATCH_LIKE, pats, 2,
			       "/var/lib/dpkg/info/dracutXpostinst"));
	ck_assert(!match_value(MATCH_ILIKE, pats, 2,
			       "/var/lib/dpkg/info/dracutXpostinst"));
	ck_assert(!match_value(MATCH_LIKE, pats, 1,
			       "/var/lib/dpkg/info/dracut.postinst"));
	ck_assert(match_value(MATCH_LIKE, star, 1, ""));
	ck_assert(!match_value(MATCH_LIKE, star, 1, NULL));
	ck_assert(!match_value(MATCH_ILIKE, star, 1, NULL));
}
END_TEST

START_TEST(test_array)
{
	static const char *const pats[] = {"/usr/bin/dracut-rebuild",
					   "/var/tmp/rpm-tmp.*"};
	static const char *const star[] = {"*"};
	char a0[] = "/bin/sh", a1[] = "/var/tmp/rpm-tmp.ab12", a2[] = "1";
	char b1[] = "/var/tmp/rpm-tmpXab12";
	char c1[] = "/USR/BIN/DRACUT-REBUILD";
	char *const args[] = {a0, a1, a2, NULL};
	char *const near[] = {a0, b1, a2, NULL};
	char *const upper[] = {a0, c1, NULL};
	char *const none[] = {NULL};

	/* any element may match, not only the first */
	ck_assert(match_array(MATCH_ILIKE, pats, 2, args, 3));
	ck_assert(match_array(MATCH_LIKE, pats, 2, args, 3));
	ck_assert(!match_array(MATCH_ILIKE, pats, 2, near, 3));
	ck_assert(match_array(MATCH_ILIKE, pats, 2, upper, 2));
	ck_assert(!match_array(MATCH_LIKE, pats, 2, upper, 2));
	/* only nvalues elements count */
	ck_assert(!match_array(MATCH_ILIKE, pats, 2, args, 1));
	/* an empty or absent array matches nothing, not even "*" */
	ck_assert(!match_array(MATCH_LIKE, star, 1, none, 0));
	ck_assert(!match_array(MATCH_LIKE, star, 1, NULL, 0));
	ck_assert(!match_array(MATCH_LIKE, star, 1, NULL, 3));
	ck_assert(match_array(MATCH_LIKE, star, 1, args, 3));
	/* an exact test on an array */
	ck_assert(
		match_array(MATCH_EQ, (const char *const[]){"1"}, 1, args, 3));
	ck_assert(
		!match_array(MATCH_EQ, (const char *const[]){"2"}, 1, args, 3));
}
END_TEST

/* in compares exactly, as == does: it only reads as a list. */
START_TEST(test_value_in)
{
	static const char *const names[] = {"dracut-install", "dracut", "sudo"};
	static const char *const star[] = {"a*"};

	ck_assert(match_value(MATCH_IN, names, 3, "sudo"));
	ck_assert(match_value(MATCH_IN, names, 3, "dracut"));
	ck_assert(!match_value(MATCH_IN, names, 3, "Sudo"));
	ck_assert(!match_value(MATCH_IN, names, 3, "dracut-"));
	ck_assert(!match_value(MATCH_IN, star, 1, "abc"));
	ck_assert(match_value(MATCH_IN, star, 1, "a*"));
	ck_assert(!match_value(MATCH_IN, names, 3, NULL));
}
END_TEST

/* match_find names the first pattern, in the list's order, that matches. */
static const struct {
	enum match_op op;
	const char *value;
	bool found;
	size_t which;
} find_cases[] = {
	/* the patterns are test_find's pats */
	{MATCH_LIKE, "/usr/lib/kernel/x", true, 0}, /* all of 0-2 match */
	{MATCH_LIKE, "/usr/bin/x", true, 1},
	{MATCH_EQ, "/usr/lib/kernel/x", true, 2}, /* no wildcard in == */
	{MATCH_IN, "/usr/lib/kernel/x", true, 2},
	{MATCH_EQ, "/usr/*", true, 1},
	{MATCH_LIKE, "/opt/x", false, 0},
	{MATCH_ILIKE, "/opt/x", true, 4}, /* after the NULL entry */
	{MATCH_ILIKE, "/USR/LIB/KERNEL/", true, 0},
	{MATCH_IN, "/OPT/*", true, 4},
};

/* A star pattern each for /usr/lib/kernel and /usr, then an exact path,
 * a NULL entry and an upper-case star pattern for /OPT. */
START_TEST(test_find)
{
	static const char *const pats[] = {"/usr/lib/kernel/*", "/usr/*",
					   "/usr/lib/kernel/x", NULL, "/OPT/*"};
	size_t which = 99;
	bool found = match_find(find_cases[_i].op, pats, ARRAY_SIZE(pats),
				find_cases[_i].value, &which);

	ck_assert_msg(found == find_cases[_i].found, "%s %s",
		      match_op_name(find_cases[_i].op), find_cases[_i].value);
	if (found)
		ck_assert_uint_eq(which, find_cases[_i].which);
	else
		ck_assert_uint_eq(which, 99); /* left alone */
	/* which may be NULL, and the answer the same */
	ck_assert(match_find(find_cases[_i].op, pats, ARRAY_SIZE(pats),
			     find_cases[_i].value, NULL) == found);
}
END_TEST

START_TEST(test_find_nothing)
{
	static const char *const pats[] = {"*"};
	size_t which = 7;

	ck_assert(!match_find(MATCH_LIKE, pats, 1, NULL, &which));
	ck_assert(!match_find(MATCH_LIKE, NULL, 1, "x", &which));
	ck_assert(!match_find(MATCH_LIKE, pats, 0, "x", &which));
	ck_assert_uint_eq(which, 7);
}
END_TEST

/* The operators' spellings, both ways. */
START_TEST(test_op_names)
{
	static const struct {
		const char *name;
		enum match_op op;
	} ops[] = {{"==", MATCH_EQ},
		   {"in", MATCH_IN},
		   {"like", MATCH_LIKE},
		   {"like~", MATCH_ILIKE}};
	static const char *const bad[] = {"",	   "=",	   "!=",     "IN",
					  "in~",   "LIKE", "like~~", "lik",
					  "like ", ":"};
	enum match_op op;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		ck_assert_str_eq(match_op_name(ops[i].op), ops[i].name);
		op = MATCH_NOPS;
		ck_assert_int_eq(
			match_op_lookup(ops[i].name, strlen(ops[i].name), &op),
			0);
		ck_assert_int_eq(op, ops[i].op);
	}
	/* a length shorter than the text: only those bytes count */
	ck_assert_int_eq(match_op_lookup("like~", 4, &op), 0);
	ck_assert_int_eq(op, MATCH_LIKE);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(match_op_lookup(bad[i], strlen(bad[i]), &op) < 0,
			      "'%s' accepted", bad[i]);
	ck_assert_str_eq(match_op_name(MATCH_NOPS), "?");
	ck_assert_str_eq(match_op_names(), "==, in, like or like~");
	/* built once: the same text again */
	ck_assert_ptr_eq(match_op_names(), match_op_names());
}
END_TEST

static Suite *match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_like_table, 0, ARRAY_SIZE(like_cases));
	tcase_add_test(tc, test_like_null);
	tcase_add_test(tc, test_like_pathological);
	tcase_add_test(tc, test_value_eq);
	tcase_add_test(tc, test_value_like);
	tcase_add_test(tc, test_array);
	tcase_add_test(tc, test_value_in);
	tcase_add_loop_test(tc, test_find, 0, ARRAY_SIZE(find_cases));
	tcase_add_test(tc, test_find_nothing);
	tcase_add_test(tc, test_op_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(match_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
