/* check_sink.c - unit tests of the alert outputs, queue and rate limit */
#include <check.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "sink.h"
#include "util.h"

static char tmpdir[64];
static char alerts[128]; /* tmpdir/out/alerts.json */
static struct config cfg;
static int saved_stdout = -1, saved_stderr = -1;
static char capture[128];

static void setup(void)
{
	strcpy(tmpdir, "/tmp/check_sink.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(alerts, sizeof(alerts), "%s/out/alerts.json", tmpdir);
	ck_assert_int_eq(config_defaults(&cfg), 0);
	cfg.outputs = OUT_BIT(OUT_FILE);
	free(cfg.file_path);
	cfg.file_path = strdup(alerts);
	signal(SIGPIPE, SIG_IGN);
}

static void teardown(void)
{
	char cmd[128];

	if (saved_stdout >= 0) {
		dup2(saved_stdout, STDOUT_FILENO);
		close(saved_stdout);
		saved_stdout = -1;
	}
	config_clear(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Read the whole of path into a new string (NULL if it does not exist). */
static char *slurp(const char *path)
{
	char *buf;
	FILE *fp;
	long size;

	fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	return buf;
}

static void assert_file(const char *path, const char *expected)
{
	char *got = slurp(path);

	ck_assert_msg(got != NULL, "%s missing", path);
	ck_assert_str_eq(got, expected);
	free(got);
}

static int emit(struct sink *s, const char *json)
{
	return sink_emit(s, json, strlen(json));
}

/* Send stderr to a file until capture_end, which returns what was said. */
static void capture_begin(void)
{
	int fd;

	snprintf(capture, sizeof(capture), "%s/stderr", tmpdir);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	fd = open(capture, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static char *capture_end(void)
{
	char *text;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	text = slurp(capture);
	unlink(capture);
	ck_assert_ptr_nonnull(text);
	return text;
}

/* Point fd 1 at a new pipe; returns its read end. */
static int stdout_to_pipe(bool nonblock)
{
	int p[2];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fflush(stdout);
	if (saved_stdout < 0)
		saved_stdout = dup(STDOUT_FILENO);
	ck_assert_int_ge(dup2(p[1], STDOUT_FILENO), 0);
	close(p[1]);
	if (nonblock)
		ck_assert_int_eq(fcntl(STDOUT_FILENO, F_SETFL, O_NONBLOCK), 0);
	return p[0];
}

/* Read what is in the pipe now (the read end is made non-blocking). */
static char *drain(int rfd)
{
	static char buf[1 << 17];
	size_t used = 0;
	ssize_t n;

	fcntl(rfd, F_SETFL, O_NONBLOCK);
	while (used < sizeof(buf) - 1 &&
	       (n = read(rfd, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
	return buf;
}

START_TEST(test_file_output)
{
	struct sink_stats st;
	struct stat sb;
	struct sink *s;
	char dir[256];

	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	/* created at once, with its directory, owner-only */
	ck_assert_int_eq(stat(alerts, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
	ck_assert_uint_eq(sb.st_size, 0);
	snprintf(dir, sizeof(dir), "%s/out", tmpdir);
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0700);

	ck_assert_int_eq(emit(s, "{\"a\":1}"), 0);
	ck_assert_int_eq(sink_emit(s, "{\"b\":2}xxx", 7), 0);
	assert_file(alerts, "{\"a\":1}\n{\"b\":2}\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.emitted, 2);
	ck_assert_uint_eq(st.written, 2);
	ck_assert_uint_eq(st.suppressed, 0);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_uint_eq(st.write_errors, 0);
	ck_assert_uint_eq(st.queued, 0);
	sink_free(s);

	/* a second run appends */
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "{\"c\":3}"), 0);
	sink_free(s);
	assert_file(alerts, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
	ck_assert_int_eq(stat(alerts, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
	sink_free(NULL);
}
END_TEST

START_TEST(test_reopen_rename)
{
	char rotated[256];
	struct sink *s;
	int fd;

	snprintf(rotated, sizeof(rotated), "%s.1", alerts);
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "one"), 0);
	ck_assert_int_eq(rename(alerts, rotated), 0);
	/* the next alert notices at once */
	ck_assert_int_eq(emit(s, "two"), 0);
	assert_file(rotated, "one\n");
	assert_file(alerts, "two\n");

	/* sink_tick notices without an alert */
	ck_assert_int_eq(rename(alerts, rotated), 0);
	sink_tick(s, time(NULL));
	assert_file(alerts, "");
	assert_file(rotated, "two\n");
	ck_assert_int_eq(emit(s, "three"), 0);
	assert_file(alerts, "three\n");

	/* logrotate's "create": a new file is already at the path */
	ck_assert_int_eq(rename(alerts, rotated), 0);
	fd = open(alerts, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(emit(s, "four"), 0);
	assert_file(rotated, "three\n");
	assert_file(alerts, "four\n");

	/* sink_reopen, as on SIGHUP */
	ck_assert_int_eq(rename(alerts, rotated), 0);
	sink_reopen(s);
	assert_file(alerts, "");
	sink_free(s);
}
END_TEST

START_TEST(test_reopen_delete)
{
	char dir[256];
	struct sink *s;

	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "one"), 0);
	ck_assert_int_eq(unlink(alerts), 0);
	ck_assert_int_eq(emit(s, "two"), 0);
	assert_file(alerts, "two\n");

	/* the directory removed too: both come back */
	snprintf(dir, sizeof(dir), "%s/out", tmpdir);
	ck_assert_int_eq(unlink(alerts), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(emit(s, "three"), 0);
	assert_file(alerts, "three\n");
	sink_free(s);
}
END_TEST

START_TEST(test_stdout_output)
{
	struct sink *s;
	int rfd;

	rfd = stdout_to_pipe(false);
	cfg.outputs = OUT_BIT(OUT_STDOUT);
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "{\"x\":\"y\"}"), 0);
	ck_assert_int_eq(emit(s, "{}"), 0);
	ck_assert_str_eq(drain(rfd), "{\"x\":\"y\"}\n{}\n");
	sink_free(s);
	close(rfd);
}
END_TEST

START_TEST(test_several_outputs)
{
	struct sink *s;
	int rfd;

	rfd = stdout_to_pipe(false);
	cfg.outputs =
		OUT_BIT(OUT_STDOUT) | OUT_BIT(OUT_FILE) | OUT_BIT(OUT_SYSLOG);
	free(cfg.syslog_ident);
	cfg.syslog_ident = strdup("check_sink");
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "both"), 0);
	ck_assert_str_eq(drain(rfd), "both\n");
	assert_file(alerts, "both\n");
	sink_free(s);
	close(rfd);
}
END_TEST

/* A full non-blocking pipe on stdout fails with EAGAIN: alerts wait in
 * the queue, in order, and go out once the reader catches up. */
START_TEST(test_queue_retry_stdout)
{
	struct sink_stats st;
	struct sink *s;
	char *got;
	int rfd;

	rfd = stdout_to_pipe(true);
	while (write(STDOUT_FILENO, "f", 1) == 1)
		;
	ck_assert_int_eq(errno, EAGAIN);
	cfg.outputs = OUT_BIT(OUT_STDOUT);
	cfg.queue_max = 3;
	cfg.retry_interval = 1;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "q1"), 0);
	ck_assert_int_eq(emit(s, "q2"), 0);
	ck_assert_int_eq(emit(s, "q3"), 0);
	/* full: the newest is dropped */
	ck_assert_int_eq(emit(s, "q4"), -1);
	ck_assert_int_eq(emit(s, "q5"), -1);
	sink_stats(s, &st);
	ck_assert_uint_eq(st.emitted, 5);
	ck_assert_uint_eq(st.queued, 3);
	ck_assert_uint_eq(st.dropped, 2);
	ck_assert_uint_eq(st.written, 0);
	ck_assert_uint_ge(st.write_errors, 1);

	/* still full: a retry changes nothing */
	sink_tick(s, time(NULL));
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 3);

	got = drain(rfd);
	ck_assert_uint_eq(strspn(got, "f"), strlen(got));
	sink_tick(s, time(NULL) + 10);
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.written, 3);
	ck_assert_str_eq(drain(rfd), "q1\nq2\nq3\n");

	/* and new alerts go straight out again */
	ck_assert_int_eq(emit(s, "q6"), 0);
	ck_assert_str_eq(drain(rfd), "q6\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.written, 4);
	ck_assert_uint_eq(st.dropped, 2);
	sink_free(s);
	close(rfd);
}
END_TEST

/* While one output fails, the others still get every alert. */
START_TEST(test_queue_one_output)
{
	struct sink_stats st;
	struct sink *s;
	int rfd;

	rfd = stdout_to_pipe(true);
	while (write(STDOUT_FILENO, "f", 1) == 1)
		;
	cfg.outputs = OUT_BIT(OUT_STDOUT) | OUT_BIT(OUT_FILE);
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "a1"), 0);
	ck_assert_int_eq(emit(s, "a2"), 0);
	assert_file(alerts, "a1\na2\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 2);
	ck_assert_uint_eq(st.written, 0);
	drain(rfd);
	sink_tick(s, time(NULL));
	ck_assert_str_eq(drain(rfd), "a1\na2\n");
	assert_file(alerts, "a1\na2\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.written, 2);
	sink_free(s);
	close(rfd);
}
END_TEST

/* queue_max 0: no queue; a failed alert is dropped and counted. */
START_TEST(test_no_queue)
{
	struct sink_stats st;
	struct sink *s;
	int rfd;

	rfd = stdout_to_pipe(false);
	close(rfd); /* EPIPE from now on */
	cfg.outputs = OUT_BIT(OUT_STDOUT);
	cfg.queue_max = 0;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	capture_begin();
	ck_assert_int_eq(emit(s, "lost"), -1);
	free(capture_end());
	sink_stats(s, &st);
	ck_assert_uint_eq(st.dropped, 1);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.write_errors, 1);
	sink_free(s);
}
END_TEST

START_TEST(test_rate_limit)
{
	struct sink_stats st;
	struct sink *s;
	char *said;
	time_t start;

	cfg.rate_limit_alerts = 3;
	cfg.rate_limit_interval = 300;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	start = time(NULL);
	ck_assert_int_eq(emit(s, "r1"), 0);
	ck_assert_int_eq(emit(s, "r2"), 0);
	ck_assert_int_eq(emit(s, "r3"), 0);
	ck_assert_int_eq(emit(s, "r4"), 1);
	ck_assert_int_eq(emit(s, "r5"), 1);
	assert_file(alerts, "r1\nr2\nr3\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.emitted, 5);
	ck_assert_uint_eq(st.written, 3);
	ck_assert_uint_eq(st.suppressed, 2);

	/* the window has not ended: no summary yet */
	capture_begin();
	sink_tick(s, start + 1);
	said = capture_end();
	ck_assert_str_eq(said, "");
	free(said);

	/* the window ends: one summary with the count */
	capture_begin();
	sink_tick(s, start + 301);
	sink_tick(s, start + 302);
	said = capture_end();
	ck_assert_msg(strstr(said, "2 alerts suppressed") != NULL, "%s", said);
	ck_assert_ptr_null(
		strstr(strstr(said, "suppressed") + 1, "suppressed"));
	free(said);

	/* a new window */
	ck_assert_int_eq(emit(s, "r6"), 0);
	assert_file(alerts, "r1\nr2\nr3\nr6\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.suppressed, 2);
	sink_free(s);
}
END_TEST

/* An unfinished window is summed up when the sink is freed (replay). */
START_TEST(test_rate_limit_at_exit)
{
	struct sink *s;
	char *said;
	int i;

	cfg.rate_limit_alerts = 100;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(emit(s, "x"), 0);
	ck_assert_int_eq(emit(s, "x"), 1);
	capture_begin();
	sink_free(s);
	said = capture_end();
	ck_assert_msg(strstr(said, "1 alert suppressed") != NULL, "%s", said);
	free(said);

	cfg.rate_limit_alerts = 0; /* no limit */
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(emit(s, "y"), 0);
	sink_free(s);
}
END_TEST

START_TEST(test_reconfigure)
{
	struct sink_stats st;
	char other[256], bad[256];
	struct sink *s;
	char *saved;

	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "old"), 0);

	snprintf(other, sizeof(other), "%s/other.json", tmpdir);
	saved = cfg.file_path;
	cfg.file_path = strdup(other);
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	ck_assert_int_eq(emit(s, "new"), 0);
	assert_file(alerts, "old\n");
	assert_file(other, "new\n");

	/* a path that cannot be opened: the old file stays in use */
	snprintf(bad, sizeof(bad), "%s/other.json/x/y", tmpdir);
	free(cfg.file_path);
	cfg.file_path = strdup(bad);
	capture_begin();
	ck_assert_int_eq(sink_reconfigure(s, &cfg), -1);
	free(capture_end());
	ck_assert_int_eq(emit(s, "still"), 0);
	assert_file(other, "new\nstill\n");

	free(cfg.file_path);
	cfg.file_path = saved;
	cfg.rate_limit_alerts = 1;
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	ck_assert_int_eq(emit(s, "back"), 0);
	ck_assert_int_eq(emit(s, "limited"), 1);
	assert_file(alerts, "old\nback\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.written, 4);
	ck_assert_uint_eq(st.suppressed, 1);
	sink_free(s);

	cfg.outputs = 0;
	capture_begin();
	ck_assert_ptr_null(sink_create(&cfg));
	free(capture_end());
}
END_TEST

/*
 * A reload that drops an output first gives its queued alerts one more
 * try, as sink_free does; what still cannot be written is counted and
 * said, never lost in silence.
 */
START_TEST(test_reconfigure_queue)
{
	struct sink_stats st;
	struct sink *s;
	char *said;
	int rfd;

	rfd = stdout_to_pipe(true);
	while (write(STDOUT_FILENO, "f", 1) == 1)
		;
	cfg.outputs = OUT_BIT(OUT_STDOUT);
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	capture_begin();
	ck_assert_int_eq(emit(s, "k1"), 0);
	free(capture_end());
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 1);

	/* the reader caught up: k1 goes out before stdout is let go */
	drain(rfd);
	cfg.outputs = OUT_BIT(OUT_FILE);
	capture_begin();
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	free(capture_end());
	ck_assert_str_eq(drain(rfd), "k1\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.written, 1);
	ck_assert_uint_eq(st.dropped, 0);

	/* stdout still full at the reload: k2 is dropped, counted and said */
	while (write(STDOUT_FILENO, "f", 1) == 1)
		;
	cfg.outputs = OUT_BIT(OUT_STDOUT);
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	capture_begin();
	ck_assert_int_eq(emit(s, "k2"), 0);
	free(capture_end());
	cfg.outputs = OUT_BIT(OUT_FILE);
	capture_begin();
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	said = capture_end();
	ck_assert_msg(strstr(said, "1 queued alert dropped") != NULL, "%s",
		      said);
	free(said);
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.dropped, 1);
	ck_assert_uint_eq(st.written, 1);
	ck_assert_int_eq(emit(s, "k3"), 0);
	assert_file(alerts, "k3\n");
	sink_free(s);
	close(rfd);
}
END_TEST

START_TEST(test_create_fails)
{
	char blocker[256];
	struct sink *s;
	int fd;

	/* the parent of the directory is a regular file */
	snprintf(blocker, sizeof(blocker), "%s/blocker", tmpdir);
	fd = open(blocker, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	free(cfg.file_path);
	ck_assert_int_gt(asprintf(&cfg.file_path, "%s/dir/alerts", blocker), 0);
	capture_begin();
	ck_assert_ptr_null(sink_create(&cfg));
	free(capture_end());

	/* a directory where the file should be */
	free(cfg.file_path);
	cfg.file_path = strdup(tmpdir);
	capture_begin();
	ck_assert_ptr_null(sink_create(&cfg));
	free(capture_end());

	/* a FIFO: refused at once, not waited on until a reader comes */
	free(cfg.file_path);
	ck_assert_int_gt(asprintf(&cfg.file_path, "%s/fifo", tmpdir), 0);
	ck_assert_int_eq(mkfifo(cfg.file_path, 0600), 0);
	capture_begin();
	ck_assert_ptr_null(sink_create(&cfg));
	free(capture_end());

	/* a character device is taken: /dev/null, to measure without output */
	free(cfg.file_path);
	cfg.file_path = strdup("/dev/null");
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sink_emit(s, "{}", 2), 0);
	sink_free(s);
}
END_TEST

/* Fill the file system of dir with dir/filler. */
static void fill_fs(const char *dir)
{
	char path[256], block[512];
	int fd;

	snprintf(path, sizeof(path), "%s/filler", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	memset(block, 'z', sizeof(block));
	while (write(fd, block, sizeof(block)) > 0)
		;
	while (write(fd, block, 1) > 0)
		;
	ck_assert_int_eq(errno, ENOSPC);
	close(fd);
}

/*
 * Mount a 16 KiB tmpfs on tmpdir/mnt, in a mount namespace of our own so
 * that nothing is left mounted if the test dies. Returns false (and says
 * why) when that is not possible: not root, or no namespaces.
 */
static bool mount_tiny(char *mnt, size_t mntlen, const char *test)
{
	if (geteuid() != 0) {
		fprintf(stderr, "%s: not root, skipped\n", test);
		return false;
	}
	snprintf(mnt, mntlen, "%s/mnt", tmpdir);
	ck_assert_int_eq(mkdir(mnt, 0700), 0);
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", mnt, "tmpfs", 0, "size=16k,mode=0700") < 0) {
		fprintf(stderr, "%s: cannot mount a tmpfs: %s, skipped\n", test,
			strerror(errno));
		return false;
	}
	return true;
}

/* ENOSPC on a 16 KiB tmpfs: no partial line, the alert waits in the
 * queue, and goes out once there is space again. */
START_TEST(test_enospc)
{
	char mnt[128], filler[160], *big, *expected, *got;
	struct sink_stats st;
	struct sink *s;
	size_t biglen = 6000;

	if (!mount_tiny(mnt, sizeof(mnt), "test_enospc"))
		return;
	free(cfg.file_path);
	ck_assert_int_gt(asprintf(&cfg.file_path, "%s/alerts.json", mnt), 0);
	cfg.retry_interval = 1;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "first"), 0);
	fill_fs(mnt);

	/* larger than the space left in the file's last page: a short
	 * write that must be undone */
	big = malloc(biglen + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'B', biglen);
	big[biglen] = '\0';
	capture_begin();
	ck_assert_int_eq(emit(s, big), 0);
	ck_assert_int_eq(emit(s, "third"), 0);
	sink_tick(s, time(NULL));
	got = capture_end();
	ck_assert_msg(strstr(got, "No space left on device") != NULL, "%s",
		      got);
	free(got);
	assert_file(cfg.file_path, "first\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 2);
	ck_assert_uint_eq(st.written, 1);
	ck_assert_uint_ge(st.write_errors, 1);

	/* space again */
	snprintf(filler, sizeof(filler), "%s/filler", mnt);
	ck_assert_int_eq(unlink(filler), 0);
	sink_tick(s, time(NULL) + 5);
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.written, 3);
	ck_assert_uint_eq(st.dropped, 0);
	ck_assert_int_gt(asprintf(&expected, "first\n%s\nthird\n", big), 0);
	assert_file(cfg.file_path, expected);
	free(expected);
	free(big);
	sink_free(s);
	ck_assert_int_eq(umount(mnt), 0);
}
END_TEST

