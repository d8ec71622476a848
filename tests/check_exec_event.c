/* check_exec_event.c - unit tests for exec_event.c: exec and fork events */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <auparse.h>

#include "exec_event.h"
#include "image.h"

/* ------------------------------------------------------------ helpers */

/* A growable string for building records. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void hex_of(struct sbuf *b, const char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_add(b, "%02X", (unsigned char)bytes[i]);
}

/* A deterministic test argument of n bytes: a..z repeated. */
static char *pattern(size_t n)
{
	char *s = malloc(n + 1);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	s[n] = '\0';
	return s;
}

/* The options parse_events passes to exec_event_parse (NULL: defaults). */
static const struct exec_event_opts *test_opts;

/* The node names of the events parse_events keeps: auparse's own are
 * valid only until its next event. */
#define MAX_KEPT 8
#define NODE_MAX 512
static char kept_node[MAX_KEPT][NODE_MAX];

/* Parse every event of text (audit.log lines) with auparse's buffer
 * source; keep the results of the first max (at most MAX_KEPT) events in
 * ev[]. Returns the number of events; rc[] gets each exec_event_parse
 * result. */
static int parse_events(const char *text, struct exec_event *ev, int *rc,
			int max, struct exec_event_stats *st)
{
	auparse_state_t *au = auparse_init(AUSOURCE_BUFFER, text);
	int n = 0;

	ck_assert_ptr_nonnull(au);
	ck_assert_int_le(max, MAX_KEPT);
	while (auparse_next_event(au) > 0) {
		struct exec_event tmp;
		int r = exec_event_parse(au, &tmp, st, test_opts);

		if (n < max) {
			ev[n] = tmp;
			rc[n] = r;
			if (tmp.node) {
				ck_assert_uint_lt(strlen(tmp.node), NODE_MAX);
				strcpy(kept_node[n], tmp.node);
				ev[n].node = kept_node[n];
			}
		} else {
			image_free(tmp.image);
		}
		n++;
	}
	auparse_destroy(au);
	return n;
}

/* Parse text holding exactly one event; returns exec_event_parse's result. */
static int parse_one(const char *text, struct exec_event *ev,
		     struct exec_event_stats *st)
{
	int rc = -2;

	ck_assert_int_eq(parse_events(text, ev, &rc, 1, st), 1);
	return rc;
}

#define EX_SYSCALL(serial, sc, rest)                                           \
	"type=SYSCALL msg=audit(1700000000.123:" serial "): arch=c000003e "    \
	"syscall=" sc " " rest "\n"

/* A usual successful execve's SYSCALL record fields after syscall= */
#define OK_FIELDS(items, comm, exe)                                            \
	"success=yes exit=0 a0=55d6ff1f8200 a1=55d6ff1f8680 "                  \
	"a2=55d6ff1f5270 a3=0 items=" items " ppid=100 pid=200 auid=1000 "     \
	"uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 "    \
	"ses=3 comm=" comm " exe=" exe " key=\"exec\""

/* ------------------------------------------------------------ events */

START_TEST(test_event_basic_raw)
{
	static const char text[] = EX_SYSCALL(
		"42", "59",
		OK_FIELDS(
			"2", "\"dracut\"",
			"\"/usr/bin/dracut\"")) "type=EXECVE "
						"msg=audit(1700000000.123:42): "
						"argc=3 "
						"a0=\"dracut\" a1=\"--force\" "
						"a2=\"/boot/initrd.img\"\n"
						"type=CWD "
						"msg=audit(1700000000.123:42): "
						"cwd=\"/root\"\n"
						"type=PATH "
						"msg=audit(1700000000.123:42): "
						"item=0 "
						"name=\"/usr/bin/dracut\" "
						"inode=1 dev=08:01 "
						"mode=0100755 ouid=0 "
						"ogid=0 rdev=00:00 "
						"nametype=NORMAL cap_fp=0 "
						"cap_fi=0 cap_fe=0 "
						"cap_fver=0\n"
						"type=PATH "
						"msg=audit(1700000000.123:42): "
						"item=1 "
						"name=\"/lib64/"
						"ld-linux-x86-64.so.2\" "
						"inode=2 dev=08:01 "
						"mode=0100755 ouid=0 ogid=0 "
						"rdev=00:00 nametype=NORMAL\n"
						"type=PROCTITLE "
						"msg=audit(1700000000.123:42): "
						"proctitle=64726163757400\n"
						"type=EOE "
						"msg=audit(1700000000.123:42): "
						"\n";
	struct exec_event_stats st = {0};
	struct exec_event ev;
	struct image *img;

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	img = ev.image;
	ck_assert_ptr_nonnull(img);
	ck_assert(img->success);
	ck_assert_int_eq(img->pid, 200);
	ck_assert_int_eq(img->ppid, 100);
	ck_assert_uint_eq(img->uid, 0);
	ck_assert_uint_eq(img->euid, 0);
	ck_assert_uint_eq(img->auid, 1000);
	ck_assert_uint_eq(img->session, 3);
	ck_assert_str_eq(img->tty, "pts0");
	ck_assert_str_eq(img->comm, "dracut");
	ck_assert_str_eq(img->exe, "/usr/bin/dracut");
	ck_assert_str_eq(img->key, "exec");
	ck_assert_int_eq(img->sec, 1700000000);
	ck_assert_uint_eq(img->msec, 123);
	ck_assert_uint_eq(img->serial, 42);
	ck_assert_int_eq(ev.sec, 1700000000);
	ck_assert_uint_eq(ev.serial, 42);
	ck_assert_int_eq(img->syscall, 59);
	ck_assert_str_eq(img->cwd, "/root");
	ck_assert_str_eq(img->executable, "/usr/bin/dracut");
	ck_assert_str_eq(img->name, "dracut");
	ck_assert_ptr_null(img->interpreter);
	ck_assert_uint_eq(img->argc, 3);
	ck_assert_str_eq(img->args[2], "/boot/initrd.img");
	ck_assert_str_eq(img->command_line, "dracut --force /boot/initrd.img");
	/* a RAW record names no user, and by default none is looked up */
	ck_assert_ptr_null(img->user_name);
	ck_assert_uint_eq(img->flags & ~IMAGE_PACKED, 0);
	/* one allocation, strings and all */
	ck_assert_uint_ne(img->flags & IMAGE_PACKED, 0);
	ck_assert_int_eq(img->source, IMAGE_SRC_STREAM);
	ck_assert_uint_eq(st.events, 1);
	ck_assert_uint_eq(st.execs, 1);
	ck_assert_uint_eq(st.malformed, 0);
	ck_assert_uint_eq(st.args_truncated, 0);
	/* no node= prefix: no node */
	ck_assert_ptr_null(ev.node);
	image_free(img);
}
END_TEST

/* One execve with PATH item 0 name (raw field text) in cwd (raw). */
static struct image *exec_with_path(const char *name, const char *cwd,
				    const char *exe)
{
	char text[2048];
	struct exec_event ev;
	struct exec_event_stats st = {0};

	snprintf(text, sizeof(text),
		 "type=SYSCALL msg=audit(1700000001.000:7): arch=c000003e "
		 "syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 "
		 "ppid=1 pid=2 auid=1000 uid=1000 gid=1000 euid=1000 "
		 "suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 "
		 "tty=(none) ses=4294967295 comm=\"x\" exe=%s key=(null)\n"
		 "type=EXECVE msg=audit(1700000001.000:7): argc=1 a0=\"x\"\n"
		 "type=CWD msg=audit(1700000001.000:7): cwd=%s\n"
		 "type=PATH msg=audit(1700000001.000:7): item=0 name=%s "
		 "inode=5 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 "
		 "nametype=NORMAL\n",
		 exe, cwd, name);
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_ptr_nonnull(ev.image);
	ck_assert_ptr_null(ev.image->tty);
	ck_assert_ptr_null(ev.image->key);
	ck_assert_uint_eq(ev.image->session, 4294967295U);
	return ev.image;
}

