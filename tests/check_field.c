/* check_field.c - unit tests for field.c: names, lookups and values */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "util.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

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

/* Names: at most one dot, and the members of one object together; the
 * paths are the name under process. and process.parent. */
START_TEST(test_names)
{
	char want[FIELD_PATH_MAX];
	const char *dot, *prev = NULL;
	size_t i, j, n;

	for (i = 0; i < FIELD_COUNT; i++) {
		const struct field *f = &field_table[i];

		dot = strchr(f->name, '.');
		ck_assert_msg(!dot || !strchr(dot + 1, '.'), "%s", f->name);
		snprintf(want, sizeof(want), "process.%s", f->name);
		ck_assert_str_eq(f->path[0], want);
		snprintf(want, sizeof(want), "process.parent.%s", f->name);
		ck_assert_str_eq(f->path[1], want);
		if (!dot || (prev && !strncmp(prev, f->name,
					      (size_t)(dot - f->name + 1)))) {
			prev = dot ? f->name : NULL;
			continue;
		}
		/* a new object: no earlier field is in it */
		n = (size_t)(dot - f->name + 1);
		for (j = 0; j < i; j++)
			ck_assert_msg(strncmp(field_table[j].name, f->name, n),
				      "%s and %s apart", field_table[j].name,
				      f->name);
		prev = f->name;
	}
}
END_TEST

/* The line the man page lists the members of process (or of its parent)
 * in, from the table: pid, then each field, args_count after the
 * argument array. */
static void man_line(bool parent, char *out, size_t len)
{
	size_t i, n;

	n = (size_t)snprintf(out, len, "pid");
	for (i = 0; i < FIELD_COUNT && n < len; i++) {
		const struct field *f = &field_table[i];

		if (parent && !(f->flags & FIELD_PARENT))
			continue;
		n += (size_t)snprintf(out + n, len - n, ", %s%s", f->name,
				      f->type == FIELD_T_ARGS ? ", args_count"
							      : "");
	}
	ck_assert_uint_lt(n + 1, len);
	strcat(out, ".");
}

/* Line of the man page without its \% marks and newline, into out of
 * len bytes. Returns false at the end. */
static bool man_line_read(FILE *fp, char *out, size_t len)
{
	char buf[512], *p, *q = out;

	if (!fgets(buf, sizeof(buf), fp))
		return false;
	for (p = buf; *p && *p != '\n' && q + 1 < out + len; p++) {
		if (p[0] == '\\' && p[1] == '%')
			p++; /* skip the mark */
		else
			*q++ = *p;
	}
	*q = '\0';
	return true;
}

/* Does the paragraph of the man page tagged tag (".B tag") start with
 * text, its lines joined by blanks? */
static bool man_says(const char *tag, const char *text)
{
	FILE *fp = fopen(TOP_SRCDIR "/man/audisp-dracut.8", "r");
	char line[512], para[2048] = "", want[128];
	bool in = false;

	ck_assert_ptr_nonnull(fp);
	snprintf(want, sizeof(want), ".B %s", tag);
	while (man_line_read(fp, line, sizeof(line))) {
		if (!in) {
			in = !strcmp(line, want);
			continue;
		}
		if (line[0] == '.')
			break;
		if (*para)
			strncat(para, " ", sizeof(para) - strlen(para) - 1);
		strncat(para, line, sizeof(para) - strlen(para) - 1);
	}
	fclose(fp);
	return !strncmp(para, text, strlen(text));
}

/* The man page's lists of process fields are the table's. */
START_TEST(test_man_lists)
{
	char line[512];

	man_line(false, line, sizeof(line));
	ck_assert_str_eq(line, "pid, name, executable, args, args_count, "
			       "command_line, working_directory, user.id, "
			       "user.name.");
	ck_assert_msg(man_says("process.*", line),
		      "man/audisp-dracut.8 lacks: %s", line);
	man_line(true, line, sizeof(line));
	ck_assert_msg(man_says("process.parent.*", line),
		      "man/audisp-dracut.8 lacks: %s", line);
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
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_man_lists);
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
