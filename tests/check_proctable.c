/* check_proctable.c - unit tests for procfs and proctable on a fake /proc */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "image.h"
#include "procfs.h"
#include "proctable.h"

/*
 * The fake tree boots at BTIME (whole seconds, as ROOT/stat says). Event
 * times are BTIME + seconds, so ticks after boot are (seconds * hz) plus
 * msec * hz / 1000, with hz = sysconf(_SC_CLK_TCK) (100 on Linux).
 */
#define BTIME 1000000000LL

static char root[256];
static long hz;

static uint64_t ticks(int64_t after_boot_sec, uint32_t msec)
{
	return (uint64_t)after_boot_sec * (uint64_t)hz +
	       (uint64_t)msec * (uint64_t)hz / 1000;
}

static void put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void fake_setup(void)
{
	char path[PATH_MAX + 16];

	hz = sysconf(_SC_CLK_TCK);
	snprintf(root, sizeof(root), "%s/fakeproc.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/stat", root);
	put_file(path, "cpu  1 2 3 4\nbtime 1000000000\nprocesses 9\n", 42);
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
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A process in the fake tree. argv ends with NULL; exe and cwd may be
 * NULL (no link, as for a kernel thread). */
struct fp {
	pid_t pid, ppid;
	uint64_t start; /* ticks after boot */
	const char *comm;
	const char *exe;
	const char *cwd;
	uid_t uid, euid;
	const char *argv[8];
	char state; /* stat's state; 0: 'S' */
};

static void fake_proc(const struct fp *p)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[4096];
	size_t len = 0, i;
	int n;

	snprintf(dir, sizeof(dir), "%s/%d", root, (int)p->pid);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	/* fields 1-22 and a few more, as the kernel writes them */
	n = snprintf(buf, sizeof(buf),
		     "%d (%s) %c %d %d %d 0 -1 4194560 100 0 0 0 1 2 0 0 "
		     "20 0 1 0 %llu 1000 100 18446744073709551615\n",
		     (int)p->pid, p->comm, p->state ? p->state : 'S',
		     (int)p->ppid, (int)p->pid,
		     (int)p->pid, (unsigned long long)p->start);
	snprintf(path, sizeof(path), "%s/stat", dir);
	put_file(path, buf, (size_t)n);
	n = snprintf(buf, sizeof(buf),
		     "Name:\t%s\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\n"
		     "PPid:\t%d\nUid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
		     p->comm, (int)p->pid, (int)p->pid, (int)p->ppid, p->uid,
		     p->euid, p->uid, p->uid);
	snprintf(path, sizeof(path), "%s/status", dir);
	put_file(path, buf, (size_t)n);
	n = snprintf(buf, sizeof(buf), "%s\n", p->comm);
	snprintf(path, sizeof(path), "%s/comm", dir);
	put_file(path, buf, (size_t)n);
	for (i = 0; p->argv[i]; i++) {
		size_t l = strlen(p->argv[i]) + 1;

		memcpy(buf + len, p->argv[i], l);
		len += l;
	}
	snprintf(path, sizeof(path), "%s/cmdline", dir);
	put_file(path, buf, len);
	if (p->exe) {
		snprintf(path, sizeof(path), "%s/exe", dir);
		ck_assert_int_eq(symlink(p->exe, path), 0);
	}
	if (p->cwd) {
		snprintf(path, sizeof(path), "%s/cwd", dir);
		ck_assert_int_eq(symlink(p->cwd, path), 0);
	}
}