START_TEST(test_event_relative_paths)
{
	struct image *img;

	/* plain relative name */
	img = exec_with_path("\"bin/tool\"", "\"/home/u/src\"",
			     "\"/home/u/src/bin/tool\"");
	ck_assert_str_eq(img->executable, "/home/u/src/bin/tool");
	ck_assert_str_eq(img->name, "tool");
	ck_assert_ptr_null(img->interpreter);
	image_free(img);

	/* ./ */
	img = exec_with_path("\"./a.out\"", "\"/tmp\"", "\"/tmp/a.out\"");
	ck_assert_str_eq(img->executable, "/tmp/a.out");
	ck_assert_str_eq(img->name, "a.out");
	ck_assert_ptr_null(img->interpreter);
	image_free(img);

	/* ../ and a detour */
	img = exec_with_path("\"../scripts/../bin//tool\"",
			     "\"/home/u/src/build\"",
			     "\"/home/u/src/bin/tool\"");
	ck_assert_str_eq(img->executable, "/home/u/src/bin/tool");
	ck_assert_str_eq(img->name, "tool");
	ck_assert_ptr_null(img->interpreter);
	image_free(img);

	/* an absolute name ignores cwd and is cleaned */
	img = exec_with_path("\"/usr/./sbin/../bin/dracut\"", "\"/tmp\"",
			     "\"/usr/bin/dracut\"");
	ck_assert_str_eq(img->executable, "/usr/bin/dracut");
	ck_assert_ptr_null(img->interpreter);
	image_free(img);

	/* hex-encoded cwd and name ("/tmp/my dir" and "./a b") */
	img = exec_with_path("2E2F612062", "2F746D702F6D7920646972",
			     "2F746D702F6D79206469722F612062");
	ck_assert_str_eq(img->cwd, "/tmp/my dir");
	ck_assert_str_eq(img->exe, "/tmp/my dir/a b");
	ck_assert_str_eq(img->executable, "/tmp/my dir/a b");
	ck_assert_str_eq(img->name, "a b");
	ck_assert_ptr_null(img->interpreter);
	image_free(img);
}
END_TEST

START_TEST(test_event_script)
{
	/* a #! script: the kernel rewrites argv to the interpreter's, PATH
	 * item 0 is the script, item 1 the interpreter, exe= the interpreter
	 * binary */
	static const char text[] =
		"type=SYSCALL msg=audit(1700000002.500:9): arch=c000003e "
		"syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=3 "
		"ppid=10 pid=11 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=(none) ses=1 "
		"comm=\"50-dracut.insta\" "
		"exe=\"/usr/bin/bash\" key=\"exec\"\n"
		"type=EXECVE msg=audit(1700000002.500:9): argc=4 "
		"a0=\"/bin/bash\" a1=\"./50-dracut.install\" a2=\"add\" "
		"a3=\"6.1.0\"\n"
		"type=CWD msg=audit(1700000002.500:9): "
		"cwd=\"/usr/lib/kernel/install.d\"\n"
		"type=PATH msg=audit(1700000002.500:9): item=0 "
		"name=\"./50-dracut.install\" inode=3 dev=08:01 mode=0100755 "
		"ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n"
		"type=PATH msg=audit(1700000002.500:9): item=1 "
		"name=\"/bin/bash\" inode=4 dev=08:01 mode=0100755 ouid=0 "
		"ogid=0 "
		"rdev=00:00 nametype=NORMAL\n"
		"type=PATH msg=audit(1700000002.500:9): item=2 "
		"name=\"/lib64/ld-linux-x86-64.so.2\" inode=2 dev=08:01 "
		"mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_str_eq(ev.image->executable,
			 "/usr/lib/kernel/install.d/50-dracut.install");
	ck_assert_str_eq(ev.image->name, "50-dracut.install");
	ck_assert_str_eq(ev.image->interpreter, "/usr/bin/bash");
	ck_assert_str_eq(ev.image->exe, "/usr/bin/bash");
	ck_assert_str_eq(ev.image->comm, "50-dracut.insta");
	ck_assert_str_eq(ev.image->command_line,
			 "/bin/bash ./50-dracut.install add 6.1.0");
	ck_assert_uint_eq(ev.image->msec, 500);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_no_path)
{
	/* no CWD, no PATH: the executable is exe= */
	static const char text[] =
		"type=SYSCALL msg=audit(1628602815.266:2365): arch=c000003e "
		"syscall=59 success=yes exit=0 a0=2557470 a1=247b510 "
		"a2=2565820 a3=5bb items=2 ppid=3193 pid=6382 auid=1000 uid=0 "
		"gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 "
		"ses=1 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"filter-this\"\n"
		"type=EXECVE msg=audit(1628602815.266:2365): argc=2 a0=\"cat\" "
		"a1=\"/etc/hosts\"\n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_str_eq(ev.image->executable, "/usr/bin/cat");
	ck_assert_str_eq(ev.image->name, "cat");
	ck_assert_ptr_null(ev.image->interpreter);
	ck_assert_ptr_null(ev.image->cwd);
	ck_assert_str_eq(ev.image->key, "filter-this");
	ck_assert_str_eq(ev.image->command_line, "cat /etc/hosts");
	ck_assert_uint_eq(ev.image->flags & ~IMAGE_PACKED, 0);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_no_execve_record)
{
	/* a successful exec without its EXECVE record: args unknown */
	static const char text[] =
		"type=SYSCALL msg=audit(1628602815.266:2365): arch=c000003e "
		"syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 "
		"ppid=3193 pid=6382 auid=1000 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"cat\" "
		"exe=\"/usr/bin/cat\" key=(null)\n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_uint_eq(ev.image->argc, 0);
	ck_assert_ptr_null(ev.image->command_line);
	ck_assert_uint_eq(ev.image->flags & ~IMAGE_PACKED,
			  IMAGE_ARGS_TRUNCATED);
	ck_assert_uint_eq(st.args_truncated, 1);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_execveat)
{
	struct exec_event ev;
	struct exec_event_stats st = {0};
	char text[2048];
	static const char fmt[] =
		"type=SYSCALL msg=audit(1700000003.000:11): arch=c000003e "
		"syscall=322 success=yes exit=0 a0=%s a1=2 a2=3 a3=1000 "
		"items=2 "
		"ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 "
		"sgid=0 fsgid=0 tty=(none) ses=1 comm=\"tool\" "
		"exe=\"/opt/bin/tool\" key=(null)\n"
		"type=EXECVE msg=audit(1700000003.000:11): argc=1 a0=\"tool\"\n"
		"type=CWD msg=audit(1700000003.000:11): cwd=\"/home\"\n"
		"type=PATH msg=audit(1700000003.000:11): item=0 name=%s "
		"inode=5 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 "
		"nametype=NORMAL\n";

	/* AT_EMPTY_PATH on an fd: empty name, exe= names the file */
	snprintf(text, sizeof(text), fmt, "3", "\"\"");
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_int_eq(ev.image->syscall, 322);
	ck_assert_str_eq(ev.image->executable, "/opt/bin/tool");
	ck_assert_ptr_null(ev.image->interpreter);
	image_free(ev.image);

	/* a name relative to a directory fd, not to cwd: exe= */
	snprintf(text, sizeof(text), fmt, "5", "\"tool\"");
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_str_eq(ev.image->executable, "/opt/bin/tool");
	image_free(ev.image);

	/* relative to AT_FDCWD (-100): resolved against cwd */
	snprintf(text, sizeof(text), fmt, "ffffffffffffff9c", "\"bin/x\"");
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_str_eq(ev.image->executable, "/home/bin/x");
	/* exe= differs (bin/x is a link to tool) but argv was not rewritten
	 * to an interpreter's: no script, so no interpreter */
	ck_assert_ptr_null(ev.image->interpreter);
	ck_assert_int_eq(ev.fd_kind, EXEC_FD_NONE);
	ck_assert_int_eq(ev.fd, -1);
	image_free(ev.image);
}
END_TEST

