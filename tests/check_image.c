/* check_image.c - unit tests for the process image: paths, args, copies */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

static void check_clean(const char *path, const char *cwd, const char *want)
{
	char *got = image_clean_path(path, cwd);

	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, want) == 0, "clean(%s, %s) = %s, want %s",
		      path, cwd ? cwd : "NULL", got, want);
	free(got);
}

START_TEST(test_clean_path)
{
	check_clean("/usr/bin/dracut", NULL, "/usr/bin/dracut");
	check_clean("/usr//bin/./dracut", NULL, "/usr/bin/dracut");
	check_clean("/usr/lib/../bin/dracut", NULL, "/usr/bin/dracut");
	check_clean("/../../bin/sh", NULL, "/bin/sh");
	check_clean("/", NULL, "/");
	check_clean("/usr/bin/", NULL, "/usr/bin");
	check_clean("dracut", "/usr/bin", "/usr/bin/dracut");
	check_clean("./dracut", "/tmp/x", "/tmp/x/dracut");
	check_clean("../bin/dracut", "/usr/sbin", "/usr/bin/dracut");
	check_clean("../../../../x", "/a/b", "/x");
	check_clean("./a/../b", "/", "/b");
	check_clean(".", "/tmp", "/tmp");
	/* cwd unknown: a relative path stays relative, cleaned */
	check_clean("./dracut", NULL, "dracut");
	check_clean("../x/./y", NULL, "../x/y");
	check_clean("a/../..", NULL, "..");
	check_clean("a/..", NULL, ".");
	/* a relative cwd is not trusted for joining */
	check_clean("x", "rel", "x");
	/* a dotted name is a name, not a step */
	check_clean("/usr/bin/...", NULL, "/usr/bin/...");
	check_clean("/usr/.hidden/..x", NULL, "/usr/.hidden/..x");
}
END_TEST

/* image_clean_into gives what image_clean_path gives, within the size
 * image_clean_size asks for */
static void check_into(const char *path, const char *cwd, const char *want,
		       size_t size)
{
	char buf[64];

	ck_assert_uint_eq(image_clean_size(path, cwd), size);
	memset(buf, 'X', sizeof(buf));
	ck_assert_ptr_eq(image_clean_into(buf, path, cwd), buf);
	ck_assert_str_eq(buf, want);
	/* nothing written past the size */
	ck_assert_int_eq(buf[size], 'X');
}

START_TEST(test_clean_into)
{
	/* strlen(path) + 3, plus strlen(cwd) when joined */
	check_into("/usr/bin/dracut", NULL, "/usr/bin/dracut", 18);
	check_into("/usr/bin/dracut", "/tmp", "/usr/bin/dracut", 18);
	check_into("dracut", "/usr/bin", "/usr/bin/dracut", 6 + 3 + 8);
	check_into("x", "rel", "x", 4);
	/* the join is a component boundary: "/a" + "b" is "/a/b" */
	check_into("b", "/a", "/a/b", 1 + 3 + 2);
	/* ".." in path climbs out of cwd's components, not past "/" */
	check_into("../../..", "/a/b", "/", 8 + 3 + 4);
	check_into("../c", "/a/b/", "/a/c", 4 + 3 + 5);
	/* an empty path is cwd itself; an empty result is "." */
	check_into("", "/a//b/.", "/a/b", 0 + 3 + 7);
	check_into("", NULL, ".", 3);
	check_into("..", NULL, "..", 5);
}
END_TEST

static char **mkargs(size_t n, const char *const *src)
{
	char **a = calloc(n + 1, sizeof(*a));
	size_t i;

	for (i = 0; i < n; i++)
		a[i] = strdup(src[i]);
	return a;
}

START_TEST(test_set_executable_and_args)
{
	static const char *const av[] = {"dracut", "--force", "", "x y"};
	struct image *img = image_new();

	ck_assert_int_eq(
		image_set_executable(img, "../sbin/dracut", "/usr/bin"), 0);
	ck_assert_str_eq(img->executable, "/usr/sbin/dracut");
	ck_assert_str_eq(img->name, "dracut");
	ck_assert_int_eq(image_set_args(img, mkargs(4, av), 4), 0);
	ck_assert_uint_eq(img->argc, 4);
	/* an empty argument still takes its separator */
	ck_assert_str_eq(img->command_line, "dracut --force  x y");
	ck_assert_int_eq(image_set_args(img, NULL, 0), 0);
	ck_assert_ptr_null(img->command_line);
	image_free(img);
	image_free(NULL);
}
END_TEST