/* Give a fake process an open descriptor fd naming target. */
static void fake_fd(pid_t pid, int fd, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%d/fd", root, (int)pid);
	if (mkdir(path, 0755) != 0)
		ck_assert_int_eq(errno, EEXIST);
	snprintf(path, sizeof(path), "%s/%d/fd/%d", root, (int)pid, fd);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void fake_gone(pid_t pid)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%d", root, (int)pid);
	ck_assert_int_eq(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* ---------------------------------------------------------------- images */

/* An exec image: pid, ppid, time (seconds after BTIME, msec), serial,
 * executable, then args up to NULL. */
static struct image *mk(pid_t pid, pid_t ppid, int64_t t, uint32_t msec,
			uint64_t serial, const char *exe, ...)
{
	struct image *img = image_new();
	char **args = calloc(9, sizeof(char *));
	const char *a;
	size_t n = 0;
	va_list ap;

	ck_assert_ptr_nonnull(img);
	ck_assert_ptr_nonnull(args);
	img->pid = pid;
	img->ppid = ppid;
	img->sec = BTIME + t;
	img->msec = msec;
	img->serial = serial;
	img->success = true;
	img->source = IMAGE_SRC_STREAM;
	ck_assert_int_eq(image_set_executable(img, exe, "/"), 0);
	va_start(ap, exe);
	while ((a = va_arg(ap, const char *)) != NULL && n < 8)
		args[n++] = strdup(a);
	va_end(ap);
	ck_assert_int_eq(image_set_args(img, args, n), 0);
	return img;
}

/* Record an exec and drop the caller's image. */
static void rec(struct proctable *pt, struct image *img)
{
	ck_assert_int_eq(proctable_exec(pt, img), 0);
	image_free(img);
}

/* The parent of a child (pid, ppid) exec'd at t/msec with serial. */
static const struct image *parent_at(struct proctable *pt, pid_t pid,
				     pid_t ppid, int64_t t, uint32_t msec,
				     uint64_t serial)
{
	struct image *c = mk(pid, ppid, t, msec, serial, "/usr/bin/dracut",
			     "dracut", NULL);
	const struct image *p = proctable_parent(pt, c);

	image_free(c);
	return p;
}

/* ================================================================ procfs */

START_TEST(procfs_plain)
{
	struct fp p = {.pid = 321,
		       .ppid = 300,
		       .start = 12345,
		       .comm = "bash",
		       .exe = "/usr/bin/bash",
		       .cwd = "/home/u",
		       .uid = 1000,
		       .euid = 0,
		       .argv = {"/usr/bin/bash", "-c", "echo hi", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 321);
	ck_assert_ptr_nonnull(img);
	ck_assert_int_eq(img->pid, 321);
	ck_assert_int_eq(img->ppid, 300);
	ck_assert_uint_eq(img->start_ticks, 12345);
	ck_assert_str_eq(img->executable, "/usr/bin/bash");
	ck_assert_str_eq(img->name, "bash");
	ck_assert_ptr_null(img->interpreter);
	ck_assert_str_eq(img->exe, "/usr/bin/bash");
	ck_assert_str_eq(img->comm, "bash");
	ck_assert_str_eq(img->cwd, "/home/u");
	ck_assert_uint_eq(img->argc, 3);
	ck_assert_str_eq(img->args[2], "echo hi");
	ck_assert_ptr_null(img->args[3]);
	ck_assert_str_eq(img->command_line, "/usr/bin/bash -c echo hi");
	ck_assert_uint_eq(img->uid, 1000);
	ck_assert_uint_eq(img->euid, 0);
	ck_assert_int_eq(img->source, IMAGE_SRC_PROC);
	ck_assert_uint_eq(img->serial, 0);
	/* started 12345 ticks after boot */
	ck_assert_int_eq(img->sec, BTIME + 12345 / hz);
	ck_assert_uint_eq(img->msec, (12345 % hz) * 1000 / hz);
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* A #! script run by path: comm is the script's name cut to 15 bytes,
 * argv the interpreter then the script as given to execve. */
START_TEST(procfs_script)
{
	struct fp p = {.pid = 50,
		       .ppid = 1,
		       .start = 700,
		       .comm = "50-dracut.insta",
		       .exe = "/usr/bin/dash",
		       .cwd = "/usr/lib/kernel/install.d",
		       .argv = {"/bin/sh", "./50-dracut.install", "add",
				"6.1.0", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 50);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable,
			 "/usr/lib/kernel/install.d/50-dracut.install");
	ck_assert_str_eq(img->name, "50-dracut.install");
	ck_assert_str_eq(img->interpreter, "/usr/bin/dash");
	ck_assert_str_eq(img->command_line,
			 "/bin/sh ./50-dracut.install add 6.1.0");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* "#!/usr/bin/python3 -E": the script is argv[2]. */
START_TEST(procfs_script_interp_arg)
{
	struct fp p = {.pid = 51,
		       .ppid = 1,
		       .start = 700,
		       .comm = "tool.py",
		       .exe = "/usr/bin/python3.11",
		       .cwd = "/",
		       .argv = {"/usr/bin/python3", "-E", "/opt/x/tool.py",
				"--all", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 51);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/opt/x/tool.py");
	ck_assert_str_eq(img->name, "tool.py");
	ck_assert_str_eq(img->interpreter, "/usr/bin/python3.11");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* "/bin/sh /var/tmp/rpm-tmp.ABC 1" typed out: comm stays "sh", so the
 * interpreter is what was executed, as the audit stream would say. */
START_TEST(procfs_explicit_interpreter)
{
	struct fp p = {.pid = 52,
		       .ppid = 1,
		       .start = 700,
		       .comm = "sh",
		       .exe = "/usr/bin/dash",
		       .cwd = "/",
		       .argv = {"/bin/sh", "/var/tmp/rpm-tmp.ABC", "1", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 52);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/usr/bin/dash");
	ck_assert_str_eq(img->name, "dash");
	ck_assert_ptr_null(img->interpreter);
	ck_assert_str_eq(img->args[1], "/var/tmp/rpm-tmp.ABC");
	ck_assert_str_eq(img->command_line, "/bin/sh /var/tmp/rpm-tmp.ABC 1");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* "sh -c 'dracut -f' sh": an argument named like comm is no script when
 * argv[0] already is the interpreter named comm. */
START_TEST(procfs_explicit_dollar0)
{
	struct fp p = {.pid = 54,
		       .ppid = 1,
		       .start = 700,
		       .comm = "sh",
		       .exe = "/usr/bin/dash",
		       .cwd = "/root",
		       .argv = {"sh", "-c", "dracut -f", "sh", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 54);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/usr/bin/dash");
	ck_assert_ptr_null(img->interpreter);
	ck_assert_str_eq(img->command_line, "sh -c dracut -f sh");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* A script whose name is shorter than its interpreter's: "s" must not be
 * taken for a prefix of "sh". */
START_TEST(procfs_script_short_name)
{
	struct fp p = {.pid = 53,
		       .ppid = 1,
		       .start = 700,
		       .comm = "s",
		       .exe = "/usr/bin/dash",
		       .cwd = "/srv",
		       .argv = {"/bin/sh", "s", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 53);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/srv/s");
	ck_assert_str_eq(img->interpreter, "/usr/bin/dash");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* A script run by a relative path whose process has changed directory:
 * the descriptor that holds the script names it; lacking one, the cwd. */
START_TEST(procfs_script_fd)
{
	struct fp p = {.pid = 55,
		       .ppid = 1,
		       .start = 700,
		       .comm = "build.sh",
		       .exe = "/usr/bin/bash",
		       .cwd = "/boot",
		       .argv = {"/bin/bash", "./build.sh", "all", NULL}};
	struct fp q = {.pid = 56,
		       .ppid = 1,
		       .start = 700,
		       .comm = "x.sh",
		       .exe = "/usr/bin/dash",
		       .cwd = "/",
		       .argv = {"/bin/sh", "../tools/x.sh", NULL}};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	fake_proc(&q);
	pfs = procfs_create(root);
	/* no fd directory: the cwd it has now */
	img = procfs_read(pfs, 55);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/boot/build.sh");
	image_free(img);

	fake_fd(55, 0, "/dev/pts/0");
	fake_fd(55, 3, "/home/u/notbuild.sh");
	fake_fd(55, 255, "/home/u/build.sh");
	fake_fd(55, 7, "/srv/build.sh");
	img = procfs_read(pfs, 55);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/home/u/build.sh");
	ck_assert_str_eq(img->interpreter, "/usr/bin/bash");
	image_free(img);

	/* "../tools/x.sh": fd 10 ends with tools/x.sh; fd 11 is another x.sh */
	fake_fd(56, 10, "/opt/tools/x.sh");
	fake_fd(56, 11, "/opt/other/x.sh (deleted)");
	img = procfs_read(pfs, 56);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, "/opt/tools/x.sh");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* Odd comm in stat, a deleted exe, a title without NUL, a kernel thread. */
START_TEST(procfs_odd)
{
	struct fp p1 = {.pid = 60,
			.ppid = 1,
			.start = 4242,
			.comm = "a) (b",
			.exe = "/usr/bin/ab (deleted)",
			.cwd = "/tmp (deleted)",
			.argv = {"ab", NULL}};
	struct fp p2 = {.pid = 2,
			.ppid = 0,
			.start = 1,
			.comm = "kthreadd",
			.argv = {NULL}};
	char path[PATH_MAX + 16];
	struct procfs *pfs;
	struct image *img;
	uint64_t t;

	fake_proc(&p1);
	fake_proc(&p2);
	pfs = procfs_create(root);
	img = procfs_read(pfs, 60);
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->start_ticks, 4242);
	ck_assert_int_eq(img->ppid, 1);
	ck_assert_str_eq(img->comm, "a) (b");
	ck_assert_str_eq(img->executable, "/usr/bin/ab");
	ck_assert_str_eq(img->cwd, "/tmp");
	image_free(img);

	img = procfs_read(pfs, 2);
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->argc, 0);
	ck_assert_ptr_null(img->command_line);
	ck_assert_ptr_null(img->executable);
	ck_assert_ptr_null(img->exe);
	ck_assert_str_eq(img->comm, "kthreadd");
	image_free(img);

	/* sshd rewrote its title: no NUL at the end */
	snprintf(path, sizeof(path), "%s/60/cmdline", root);
	put_file(path, "sshd: u@pts/0", 13);
	img = procfs_read(pfs, 60);
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->argc, 1);
	ck_assert_str_eq(img->args[0], "sshd: u@pts/0");
	ck_assert_str_eq(img->executable, "/usr/bin/ab");
	image_free(img);

	/* a garbled stat: unreadable, not a crash */
	snprintf(path, sizeof(path), "%s/60/stat", root);
	put_file(path, "60 (ab S 1", 10);
	ck_assert_ptr_null(procfs_read(pfs, 60));
	ck_assert_int_eq(procfs_start_ticks(pfs, 60, &t), -1);
	procfs_free(pfs);
}
END_TEST

START_TEST(procfs_gone)
{
	struct procfs *pfs = procfs_create(root);
	uint64_t t;

	ck_assert_ptr_null(procfs_read(pfs, 999));
	ck_assert_ptr_null(procfs_read(pfs, 0));
	ck_assert_ptr_null(procfs_read(pfs, -5));
	ck_assert_int_eq(procfs_start_ticks(pfs, 999, &t), -1);
	procfs_free(pfs);
	procfs_free(NULL);
}
END_TEST

/* A zombie (it exited and is not reaped yet, or exited while we read it)
 * has no cmdline, exe or cwd left: unreadable, not an empty image. Its
 * pid is still taken, so its start time is still known. */
START_TEST(procfs_zombie)
{
	struct fp z = {.pid = 62,
		       .ppid = 1,
		       .start = 4343,
		       .comm = "sh",
		       .argv = {NULL},
		       .state = 'Z'};
	struct procfs *pfs;
	uint64_t t;

	fake_proc(&z);
	pfs = procfs_create(root);
	ck_assert_ptr_null(procfs_read(pfs, 62));
	ck_assert_int_eq(procfs_start_ticks(pfs, 62, &t), 0);
	ck_assert_uint_eq(t, 4343);
	procfs_free(pfs);
}
END_TEST

START_TEST(procfs_time)
{
	struct procfs *pfs = procfs_create(root);
	uint64_t t;
	int64_t sec;
	uint32_t ms;

	/* 12.340 s after boot */
	ck_assert_int_eq(procfs_time_to_ticks(pfs, BTIME + 12, 340, &t), 0);
	ck_assert_uint_eq(t, (uint64_t)(12 * hz + 34 * hz / 100));
	/* before boot: clamped to 0 */
	ck_assert_int_eq(procfs_time_to_ticks(pfs, BTIME - 5, 0, &t), 0);
	ck_assert_uint_eq(t, 0);
	ck_assert_int_eq(procfs_ticks_to_time(pfs, (uint64_t)(3 * hz + hz / 2),
					      &sec, &ms),
			 0);
	ck_assert_int_eq(sec, BTIME + 3);
	ck_assert_uint_eq(ms, 500);
	/* the setter wins over ROOT/stat */
	procfs_set_boot_time(pfs, 2000, 500000000);
	ck_assert_int_eq(procfs_time_to_ticks(pfs, 2001, 0, &t), 0);
	ck_assert_uint_eq(t, (uint64_t)(hz / 2));
	procfs_free(pfs);
}
END_TEST

static int count_pid(pid_t pid, void *arg)
{
	int *sum = arg;

	*sum += (int)pid;
	return 0;
}

START_TEST(procfs_foreach_pids)
{
	struct fp a = {
		.pid = 7, .ppid = 1, .start = 1, .comm = "a", .argv = {NULL}};
	struct fp b = {
		.pid = 40, .ppid = 1, .start = 1, .comm = "b", .argv = {NULL}};
	char path[PATH_MAX + 16];
	struct procfs *pfs, *bad;
	int sum = 0;

	fake_proc(&a);
	fake_proc(&b);
	snprintf(path, sizeof(path), "%s/sys", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/self", root);
	ck_assert_int_eq(symlink("7", path), 0);
	snprintf(path, sizeof(path), "%s/12ab", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	pfs = procfs_create(root);
	ck_assert_int_eq(procfs_foreach(pfs, count_pid, &sum), 0);
	ck_assert_int_eq(sum, 47);
	procfs_free(pfs);
	bad = procfs_create("/nonexistent/proc");
	ck_assert_int_eq(procfs_foreach(bad, count_pid, &sum), -1);
	procfs_free(bad);
}
END_TEST

/* The real /proc: this very process. */
START_TEST(procfs_real_self)
{
	struct procfs *pfs = procfs_create(NULL);
	char exe[PATH_MAX];
	struct image *img;
	struct timespec now;
	uint64_t t, st;
	ssize_t n;
	int dfd;

	/* through a directory descriptor, as valgrind rewrites only the
	 * readlink of a /proc/.../exe path */
	dfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	n = readlinkat(dfd, "exe", exe, sizeof(exe) - 1);
	close(dfd);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	img = procfs_read(pfs, getpid());
	ck_assert_ptr_nonnull(img);
	ck_assert_int_eq(img->pid, getpid());
	ck_assert_int_eq(img->ppid, getppid());
	ck_assert_str_eq(img->executable, exe);
	ck_assert_uint_eq(img->uid, getuid());
	ck_assert_int_eq(procfs_start_ticks(pfs, getpid(), &st), 0);
	ck_assert_uint_eq(st, img->start_ticks);
	/* we started before now, and not more than a minute ago */
	clock_gettime(CLOCK_REALTIME, &now);
	ck_assert_int_eq(procfs_time_to_ticks(pfs, now.tv_sec,
					      (uint32_t)(now.tv_nsec / 1000000),
					      &t),
			 0);
	ck_assert_uint_le(st, t + 2);
	ck_assert_uint_gt(st + 60 * (uint64_t)hz, t);
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* Start prog with argv in dir (NULL: here), stdin a pipe whose write end
 * *wfd we keep. Wait
 * until the kernel names it comm. Returns the pid, or -1 (exec refused:
 * a noexec temporary directory). */
static pid_t spawn_wait(const char *dir, const char *prog, char *const argv[],
			const char *comm, int *wfd)
{
	char path[64], buf[64];
	int fds[2], tries;
	pid_t pid;
	FILE *f;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		if (dir && chdir(dir) != 0)
			_exit(126);
		execv(prog, argv);
		_exit(127);
	}
	close(fds[0]);
	*wfd = fds[1];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	for (tries = 0; tries < 1000; tries++) { /* 10 s on a busy host */
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			fclose(f);
			if (strcmp(buf, comm) == 0)
				return pid;
		} else if (f) {
			fclose(f);
		}
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	close(*wfd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void reap(pid_t pid, int wfd)
{
	close(wfd); /* the script's "read" sees EOF and it exits */
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

/* Real processes: a #! script and the same script given to sh. The
 * expected values come from the script's path and realpath(3). */
START_TEST(procfs_real_script)
{
	char script[PATH_MAX + 32], sh[PATH_MAX], dir[PATH_MAX];
	char *argv_s[] = {script, (char *)"arg1", NULL};
	char *argv_e[] = {(char *)"/bin/sh", script, (char *)"arg1", NULL};
	struct procfs *pfs = procfs_create(NULL);
	struct proctable *pt;
	struct image *img, *c;
	const struct image *p;
	struct timespec now;
	pid_t pid;
	int wfd;

	ck_assert_ptr_nonnull(realpath("/bin/sh", sh));
	ck_assert_ptr_nonnull(realpath(root, dir));
	snprintf(script, sizeof(script), "%s/real-parent.sh", dir);
	put_file(script, "#!/bin/sh\nread x\n", 17);
	ck_assert_int_eq(chmod(script, 0755), 0);

	pid = spawn_wait(NULL, script, argv_s, "real-parent.sh", &wfd);
	if (pid < 0) {
		fprintf(stderr,
			"procfs_real_script: cannot exec in %s, "
			"skipped\n",
			dir);
		procfs_free(pfs);
		return;
	}
	img = procfs_read(pfs, pid);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->executable, script);
	ck_assert_str_eq(img->name, "real-parent.sh");
	ck_assert_str_eq(img->interpreter, sh);
	ck_assert_uint_eq(img->argc, 3);
	ck_assert_str_eq(img->args[0], "/bin/sh");
	ck_assert_str_eq(img->args[1], script);
	ck_assert_int_eq(img->ppid, getpid());
	image_free(img);

	/* live mode with the real clocks: a child exec'd now finds it */
	pt = proctable_create(100, 0, pfs);
	clock_gettime(CLOCK_REALTIME, &now);
	c = image_new();
	c->pid = 4194304; /* above any default pid_max: not in /proc */
	c->ppid = pid;
	c->sec = now.tv_sec;
	c->msec = (uint32_t)(now.tv_nsec / 1000000);
	c->serial = 1;
	p = proctable_parent(pt, c);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_PROC);
	ck_assert_str_eq(p->executable, script);
	/* but not a child that exec'd a minute before it started */
	c->sec -= 60;
	c->ppid = pid;
	proctable_free(pt);
	pt = proctable_create(100, 0, pfs);
	ck_assert_ptr_null(proctable_parent(pt, c));
	proctable_free(pt);
	image_free(c);
	reap(pid, wfd);

	pid = spawn_wait(NULL, "/bin/sh", argv_e, "sh", &wfd);
	ck_assert_msg(pid > 0, "/bin/sh %s did not start", script);
	img = procfs_read(pfs, pid);
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(img->argc, 3);
	ck_assert_str_eq(img->executable, sh);
	ck_assert_ptr_null(img->interpreter);
	ck_assert_str_eq(img->args[1], script);
	image_free(img);
	reap(pid, wfd);
	procfs_free(pfs);
}
END_TEST

/* A script started as "./real-moved.sh" that then did "cd /": the shell
 * keeps the script open, and that descriptor names it, not the new cwd. */
START_TEST(procfs_real_script_moved)
{
	char script[PATH_MAX + 32], dir[PATH_MAX], path[64], cwd[16];
	char *argv_s[] = {(char *)"./real-moved.sh", NULL};
	struct procfs *pfs = procfs_create(NULL);
	struct image *img;
	ssize_t n = 0;
	pid_t pid;
	int wfd, tries;

	ck_assert_ptr_nonnull(realpath(root, dir));
	snprintf(script, sizeof(script), "%s/real-moved.sh", dir);
	put_file(script, "#!/bin/sh\ncd /\nread x\n", 22);
	ck_assert_int_eq(chmod(script, 0755), 0);
	pid = spawn_wait(dir, "./real-moved.sh", argv_s, "real-moved.sh", &wfd);
	if (pid < 0) {
		fprintf(stderr,
			"procfs_real_script_moved: cannot exec in %s, "
			"skipped\n",
			dir);
		procfs_free(pfs);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	for (tries = 0; tries < 1000; tries++) {
		n = readlink(path, cwd, sizeof(cwd) - 1);
		if (n == 1 && cwd[0] == '/')
			break;
		usleep(10000);
	}
	ck_assert_int_eq(n, 1);
	img = procfs_read(pfs, pid);
	ck_assert_ptr_nonnull(img);
	ck_assert_str_eq(img->cwd, "/");
	ck_assert_str_eq(img->args[1], "./real-moved.sh");
	ck_assert_str_eq(img->executable, script);
	image_free(img);
	reap(pid, wfd);
	procfs_free(pfs);
}
END_TEST

/* ============================================================= proctable */

/* Replay: the parent's exec from the stream, even after it exited. */
START_TEST(pt_stream_parent)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *p;
	struct proctable_stats st;

	rec(pt, mk(100, 1, 10, 0, 10, "/usr/bin/bash", "bash", "-i", NULL));
	p = parent_at(pt, 200, 100, 11, 0, 20);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->pid, 100);
	ck_assert_str_eq(p->executable, "/usr/bin/bash");
	ck_assert_str_eq(p->command_line, "bash -i");
	ck_assert_int_eq(p->source, IMAGE_SRC_STREAM);
	/* a child with no parent in the table */
	ck_assert_ptr_null(parent_at(pt, 201, 150, 11, 0, 21));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_uint_eq(st.execs, 1);
	ck_assert_uint_eq(st.parents_stream, 1);
	ck_assert_uint_eq(st.parents_unknown, 1);
	ck_assert_uint_gt(st.bytes, 0);
	proctable_free(pt);
	proctable_free(NULL);
}
END_TEST

/* pid 100 reused: each child gets the image current at its own exec, and
 * a child older than every image of its ppid gets none. */
START_TEST(pt_reuse_out_of_order)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *p;

	rec(pt, mk(100, 1, 10, 0, 10, "/bin/a", "a", NULL));
	rec(pt, mk(100, 1, 12, 0, 30, "/bin/b", "b", NULL));
	p = parent_at(pt, 200, 100, 11, 0, 20); /* processed late */
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->executable, "/bin/a");
	p = parent_at(pt, 201, 100, 13, 0, 40);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->executable, "/bin/b");
	ck_assert_ptr_null(parent_at(pt, 202, 100, 9, 0, 5));
	/* an image that arrives after a newer one goes in its place */
	rec(pt, mk(300, 1, 20, 0, 60, "/bin/new", "new", NULL));
	rec(pt, mk(300, 1, 19, 0, 50, "/bin/old", "old", NULL));
	ck_assert_str_eq(parent_at(pt, 301, 300, 19, 500, 55)->executable,
			 "/bin/old");
	ck_assert_str_eq(parent_at(pt, 301, 300, 21, 0, 70)->executable,
			 "/bin/new");
	proctable_free(pt);
}
END_TEST

/* Within seconds the serial orders events (time is taken at syscall entry);
 * far apart (a reboot restarts serials) time does. */
START_TEST(pt_serial_and_time)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *p;

	/* logged at 10.500 with serial 11; the child entered its execve at
	 * 10.400 but was logged later, with serial 12 */
	rec(pt, mk(100, 1, 10, 500, 11, "/bin/p", "p", NULL));
	p = parent_at(pt, 200, 100, 10, 400, 12);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->executable, "/bin/p");
	/* an hour later, after a reboot: serial 3 */
	p = parent_at(pt, 201, 100, 3610, 0, 3);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->executable, "/bin/p");
	proctable_free(pt);
}
END_TEST

/* The same event twice is recorded once. */
START_TEST(pt_duplicate)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	struct proctable_stats st;

	rec(pt, mk(100, 1, 10, 0, 10, "/bin/a", "a", NULL));
	rec(pt, mk(100, 1, 10, 0, 10, "/bin/a", "a", NULL));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_uint_eq(st.execs, 1);
	proctable_free(pt);
}
END_TEST

/* Replay: "( dracut )" in a script: the subshell 150 never exec'd, so it
 * runs the script's image; a stale exec of pid 150 is ignored. */
START_TEST(pt_fork_subshell)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *p, *anc[8];
	struct proctable_stats st;
	struct image *c;
	size_t n;

	rec(pt, mk(150, 1, 5, 0, 5, "/bin/old", "old", NULL));
	rec(pt, mk(100, 1, 10, 0, 10,
		   "/usr/lib/kernel/install.d/50-dracut.install", "/bin/sh",
		   "/usr/lib/kernel/install.d/50-dracut.install", "add", NULL));
	ck_assert_int_eq(proctable_fork(pt, 100, 150, BTIME + 10, 5, 11), 0);
	c = mk(200, 150, 10, 10, 12, "/usr/bin/dracut", "dracut", NULL);
	p = proctable_parent(pt, c);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->pid, 150);
	ck_assert_int_eq(p->ppid, 100);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_str_eq(p->executable,
			 "/usr/lib/kernel/install.d/50-dracut.install");
	ck_assert_str_eq(p->command_line,
			 "/bin/sh "
			 "/usr/lib/kernel/install.d/50-dracut.install add");
	n = proctable_ancestry(pt, c, anc, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(anc[0]->pid, 150);
	ck_assert_int_eq(anc[1]->pid, 100);
	ck_assert_int_eq(anc[1]->source, IMAGE_SRC_STREAM);
	/* the child of the old 150, processed late, still finds it */
	ck_assert_str_eq(parent_at(pt, 201, 150, 6, 0, 6)->executable,
			 "/bin/old");
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.forks, 1);
	ck_assert_uint_eq(st.reused, 1);
	/* a fork from an unknown process resolves to nothing */
	ck_assert_int_eq(proctable_fork(pt, 400, 401, BTIME + 10, 5, 13), 0);
	ck_assert_ptr_null(parent_at(pt, 402, 401, 10, 10, 14));
	/* nonsense forks are ignored */
	ck_assert_int_eq(proctable_fork(pt, 400, 400, BTIME + 10, 5, 15), 0);
	ck_assert_int_eq(proctable_fork(pt, 400, 0, BTIME + 10, 5, 16), 0);
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 4);
	image_free(c);
	proctable_free(pt);
}
END_TEST

/* vfork or posix_spawn: the forker's record is logged when it resumes,
 * after the child's exec, with a later serial but an earlier time. The
 * child's own exec is still its current image. */
START_TEST(pt_vfork_order)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *p;

	rec(pt, mk(100, 1, 10, 0, 10, "/usr/bin/python3", "python3", NULL));
	rec(pt, mk(150, 100, 10, 3, 20, "/usr/bin/bash", "bash", NULL));
	ck_assert_int_eq(proctable_fork(pt, 100, 150, BTIME + 10, 2, 21), 0);
	p = parent_at(pt, 200, 150, 10, 9, 25);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_STREAM);
	ck_assert_str_eq(p->executable, "/usr/bin/bash");
	/* the same millisecond: the fork still comes first */
	rec(pt, mk(160, 100, 11, 0, 30, "/usr/bin/bash", "bash", NULL));
	ck_assert_int_eq(proctable_fork(pt, 100, 160, BTIME + 11, 0, 31), 0);
	p = parent_at(pt, 201, 160, 11, 0, 32);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_STREAM);
	/* a fork after an older exec of the pid: a new process */
	ck_assert_int_eq(proctable_fork(pt, 100, 160, BTIME + 12, 0, 40), 0);
	p = parent_at(pt, 202, 160, 12, 5, 41);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_str_eq(p->executable, "/usr/bin/python3");
	/* an exec by a child of 100 whose fork we never saw, then a fork of
	 * that pid by 100 five seconds later: a new process, not a late
	 * record */
	rec(pt, mk(170, 100, 20, 0, 50, "/usr/bin/bash", "bash", NULL));
	ck_assert_int_eq(proctable_fork(pt, 100, 170, BTIME + 25, 0, 60), 0);
	p = parent_at(pt, 203, 170, 25, 5, 61);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_str_eq(p->executable, "/usr/bin/python3");
	proctable_free(pt);
}
END_TEST