/*
 * One execveat(2) through a descriptor, shaped as tests/fixtures/
 * execveat-raw.log records them: a0 (hex), PATH item 0's name, success,
 * exe=, the EXECVE arguments and PATH item 1 (NULL: only the loader). The
 * executable, name, interpreter and descriptor it must give were worked
 * out by hand from exec_path.h's rules.
 */
struct fd_case {
	const char *what, *a0, *name, *success, *exe, *execve, *path1;
	const char *executable, *img_name, *interpreter;
	enum exec_fd kind;
	int fd;
};

static const struct fd_case fd_cases[] = {
	{"a #! script by dirfd: the kernel's /dev/fd/N/NAME", "4", "dracut",
	 "yes", "/usr/bin/bash",
	 "argc=4 a0=\"/bin/bash\" a1=\"-p\" a2=\"/dev/fd/4/dracut\" "
	 "a3=\"--help\"",
	 "/bin/bash", "/dev/fd/4/dracut", "dracut", "/usr/bin/bash",
	 EXEC_FD_DIR, 4},
	{"#!/bin/sh with the script as argv[1]", "5", "build-initrd", "yes",
	 "/usr/bin/dash", "argc=2 a0=\"/bin/sh\" a1=\"/dev/fd/5/build-initrd\"",
	 "/bin/sh", "/dev/fd/5/build-initrd", "build-initrd", "/usr/bin/dash",
	 EXEC_FD_DIR, 5},
	{"a binary by dirfd: exe=, which ends in NAME", "4", "true", "yes",
	 "/usr/bin/true", "argc=1 a0=\"true\"", NULL, "/usr/bin/true", "true",
	 NULL, EXEC_FD_DIR, 4},
	{"a binary reached through a link: NAME must stay the name", "4",
	 "dracut", "yes", "/opt/real/mkinitrd", "argc=1 a0=\"dracut\"", NULL,
	 "/dev/fd/4/dracut", "dracut", NULL, EXEC_FD_DIR, 4},
	{"fexecve of a #! script: nothing names the file", "6", "", "yes",
	 "/usr/bin/bash",
	 "argc=4 a0=\"/bin/bash\" a1=\"-p\" a2=\"/dev/fd/6\" "
	 "a3=\"--help\"",
	 "/bin/bash", "/dev/fd/6", "6", "/usr/bin/bash", EXEC_FD_FILE, 6},
	{"fexecve of a binary: exe= is the file", "3", "", "yes",
	 "/usr/bin/true", "argc=1 a0=\"true\"", NULL, "/usr/bin/true", "true",
	 NULL, EXEC_FD_FILE, 3},
	{"a failed exec by dirfd: exe= is the caller's", "5", "dracut", "no",
	 "/usr/bin/dracut", "argc=1 a0=\"dracut\"", NULL, "/dev/fd/5/dracut",
	 "dracut", NULL, EXEC_FD_DIR, 5},
	{"no lexical cleaning across a descriptor", "3", "../x", "yes",
	 "/usr/bin/bash", "argc=2 a0=\"/bin/sh\" a1=\"/dev/fd/3/../x\"",
	 "/bin/sh", "/dev/fd/3/../x", "x", "/usr/bin/bash", EXEC_FD_DIR, 3},
	{"AT_FDCWD as 32 bits: relative to cwd", "ffffff9c", "bin/x", "yes",
	 "/home/bin/x", "argc=1 a0=\"x\"", NULL, "/home/bin/x", "x", NULL,
	 EXEC_FD_NONE, -1},
	{"an absolute name ignores the descriptor", "4", "/usr/bin/id", "yes",
	 "/usr/bin/id", "argc=1 a0=\"id\"", NULL, "/usr/bin/id", "id", NULL,
	 EXEC_FD_NONE, -1},
};