START_TEST(test_copy_full)
{
	static const char *const av[] = {"/bin/sh", "/tmp/s.sh", "1"};
	struct image *img = image_new(), *cp;

	img->pid = 42;
	img->ppid = 7;
	img->serial = 99;
	image_set_executable(img, "/tmp/s.sh", NULL);
	img->interpreter = strdup("/usr/bin/dash");
	img->cwd = strdup("/tmp");
	image_set_args(img, mkargs(3, av), 3);
	cp = image_copy(img, 0);
	ck_assert_ptr_nonnull(cp);
	ck_assert_int_eq(cp->pid, 42);
	ck_assert_int_eq(cp->ppid, 7);
	ck_assert_uint_eq(cp->serial, 99);
	ck_assert_str_eq(cp->executable, "/tmp/s.sh");
	ck_assert_str_eq(cp->name, "s.sh");
	ck_assert_str_eq(cp->interpreter, "/usr/bin/dash");
	ck_assert_str_eq(cp->cwd, "/tmp");
	ck_assert_ptr_null(cp->key);
	ck_assert_uint_eq(cp->argc, 3);
	ck_assert_str_eq(cp->args[2], "1");
	ck_assert_ptr_null(cp->args[3]);
	ck_assert_str_eq(cp->command_line, "/bin/sh /tmp/s.sh 1");
	ck_assert_uint_eq(cp->flags & IMAGE_COPY_TRUNCATED, 0);
	/* the copy is independent of the original */
	image_free(img);
	ck_assert_str_eq(cp->args[0], "/bin/sh");
	image_free(cp);
}
END_TEST

START_TEST(test_copy_truncated)
{
	static const char *const av[] = {"abcd", "efgh", "ijkl"};
	struct image *img = image_new(), *cp;
	size_t fixed;

	image_set_executable(img, "/x", NULL); /* "/x\0" = 3 bytes */
	image_set_args(img, mkargs(3, av), 3);
	fixed = 3;
	/*
	 * Each kept argument of length l costs 2 * (l + 1). A budget of
	 * fixed + 2 * 5 + 2 * 3 leaves (16 / 2) = 8 bytes: "abcd" takes 5,
	 * and 8 - 5 - 1 = 2 bytes of "efgh" remain: "ef".
	 */
	cp = image_copy(img, fixed + 16);
	ck_assert_ptr_nonnull(cp);
	ck_assert_uint_eq(cp->argc, 2);
	ck_assert_str_eq(cp->args[0], "abcd");
	ck_assert_str_eq(cp->args[1], "ef");
	ck_assert_str_eq(cp->command_line, "abcd ef");
	ck_assert_uint_ne(cp->flags & IMAGE_COPY_TRUNCATED, 0);
	ck_assert_str_eq(cp->executable, "/x");
	image_free(cp);

	/* exactly enough: nothing is cut */
	cp = image_copy(img, fixed + 2 * 15);
	ck_assert_uint_eq(cp->argc, 3);
	ck_assert_uint_eq(cp->flags & IMAGE_COPY_TRUNCATED, 0);
	ck_assert_str_eq(cp->command_line, "abcd efgh ijkl");
	image_free(cp);

	/* no room for any argument */
	cp = image_copy(img, 1);
	ck_assert_uint_eq(cp->argc, 0);
	ck_assert_ptr_null(cp->command_line);
	ck_assert_str_eq(cp->executable, "/x");
	ck_assert_uint_ne(cp->flags & IMAGE_COPY_TRUNCATED, 0);
	image_free(cp);
	image_free(img);
}
END_TEST

START_TEST(test_pack)
{
	static const char *const av[] = {"abcd", "efgh", "ijkl"};
	struct image *img = image_new(), *pk, *full;

	image_set_executable(img, "/x", NULL); /* 3 bytes */
	image_set_args(img, mkargs(3, av), 3);
	/* packed: no command line, so each argument costs l + 1 once */
	pk = image_pack(img, 0);
	ck_assert_ptr_nonnull(pk);
	ck_assert_ptr_null(pk->command_line);
	ck_assert_uint_eq(pk->argc, 3);
	ck_assert_str_eq(pk->args[2], "ijkl");
	ck_assert_uint_eq(image_size(pk),
			  sizeof(*pk) + 3 + 4 * sizeof(char *) + 3 * 5);
	/* equal strings are stored once: exe= is the executable here */
	img->exe = strdup("/x");
	full = image_pack(img, 0);
	ck_assert_ptr_eq(full->exe, full->executable);
	ck_assert_uint_eq(image_size(full), image_size(pk));
	image_free(full);
	free(img->exe);
	img->exe = NULL;
	/* a full copy of a packed image rebuilds the command line */
	full = image_copy(pk, 0);
	ck_assert_str_eq(full->command_line, "abcd efgh ijkl");
	image_free(full);
	image_free(pk);

	/* 13 bytes for arguments after the 3 of "/x": "abcd" and "efgh"
	 * take 5 each, and 13 - 10 - 1 = 2 bytes of "ijkl" remain */
	pk = image_pack(img, 3 + 13);
	ck_assert_uint_eq(pk->argc, 3);
	ck_assert_str_eq(pk->args[1], "efgh");
	ck_assert_str_eq(pk->args[2], "ij");
	ck_assert_uint_ne(pk->flags & IMAGE_COPY_TRUNCATED, 0);
	image_free(pk);
	image_free(img);
}
END_TEST

