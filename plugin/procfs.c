/* procfs.c - read process images from /proc (or a fake tree for tests) */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "util.h"

#define NSEC_PER_SEC 1000000000LL
/* The longest cmdline read; longer ones are cut and marked truncated. */
#define PROCFS_CMDLINE_MAX (1024 * 1024)
/* The most a small file (stat, status, comm, ...) may hold. */
#define PROCFS_SMALL_MAX (64 * 1024)
/* An interpreter may itself be a script run by another: search this deep
 * in argv for the script name (binfmt_script puts it at 1 or 2). */
#define PROCFS_SCRIPT_ARGV_MAX 4
/* comm holds at most TASK_COMM_LEN - 1 bytes. */
#define PROCFS_COMM_LEN 15
/* The kernel reads this much of a file for its #! line (BINPRM_BUF_SIZE). */
#define PROCFS_SHEBANG_MAX 256
/* The name the kernel gives a file it execs through descriptor N:
 * /dev/fd/N, or /dev/fd/N/NAME for a name relative to a directory N. */
#define PROCFS_DEVFD "/dev/fd/"
/* Room for "fd/" and a descriptor number. */
#define PROCFS_FDNAME_MAX 32

struct procfs {
	char *root;
	bool fixed_boot; /* boot_ns set by the fake root or the setter */
	int64_t boot_ns; /* wall-clock time of boot, when fixed */
	long hz;	 /* sysconf(_SC_CLK_TCK) */
};

/* Read "btime N" from ROOT/stat, as a fake tree can provide it. */
static void read_btime(struct procfs *pfs)
{
	char path[PATH_MAX], line[256];
	long long bt;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/stat", pfs->root) >=
	    (int)sizeof(path))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "btime %lld", &bt) == 1 && bt >= 0) {
			pfs->fixed_boot = true;
			pfs->boot_ns = bt * NSEC_PER_SEC;
			break;
		}
	}
	fclose(f);
}

/*
 * Create a reader for root (NULL: "/proc"). The real /proc takes its boot
 * time from the clocks at every conversion; any other root reads ROOT/stat.
 * Returns NULL on ENOMEM; free with procfs_free.
 */
struct procfs *procfs_create(const char *root)
{
	struct procfs *pfs;
	size_t n;

	pfs = calloc(1, sizeof(*pfs));
	if (!pfs)
		return NULL;
	pfs->root = strdup(root ? root : "/proc");
	if (!pfs->root) {
		free(pfs);
		return NULL;
	}
	n = strlen(pfs->root);
	while (n > 1 && pfs->root[n - 1] == '/')
		pfs->root[--n] = '\0';
	pfs->hz = sysconf(_SC_CLK_TCK);
	if (pfs->hz <= 0)
		pfs->hz = 100;
	if (strcmp(pfs->root, "/proc") != 0)
		read_btime(pfs);
	return pfs;
}

/* Free pfs; procfs_free(NULL) is safe. */
void procfs_free(struct procfs *pfs)
{
	if (!pfs)
		return;
	free(pfs->root);
	free(pfs);
}