START_TEST(test_event_execveat_fd)
{
	const struct fd_case *c = &fd_cases[_i];
	struct exec_event_stats st = {0};
	struct exec_event ev;
	char text[2048], p1[256] = "";

	if (c->path1)
		snprintf(p1, sizeof(p1),
			 "type=PATH msg=audit(1796399872.966:70712): item=1 "
			 "name=\"%s\" inode=2 dev=fe:00 mode=0100755 ouid=0 "
			 "ogid=0 rdev=00:00 nametype=NORMAL\n",
			 c->path1);
	snprintf(text, sizeof(text),
		 "type=SYSCALL msg=audit(1796399872.966:70712): arch=c000003e "
		 "syscall=322 success=%s exit=0 a0=%s a1=557869c1e03f "
		 "a2=7ffc61f52b80 a3=7ffc61f52cd8 items=3 ppid=3933 pid=3934 "
		 "auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
		 "fsgid=0 tty=(none) ses=2 comm=\"x\" exe=\"%s\" key=(null)\n"
		 "type=EXECVE msg=audit(1796399872.966:70712): %s\n"
		 "type=CWD msg=audit(1796399872.966:70712): cwd=\"/home\"\n"
		 "type=PATH msg=audit(1796399872.966:70712): item=0 "
		 "name=\"%s\" inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 "
		 "rdev=00:00 nametype=NORMAL\n%s",
		 c->success, c->a0, c->exe, c->execve, c->name, p1);
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_msg(!strcmp(ev.image->executable, c->executable),
		      "%s: executable %s, want %s", c->what,
		      ev.image->executable, c->executable);
	ck_assert_str_eq(ev.image->name, c->img_name);
	if (c->interpreter)
		ck_assert_pstr_eq(ev.image->interpreter, c->interpreter);
	else
		ck_assert_msg(!ev.image->interpreter, "%s: interpreter %s",
			      c->what, ev.image->interpreter);
	ck_assert_int_eq(ev.fd_kind, c->kind);
	ck_assert_int_eq(ev.fd, c->fd);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_script_arg_and_symlink)
{
	/* "#!/usr/bin/env python3": argv becomes env, its argument, then the
	 * script; PATH item 1 is /usr/bin/env */
	static const char env_text[] =
		"type=SYSCALL msg=audit(1700000004.000:20): arch=c000003e "
		"syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=3 "
		"ppid=10 pid=12 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"tool.py\" "
		"exe=\"/usr/bin/env\" key=(null)\n"
		"type=EXECVE msg=audit(1700000004.000:20): argc=4 "
		"a0=\"/usr/bin/env\" a1=\"python3\" a2=\"/opt/tool.py\" "
		"a3=\"-v\"\n"
		"type=CWD msg=audit(1700000004.000:20): cwd=\"/\"\n"
		"type=PATH msg=audit(1700000004.000:20): item=0 "
		"name=\"/opt/tool.py\" inode=3 dev=08:01 mode=0100755 "
		"ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n"
		"type=PATH msg=audit(1700000004.000:20): item=1 "
		"name=\"/usr/bin/env\" inode=4 dev=08:01 mode=0100755 "
		"ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n";
	/* /bin/sh is a link to dash: exe= differs from PATH item 0, but argv
	 * is the caller's, so there is no interpreter */
	static const char link_text[] =
		"type=SYSCALL msg=audit(1700000004.000:21): arch=c000003e "
		"syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 "
		"ppid=10 pid=13 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"sh\" "
		"exe=\"/usr/bin/dash\" key=(null)\n"
		"type=EXECVE msg=audit(1700000004.000:21): argc=3 a0=\"sh\" "
		"a1=\"-c\" a2=\"true\"\n"
		"type=CWD msg=audit(1700000004.000:21): cwd=\"/\"\n"
		"type=PATH msg=audit(1700000004.000:21): item=0 "
		"name=\"/bin/sh\" inode=3 dev=08:01 mode=0100755 "
		"ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n"
		"type=PATH msg=audit(1700000004.000:21): item=1 "
		"name=\"/lib64/ld-linux-x86-64.so.2\" inode=4 dev=08:01 "
		"mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(env_text, &ev, &st), 0);
	ck_assert_str_eq(ev.image->executable, "/opt/tool.py");
	ck_assert_str_eq(ev.image->name, "tool.py");
	ck_assert_str_eq(ev.image->interpreter, "/usr/bin/env");
	image_free(ev.image);

	ck_assert_int_eq(parse_one(link_text, &ev, &st), 0);
	ck_assert_str_eq(ev.image->executable, "/bin/sh");
	ck_assert_str_eq(ev.image->exe, "/usr/bin/dash");
	ck_assert_ptr_null(ev.image->interpreter);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_enriched_node)
{
	/* node= prefixes and ENRICHED fields after 0x1d; uid 1000 is named
	 * by the record (alice), whatever the host calls it */
	static const char text[] =
		"node=web1 type=SYSCALL msg=audit(1615114232.375:15558): "
		"arch=c000003e syscall=59 success=yes exit=0 a0=63b29337fd18 "
		"a1=63b293387d58 a2=63b293375640 a3=fffffffffffff000 items=2 "
		"ppid=10883 pid=10884 auid=1000 uid=1000 gid=1000 euid=1000 "
		"suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 "
		"ses=1 comm=\"whoami\" exe=\"/usr/bin/whoami\" key=(null)"
		"\x1d"
		"ARCH=x86_64 SYSCALL=execve AUID=\"alice\" UID=\"alice\" "
		"GID=\"alice\" EUID=\"alice\" SUID=\"alice\" FSUID=\"alice\" "
		"EGID=\"alice\" SGID=\"alice\" FSGID=\"alice\"\n"
		"node=web1 type=EXECVE msg=audit(1615114232.375:15558): argc=1 "
		"a0=\"whoami\"\n"
		"node=web1 type=CWD msg=audit(1615114232.375:15558): "
		"cwd=\"/home/alice/tmp\"\n"
		"node=web1 type=PATH msg=audit(1615114232.375:15558): item=0 "
		"name=\"/usr/bin/whoami\" inode=261214 dev=ca:03 mode=0100755 "
		"ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 "
		"cap_fe=0 cap_fver=0"
		"\x1d"
		"OUID=\"root\" OGID=\"root\"\n"
		"node=web1 type=PROCTITLE msg=audit(1615114232.375:15558): "
		"proctitle=\"whoami\"\n"
		"node=web1 type=EOE msg=audit(1615114232.375:15558): \n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_str_eq(ev.image->executable, "/usr/bin/whoami");
	ck_assert_str_eq(ev.image->cwd, "/home/alice/tmp");
	ck_assert_ptr_null(ev.image->key);
	ck_assert_str_eq(ev.image->tty, "pts1");
	ck_assert_str_eq(ev.image->comm, "whoami");
	ck_assert_uint_eq(ev.image->uid, 1000);
	ck_assert_ptr_nonnull(ev.image->user_name);
	ck_assert_str_eq(ev.image->user_name, "alice");
	ck_assert_uint_eq(ev.image->serial, 15558);
	ck_assert_uint_eq(ev.image->argc, 1);
	ck_assert_ptr_nonnull(ev.node);
	ck_assert_str_eq(ev.node, "web1");
	image_free(ev.image);
}
END_TEST

/*
 * One user-name case: a SYSCALL record (execve, uid and auid as given)
 * from node (NULL: no node=), with the ENRICHED interpretations enr after
 * the 0x1d separator (NULL: a RAW record), parsed with opts; the name the
 * image must carry (NULL: none). Worked out from exec_event.h: names come
 * from the record's own UID=, or, with local_names and for this host's
 * events only, from auparse (which calls uid 0 root without asking).
 */
struct name_case {
	const char *node, *uid, *enr;
	bool local_names;
	const char *local_node;
	const char *want;
};

static const struct name_case name_cases[] = {
	/* RAW: a name only when this host may name its own uids */
	{NULL, "0", NULL, false, NULL, NULL},
	{NULL, "0", NULL, true, NULL, "root"},
	{"web1", "0", NULL, true, NULL, NULL},
	{"web1", "0", NULL, true, "web1", "root"},
	{"web1", "0", NULL, true, "web2", NULL},
	/* ENRICHED: the record's own UID=, from any host */
	{NULL, "1000",
	 "ARCH=x86_64 SYSCALL=execve AUID=\"alice\" UID=\"alice\"", false, NULL,
	 "alice"},
	{"web1", "1000", "AUID=\"bob\" UID=\"alice\" EUID=\"carol\"", true,
	 NULL, "alice"},
	{NULL, "1000", "UID=6A6F686E20646F65 GID=\"x\"", false, NULL,
	 "john doe"},
	/* AUID=, EUID=, SUID= and FSUID= end in UID= but are not it */
	{NULL, "1000", "AUID=\"a\" EUID=\"e\" SUID=\"s\" FSUID=\"f\"", false,
	 NULL, NULL},
	/* names the source did not know */
	{NULL, "1000", "UID=\"unknown(1000)\"", false, NULL, NULL},
	{NULL, "4294967295", "UID=\"unset\"", false, NULL, NULL},
};