START_TEST(test_pack_shares_equal_strings)
{
	struct image *img = image_new(), *pk;

	/* five strings: "/ab" three times (in three allocations), "/ac"
	 * and "/bd" of the same length but other bytes */
	img->executable = strdup("/ab");
	img->exe = strdup("/ab");
	img->cwd = strdup("/ac");
	img->tty = strdup("/bd");
	img->key = strdup("/ab");
	pk = image_pack(img, 0);
	ck_assert_ptr_nonnull(pk);
	ck_assert_ptr_eq(pk->exe, pk->executable);
	ck_assert_ptr_eq(pk->key, pk->executable);
	ck_assert_ptr_ne(pk->cwd, pk->executable);
	ck_assert_ptr_ne(pk->tty, pk->executable);
	ck_assert_ptr_ne(pk->tty, pk->cwd);
	ck_assert_str_eq(pk->cwd, "/ac");
	ck_assert_str_eq(pk->tty, "/bd");
	ck_assert_str_eq(pk->name, "ab");
	/* the original counts 5 strings of 4 bytes; the copy 3 */
	ck_assert_uint_eq(image_size(img), sizeof(*img) + 5 * 4);
	ck_assert_uint_eq(image_size(pk), sizeof(*pk) + 3 * 4);
	image_free(pk);
	image_free(img);
}
END_TEST

START_TEST(test_pack_of_copy)
{
	static const char *const av[] = {"abcd", "efgh"};
	struct image *img = image_new(), *cp, *pk;
	const size_t ptrs = 3 * sizeof(char *);

	image_set_executable(img, "/x", NULL); /* 3 bytes */
	img->exe = strdup("/x");	       /* the same string */
	img->cwd = strdup("/t");	       /* 3 bytes */
	image_set_args(img, mkargs(2, av), 2);
	cp = image_copy(img, 0);
	image_free(img);
	/* "/x" and "/t", args[3], "abcd" and "efgh", "abcd efgh" */
	ck_assert_uint_eq(image_size(cp), sizeof(*cp) + 6 + ptrs + 10 + 10);
	/* the pack of a full copy: the same without the command line; its
	 * strings are its own (the copy is gone when they are read) */
	pk = image_pack(cp, 16);
	image_free(cp);
	ck_assert_ptr_nonnull(pk);
	ck_assert_uint_eq(image_size(pk), sizeof(*pk) + 6 + ptrs + 10);
	ck_assert_ptr_null(pk->command_line);
	ck_assert_uint_eq(pk->argc, 2);
	ck_assert_str_eq(pk->args[0], "abcd");
	ck_assert_str_eq(pk->args[1], "efgh");
	ck_assert_ptr_null(pk->args[2]);
	ck_assert_str_eq(pk->executable, "/x");
	ck_assert_ptr_eq(pk->exe, pk->executable);
	ck_assert_str_eq(pk->name, "x");
	ck_assert_str_eq(pk->cwd, "/t");
	ck_assert_uint_eq(pk->flags & IMAGE_COPY_TRUNCATED, 0);
	ck_assert_uint_ne(pk->flags & IMAGE_PACKED, 0);
	/* one byte less: 15 - 6 = 9 bytes for arguments, "abcd" takes 5
	 * and 9 - 5 - 1 = 3 bytes of "efgh" remain */
	cp = image_copy(pk, 0);
	image_free(pk);
	pk = image_pack(cp, 15);
	ck_assert_uint_eq(pk->argc, 2);
	ck_assert_str_eq(pk->args[1], "efg");
	ck_assert_uint_ne(pk->flags & IMAGE_COPY_TRUNCATED, 0);
	ck_assert_uint_eq(image_size(pk), sizeof(*pk) + 6 + ptrs + 5 + 4);
	image_free(pk);
	image_free(cp);
}
END_TEST