/* Recorded shapes (tests/fixtures reuse-fork and subshell-fork): a clock
 * tick of 4 ms holds many events, so only serials order them. */
START_TEST(pt_same_tick)
{
	const char *rf = "/work/tests/reuse-fork.sh";
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *p, *anc[8];
	struct proctable_stats st;
	struct image *c;

	/* 9830 runs sh, then true, exits; the script's next subshell gets
	 * 9830 again and runs dracut */
	rec(pt, mk(9828, 9607, 0, 10, 34200, rf, "/bin/bash", rf, NULL));
	ck_assert_int_eq(proctable_fork(pt, 9828, 9830, BTIME, 18, 34247), 0);
	rec(pt, mk(9830, 9828, 0, 18, 34248, "/usr/bin/sh", "sh", NULL));
	rec(pt, mk(9830, 9828, 0, 18, 34249, "/usr/bin/true", "true", NULL));
	ck_assert_int_eq(proctable_fork(pt, 9828, 9830, BTIME, 18, 34250), 0);
	ck_assert_int_eq(proctable_fork(pt, 9830, 9831, BTIME, 18, 34251), 0);
	p = parent_at(pt, 9831, 9830, 0, 18, 34252);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_str_eq(p->executable, rf);
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.reused, 1);
	proctable_free(pt);

	/* sub.sh (19978) forks a subshell (19980) that forks dracut */
	pt = proctable_create(100, 0, NULL);
	rec(pt, mk(19972, 19887, 0, 34, 36777, "/w/subshell.sh", "/bin/bash",
		   "/w/subshell.sh", NULL));
	ck_assert_int_eq(proctable_fork(pt, 19972, 19978, BTIME, 46, 36784), 0);
	rec(pt, mk(19978, 19972, 0, 50, 36785, "/tmp/adfx/sub.sh", "/bin/bash",
		   "/tmp/adfx/sub.sh", NULL));
	ck_assert_int_eq(proctable_fork(pt, 19978, 19980, BTIME, 50, 36786), 0);
	ck_assert_int_eq(proctable_fork(pt, 19980, 19981, BTIME, 50, 36787), 0);
	c = mk(19981, 19980, 0, 50, 36788, "/usr/bin/dracut", "dracut", NULL);
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 8), 3);
	ck_assert_int_eq(anc[0]->pid, 19980);
	ck_assert_int_eq(anc[0]->source, IMAGE_SRC_FORK);
	ck_assert_str_eq(anc[0]->executable, "/tmp/adfx/sub.sh");
	ck_assert_int_eq(anc[1]->pid, 19978);
	ck_assert_int_eq(anc[1]->source, IMAGE_SRC_STREAM);
	ck_assert_str_eq(anc[2]->executable, "/w/subshell.sh");
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.reused, 0);
	image_free(c);
	proctable_free(pt);
}
END_TEST