START_TEST(test_event_user_names)
{
	const struct name_case *c = &name_cases[_i];
	struct exec_event_opts opts = {c->local_names, c->local_node};
	struct exec_event_stats st = {0};
	struct exec_event ev;
	char text[1024];

	snprintf(text, sizeof(text),
		 "%s%s%stype=SYSCALL msg=audit(1700000010.000:900): "
		 "arch=c000003e syscall=59 success=yes exit=0 a0=0 a1=0 "
		 "a2=0 a3=0 items=0 ppid=1 pid=2 auid=%s uid=%s gid=0 "
		 "euid=%s suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
		 "ses=1 comm=\"x\" exe=\"/bin/x\" key=(null)%s%s\n",
		 c->node ? "node=" : "", c->node ? c->node : "",
		 c->node ? " " : "", c->uid, c->uid, c->uid,
		 c->enr ? "\x1d" : "", c->enr ? c->enr : "");
	test_opts = &opts;
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	test_opts = NULL;
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	if (c->want) {
		ck_assert_msg(ev.image->user_name, "case %d: no name, want %s",
			      _i, c->want);
		ck_assert_str_eq(ev.image->user_name, c->want);
	} else {
		ck_assert_msg(!ev.image->user_name,
			      "case %d: name %s, want none", _i,
			      ev.image->user_name);
	}
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_raw_field_is_no_name)
{
	/* a RAW record that spells an ENRICHED field in its body is not
	 * believed: only what follows the separator is interpretation */
	struct exec_event_stats st = {0};
	struct exec_event ev;

	ck_assert_int_eq(
		parse_one("type=SYSCALL msg=audit(1700000010.000:901): "
			  "arch=c000003e syscall=59 success=yes exit=0 "
			  "ppid=1 pid=2 uid=1000 UID=\"mallory\" comm=\"x\" "
			  "exe=\"/bin/x\"\n",
			  &ev, &st),
		0);
	ck_assert_ptr_null(ev.image->user_name);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_node)
{
	/* a fork from host db2; then one exec whose SYSCALL and EXECVE
	 * records name different hosts: to auparse, two events */
	static const char text[] =
		"node=db2 type=SYSCALL msg=audit(1700000006.250:500): "
		"arch=c000003e syscall=57 success=yes exit=4321 a0=0 a1=0 a2=0 "
		"a3=0 items=0 ppid=1 pid=4000 auid=0 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"bash\" "
		"exe=\"/usr/bin/bash\" key=\"fork\"\n"
		"node=a type=SYSCALL msg=audit(1700000006.300:501): "
		"arch=c000003e syscall=59 success=yes exit=0 a0=0 a1=0 a2=0 "
		"a3=0 items=1 ppid=4000 pid=4321 auid=0 uid=0 gid=0 euid=0 "
		"suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 "
		"comm=\"id\" exe=\"/usr/bin/id\" key=(null)\n"
		"node=b type=EXECVE msg=audit(1700000006.300:501): argc=1 "
		"a0=\"id\"\n";
	struct exec_event ev[3];
	struct exec_event_stats st = {0};
	int rc[3];

	ck_assert_int_eq(parse_events(text, ev, rc, 3, &st), 3);
	ck_assert_int_eq(ev[0].kind, EXEC_EVENT_FORK);
	ck_assert_str_eq(ev[0].node, "db2");
	ck_assert_int_eq(ev[1].kind, EXEC_EVENT_EXEC);
	ck_assert_str_eq(ev[1].node, "a");
	/* its EXECVE record is another host's event: no arguments */
	ck_assert_uint_eq(ev[1].image->argc, 0);
	ck_assert_uint_ne(ev[1].image->flags & IMAGE_ARGS_TRUNCATED, 0);
	ck_assert_str_eq(ev[1].image->executable, "/usr/bin/id");
	ck_assert_int_eq(ev[2].kind, EXEC_EVENT_OTHER);
	image_free(ev[1].image);
}
END_TEST

START_TEST(test_event_reordered_split_args)
{
	/* records in reverse order, no EOE; a 20,000-byte argument in hex
	 * chunks spread over three EXECVE records; comm hex ("a b") */
	struct sbuf t = {0}, hx = {0};
	char *big = pattern(20000);
	const char *hdr = "msg=audit(1700000004.004:77):";
	struct exec_event ev;
	struct exec_event_stats st = {0};
	struct image *img;

	hex_of(&hx, big, 20000);
	sb_add(&t,
	       "type=PATH %s item=0 name=\"/bin/echo\" inode=5 dev=08:01 "
	       "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n",
	       hdr);
	sb_add(&t, "type=CWD %s cwd=\"/\"\n", hdr);
	/* a1[4], a1[5] and a2 */
	sb_add(&t, "type=EXECVE %s a1[4]=%.7500s a1[5]=%s a2=\"end\"\n", hdr,
	       hx.s + 30000, hx.s + 37500);
	/* a1[2], a1[3] */
	sb_add(&t, "type=EXECVE %s a1[2]=%.7500s a1[3]=%.7500s\n", hdr,
	       hx.s + 15000, hx.s + 22500);
	/* argc, a0, a1_len, a1[0], a1[1] */
	sb_add(&t,
	       "type=EXECVE %s argc=3 a0=\"echo\" a1_len=40000 a1[0]=%.7500s "
	       "a1[1]=%.7500s\n",
	       hdr, hx.s, hx.s + 7500);
	sb_add(&t,
	       "type=SYSCALL %s arch=c000003e syscall=59 success=yes exit=0 "
	       "a0=1 a1=2 a2=3 a3=4 items=1 ppid=5 pid=6 auid=0 uid=0 gid=0 "
	       "euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 "
	       "comm=612062 exe=\"/usr/bin/echo\" key=(null)\n",
	       hdr);
	ck_assert_int_eq(parse_one(t.s, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	img = ev.image;
	ck_assert_int_eq(img->pid, 6);
	ck_assert_str_eq(img->comm, "a b");
	ck_assert_str_eq(img->executable, "/bin/echo");
	ck_assert_uint_eq(img->argc, 3);
	ck_assert_str_eq(img->args[0], "echo");
	ck_assert_uint_eq(strlen(img->args[1]), 20000);
	ck_assert(memcmp(img->args[1], big, 20000) == 0);
	ck_assert_str_eq(img->args[2], "end");
	ck_assert_uint_eq(img->flags & ~IMAGE_PACKED, 0);
	ck_assert_uint_eq(strlen(img->command_line), 4 + 1 + 20000 + 1 + 3);
	image_free(img);
	free(t.s);
	free(hx.s);
	free(big);
}
END_TEST

START_TEST(test_event_i386_and_quoted_scalars)
{
	/* i386 (arch=40000003, execve=11) from a shipper that quotes every
	 * value */
	static const char text[] =
		"type=SYSCALL msg=audit(1734013587.483:2679223): "
		"arch=40000003 syscall=11 success=\"yes\" exit=0 a0=1 a1=2 "
		"a2=3 a3=4 items=\"2\" ppid=\"1362170\" pid=\"1362221\" "
		"auid=\"4294967295\" uid=\"1000\" gid=\"1000\" euid=\"1000\" "
		"suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 "
		"tty=\"(none)\" ses=\"4294967295\" comm=\"java\" "
		"exe=\"/usr/java/bin/java\" key=(null)\n"
		"type=EXECVE msg=audit(1734013587.483:2679223): argc=\"2\" "
		"a0=\"java\" a1=\"-server\"\n"
		"type=CWD msg=audit(1734013587.483:2679223): cwd=\"/u01\"\n"
		"type=PATH msg=audit(1734013587.483:2679223): item=\"0\" "
		"name=\"/usr/java/bin/java\" inode=820124 dev=\"00:2f\"\n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert(ev.image->success);
	ck_assert_int_eq(ev.image->syscall, 11);
	ck_assert_int_eq(ev.image->pid, 1362221);
	ck_assert_int_eq(ev.image->ppid, 1362170);
	ck_assert_uint_eq(ev.image->auid, 4294967295U);
	ck_assert_ptr_null(ev.image->tty);
	ck_assert_str_eq(ev.image->executable, "/usr/java/bin/java");
	ck_assert_str_eq(ev.image->command_line, "java -server");
	ck_assert_uint_eq(ev.image->flags & ~IMAGE_PACKED, 0);
	image_free(ev.image);
}
END_TEST

START_TEST(test_event_failed_exec)
{
	/* execve("./nothere") failing with ENOENT: exe= is the caller's */
	static const char text[] =
		"type=SYSCALL msg=audit(1700000005.000:90): arch=c000003e "
		"syscall=59 success=no exit=-2 a0=1 a1=2 a2=3 a3=4 items=1 "
		"ppid=1 pid=300 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"bash\" "
		"exe=\"/usr/bin/bash\" key=\"exec\"\n"
		"type=CWD msg=audit(1700000005.000:90): cwd=\"/srv\"\n"
		"type=PATH msg=audit(1700000005.000:90): item=0 "
		"name=\"./nothere\" nametype=UNKNOWN cap_fp=0 cap_fi=0 "
		"cap_fe=0 cap_fver=0\n";
	struct exec_event ev;
	struct exec_event_stats st = {0};

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert(!ev.image->success);
	ck_assert_str_eq(ev.image->executable, "/srv/nothere");
	ck_assert_ptr_null(ev.image->interpreter);
	ck_assert_uint_eq(ev.image->flags & ~IMAGE_PACKED, 0);
	ck_assert_uint_eq(st.execs, 1);
	ck_assert_uint_eq(st.args_truncated, 0);
	image_free(ev.image);
}
END_TEST

/* An execve event (x86_64) whose SYSCALL record holds the given fields
 * after syscall=59, then EXECVE argc=1 a0="x", CWD and PATH. */
static int exec_with(const char *serial, const char *fields, const char *path,
		     struct exec_event *ev, struct exec_event_stats *st)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "type=SYSCALL msg=audit(1700000009.000:%s): arch=c000003e "
		 "syscall=59 %s\n"
		 "type=EXECVE msg=audit(1700000009.000:%s): argc=1 a0=\"x\"\n"
		 "type=CWD msg=audit(1700000009.000:%s): cwd=\"/w\"\n"
		 "type=PATH msg=audit(1700000009.000:%s): item=0 name=%s "
		 "inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 "
		 "nametype=NORMAL\n",
		 serial, fields, serial, serial, serial, path);
	return parse_one(text, ev, st);
}

