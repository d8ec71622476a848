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
#include "node.h"
#include "procfs.h"
#include "proctable.h"
#include "util.h"

/*
 * The fake tree boots at BTIME (whole seconds, as ROOT/stat says). Event
 * times are BTIME + seconds, so ticks after boot are (seconds * hz) plus
 * msec * hz / 1000, with hz = sysconf(_SC_CLK_TCK) (100 on Linux).
 */
#define BTIME 1000000000LL
#define HOUR 3600
#define WAIT_TRIES 1000 /* 10 ms polls: 10 s on a busy host */
#define REAP_TRIES 500	/* 10 ms polls for a fifo writer */
#define POLL_US 10000
#define SCRIPT "/usr/lib/kernel/install.d/50-dracut.install"

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

/* DIR/NAME: write data, or (target not NULL) make it a link to target. */
static void put_in(const char *dir, const char *name, const char *data,
		   size_t len, const char *target)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (target)
		ck_assert_int_eq(symlink(target, path), 0);
	else
		put_file(path, data, len);
}

static void fake_setup(void)
{
	static const char stat[] = "cpu  1 2 3 4\nbtime 1000000000\n"
				   "processes 9\n";

	hz = sysconf(_SC_CLK_TCK);
	snprintf(root, sizeof(root), "%s/fakeproc.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
	put_in(root, "stat", stat, sizeof(stat) - 1, NULL);
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
	uint64_t start; /* ticks after boot; 0: up_ms says */
	uint64_t up_ms; /* milliseconds after boot it started */
	const char *comm;
	const char *exe;
	const char *cwd;
	uid_t uid, euid;
	const char *argv[8];
	char state; /* stat's state; 0: 'S' */
};

/* A fake process started start ticks (PROC) or ms milliseconds (PROC_MS)
 * after boot; argv ends with NULL. */
#define PROC(p_, pp_, start_, comm_, exe_, cwd_, ...)                          \
	{                                                                      \
		.pid = (p_), .ppid = (pp_), .start = (start_),                 \
		.comm = (comm_), .exe = (exe_), .cwd = (cwd_), .argv = {       \
			__VA_ARGS__                                            \
		}                                                              \
	}
#define PROC_MS(p_, pp_, ms_, comm_, exe_, cwd_, ...)                          \
	{                                                                      \
		.pid = (p_), .ppid = (pp_), .up_ms = (ms_), .comm = (comm_),   \
		.exe = (exe_), .cwd = (cwd_), .argv = {                        \
			__VA_ARGS__                                            \
		}                                                              \
	}

static void fake_proc(const struct fp *p)
{
	char dir[PATH_MAX], buf[4096];
	size_t len = 0, i;
	int n;

	snprintf(dir, sizeof(dir), "%s/%d", root, (int)p->pid);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	/* fields 1-22 and a few more, as the kernel writes them */
	n = snprintf(buf, sizeof(buf),
		     "%d (%s) %c %d %d %d 0 -1 4194560 100 0 0 0 1 2 0 0 "
		     "20 0 1 0 %llu 1000 100 18446744073709551615\n",
		     (int)p->pid, p->comm, p->state ? p->state : 'S',
		     (int)p->ppid, (int)p->pid, (int)p->pid,
		     (unsigned long long)(p->start ? p->start
						   : ticks((int64_t)(p->up_ms /
								     1000),
							   p->up_ms % 1000)));
	put_in(dir, "stat", buf, (size_t)n, NULL);
	n = snprintf(buf, sizeof(buf),
		     "Name:\t%s\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\n"
		     "PPid:\t%d\nUid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
		     p->comm, (int)p->pid, (int)p->pid, (int)p->ppid, p->uid,
		     p->euid, p->uid, p->uid);
	put_in(dir, "status", buf, (size_t)n, NULL);
	n = snprintf(buf, sizeof(buf), "%s\n", p->comm);
	put_in(dir, "comm", buf, (size_t)n, NULL);
	for (i = 0; p->argv[i]; i++) {
		size_t l = strlen(p->argv[i]) + 1;

		memcpy(buf + len, p->argv[i], l);
		len += l;
	}
	put_in(dir, "cmdline", buf, len, NULL);
	if (p->exe)
		put_in(dir, "exe", NULL, 0, p->exe);
	if (p->cwd)
		put_in(dir, "cwd", NULL, 0, p->cwd);
}

/* Give a fake process an open descriptor fd naming target. */
static void fake_fd(pid_t pid, int fd, const char *target)
{
	char path[PATH_MAX], name[16];

	snprintf(path, sizeof(path), "%s/%d/fd", root, (int)pid);
	if (mkdir(path, 0755) != 0)
		ck_assert_int_eq(errno, EEXIST);
	snprintf(name, sizeof(name), "%d", fd);
	put_in(path, name, NULL, 0, target);
}

static void fake_gone(pid_t pid)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%d", root, (int)pid);
	ck_assert_int_eq(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* procfs_read of pid, which must succeed. */
static struct image *read_ok(struct procfs *pfs, pid_t pid)
{
	struct image *img = procfs_read(pfs, pid);

	ck_assert_msg(img != NULL, "procfs_read(%d) failed", (int)pid);
	return img;
}

/* An expected string that is not checked. */
static const char ANY[] = "(not checked)";

static void check_str(const char *got, const char *want, const char *what)
{
	if (want == ANY)
		return;
	if (!want)
		ck_assert_msg(!got, "%s: \"%s\", expected NULL", what, got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0,
			      "%s: \"%s\", expected \"%s\"", what,
			      got ? got : "(null)", want);
}

/* ================================================================ procfs */

#define PLAIN_P                                                                \
	{                                                                      \
		.pid = 321, .ppid = 300, .start = 12345, .comm = "bash",       \
		.exe = "/usr/bin/bash", .cwd = "/home/u", .uid = 1000,         \
		.euid = 0, .argv = {                                           \
			"/usr/bin/bash",                                       \
			"-c",                                                  \
			"echo hi",                                             \
			NULL                                                   \
		}                                                              \
	}

/*
 * One process read from the fake tree: what procfs_read must make of it.
 * Each expected value is worked out from the process's comm, exe, cwd and
 * argv as the comments say.
 */
struct read_case {
	struct fp p;
	const char *executable, *name, *interpreter, *command_line, *arg1;
};

static const struct read_case read_cases[] = {
	/* a plain program: exe is what ran */
	{PLAIN_P, "/usr/bin/bash", "bash", NULL, "/usr/bin/bash -c echo hi",
	 "-c"},
	/* a #! script run by path: comm is the script's name cut to 15
	 * bytes, argv the interpreter then the script as given to execve */
	{PROC(50, 1, 700, "50-dracut.insta", "/usr/bin/dash",
	      "/usr/lib/kernel/install.d", "/bin/sh", "./50-dracut.install",
	      "add", "6.1.0", NULL),
	 SCRIPT, "50-dracut.install", "/usr/bin/dash",
	 "/bin/sh ./50-dracut.install add 6.1.0", ANY},
	/* "#!/usr/bin/python3 -E": the script is argv[2] */
	{PROC(51, 1, 700, "tool.py", "/usr/bin/python3.11", "/",
	      "/usr/bin/python3", "-E", "/opt/x/tool.py", "--all", NULL),
	 "/opt/x/tool.py", "tool.py", "/usr/bin/python3.11", ANY, ANY},
	/* "/bin/sh /var/tmp/rpm-tmp.ABC 1" typed out: comm stays "sh", so
	 * the interpreter is what was executed, as the stream would say */
	{PROC(52, 1, 700, "sh", "/usr/bin/dash", "/", "/bin/sh",
	      "/var/tmp/rpm-tmp.ABC", "1", NULL),
	 "/usr/bin/dash", "dash", NULL, "/bin/sh /var/tmp/rpm-tmp.ABC 1",
	 "/var/tmp/rpm-tmp.ABC"},
	/* "sh -c 'dracut -f' sh": an argument named like comm is no script
	 * when argv[0] already is the interpreter named comm */
	{PROC(54, 1, 700, "sh", "/usr/bin/dash", "/root", "sh", "-c",
	      "dracut -f", "sh", NULL),
	 "/usr/bin/dash", ANY, NULL, "sh -c dracut -f sh", ANY},
	/* a script whose name is shorter than its interpreter's: "s" must
	 * not be taken for a prefix of "sh" */
	{PROC(53, 1, 700, "s", "/usr/bin/dash", "/srv", "/bin/sh", "s", NULL),
	 "/srv/s", ANY, "/usr/bin/dash", ANY, ANY},
};

START_TEST(procfs_read_table)
{
	const struct read_case *c = &read_cases[_i];
	struct procfs *pfs;
	struct image *img;

	fake_proc(&c->p);
	pfs = procfs_create(root);
	img = read_ok(pfs, c->p.pid);
	check_str(img->executable, c->executable, "executable");
	check_str(img->name, c->name, "name");
	check_str(img->interpreter, c->interpreter, "interpreter");
	check_str(img->command_line, c->command_line, "command_line");
	check_str(img->argc > 1 ? img->args[1] : NULL, c->arg1, "args[1]");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* The rest of what procfs_read makes of a plain process. */
START_TEST(procfs_plain)
{
	struct fp p = PLAIN_P;
	struct procfs *pfs;
	struct image *img;

	fake_proc(&p);
	pfs = procfs_create(root);
	img = read_ok(pfs, 321);
	ck_assert_int_eq(img->pid, 321);
	ck_assert_int_eq(img->ppid, 300);
	ck_assert_uint_eq(img->start_ticks, 12345);
	ck_assert_str_eq(img->exe, "/usr/bin/bash");
	ck_assert_str_eq(img->comm, "bash");
	ck_assert_str_eq(img->cwd, "/home/u");
	ck_assert_uint_eq(img->argc, 3);
	ck_assert_str_eq(img->args[2], "echo hi");
	ck_assert_ptr_null(img->args[3]);
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

/* A script run by a relative path whose process has changed directory:
 * the descriptor that holds the script names it; lacking one, the cwd. */
START_TEST(procfs_script_fd)
{
	static const struct fp procs[] = {
		PROC(55, 1, 700, "build.sh", "/usr/bin/bash", "/boot",
		     "/bin/bash", "./build.sh", "all", NULL),
		PROC(56, 1, 700, "x.sh", "/usr/bin/dash", "/", "/bin/sh",
		     "../tools/x.sh", NULL),
	};
	struct procfs *pfs;
	struct image *img;

	fake_proc(&procs[0]);
	fake_proc(&procs[1]);
	pfs = procfs_create(root);
	/* no fd directory: the cwd it has now */
	img = read_ok(pfs, 55);
	ck_assert_str_eq(img->executable, "/boot/build.sh");
	image_free(img);

	fake_fd(55, 0, "/dev/pts/0");
	fake_fd(55, 3, "/home/u/notbuild.sh");
	fake_fd(55, 255, "/home/u/build.sh");
	fake_fd(55, 7, "/srv/build.sh");
	img = read_ok(pfs, 55);
	ck_assert_str_eq(img->executable, "/home/u/build.sh");
	ck_assert_str_eq(img->interpreter, "/usr/bin/bash");
	image_free(img);

	/* "../tools/x.sh": fd 10 ends with tools/x.sh; fd 11 is another x.sh */
	fake_fd(56, 10, "/opt/tools/x.sh");
	fake_fd(56, 11, "/opt/other/x.sh (deleted)");
	img = read_ok(pfs, 56);
	ck_assert_str_eq(img->executable, "/opt/tools/x.sh");
	image_free(img);
	procfs_free(pfs);
}
END_TEST

/* Odd comm in stat, a deleted exe, a title without NUL, a kernel thread. */
START_TEST(procfs_odd)
{
	static const struct fp procs[] = {
		PROC(60, 1, 4242, "a) (b", "/usr/bin/ab (deleted)",
		     "/tmp (deleted)", "ab", NULL),
		PROC(2, 0, 1, "kthreadd", NULL, NULL, NULL),
	};
	char dir[PATH_MAX];
	struct procfs *pfs;
	struct image *img;
	uint64_t t;

	fake_proc(&procs[0]);
	fake_proc(&procs[1]);
	pfs = procfs_create(root);
	img = read_ok(pfs, 60);
	ck_assert_uint_eq(img->start_ticks, 4242);
	ck_assert_int_eq(img->ppid, 1);
	ck_assert_str_eq(img->comm, "a) (b");
	ck_assert_str_eq(img->executable, "/usr/bin/ab");
	ck_assert_str_eq(img->cwd, "/tmp");
	image_free(img);

	img = read_ok(pfs, 2);
	ck_assert_uint_eq(img->argc, 0);
	ck_assert_ptr_null(img->command_line);
	ck_assert_ptr_null(img->executable);
	ck_assert_ptr_null(img->exe);
	ck_assert_str_eq(img->comm, "kthreadd");
	image_free(img);

	/* sshd rewrote its title: no NUL at the end */
	snprintf(dir, sizeof(dir), "%s/60", root);
	put_in(dir, "cmdline", "sshd: u@pts/0", 13, NULL);
	img = read_ok(pfs, 60);
	ck_assert_uint_eq(img->argc, 1);
	ck_assert_str_eq(img->args[0], "sshd: u@pts/0");
	ck_assert_str_eq(img->executable, "/usr/bin/ab");
	image_free(img);

	/* a garbled stat: unreadable, not a crash */
	put_in(dir, "stat", "60 (ab S 1", 10, NULL);
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
	static const struct fp procs[] = {
		PROC(7, 1, 1, "a", NULL, NULL, NULL),
		PROC(40, 1, 1, "b", NULL, NULL, NULL),
	};
	char path[PATH_MAX + 16];
	struct procfs *pfs, *bad;
	int sum = 0;

	fake_proc(&procs[0]);
	fake_proc(&procs[1]);
	snprintf(path, sizeof(path), "%s/sys", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put_in(root, "self", NULL, 0, "7");
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
	img = read_ok(pfs, getpid());
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
 * *wfd we keep. Wait until the kernel names it comm and has given it its
 * arguments. Returns the pid, or -1 (exec refused: a noexec temporary
 * directory; said on stderr). */
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
	for (tries = 0; tries < WAIT_TRIES; tries++) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			fclose(f);
			/* comm is the new name before the exec has set up
			 * argv: until cmdline shows it the exec is not done */
			snprintf(path, sizeof(path), "/proc/%d/cmdline",
				 (int)pid);
			if (strcmp(buf, comm) == 0 && (f = fopen(path, "r"))) {
				int c = fgetc(f);

				fclose(f);
				if (c != EOF)
					return pid;
			}
		} else if (f) {
			fclose(f);
		}
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		usleep(POLL_US);
	}
	close(*wfd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fprintf(stderr, "%s: cannot exec %s, skipped\n", comm, prog);
	return -1;
}

static void reap(pid_t pid, int wfd)
{
	close(wfd); /* the script's "read" sees EOF and it exits */
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

/* Write an executable script dir/name holding text; returns its path in
 * path (PATH_MAX + 32 bytes). */
static void put_script(char *path, const char *name, const char *text)
{
	char dir[PATH_MAX];

	ck_assert_ptr_nonnull(realpath(root, dir));
	snprintf(path, PATH_MAX + 32, "%s/%s", dir, name);
	put_file(path, text, strlen(text));
	ck_assert_int_eq(chmod(path, 0755), 0);
}

/* Real processes: a #! script and the same script given to sh. The
 * expected values come from the script's path and realpath(3). */
START_TEST(procfs_real_script)
{
	char script[PATH_MAX + 32], sh[PATH_MAX];
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
	put_script(script, "real-parent.sh", "#!/bin/sh\nread x\n");
	pid = spawn_wait(NULL, script, argv_s, "real-parent.sh", &wfd);
	if (pid < 0) {
		procfs_free(pfs);
		return;
	}
	img = read_ok(pfs, pid);
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
	proctable_free(pt);
	pt = proctable_create(100, 0, pfs);
	ck_assert_ptr_null(proctable_parent(pt, c));
	proctable_free(pt);
	image_free(c);
	reap(pid, wfd);

	pid = spawn_wait(NULL, "/bin/sh", argv_e, "sh", &wfd);
	ck_assert_msg(pid > 0, "/bin/sh %s did not start", script);
	img = read_ok(pfs, pid);
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

	put_script(script, "real-moved.sh", "#!/bin/sh\ncd /\nread x\n");
	ck_assert_ptr_nonnull(realpath(root, dir));
	pid = spawn_wait(dir, "./real-moved.sh", argv_s, "real-moved.sh", &wfd);
	if (pid < 0) {
		procfs_free(pfs);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	for (tries = 0; tries < WAIT_TRIES; tries++) {
		n = readlink(path, cwd, sizeof(cwd) - 1);
		if (n == 1 && cwd[0] == '/')
			break;
		usleep(POLL_US);
	}
	ck_assert_int_eq(n, 1);
	img = read_ok(pfs, pid);
	ck_assert_str_eq(img->cwd, "/");
	ck_assert_str_eq(img->args[1], "./real-moved.sh");
	ck_assert_str_eq(img->executable, script);
	image_free(img);
	reap(pid, wfd);
	procfs_free(pfs);
}
END_TEST

/* ============================================================= proctable */

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

static uint64_t counter(const struct proctable *pt, const char *name)
{
	struct proctable_stats st;
	size_t i;

	proctable_stats(pt, &st);
	{
		const struct {
			const char *name;
			uint64_t v;
		} f[] = {
			{"entries", st.entries},
			{"bytes", st.bytes},
			{"hosts", st.hosts},
			{"groups", st.groups},
			{"execs", st.execs},
			{"forks", st.forks},
			{"forks_late", st.forks_late},
			{"evicted", st.evicted},
			{"evicted_quiet", st.evicted_quiet},
			{"forgotten", st.forgotten},
			{"truncated", st.truncated},
			{"reused", st.reused},
			{"boots", st.boots},
			{"parents_stream", st.parents_stream},
			{"parents_proc", st.parents_proc},
			{"parents_unknown", st.parents_unknown},
			{"parents_evicted", st.parents_evicted},
		};

		for (i = 0; i < ARRAY_SIZE(f); i++)
			if (strcmp(f[i].name, name) == 0)
				return f[i].v;
	}
	ck_abort_msg("no counter %s", name);
	return 0;
}

/*
 * One step of a scripted scenario. Times are seconds after BTIME (t) and
 * milliseconds (ms); node and session default to 0.
 *   'X' pid (parent ppid) exec'd exe with args (space separated; NULL:
 *       exe's basename);
 *   'F' ppid forked pid (ses 0: the forker's session);
 *   'P' the parent of a child pid of ppid exec'd then is ppid running exe
 *       (NULL: any), with command line args (NULL: any), source src (0:
 *       any), ppid pp (0: any), interpreter interp (NULL: any) and start
 *       ticks n (0: any);
 *   'N' that parent is unknown;
 *   'A' the ancestry (at most n) of that child is args: for each ancestor
 *       "PID", then optionally "/s", "/f" or "/p" (its source) and "=EXE";
 *   'S' counter args is n; 'G' counter args is more than n;
 *   'L' the caps become n entries; 'D' seed from /proc; 'W' sweep now;
 *   'T' tick at BTIME + t; 'Z' pid's fake process is gone.
 */
struct step {
	char op;
	pid_t pid, ppid;
	int64_t t;
	uint32_t ms;
	uint64_t serial;
	const char *exe;
	const char *args;
	int src;
	pid_t pp;
	const char *interp;
	uint64_t n;
	uint32_t node;
	uint32_t ses;
};

/* An image for step s ('X': the exec; else the child looked up). */
static struct image *step_image(const struct step *s)
{
	const char *exe = s->op == 'X' ? s->exe : "/usr/bin/dracut";
	struct image *img =
		mk(s->pid, s->ppid, s->t, s->ms, s->serial, exe, NULL);
	char *copy, *tok, *save = NULL, **args;
	size_t n = 0;

	img->node = s->node;
	img->session = s->ses;
	if (s->op != 'X')
		return img;
	args = calloc(64, sizeof(*args));
	copy = strdup(s->args ? s->args : path_base(exe));
	ck_assert_ptr_nonnull(args);
	ck_assert_ptr_nonnull(copy);
	for (tok = strtok_r(copy, " ", &save); tok && n < 63;
	     tok = strtok_r(NULL, " ", &save))
		args[n++] = strdup(tok);
	free(copy);
	ck_assert_int_eq(image_set_args(img, args, n), 0);
	return img;
}

static int source_of(char c)
{
	return c == 's'	  ? IMAGE_SRC_STREAM
	       : c == 'f' ? IMAGE_SRC_FORK
	       : c == 'p' ? IMAGE_SRC_PROC
			  : -1;
}

static void check_parent(struct proctable *pt, const struct step *s, size_t at)
{
	struct image *c = step_image(s);
	const struct image *p = proctable_parent(pt, c);

	image_free(c);
	if (s->op == 'N') {
		ck_assert_msg(!p, "step %zu: parent %s, expected none", at,
			      p ? p->executable : "");
		return;
	}
	ck_assert_msg(p != NULL, "step %zu: no parent", at);
	ck_assert_msg(p->pid == s->ppid, "step %zu: parent pid %d", at,
		      (int)p->pid);
	if (s->exe)
		check_str(p->executable, s->exe, "parent executable");
	check_str(p->name, path_base(p->executable), "parent name");
	if (s->args)
		check_str(p->command_line, s->args, "parent command line");
	if (s->interp)
		check_str(p->interpreter, s->interp, "parent interpreter");
	if (s->src)
		ck_assert_msg((int)p->source == s->src,
			      "step %zu: parent source %d", at, p->source);
	if (s->pp)
		ck_assert_int_eq(p->ppid, s->pp);
	if (s->n)
		ck_assert_uint_eq(p->start_ticks, s->n);
}

/* Compare the ancestry of step s's child with s->args. */
static void check_ancestry(struct proctable *pt, const struct step *s,
			   size_t at)
{
	const struct image *anc[128];
	struct image *c = step_image(s);
	size_t n = proctable_ancestry(pt, c, anc, s->n), i = 0;
	const char *w = s->args;
	char *end;

	image_free(c);
	while (*w) {
		ck_assert_msg(i < n, "step %zu: %zu ancestors, expected %s", at,
			      n, s->args);
		ck_assert_int_eq(anc[i]->pid, strtol(w, &end, 10));
		if (*end == '/') {
			ck_assert_int_eq(anc[i]->source, source_of(end[1]));
			end += 2;
		}
		w = end;
		if (*w == '=') {
			size_t len = strcspn(++w, " ");

			ck_assert_msg(strncmp(anc[i]->executable, w, len) ==
						      0 &&
					      !anc[i]->executable[len],
				      "step %zu: ancestor %zu is %s", at, i,
				      anc[i]->executable);
			w += len;
		}
		w += strspn(w, " ");
		i++;
	}
	ck_assert_msg(n == i, "step %zu: %zu ancestors, expected %zu", at, n,
		      i);
}

static void run_step(struct proctable *pt, const struct step *s, size_t at)
{
	struct proctable_fork f = {s->node,
				   s->ppid,
				   s->pid,
				   BTIME + s->t,
				   s->ms,
				   s->serial,
				   s->ses ? s->ses : PROCTABLE_SESSION_FORKER};

	switch (s->op) {
	case 'X':
		rec(pt, step_image(s));
		break;
	case 'F':
		ck_assert_int_eq(proctable_fork_event(pt, &f), 0);
		break;
	case 'P':
	case 'N':
		check_parent(pt, s, at);
		break;
	case 'A':
		check_ancestry(pt, s, at);
		break;
	case 'S':
		ck_assert_msg(counter(pt, s->args) == s->n,
			      "step %zu: %s is %llu, expected %llu", at,
			      s->args, (unsigned long long)counter(pt, s->args),
			      (unsigned long long)s->n);
		break;
	case 'G':
		ck_assert_uint_gt(counter(pt, s->args), s->n);
		break;
	case 'L':
		proctable_set_limits(pt, s->n, 0);
		break;
	case 'D':
		ck_assert_int_eq(proctable_seed(pt), 0);
		break;
	case 'W':
		proctable_sweep(pt);
		break;
	case 'T':
		proctable_tick(pt, BTIME + s->t);
		break;
	case 'Z':
		fake_gone(s->pid);
		break;
	default:
		ck_abort_msg("step %zu: no op '%c'", at, s->op);
	}
}

static void run_steps(struct proctable *pt, const struct step *steps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		run_step(pt, &steps[i], i);
}

/* ------------------------------------------------------------ scenarios */

#define ST IMAGE_SRC_STREAM
#define FK IMAGE_SRC_FORK
#define PR IMAGE_SRC_PROC
#define RF "/work/tests/reuse-fork.sh"
#define S_IS(name, v)                                                          \
	{                                                                      \
		.op = 'S', .args = (name), .n = (v)                            \
	}
#define S_GT(name, v)                                                          \
	{                                                                      \
		.op = 'G', .args = (name), .n = (v)                            \
	}
#define OP(c, ...)                                                             \
	{                                                                      \
		.op = (c), __VA_ARGS__                                         \
	}
#define X(p_, pp_, t_, ms_, s_, exe_, ...)                                     \
	{                                                                      \
		.op = 'X', .pid = (p_), .ppid = (pp_), .t = (t_), .ms = (ms_), \
		.serial = (s_), .exe = (exe_), __VA_ARGS__                     \
	}
#define P(p_, pp_, t_, ms_, s_, exe_, ...)                                     \
	{                                                                      \
		.op = 'P', .pid = (p_), .ppid = (pp_), .t = (t_), .ms = (ms_), \
		.serial = (s_), .exe = (exe_), __VA_ARGS__                     \
	}
#define N(p_, pp_, t_, ms_, s_, ...)                                           \
	{                                                                      \
		.op = 'N', .pid = (p_), .ppid = (pp_), .t = (t_), .ms = (ms_), \
		.serial = (s_), __VA_ARGS__                                    \
	}
#define F(p_, pp_, t_, ms_, s_, ...)                                           \
	{                                                                      \
		.op = 'F', .pid = (p_), .ppid = (pp_), .t = (t_), .ms = (ms_), \
		.serial = (s_), __VA_ARGS__                                    \
	}
#define A(p_, pp_, t_, ms_, s_, list_, max_, ...)                              \
	{                                                                      \
		.op = 'A', .pid = (p_), .ppid = (pp_), .t = (t_), .ms = (ms_), \
		.serial = (s_), .args = (list_), .n = (max_), __VA_ARGS__      \
	}

/* Replay: the parent's exec from the stream, even after it exited. */
static const struct step stream_parent[] = {
	X(100, 1, 10, 0, 10, "/usr/bin/bash", .args = "bash -i"),
	P(200, 100, 11, 0, 20, "/usr/bin/bash", .args = "bash -i", .src = ST),
	/* a child with no parent in the table */
	N(201, 150, 11, 0, 21),
	S_IS("entries", 1),
	S_IS("execs", 1),
	S_IS("parents_stream", 1),
	S_IS("parents_unknown", 1),
	S_GT("bytes", 0),
};

/* pid 100 reused: each child gets the image current at its own exec, and
 * a child older than every image of its ppid gets none. */
static const struct step reuse_out_of_order[] = {
	X(100, 1, 10, 0, 10, "/bin/a"),
	X(100, 1, 12, 0, 30, "/bin/b"),
	P(200, 100, 11, 0, 20, "/bin/a"), /* processed late */
	P(201, 100, 13, 0, 40, "/bin/b"),
	N(202, 100, 9, 0, 5),
	/* an image that arrives after a newer one goes in its place */
	X(300, 1, 20, 0, 60, "/bin/new"),
	X(300, 1, 19, 0, 50, "/bin/old"),
	P(301, 300, 19, 500, 55, "/bin/old"),
	P(301, 300, 21, 0, 70, "/bin/new"),
};

/* The serial orders events (time is taken at syscall entry); after a
 * reboot serials restart. */
static const struct step serial_and_time[] = {
	/* logged at 10.500 with serial 11; the child entered its execve at
	 * 10.400 but was logged later, with serial 12 */
	X(100, 1, 10, 500, 11, "/bin/p"),
	P(200, 100, 10, 400, 12, "/bin/p"),
	/* an hour later, after a reboot: serial 3 */
	P(201, 100, 3610, 0, 3, "/bin/p"),
};

/* The same event twice is recorded once. */
static const struct step duplicate[] = {
	X(100, 1, 10, 0, 10, "/bin/a"),
	X(100, 1, 10, 0, 10, "/bin/a"),
	S_IS("entries", 1),
	S_IS("execs", 1),
};

/* Replay: "( dracut )" in a script: the subshell 150 never exec'd, so it
 * runs the script's image; a stale exec of pid 150 is ignored. */
static const struct step fork_subshell[] = {
	X(150, 1, 5, 0, 5, "/bin/old"),
	X(100, 1, 10, 0, 10, SCRIPT, .args = "/bin/sh " SCRIPT " add"),
	F(150, 100, 10, 5, 11),
	P(200, 150, 10, 10, 12, SCRIPT, .args = "/bin/sh " SCRIPT " add",
	  .src = FK, .pp = 100),
	A(200, 150, 10, 10, 12, "150 100/s", 8),
	/* the child of the old 150, processed late, still finds it */
	P(201, 150, 6, 0, 6, "/bin/old"),
	S_IS("forks", 1),
	S_IS("reused", 1),
	/* a fork from an unknown process resolves to nothing */
	F(401, 400, 10, 5, 13),
	N(402, 401, 10, 10, 14),
	/* nonsense forks are ignored */
	F(400, 400, 10, 5, 15),
	F(0, 400, 10, 5, 16),
	S_IS("entries", 4),
};

/* vfork or posix_spawn: the forker's record is logged when it resumes,
 * after the child's exec, with a later serial but an earlier time. The
 * child's own exec is still its current image. */
static const struct step vfork_order[] = {
	X(100, 1, 10, 0, 10, "/usr/bin/python3"),
	X(150, 100, 10, 3, 20, "/usr/bin/bash"),
	F(150, 100, 10, 2, 21),
	P(200, 150, 10, 9, 25, "/usr/bin/bash", .src = ST),
	/* the same millisecond: the fork still comes first */
	X(160, 100, 11, 0, 30, "/usr/bin/bash"),
	F(160, 100, 11, 0, 31),
	P(201, 160, 11, 0, 32, NULL, .src = ST),
	/* a fork after an older exec of the pid: a new process */
	F(160, 100, 12, 0, 40),
	P(202, 160, 12, 5, 41, "/usr/bin/python3", .src = FK),
	/* an exec by a child of 100 whose fork we never saw, then a fork of
	 * that pid by 100 five seconds later: a new process, not a late
	 * record */
	X(170, 100, 20, 0, 50, "/usr/bin/bash"),
	F(170, 100, 25, 0, 60),
	P(203, 170, 25, 5, 61, "/usr/bin/python3", .src = FK),
};

/* Recorded shape (tests/fixtures reuse-fork): a clock tick of 4 ms holds
 * many events, so only serials order them. 9830 runs sh, then true,
 * exits; the script's next subshell gets 9830 again and runs dracut. */
static const struct step same_tick_reuse[] = {
	X(9828, 9607, 0, 10, 34200, RF, .args = "/bin/bash " RF),
	F(9830, 9828, 0, 18, 34247),
	X(9830, 9828, 0, 18, 34248, "/usr/bin/sh", .args = "sh"),
	X(9830, 9828, 0, 18, 34249, "/usr/bin/true", .args = "true"),
	F(9830, 9828, 0, 18, 34250),
	F(9831, 9830, 0, 18, 34251),
	P(9831, 9830, 0, 18, 34252, RF, .src = FK),
	S_IS("reused", 1),
};

/* Recorded shape (subshell-fork): sub.sh (19978) forks a subshell
 * (19980) that forks dracut. */
static const struct step same_tick_subshell[] = {
	X(19972, 19887, 0, 34, 36777, "/w/subshell.sh",
	  .args = "/bin/bash /w/subshell.sh"),
	F(19978, 19972, 0, 46, 36784),
	X(19978, 19972, 0, 50, 36785, "/tmp/adfx/sub.sh",
	  .args = "/bin/bash /tmp/adfx/sub.sh"),
	F(19980, 19978, 0, 50, 36786),
	F(19981, 19980, 0, 50, 36787),
	A(19981, 19980, 0, 50, 36788,
	  "19980/f=/tmp/adfx/sub.sh 19978/s 19972=/w/subshell.sh", 8),
	S_IS("reused", 0),
};

/* pid == ppid, ppid 0, ppid 1 and ancestry ending at init. */
static const struct step degenerate[] = {
	X(300, 300, 10, 0, 10, "/bin/self"),
	N(300, 300, 11, 0, 11),
	A(300, 300, 11, 0, 11, "", 4),
	N(301, 0, 11, 0, 12),
	X(1, 0, 1, 0, 1, "/sbin/init", .args = "/sbin/init"),
	X(500, 1, 10, 0, 13, "/usr/bin/bash"),
	A(501, 500, 11, 0, 14, "500 1=/sbin/init", 4),
	A(501, 500, 11, 0, 14, "500", 1),
	A(501, 500, 11, 0, 14, "", 0),
};

/*
 * A parent cycle. Serials order one boot whatever the clock says, so
 * A(serial 100) > B(50) > C(10) > A0(5), A0 being an earlier process on
 * A's pid: A's parent is B, B's is C, C's is A's pid again. The walk must
 * stop. And a parent whose own ppid is the child's pid (a reused pid).
 */
static const struct step cycle[] = {
	X(1000, 1001, 100, 0, 100, "/bin/A"),
	X(1001, 1002, 100, 0, 50, "/bin/B"),
	X(1002, 1000, 100, 0, 10, "/bin/C"),
	X(1000, 1002, 100, 0, 5, "/bin/A0"),
	A(2000, 1000, 100, 0, 200, "1000=/bin/A 1001=/bin/B 1002=/bin/C", 8),
	A(2000, 1000, 100, 0, 200, "1000=/bin/A 1001=/bin/B", 2),
	X(3000, 4000, 200, 0, 300, "/bin/P"),
	A(4000, 3000, 201, 0, 301, "3000=/bin/P", 8),
};

/* Replay eviction (cap 4): the least recently known alive goes. */
static const struct step evict_replay[] = {
	X(40, 1, 10, 0, 1, "/bin/40"),
	X(41, 1, 10, 0, 2, "/bin/41"),
	X(42, 1, 10, 0, 3, "/bin/42"),
	X(43, 40, 10, 0, 4, "/bin/43"), /* 40 is alive */
	X(44, 1, 10, 0, 5, "/bin/44"),	/* evicts 41 */
	X(45, 1, 10, 0, 6, "/bin/45"),	/* evicts 42 */
	P(99, 40, 11, 0, 100, NULL),
	N(99, 41, 11, 0, 100),
	N(99, 42, 11, 0, 100),
	P(99, 43, 11, 0, 100, NULL),
	S_IS("entries", 4),
	S_IS("evicted", 2),
};

/* Cap 3: 50 exec'd again: its first image is superseded and goes first,
 * and a child of that first image then finds nothing, not the later one. */
static const struct step evict_superseded[] = {
	X(51, 1, 10, 0, 1, "/bin/51"),
	X(50, 1, 10, 0, 2, "/bin/50a"),
	X(50, 1, 10, 0, 3, "/bin/50b"),
	X(52, 1, 10, 0, 4, "/bin/52"),
	N(99, 50, 10, 0, 3),
	P(99, 50, 11, 0, 100, "/bin/50b"),
	P(99, 51, 11, 0, 100, NULL),
	P(99, 52, 11, 0, 100, NULL),
	/* shrinking evicts at once, down to the cap: the oldest go (51,
	 * then 50b) and 52 stays; one more exec then replaces it */
	OP('L', .n = 1),
	S_IS("entries", 1),
	P(99, 52, 11, 0, 100, NULL),
	X(53, 1, 10, 0, 5, "/bin/53"),
	S_IS("entries", 1),
	N(99, 52, 11, 0, 100),
	P(99, 53, 11, 0, 100, NULL),
};

/* A pid keeps at most 8 images: the oldest go, and a child that needed
 * one of them is counted as having lost its parent to eviction. */
static const struct step chain_max[] = {
	X(70, 1, 10, 0, 1, "/bin/x"),
	X(70, 1, 10, 0, 2, "/bin/x"),
	X(70, 1, 10, 0, 3, "/bin/x"),
	X(70, 1, 10, 0, 4, "/bin/x"),
	X(70, 1, 10, 0, 5, "/bin/x"),
	X(70, 1, 10, 0, 6, "/bin/x"),
	X(70, 1, 10, 0, 7, "/bin/x"),
	X(70, 1, 10, 0, 8, "/bin/x"),
	X(70, 1, 10, 0, 9, "/bin/x"),
	X(70, 1, 10, 0, 10, "/bin/x"),
	S_IS("entries", 8),
	S_IS("evicted", 2),
	/* serials 1 and 2 are gone; 3 is the oldest left */
	N(99, 70, 10, 0, 3),
	P(99, 70, 10, 0, 4, NULL),
	S_IS("parents_evicted", 1),
};

/* ---- order: serials within a boot, time only between boots */

/* The clock stepped back three hours (date -s) between a parent's exec
 * and its child's: serials still order them. */
static const struct step clock_step[] = {
	X(100, 1, 5 * HOUR, 0, 70000, "/bin/sh", .args = "sh /tmp/job.sh"),
	P(200, 100, 2 * HOUR, 10, 70002, "/bin/sh", .args = "sh /tmp/job.sh",
	  .src = ST),
	/* the parent execs again after the step: later children get that */
	X(100, 1, 2 * HOUR, 20, 70003, "/bin/true"),
	P(201, 100, 2 * HOUR, 30, 70004, "/bin/true"),
	/* a child logged before that exec still gets the first image */
	P(202, 100, 2 * HOUR, 5, 70001, "/bin/sh"),
	S_IS("boots", 0),
};

/* A reboot: serials restart far below the highest, later in time; the
 * new boot's images are newer than every image of the old one. */
static const struct step reboot[] = {
	X(100, 1, 1000, 0, 500000, "/bin/old"),
	X(100, 1, 1300, 0, 200, "/bin/new"),
	S_IS("boots", 1),
	P(400, 100, 1300, 10, 250, "/bin/new"),
	/* the next boot's events follow on */
	X(101, 1, 1301, 0, 600000, "/bin/later"),
	S_IS("boots", 1),
	P(401, 101, 1301, 5, 600001, "/bin/later"),
};

/* Below half the highest serial but no later in time: an older event of
 * the same boot; a millisecond later: a new boot. */
static const struct step boot_half[] = {
	X(100, 1, 50, 0, 1000, "/bin/a"),
	X(101, 1, 50, 0, 400, "/bin/b"),
	S_IS("boots", 0),
	P(200, 101, 50, 0, 1001, "/bin/b"),
	X(102, 1, 50, 1, 400, "/bin/c"),
	S_IS("boots", 1),
};

/* Far below: by exactly PROCTABLE_BOOT_DROP the same boot, by one more
 * a new one (neither below half). */
static const struct step boot_drop[] = {
	X(100, 1, 100, 0, 1000000, "/bin/a"),
	X(101, 1, 101, 0, 1000000 - PROCTABLE_BOOT_DROP, "/bin/b"),
	S_IS("boots", 0),
	X(102, 1, 101, 0, 1000000 - PROCTABLE_BOOT_DROP - 1, "/bin/c"),
	S_IS("boots", 1),
};

/* An older log replayed after a newer one: serials and time both go
 * back, so these are older events of the same boot. */
static const struct step boot_older_log[] = {
	X(100, 1, 100, 0, 1000000, "/bin/a"),
	X(101, 1, 50, 0, 10, "/bin/b"),
	S_IS("boots", 0),
	P(200, 101, 50, 0, 11, "/bin/b"),
};

/* Events slightly out of order, as auparse hands them over by time: a
 * serial below the highest with a later time is an older event. */
static const struct step out_of_order[] = {
	X(100, 1, 5, 10, 1000, "/bin/p"),   X(100, 1, 5, 0, 998, "/bin/q"),
	X(101, 1, 5, 20, 990, "/bin/r"),    S_IS("boots", 0),
	P(200, 100, 5, 30, 1001, "/bin/p"), P(201, 100, 5, 5, 999, "/bin/q"),
	P(202, 101, 5, 25, 1002, "/bin/r"),
};

/* ---- late fork records */

/* python3 (100) vforks 150, which execs /tmp/stage2. The vfork is logged
 * after the exec (serial 21 > 20, time 10.002 < 10.003), and auparse,
 * going by time, hands it over first. stage2's child must find stage2,
 * not python3. */
static const struct step late_fork_first[] = {
	X(100, 1, 10, 0, 10, "/usr/bin/python3"),
	F(150, 100, 10, 2, 21),
	X(150, 100, 10, 3, 20, "/tmp/stage2", .args = "/bin/sh /tmp/stage2"),
	P(200, 150, 10, 9, 22, "/tmp/stage2", .args = "/bin/sh /tmp/stage2",
	  .src = ST),
	S_IS("forks_late", 1),
};

/* `sudo /tmp/evil.sh`: sudo's child 301 execs env, which execs evil.sh;
 * sudo's fork record (serial 43, time 20.001) comes before both execs
 * (41, 42). evil.sh's dracut must be judged with parent evil.sh. */
static const struct step late_fork_sudo[] = {
	X(300, 299, 20, 0, 40, "/usr/bin/sudo", .args = "sudo /tmp/evil.sh"),
	F(301, 300, 20, 1, 43),
	X(301, 300, 20, 2, 41, "/usr/bin/env",
	  .args = "/usr/bin/env /tmp/evil.sh"),
	X(301, 300, 20, 3, 42, "/tmp/evil.sh", .args = "/bin/sh /tmp/evil.sh"),
	P(302, 301, 20, 4, 44, "/tmp/evil.sh", .src = ST),
	A(302, 301, 20, 4, 44, "301/s=/tmp/evil.sh 300=/usr/bin/sudo", 2),
	S_IS("forks_late", 1),
};

/* The same with the records in serial order (the execs first): the fork
 * is filed before them when it arrives. */
static const struct step late_fork_last[] = {
	X(300, 299, 20, 0, 40, "/usr/bin/sudo", .args = "sudo /tmp/evil.sh"),
	X(301, 300, 20, 2, 41, "/usr/bin/env",
	  .args = "/usr/bin/env /tmp/evil.sh"),
	X(301, 300, 20, 3, 42, "/tmp/evil.sh", .args = "/bin/sh /tmp/evil.sh"),
	F(301, 300, 20, 1, 43),
	P(302, 301, 20, 4, 44, "/tmp/evil.sh", .src = ST),
	S_IS("forks_late", 1),
};

/* ---- nodes */

/* The same pid on three nodes: three processes. */
static const struct step same_pid_nodes[] = {
	X(100, 1, 10, 0, 10, "/bin/a", .node = 1),
	X(100, 1, 10, 0, 10, "/bin/b", .node = 2),
	X(100, 1, 10, 0, 10, "/bin/local"),
	S_IS("entries", 3),
	S_IS("hosts", 3),
	P(200, 100, 11, 0, 20, "/bin/a", .node = 1),
	P(200, 100, 11, 0, 20, "/bin/b", .node = 2),
	P(200, 100, 11, 0, 20, "/bin/local"),
	N(200, 100, 11, 0, 20, .node = 3),
	A(200, 100, 11, 0, 20, "100=/bin/b", 4, .node = 2),
	/* a fork on node 2 takes node 2's image */
	F(150, 100, 12, 0, 30, .node = 2),
	P(201, 150, 12, 5, 31, "/bin/b", .src = FK, .node = 2),
	N(201, 150, 12, 5, 31, .node = 1),
};

/* Cap 8. Node 1 records three execs, then nothing for over an hour;
 * node 2 fills the table: node 1's entries go first, though it holds
 * fewer. */
static const struct step quiet_node[] = {
	OP('T', .t = 0),
	X(100, 1, 10, 0, 1, "/bin/n1a", .node = 1),
	X(101, 1, 10, 0, 2, "/bin/n1b", .node = 1),
	X(102, 1, 10, 0, 3, "/bin/n1c", .node = 1),
	OP('T', .t = HOUR + 1),
	X(200, 1, 10, 0, 1, "/bin/n2", .node = 2),
	X(201, 1, 10, 0, 2, "/bin/n2", .node = 2),
	X(202, 1, 10, 0, 3, "/bin/n2", .node = 2),
	X(203, 1, 10, 0, 4, "/bin/n2", .node = 2),
	X(204, 1, 10, 0, 5, "/bin/n2", .node = 2),
	X(205, 1, 10, 0, 6, "/bin/n2", .node = 2),
	S_IS("evicted", 1),
	S_IS("evicted_quiet", 1),
	N(99, 100, 11, 0, 9, .node = 1),
	P(99, 101, 11, 0, 9, NULL, .node = 1),
	P(99, 200, 11, 0, 9, NULL, .node = 2),
};

/* The same an hour less one second later: node 1 is not quiet yet, and
 * node 2, holding more, evicts its own. */
static const struct step busy_nodes[] = {
	OP('T', .t = 0),
	X(100, 1, 10, 0, 1, "/bin/n1a", .node = 1),
	X(101, 1, 10, 0, 2, "/bin/n1b", .node = 1),
	X(102, 1, 10, 0, 3, "/bin/n1c", .node = 1),
	OP('T', .t = HOUR - 1),
	X(200, 1, 10, 0, 1, "/bin/n2", .node = 2),
	X(201, 1, 10, 0, 2, "/bin/n2", .node = 2),
	X(202, 1, 10, 0, 3, "/bin/n2", .node = 2),
	X(203, 1, 10, 0, 4, "/bin/n2", .node = 2),
	X(204, 1, 10, 0, 5, "/bin/n2", .node = 2),
	X(205, 1, 10, 0, 6, "/bin/n2", .node = 2),
	S_IS("evicted", 1),
	S_IS("evicted_quiet", 0),
	P(99, 100, 11, 0, 9, NULL, .node = 1),
	N(99, 200, 11, 0, 9, .node = 2),
};

/* Cap 4: an idle parent pushed out by its own session's execs is counted
 * as evicted when its child needs it; a parent never seen is not. */
static const struct step evicted_parent[] = {
	X(100, 1, 10, 0, 1, "/bin/bash"), X(201, 1, 10, 0, 2, "/bin/x"),
	X(202, 1, 10, 0, 3, "/bin/x"),	  X(203, 1, 10, 0, 4, "/bin/x"),
	X(204, 1, 10, 0, 5, "/bin/x"),	  N(300, 100, 11, 0, 100),
	S_IS("parents_evicted", 1),	  N(301, 150, 11, 0, 101),
	S_IS("parents_evicted", 1),	  S_IS("parents_unknown", 2),
};

/* ---- live mode (fake /proc) */

#define INIT_P                                                                 \
	PROC(1, 0, 1, "systemd", "/usr/lib/systemd/systemd", "/",              \
	     "/sbin/init", NULL)

static const struct fp seed_procs[] = {
	INIT_P,
	PROC(500, 1, 5000, "bash", "/usr/bin/bash", "/root", "-bash", NULL),
	{0},
};

/* Processes that started before the plugin are seeded, and stay known
 * after they exit: dracut at 1100 s after boot, child of that bash. */
static const struct step seeded[] = {
	OP('D'),
	S_IS("entries", 2),
	OP('Z', .pid = 500),
	P(600, 500, 1100, 0, 20, "/usr/bin/bash", .args = "-bash", .src = PR,
	  .n = 5000),
	A(600, 500, 1100, 0, 20, "500 1=/usr/lib/systemd/systemd", 4),
	S_IS("parents_proc", 1),
};

static const struct fp script_late_procs[] = {
	PROC_MS(700, 1, 1000000, "50-dracut.insta", "/usr/bin/dash", "/",
		"/bin/sh", SCRIPT, "add", NULL),
	PROC_MS(800, 1, 1010000, "sleep", "/usr/bin/sleep", "/", "sleep", "9",
		NULL),
	{0},
};

/* A script parent known only to /proc; then a pid taken by a process
 * that started after the child is refused. */
static const struct step script_late[] = {
	P(701, 700, 1005, 0, 20, SCRIPT, .src = PR, .interp = "/usr/bin/dash"),
	/* a second lookup uses the table's copy, not a new read */
	OP('Z', .pid = 700),
	P(701, 700, 1005, 0, 20, SCRIPT, .src = PR),
	/* 800 started at 1010 s, the child exec'd at 1005 s */
	N(801, 800, 1005, 0, 21),
	/* with an older exec of 800 in the stream, that one is the parent */
	X(800, 1, 900, 0, 5, "/usr/bin/make", .args = "make"),
	P(801, 800, 1005, 0, 21, "/usr/bin/make", .src = ST),
	S_IS("parents_proc", 2),
	S_IS("parents_unknown", 1),
	S_IS("parents_stream", 1),
};

/* /proc belongs to this host: another node's pid 700 is never read. */
static const struct step proc_local_only[] = {
	N(701, 700, 1005, 0, 20, .node = 3),
	S_IS("parents_proc", 0),
	P(701, 700, 1005, 0, 20, SCRIPT, .src = PR),
};

static const struct fp stale_procs[] = {
	PROC_MS(900, 1, 950000, "build.sh", "/usr/bin/bash", "/home/u", "bash",
		"./build.sh", NULL),
	PROC_MS(1000, 1, 950010, "make", "/usr/bin/make", "/", "make", NULL),
	{0},
};

/* The stream image of 900 is older than the process now at 900, which
 * started before the child: a reused pid (a forked subshell that never
 * exec'd). /proc wins. An image of the live process itself is kept. */
static const struct step stale_stream[] = {
	X(900, 1, 900, 0, 5, "/usr/bin/make", .args = "make"),
	P(901, 900, 960, 0, 20, "/home/u/build.sh", .src = PR,
	  .interp = "/usr/bin/bash"),
	S_IS("reused", 1),
	/* 1000 started at 950.010 and its exec reads 950.000: clock
	 * rounding, within the slack: the stream image is its own */
	X(1000, 1, 950, 0, 6, "/usr/bin/make", .args = "make -j4"),
	P(1001, 1000, 960, 0, 21, NULL, .args = "make -j4", .src = ST),
};

static const struct fp child_start_procs[] = {
	PROC_MS(1100, 1, 960010, "x", "/bin/x", "/", "x", NULL),
	PROC_MS(1101, 1100, 960000, "dracut", "/usr/bin/dracut", "/", "dracut",
		NULL),
	{0},
};

/* The child's own /proc start bounds its parent's: a "parent" that
 * started after the child did is refused even though it started before
 * the child's exec; had the child been gone, its exec time alone would
 * accept it. */
static const struct step child_start[] = {
	N(1101, 1100, 961, 0, 20),
	OP('Z', .pid = 1101),
	P(1101, 1100, 961, 0, 20, NULL),
};

static const struct fp fork_procs[] = {
	PROC_MS(1201, 1200, 970500, "50-dracut.insta", "/usr/bin/bash", "/",
		"/bin/bash", SCRIPT, NULL),
	{0},
};

/* Live mode, forked subshell: /proc shows the forked image; once gone,
 * the fork edge gives the same. */
static const struct step proc_fork[] = {
	X(1200, 1, 970, 0, 10, SCRIPT, .args = "/bin/bash " SCRIPT),
	F(1201, 1200, 970, 500, 11),
	P(1202, 1201, 971, 0, 12, SCRIPT, .src = PR),
	OP('Z', .pid = 1201),
	P(1203, 1201, 972, 0, 13, SCRIPT, .src = FK),
	/* a subshell that /proc never showed: the fork edge */
	F(1204, 1200, 973, 0, 14),
	P(1205, 1204, 973, 100, 15, SCRIPT, .args = "/bin/bash " SCRIPT,
	  .src = FK, .pp = 1200),
};

static const struct fp zombie_procs[] = {
	{.pid = 1301,
	 .ppid = 1300,
	 .up_ms = 980500,
	 .comm = "50-dracut.insta",
	 .argv = {NULL},
	 .state = 'Z'},
	{0},
};

/* Live mode: a forked subshell that has exited but is not reaped yet (a
 * zombie: no cmdline, no exe) is still the parent; its fork edge gives
 * its image, not an empty one read from /proc. */
static const struct step zombie_fork[] = {
	X(1300, 1, 980, 0, 10, SCRIPT, .args = "/bin/bash " SCRIPT),
	F(1301, 1300, 980, 500, 11),
	P(1302, 1301, 981, 0, 12, SCRIPT, .args = "/bin/bash " SCRIPT,
	  .src = FK),
};

static const struct fp evict_live_procs[] = {
	PROC_MS(11, 1, 10000, "x", "/bin/x", NULL, "x", NULL),
	PROC_MS(13, 1, 10000, "x", "/bin/x", NULL, "x", NULL),
	PROC_MS(21, 1, 10000, "x", "/bin/x", NULL, "x", NULL),
	/* 12 reused by a process started after its exec */
	PROC_MS(12, 1, 30000, "y", "/bin/y", NULL, "y", NULL),
	{0},
};

/* Live eviction (cap 6): after a sweep, dead entries that no live process
 * descends from go first, then entries newer than the sweep, then live
 * ones. */
static const struct step evict_live[] = {
	X(20, 1, 10, 0, 1, "/bin/20"),	/* dead, ancestor */
	X(10, 1, 20, 0, 2, "/bin/10"),	/* dead */
	X(11, 1, 20, 0, 3, "/bin/11"),	/* live */
	X(12, 1, 20, 0, 4, "/bin/12"),	/* stale */
	X(13, 1, 20, 0, 5, "/bin/13"),	/* live */
	X(21, 20, 20, 0, 6, "/bin/21"), /* live */
	OP('W'),
	OP('Z', .pid = 11),
	OP('Z', .pid = 12),
	OP('Z', .pid = 13),
	OP('Z', .pid = 21),
	X(14, 1, 30, 0, 7, "/bin/14"),	/* evicts 10 */
	X(15, 1, 30, 0, 8, "/bin/15"),	/* evicts 12 */
	X(16, 1, 30, 0, 9, "/bin/16"),	/* evicts 14 */
	X(17, 1, 30, 0, 10, "/bin/17"), /* evicts 15 */
	N(99, 10, 40, 0, 100),
	N(99, 12, 40, 0, 100),
	N(99, 14, 40, 0, 100),
	N(99, 15, 40, 0, 100),
	P(99, 11, 40, 0, 100, NULL),
	P(99, 13, 40, 0, 100, NULL),
	P(99, 16, 40, 0, 100, NULL),
	P(99, 17, 40, 0, 100, NULL),
	P(99, 20, 40, 0, 100, NULL),
	P(99, 21, 40, 0, 100, NULL),
	S_IS("entries", 6),
	S_IS("evicted", 4),
	/* the next sweep finds them all dead. The least recently known
	 * alive go first: those live at the first sweep, in their order
	 * then (11, 13, 21, 20: 20 moved last when 21 exec'd), before 16
	 * and 17, recorded since */
	OP('W'),
	X(18, 1, 30, 0, 11, "/bin/18"),
	X(19, 1, 30, 0, 12, "/bin/19"),
	N(99, 11, 40, 0, 100),
	N(99, 13, 40, 0, 100),
	P(99, 21, 40, 0, 100, NULL),
	P(99, 20, 40, 0, 100, NULL),
	P(99, 16, 40, 0, 100, NULL),
};

struct scenario {
	const char *name;
	size_t cap;		/* max_entries */
	const struct fp *procs; /* live: the fake /proc (pid 0 ends) */
	const struct step *steps;
	size_t n;
};

#define REPLAY(steps, cap)                                                     \
	{                                                                      \
#steps, cap, NULL, steps, ARRAY_SIZE(steps)                    \
	}
#define LIVE(steps, cap, procs)                                                \
	{                                                                      \
#steps, cap, procs, steps, ARRAY_SIZE(steps)                   \
	}

static const struct scenario scenarios[] = {
	REPLAY(stream_parent, 100),
	REPLAY(reuse_out_of_order, 100),
	REPLAY(serial_and_time, 100),
	REPLAY(duplicate, 100),
	REPLAY(fork_subshell, 100),
	REPLAY(vfork_order, 100),
	REPLAY(same_tick_reuse, 100),
	REPLAY(same_tick_subshell, 100),
	REPLAY(degenerate, 100),
	REPLAY(cycle, 100),
	REPLAY(evict_replay, 4),
	REPLAY(evict_superseded, 3),
	REPLAY(chain_max, 100),
	REPLAY(clock_step, 100),
	REPLAY(reboot, 100),
	REPLAY(boot_half, 100),
	REPLAY(boot_drop, 100),
	REPLAY(boot_older_log, 100),
	REPLAY(out_of_order, 100),
	REPLAY(late_fork_first, 100),
	REPLAY(late_fork_sudo, 100),
	REPLAY(late_fork_last, 100),
	REPLAY(same_pid_nodes, 100),
	REPLAY(quiet_node, 8),
	REPLAY(busy_nodes, 8),
	REPLAY(evicted_parent, 4),
	LIVE(seeded, 100, seed_procs),
	LIVE(script_late, 100, script_late_procs),
	LIVE(proc_local_only, 100, script_late_procs),
	LIVE(stale_stream, 100, stale_procs),
	LIVE(child_start, 100, child_start_procs),
	LIVE(proc_fork, 100, fork_procs),
	LIVE(zombie_fork, 100, zombie_procs),
	LIVE(evict_live, 6, evict_live_procs),
};

START_TEST(pt_scenario)
{
	const struct scenario *sc = &scenarios[_i];
	struct procfs *pfs = NULL;
	struct proctable *pt;
	const struct fp *p;

	for (p = sc->procs; p && p->pid; p++)
		fake_proc(p);
	if (sc->procs)
		pfs = procfs_create(root);
	pt = proctable_create(sc->cap, 0, pfs);
	ck_assert_ptr_nonnull(pt);
	fprintf(stderr, "scenario %s\n", sc->name);
	run_steps(pt, sc->steps, sc->n);
	proctable_free(pt);
	procfs_free(pfs);
}
END_TEST

/* ------------------------------------------------------------ byte caps */

/* An image with one argument of n bytes ('a') after the program name. */
static struct image *mk_long(pid_t pid, uint64_t serial, size_t n,
			     const char *tail)
{
	char *arg = malloc(n + 1);
	struct image *img;

	ck_assert_ptr_nonnull(arg);
	memset(arg, 'a', n);
	arg[n] = '\0';
	img = mk(pid, 1, 10, 0, serial, "/bin/x", arg, tail, NULL);
	free(arg);
	return img;
}

/* The byte cap per image marks truncated copies. */
START_TEST(pt_image_bytes)
{
	struct proctable *pt = proctable_create(100, 512, NULL);
	const struct image *p;

	rec(pt, mk_long(80, 1, 599, "tail"));
	p = parent_at(pt, 99, 80, 11, 0, 2);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->flags & IMAGE_COPY_TRUNCATED);
	/* the table kept at most 512 bytes of strings; the copy handed out
	 * adds the command line rebuilt from the kept arguments */
	ck_assert_uint_le(image_size(p), 2 * 512 + sizeof(struct image) + 64);
	ck_assert_ptr_nonnull(p->command_line);
	ck_assert_uint_eq(counter(pt, "truncated"), 1);
	proctable_free(pt);
}
END_TEST

/* The byte budget: 4 entries may take 4 * 1024 bytes. Each image here
 * holds a 1400-byte argument (once: the table keeps no command line), so
 * more than 1400 bytes: two fit, a third does not, and the oldest goes. */
START_TEST(pt_byte_budget)
{
	struct proctable *pt = proctable_create(4, 0, NULL);

	ck_assert_int_eq(PROCTABLE_ENTRY_BYTES, 1024);
	rec(pt, mk_long(90, 1, 1400, NULL));
	rec(pt, mk_long(91, 2, 1400, NULL));
	ck_assert_uint_eq(counter(pt, "entries"), 2);
	ck_assert_uint_eq(counter(pt, "evicted"), 0);
	rec(pt, mk_long(92, 3, 1400, NULL));
	ck_assert_uint_eq(counter(pt, "entries"), 2);
	ck_assert_uint_eq(counter(pt, "evicted"), 1);
	ck_assert_ptr_null(parent_at(pt, 99, 90, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 91, 11, 0, 100));
	ck_assert_ptr_nonnull(parent_at(pt, 99, 92, 11, 0, 100));
	proctable_free(pt);
	proctable_free(NULL);
}
END_TEST

/* ------------------------------------------------------------ floods */

/* The default caps: 4096 entries, 4096 bytes of strings per image. */
#define CAP 4096
#define IMAGE_CAP 4096

/*
 * count execs by children of flooder (pid 999, already exec'd) in
 * (node, ses), each with pad bytes of arguments. Serials from serial on.
 */
static void flood(struct proctable *pt, uint32_t node, uint32_t ses,
		  pid_t flooder, unsigned count, size_t pad, uint64_t serial)
{
	struct image *img;
	unsigned i;

	for (i = 0; i < count; i++) {
		img = pad ? mk_long((pid_t)(10000 + i), serial + i, pad, NULL)
			  : mk((pid_t)(10000 + i), 1, 10, 0, serial + i,
			       "/usr/bin/true", "true", NULL);
		img->ppid = flooder;
		img->node = node;
		img->session = ses;
		img->sec = BTIME + 20 + i / 1000;
		rec(pt, img);
	}
}

/* An exec of pid (parent ppid) on node in session ses at serial. */
static void exec_in(struct proctable *pt, uint32_t node, uint32_t ses,
		    pid_t pid, pid_t ppid, uint64_t serial, const char *exe)
{
	struct image *img = mk(pid, ppid, 10, 0, serial, exe, exe, NULL);

	img->node = node;
	img->session = ses;
	rec(pt, img);
}

/* dracut (pid 90000) started by pid ppid on node at serial: its parent. */
static const struct image *dracut_parent(struct proctable *pt, uint32_t node,
					 pid_t ppid, uint64_t serial)
{
	struct image *c = mk(90000, ppid, 30, 0, serial, "/usr/bin/dracut",
			     "dracut", NULL);
	const struct image *p;

	c->node = node;
	p = proctable_parent(pt, c);
	image_free(c);
	return p;
}

/*
 * An idle shell (pid 100, session 1) waits while a flood runs, then runs
 * dracut: it must still be its parent. The flood: count execs of pad
 * bytes by pid 999 in flood_ses (flood_node); with flood_ses 1 on node 0,
 * 999 is the idle shell's child (a loop it started).
 */
static void idle_parent_survives(uint32_t flood_node, uint32_t flood_ses,
				 unsigned count, size_t pad)
{
	struct proctable *pt = proctable_create(CAP, IMAGE_CAP, NULL);
	pid_t flooder_parent = flood_ses == 1 && !flood_node ? 100 : 1;
	const struct image *p;

	exec_in(pt, 0, 1, 100, 1, 1, "/usr/bin/bash");
	exec_in(pt, flood_node, flood_ses, 999, flooder_parent, 2, "/bin/sh");
	flood(pt, flood_node, flood_ses, 999, count, pad, 3);
	ck_assert_uint_gt(counter(pt, "evicted"), 0);
	p = dracut_parent(pt, 0, 100, 3 + count);
	ck_assert_msg(p != NULL, "the idle parent was evicted");
	ck_assert_str_eq(p->executable, "/usr/bin/bash");
	/* the flood's own parent too: its children keep exec'ing */
	ck_assert_ptr_nonnull(dracut_parent(pt, flood_node, 999, 4 + count));
	ck_assert_uint_eq(counter(pt, "parents_evicted"), 0);
	proctable_free(pt);
}

/* The floods of issue 13 (item 3) and a noisy node. */
static const struct flood_case {
	uint32_t node, ses;
	unsigned count;
	size_t pad;
} floods[] = {
	{0, 2, 5000, 0},    /* 5,000 execs from another session */
	{0, 2, 1100, 4096}, /* 1,100 execs with 4 KiB of arguments */
	/* 5,000 execs by a loop the idle shell started, in its session:
	 * the shell is the ancestor of processes that keep exec'ing */
	{0, 1, 5000, 0},
	{7, 1, 5000, 0}, /* 5,000 execs from another node */
};

START_TEST(pt_flood)
{
	idle_parent_survives(floods[_i].node, floods[_i].ses, floods[_i].count,
			     floods[_i].pad);
}
END_TEST

/* ------------------------------------------------------------ nested forks */

/* A script (pid 1000) nests depth subshells (forks without exec), the
 * innermost runs dracut: the parent is the script's image however deep,
 * and the ancestry lists every subshell. */
static void nested_forks(unsigned depth)
{
	struct proctable *pt = proctable_create(CAP, 0, NULL);
	const struct image *p, *anc[128];
	pid_t inner = (pid_t)(1000 + depth);
	struct image *c;
	size_t n, i, want = depth + 1 < 128 ? depth + 1 : 128;
	unsigned d;

	rec(pt, mk(1000, 1, 10, 0, 1, "/tmp/sub.sh", "/bin/bash", "/tmp/sub.sh",
		   NULL));
	for (d = 1; d <= depth; d++)
		ck_assert_int_eq(proctable_fork(pt, (pid_t)(1000 + d - 1),
						(pid_t)(1000 + d), BTIME + 10,
						d % 1000, 1 + d),
				 0);
	c = mk(5000, inner, 11, 0, 1000, "/usr/bin/dracut", "dracut", NULL);
	p = proctable_parent(pt, c);
	ck_assert_msg(p != NULL, "%u nested forks: no parent", depth);
	ck_assert_int_eq(p->pid, inner);
	ck_assert_int_eq(p->ppid, inner - 1);
	ck_assert_int_eq(p->source, IMAGE_SRC_FORK);
	ck_assert_str_eq(p->executable, "/tmp/sub.sh");
	ck_assert_str_eq(p->command_line, "/bin/bash /tmp/sub.sh");
	n = proctable_ancestry(pt, c, anc, ARRAY_SIZE(anc));
	ck_assert_uint_eq(n, want);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(anc[i]->pid, inner - (pid_t)i);
		ck_assert_str_eq(anc[i]->executable, "/tmp/sub.sh");
	}
	ck_assert_int_eq(anc[n - 1]->source,
			 depth + 1 <= 128 ? IMAGE_SRC_STREAM : IMAGE_SRC_FORK);
	image_free(c);
	proctable_free(pt);
}

START_TEST(pt_nested_forks)
{
	nested_forks(20);
	nested_forks(100);
}
END_TEST

/* ------------------------------------------------------------ node registry */

/* A node the registry forgets takes its images with it; its name comes
 * back with another id, which finds none of them. */
START_TEST(pt_nodes_forgotten)
{
	struct node_reg *reg = node_reg_create(2);
	struct proctable *pt = proctable_create(100, 0, NULL);
	uint32_t a, b, c, a2;

	proctable_use_nodes(pt, reg);
	ck_assert_int_eq(node_intern(reg, "a", &a), 0);
	ck_assert_int_eq(node_intern(reg, "b", &b), 0);
	exec_in(pt, a, 1, 100, 1, 1, "/bin/on-a");
	exec_in(pt, a, 1, 101, 1, 2, "/bin/on-a");
	exec_in(pt, b, 1, 100, 1, 1, "/bin/on-b");
	ck_assert_uint_eq(counter(pt, "entries"), 3);
	/* a third name: "a", the quietest, is forgotten */
	ck_assert_int_eq(node_intern(reg, "c", &c), 0);
	ck_assert_uint_eq(counter(pt, "entries"), 1);
	ck_assert_uint_eq(counter(pt, "forgotten"), 2);
	ck_assert_uint_eq(counter(pt, "hosts"), 1);
	ck_assert_ptr_null(dracut_parent(pt, a, 100, 10));
	ck_assert_str_eq(dracut_parent(pt, b, 100, 10)->executable,
			 "/bin/on-b");
	/* "a" again: a new id; "b" is now the quietest and goes */
	ck_assert_int_eq(node_intern(reg, "a", &a2), 0);
	ck_assert_uint_ne(a2, a);
	ck_assert_ptr_null(dracut_parent(pt, a2, 100, 10));
	ck_assert_ptr_null(dracut_parent(pt, b, 100, 10));
	ck_assert_uint_eq(counter(pt, "entries"), 0);
	ck_assert_uint_eq(counter(pt, "hosts"), 0);
	proctable_free(pt);
	node_reg_free(reg);
}
END_TEST

/* ------------------------------------------------------------ random */

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
				struct fp f = PROC(
					pid, ppid,
					ticks(t, 0) +
						(uint64_t)(rand_r(&seed) % 300),
					"x.sh", "/bin/sh", "/", "sh", "x.sh",
					NULL);

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

/* ------------------------------------------------------------ live, in code */

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

	for (tries = 0; tries < REAP_TRIES; tries++) {
		if (waitpid(w, &status, WNOHANG) == w) {
			ck_assert(WIFEXITED(status) &&
				  WEXITSTATUS(status) == 0);
			return;
		}
		usleep(POLL_US);
	}
	kill(w, SIGKILL);
	waitpid(w, NULL, 0);
	ck_abort_msg("the fifo was never read");
}

/* A stale stream image of a reused pid stays refused when the process
 * /proc showed as the parent exits (or is replaced) while it is read. */
START_TEST(pt_proc_gone_mid_read)
{
	struct fp sub = stale_procs[0];
	struct procfs *pfs;
	struct proctable *pt;
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

	ck_assert_uint_eq(counter(pt, "parents_unknown"), 2);
	ck_assert_uint_eq(counter(pt, "parents_stream"), 0);
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
	const struct image *p;

	pfs = procfs_create(root);
	pt = proctable_create(100, 0, pfs);
	rec(pt, mk(1400, 1, now - 100, 0, 10, "/bin/old", "old", NULL));
	proctable_sweep(pt); /* 1400 is not in /proc */
	ck_assert_ptr_null(parent_at(pt, 1401, 1400, now + 100, 0, 20));
	ck_assert_uint_eq(counter(pt, "reused"), 1);
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

/* ------------------------------------------------------------ suites */

static Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("fake");

	tcase_add_checked_fixture(tc, fake_setup, fake_teardown);
	tcase_add_loop_test(tc, procfs_read_table, 0, ARRAY_SIZE(read_cases));
	tcase_add_test(tc, procfs_plain);
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
	tcase_add_loop_test(tc, pt_scenario, 0, ARRAY_SIZE(scenarios));
	tcase_add_test(tc, pt_image_bytes);
	tcase_add_test(tc, pt_byte_budget);
	tcase_add_loop_test(tc, pt_flood, 0, ARRAY_SIZE(floods));
	tcase_add_test(tc, pt_nested_forks);
	tcase_add_test(tc, pt_nodes_forgotten);
	tcase_add_test(tc, pt_random);
	tcase_add_test(tc, pt_proc_gone_mid_read);
	tcase_add_test(tc, pt_gone_before_child);
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