/* pid == ppid, ppid 0, ppid 1 and ancestry ending at init. */
START_TEST(pt_degenerate)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *anc[4];
	struct image *c;

	rec(pt, mk(300, 300, 10, 0, 10, "/bin/self", "self", NULL));
	c = mk(300, 300, 11, 0, 11, "/usr/bin/dracut", "dracut", NULL);
	ck_assert_ptr_null(proctable_parent(pt, c));
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 4), 0);
	image_free(c);
	ck_assert_ptr_null(parent_at(pt, 301, 0, 11, 0, 12));

	rec(pt, mk(1, 0, 1, 0, 1, "/sbin/init", "/sbin/init", NULL));
	rec(pt, mk(500, 1, 10, 0, 13, "/usr/bin/bash", "bash", NULL));
	c = mk(501, 500, 11, 0, 14, "/usr/bin/dracut", "dracut", NULL);
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 4), 2);
	ck_assert_int_eq(anc[0]->pid, 500);
	ck_assert_int_eq(anc[1]->pid, 1);
	ck_assert_str_eq(anc[1]->executable, "/sbin/init");
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 1), 1);
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 0), 0);
	image_free(c);
	proctable_free(pt);
}
END_TEST

/*
 * A parent cycle. Serials order one boot whatever the clock says, so
 * A(serial 100) > B(50) > C(10) > A0(5), A0 being an earlier process on
 * A's pid: A's parent is B, B's is C, C's is A's pid again. The walk must
 * stop. And a parent whose own ppid is the child's pid (a reused pid).
 */