/* Fix the boot time, for tests (see procfs.h). */
void procfs_set_boot_time(struct procfs *pfs, int64_t sec, long nsec)
{
	pfs->fixed_boot = true;
	pfs->boot_ns = sec * NSEC_PER_SEC + nsec;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

/* Wall-clock time of boot in ns. Recomputed every call, so that a clock
 * step after start-up does not skew later conversions. */
static int boot_ns(const struct procfs *pfs, int64_t *ns)
{
	struct timespec real, boot;

	if (pfs->fixed_boot) {
		*ns = pfs->boot_ns;
		return 0;
	}
	if (clock_gettime(CLOCK_REALTIME, &real) != 0 ||
	    clock_gettime(CLOCK_BOOTTIME, &boot) != 0)
		return -1;
	*ns = ts_ns(&real) - ts_ns(&boot);
	return 0;
}

/* Convert an event time to ticks after boot (see procfs.h). */
int procfs_time_to_ticks(struct procfs *pfs, int64_t sec, uint32_t msec,
			 uint64_t *ticks)
{
	int64_t b, d;

	if (boot_ns(pfs, &b) != 0)
		return -1;
	d = sec * NSEC_PER_SEC + (int64_t)msec * 1000000 - b;
	if (d < 0) {
		*ticks = 0;
		return 0;
	}
	*ticks =
		(uint64_t)(d / NSEC_PER_SEC) * (uint64_t)pfs->hz +
		(uint64_t)(d % NSEC_PER_SEC) * (uint64_t)pfs->hz / NSEC_PER_SEC;
	return 0;
}

/* Convert ticks after boot to wall time (see procfs.h). */
int procfs_ticks_to_time(struct procfs *pfs, uint64_t ticks, int64_t *sec,
			 uint32_t *msec)
{
	int64_t b, ns;

	if (boot_ns(pfs, &b) != 0)
		return -1;
	ns = b + (int64_t)(ticks / (uint64_t)pfs->hz) * NSEC_PER_SEC +
	     (int64_t)(ticks % (uint64_t)pfs->hz) * NSEC_PER_SEC / pfs->hz;
	*sec = ns / NSEC_PER_SEC;
	*msec = (uint32_t)(ns % NSEC_PER_SEC / 1000000);
	return 0;
}

/* Open root/PID as a directory. On the real /proc the descriptor pins that
 * very process: if it exits and the pid is reused, reads through it fail
 * instead of returning the new process. */
static int open_pid(const struct procfs *pfs, pid_t pid)
{
	char path[PATH_MAX];

	if (pid <= 0 || snprintf(path, sizeof(path), "%s/%d", pfs->root,
				 (int)pid) >= (int)sizeof(path)) {
		errno = ENOENT;
		return -1;
	}
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/*
 * Read all of dfd/name, at most max bytes, NUL-terminated. *lenp gets the
 * length; *cut is set when the file held more. Returns NULL on error.
 */
static char *read_at(int dfd, const char *name, size_t max, size_t *lenp,
		     bool *cut)
{
	size_t len = 0, cap = 512;
	char *buf, *nb;
	ssize_t r;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	if (!buf)
		goto fail;
	if (cut)
		*cut = false;
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				char c;

				if (cut && read(fd, &c, 1) == 1)
					*cut = true;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				goto fail;
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* readlink dfd/name into a new string, without a " (deleted)" suffix.
 * Returns NULL when the link cannot be read. */
static char *readlink_dup(int dfd, const char *name)
{
	static const char deleted[] = " (deleted)";
	size_t cap = 256, n, dl = sizeof(deleted) - 1;
	char *buf, *nb;
	ssize_t r;

	buf = malloc(cap);
	if (!buf)
		return NULL;
	for (;;) {
		r = readlinkat(dfd, name, buf, cap);
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)r < cap)
			break;
		if (cap >= 16 * PATH_MAX) {
			free(buf);
			return NULL;
		}
		cap *= 2;
		nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			return NULL;
		}
		buf = nb;
	}
	n = (size_t)r;
	buf[n] = '\0';
	if (n > dl && memcmp(buf + n - dl, deleted, dl) == 0)
		buf[n - dl] = '\0';
	return buf;
}

/*
 * Parse /proc/PID/stat: "pid (comm) state ppid ... starttime ...". comm may
 * hold spaces and parentheses, so fields are counted after the last ')'.
 * *state (when not NULL) gets the state letter. Returns 0, or -1 if the
 * line is malformed.
 */