START_TEST(test_size)
{
	static const char *const av[] = {"ab"};
	struct image *img = image_new();

	ck_assert_uint_eq(image_size(img), sizeof(*img));
	image_set_executable(img, "/ab", NULL);
	image_set_args(img, mkargs(1, av), 1);
	/* "/ab\0" + args[2] + "ab\0" + "ab\0" */
	ck_assert_uint_eq(image_size(img),
			  sizeof(*img) + 4 + 2 * sizeof(char *) + 3 + 3);
	image_free(img);
}
END_TEST

/* An executable, and the name every way of making an image gives it:
 * path_base's meaning, "/" staying "/". */
static const struct {
	const char *executable, *name;
} base_cases[] = {
	{"/usr/bin/dracut", "dracut"},
	{"/", "/"},
	{"/x", "x"},
	{"dracut", "dracut"},
};

START_TEST(test_name_is_basename)
{
	static const char *const av[] = {"a"};
	struct image *img = image_new(), *cp, *pk, *pp;

	ck_assert_int_eq(
		image_set_executable(img, base_cases[_i].executable, NULL), 0);
	ck_assert_str_eq(img->executable, base_cases[_i].executable);
	ck_assert_int_eq(image_set_args(img, mkargs(1, av), 1), 0);
	cp = image_copy(img, 0);
	pk = image_pack(img, 0);
	pp = image_pack(cp, 0); /* the block-moving path */
	ck_assert_ptr_nonnull(cp);
	ck_assert_ptr_nonnull(pk);
	ck_assert_ptr_nonnull(pp);
	ck_assert_str_eq(img->name, base_cases[_i].name);
	ck_assert_str_eq(cp->name, base_cases[_i].name);
	ck_assert_str_eq(pk->name, base_cases[_i].name);
	ck_assert_str_eq(pp->name, base_cases[_i].name);
	image_free(pp);
	image_free(pk);
	image_free(cp);
	image_free(img);
}
END_TEST

/* Every string IMAGE_STRINGS declares, set to its own member name. */
static void set_every_string(struct image *img)
{
#define SET(m) img->m = strdup(#m);
	IMAGE_STRINGS(SET)
#undef SET
}

static void check_every_string(const struct image *img)
{
#define CHECK(m) ck_assert_str_eq(img->m, #m);
	IMAGE_STRINGS(CHECK)
#undef CHECK
}

/* The list is what image.c works from: each string it declares is freed
 * (valgrind and ASan see a leak otherwise), counted, copied and packed. */
START_TEST(test_every_string)
{
	static const char *const av[] = {"a"};
	struct image *img = image_new(), *cp, *pk, *pp;
	size_t bytes = 0;

#define COUNT(m) bytes += sizeof(#m);
	IMAGE_STRINGS(COUNT)
#undef COUNT
	ck_assert_ptr_nonnull(img);
	set_every_string(img);
	ck_assert_uint_eq(image_size(img), sizeof(*img) + bytes);
	ck_assert_int_eq(image_set_args(img, mkargs(1, av), 1), 0);
	cp = image_copy(img, 0);
	pk = image_pack(img, 0);
	pp = image_pack(cp, 0); /* the block-moving path */
	ck_assert_ptr_nonnull(cp);
	ck_assert_ptr_nonnull(pk);
	ck_assert_ptr_nonnull(pp);
	check_every_string(cp);
	check_every_string(pk);
	check_every_string(pp);
	/* the strings, args[2], "a" (and "a" again for the command line) */
	ck_assert_uint_eq(image_size(pk),
			  sizeof(*pk) + bytes + 2 * sizeof(char *) + 2);
	ck_assert_uint_eq(image_size(pp), image_size(pk));
	ck_assert_uint_eq(image_size(cp), image_size(pk) + 2);
	image_free(pp);
	image_free(pk);
	image_free(cp);
	image_free(img);
}
END_TEST

static Suite *image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_clean_path);
	tcase_add_test(tc, test_clean_into);
	tcase_add_test(tc, test_set_executable_and_args);
	tcase_add_test(tc, test_copy_full);
	tcase_add_test(tc, test_copy_truncated);
	tcase_add_test(tc, test_pack);
	tcase_add_test(tc, test_pack_shares_equal_strings);
	tcase_add_test(tc, test_pack_of_copy);
	tcase_add_test(tc, test_size);
	tcase_add_loop_test(tc, test_name_is_basename, 0,
			    sizeof(base_cases) / sizeof(base_cases[0]));
	tcase_add_test(tc, test_every_string);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(image_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
