/* sink.c - where alerts go: syslog, a file, stdout; queue and rate limit */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "devlog.h"
#include "log.h"
#include "sink.h"
#include "util.h"

#define CEE_PREFIX "@cee: "

/* A relay (rsyslog forwarding an alert) writes the host's name and a blank
 * after the timestamp; RFC 5424 allows 255 bytes of HOSTNAME. */
#define RELAY_HOSTNAME_MAX 255

#define OPEN_FLAGS                                                             \
	(O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
#define FILE_MODE 0600

/* One alert line (with its '\n') still owed to some outputs. */
struct pending {
	char *line;
	size_t len;	  /* including the '\n' */
	unsigned outputs; /* OUT_BIT()s still to write */
};

/* A failing output: whether it fails, why, and when we last said so. */
struct failure {
	bool failing;
	time_t last_logged;
	int last_errno;
};

/*
 * One output, as OpenBSD syslogd's struct filed: its type, what it has
 * open, its size limit, and its counts. Each group of fields serves the
 * types its comment names; the last group lasts across reloads.
 */
struct output {
	enum output_type type;
	bool on;
	size_t max_len; /* the longest alert text it takes; 0: any. Outputs
			 * with a limit are not queued: the queue holds
			 * whole lines */
	/* file */
	char *path;
	dev_t dev;
	ino_t ino;
	/* file, stdout */
	int fd;		   /* -1 when closed (failed to open) */
	bool need_newline; /* a partial line could not be taken back */
	/* syslog */
	struct devlog dl;
	int pri;
	bool cee;
	/* every type, kept across reloads */
	struct sink_output_stats st;
	struct failure fail;
	struct log_limit lim_lost, lim_long;
};

struct sink {
	struct output out[OUT_TYPES]; /* by type, on or not */

	unsigned rl_max, rl_interval;
	time_t rl_start; /* 0: no window open */
	unsigned rl_count;
	uint64_t rl_suppressed; /* in the current window */

	struct pending *queue; /* oldest first */
	size_t nqueue, queue_max;
	unsigned retry_interval;
	time_t last_retry;

	struct sink_stats st; /* the sink's own: emitted ... dropped */
};

/* Whether an output keeps the alerts it failed to take for a retry. */
static bool out_queued(enum output_type t)
{
	switch (t) {
	case OUT_FILE:
	case OUT_STDOUT:
		return true;
	case OUT_SYSLOG:
	case OUT_TYPES:
		break;
	}
	return false;
}

/* How an output is named in messages: the file's path, or its name. */
static const char *out_what(const struct output *o)
{
	return o->type == OUT_FILE && o->path ? o->path : output_name(o->type);
}

/* Open path for appending, creating it (and its parent directory) if
 * missing. Returns the fd, or -1 with errno set. */
static int open_file(const char *path, dev_t *dev, ino_t *ino)
{
	struct stat st;
	int fd, saved;

	/* O_NONBLOCK: a FIFO at the path fails (ENXIO) instead of waiting
	 * for a reader; it is cleared below for the regular file */
	fd = open(path, OPEN_FLAGS, FILE_MODE);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir_parent(path) < 0)
			return -1;
		fd = open(path, OPEN_FLAGS, FILE_MODE);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	/* a regular file, or a character device such as /dev/null */
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		errno = EINVAL; /* a FIFO, a socket, a directory */
		goto fail;
	}
	if (fcntl(fd, F_SETFL, O_APPEND) < 0)
		goto fail;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* (Re)open the file output; returns 0, or -1 with errno set and the
 * file closed. */
static int reopen_file(struct output *o)
{
	dev_t dev;
	ino_t ino;
	int fd, saved;

	fd = open_file(o->path, &dev, &ino);
	if (o->fd >= 0) {
		saved = errno;
		close(o->fd);
		errno = saved;
	}
	o->fd = fd;
	if (fd < 0)
		return -1;
	/* a fragment that could not be cut off is still there when the path
	 * names the same file again (SIGHUP without a rotation) */
	if (dev != o->dev || ino != o->ino)
		o->need_newline = false;
	o->dev = dev;
	o->ino = ino;
	return 0;
}