START_TEST(test_event_number_forms)
{
	struct exec_event_stats st = {0};
	struct exec_event ev;

	/* leading zeros are digits; a 23-digit uid is 1000; a session of
	 * 2^32 - 1 fits, and 0x10 in a0 (an execveat dirfd) is hex 16 */
	ck_assert_int_eq(exec_with("801",
				   "success=yes exit=0 a0=0x10 a1=0 "
				   "ppid=0000100 pid=000000000000000000000000"
				   "200 auid=4294967295 "
				   "uid=00000000000000000001000 euid=7 "
				   "ses=4294967295 tty=(none) comm=\"x\" "
				   "exe=\"/bin/x\" key=(null)",
				   "\"/bin/x\"", &ev, &st),
			 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert_int_eq(ev.image->pid, 200);
	ck_assert_int_eq(ev.image->ppid, 100);
	ck_assert_uint_eq(ev.image->uid, 1000);
	ck_assert_uint_eq(ev.image->euid, 7);
	ck_assert_uint_eq(ev.image->auid, 4294967295u);
	ck_assert_uint_eq(ev.image->session, 4294967295u);
	ck_assert_ptr_null(ev.image->tty);
	ck_assert_ptr_null(ev.image->key);
	image_free(ev.image);

	/* a session of 2^32 does not fit: unknown (UINT32_MAX); a euid with
	 * a sign is no euid: unknown ((uid_t)-1) */
	ck_assert_int_eq(
		exec_with("802",
			  "success=yes exit=0 a0=0 a1=0 ppid=1 pid=2 "
			  "auid=5 uid=0 euid=+7 ses=4294967296 "
			  "tty=pts1 comm=\"x\" exe=\"/bin/x\" key=\"k\"",
			  "\"/bin/x\"", &ev, &st),
		0);
	ck_assert_uint_eq(ev.image->session, UINT32_MAX);
	ck_assert_uint_eq(ev.image->euid, (uid_t)-1);
	ck_assert_uint_eq(ev.image->auid, 5);
	ck_assert_str_eq(ev.image->tty, "pts1");
	ck_assert_str_eq(ev.image->key, "k");
	image_free(ev.image);

	/* a pid of 2^63 overflows: the event is malformed */
	ck_assert_int_eq(exec_with("803",
				   "success=yes exit=0 a0=0 a1=0 ppid=1 "
				   "pid=9223372036854775808 uid=0 comm=\"x\" "
				   "exe=\"/bin/x\"",
				   "\"/bin/x\"", &ev, &st),
			 -1);
	/* a negative pid and a ppid of 2^31 are out of range too */
	ck_assert_int_eq(exec_with("804",
				   "success=yes exit=0 ppid=1 pid=-5 uid=0 "
				   "comm=\"x\" exe=\"/bin/x\"",
				   "\"/bin/x\"", &ev, &st),
			 -1);
	ck_assert_int_eq(exec_with("805",
				   "success=yes exit=0 ppid=2147483648 pid=5 "
				   "uid=0 comm=\"x\" exe=\"/bin/x\"",
				   "\"/bin/x\"", &ev, &st),
			 -1);
	/* 2^31 - 1 is the largest pid */
	ck_assert_int_eq(exec_with("806",
				   "success=yes exit=0 ppid=2147483647 "
				   "pid=2147483647 uid=0 comm=\"x\" "
				   "exe=\"/bin/x\"",
				   "\"/bin/x\"", &ev, &st),
			 0);
	ck_assert_int_eq(ev.image->pid, 2147483647);
	ck_assert_int_eq(ev.image->ppid, 2147483647);
	image_free(ev.image);
	ck_assert_uint_eq(st.execs, 6);
	ck_assert_uint_eq(st.malformed, 3);
}
END_TEST

START_TEST(test_event_buffers_reused)
{
	struct exec_event_stats st = {0};
	struct exec_event ev;
	struct sbuf t = {0};
	struct image *first;
	size_t i;

	/* every string of the second event is its own, not the first's */
	ck_assert_int_eq(exec_with("811",
				   "success=yes exit=0 ppid=1 pid=2 uid=0 "
				   "tty=pts9 comm=\"first-comm\" "
				   "exe=\"/usr/bin/first\" key=\"first\"",
				   "\"/usr/bin/first\"", &ev, &st),
			 0);
	first = ev.image;
	ck_assert_int_eq(exec_with("812",
				   "success=yes exit=0 ppid=1 pid=3 uid=0 "
				   "tty=(none) comm=\"2nd\" exe=\"/b/2\" "
				   "key=(null)",
				   "\"2\"", &ev, &st),
			 0);
	ck_assert_ptr_null(ev.image->tty);
	ck_assert_ptr_null(ev.image->key);
	ck_assert_str_eq(ev.image->comm, "2nd");
	ck_assert_str_eq(ev.image->exe, "/b/2");
	/* PATH name "2" against cwd "/w" */
	ck_assert_str_eq(ev.image->executable, "/w/2");
	ck_assert_str_eq(ev.image->name, "2");
	/* and the first image is untouched by the second event */
	ck_assert_str_eq(first->comm, "first-comm");
	ck_assert_str_eq(first->tty, "pts9");
	ck_assert_str_eq(first->key, "first");
	ck_assert_str_eq(first->executable, "/usr/bin/first");
	ck_assert_str_eq(first->cwd, "/w");
	image_free(ev.image);
	image_free(first);

	/* a 100000-byte argument (buffers given back after it), then a
	 * small event, then again after exec_event_fini */
	sb_add(&t, "type=SYSCALL msg=audit(1700000009.000:813): "
		   "arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=4 "
		   "uid=0 comm=\"big\" exe=\"/bin/big\"\n"
		   "type=EXECVE msg=audit(1700000009.000:813): argc=2 "
		   "a0=\"big\" a1=\"");
	for (i = 0; i < 100000; i++)
		sb_add(&t, "%c", 'a' + (int)(i % 26));
	sb_add(&t, "\"\n");
	ck_assert_int_eq(parse_one(t.s, &ev, &st), 0);
	ck_assert_uint_eq(ev.image->argc, 2);
	ck_assert_uint_eq(strlen(ev.image->args[1]), 100000);
	ck_assert_int_eq(ev.image->args[1][99999], 'a' + 99999 % 26);
	ck_assert_uint_eq(strlen(ev.image->command_line), 3 + 1 + 100000);
	image_free(ev.image);
	free(t.s);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(exec_with("814",
					   "success=yes exit=0 ppid=1 pid=5 "
					   "uid=0 comm=\"s\" exe=\"/bin/s\"",
					   "\"/bin/s\"", &ev, &st),
				 0);
		ck_assert_str_eq(ev.image->command_line, "x");
		ck_assert_str_eq(ev.image->executable, "/bin/s");
		image_free(ev.image);
		exec_event_fini();
	}
}
END_TEST