/* Queue overflow on a full file system: oldest kept, newest counted. */
START_TEST(test_enospc_overflow)
{
	char mnt[128], filler[160], *line;
	struct sink_stats st;
	struct sink *s;
	int i;

	if (!mount_tiny(mnt, sizeof(mnt), "test_enospc_overflow"))
		return;
	free(cfg.file_path);
	ck_assert_int_gt(asprintf(&cfg.file_path, "%s/alerts.json", mnt), 0);
	cfg.queue_max = 4;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	fill_fs(mnt); /* the alert file is empty and has no page */
	capture_begin();
	for (i = 0; i < 10; i++) {
		ck_assert_int_gt(asprintf(&line, "{\"n\":%d}", i), 0);
		ck_assert_int_eq(emit(s, line), i < 4 ? 0 : -1);
		free(line);
	}
	free(capture_end());
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 4);
	ck_assert_uint_eq(st.dropped, 6);
	assert_file(cfg.file_path, "");

	snprintf(filler, sizeof(filler), "%s/filler", mnt);
	ck_assert_int_eq(unlink(filler), 0);
	sink_tick(s, time(NULL));
	assert_file(cfg.file_path,
		    "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	sink_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_eq(st.written, 4);
	sink_free(s);
	ck_assert_int_eq(umount(mnt), 0);
}
END_TEST