static int parse_stat(const char *buf, pid_t *ppid, uint64_t *start,
		      char *state)
{
	const char *p = strrchr(buf, ')');
	unsigned long long v;
	long pp = 0;
	int field;
	char *end;

	if (!p)
		return -1;
	p++;
	/* the token after ')' is field 3 (state) */
	for (field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (field == 3 && state) {
			*state = *p;
		} else if (field == 4) {
			pp = strtol(p, &end, 10);
			if (end == p)
				return -1;
			p = end;
		} else if (field == 22) {
			if (!isdigit((unsigned char)*p))
				return -1;
			errno = 0;
			v = strtoull(p, &end, 10);
			if (errno)
				return -1;
			*start = v;
		}
		while (*p && *p != ' ')
			p++;
	}
	if (ppid)
		*ppid = (pid_t)pp;
	return 0;
}

/* Read and parse dfd/stat. Returns 0 or -1. */
static int stat_at(int dfd, pid_t *ppid, uint64_t *start, char *state)
{
	char *buf;
	int ret;

	buf = read_at(dfd, "stat", PROCFS_SMALL_MAX, NULL, NULL);
	if (!buf)
		return -1;
	ret = parse_stat(buf, ppid, start, state);
	free(buf);
	return ret;
}

/* Start time of PID in ticks after boot (see procfs.h). */
int procfs_start_ticks(struct procfs *pfs, pid_t pid, uint64_t *ticks)
{
	int dfd, ret;

	dfd = open_pid(pfs, pid);
	if (dfd < 0)
		return -1;
	ret = stat_at(dfd, NULL, ticks, NULL);
	close(dfd);
	return ret;
}