START_TEST(test_event_root_and_late_syscall)
{
	static const char text[] =
		/* records before the SYSCALL one: read all the same */
		"type=CWD msg=audit(1700000009.500:820): cwd=\"/home/u\"\n"
		"type=EXECVE msg=audit(1700000009.500:820): argc=1 a0=\"/\"\n"
		"type=SYSCALL msg=audit(1700000009.500:820): arch=c000003e "
		"syscall=59 success=no exit=-13 ppid=1 pid=9 uid=0 "
		"comm=\"sh\" exe=\"/bin/sh\"\n"
		"type=PATH msg=audit(1700000009.500:820): item=0 name=\"/\" "
		"nametype=UNKNOWN\n";
	struct exec_event_stats st = {0};
	struct exec_event ev;

	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_EXEC);
	ck_assert(!ev.image->success);
	ck_assert_str_eq(ev.image->cwd, "/home/u");
	ck_assert_str_eq(ev.image->command_line, "/");
	/* the failed exec of "/": its name is "/", as image_set_executable
	 * names it, not the empty string after the last slash */
	ck_assert_str_eq(ev.image->executable, "/");
	ck_assert_str_eq(ev.image->name, "/");
	image_free(ev.image);
}
END_TEST

/* A fork-family SYSCALL record (x86_64) with the given fields. */
static int fork_event(const char *sc, const char *success, const char *exit_,
		      const char *a0, struct exec_event *ev,
		      struct exec_event_stats *st)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "type=SYSCALL msg=audit(1700000006.250:500): arch=c000003e "
		 "syscall=%s success=%s exit=%s a0=%s a1=0 a2=0 a3=0 items=0 "
		 "ppid=1 pid=4000 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		 "egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"bash\" "
		 "exe=\"/usr/bin/bash\" key=\"fork\"\n"
		 "type=PROCTITLE msg=audit(1700000006.250:500): "
		 "proctitle=\"bash\"\n",
		 sc, success, exit_, a0);
	return parse_one(text, ev, st);
}

