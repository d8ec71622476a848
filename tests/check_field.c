/* check_field.c - unit tests for field.c: names, lookups and values */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "util.h"

/* One name and what field_lookup makes of it (found false: refused). */
struct lookup_case {
	const char *name;
	bool found;
	enum field_id id;
	bool parent;
};

static const struct lookup_case lookup_cases[] = {
	{"process.executable", true, FIELD_EXECUTABLE, false},
	{"process.name", true, FIELD_NAME, false},
	{"process.args", true, FIELD_ARGS, false},
	{"process.command_line", true, FIELD_COMMAND_LINE, false},
	{"process.parent.executable", true, FIELD_EXECUTABLE, true},
	{"process.parent.name", true, FIELD_NAME, true},
	{"process.parent.args", true, FIELD_ARGS, true},
	{"process.parent.command_line", true, FIELD_COMMAND_LINE, true},
	{"process.user.name", true, FIELD_USER_NAME, false},
	{"process.user.id", true, FIELD_USER_ID, false},
	{"user.name", true, FIELD_USER_NAME, false},
	{"user.id", true, FIELD_USER_ID, false},
	/* not testable by exceptions, or not a field at all */
	{"process.working_directory", false, 0, false},
	{"process.parent.user.name", false, 0, false},
	{"process.parent.user.id", false, 0, false},
	{"process.parent.working_directory", false, 0, false},
	{"user.executable", false, 0, false},
	{"executable", false, 0, false},
	{"process.", false, 0, false},
	{"process.parent.", false, 0, false},
	{"process.exe", false, 0, false},
	{"process.executables", false, 0, false},
	{"Process.name", false, 0, false},
	{"", false, 0, false},
};

START_TEST(test_lookup)
{
	const struct lookup_case *c = &lookup_cases[_i];
	struct field_ref ref = {FIELD_COUNT, false};
	char path[FIELD_PATH_MAX];
	int rc = field_lookup(c->name, strlen(c->name), &ref);

	ck_assert_msg((rc == 0) == c->found, "%s: rc %d", c->name, rc);
	if (!c->found)
		return;
	ck_assert_msg(ref.id == c->id && ref.parent == c->parent,
		      "%s: id %d parent %d", c->name, ref.id, ref.parent);
	/* the path names it back, aliases in their process. form */
	field_path(ref, path);
	if (strncmp(c->name, "user.", 5) == 0)
		ck_assert_str_eq(path + strlen("process."), c->name);
	else
		ck_assert_str_eq(path, c->name);
}
END_TEST

START_TEST(test_lookup_length)
{
	struct field_ref ref;

	/* only len bytes count: a prefix of a longer buffer */
	ck_assert_int_eq(field_lookup("process.namexyz", 12, &ref), 0);
	ck_assert_int_eq(ref.id, FIELD_NAME);
	ck_assert_int_eq(field_lookup("process.name", 11, &ref), -1);
}
END_TEST

START_TEST(test_rule_names)
{
	ck_assert_str_eq(field_rule_names(),
			 "process.name, process.executable, process.args, "
			 "process.command_line, process.user.id, "
			 "process.user.name, process.parent.name, "
			 "process.parent.executable, process.parent.args, "
			 "process.parent.command_line, user.id or user.name");
	/* built once */
	ck_assert_ptr_eq(field_rule_names(), field_rule_names());
}
END_TEST

START_TEST(test_get)
{
	char exe[] = "/usr/bin/dracut", a0[] = "dracut", a1[] = "-f";
	char cmd[] = "dracut -f", cwd[] = "/root", user[] = "root";
	char *args[] = {a0, a1, NULL};
	struct image img;
	struct field_value v;

	memset(&img, 0, sizeof(img));
	img.executable = exe;
	img.name = img.executable + 9;
	img.args = args;
	img.argc = 2;
	img.command_line = cmd;
	img.cwd = cwd;
	img.uid = 4294967295U;
	img.user_name = user;

	field_get(FIELD_EXECUTABLE, &img, &v);
	ck_assert_str_eq(v.str, "/usr/bin/dracut");
	ck_assert_ptr_null(v.arr);
	field_get(FIELD_NAME, &img, &v);
	ck_assert_str_eq(v.str, "dracut");
	field_get(FIELD_COMMAND_LINE, &img, &v);
	ck_assert_str_eq(v.str, "dracut -f");
	field_get(FIELD_WORKING_DIRECTORY, &img, &v);
	ck_assert_str_eq(v.str, "/root");
	field_get(FIELD_USER_NAME, &img, &v);
	ck_assert_str_eq(v.str, "root");
	field_get(FIELD_USER_ID, &img, &v);
	ck_assert_str_eq(v.str, "4294967295");
	field_get(FIELD_ARGS, &img, &v);
	ck_assert_ptr_null(v.str);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_str_eq(v.arr[0], "dracut");
	ck_assert_str_eq(v.arr[1], "-f");

	/* absent values */
	img.args = NULL;
	img.argc = 0;
	img.user_name = NULL;
	field_get(FIELD_ARGS, &img, &v);
	ck_assert_ptr_null(v.arr);
	ck_assert_uint_eq(v.n, 0);
	field_get(FIELD_USER_NAME, &img, &v);
	ck_assert_ptr_null(v.str);
	img.uid = 0;
	field_get(FIELD_USER_ID, &img, &v);
	ck_assert_str_eq(v.str, "0");
	field_get(FIELD_NAME, NULL, &v);
	ck_assert_ptr_null(v.str);
	ck_assert_ptr_null(v.arr);
}
END_TEST

START_TEST(test_table)
{
	size_t i;

	/* every field has a name, and only process-wide ones are parents' */
	for (i = 0; i < FIELD_COUNT; i++)
		ck_assert_ptr_nonnull(field_table[i].name);
	ck_assert(!(field_table[FIELD_USER_ID].flags & FIELD_PARENT));
	ck_assert(!(field_table[FIELD_WORKING_DIRECTORY].flags & FIELD_RULE));
	ck_assert(field_table[FIELD_WORKING_DIRECTORY].flags & FIELD_PARENT);
}
END_TEST

static Suite *field_suite(void)
{
	Suite *s = suite_create("field");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_lookup, 0, ARRAY_SIZE(lookup_cases));
	tcase_add_test(tc, test_lookup_length);
	tcase_add_test(tc, test_rule_names);
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(field_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
