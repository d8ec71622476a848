/* check_counters.c - unit tests for counters.c: the counter table */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "util.h"

/*
 * One use of the table: counters added in two calls, then what the table
 * must hold and print. A call that names a counter twice (in the table or
 * in itself) is refused whole. Expected values are the inputs, by hand.
 */
struct add_case {
	const char *name;
	struct counter first[3];
	size_t nfirst;
	struct counter second[3];
	size_t nsecond;
	int second_rc; /* 0, or -1 (EEXIST) */
	const char *printed;
};

static const struct add_case add_cases[] = {
	{"empty", {{0}}, 0, {{0}}, 0, 0, ""},
	{"in order",
	 {{"events", 3}, {"execs", 2}},
	 2,
	 {{"alerts", 1}},
	 1,
	 0,
	 "events = 3\nexecs = 2\nalerts = 1\n"},
	{"the largest value",
	 {{"a", UINT64_MAX}},
	 1,
	 {{0}},
	 0,
	 0,
	 "a = 18446744073709551615\n"},
	{"a name already in the table: the whole call refused",
	 {{"events", 3}},
	 1,
	 {{"alerts", 1}, {"events", 4}},
	 2,
	 -1,
	 "events = 3\n"},
	{"a name twice in one call: refused",
	 {{"events", 3}},
	 1,
	 {{"alerts", 1}, {"alerts", 2}},
	 2,
	 -1,
	 "events = 3\n"},
};

static char *printed(const struct counters *tab)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(fp);
	counters_print(tab, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return text;
}

START_TEST(test_add)
{
	const struct add_case *c = &add_cases[_i];
	struct counters tab = {0};
	char *text;

	ck_assert_int_eq(counters_add(&tab, c->first, c->nfirst), 0);
	errno = 0;
	ck_assert_int_eq(counters_add(&tab, c->second, c->nsecond),
			 c->second_rc);
	if (c->second_rc)
		ck_assert_int_eq(errno, EEXIST);
	text = printed(&tab);
	ck_assert_msg(strcmp(text, c->printed) == 0, "%s: printed '%s'",
		      c->name, text);
	ck_assert_uint_eq(tab.n, c->nfirst + (c->second_rc ? 0 : c->nsecond));
	free(text);
	counters_clear(&tab);
	ck_assert_uint_eq(tab.n, 0);
	ck_assert_ptr_null(tab.v);
}
END_TEST

/* Lookups by name; the table keeps its own names. */
START_TEST(test_get)
{
	struct counters tab = {0};
	char name[] = "execs";
	const struct counter v[] = {{"events", 3}, {name, 2}};
	uint64_t x = 99;

	ck_assert_int_eq(counters_get(&tab, "events", &x), -1);
	ck_assert_int_eq(counters_add(&tab, v, ARRAY_SIZE(v)), 0);
	name[0] = 'X'; /* the caller's string changes: the table's does not */
	ck_assert_int_eq(counters_get(&tab, "execs", &x), 0);
	ck_assert_uint_eq(x, 2);
	ck_assert_int_eq(counters_get(&tab, "events", &x), 0);
	ck_assert_uint_eq(x, 3);
	ck_assert_int_eq(counters_get(&tab, "Xxecs", &x), -1);
	ck_assert_uint_eq(x, 3);
	ck_assert_str_eq(tab.v[1].name, "execs");
	counters_clear(&tab);
	/* cleared, the table is ready again */
	ck_assert_int_eq(counters_add(&tab, v, 1), 0);
	ck_assert_uint_eq(tab.n, 1);
	counters_clear(&tab);
}
END_TEST

/* Many counters: the table grows. */
START_TEST(test_many)
{
	struct counters tab = {0};
	char name[32];
	uint64_t x;
	unsigned i;

	for (i = 0; i < 1000; i++) {
		struct counter c = {name, i};

		snprintf(name, sizeof(name), "c%u", i);
		ck_assert_int_eq(counters_add(&tab, &c, 1), 0);
	}
	ck_assert_uint_eq(tab.n, 1000);
	ck_assert_int_eq(counters_get(&tab, "c999", &x), 0);
	ck_assert_uint_eq(x, 999);
	counters_clear(&tab);
}
END_TEST

static Suite *counters_suite(void)
{
	Suite *s = suite_create("counters");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_add, 0, ARRAY_SIZE(add_cases));
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(counters_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