/* Set or clear the append-only attribute (chattr +a) of path. */
static bool set_append_only(const char *path, bool on)
{
	int fd, flags, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	rc = ioctl(fd, FS_IOC_GETFLAGS, &flags);
	if (rc == 0) {
		flags = on ? flags | FS_APPEND_FL : flags & ~FS_APPEND_FL;
		rc = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
	return rc == 0;
}

/*
 * An append-only alert file (chattr +a) on a full file system: the short
 * write cannot be cut off again, so the fragment must end up on a line of
 * its own. Reopening the same file (SIGHUP without a rotation) must not
 * forget that, or the next alert is glued to the fragment and lost to any
 * reader of lines.
 */
START_TEST(test_enospc_append_only)
{
	char mnt[128], filler[160], *big, *got, *last;
	size_t biglen = 6000, n;
	struct sink *s;

	if (!mount_tiny(mnt, sizeof(mnt), "test_enospc_append_only"))
		return;
	free(cfg.file_path);
	ck_assert_int_gt(asprintf(&cfg.file_path, "%s/alerts.json", mnt), 0);
	cfg.retry_interval = 1;
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(emit(s, "first"), 0);
	if (!set_append_only(cfg.file_path, true)) {
		fprintf(stderr, "test_enospc_append_only: no chattr +a on "
				"tmpfs, skipped\n");
		sink_free(s);
		ck_assert_int_eq(umount(mnt), 0);
		return;
	}
	fill_fs(mnt);
	big = malloc(biglen + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'B', biglen);
	big[biglen] = '\0';
	capture_begin();
	ck_assert_int_eq(emit(s, big), 0); /* a short write stays */
	/* SIGHUP: reload, then reopen; the same file both times */
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	sink_reopen(s);
	snprintf(filler, sizeof(filler), "%s/filler", mnt);
	ck_assert_int_eq(unlink(filler), 0);
	sink_tick(s, time(NULL) + 5);
	free(capture_end());
	got = slurp(cfg.file_path);
	ck_assert_ptr_nonnull(got);
	ck_assert(set_append_only(cfg.file_path, false));

	/* "first", the fragment on a line of its own, then the whole alert */
	ck_assert_msg(strncmp(got, "first\n", 6) == 0, "%.40s", got);
	n = strspn(got + 6, "B");
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, biglen);
	ck_assert_int_eq(got[6 + n], '\n');
	last = got + 6 + n + 1;
	ck_assert_uint_eq(strlen(last), biglen + 1);
	ck_assert_uint_eq(strspn(last, "B"), biglen);
	ck_assert_int_eq(last[biglen], '\n');
	free(got);
	free(big);
	sink_free(s);
	ck_assert_int_eq(umount(mnt), 0);
}
END_TEST

