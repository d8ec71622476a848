/* check_procfs.c - procfs: scripts told from what a process says of itself */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "image.h"
#include "procfs.h"
#include "util.h"

/*
 * A fake /proc (proc) beside a fake file system (fs), which the fake
 * processes have for their root (PID/root -> fs) and whose files their exe
 * and descriptor links point at. In the tables below a leading '@' stands
 * for fs: "@/bin/sh" is fs's bin/sh.
 */
static char proc[256], fs[256];

/* Files of the fake file system: a path, and its content (NULL: a
 * directory; a leading '>' makes a symlink to the rest). */
static const struct {
	const char *path, *data;
} files[] = {
	{"/bin", NULL},
	{"/bin/sh", "\177ELF sh"},
	{"/bin/bash", "\177ELF bash"},
	{"/bin/dash", "\177ELF dash"},
	{"/bin/sh2", ">dash"},
	{"/usr/lib/kernel/install.d", NULL},
	{"/usr/lib/kernel/install.d/50-dracut.install", "#!/bin/sh\nexit 0\n"},
	{"/opt/x", NULL},
	{"/opt/x/tool.sh", "#!/bin/bash\ndracut -f\n"},
	{"/opt/x/tool-p.sh", "#!  /bin/bash -p\ndracut -f\n"},
	{"/opt/x/notscript", "dracut -f\n"},
	{"/opt/x/dash.sh", "#!/bin/sh2\ndracut -f\n"},
	{"/opt/y", NULL},
	{"/opt/y/tool.sh", "#!/bin/sh\ndracut -f\n"},
	{"/srv/d", NULL},
	{"/srv/d/build-initrd", "#!/bin/sh\ndracut -f\n"},
};

/* "@..." made absolute in fs; anything else as it is. */
static void at_fs(char *out, size_t n, const char *s)
{
	if (s[0] == '@')
		snprintf(out, n, "%s%s", fs, s + 1);
	else
		snprintf(out, n, "%s", s);
}

static void put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void mkdirs(const char *path)
{
	char p[PATH_MAX], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) != 0)
			ck_assert_int_eq(errno, EEXIST);
		*s = '/';
	}
	if (mkdir(p, 0755) != 0)
		ck_assert_int_eq(errno, EEXIST);
}

