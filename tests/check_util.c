/* check_util.c - unit tests for util.c: numbers, buffers, paths */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* One number case; every expected value is the number as written. */
struct ull_case {
	const char *s;
	int base;
	int rc;
	unsigned long long v;
};

static const struct ull_case ull_cases[] = {
	{"0", 10, 0, 0},
	{"42", 10, 0, 42},
	{"18446744073709551615", 10, 0, ULLONG_MAX},
	{"18446744073709551616", 10, -1, 0},
	{"99999999999999999999", 10, -1, 0},
	{"1234567890123456789", 10, 0, 1234567890123456789ULL},
	{"c000003e", 16, 0, 0xc000003eULL},
	{"C000003E", 16, 0, 0xc000003eULL},
	{"ffffffffffffffff", 16, 0, ULLONG_MAX},
	{"10000000000000000", 16, -1, 0},
	{"0x10", 16, -1, 0},
	{"", 10, -1, 0},
	{"-1", 10, -1, 0},
	{"+1", 10, -1, 0},
	{" 1", 10, -1, 0},
	{"1 ", 10, -1, 0},
	{"12a", 10, -1, 0},
	{"1g", 16, -1, 0},
	{"7", 8, -1, 0},
};

START_TEST(test_parse_ull)
{
	const struct ull_case *c = &ull_cases[_i];
	unsigned long long v = 12345;
	int rc = parse_ull(c->s, c->base, &v);

	ck_assert_msg(rc == c->rc, "'%s' base %d: rc %d, want %d", c->s,
		      c->base, rc, c->rc);
	if (c->rc == 0)
		ck_assert_msg(v == c->v, "'%s': %llu, want %llu", c->s, v,
			      c->v);
}
END_TEST

START_TEST(test_parse_ull_null)
{
	unsigned long long v;

	ck_assert_int_eq(parse_ull(NULL, 10, &v), -1);
}
END_TEST

START_TEST(test_buf)
{
	struct buf b = {0};
	size_t i;

	ck_assert_int_eq(buf_append(&b, "", 0), 0);
	ck_assert_uint_eq(b.len, 0);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(buf_append(&b, "abc", 3), 0);
	ck_assert_uint_eq(b.len, 3000);
	ck_assert(b.cap >= 3000);
	ck_assert(memcmp(b.p + 2997, "abc", 3) == 0);
	ck_assert_ptr_nonnull(buf_reserve(&b, 10));
	ck_assert_uint_eq(b.len, 3000);
	ck_assert_ptr_null(buf_reserve(&b, SIZE_MAX / 2));
	ck_assert_uint_eq(b.len, 3000);
	buf_free(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len + b.cap, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_path_base)
{
	ck_assert_str_eq(path_base("/usr/bin/dracut"), "dracut");
	ck_assert_str_eq(path_base("dracut"), "dracut");
	ck_assert_str_eq(path_base("/dracut"), "dracut");
	ck_assert_str_eq(path_base("/"), "/");
	ck_assert_str_eq(path_base("a/"), "a/");
	ck_assert_str_eq(path_base(""), "");
	ck_assert_ptr_null(path_base(NULL));
}
END_TEST

START_TEST(test_mkdir_parent)
{
	char dir[] = "/tmp/check_util.XXXXXX", path[256], sub[256];
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/d", dir);
	snprintf(path, sizeof(path), "%s/d/file", dir);
	ck_assert_int_eq(mkdir_parent(path), 0);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(mkdir_parent(path), 0); /* already there */
	ck_assert_int_eq(mkdir_parent("file"), 0);
	ck_assert_int_eq(mkdir_parent("/file"), 0);
	snprintf(path, sizeof(path), "%s/no/such/file", dir);
	errno = 0;
	ck_assert_int_eq(mkdir_parent(path), -1);
	ck_assert_int_eq(errno, ENOENT);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_ull, 0, ARRAY_SIZE(ull_cases));
	tcase_add_test(tc, test_parse_ull_null);
	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_path_base);
	tcase_add_test(tc, test_mkdir_parent);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