/*
 * Receive what is sent to /dev/log: in a mount namespace of this test (the
 * test runs in a child of its own), a tmpfs on /dev holds a datagram
 * socket bound as /dev/log. Returns its fd, or -1 (and says why) when that
 * cannot be done: not root, or no namespaces.
 */
static int devlog_listen(const char *test)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (geteuid() != 0) {
		fprintf(stderr, "%s: not root, skipped\n", test);
		return -1;
	}
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/dev", "tmpfs", 0, "size=64k,mode=0755") < 0) {
		fprintf(stderr, "%s: no private /dev: %s, skipped\n", test,
			strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	strcpy(sa.sun_path, "/dev/log");
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* The next datagram waiting on fd, NUL-terminated, in a static buffer;
 * NULL when none is waiting. Its length in *len. */
static const char *devlog_next(int fd, size_t *len)
{
	static char buf[1 << 18];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/*
 * Assert that msg is "<pri>Mmm dd hh:mm:ss ident[our pid]: " then body,
 * as syslog(3) writes it.
 */
static void assert_syslog(const char *msg, int pri, const char *ident,
			  const char *body)
{
	char head[64], rest[128];
	size_t hlen;

	snprintf(head, sizeof(head), "<%d>", pri);
	hlen = strlen(head);
	ck_assert_msg(strncmp(msg, head, hlen) == 0, "%.60s", msg);
	/* the time: "Dec  4 10:00:00" */
	ck_assert_msg(msg[hlen + 3] == ' ' && msg[hlen + 6] == ' ' &&
			      msg[hlen + 9] == ':' && msg[hlen + 12] == ':' &&
			      msg[hlen + 15] == ' ',
		      "%.60s", msg);
	snprintf(rest, sizeof(rest), "%s[%d]: ", ident, (int)getpid());
	ck_assert_msg(strncmp(msg + hlen + 16, rest, strlen(rest)) == 0,
		      "%.60s", msg);
	ck_assert_str_eq(msg + hlen + 16 + strlen(rest), body);
}

/* Assert that the next datagram on fd is as assert_syslog says; returns
 * its length. */
static size_t assert_next_syslog(int fd, int pri, const char *ident,
				 const char *body)
{
	const char *msg;
	size_t n = 0;

	msg = devlog_next(fd, &n);
	ck_assert_msg(msg != NULL, "no message for %.40s", body);
	assert_syslog(msg, pri, ident, body);
	return n;
}

/* A JSON-like alert of exactly len bytes: {"a":"xxx...x"}. */
static char *make_alert(size_t len)
{
	char *a = malloc(len + 1);

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_ge(len, 8);
	memset(a, 'x', len);
	memcpy(a, "{\"a\":\"", 6);
	memcpy(a + len - 2, "\"}", 2);
	a[len] = '\0';
	return a;
}

/* A stand-in for the alert module's shorter version: cut (cut_len bytes)
 * or NULL; counts its calls and the max it was given. */
struct stub_within {
	const char *cut;
	size_t cut_len;
	unsigned calls;
	size_t max;
	char *clobber; /* overwritten at the call, as a builder may */
};

static const char *stub_within(void *arg, size_t max, size_t *len)
{
	struct stub_within *st = arg;

	st->calls++;
	st->max = max;
	if (st->clobber != NULL)
		memset(st->clobber, 'Z', strlen(st->clobber));
	*len = st->cut_len;
	return st->cut;
}

/* syslog to /dev/log as local3.notice (pri 19 * 8 + 5 = 157), ident
 * check_sink, with @cee:, and the file beside it. */
static void syslog_cfg(size_t max_message)
{
	cfg.outputs = OUT_BIT(OUT_SYSLOG) | OUT_BIT(OUT_FILE);
	free(cfg.syslog_ident);
	cfg.syslog_ident = strdup("check_sink");
	cfg.syslog_facility = LOG_LOCAL3;
	cfg.syslog_priority = LOG_NOTICE;
	cfg.syslog_cee = true;
	cfg.syslog_max_message = max_message;
}

#define PRI_LOCAL3_NOTICE 157

/*
 * syslog_max_message 2048 with ident check_sink and @cee: leaves 1741
 * bytes of alert: 2048 less the longest header, 45 bytes ("<191>", 15 of
 * time, 10 of ident, 10 of pid, 5 of blank, brackets and ": "), less 256
 * for the host name and blank a relay adds, less 6 for "@cee: ".
 */
#define LIMIT_MESSAGE 2048
#define LIMIT_TEXT 1741
#define LIMIT_RELAY 256
#define CUT "{\"cut\":1}"

enum offer { OFFER_NONE, OFFER_NULL, OFFER_CUT, OFFER_TOO_LONG };
enum got { GOT_WHOLE, GOT_CUT, GOT_NOTHING };

static const struct limit_case {
	const char *what;
	size_t len;	    /* of the alert */
	size_t max_message; /* syslog_max_message */
	bool cee;	    /* syslog_cee */
	bool reuse;	    /* within overwrites the alert's text */
	enum offer offer;
	enum got got;
	const char *said; /* logged, or NULL for nothing */
} limit_cases[] = {
	{"short", 100, LIMIT_MESSAGE, true, false, OFFER_CUT, GOT_WHOLE, NULL},
	{"at the limit", LIMIT_TEXT, LIMIT_MESSAGE, true, false, OFFER_CUT,
	 GOT_WHOLE, NULL},
	{"a byte past it", LIMIT_TEXT + 1, LIMIT_MESSAGE, true, false,
	 OFFER_CUT, GOT_CUT, NULL},
	{"far past it", 100000, LIMIT_MESSAGE, true, false, OFFER_CUT, GOT_CUT,
	 NULL},
	/* within may reuse the alert's memory (a builder's buffer): the
	 * file still gets the whole alert */
	{"the text reused", 5000, LIMIT_MESSAGE, true, true, OFFER_CUT, GOT_CUT,
	 NULL},
	{"no version fits", LIMIT_TEXT + 1, LIMIT_MESSAGE, true, false,
	 OFFER_NULL, GOT_NOTHING,
	 "alert of 1742 bytes dropped: longer than the 1741 bytes it takes, "
	 "even with its arguments cut"},
	{"the version is too long", LIMIT_TEXT + 1, LIMIT_MESSAGE, true, false,
	 OFFER_TOO_LONG, GOT_NOTHING, "even with its arguments cut"},
	{"no version offered", LIMIT_TEXT + 1, LIMIT_MESSAGE, true, false,
	 OFFER_NONE, GOT_NOTHING, "and no shorter version offered"},
	/* no limit: any length goes whole, and within is never asked */
	{"no limit, no @cee:", 100000, 0, false, false, OFFER_CUT, GOT_WHOLE,
	 NULL},
};

/* The stand-in's offer for case c, and doc's within. */
static void set_offer(const struct limit_case *c, struct stub_within *st,
		      struct sink_doc *doc, char *alert)
{
	st->cut = CUT;
	st->cut_len = strlen(CUT);
	doc->within = stub_within;
	doc->arg = st;
	if (c->offer == OFFER_NONE)
		doc->within = NULL;
	if (c->offer == OFFER_NULL)
		st->cut = NULL;
	if (c->offer == OFFER_TOO_LONG) {
		st->cut = alert;
		st->cut_len = LIMIT_TEXT + 1;
	}
	if (c->reuse)
		st->clobber = alert;
}

/* Assert what syslog got of case c (alert, and the sink's counts ss)
 * on fd, which receives /dev/log. */
static void assert_limit_got(const struct limit_case *c, int fd,
			     const char *alert, const struct sink_stats *ss)
{
	char *body;
	size_t n;

	switch (c->got) {
	case GOT_WHOLE:
	case GOT_CUT:
		ck_assert_int_gt(asprintf(&body, "%s%s", c->cee ? "@cee: " : "",
					  c->got == GOT_WHOLE ? alert : CUT),
				 0);
		n = assert_next_syslog(fd, PRI_LOCAL3_NOTICE, "check_sink",
				       body);
		free(body);
		/* room left for a relay's host name */
		if (c->max_message)
			ck_assert_uint_le(n, c->max_message - LIMIT_RELAY);
		ck_assert_uint_eq(ss->too_long, 0);
		ck_assert_uint_eq(ss->out[OUT_SYSLOG].written, 1);
		break;
	case GOT_NOTHING:
		ck_assert_uint_eq(ss->too_long, 1);
		ck_assert_uint_eq(ss->out[OUT_SYSLOG].too_long, 1);
		ck_assert_uint_eq(ss->out[OUT_SYSLOG].written, 0);
		break;
	}
	ck_assert_msg(devlog_next(fd, &n) == NULL, "%s: one message too many",
		      c->what);
}

/* One case of limit_cases against a new sink; fd receives /dev/log. */
static void run_limit_case(const struct limit_case *c, int fd)
{
	struct stub_within st = {0};
	struct sink_doc doc = {0};
	struct sink_stats ss;
	char *alert, *line, *said;
	struct sink *s;

	syslog_cfg(c->max_message);
	cfg.syslog_cee = c->cee;
	alert = make_alert(c->len);
	ck_assert_int_gt(asprintf(&line, "%s\n", alert), 0);
	set_offer(c, &st, &doc, alert);
	doc.text = alert;
	doc.len = c->len;
	unlink(alerts);
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	capture_begin();
	ck_assert_int_eq(sink_emit_doc(s, &doc), 0);
	said = capture_end();
	sink_stats(s, &ss);
	sink_free(s);

	/* the file takes the whole alert, whatever syslog got */
	assert_file(alerts, line);
	ck_assert_uint_eq(st.calls, c->got == GOT_WHOLE || !doc.within ? 0 : 1);
	if (st.calls)
		ck_assert_uint_eq(st.max, LIMIT_TEXT);
	assert_limit_got(c, fd, alert, &ss);
	ck_assert_uint_eq(ss.out[OUT_FILE].written, 1);
	ck_assert_uint_eq(ss.written, 1);
	ck_assert_uint_eq(ss.write_errors, 0);
	if (c->said)
		ck_assert_msg(strstr(said, c->said) != NULL, "%s: said %s",
			      c->what, said);
	else
		ck_assert_msg(said[0] == '\0', "%s: said %s", c->what, said);
	free(said);
	free(line);
	free(alert);
}

/* The syslog output's size limit: a whole alert, the shorter version,
 * or nothing (counted and logged); never an alert cut in the middle. */
START_TEST(test_syslog_limit)
{
	size_t i;
	int fd;

	fd = devlog_listen("test_syslog_limit");
	if (fd < 0)
		return;
	for (i = 0; i < ARRAY_SIZE(limit_cases); i++)
		run_limit_case(&limit_cases[i], fd);
	close(fd);
}
END_TEST

/*
 * The diagnostics take the alerts' ident once alerts go to syslog, as
 * syslog(3) had one per process: a copy, valid after the configuration
 * that named it is gone, and following a reload.
 */
START_TEST(test_syslog_ident)
{
	struct sink *s;
	size_t n;
	int fd;

	fd = devlog_listen("test_syslog_ident");
	if (fd < 0)
		return;
	syslog_cfg(LIMIT_MESSAGE);
	s = sink_create(&cfg);
	ck_assert_ptr_nonnull(s);
	free(cfg.syslog_ident);
	cfg.syslog_ident = strdup("reloaded");
	log_use_syslog(true);
	log_err("one %d", 1);
	ck_assert_int_eq(sink_reconfigure(s, &cfg), 0);
	log_warnx("two");
	ck_assert_int_eq(emit(s, "{}"), 0);
	sink_free(s);
	config_clear(&cfg);
	errno = ENOENT;
	log_warn("three");
	log_use_syslog(false);

	/* daemon.err (3 * 8 + 3), daemon.warning (3 * 8 + 4) */
	assert_next_syslog(fd, 27, "check_sink", "one 1");
	assert_next_syslog(fd, 28, "reloaded", "two");
	assert_next_syslog(fd, PRI_LOCAL3_NOTICE, "reloaded", "@cee: {}");
	assert_next_syslog(fd, 28, "reloaded",
			   "three: No such file or directory");
	ck_assert_ptr_null(devlog_next(fd, &n));
	close(fd);
}
END_TEST

static Suite *sink_suite(void)
{
	Suite *s = suite_create("sink");
	TCase *tc = tcase_create("sink");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_file_output);
	tcase_add_test(tc, test_reopen_rename);
	tcase_add_test(tc, test_reopen_delete);
	tcase_add_test(tc, test_stdout_output);
	tcase_add_test(tc, test_several_outputs);
	tcase_add_test(tc, test_queue_retry_stdout);
	tcase_add_test(tc, test_queue_one_output);
	tcase_add_test(tc, test_no_queue);
	tcase_add_test(tc, test_rate_limit);
	tcase_add_test(tc, test_rate_limit_at_exit);
	tcase_add_test(tc, test_reconfigure);
	tcase_add_test(tc, test_reconfigure_queue);
	tcase_add_test(tc, test_create_fails);
	tcase_add_test(tc, test_enospc);
	tcase_add_test(tc, test_enospc_overflow);
	tcase_add_test(tc, test_enospc_append_only);
	tcase_add_test(tc, test_syslog_limit);
	tcase_add_test(tc, test_syslog_ident);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sink_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