START_TEST(pt_cycle)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	const struct image *anc[8];
	struct image *c;

	rec(pt, mk(1000, 1001, 100, 0, 100, "/bin/A", "A", NULL));
	rec(pt, mk(1001, 1002, 100, 0, 50, "/bin/B", "B", NULL));
	rec(pt, mk(1002, 1000, 100, 0, 10, "/bin/C", "C", NULL));
	rec(pt, mk(1000, 1002, 100, 0, 5, "/bin/A0", "A0", NULL));
	c = mk(2000, 1000, 100, 0, 200, "/usr/bin/dracut", "dracut", NULL);
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 8), 3);
	ck_assert_str_eq(anc[0]->executable, "/bin/A");
	ck_assert_str_eq(anc[1]->executable, "/bin/B");
	ck_assert_str_eq(anc[2]->executable, "/bin/C");
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 2), 2);
	image_free(c);

	rec(pt, mk(3000, 4000, 200, 0, 300, "/bin/P", "P", NULL));
	c = mk(4000, 3000, 201, 0, 301, "/usr/bin/dracut", "dracut", NULL);
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 8), 1);
	ck_assert_str_eq(anc[0]->executable, "/bin/P");
	image_free(c);
	proctable_free(pt);
}
END_TEST

/* Replay eviction: superseded first, then least recently known alive. */
START_TEST(pt_evict_replay)
{
	struct proctable *pt = proctable_create(4, 0, NULL);
	struct proctable_stats st;

	rec(pt, mk(40, 1, 10, 0, 1, "/bin/40", "x", NULL));
	rec(pt, mk(41, 1, 10, 0, 2, "/bin/41", "x", NULL));
	rec(pt, mk(42, 1, 10, 0, 3, "/bin/42", "x", NULL));
	rec(pt, mk(43, 40, 10, 0, 4, "/bin/43", "x", NULL)); /* 40 is alive */
	rec(pt, mk(44, 1, 10, 0, 5, "/bin/44", "x", NULL));  /* evicts 41 */
	rec(pt, mk(45, 1, 10, 0, 6, "/bin/45", "x", NULL));  /* evicts 42 */
	ck_assert_ptr_nonnull(parent_at(pt, 99, 40, 11, 0, 100));
	ck_assert_ptr_null(parent_at(pt, 99, 41, 11, 0, 100));
	ck_assert_ptr_null(parent_at(pt, 99, 42, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 43, 11, 0, 100));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 4);
	ck_assert_uint_eq(st.evicted, 2);
	proctable_free(pt);

	/* 50 exec'd again: its first image is superseded and goes first,
	 * and a child of that first image then finds nothing, not the
	 * later one */
	pt = proctable_create(3, 0, NULL);
	rec(pt, mk(51, 1, 10, 0, 1, "/bin/51", "x", NULL));
	rec(pt, mk(50, 1, 10, 0, 2, "/bin/50a", "x", NULL));
	rec(pt, mk(50, 1, 10, 0, 3, "/bin/50b", "x", NULL));
	rec(pt, mk(52, 1, 10, 0, 4, "/bin/52", "x", NULL));
	ck_assert_ptr_null(parent_at(pt, 99, 50, 10, 0, 3));
	ck_assert_str_eq(parent_at(pt, 99, 50, 11, 0, 100)->executable,
			 "/bin/50b");
	ck_assert_ptr_nonnull(parent_at(pt, 99, 51, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 52, 11, 0, 100));

	/* shrinking evicts at once, down to the cap: the oldest go (51,
	 * then 50b) and 52 stays; one more exec then replaces it */
	proctable_set_limits(pt, 1, 0);
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_ptr_nonnull(parent_at(pt, 99, 52, 11, 0, 100));
	rec(pt, mk(53, 1, 10, 0, 5, "/bin/53", "x", NULL));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_ptr_null(parent_at(pt, 99, 52, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 53, 11, 0, 100));
	proctable_free(pt);
}
END_TEST

/* A pid keeps at most 8 images; the byte cap marks truncated copies. */
START_TEST(pt_chain_and_bytes)
{
	struct proctable *pt = proctable_create(100, 0, NULL);
	struct proctable_stats st;
	const struct image *p;
	char big[600];
	uint64_t i;

	for (i = 1; i <= 10; i++)
		rec(pt, mk(70, 1, 10, 0, i, "/bin/x", "x", NULL));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 8);
	ck_assert_uint_eq(st.evicted, 2);
	/* serials 1 and 2 are gone; 3 is the oldest left */
	ck_assert_ptr_null(parent_at(pt, 99, 70, 10, 0, 3));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 70, 10, 0, 4));
	proctable_free(pt);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pt = proctable_create(100, 512, NULL);
	rec(pt, mk(80, 1, 10, 0, 1, "/bin/x", "x", big, "tail", NULL));
	p = parent_at(pt, 99, 80, 11, 0, 2);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->flags & IMAGE_COPY_TRUNCATED);
	/* the table kept at most 512 bytes of strings; the copy handed out
	 * adds the command line rebuilt from the kept arguments */
	ck_assert_uint_le(image_size(p), 2 * 512 + sizeof(struct image) + 64);
	ck_assert_ptr_nonnull(p->command_line);
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.truncated, 1);
	proctable_free(pt);
}
END_TEST