static void fake_setup(void)
{
	char path[PATH_MAX];
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	size_t i;

	snprintf(proc, sizeof(proc), "%s/procfs-proc.XXXXXX", tmp);
	snprintf(fs, sizeof(fs), "%s/procfs-fs.XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(proc));
	ck_assert_ptr_nonnull(mkdtemp(fs));
	snprintf(path, sizeof(path), "%s/stat", proc);
	put_file(path, "btime 1000000000\n", 17);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s%s", fs, files[i].path);
		if (!files[i].data)
			mkdirs(path);
		else if (files[i].data[0] == '>')
			ck_assert_int_eq(symlink(files[i].data + 1, path), 0);
		else
			put_file(path, files[i].data, strlen(files[i].data));
	}
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void fake_teardown(void)
{
	nftw(proc, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(fs, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#define NFDS 3

/* A fake process: the links and files procfs_read looks at. */
struct fake {
	const char *comm, *exe, *cwd;
	const char *argv[6];
	struct {
		int fd;
		const char *target; /* "@..." or as it is */
	} fds[NFDS];
	int noroot; /* no PID/root link */
};

static void link_at(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX], t[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	at_fs(t, sizeof(t), target);
	ck_assert_int_eq(symlink(t, path), 0);
}

static void fake_proc(pid_t pid, const struct fake *p)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], buf[1024], name[16];
	size_t len = 0, i;
	int n;

	snprintf(dir, sizeof(dir), "%s/%d", proc, (int)pid);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	n = snprintf(buf, sizeof(buf),
		     "%d (%s) S 1 %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 700 "
		     "1000 100\n",
		     (int)pid, p->comm, (int)pid, (int)pid);
	snprintf(path, sizeof(path), "%s/stat", dir);
	put_file(path, buf, (size_t)n);
	n = snprintf(buf, sizeof(buf), "%s\n", p->comm);
	snprintf(path, sizeof(path), "%s/comm", dir);
	put_file(path, buf, (size_t)n);
	for (i = 0; p->argv[i]; i++) {
		memcpy(buf + len, p->argv[i], strlen(p->argv[i]) + 1);
		len += strlen(p->argv[i]) + 1;
	}
	snprintf(path, sizeof(path), "%s/cmdline", dir);
	put_file(path, buf, len);
	link_at(dir, "exe", p->exe);
	link_at(dir, "cwd", p->cwd ? p->cwd : "/");
	if (!p->noroot)
		link_at(dir, "root", "@");
	snprintf(path, sizeof(path), "%s/fd", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	for (i = 0; i < NFDS && p->fds[i].target; i++) {
		snprintf(name, sizeof(name), "fd/%d", p->fds[i].fd);
		link_at(dir, name, p->fds[i].target);
	}
}

/* ================================================================ scripts */

/* What procfs_read must make of a fake process: executable, interpreter
 * (NULL: none) and why. */
static const struct {
	const char *why;
	struct fake p;
	const char *executable, *interpreter;
} reads[] = {
	{"a #! script run by path",
	 {.comm = "50-dracut.insta",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/usr/lib/kernel/install.d/50-dracut.install",
		   "add", NULL}},
	 "/usr/lib/kernel/install.d/50-dracut.install",
	 "@/bin/sh"},
	{"exec -a x bash -c CMD NAME: a $0 named like comm, no file there",
	 {.comm = "bash",
	  .exe = "@/bin/bash",
	  .argv = {"x", "-c", "( dracut -f; : )",
		   "/usr/lib/kernel/install.d/bash", NULL}},
	 "@/bin/bash",
	 NULL},
	{"comm and argv name a real script of another interpreter",
	 {.comm = "50-dracut.insta",
	  .exe = "@/bin/bash",
	  .argv = {"/bin/bash", "/usr/lib/kernel/install.d/50-dracut.install",
		   NULL}},
	 "@/bin/bash",
	 NULL},
	{"comm and argv name a file that is no #! script",
	 {.comm = "notscript",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/opt/x/notscript", NULL}},
	 "@/bin/sh",
	 NULL},
	{"#! with blanks and an argument",
	 {.comm = "tool-p.sh",
	  .exe = "@/bin/bash",
	  .argv = {"/bin/bash", "-p", "/opt/x/tool-p.sh", NULL}},
	 "/opt/x/tool-p.sh",
	 "@/bin/bash"},
	{"#! naming a symlink to the interpreter",
	 {.comm = "dash.sh",
	  .exe = "@/bin/dash",
	  .argv = {"/bin/sh2", "/opt/x/dash.sh", NULL}},
	 "/opt/x/dash.sh",
	 "@/bin/dash"},
	{"a relative script found by its descriptor",
	 {.comm = "tool.sh",
	  .exe = "@/bin/bash",
	  .cwd = "/boot",
	  .argv = {"/bin/bash", "./tool.sh", NULL},
	  .fds = {{255, "@/opt/x/tool.sh"}}},
	 "@/opt/x/tool.sh",
	 "@/bin/bash"},
	{"a descriptor of a same-named script of another interpreter",
	 {.comm = "tool.sh",
	  .exe = "@/bin/bash",
	  .cwd = "/boot",
	  .argv = {"/bin/bash", "./tool.sh", NULL},
	  .fds = {{255, "@/opt/y/tool.sh"}}},
	 "@/bin/bash",
	 NULL},
	{"execveat(dirfd, NAME): /dev/fd/N/NAME through the open directory",
	 {.comm = "build-initrd",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/dev/fd/5/build-initrd", NULL},
	  .fds = {{0, "/dev/null"}, {5, "@/srv/d"}}},
	 "@/srv/d/build-initrd",
	 "@/bin/sh"},
	{"/dev/fd/N/NAME whose descriptor was closed since",
	 {.comm = "build-initrd",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/dev/fd/5/build-initrd", NULL}},
	 "@/bin/sh",
	 NULL},
	{"/dev/fd/N/NAME whose descriptor is now a pipe",
	 {.comm = "build-initrd",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/dev/fd/5/build-initrd", NULL},
	  .fds = {{5, "pipe:[4242]"}}},
	 "@/bin/sh",
	 NULL},
	{"fexecve: /dev/fd/N, comm N (kernels before 6.14 name it so)",
	 {.comm = "4",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/dev/fd/4", "--help", NULL},
	  .fds = {{4, "@/srv/d/build-initrd"}}},
	 "@/srv/d/build-initrd",
	 "@/bin/sh"},
	{"a name like /dev/fd/N that is no descriptor's",
	 {.comm = "x",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/dev/fd/x", NULL}},
	 "@/bin/sh",
	 NULL},
	{"a tree without PID/root is not checked (check_proctable's)",
	 {.comm = "ghost.sh",
	  .exe = "@/bin/sh",
	  .argv = {"/bin/sh", "/nowhere/ghost.sh", NULL},
	  .noroot = 1},
	 "/nowhere/ghost.sh",
	 "@/bin/sh"},
};

START_TEST(procfs_read_scripts)
{
	const pid_t pid = 1000 + _i;
	char want[PATH_MAX], wi[PATH_MAX];
	struct procfs *pfs;
	struct image *img;

	fake_proc(pid, &reads[_i].p);
	pfs = procfs_create(proc);
	ck_assert_ptr_nonnull(pfs);
	img = procfs_read(pfs, pid);
	ck_assert_msg(img != NULL, "%s: no image", reads[_i].why);
	at_fs(want, sizeof(want), reads[_i].executable);
	ck_assert_msg(img->executable && strcmp(img->executable, want) == 0,
		      "%s: executable %s, want %s", reads[_i].why,
		      img->executable ? img->executable : "(null)", want);
	ck_assert_str_eq(img->name, strrchr(want, '/') + 1);
	if (reads[_i].interpreter) {
		at_fs(wi, sizeof(wi), reads[_i].interpreter);
		ck_assert_msg(
			img->interpreter && strcmp(img->interpreter, wi) == 0,
			"%s: interpreter %s, want %s", reads[_i].why,
			img->interpreter ? img->interpreter : "(null)", wi);
	} else {
		ck_assert_msg(img->interpreter == NULL,
			      "%s: interpreter %s, want none", reads[_i].why,
			      img->interpreter);
	}
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* ================================================================ fd path */

static const struct {
	const char *why;
	int fd;		    /* the descriptor linked (-1: none) */
	const char *target; /* its link */
	int ask;	    /* the descriptor asked for */
	const char *want;   /* NULL: no path */
} fdpaths[] = {
	{"a directory", 4, "/usr/bin", 4, "/usr/bin"},
	{"a deleted file", 6, "/memfd:x (deleted)", 6, "/memfd:x"},
	{"a socket", 3, "socket:[9]", 3, NULL},
	{"an anonymous inode", 3, "anon_inode:[eventfd]", 3, NULL},
	{"a descriptor that is not open", 4, "/usr/bin", 5, NULL},
	{"a negative descriptor", 4, "/usr/bin", -1, NULL},
};

START_TEST(procfs_fd_paths)
{
	char dir[PATH_MAX], name[32];
	struct procfs *pfs;
	uint64_t st = 0;
	char *got;

	fake_proc(77, &(struct fake){.comm = "sh",
				     .exe = "@/bin/sh",
				     .argv = {"sh", NULL}});
	snprintf(dir, sizeof(dir), "%s/77", proc);
	snprintf(name, sizeof(name), "fd/%d", fdpaths[_i].fd);
	link_at(dir, name, fdpaths[_i].target);
	pfs = procfs_create(proc);
	got = procfs_fd_path(pfs, 77, fdpaths[_i].ask, &st);
	if (fdpaths[_i].want) {
		ck_assert_msg(got && strcmp(got, fdpaths[_i].want) == 0,
			      "%s: %s, want %s", fdpaths[_i].why,
			      got ? got : "(null)", fdpaths[_i].want);
		/* the fake's stat says it started 700 ticks after boot */
		ck_assert_uint_eq(st, 700);
	} else {
		ck_assert_msg(got == NULL, "%s: %s, want none", fdpaths[_i].why,
			      got);
	}
	free(got);
	/* a process that is not there */
	ck_assert_ptr_null(procfs_fd_path(pfs, 78, fdpaths[_i].ask, NULL));
	procfs_free(pfs);
}
END_TEST

/* ================================================================ live */

/* A descriptor number far above what the test opens otherwise. */
#define HIGH_FD 200

/* Wait until /proc/PID/cmdline holds the string s (the child has exec'd);
 * fails the test after a generous bound, never on timing otherwise. */
static void wait_cmdline(pid_t pid, const char *s)
{
	char path[64], buf[4096];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	for (i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = 0, k;

		if (f) {
			n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
		}
		for (k = 0; k < n; k++)
			if (buf[k] == '\0')
				buf[k] = ' ';
		buf[n] = '\0';
		if (strstr(buf, s))
			return;
		usleep(5000);
	}
	ck_abort_msg("pid %d never ran \"%s\"", (int)pid, s);
}

/* This very process: a directory it holds open, then closed. The
 * descriptor is a high one, which procfs's own opens do not take again. */
START_TEST(procfs_fd_path_live)
{
	struct procfs *pfs = procfs_create(NULL);
	char real[PATH_MAX], *got;
	uint64_t st = 0, st2 = 1;
	int fd, low;

	ck_assert_ptr_nonnull(realpath(fs, real));
	low = open(fs, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(low, 0);
	fd = fcntl(low, F_DUPFD_CLOEXEC, HIGH_FD);
	ck_assert_int_ge(fd, HIGH_FD);
	close(low);
	got = procfs_fd_path(pfs, getpid(), fd, &st);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, real);
	ck_assert_int_eq(procfs_start_ticks(pfs, getpid(), &st2), 0);
	ck_assert_uint_eq(st, st2);
	free(got);
	close(fd);
	ck_assert_ptr_null(procfs_fd_path(pfs, getpid(), fd, NULL));
	procfs_free(pfs);
}
END_TEST

/*
 * Real processes that wait on a pipe: a #! script run through
 * execveat(dirfd, NAME) (argv /bin/sh /dev/fd/N/NAME), and /bin/sh started
 * as "exec -a x sh -c CMD /nowhere/sh" (argv[0] is not comm, and $0 is
 * named like comm). procfs_read names the first after its file and the
 * second after the sh it runs.
 */
START_TEST(procfs_read_live)
{
	struct procfs *pfs = procfs_create(NULL);
	char real[PATH_MAX], want[PATH_MAX + 32], path[PATH_MAX];
	char s0[] = "build-initrd", x0[] = "x", x1[] = "-c";
	char x2[] = "read -r _", x3[] = "/nowhere/sh";
	char *const sargv[] = {s0, NULL};
	char *const xargv[] = {x0, x1, x2, x3, NULL};
	pid_t pid[2];
	struct image *img;
	int p[2], dir, i;

	ck_assert_ptr_nonnull(realpath(fs, real));
	snprintf(path, sizeof(path), "%s/srv/d/build-initrd", fs);
	put_file(path, "#!/bin/sh\nread -r _\n", 20);
	ck_assert_int_eq(chmod(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/srv/d", fs);
	dir = open(path,
		   O_RDONLY | O_DIRECTORY); /* no O_CLOEXEC: sh needs it */
	ck_assert_int_ge(dir, 0);
	ck_assert_int_eq(pipe(p), 0);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			dup2(p[0], 0);
			close(p[1]);
			if (i == 0)
				syscall(SYS_execveat, dir, "build-initrd",
					sargv, environ, 0);
			else
				execv("/bin/sh", xargv);
			_exit(127);
		}
	}
	close(p[0]);
	wait_cmdline(pid[0], "/build-initrd");
	wait_cmdline(pid[1], "/nowhere/sh");

	img = procfs_read(pfs, pid[0]);
	ck_assert_ptr_nonnull(img);
	snprintf(want, sizeof(want), "%s/srv/d/build-initrd", real);
	ck_assert_str_eq(img->executable, want);
	ck_assert_str_eq(img->name, "build-initrd");
	ck_assert_ptr_nonnull(img->interpreter);
	ck_assert_str_eq(img->interpreter, img->exe);
	image_free(img);

	img = procfs_read(pfs, pid[1]);
	ck_assert_ptr_nonnull(img);
	ck_assert_ptr_nonnull(img->exe);
	ck_assert_str_eq(img->executable, img->exe);
	ck_assert_ptr_null(img->interpreter);
	ck_assert_str_eq(img->args[3], "/nowhere/sh");
	image_free(img);

	close(p[1]);
	close(dir);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(waitpid(pid[i], NULL, 0), pid[i]);
	procfs_free(pfs);
}
END_TEST

static Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("fake");

	tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
	tcase_add_loop_test(tc, procfs_read_scripts, 0, ARRAY_SIZE(reads));
	tcase_add_loop_test(tc, procfs_fd_paths, 0, ARRAY_SIZE(fdpaths));
	suite_add_tcase(s, tc);
	tc = tcase_create("live");
	tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
	tcase_add_test(tc, procfs_fd_path_live);
	tcase_add_test(tc, procfs_read_live);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(procfs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
