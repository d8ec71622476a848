/* check_json.c - unit tests for the byte-level JSON writer */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

/* A writer into b with no bound. */
static struct json writer(struct buf *b)
{
	struct json w = {.b = b, .limit = JSON_UNBOUNDED};

	b->len = 0;
	return w;
}

/* b's text, NUL-terminated. */
static const char *text(struct buf *b)
{
	ck_assert_int_eq(buf_append(b, "", 1), 0);
	b->len--;
	return b->p;
}

/*
 * One string value, the member it makes (written from RFC 8259 section 7,
 * the escapes json-c 0.16 chooses, and the \xHH encoding of json.h), and
 * whether the field is then marked encoded.
 */
static const struct {
	const char *in, *want;
	bool enc;
} str_cases[] = {
	{"plain", "\"k\":\"plain\"", false},
	{"", "\"k\":\"\"", false},
	{"a\"b\\c/d", "\"k\":\"a\\\"b\\\\c/d\"", false},
	{"\b\t\n\f\r", "\"k\":\"\\b\\t\\n\\f\\r\"", false},
	{"\x01\x1f\x7f", "\"k\":\"\\u0001\\u001f\x7f\"", false},
	{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7",
	 "\"k\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7\"", false},
	/* more than one word of plain bytes, then one to escape */
	{"0123456789abcdef\"", "\"k\":\"0123456789abcdef\\\"\"", false},
	/* not UTF-8: the byte as \xHH, its backslash escaped for JSON, a
	 * backslash of the data doubled, the valid character kept */
	{"/tmp/\xff\\", "\"k\":\"/tmp/\\\\xff\\\\\\\\\"", true},
	{"\xc3\xa9\xc3", "\"k\":\"\xc3\xa9\\\\xc3\"", true},
	{"\xc0\xaf", "\"k\":\"\\\\xc0\\\\xaf\"", true}, /* overlong '/' */
	{"\xed\xa0\x80", "\"k\":\"\\\\xed\\\\xa0\\\\x80\"",
	 true}, /* surrogate */
	{"\xf4\x90\x80\x80", "\"k\":\"\\\\xf4\\\\x90\\\\x80\\\\x80\"",
	 true}, /* above U+10FFFF */
	{"\xff\n", "\"k\":\"\\\\xff\\n\"", true},
};

START_TEST(test_str)
{
	struct buf b = {0};
	struct json w = writer(&b);
	bool more = false;

	json_str(&w, &more, "k", "f.k", str_cases[_i].in);
	ck_assert(!w.failed && !w.too_long);
	ck_assert(more);
	ck_assert_str_eq(text(&b), str_cases[_i].want);
	ck_assert_uint_eq(w.enc.n, str_cases[_i].enc);
	if (str_cases[_i].enc)
		ck_assert_str_eq(w.enc.name[0], "f.k");
	ck_assert_uint_eq(w.trunc.n, 0);
	/* the same value as json_str_value writes it, encoded or not */
	b.len = 0;
	json_str_value(&w, "f.k", str_cases[_i].in, str_cases[_i].enc);
	ck_assert_str_eq(text(&b), strchr(str_cases[_i].want, ':') + 1);
	ck_assert_uint_eq(json_utf8(str_cases[_i].in), !str_cases[_i].enc);
	buf_free(&b);
}
END_TEST

/* Members, commas, absent values, numbers, booleans. */
START_TEST(test_members)
{
	struct buf b = {0};
	struct json w = writer(&b);
	bool more = false;

	JSON_LIT(&w, "{");
	json_str(&w, &more, "absent", "absent", NULL);
	json_key(&w, &more, "n");
	json_int(&w, INT64_MIN);
	json_key(&w, &more, "z");
	json_int(&w, 0);
	json_key(&w, &more, "t");
	json_bool(&w, true);
	json_key(&w, &more, "f");
	json_bool(&w, false);
	json_ascii(&w, &more, "id", "4294967295");
	JSON_LIT(&w, "}");
	ck_assert_str_eq(text(&b), "{\"n\":-9223372036854775808,\"z\":0,"
				   "\"t\":true,\"f\":false,"
				   "\"id\":\"4294967295\"}");
	buf_free(&b);
}
END_TEST

/* An array is encoded as a whole, and marked once; NULLs are skipped; an
 * array of none is no member at all. */
START_TEST(test_strv)
{
	const char *v[] = {"ok", NULL, "b\xe9", "c\\"};
	const char *none[] = {NULL, NULL};
	struct buf b = {0};
	struct json w = writer(&b);
	bool more = true;

	json_strv(&w, &more, "a", "x.a", v, 4);
	json_strv(&w, &more, "a", "x.a", v, 1);
	json_strv(&w, &more, "none", "x.none", none, 2);
	ck_assert_str_eq(text(&b), ",\"a\":[\"ok\",\"b\\\\xe9\",\"c\\\\\\\\\"]"
				   ",\"a\":[\"ok\"]");
	ck_assert_uint_eq(w.enc.n, 1);
	ck_assert_str_eq(w.enc.name[0], "x.a");
	buf_free(&b);
}
END_TEST