/* The byte budget: 4 entries may take 4 * 1024 bytes. Each image here
 * holds a 1400-byte argument (once: the table keeps no command line), so
 * more than 1400 bytes: two fit, a third does not, and the oldest goes. */
START_TEST(pt_byte_budget)
{
	struct proctable *pt = proctable_create(4, 0, NULL);
	struct proctable_stats st;
	char arg[1401];

	ck_assert_int_eq(PROCTABLE_ENTRY_BYTES, 1024);
	memset(arg, 'a', 1400);
	arg[1400] = '\0';
	rec(pt, mk(90, 1, 10, 0, 1, "/bin/x", arg, NULL));
	rec(pt, mk(91, 1, 10, 0, 2, "/bin/x", arg, NULL));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 2);
	ck_assert_uint_eq(st.evicted, 0);
	rec(pt, mk(92, 1, 10, 0, 3, "/bin/x", arg, NULL));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 2);
	ck_assert_uint_eq(st.evicted, 1);
	ck_assert_ptr_null(parent_at(pt, 99, 90, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 91, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 92, 11, 0, 100));
	proctable_free(pt);
}
END_TEST

/*
 * Random execs, forks, lookups, sweeps and cap changes over 64 pids (so
 * reuse, pid == ppid and cycles are everywhere), with a fixed seed, in
 * replay and then live over a fake /proc whose processes come and go. What
 * must hold whatever happens: the caps, a parent whose pid is the child's
 * ppid and (from the stream) an earlier serial, and ancestry that ends.
 */
static void random_run(struct procfs *pfs, unsigned seed, unsigned ops)
{
	struct proctable *pt = proctable_create(50, 300, pfs);
	const struct image *p, *anc[16];
	struct proctable_stats st;
	uint64_t serial = 1;
	size_t cap = 50, n, k;
	struct image *c;
	bool alive[64] = {false};
	unsigned i;

	for (i = 0; i < ops; i++) {
		pid_t pid = (pid_t)(rand_r(&seed) % 64);
		pid_t ppid = (pid_t)(rand_r(&seed) % 64);
		int op = rand_r(&seed) % 100;
		int64_t t = (int64_t)(serial / 50);

		serial++;
		if (op < 45) {
			rec(pt, mk(pid, ppid, t, (uint32_t)(serial % 1000),
				   serial, "/bin/x", "x", "y", NULL));
		} else if (op < 65) {
			ck_assert_int_eq(
				proctable_fork(pt, ppid, pid, BTIME + t,
					       (uint32_t)(serial % 1000),
					       serial),
				0);
		} else if (op < 92) {
			c = mk(pid, ppid, t, (uint32_t)(serial % 1000), serial,
			       "/usr/bin/dracut", "dracut", NULL);
			p = proctable_parent(pt, c);
			if (p) {
				ck_assert_int_eq(p->pid, ppid);
				ck_assert(p->source == IMAGE_SRC_FORK ||
					  p->serial < serial);
			}
			n = proctable_ancestry(pt, c, anc, 16);
			ck_assert_uint_le(n, 16);
			for (k = 1; k < n; k++)
				ck_assert_int_eq(anc[k]->pid, anc[k - 1]->ppid);
			image_free(c);
		} else if (op < 95 && pfs && pid > 0) {
			/* a process appears on pid, or goes */
			if (alive[pid]) {
				fake_gone(pid);
			} else {
				struct fp f = {
					.pid = pid,
					.ppid = ppid,
					.start =
						ticks(t, 0) +
						(uint64_t)(rand_r(&seed) % 300),
					.comm = "x.sh",
					.exe = "/bin/sh",
					.cwd = "/",
					.argv = {"sh", "x.sh", NULL}};

				fake_proc(&f);
			}
			alive[pid] = !alive[pid];
		} else if (op < 99) {
			proctable_sweep(pt);
			proctable_stats(pt, &st);
			ck_assert_uint_le(st.entries, cap);
		} else {
			cap = 1 + (size_t)(rand_r(&seed) % 80);
			proctable_set_limits(pt, cap, 300);
		}
		proctable_stats(pt, &st);
		if (!pfs)
			ck_assert_uint_le(st.entries, cap);
	}
	/* every path was taken */
	ck_assert_uint_gt(st.parents_stream, 0);
	ck_assert_uint_gt(st.parents_unknown, 0);
	ck_assert_uint_gt(st.evicted, 0);
	ck_assert_uint_gt(st.reused, 0);
	if (pfs)
		ck_assert_uint_gt(st.parents_proc, 0);
	proctable_free(pt);
}

START_TEST(pt_random)
{
	struct procfs *pfs = procfs_create(root);

	random_run(NULL, 12345, 20000);
	random_run(pfs, 777, 5000);
	procfs_free(pfs);
}
END_TEST

/* ----------------------------------------------------- live mode (fake /proc)
 */

static const struct fp init_p = {.pid = 1,
				 .ppid = 0,
				 .start = 1,
				 .comm = "systemd",
				 .exe = "/usr/lib/systemd/systemd",
				 .cwd = "/",
				 .argv = {"/sbin/init", NULL}};

/* Processes that started before the plugin are seeded, and stay known
 * after they exit. */
START_TEST(pt_seed)
{
	struct fp sh = {.pid = 500,
			.ppid = 1,
			.start = 5000,
			.comm = "bash",
			.exe = "/usr/bin/bash",
			.cwd = "/root",
			.argv = {"-bash", NULL}};
	struct procfs *pfs;
	struct proctable *pt;
	struct proctable_stats st;
	const struct image *p, *anc[4];
	struct image *c;

	fake_proc(&init_p);
	fake_proc(&sh);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	ck_assert_int_eq(proctable_seed(pt), 0);
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 2);
	fake_gone(500);
	/* dracut at 1100 s after boot, child of that bash */
	c = mk(600, 500, 1100, 0, 20, "/usr/bin/dracut", "dracut", NULL);
	p = proctable_parent(pt, c);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_PROC);
	ck_assert_str_eq(p->executable, "/usr/bin/bash");
	ck_assert_str_eq(p->command_line, "-bash");
	ck_assert_uint_eq(p->start_ticks, 5000);
	ck_assert_uint_eq(proctable_ancestry(pt, c, anc, 4), 2);
	ck_assert_str_eq(anc[1]->executable, "/usr/lib/systemd/systemd");
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.parents_proc, 1);
	image_free(c);
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* A script parent known only to /proc; then a pid taken by a process
 * that started after the child is refused. */
