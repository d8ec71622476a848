/* sink.c - where alerts go: stdout, a file, syslog; queue and rate limit */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "sink.h"

#define CEE_PREFIX "@cee: "

/* Outputs that can fail and so have queued lines: stdout and the file. */
#define QUEUED_OUTPUTS (OUTPUT_STDOUT | OUTPUT_FILE)

/* One alert line (with its '\n') still owed to some outputs. */
struct pending {
	char *line;
	size_t len;	  /* including the '\n' */
	unsigned outputs; /* OUTPUT_* bits still to write */
};

/* A failing output: when it failed and when we last said so. */
struct failure {
	bool failing;
	time_t last_logged;
	int last_errno;
};

struct sink {
	unsigned outputs;

	char *file_path;
	int fd; /* -1 when the file is closed (failed to open) */
	dev_t dev;
	ino_t ino;
	bool need_newline;   /* a partial line could not be truncated away */
	bool stdout_newline; /* the same for stdout */

	char *ident; /* kept alive: openlog(3) keeps the pointer */
	int facility, priority;
	bool cee;

	unsigned rl_max, rl_interval;
	time_t rl_start; /* 0: no window open */
	unsigned rl_count;
	uint64_t rl_suppressed; /* in the current window */

	struct pending *queue; /* oldest first */
	size_t nqueue, queue_max;
	unsigned retry_interval;
	time_t last_retry;
	struct failure fail_file, fail_stdout;

	struct sink_stats st;
};

static int mkdir_parent(const char *path)
{
	char *dir, *slash;
	int rc = 0;

	dir = strdup(path);
	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return rc;
}

#define OPEN_FLAGS                                                             \
	(O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

/* Open path for appending, creating it (and its parent directory) if
 * missing. Returns the fd, or -1 with errno set. */
static int open_file(const char *path, dev_t *dev, ino_t *ino)
{
	struct stat st;
	int fd, saved;

	/* O_NONBLOCK: a FIFO at the path fails (ENXIO) instead of waiting
	 * for a reader; it is cleared below for the regular file */
	fd = open(path, OPEN_FLAGS, 0600);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir_parent(path) < 0)
			return -1;
		fd = open(path, OPEN_FLAGS, 0600);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* a regular file, or a character device such as /dev/null */
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		close(fd);
		errno = EINVAL; /* a FIFO, a socket, a directory */
		return -1;
	}
	if (fcntl(fd, F_SETFL, O_APPEND) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	*dev = st.st_dev;
	*ino = st.st_ino;
	return fd;
}