/* Reopen the file if its path no longer names the file we have open
 * (renamed or deleted by logrotate without a postrotate script), or if it
 * is closed. Returns 0, or -1 with errno set. */
static int check_file(struct output *o)
{
	struct stat st;

	if (o->fd >= 0 && stat(o->path, &st) == 0 && st.st_dev == o->dev &&
	    st.st_ino == o->ino)
		return 0;
	if (o->fd >= 0)
		log_info("%s: renamed or deleted; reopening", o->path);
	return reopen_file(o);
}

/* Finish a line a pipe took part of (done bytes of out, outlen long): it
 * cannot be taken back. Returns 0, or -1 with errno set. */
static int finish_line(int fd, const char *out, size_t outlen, size_t done)
{
	ssize_t n;

	while (done < outlen) {
		n = write(fd, out + done, outlen - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/*
 * Write buf (one whole line) to fd with one write(2). A short write to a
 * file is undone with ftruncate back to the size before it, so no partial
 * line is left. If even that fails, or a pipe took part of the line, the
 * next write starts with '\n' (*need_newline), so the fragment stays on a
 * line of its own and the next alert is intact. Returns 0, or -1 with
 * errno set.
 */
static int write_line(int fd, bool is_file, bool *need_newline, const char *buf,
		      size_t len)
{
	char *joined = NULL;
	const char *out = buf;
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
	saved = n == 0 ? ENOSPC : errno;
	if (n > 0 && (size_t)n < outlen && !is_file) {
		n = finish_line(fd, out, outlen, (size_t)n) == 0
			    ? (ssize_t)outlen
			    : -1;
		saved = errno;
		*need_newline = n < 0;
	} else if (n > 0 && (size_t)n < outlen) {
		off_t end = lseek(fd, 0, SEEK_END);

		saved = ENOSPC; /* what a short write to a file means */
		if (end < n || ftruncate(fd, end - n) < 0) {
			log_warn("cannot remove a partial alert line");
			*need_newline = true;
		}
	}
	free(joined);
	if (n >= 0 && (size_t)n == outlen) {
		*need_newline = false;
		return 0;
	}
	errno = saved;
	return -1;
}

/* The longest alert text syslog may send in a message of at most max
 * bytes: less its header at its longest, a relay's host name, and the
 * "@cee: " prefix. No limit (0) stays none. */
static size_t syslog_max_len(const struct output *o, size_t max)
{
	size_t head = devlog_header_max(&o->dl) + RELAY_HOSTNAME_MAX + 1 +
		      (o->cee ? strlen(CEE_PREFIX) : 0);

	if (max == 0)
		return 0;
	return max > head ? max - head : 1;
}

/* Make o an output of type t that is off, with nothing open. */
static void out_init(struct output *o, enum output_type t)
{
	memset(o, 0, sizeof(*o));
	o->type = t;
	o->fd = -1;
	devlog_init(&o->dl, "");
}

/* Open output o (of its type) as cfg says. Returns 0, or -1 with errno
 * set: out_close then frees what it holds. */
static int out_open(struct output *o, const struct config *cfg)
{
	o->on = true;
	switch (o->type) {
	case OUT_SYSLOG:
		devlog_set_ident(&o->dl, cfg->syslog_ident);
		o->pri =
			LOG_MAKEPRI(cfg->syslog_facility, cfg->syslog_priority);
		o->cee = cfg->syslog_cee;
		o->max_len = syslog_max_len(o, cfg->syslog_max_message);
		break;
	case OUT_FILE:
		o->path = strdup(cfg->file_path);
		if (o->path == NULL)
			return -1;
		o->fd = open_file(o->path, &o->dev, &o->ino);
		return o->fd < 0 ? -1 : 0;
	case OUT_STDOUT:
		o->fd = STDOUT_FILENO;
		break;
	case OUT_TYPES:
		break;
	}
	return 0;
}

/* Carry over a reload what of old lasts into next, of the same type: the
 * counts and failure state, the syslog connection, and a pending newline
 * when the output still writes where old did. */
static void out_keep(struct output *next, struct output *old)
{
	next->st = old->st;
	next->fail = old->fail;
	next->lim_lost = old->lim_lost;
	next->lim_long = old->lim_long;
	switch (next->type) {
	case OUT_SYSLOG:
		if (next->on && old->on)
			devlog_move(&next->dl, &old->dl);
		break;
	case OUT_FILE:
		if (next->on && next->dev == old->dev && next->ino == old->ino)
			next->need_newline = old->need_newline;
		break;
	case OUT_STDOUT:
		next->need_newline = old->need_newline;
		break;
	case OUT_TYPES:
		break;
	}
}

/* Write text (len bytes; for the file and stdout a whole line) to o.
 * Returns 0, or -1 with errno set. */
static int out_write(struct output *o, const char *text, size_t len)
{
	switch (o->type) {
	case OUT_SYSLOG:
		return devlog_send(&o->dl, o->pri, o->cee ? CEE_PREFIX : NULL,
				   text, len);
	case OUT_FILE:
		if (check_file(o) < 0)
			return -1;
		return write_line(o->fd, true, &o->need_newline, text, len);
	case OUT_STDOUT:
		return write_line(o->fd, false, &o->need_newline, text, len);
	case OUT_TYPES:
		break;
	}
	errno = EINVAL;
	return -1;
}

/* Reopen what o writes to: at once (force: SIGHUP, logrotate), or when it
 * is gone from under us (the periodic check). Returns 0, or -1 with errno
 * set. */
static int out_reopen(struct output *o, bool force)
{
	switch (o->type) {
	case OUT_FILE:
		return force ? reopen_file(o) : check_file(o);
	case OUT_SYSLOG: /* connects again by itself when the daemon has */
	case OUT_STDOUT:
	case OUT_TYPES:
		break;
	}
	return 0;
}

/* Let go of what o holds; o is then off. Safe on an output that is off. */
static void out_close(struct output *o)
{
	switch (o->type) {
	case OUT_FILE:
		if (o->fd >= 0)
			close(o->fd);
		free(o->path);
		o->path = NULL;
		break;
	case OUT_SYSLOG:
		devlog_close(&o->dl);
		break;
	case OUT_STDOUT: /* not ours to close */
	case OUT_TYPES:
		break;
	}
	o->fd = -1;
	o->on = false;
}

/* Close every output of out. */
static void outputs_close(struct output *out)
{
	size_t t;

	for (t = 0; t < OUT_TYPES; t++)
		out_close(&out[t]);
}

/* Fill out with every output, opening those cfg names. Returns 0, or -1
 * with the reason logged (followed by why_kept) and nothing left open. */
static int outputs_open(struct output *out, const struct config *cfg,
			const char *why_kept)
{
	size_t t;

	for (t = 0; t < OUT_TYPES; t++)
		out_init(&out[t], (enum output_type)t);
	for (t = 0; t < OUT_TYPES; t++) {
		if (!(cfg->outputs & OUT_BIT(t)) || out_open(&out[t], cfg) == 0)
			continue;
		log_err("%s: cannot open: %s%s",
			t == OUT_FILE ? cfg->file_path : output_name(t),
			strerror(errno), why_kept);
		outputs_close(out);
		return -1;
	}
	return 0;
}

/* A queued output failed to take a line (errno err): say so, at most once
 * per retry interval unless the reason changes. */
static void note_failure(struct sink *s, struct output *o, int err)
{
	struct failure *f = &o->fail;
	time_t now = time(NULL);

	if (!f->failing || f->last_errno != err ||
	    now - f->last_logged >= (time_t)s->retry_interval) {
		log_warnx("%s: write failed: %s; alerts are kept (at most "
			  "%zu) and retried every %u seconds",
			  out_what(o), strerror(err), s->queue_max,
			  s->retry_interval);
		f->last_logged = now;
	}
	f->failing = true;
	f->last_errno = err;
}

/* o failed to take an alert (errno err): count it and say so. */
static void out_failed(struct sink *s, struct output *o, int err)
{
	o->st.write_errors++;
	if (out_queued(o->type))
		note_failure(s, o, err);
	else
		log_limited(&o->lim_lost, "%s: alert lost: %s", out_what(o),
			    strerror(err));
}

/* o took an alert. */
static void out_took(struct output *o)
{
	o->st.written++;
	if (o->fail.failing)
		log_info("%s: writing again", out_what(o));
	o->fail.failing = false;
}

/* Write line to a queued output; returns 0 or -1 (failure counted). */
static int try_output(struct sink *s, struct output *o, const char *line,
		      size_t len)
{
	if (out_write(o, line, len) < 0) {
		out_failed(s, o, errno);
		return -1;
	}
	out_took(o);
	return 0;
}

/*
 * The text o takes of the alert doc: the whole one (*text, *len) when it
 * is within o's limit, else the shorter version doc offers. Returns 0, or
 * -1 when no version fits (counted and logged): never one cut in the
 * middle.
 */
static int out_fit(struct output *o, const struct sink_doc *doc,
		   const char **text, size_t *len)
{
	const char *cut = NULL;
	size_t n = 0;

	if (o->max_len == 0 || *len <= o->max_len)
		return 0;
	if (doc->within != NULL)
		cut = doc->within(doc->arg, o->max_len, &n);
	if (cut != NULL && n <= o->max_len) {
		*text = cut;
		*len = n;
		return 0;
	}
	o->st.too_long++;
	log_limited(&o->lim_long,
		    "%s: alert of %zu bytes dropped: longer than the %zu bytes "
		    "it takes, %s",
		    out_what(o), *len, o->max_len,
		    doc->within ? "even with its arguments cut"
				: "and no shorter version offered");
	return -1;
}

/* Hand the alert (line, the whole one with its '\n') to an output that is
 * not queued: whole, shorter, or not at all. */
static void send_unqueued(struct sink *s, struct output *o,
			  const struct sink_doc *doc, const char *line)
{
	const char *text = line;
	size_t len = doc->len;

	if (out_fit(o, doc, &text, &len) < 0)
		return;
	if (out_write(o, text, len) < 0)
		out_failed(s, o, errno);
	else
		out_took(o);
}

/* Outputs that have lines waiting: new lines for them must wait too, or
 * they would be written out of order. */
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
}

/*
 * Retry the queue in order. An output that fails again is not tried for
 * the rest of this pass, so its lines keep their order.
 */
static void retry_queue(struct sink *s)
{
	unsigned broken = 0;
	size_t i, t;

	for (i = 0; i < s->nqueue; i++) {
		struct pending *p = &s->queue[i];

		for (t = 0; t < OUT_TYPES; t++) {
			unsigned bit = OUT_BIT(t);

			if (!(p->outputs & bit) || (broken & bit))
				continue;
			if (try_output(s, &s->out[t], p->line, p->len) < 0)
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

/* Whether the open window has ended at now (or the clock went back). */
static bool window_over(const struct sink *s, time_t now)
{
	return s->rl_start != 0 &&
	       (now < s->rl_start ||
		now - s->rl_start >= (time_t)s->rl_interval);
}

/* Close the window if it has ended; true if this alert may go out. */
static bool rate_allow(struct sink *s, time_t now)
{
	if (s->rl_max == 0)
		return true;
	if (window_over(s, now))
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

/* Take cfg's limits, and give diagnostics the alerts' syslog ident, as
 * syslog(3) had one ident per process. */
static void set_limits(struct sink *s, const struct config *cfg)
{
	if (cfg->outputs & OUT_BIT(OUT_SYSLOG))
		log_syslog_ident(cfg->syslog_ident);
	if (s->rl_max != cfg->rate_limit_alerts ||
	    s->rl_interval != cfg->rate_limit_interval)
		rate_summary(s);
	s->rl_max = cfg->rate_limit_alerts;
	s->rl_interval = cfg->rate_limit_interval;
	s->retry_interval = cfg->retry_interval ? cfg->retry_interval : 1;
	s->queue_max = cfg->queue_max;
}

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
	if (outputs_open(s->out, cfg, "") < 0) {
		free(s);
		return NULL;
	}
	set_limits(s, cfg);
	return s;
}

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
	outputs_close(s->out);
	free(s);
}

/* Drop the queued lines owed only to outputs that are off now, and the
 * newest past queue_max; count and say so. */
static void trim_queue(struct sink *s)
{
	unsigned on = 0;
	size_t i, gone = 0;

	for (i = 0; i < OUT_TYPES; i++)
		on |= s->out[i].on ? OUT_BIT(i) : 0;
	for (i = 0; i < s->nqueue; i++) {
		s->queue[i].outputs &= on;
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
		/* drop the newest, as sink_emit_doc does on overflow */
		free(s->queue[--s->nqueue].line);
		gone++;
	}
	if (gone > 0)
		log_warnx("%zu queued alert%s dropped: queue_max is now %zu",
			  gone, gone == 1 ? "" : "s", s->queue_max);
	s->st.dropped += gone;
}

int sink_reconfigure(struct sink *s, const struct config *cfg)
{
	struct output next[OUT_TYPES];
	size_t t;

	if (cfg->outputs == 0) {
		log_err("no output configured; keeping the old outputs");
		return -1;
	}
	if (outputs_open(next, cfg, "; keeping the old outputs") < 0)
		return -1;
	/* the queue gets one more try on the outputs it is owed to, as at
	 * exit, before any of them is let go */
	if (s->nqueue > 0)
		retry_queue(s);
	for (t = 0; t < OUT_TYPES; t++) {
		out_keep(&next[t], &s->out[t]);
		out_close(&s->out[t]);
		s->out[t] = next[t];
	}
	set_limits(s, cfg);
	trim_queue(s);
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
		log_limited(
			&lim_full,
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
	return 0;
}

int sink_emit_doc(struct sink *s, const struct sink_doc *doc)
{
	unsigned waiting, failed = 0;
	size_t t;
	char *line;

	s->st.emitted++;
	if (!rate_allow(s, time(NULL)))
		return 1;
	/* the copy every output writes from: doc->text may be gone once
	 * doc->within has been called */
	line = malloc(doc->len + 2);
	if (line == NULL) {
		s->st.dropped++;
		log_warnx("out of memory; alert dropped");
		return -1;
	}
	memcpy(line, doc->text, doc->len);
	line[doc->len] = '\n';
	line[doc->len + 1] = '\0';
	waiting = queued_outputs(s);
	for (t = 0; t < OUT_TYPES; t++) {
		struct output *o = &s->out[t];

		if (!o->on)
			continue;
		if (!out_queued(o->type))
			send_unqueued(s, o, doc, line);
		else if ((waiting & OUT_BIT(t)) ||
			 try_output(s, o, line, doc->len + 1) < 0)
			failed |= OUT_BIT(t);
	}
	if (failed == 0) {
		free(line);
		s->st.written++;
		return 0;
	}
	if (enqueue(s, line, doc->len + 1, failed) < 0) {
		free(line);
		return -1;
	}
	return 0;
}

int sink_emit(struct sink *s, const char *json, size_t len)
{
	struct sink_doc doc = {.text = json, .len = len};

	return sink_emit_doc(s, &doc);
}

void sink_tick(struct sink *s, time_t now)
{
	size_t t;

	if (window_over(s, now))
		rate_summary(s);
	if (s->nqueue > 0) {
		if (now < s->last_retry ||
		    now - s->last_retry >= (time_t)s->retry_interval) {
			s->last_retry = now;
			retry_queue(s);
		}
		return;
	}
	for (t = 0; t < OUT_TYPES; t++)
		if (s->out[t].on && out_reopen(&s->out[t], false) < 0)
			out_failed(s, &s->out[t], errno);
}

void sink_reopen(struct sink *s)
{
	size_t t;

	for (t = 0; t < OUT_TYPES; t++)
		if (s->out[t].on && out_reopen(&s->out[t], true) < 0)
			out_failed(s, &s->out[t], errno);
}

void sink_stats(const struct sink *s, struct sink_stats *st)
{
	size_t t;

	*st = s->st;
	st->queued = s->nqueue;
	for (t = 0; t < OUT_TYPES; t++) {
		st->out[t] = s->out[t].st;
		st->write_errors += s->out[t].st.write_errors;
		st->too_long += s->out[t].st.too_long;
	}
}
