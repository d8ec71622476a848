/* check_exec_path.c - unit tests for exec_path.c: which file an exec ran */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exec_path.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 4
#define AT_FDCWD_INT (-100)

/*
 * One exec as its records describe it (PATH items 0 and 1, CWD, execveat
 * and its a0, success, exe=, argv) and the executable, name, interpreter
 * (NULL: none) and descriptor that exec_path_resolve must give, worked out
 * by hand from the rules in exec_path.h.
 */
struct path_case {
	const char *what;
	const char *path0, *path1, *cwd;
	bool execveat, have_dirfd;
	int dirfd;
	bool success;
	const char *exe;
	const char *args[MAX_ARGS + 1];
	const char *executable, *name, *interpreter;
	enum exec_fd kind;
	int fd;
};

/* clang-format off */
static const struct path_case cases[] = {
	{"absolute, cleaned", "/usr/./sbin/../bin/dracut", NULL, "/tmp",
	 false, false, 0, true, "/usr/bin/dracut", {"dracut", NULL},
	 "/usr/bin/dracut", "dracut", NULL, EXEC_FD_NONE, -1},
	{"relative to cwd", "../bin//tool", NULL, "/home/u/src",
	 false, false, 0, true, "/home/u/bin/tool", {"tool", NULL},
	 "/home/u/bin/tool", "tool", NULL, EXEC_FD_NONE, -1},
	{"a #! script: the script, exe= its interpreter", "./build", "/bin/sh",
	 "/tmp", false, false, 0, true, "/usr/bin/dash",
	 {"/bin/sh", "./build", NULL},
	 "/tmp/build", "build", "/usr/bin/dash", EXEC_FD_NONE, -1},
	{"a link to a binary is no script", "/bin/sh", NULL, "/",
	 false, false, 0, true, "/usr/bin/dash", {"sh", "-c", "true", NULL},
	 "/bin/sh", "sh", NULL, EXEC_FD_NONE, -1},
	{"no PATH record: exe=", NULL, NULL, NULL, false, false, 0, true,
	 "/usr/bin/cat", {"cat", NULL}, "/usr/bin/cat", "cat", NULL,
	 EXEC_FD_NONE, -1},
	{"a failed exec keeps the name it tried", "nothere", NULL, NULL,
	 false, false, 0, false, "/usr/bin/bash", {NULL},
	 "nothere", "nothere", NULL, EXEC_FD_NONE, -1},
	{"execveat relative to AT_FDCWD: against cwd", "bin/x", NULL, "/home",
	 true, true, AT_FDCWD_INT, true, "/home/bin/x", {"x", NULL},
	 "/home/bin/x", "x", NULL, EXEC_FD_NONE, -1},
	{"execveat, a0 not logged: exe=", "x", NULL, "/home", true, false, 0,
	 true, "/opt/x", {"x", NULL}, "/opt/x", "x", NULL, EXEC_FD_NONE, -1},
	{"dirfd and a #! script: the kernel's name", "dracut", "/bin/bash",
	 "/home", true, true, 4, true, "/usr/bin/bash",
	 {"/bin/bash", "-p", "/dev/fd/4/dracut", "--help", NULL},
	 "/dev/fd/4/dracut", "dracut", "/usr/bin/bash", EXEC_FD_DIR, 4},
	{"dirfd and a binary: exe=", "true", NULL, "/home", true, true, 4,
	 true, "/usr/bin/true", {"true", NULL},
	 "/usr/bin/true", "true", NULL, EXEC_FD_DIR, 4},
	{"dirfd and a binary through a link: the name asked for", "dracut",
	 NULL, "/home", true, true, 4, true, "/opt/real/mkinitrd",
	 {"dracut", NULL}, "/dev/fd/4/dracut", "dracut", NULL, EXEC_FD_DIR, 4},
	{"dirfd, failed: the kernel's name", "dracut", NULL, "/home", true,
	 true, 5, false, "/usr/bin/dracut", {"dracut", NULL},
	 "/dev/fd/5/dracut", "dracut", NULL, EXEC_FD_DIR, 5},
	{"fexecve of a #! script", "", "/bin/bash", "/home", true, true, 6,
	 true, "/usr/bin/bash",
	 {"/bin/bash", "-p", "/dev/fd/6", "--help", NULL},
	 "/dev/fd/6", "6", "/usr/bin/bash", EXEC_FD_FILE, 6},
	{"fexecve of a binary: exe=", "", NULL, "/home", true, true, 3, true,
	 "/usr/bin/true", {"true", NULL}, "/usr/bin/true", "true", NULL,
	 EXEC_FD_FILE, 3},
	{"a #! script from a cwd the kernel cannot name: PATH item 0, relative",
	 "./dracut", "/bin/bash", "<too_long>", false, false, 0, true,
	 "/usr/bin/bash", {"/bin/bash", "-p", "./dracut", "--help", NULL},
	 "dracut", "dracut", "/usr/bin/bash", EXEC_FD_NONE, -1},
	{"the same, no CWD record: PATH item 0, relative", "x/../bin/./s",
	 "/bin/sh", NULL, false, false, 0, true, "/usr/bin/dash",
	 {"/bin/sh", "x/../bin/./s", NULL},
	 "bin/s", "s", "/usr/bin/dash", EXEC_FD_NONE, -1},
	{"a binary from a cwd the kernel cannot name: exe=", "./bash", NULL,
	 "<too_long>", false, false, 0, true, "/usr/bin/bash",
	 {"./bash", NULL}, "/usr/bin/bash", "bash", NULL, EXEC_FD_NONE, -1},
	{"execveat, a0 not logged, a #! script: PATH item 0", "s", "/bin/sh",
	 "/home", true, false, 0, true, "/usr/bin/dash",
	 {"/bin/sh", "s", NULL}, "s", "s", "/usr/bin/dash", EXEC_FD_NONE, -1},
};
/* clang-format on */

START_TEST(test_resolve)
{
	const struct path_case *c = &cases[_i];
	struct exec_path_in in = {c->path0,    c->path1,      c->cwd,
				  c->execveat, c->have_dirfd, c->dirfd};
	struct image img;
	struct buf buf = {0};
	enum exec_fd kind;
	char *args[MAX_ARGS + 1];
	int fd;

	memset(&img, 0, sizeof(img));
	memcpy(args, c->args, sizeof(args));
	for (img.argc = 0; args[img.argc]; img.argc++)
		;
	img.args = args;
	img.success = c->success;
	img.exe = (char *)c->exe;
	ck_assert_int_eq(exec_path_resolve(&img, &in, &buf, &kind, &fd), 0);
	ck_assert_msg(img.executable && !strcmp(img.executable, c->executable),
		      "%s: executable %s, want %s", c->what, img.executable,
		      c->executable);
	ck_assert_str_eq(img.name, c->name);
	if (c->interpreter)
		ck_assert_pstr_eq(img.interpreter, c->interpreter);
	else
		ck_assert_msg(!img.interpreter, "%s: interpreter %s", c->what,
			      img.interpreter);
	ck_assert_int_eq(kind, c->kind);
	ck_assert_int_eq(fd, c->fd);
	buf_free(&buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exec_path");
	TCase *tc = tcase_create("resolve");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_resolve, 0, (int)ARRAY_SIZE(cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