START_TEST(pt_proc_script_and_late)
{
	struct fp s = {.pid = 700,
		       .ppid = 1,
		       .start = ticks(1000, 0),
		       .comm = "50-dracut.insta",
		       .exe = "/usr/bin/dash",
		       .cwd = "/",
		       .argv = {"/bin/sh",
				"/usr/lib/kernel/install.d/50-dracut.install",
				"add", NULL}};
	struct fp late = {.pid = 800,
			  .ppid = 1,
			  .start = ticks(1010, 0),
			  .comm = "sleep",
			  .exe = "/usr/bin/sleep",
			  .cwd = "/",
			  .argv = {"sleep", "9", NULL}};
	struct procfs *pfs;
	struct proctable *pt;
	struct proctable_stats st;
	const struct image *p;

	fake_proc(&s);
	fake_proc(&late);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	p = parent_at(pt, 701, 700, 1005, 0, 20);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_PROC);
	ck_assert_int_eq(p->pid, 700);
	ck_assert_str_eq(p->executable,
			 "/usr/lib/kernel/install.d/50-dracut.install");
	ck_assert_str_eq(p->interpreter, "/usr/bin/dash");
	ck_assert_str_eq(p->name, "50-dracut.install");
	/* a second lookup uses the table's copy, not a new read */
	fake_gone(700);
	p = parent_at(pt, 701, 700, 1005, 0, 20);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_PROC);
	ck_assert_str_eq(p->executable,
			 "/usr/lib/kernel/install.d/50-dracut.install");

	/* 800 started at 1010 s, the child exec'd at 1005 s */
	ck_assert_ptr_null(parent_at(pt, 801, 800, 1005, 0, 21));
	/* with an older exec of 800 in the stream, that one is the parent */
	rec(pt, mk(800, 1, 900, 0, 5, "/usr/bin/make", "make", NULL));
	p = parent_at(pt, 801, 800, 1005, 0, 21);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_STREAM);
	ck_assert_str_eq(p->executable, "/usr/bin/make");
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.parents_proc, 2);
	ck_assert_uint_eq(st.parents_unknown, 1);
	ck_assert_uint_eq(st.parents_stream, 1);
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* The stream image of 900 is older than the process now at 900, which
 * started before the child: a reused pid (a forked subshell that never
 * exec'd). /proc wins. An image of the live process itself is kept. */
START_TEST(pt_proc_stale_stream)
{
	struct fp sub = {.pid = 900,
			 .ppid = 1,
			 .start = ticks(950, 0),
			 .comm = "build.sh",
			 .exe = "/usr/bin/bash",
			 .cwd = "/home/u",
			 .argv = {"bash", "./build.sh", NULL}};
	struct fp mk_p = {.pid = 1000,
			  .ppid = 1,
			  .start = ticks(950, 10),
			  .comm = "make",
			  .exe = "/usr/bin/make",
			  .cwd = "/",
			  .argv = {"make", NULL}};
	struct procfs *pfs;
	struct proctable *pt;
	struct proctable_stats st;
	const struct image *p;

	fake_proc(&sub);
	fake_proc(&mk_p);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	rec(pt, mk(900, 1, 900, 0, 5, "/usr/bin/make", "make", NULL));
	p = parent_at(pt, 901, 900, 960, 0, 20);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_PROC);
	ck_assert_str_eq(p->executable, "/home/u/build.sh");
	ck_assert_str_eq(p->interpreter, "/usr/bin/bash");
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.reused, 1);

	/* 1000 started at 950.010 and its exec reads 950.000: clock
	 * rounding, within the slack: the stream image is its own */
	rec(pt, mk(1000, 1, 950, 0, 6, "/usr/bin/make", "make", "-j4", NULL));
	p = parent_at(pt, 1001, 1000, 960, 0, 21);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_STREAM);
	ck_assert_str_eq(p->command_line, "make -j4");
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/*
 * Make pid's cmdline a fifo whose writer, once procfs_read opens it (after
 * the first read of stat), takes the process away: its stat goes (it
 * exited), or, with restart non-zero, says it started at restart (it exited
 * and the pid went to a new process). Returns the writer's pid.
 */
static pid_t fake_vanish_mid_read(pid_t pid, uint64_t restart)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], buf[256];
	pid_t w;
	int fd, sfd, n;

	snprintf(path, sizeof(path), "%s/%d/cmdline", root, (int)pid);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	w = fork();
	ck_assert_int_ge(w, 0);
	if (w > 0)
		return w;
	fd = open(path, O_WRONLY); /* blocks until the reader opens it */
	snprintf(path, sizeof(path), "%s/%d/stat", root, (int)pid);
	if (restart) {
		n = snprintf(buf, sizeof(buf),
			     "%d (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
			     "%llu 1000 100\n",
			     (int)pid, (unsigned long long)restart);
		snprintf(tmp, sizeof(tmp), "%s.new", path);
		sfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (sfd < 0 || write(sfd, buf, (size_t)n) != n ||
		    close(sfd) != 0 || rename(tmp, path) != 0)
			_exit(1);
	} else if (unlink(path) != 0) {
		_exit(1);
	}
	if (fd < 0 || write(fd, "bash\0", 5) != 5)
		_exit(1);
	close(fd);
	_exit(0);
}

/* Reap the writer; fail (not hang) if no reader ever opened its fifo. */
static void reap_vanish(pid_t w)
{
	int status, tries;

	for (tries = 0; tries < 500; tries++) {
		if (waitpid(w, &status, WNOHANG) == w) {
			ck_assert(WIFEXITED(status) &&
				  WEXITSTATUS(status) == 0);
			return;
		}
		usleep(10000);
	}
	kill(w, SIGKILL);
	waitpid(w, NULL, 0);
	ck_abort_msg("the fifo was never read");
}

/* A stale stream image of a reused pid stays refused when the process
 * /proc showed as the parent exits (or is replaced) while it is read. */
START_TEST(pt_proc_gone_mid_read)
{
	struct fp sub = {.pid = 900,
			 .ppid = 1,
			 .start = ticks(950, 0),
			 .comm = "build.sh",
			 .exe = "/usr/bin/bash",
			 .cwd = "/home/u",
			 .argv = {"bash", "./build.sh", NULL}};
	struct procfs *pfs;
	struct proctable *pt;
	struct proctable_stats st;
	pid_t w;

	fake_proc(&sub);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	/* an earlier process on pid 900 exec'd make at 900 s; the one that
	 * started at 950 s never exec'd and is the parent of 901 (960 s) */
	rec(pt, mk(900, 1, 900, 0, 5, "/usr/bin/make", "make", NULL));

	/* it exits while procfs_read reads it */
	w = fake_vanish_mid_read(900, 0);
	ck_assert_ptr_null(parent_at(pt, 901, 900, 960, 0, 20));
	reap_vanish(w);

	/* it exits and the pid goes to a process that started at 955 s */
	fake_gone(900);
	fake_proc(&sub);
	w = fake_vanish_mid_read(900, ticks(955, 0));
	ck_assert_ptr_null(parent_at(pt, 902, 900, 960, 0, 21));
	reap_vanish(w);

	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.parents_unknown, 2);
	ck_assert_uint_eq(st.parents_stream, 0);
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* The child's own /proc start bounds its parent's: a "parent" that
 * started after the child did is refused even though it started before
 * the child's exec. */