static void close_file(struct sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* (Re)open the file output; returns 0, or -1 with errno set and the
 * file closed. */
static int reopen_file(struct sink *s)
{
	dev_t dev;
	ino_t ino;
	int fd, saved;

	fd = open_file(s->file_path, &dev, &ino);
	if (fd < 0) {
		saved = errno;
		close_file(s);
		errno = saved;
		return -1;
	}
	close_file(s);
	/* a fragment that could not be cut off is still there when the path
	 * names the same file again (SIGHUP without a rotation) */
	if (dev != s->dev || ino != s->ino)
		s->need_newline = false;
	s->fd = fd;
	s->dev = dev;
	s->ino = ino;
	return 0;
}

/* Reopen the file if its path no longer names the file we have open
 * (renamed or deleted by logrotate without a postrotate script), or if it
 * is closed. Returns 0, or -1 with errno set. */
static int check_file(struct sink *s)
{
	struct stat st;

	if (!(s->outputs & OUTPUT_FILE))
		return 0;
	if (s->fd >= 0 && stat(s->file_path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		return 0;
	if (s->fd >= 0)
		log_info("%s: renamed or deleted; reopening", s->file_path);
	return reopen_file(s);
}

/*
 * Write buf (one whole line) to fd with one write(2). A short write is
 * undone with ftruncate back to the size before it, so no partial line is
 * left. If even that fails, *need_newline is set and the next write starts
 * with '\n', so the fragment stays on a line of its own and the next alert
 * is intact. Returns 0, or -1 with errno set.
 */
static int write_line(int fd, bool is_file, bool *need_newline, const char *buf,
		      size_t len)
{
	const char *out = buf;
	char *joined = NULL;
	size_t outlen = len;
	ssize_t n;
	int saved;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (*need_newline) {
		joined = malloc(len + 1);
		if (joined == NULL)
			return -1;
		joined[0] = '\n';
		memcpy(joined + 1, buf, len);
		out = joined;
		outlen = len + 1;
	}
	do {
		n = write(fd, out, outlen);
	} while (n < 0 && errno == EINTR);
	saved = errno;
	free(joined);
	if (n >= 0 && (size_t)n == outlen) {
		*need_newline = false;
		return 0;
	}
	if (n == 0)
		saved = ENOSPC;
	if (n > 0 && !is_file) {
		/* a pipe took part of the line: finish it, it cannot be
		 * taken back */
		size_t done = (size_t)n;

		while (done < outlen) {
			n = write(fd, buf + (done - (outlen - len)),
				  outlen - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (size_t)n;
		}
		if (done == outlen) {
			*need_newline = false;
			return 0;
		}
		saved = n < 0 ? errno : EIO;
		*need_newline = true;
	} else if (n > 0) {
		off_t end;

		saved = ENOSPC; /* what a short write to a file means */
		end = lseek(fd, 0, SEEK_END);
		if (end < n || ftruncate(fd, end - n) < 0) {
			log_warn("cannot remove a partial alert line");
			*need_newline = true;
		}
	}
	errno = saved;
	return -1;
}

static void note_failure(struct sink *s, struct failure *f, const char *what,
			 int err)
{
	time_t now = time(NULL);

	s->st.write_errors++;
	if (!f->failing || f->last_errno != err ||
	    now - f->last_logged >= (time_t)s->retry_interval) {
		log_warnx("%s: write failed: %s; alerts are kept (at most "
			  "%zu) and retried every %u seconds",
			  what, strerror(err), s->queue_max, s->retry_interval);
		f->last_logged = now;
	}
	f->failing = true;
	f->last_errno = err;
}

static void note_success(struct failure *f, const char *what)
{
	if (f->failing)
		log_info("%s: writing again", what);
	f->failing = false;
}

/* Try one queued-kind output; returns 0 or -1 (failure noted). */
static int try_output(struct sink *s, unsigned output, const char *line,
		      size_t len)
{
	int rc;

	if (output == OUTPUT_FILE) {
		rc = check_file(s);
		if (rc == 0)
			rc = write_line(s->fd, true, &s->need_newline, line,
					len);
		if (rc < 0)
			note_failure(s, &s->fail_file, s->file_path, errno);
		else
			note_success(&s->fail_file, s->file_path);
	} else {
		rc = write_line(STDOUT_FILENO, false, &s->stdout_newline, line,
				len);
		if (rc < 0)
			note_failure(s, &s->fail_stdout, "stdout", errno);
		else
			note_success(&s->fail_stdout, "stdout");
	}
	return rc;
}

/*
 * Send one alert (json, len bytes, NUL-terminated) to syslog. The ident is
 * the log module's (set by set_config); the facility and priority go with
 * each message. Syslog is not queued: when the daemon is down, or has had
 * no room for a second, the alert is lost to syslog (the other outputs
 * still get it), counted as a write error and logged.
 */
static void write_syslog(struct sink *s, const char *json, size_t len)
{
	static struct log_limit lim_syslog = LOG_LIMIT_INIT;
	char *cee = NULL;
	int rc, err = ENOMEM;

	if (s->cee) {
		cee = malloc(sizeof(CEE_PREFIX) + len);
		if (cee == NULL)
			goto lost;
		memcpy(cee, CEE_PREFIX, sizeof(CEE_PREFIX) - 1);
		memcpy(cee + sizeof(CEE_PREFIX) - 1, json, len + 1);
	}
	rc = log_syslog(LOG_MAKEPRI(s->facility, s->priority),
			cee ? cee : json);
	err = errno;
	free(cee);
	if (rc == 0)
		return;
lost:
	s->st.write_errors++;
	log_limited(&lim_syslog, "syslog: alert lost: %s", strerror(err));
}

/* Outputs (of QUEUED_OUTPUTS) that have lines waiting: new lines for them
 * must wait too, or they would be written out of order. */
static unsigned queued_outputs(const struct sink *s)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < s->nqueue; i++)
		bits |= s->queue[i].outputs;
	return bits;
}

/* Drop queue entries that no output is waiting for. */
static void compact_queue(struct sink *s)
{
	size_t i, j = 0;

	for (i = 0; i < s->nqueue; i++) {
		if (s->queue[i].outputs == 0) {
			if (s->queue[i].line != NULL)
				s->st.written++;
			free(s->queue[i].line);
			continue;
		}
		s->queue[j++] = s->queue[i];
	}
	s->nqueue = j;
	s->st.queued = j;
}

/*
 * Retry the queue in order. An output that fails again is not tried for
 * the rest of this pass, so its lines keep their order.
 */
static void retry_queue(struct sink *s)
{
	unsigned broken = 0;
	size_t i;

	for (i = 0; i < s->nqueue; i++) {
		struct pending *p = &s->queue[i];
		unsigned bit;

		for (bit = OUTPUT_STDOUT; bit <= OUTPUT_FILE; bit <<= 1) {
			if (!(p->outputs & bit) || (broken & bit))
				continue;
			if (try_output(s, bit, p->line, p->len) < 0)
				broken |= bit;
			else
				p->outputs &= ~bit;
		}
	}
	compact_queue(s);
}

static void rate_summary(struct sink *s)
{
	if (s->rl_suppressed > 0)
		log_warnx("rate limit: %llu alert%s suppressed in %u seconds "
			  "(at most %u per %u seconds)",
			  (unsigned long long)s->rl_suppressed,
			  s->rl_suppressed == 1 ? "" : "s", s->rl_interval,
			  s->rl_max, s->rl_interval);
	s->rl_suppressed = 0;
	s->rl_count = 0;
	s->rl_start = 0;
}

/* Close the window if it has ended; true if this alert may go out. */
static bool rate_allow(struct sink *s, time_t now)
{
	if (s->rl_max == 0)
		return true;
	if (s->rl_start != 0 &&
	    (now < s->rl_start || now - s->rl_start >= (time_t)s->rl_interval))
		rate_summary(s);
	if (s->rl_start == 0)
		s->rl_start = now;
	if (s->rl_count < s->rl_max) {
		s->rl_count++;
		return true;
	}
	s->rl_suppressed++;
	s->st.suppressed++;
	return false;
}

static int set_config(struct sink *s, const struct config *cfg)
{
	char *ident = NULL;

	if (cfg->outputs & OUTPUT_SYSLOG) {
		ident = strdup(cfg->syslog_ident ? cfg->syslog_ident
						 : "audisp-dracut");
		if (ident == NULL)
			return -1;
		log_syslog_ident(ident);
	}
	/* the log module keeps the pointer: the old ident may be freed only
	 * once a new one replaces it */
	if (ident != NULL) {
		free(s->ident);
		s->ident = ident;
	}
	s->facility = cfg->syslog_facility;
	s->priority = cfg->syslog_priority;
	s->cee = cfg->syslog_cee;
	s->outputs = cfg->outputs;
	if (s->rl_max != cfg->rate_limit_alerts ||
	    s->rl_interval != cfg->rate_limit_interval)
		rate_summary(s);
	s->rl_max = cfg->rate_limit_alerts;
	s->rl_interval = cfg->rate_limit_interval;
	s->retry_interval = cfg->retry_interval ? cfg->retry_interval : 1;
	s->queue_max = cfg->queue_max;
	return 0;
}

/* Open the outputs cfg names. Returns NULL with the reason logged; free
 * with sink_free (which tries the queue once more). */
struct sink *sink_create(const struct config *cfg)
{
	struct sink *s;

	if (cfg->outputs == 0) {
		log_err("no output configured");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		log_err("out of memory");
		return NULL;
	}
	s->fd = -1;
	if (cfg->outputs & OUTPUT_FILE) {
		s->file_path = strdup(cfg->file_path);
		if (s->file_path == NULL) {
			log_err("out of memory");
			sink_free(s);
			return NULL;
		}
		s->fd = open_file(s->file_path, &s->dev, &s->ino);
		if (s->fd < 0) {
			log_err("%s: cannot open: %s", s->file_path,
				strerror(errno));
			sink_free(s);
			return NULL;
		}
	}
	if (set_config(s, cfg) < 0) {
		log_err("out of memory");
		sink_free(s);
		return NULL;
	}
	return s;
}

/* Free s after one more try to write its queue; sink_free(NULL) is safe. */
void sink_free(struct sink *s)
{
	size_t i;

	if (s == NULL)
		return;
	if (s->nqueue > 0)
		retry_queue(s);
	if (s->nqueue > 0) {
		log_err("%zu queued alert%s lost at exit", s->nqueue,
			s->nqueue == 1 ? "" : "s");
		for (i = 0; i < s->nqueue; i++)
			free(s->queue[i].line);
	}
	rate_summary(s);
	free(s->queue);
	close_file(s);
	free(s->file_path);
	/* s->ident stays allocated: openlog(3) still points at it, and the
	 * log module may keep using syslog after us */
	free(s);
}

/* Switch to the outputs and limits of cfg (SIGHUP): reopens the file.
 * Returns 0, or -1 with the old outputs kept. */
int sink_reconfigure(struct sink *s, const struct config *cfg)
{
	char *path = NULL;
	dev_t dev = 0;
	ino_t ino = 0;
	int fd = -1;
	size_t i, gone = 0;

	if (cfg->outputs == 0) {
		log_err("no output configured; keeping the old outputs");
		return -1;
	}
	if (cfg->outputs & OUTPUT_FILE) {
		path = strdup(cfg->file_path);
		if (path == NULL) {
			log_err("out of memory; keeping the old outputs");
			return -1;
		}
		fd = open_file(path, &dev, &ino);
		if (fd < 0) {
			log_err("%s: cannot open: %s; keeping the old outputs",
				path, strerror(errno));
			free(path);
			return -1;
		}
	}
	/* the queue gets one more try on the outputs it is owed to, as at
	 * exit, before any of them is let go */
	if (s->nqueue > 0)
		retry_queue(s);
	if (set_config(s, cfg) < 0) {
		log_err("out of memory; keeping the old outputs");
		if (fd >= 0)
			close(fd);
		free(path);
		return -1;
	}
	close_file(s);
	free(s->file_path);
	s->file_path = path;
	s->fd = fd;
	if (fd < 0 || dev != s->dev || ino != s->ino)
		s->need_newline = false;
	s->dev = dev;
	s->ino = ino;
	/* lines owed only to outputs that are gone are dropped */
	for (i = 0; i < s->nqueue; i++) {
		s->queue[i].outputs &= s->outputs;
		if (s->queue[i].outputs == 0) {
			free(s->queue[i].line);
			s->queue[i].line = NULL;
			gone++;
		}
	}
	compact_queue(s);
	if (gone > 0)
		log_warnx("%zu queued alert%s dropped: %s output is no longer "
			  "configured",
			  gone, gone == 1 ? "" : "s",
			  gone == 1 ? "its" : "their");
	s->st.dropped += gone;
	gone = 0;
	while (s->nqueue > s->queue_max) {
		/* drop the newest, as sink_emit does on overflow */
		free(s->queue[--s->nqueue].line);
		gone++;
	}
	if (gone > 0)
		log_warnx("%zu queued alert%s dropped: queue_max is now %zu",
			  gone, gone == 1 ? "" : "s", s->queue_max);
	s->st.dropped += gone;
	s->st.queued = s->nqueue;
	return 0;
}

/*
 * Queue line for the outputs in bits. When the queue is full the new line
 * is dropped and counted: the oldest alerts are kept, because they show
 * the start of what happened, and someone who can make alerts must not be
 * able to push the first ones out. Returns 0 or -1 (dropped).
 */
static int enqueue(struct sink *s, char *line, size_t len, unsigned bits)
{
	static struct log_limit lim_full = LOG_LIMIT_INIT;
	static struct log_limit lim_nomem = LOG_LIMIT_INIT;
	struct pending *grown;

	if (s->nqueue >= s->queue_max) {
		s->st.dropped++;
		log_limited(&lim_full,
			    "alert queue full (%zu); alert dropped (%llu so far)",
			    s->queue_max, (unsigned long long)s->st.dropped);
		return -1;
	}
	grown = realloc(s->queue, (s->nqueue + 1) * sizeof(*grown));
	if (grown == NULL) {
		s->st.dropped++;
		log_limited(&lim_nomem, "out of memory; alert dropped");
		return -1;
	}
	s->queue = grown;
	s->queue[s->nqueue].line = line;
	s->queue[s->nqueue].len = len;
	s->queue[s->nqueue].outputs = bits;
	s->nqueue++;
	s->st.queued = s->nqueue;
	return 0;
}

/*
 * Hand one alert (JSON without newline) to every output. Each output gets
 * the whole line or nothing; a failed output keeps the line in a bounded
 * queue for retry. Returns 0 when written or queued, 1 when held back by
 * the rate limit, -1 when dropped.
 */
int sink_emit(struct sink *s, const char *json, size_t len)
{
	unsigned waiting, failed = 0, bit;
	char *line;

	s->st.emitted++;
	if (!rate_allow(s, time(NULL)))
		return 1;
	line = malloc(len + 2);
	if (line == NULL) {
		s->st.dropped++;
		log_warnx("out of memory; alert dropped");
		return -1;
	}
	memcpy(line, json, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	if (s->outputs & OUTPUT_SYSLOG) {
		line[len] = '\0';
		write_syslog(s, line, len);
		line[len] = '\n';
	}
	waiting = queued_outputs(s);
	for (bit = OUTPUT_STDOUT; bit <= OUTPUT_FILE; bit <<= 1) {
		if (!(s->outputs & bit))
			continue;
		if ((waiting & bit) || try_output(s, bit, line, len + 1) < 0)
			failed |= bit;
	}
	if (failed == 0) {
		free(line);
		s->st.written++;
		return 0;
	}
	if (enqueue(s, line, len + 1, failed) < 0) {
		free(line);
		return -1;
	}
	return 0;
}

/* Periodic work: retry the queue, reopen a file renamed or deleted under
 * us, and write the rate-limit summary. now is time(NULL). */
void sink_tick(struct sink *s, time_t now)
{
	if (s->rl_start != 0 &&
	    (now < s->rl_start || now - s->rl_start >= (time_t)s->rl_interval))
		rate_summary(s);
	if (s->nqueue > 0) {
		if (now < s->last_retry ||
		    now - s->last_retry >= (time_t)s->retry_interval) {
			s->last_retry = now;
			retry_queue(s);
		}
	} else if (check_file(s) < 0) {
		note_failure(s, &s->fail_file, s->file_path, errno);
	}
}

/* Reopen the file output (SIGHUP, logrotate). */
void sink_reopen(struct sink *s)
{
	if ((s->outputs & OUTPUT_FILE) && reopen_file(s) < 0)
		note_failure(s, &s->fail_file, s->file_path, errno);
}

/* Copy the counters into st. */
void sink_stats(const struct sink *s, struct sink_stats *st)
{
	*st = s->st;
	st->queued = s->nqueue;
}