/* Take PPid and the real and effective Uid from /proc/PID/status. */
static void parse_status(const char *buf, struct image *img)
{
	const char *line = buf;
	unsigned long r, e;
	long pp;

	while (line && *line) {
		if (sscanf(line, "PPid: %ld", &pp) == 1) {
			img->ppid = (pid_t)pp;
		} else if (sscanf(line, "Uid: %lu %lu", &r, &e) == 2) {
			img->uid = (uid_t)r;
			img->euid = (uid_t)e;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

/* Read a single unsigned number from dfd/name, or return dflt. */
static unsigned long read_ulong(int dfd, const char *name, unsigned long dflt)
{
	unsigned long v;
	char *buf, *end;

	buf = read_at(dfd, name, 64, NULL, NULL);
	if (!buf)
		return dflt;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf)
		v = dflt;
	free(buf);
	return v;
}

/* Split a NUL-separated cmdline into a NULL-terminated argv. Every
 * NUL-terminated piece is one argument (empty ones too); a last piece
 * without its NUL (a rewritten title) counts as well. */
static char **split_cmdline(const char *buf, size_t len, size_t *argcp)
{
	size_t argc = 0, i, start, k = 0;
	char **argv;

	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			argc++;
	if (len && buf[len - 1] != '\0')
		argc++;
	argv = calloc(argc + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	for (start = 0; k < argc; k++) {
		size_t n = strnlen(buf + start, len - start);

		argv[k] = strndup(buf + start, n);
		if (!argv[k]) {
			while (k--)
				free(argv[k]);
			free(argv);
			return NULL;
		}
		start += n + 1;
	}
	*argcp = argc;
	return argv;
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Whether comm is what the kernel makes of a file named path: the first
 * 15 bytes of its basename. */
static bool comm_matches(const char *path, const char *comm)
{
	const char *b = base_of(path);
	size_t bl = strlen(b), cl = strlen(comm);

	if (cl == 0 || bl < cl || memcmp(b, comm, cl) != 0)
		return false;
	return bl == cl || cl >= PROCFS_COMM_LEN;
}

/*
 * Find the script of a #! exec in argv. The kernel names the task after the
 * file given to execve (comm), and binfmt_script makes argv the interpreter,
 * its optional argument, then that file. So: argv[0] is not named comm, and
 * a later element (within a few, for nested interpreters) is. An explicit
 * "/bin/sh script" keeps comm "sh", which argv[0] matches: there the
 * interpreter itself is what was executed, as the audit stream reports it.
 * Returns the index, or 0 when this is no script.
 */
static size_t script_index(char *const *argv, size_t argc, const char *comm)
{
	size_t i;

	if (!comm || argc < 2 || comm_matches(argv[0], comm))
		return 0;
	for (i = 1; i < argc && i <= PROCFS_SCRIPT_ARGV_MAX; i++)
		if (argv[i][0] && comm_matches(argv[i], comm))
			return i;
	return 0;
}

/* Whether path ends with "/" followed by tail. */
static bool ends_with_component(const char *path, const char *tail)
{
	size_t pl = strlen(path), tl = strlen(tail);

	return pl > tl && path[pl - tl - 1] == '/' &&
	       strcmp(path + pl - tl, tail) == 0;
}

/*
 * A script run by a relative path, from a cwd the process may have left
 * since: find the file among its open descriptors (bash keeps its script
 * on fd 255, dash on fd 10 and up). rel is the cleaned relative path; a
 * descriptor whose target ends with it (or, for "../x", with its basename)
 * matches, the highest first. Returns a new string with *fdp set to that
 * descriptor, or NULL.
 */
static char *script_from_fds(int dfd, const char *rel, long *fdp)
{
	const char *tail = rel;
	char *best = NULL, *target;
	long bestfd = -1, fd;
	struct dirent *de;
	int fdd;
	DIR *d;

	while (strncmp(tail, "../", 3) == 0)
		tail += 3;
	if (strcmp(tail, "..") == 0 || !*tail)
		return NULL;
	fdd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0)
		return NULL;
	d = fdopendir(fdd);
	if (!d) {
		close(fdd);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		fd = strtol(de->d_name, NULL, 10);
		if (fd <= bestfd)
			continue;
		target = readlink_dup(fdd, de->d_name);
		if (target && target[0] == '/' &&
		    ends_with_component(target, tail)) {
			free(best);
			best = target;
			bestfd = fd;
		} else {
			free(target);
		}
	}
	closedir(d);
	*fdp = bestfd;
	return best;
}

/* The path descriptor fd of the process at dfd names, when it names one
 * (not a pipe, socket or anonymous inode); a new string, or NULL. */
static char *fd_target(int dfd, long fd)
{
	char name[PROCFS_FDNAME_MAX];
	char *target;

	if (fd < 0 ||
	    snprintf(name, sizeof(name), "fd/%ld", fd) >= (int)sizeof(name))
		return NULL;
	target = readlink_dup(dfd, name);
	if (target && target[0] != '/') {
		free(target);
		return NULL;
	}
	return target;
}

/*
 * arg as the kernel writes a file it ran through a descriptor N of the
 * process: /dev/fd/N or /dev/fd/N/REST. Returns N with *rest pointing at
 * REST ("" for none), or -1 for any other string.
 */
static long devfd_number(const char *arg, const char **rest)
{
	size_t pl = strlen(PROCFS_DEVFD), n;
	unsigned long long v;
	char num[PROCFS_FDNAME_MAX];

	if (strncmp(arg, PROCFS_DEVFD, pl) != 0)
		return -1;
	n = strcspn(arg + pl, "/");
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, arg + pl, n);
	num[n] = '\0';
	if (parse_ull(num, 10, &v) < 0 || v > INT_MAX)
		return -1;
	*rest = arg[pl + n] ? arg + pl + n + 1 : "";
	return (long)v;
}

/*
 * Whether the file at atfd/name is a #! script whose interpreter, looked
 * up in the process's root (rootfd), is the file the process runs (its
 * exe): what the kernel's rewrite of argv implies, and what argv and comm,
 * which any process can set, cannot fake.
 */
static bool runs_script(int dfd, int rootfd, int atfd, const char *name)
{
	char line[PROCFS_SHEBANG_MAX + 1], *interp;
	struct stat st, se;
	ssize_t n;
	int fd;

	fd = openat(atfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return false;
	}
	n = read(fd, line, PROCFS_SHEBANG_MAX);
	close(fd);
	if (n < 3 || line[0] != '#' || line[1] != '!')
		return false;
	line[n] = '\0';
	interp = line + 2 + strspn(line + 2, " \t");
	interp[strcspn(interp, " \t\n")] = '\0';
	if (interp[0] != '/' || fstatat(dfd, "exe", &se, 0) != 0)
		return false;
	if (!interp[1] || fstatat(rootfd, interp + 1, &st, 0) != 0)
		return false;
	return st.st_dev == se.st_dev && st.st_ino == se.st_ino;
}

/*
 * Whether the script at path passes runs_script: opened through the
 * process's descriptor fd (and rest, a name in that directory) when fd >= 0,
 * else in its root. A tree without PID/root (a fake /proc, whose files are
 * not there) passes unchecked.
 */
static bool script_checks(int dfd, long fd, const char *rest, const char *path)
{
	char name[PROCFS_FDNAME_MAX];
	int rootfd, atfd;
	bool ok = false;

	rootfd = openat(dfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return errno == ENOENT;
	if (fd < 0) {
		ok = path[0] == '/' && path[1] &&
		     runs_script(dfd, rootfd, rootfd, path + 1);
	} else if (snprintf(name, sizeof(name), "fd/%ld", fd) <
		   (int)sizeof(name)) {
		if (!*rest) {
			ok = runs_script(dfd, rootfd, dfd, name);
		} else {
			atfd = openat(dfd, name,
				      O_PATH | O_DIRECTORY | O_CLOEXEC);
			ok = atfd >= 0 && runs_script(dfd, rootfd, atfd, rest);
			if (atfd >= 0)
				close(atfd);
		}
	}
	close(rootfd);
	return ok;
}

/*
 * Where the script named by argv[si] is, made absolute: the file behind
 * /dev/fd/N (the kernel's name for a script run through a descriptor), its
 * open descriptor (for a relative name), or the name against the cwd
 * (which need not be the one it was started from). Sets *out to a new
 * string, or to NULL when that is no script the process runs (see
 * runs_script). Returns 0, or -1 on ENOMEM.
 */
static int script_path(const struct image *img, int dfd, size_t si, char **out)
{
	const char *arg = img->args[si], *rest = "";
	long fd = devfd_number(arg, &rest);
	char *path, *rel, *dir;

	*out = NULL;
	if (fd >= 0) {
		/* a descriptor closed since leaves nothing to check */
		dir = fd_target(dfd, fd);
		if (!dir)
			return 0;
		path = *rest ? image_clean_path(rest, dir) : strdup(dir);
		free(dir);
	} else if (arg[0] != '/') {
		rel = image_clean_path(arg, NULL);
		if (!rel)
			return -1;
		path = script_from_fds(dfd, rel, &fd);
		free(rel);
		if (!path)
			path = image_clean_path(arg, img->cwd);
	} else {
		path = strdup(arg);
	}
	if (!path)
		return -1;
	if (script_checks(dfd, fd, rest, path))
		*out = path;
	else
		free(path);
	return 0;
}

/*
 * Fill executable and interpreter from exe, argv, comm and cwd: the script
 * of a #! exec (see script_path), else exe.
 */
static int set_executable(struct image *img, int dfd)
{
	size_t si = script_index(img->args, img->argc, img->comm);
	const char *interp;
	char *script = NULL;
	int ret;

	if (si && script_path(img, dfd, si, &script) < 0)
		return -1;
	if (script) {
		interp = img->exe ? img->exe : img->args[0];
		if (strchr(interp, '/'))
			img->interpreter = image_clean_path(interp, img->cwd);
		else
			img->interpreter = strdup(interp);
		ret = img->interpreter
			      ? image_set_executable(img, script, img->cwd)
			      : -1;
		free(script);
		return ret;
	}
	if (img->exe)
		return image_set_executable(img, img->exe, NULL);
	/* exe unreadable (a kernel thread, or no privilege): argv[0] only
	 * when it is a path */
	if (img->argc && strchr(img->args[0], '/'))
		return image_set_executable(img, img->args[0], img->cwd);
	return 0;
}

/* Read /proc/PID into a new image (see procfs.h). */
struct image *procfs_read(struct procfs *pfs, pid_t pid)
{
	struct image *img = NULL;
	size_t len = 0, argc = 0;
	char *buf = NULL, **argv;
	bool cut = false;
	int dfd;

	dfd = open_pid(pfs, pid);
	if (dfd < 0)
		return NULL;
	img = image_new();
	if (!img)
		goto fail;
	img->pid = pid;
	img->success = true;
	img->source = IMAGE_SRC_PROC;
	img->auid = (uid_t)-1;
	img->session = (uint32_t)-1;
	if (stat_at(dfd, &img->ppid, &img->start_ticks, NULL) != 0)
		goto fail;
	if (procfs_ticks_to_time(pfs, img->start_ticks, &img->sec,
				 &img->msec) != 0)
		img->sec = 0;

	buf = read_at(dfd, "status", PROCFS_SMALL_MAX, NULL, NULL);
	if (buf)
		parse_status(buf, img);
	free(buf);
	buf = NULL;
	img->auid = (uid_t)read_ulong(dfd, "loginuid", (uid_t)-1);
	img->session = (uint32_t)read_ulong(dfd, "sessionid", (uint32_t)-1);

	buf = read_at(dfd, "comm", PROCFS_SMALL_MAX, &len, NULL);
	if (buf) {
		if (len && buf[len - 1] == '\n')
			buf[len - 1] = '\0';
		img->comm = buf;
		buf = NULL;
	}

	buf = read_at(dfd, "cmdline", PROCFS_CMDLINE_MAX, &len, &cut);
	if (buf) {
		argv = split_cmdline(buf, len, &argc);
		if (!argv || image_set_args(img, argv, argc) != 0)
			goto fail;
		if (cut)
			img->flags |= IMAGE_ARGS_TRUNCATED;
		free(buf);
		buf = NULL;
	}

	img->exe = readlink_dup(dfd, "exe");
	img->cwd = readlink_dup(dfd, "cwd");
	if (set_executable(img, dfd) != 0)
		goto fail;

	/* a pid reused while we read shows a different start time; a
	 * process that exited (a zombie, its cmdline and exe gone) may have
	 * left us only part of itself */
	{
		uint64_t again;
		char state;

		if (stat_at(dfd, NULL, &again, &state) != 0 ||
		    again != img->start_ticks || state == 'Z' || state == 'X' ||
		    state == 'x')
			goto fail;
	}
	close(dfd);
	return img;
fail:
	free(buf);
	image_free(img);
	close(dfd);
	return NULL;
}

/* The path behind descriptor fd of pid (see procfs.h). */
char *procfs_fd_path(struct procfs *pfs, pid_t pid, int fd,
		     uint64_t *start_ticks)
{
	char *target = NULL;
	uint64_t st;
	int dfd;

	dfd = open_pid(pfs, pid);
	if (dfd < 0)
		return NULL;
	/* through the pinned directory: a reused pid fails, never answers */
	if (stat_at(dfd, NULL, &st, NULL) == 0)
		target = fd_target(dfd, fd);
	close(dfd);
	if (target && start_ticks)
		*start_ticks = st;
	return target;
}

/* Call fn for every numeric entry under root (see procfs.h). */
int procfs_foreach(struct procfs *pfs, int (*fn)(pid_t pid, void *arg),
		   void *arg)
{
	struct dirent *de;
	const char *p;
	long v;
	DIR *d;

	d = opendir(pfs->root);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		for (p = de->d_name; isdigit((unsigned char)*p); p++)
			;
		if (*p || p == de->d_name)
			continue;
		v = strtol(de->d_name, NULL, 10);
		if (v <= 0 || v > INT_MAX)
			continue;
		if (fn((pid_t)v, arg) != 0)
			break;
	}
	closedir(d);
	return 0;
}