START_TEST(test_event_fork)
{
	struct exec_event_stats st = {0};
	struct exec_event ev;

	/* fork (57) */
	ck_assert_int_eq(fork_event("57", "yes", "4321", "0", &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_FORK);
	ck_assert_int_eq(ev.fork_parent, 4000);
	ck_assert_int_eq(ev.fork_child, 4321);
	ck_assert_int_eq(ev.sec, 1700000006);
	ck_assert_uint_eq(ev.msec, 250);
	ck_assert_uint_eq(ev.serial, 500);
	ck_assert_ptr_null(ev.image);
	/* vfork (58) */
	ck_assert_int_eq(fork_event("58", "yes", "4322", "0", &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_FORK);
	ck_assert_int_eq(ev.fork_child, 4322);
	/* clone (56) as fork() calls it: CHILD_SETTID|CHILD_CLEARTID|SIGCHLD */
	ck_assert_int_eq(fork_event("56", "yes", "4323", "1200011", &ev, &st),
			 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_FORK);
	ck_assert_int_eq(ev.fork_child, 4323);
	/* clone3 (435) */
	ck_assert_int_eq(fork_event("435", "yes", "4324", "7ffd0000", &ev, &st),
			 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_FORK);
	ck_assert_int_eq(ev.fork_child, 4324);
	ck_assert_uint_eq(st.forks, 4);

	/* a thread (CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|
	 * CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|...) is no process */
	ck_assert_int_eq(fork_event("56", "yes", "4325", "3d0f00", &ev, &st),
			 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_OTHER);
	/* a failed fork, and the child's side (exit=0) */
	ck_assert_int_eq(fork_event("57", "no", "-11", "0", &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_OTHER);
	ck_assert_int_eq(fork_event("57", "yes", "0", "0", &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_OTHER);
	ck_assert_uint_eq(st.forks, 4);
	ck_assert_uint_eq(st.execs, 0);
	ck_assert_uint_eq(st.events, 7);
}
END_TEST

START_TEST(test_event_fork_s390x)
{
	/* s390x (arch=80000016, clone=120) passes the stack in a0 and the
	 * flags in a1 */
	static const char fmt[] =
		"type=SYSCALL msg=audit(1700000006.000:%d): arch=80000016 "
		"syscall=120 success=yes exit=%d a0=%s a1=%s a2=0 a3=0 "
		"items=0 ppid=1 pid=77 auid=0 uid=0 gid=0 euid=0 suid=0 "
		"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"sh\" "
		"exe=\"/usr/bin/sh\" key=(null)\n";
	struct exec_event_stats st = {0};
	struct exec_event ev;
	char text[1024];

	/* a thread: CLONE_THREAD in a1, whatever a0 holds */
	snprintf(text, sizeof(text), fmt, 1, 78, "0", "3d0f00");
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_OTHER);
	/* a process: a stack address with bit 16 set in a0 */
	snprintf(text, sizeof(text), fmt, 2, 79, "3ffff010000", "1200011");
	ck_assert_int_eq(parse_one(text, &ev, &st), 0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_FORK);
	ck_assert_int_eq(ev.fork_parent, 77);
	ck_assert_int_eq(ev.fork_child, 79);
	ck_assert_uint_eq(st.forks, 1);
}
END_TEST

START_TEST(test_event_other)
{
	static const char text[] =
		"type=SYSCALL msg=audit(1700000007.000:600): arch=c000003e "
		"syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=0 a3=0 "
		"items=1 ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"cat\" "
		"exe=\"/usr/bin/cat\" key=\"etc\"\n"
		"type=PATH msg=audit(1700000007.000:600): item=0 "
		"name=\"/etc/shadow\" inode=9\n"
		"type=USER_LOGIN msg=audit(1700000007.100:601): pid=9 uid=0 "
		"auid=1000 ses=2 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" "
		"hostname=? addr=10.0.0.1 terminal=/dev/pts/1 res=success'\n"
		"type=EXECVE msg=audit(1700000007.200:602): argc=1 a0=\"x\"\n";
	struct exec_event ev[3];
	struct exec_event_stats st = {0};
	int rc[3];

	ck_assert_int_eq(parse_events(text, ev, rc, 3, &st), 3);
	/* openat, a user message, and an EXECVE with no SYSCALL record */
	ck_assert_int_eq(rc[0], 0);
	ck_assert_int_eq(ev[0].kind, EXEC_EVENT_OTHER);
	ck_assert_int_eq(rc[1], 0);
	ck_assert_int_eq(ev[1].kind, EXEC_EVENT_OTHER);
	ck_assert_int_eq(rc[2], 0);
	ck_assert_int_eq(ev[2].kind, EXEC_EVENT_OTHER);
	ck_assert_ptr_null(ev[0].image);
	ck_assert_uint_eq(st.events, 3);
	ck_assert_uint_eq(st.execs, 0);
	ck_assert_uint_eq(st.forks, 0);
	ck_assert_uint_eq(st.malformed, 0);
}
END_TEST

START_TEST(test_event_malformed)
{
	struct exec_event_stats st = {0};
	struct exec_event ev;

	/* no pid= */
	ck_assert_int_eq(
		parse_one("type=SYSCALL msg=audit(1700000008.000:700): "
			  "arch=c000003e syscall=59 success=yes exit=0 "
			  "ppid=1 uid=0 comm=\"x\" exe=\"/bin/x\"\n",
			  &ev, &st),
		-1);
	ck_assert_ptr_null(ev.image);
	/* a bad success= */
	ck_assert_int_eq(
		parse_one("type=SYSCALL msg=audit(1700000008.000:701): "
			  "arch=c000003e syscall=59 success=maybe exit=0 "
			  "ppid=1 pid=2 uid=0 comm=\"x\" exe=\"/bin/x\"\n",
			  &ev, &st),
		-1);
	/* succeeded, but neither PATH nor exe= say what ran */
	ck_assert_int_eq(
		parse_one("type=SYSCALL msg=audit(1700000008.000:702): "
			  "arch=c000003e syscall=59 success=yes exit=0 "
			  "ppid=1 pid=2 uid=0 comm=\"x\" exe=(null)\n",
			  &ev, &st),
		-1);
	ck_assert_ptr_null(ev.image);
	ck_assert_uint_eq(st.malformed, 3);
	ck_assert_uint_eq(st.execs, 3);
	/* an unknown arch is no exec we can name: OTHER */
	ck_assert_int_eq(
		parse_one("type=SYSCALL msg=audit(1700000008.000:703): "
			  "arch=deadbeef syscall=59 success=yes exit=0 "
			  "ppid=1 pid=2 uid=0 comm=\"x\" exe=\"/bin/x\"\n",
			  &ev, &st),
		0);
	ck_assert_int_eq(ev.kind, EXEC_EVENT_OTHER);
	ck_assert_uint_eq(st.malformed, 3);
}
END_TEST

/* Feed text to an AUSOURCE_FEED parser in pieces of step bytes. */
struct feed_ctx {
	struct exec_event_stats st;
	int n, kinds[8];
	char *exes[8];
};

static void feed_cb(auparse_state_t *au, auparse_cb_event_t t, void *data)
{
	struct feed_ctx *c = data;
	struct exec_event ev;

	if (t != AUPARSE_CB_EVENT_READY)
		return;
	if (exec_event_parse(au, &ev, &c->st, NULL) == 0 && c->n < 8) {
		c->kinds[c->n] = ev.kind;
		c->exes[c->n] = ev.image && ev.image->executable
					? strdup(ev.image->executable)
					: NULL;
		c->n++;
	}
	image_free(ev.image);
}

START_TEST(test_event_feed)
{
	static const char text[] =
		"type=SYSCALL msg=audit(1700000009.000:800): arch=c000003e "
		"syscall=57 success=yes exit=801 a0=0 a1=0 a2=0 a3=0 items=0 "
		"ppid=1 pid=800 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"sh\" "
		"exe=\"/usr/bin/dash\" key=(null)\n"
		"type=EOE msg=audit(1700000009.000:800): \n"
		"type=SYSCALL msg=audit(1700000009.001:801): arch=c000003e "
		"syscall=59 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=1 "
		"ppid=800 pid=801 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		"egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"dracut\" "
		"exe=\"/usr/bin/bash\" key=(null)\n"
		"type=EXECVE msg=audit(1700000009.001:801): argc=2 "
		"a0=\"/bin/bash\" a1=\"/usr/bin/dracut\"\n"
		"type=CWD msg=audit(1700000009.001:801): cwd=\"/\"\n"
		"type=PATH msg=audit(1700000009.001:801): item=0 "
		"name=\"/usr/bin/dracut\" inode=1\n"
		"type=EOE msg=audit(1700000009.001:801): \n";
	struct feed_ctx c;
	auparse_state_t *au;
	size_t off, step;
	int i;

	/* whole lines, and awkward 7-byte pieces */
	for (step = sizeof(text); step >= 7; step = step == 7 ? 0 : 7) {
		memset(&c, 0, sizeof(c));
		au = auparse_init(AUSOURCE_FEED, NULL);
		ck_assert_ptr_nonnull(au);
		auparse_add_callback(au, feed_cb, &c, NULL);
		for (off = 0; off < sizeof(text) - 1; off += step) {
			size_t n = sizeof(text) - 1 - off;

			ck_assert_int_eq(auparse_feed(au, text + off,
						      n < step ? n : step),
					 0);
		}
		auparse_flush_feed(au);
		auparse_destroy(au);
		ck_assert_int_eq(c.n, 2);
		ck_assert_int_eq(c.kinds[0], EXEC_EVENT_FORK);
		ck_assert_int_eq(c.kinds[1], EXEC_EVENT_EXEC);
		ck_assert_ptr_nonnull(c.exes[1]);
		ck_assert_str_eq(c.exes[1], "/usr/bin/dracut");
		for (i = 0; i < c.n; i++)
			free(c.exes[i]);
	}
}
END_TEST

static Suite *exec_event_suite(void)
{
	Suite *s = suite_create("exec_event");
	TCase *te = tcase_create("events");

	tcase_add_test(te, test_event_basic_raw);
	tcase_add_test(te, test_event_relative_paths);
	tcase_add_test(te, test_event_script);
	tcase_add_test(te, test_event_script_arg_and_symlink);
	tcase_add_test(te, test_event_no_path);
	tcase_add_test(te, test_event_no_execve_record);
	tcase_add_test(te, test_event_execveat);
	tcase_add_loop_test(te, test_event_execveat_fd, 0,
			    (int)(sizeof(fd_cases) / sizeof(fd_cases[0])));
	tcase_add_test(te, test_event_enriched_node);
	tcase_add_test(te, test_event_node);
	tcase_add_loop_test(te, test_event_user_names, 0,
			    (int)(sizeof(name_cases) / sizeof(name_cases[0])));
	tcase_add_test(te, test_event_raw_field_is_no_name);
	tcase_add_test(te, test_event_reordered_split_args);
	tcase_add_test(te, test_event_i386_and_quoted_scalars);
	tcase_add_test(te, test_event_failed_exec);
	tcase_add_test(te, test_event_number_forms);
	tcase_add_test(te, test_event_buffers_reused);
	tcase_add_test(te, test_event_root_and_late_syscall);
	tcase_add_test(te, test_event_fork);
	tcase_add_test(te, test_event_fork_s390x);
	tcase_add_test(te, test_event_other);
	tcase_add_test(te, test_event_malformed);
	tcase_add_test(te, test_event_feed);
	tcase_set_timeout(te, 60);
	suite_add_tcase(s, te);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (exec_event_init() < 0)
		return 99;
	sr = srunner_create(exec_event_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	exec_event_fini();
	return failed ? 1 : 0;
}