/* max_str: strings cut on a character boundary, and marked. */
START_TEST(test_max_str)
{
	const char *v[] = {"abcdef", "xy"};
	struct buf b = {0};
	struct json w = writer(&b);
	bool more = false;

	w.max_str = 4;
	json_str(&w, &more, "s", "s", "abc\xc3\xa9"); /* é at bytes 3-4 */
	json_str(&w, &more, "t", "t", "abcd");
	json_strv(&w, &more, "v", "v", v, 2);
	json_str(&w, &more, "e", "e", "ab\xff\xfe\xfd");
	ck_assert_str_eq(text(&b), "\"s\":\"abc\",\"t\":\"abcd\","
				   "\"v\":[\"abcd\",\"xy\"],"
				   "\"e\":\"ab\\\\xff\\\\xfe\"");
	ck_assert_uint_eq(w.trunc.n, 3);
	ck_assert_str_eq(w.trunc.name[0], "s");
	ck_assert_str_eq(w.trunc.name[1], "v");
	ck_assert_str_eq(w.trunc.name[2], "e");
	ck_assert_uint_eq(w.enc.n, 1);
	buf_free(&b);
}
END_TEST

/* The bound counts every buffer of the document; past it the writer
 * stops and says so. */
START_TEST(test_limit)
{
	struct buf out = {0}, aside = {0};
	struct json w = writer(&out);
	bool more = false;

	w.limit = 10;
	JSON_LIT(&w, "{\"a\":1"); /* 6 bytes in out */
	json_switch(&w, &aside);  /* held: 6 */
	JSON_LIT(&w, "\"b\":2");  /* 5 in aside: 11 in all */
	ck_assert(!w.too_long);	  /* only checked where it matters */
	ck_assert(json_over(&w));
	ck_assert(w.too_long && !w.failed);
	json_str(&w, &more, "c", "c", "x");
	ck_assert_uint_eq(aside.len, 5); /* stopped: nothing more */
	json_switch(&w, &out);
	ck_assert_uint_eq(w.held, 5);

	/* a long string stops itself past the bound */
	w = writer(&out);
	w.limit = 100;
	{
		char *big = malloc(100000);

		ck_assert_ptr_nonnull(big);
		memset(big, 'a', 99999);
		big[99999] = '\0';
		json_str(&w, &more, "big", "big", big);
		free(big);
	}
	ck_assert(w.too_long);
	ck_assert_uint_lt(out.len, 100000);
	buf_free(&out);
	buf_free(&aside);
}
END_TEST

/* Marks: each name once, in the order first marked, as an array. */
START_TEST(test_marks)
{
	struct buf b = {0};
	struct json w = writer(&b);
	struct json_marks none = {0};
	bool more = true;

	json_mark(&w, &w.enc, "b");
	json_mark(&w, &w.enc, "a");
	json_mark(&w, &w.enc, "b");
	json_marks(&w, &more, "m", &w.enc);
	json_marks(&w, &more, "none", &none);
	ck_assert_str_eq(text(&b), ",\"m\":[\"b\",\"a\"]");
	buf_free(&b);
}
END_TEST

/* Times, worked out with date(1) -u -d @SEC. */
static const struct {
	int64_t sec, msec;
	const char *want; /* NULL: no member */
} time_cases[] = {
	{0, 0, "1970-01-01T00:00:00.000Z"},
	{0, -1, "1969-12-31T23:59:59.999Z"},
	{951868799, 1500, "2000-03-01T00:00:00.500Z"},
	{951782400, 7, "2000-02-29T00:00:00.007Z"},
	{1795675027, 123, "2026-11-26T06:37:07.123Z"},
	{4107542400LL, 0, "2100-03-01T00:00:00.000Z"},
	{-62167219200LL, 0, "0000-01-01T00:00:00.000Z"},
	{253402300799LL, 999, "9999-12-31T23:59:59.999Z"},
	{253402300800LL, 0, NULL},
	{-62167219201LL, 0, NULL},
};

START_TEST(test_time)
{
	struct buf b = {0};
	struct json w = writer(&b);
	bool more = false;
	char want[64] = "";

	json_time(&w, &more, "t", time_cases[_i].sec, time_cases[_i].msec);
	if (time_cases[_i].want)
		snprintf(want, sizeof(want), "\"t\":\"%s\"",
			 time_cases[_i].want);
	ck_assert_str_eq(text(&b), want);
	buf_free(&b);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_str, 0,
			    sizeof(str_cases) / sizeof(str_cases[0]));
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_strv);
	tcase_add_test(tc, test_max_str);
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_marks);
	tcase_add_loop_test(tc, test_time, 0,
			    sizeof(time_cases) / sizeof(time_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(json_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