START_TEST(pt_proc_child_start)
{
	struct fp par = {.pid = 1100,
			 .ppid = 1,
			 .start = ticks(960, 10),
			 .comm = "x",
			 .exe = "/bin/x",
			 .cwd = "/",
			 .argv = {"x", NULL}};
	struct fp kid = {.pid = 1101,
			 .ppid = 1100,
			 .start = ticks(960, 0),
			 .comm = "dracut",
			 .exe = "/usr/bin/dracut",
			 .cwd = "/",
			 .argv = {"dracut", NULL}};
	struct procfs *pfs;
	struct proctable *pt;

	fake_proc(&par);
	fake_proc(&kid);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	ck_assert_ptr_null(parent_at(pt, 1101, 1100, 961, 0, 20));
	/* had the child been gone, its exec time alone would accept it */
	fake_gone(1101);
	ck_assert_ptr_nonnull(parent_at(pt, 1101, 1100, 961, 0, 20));
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* Live mode, forked subshell: /proc shows the forked image; once gone,
 * the fork edge gives the same. */
START_TEST(pt_proc_fork)
{
	struct fp sub = {.pid = 1201,
			 .ppid = 1200,
			 .start = ticks(970, 500),
			 .comm = "50-dracut.insta",
			 .exe = "/usr/bin/bash",
			 .cwd = "/",
			 .argv = {"/bin/bash",
				  "/usr/lib/kernel/install.d/50-dracut.install",
				  NULL}};
	const char *script = "/usr/lib/kernel/install.d/50-dracut.install";
	struct procfs *pfs;
	struct proctable *pt;
	const struct image *p;

	fake_proc(&sub);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	rec(pt, mk(1200, 1, 970, 0, 10, script, "/bin/bash", script, NULL));
	ck_assert_int_eq(proctable_fork(pt, 1200, 1201, BTIME + 970, 500, 11),
			 0);
	p = parent_at(pt, 1202, 1201, 971, 0, 12);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_PROC);
	ck_assert_str_eq(p->executable, script);
	/* gone now: the fork edge gives the same image */
	fake_gone(1201);
	p = parent_at(pt, 1203, 1201, 972, 0, 13);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_int_eq(p->pid, 1201);
	ck_assert_str_eq(p->executable, script);
	/* a subshell that /proc never showed: the fork edge */
	ck_assert_int_eq(proctable_fork(pt, 1200, 1204, BTIME + 973, 0, 14), 0);
	p = parent_at(pt, 1205, 1204, 973, 100, 15);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_int_eq(p->pid, 1204);
	ck_assert_int_eq(p->ppid, 1200);
	ck_assert_str_eq(p->executable, script);
	ck_assert_str_eq(
		p->command_line,
		"/bin/bash /usr/lib/kernel/install.d/50-dracut.install");
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* Live mode: a forked subshell that has exited but is not reaped yet (a
 * zombie: no cmdline, no exe) is still the parent; its fork edge gives its
 * image, not an empty one read from /proc. */
START_TEST(pt_proc_zombie_fork)
{
	struct fp sub = {.pid = 1301,
			 .ppid = 1300,
			 .start = ticks(980, 500),
			 .comm = "50-dracut.insta",
			 .argv = {NULL},
			 .state = 'Z'};
	const char *script = "/usr/lib/kernel/install.d/50-dracut.install";
	struct procfs *pfs;
	struct proctable *pt;
	const struct image *p;

	fake_proc(&sub);
	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	rec(pt, mk(1300, 1, 980, 0, 10, script, "/bin/bash", script, NULL));
	ck_assert_int_eq(proctable_fork(pt, 1300, 1301, BTIME + 980, 500, 11),
			 0);
	p = parent_at(pt, 1302, 1301, 981, 0, 12);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_int_eq(p->pid, 1301);
	ck_assert_ptr_nonnull(p->executable);
	ck_assert_str_eq(p->executable, script);
	ck_assert_str_eq(
		p->command_line,
		"/bin/bash /usr/lib/kernel/install.d/50-dracut.install");
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* A sweep that finds a process gone bounds its images: a child that
 * exec'd later cannot be its child (the pid went to a fork we never saw). */
START_TEST(pt_gone_before_child)
{
	int64_t now = (int64_t)time(NULL) - BTIME;
	struct procfs *pfs;
	struct proctable *pt;
	struct proctable_stats st;
	const struct image *p;

	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	rec(pt, mk(1400, 1, now - 100, 0, 10, "/bin/old", "old", NULL));
	proctable_sweep(pt); /* 1400 is not in /proc */
	ck_assert_ptr_null(parent_at(pt, 1401, 1400, now + 100, 0, 20));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.reused, 1);
	/* a child that exec'd before the sweep still finds it */
	p = parent_at(pt, 1402, 1400, now - 5, 0, 15);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->executable, "/bin/old");
	/* replay has no sweeps that look at /proc: nothing is gone */
	proctable_free(pt);
	pt = proctable_create(100, 0, NULL);
	rec(pt, mk(1400, 1, now - 100, 0, 10, "/bin/old", "old", NULL));
	proctable_sweep(pt);
	ck_assert_ptr_nonnull(parent_at(pt, 1401, 1400, now + 100, 0, 20));
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* Live eviction: after a sweep, dead entries that no live process descends
 * from go first, then entries newer than the sweep, then live ones. */
START_TEST(pt_evict_live)
{
	struct fp a11 = {.pid = 11,
			 .ppid = 1,
			 .start = ticks(10, 0),
			 .comm = "x",
			 .exe = "/bin/x",
			 .argv = {"x", NULL}};
	struct fp a13 = {.pid = 13,
			 .ppid = 1,
			 .start = ticks(10, 0),
			 .comm = "x",
			 .exe = "/bin/x",
			 .argv = {"x", NULL}};
	struct fp a21 = {.pid = 21,
			 .ppid = 1,
			 .start = ticks(10, 0),
			 .comm = "x",
			 .exe = "/bin/x",
			 .argv = {"x", NULL}};
	struct fp a12 = {.pid = 12,
			 .ppid = 1,
			 .start = ticks(30, 0),
			 .comm = "y",
			 .exe = "/bin/y",
			 .argv = {"y", NULL}};
	struct procfs *pfs;
	struct proctable *pt;
	struct proctable_stats st;

	fake_proc(&a11);
	fake_proc(&a12); /* 12 reused by a process started after its exec */
	fake_proc(&a13);
	fake_proc(&a21);
	pfs = procfs_create(root);
	pt = proctable_create(6, 0, pfs);
	rec(pt, mk(20, 1, 10, 0, 1, "/bin/20", "x", NULL));  /* dead, anc. */
	rec(pt, mk(10, 1, 20, 0, 2, "/bin/10", "x", NULL));  /* dead */
	rec(pt, mk(11, 1, 20, 0, 3, "/bin/11", "x", NULL));  /* live */
	rec(pt, mk(12, 1, 20, 0, 4, "/bin/12", "x", NULL));  /* stale */
	rec(pt, mk(13, 1, 20, 0, 5, "/bin/13", "x", NULL));  /* live */
	rec(pt, mk(21, 20, 20, 0, 6, "/bin/21", "x", NULL)); /* live */
	proctable_sweep(pt);
	fake_gone(11);
	fake_gone(12);
	fake_gone(13);
	fake_gone(21);
	rec(pt, mk(14, 1, 30, 0, 7, "/bin/14", "x", NULL));  /* evicts 10 */
	rec(pt, mk(15, 1, 30, 0, 8, "/bin/15", "x", NULL));  /* evicts 12 */
	rec(pt, mk(16, 1, 30, 0, 9, "/bin/16", "x", NULL));  /* evicts 14 */
	rec(pt, mk(17, 1, 30, 0, 10, "/bin/17", "x", NULL)); /* evicts 15 */
	ck_assert_ptr_null(parent_at(pt, 99, 10, 40, 0, 100));
	ck_assert_ptr_null(parent_at(pt, 99, 12, 40, 0, 100));
	ck_assert_ptr_null(parent_at(pt, 99, 14, 40, 0, 100));
	ck_assert_ptr_null(parent_at(pt, 99, 15, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 11, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 13, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 16, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 17, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 20, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 21, 40, 0, 100));
	proctable_stats(pt, &st);
	ck_assert_uint_eq(st.entries, 6);
	ck_assert_uint_eq(st.evicted, 4);
	/* the next sweep finds them all dead. The least recently known
	 * alive go first: those live at the first sweep, in their order
	 * then (11, 13, 21, 20: 20 moved last when 21 exec'd), before 16
	 * and 17, recorded since */
	proctable_sweep(pt);
	rec(pt, mk(18, 1, 30, 0, 11, "/bin/18", "x", NULL));
	rec(pt, mk(19, 1, 30, 0, 12, "/bin/19", "x", NULL));
	ck_assert_ptr_null(parent_at(pt, 99, 11, 40, 0, 100));
	ck_assert_ptr_null(parent_at(pt, 99, 13, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 21, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 20, 40, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 16, 40, 0, 100));
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

static Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("fake");

	tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
	tcase_add_test(tc, procfs_plain);
	tcase_add_test(tc, procfs_script);
	tcase_add_test(tc, procfs_script_interp_arg);
	tcase_add_test(tc, procfs_explicit_interpreter);
	tcase_add_test(tc, procfs_explicit_dollar0);
	tcase_add_test(tc, procfs_script_short_name);
	tcase_add_test(tc, procfs_script_fd);
	tcase_add_test(tc, procfs_odd);
	tcase_add_test(tc, procfs_gone);
	tcase_add_test(tc, procfs_zombie);
	tcase_add_test(tc, procfs_time);
	tcase_add_test(tc, procfs_foreach_pids);
	tcase_add_test(tc, procfs_real_self);
	tcase_add_test(tc, procfs_real_script);
	tcase_add_test(tc, procfs_real_script_moved);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *proctable_suite(void)
{
	Suite *s = suite_create("proctable");
	TCase *tc = tcase_create("table");

	tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
	tcase_add_test(tc, pt_stream_parent);
	tcase_add_test(tc, pt_reuse_out_of_order);
	tcase_add_test(tc, pt_serial_and_time);
	tcase_add_test(tc, pt_duplicate);
	tcase_add_test(tc, pt_fork_subshell);
	tcase_add_test(tc, pt_vfork_order);
	tcase_add_test(tc, pt_same_tick);
	tcase_add_test(tc, pt_degenerate);
	tcase_add_test(tc, pt_cycle);
	tcase_add_test(tc, pt_evict_replay);
	tcase_add_test(tc, pt_chain_and_bytes);
	tcase_add_test(tc, pt_byte_budget);
	tcase_add_test(tc, pt_random);
	tcase_add_test(tc, pt_seed);
	tcase_add_test(tc, pt_proc_script_and_late);
	tcase_add_test(tc, pt_proc_stale_stream);
	tcase_add_test(tc, pt_proc_gone_mid_read);
	tcase_add_test(tc, pt_proc_child_start);
	tcase_add_test(tc, pt_proc_fork);
	tcase_add_test(tc, pt_proc_zombie_fork);
	tcase_add_test(tc, pt_gone_before_child);
	tcase_add_test(tc, pt_evict_live);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(procfs_suite());
	int failed;

	srunner_add_suite(sr, proctable_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
