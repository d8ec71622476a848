/* explain.c - --explain: why each dracut run did or did not alert */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "explain.h"
#include "field.h"
#include "json.h"
#include "log.h"

/* Lines are created for root alone, as the alerts are. */
#define EXPLAIN_MODE 0600
#define EXPLAIN_FLAGS (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)

struct explain {
	char *path; /* NULL: standard output */
	int fd;
	struct buf line;
	struct explain_stats st;
};

static struct log_limit lim_write = LOG_LIMIT_INIT;

const char *explain_reason_name(enum proctable_miss m)
{
	static const char *const names[] = {
		[PROCTABLE_FOUND] = "no_executable",
		[PROCTABLE_NO_PPID] = "no_ppid",
		[PROCTABLE_NEVER_SEEN] = "never_seen",
		[PROCTABLE_EVICTED] = "evicted",
		[PROCTABLE_REUSED] = "reused",
		[PROCTABLE_PROC_GONE] = "proc_gone",
		[PROCTABLE_OTHER_HOST] = "other_host",
		[PROCTABLE_NOMEM] = "nomem",
	};

	return (unsigned)m < ARRAY_SIZE(names) ? names[m] : "unknown";
}

static const char *source_name(enum image_source s)
{
	switch (s) {
	case IMAGE_SRC_STREAM:
		return "stream";
	case IMAGE_SRC_FORK:
		return "fork";
	case IMAGE_SRC_PROC:
		return "proc";
	case IMAGE_SRC_NONE:
		break;
	}
	return NULL;
}

/* lookup: what was tried, and where the parent came from or why not. */
static void put_lookup(struct json *w, bool *more, const struct image *parent,
		       const struct proctable_lookup *look)
{
	static const struct {
		unsigned bit;
		const char *name;
	} tries[] = {
		{PROCTABLE_TRIED_STREAM, "\"stream\""},
		{PROCTABLE_TRIED_PROC, "\"proc\""},
		{PROCTABLE_TRIED_FORK, "\"fork\""},
	};
	bool inner = false, first = true;
	size_t i;

	json_key(w, more, "lookup");
	JSON_LIT(w, "{");
	json_key(w, &inner, "tried");
	JSON_LIT(w, "[");
	for (i = 0; i < ARRAY_SIZE(tries); i++) {
		if (!(look->tried & tries[i].bit))
			continue;
		if (!first)
			JSON_LIT(w, ",");
		json_raw(w, tries[i].name, strlen(tries[i].name));
		first = false;
	}
	JSON_LIT(w, "]");
	if (parent && source_name(parent->source))
		json_ascii(w, &inner, "source", source_name(parent->source));
	if (!parent || !parent->executable)
		json_ascii(w, &inner, "reason",
			   explain_reason_name(parent ? PROCTABLE_FOUND
						      : look->miss));
	if (!parent && look->missing > 0) {
		json_key(w, &inner, "missing_pid");
		json_int(w, look->missing);
	}
	JSON_LIT(w, "}");
}

/* What decided an excluded or excepted candidate. */
static void put_test(struct json *w, bool *more, const struct rule_decision *d)
{
	if (d->verdict == RULE_EXCLUDED) {
		json_key(w, more, "clause");
		json_int(w, (int64_t)d->index + 1);
	} else {
		json_key(w, more, "exception");
		json_int(w, (int64_t)d->index + 1);
		json_key(w, more, "line");
		json_int(w, d->line);
	}
	/* the dotted name is static text in the field table */
	json_ascii(w, more, "field",
		   field_table[d->field.id].path[d->field.parent]);
	json_ascii(w, more, "operator", match_op_name(d->op));
	json_str(w, more, "pattern", "pattern", d->pattern);
	json_str(w, more, "value", "value", rule_decision_value(d));
	if (d->value_cut) {
		json_key(w, more, "value_cut");
		json_bool(w, true);
	}
}

/* The decision's flags, where they are set. */
static void put_flags(struct json *w, bool *more, const struct rule_decision *d)
{
	if (d->inexact) {
		json_key(w, more, "inexact");
		json_bool(w, true);
	}
	if (d->stale) {
		json_key(w, more, "stale");
		json_bool(w, true);
	}
}

const char *explain_build(struct buf *b, const struct explain_input *in)
{
	struct json w = {.b = b, .limit = JSON_UNBOUNDED};
	const struct rule_decision *d = in->d;
	const struct image *p = in->proc, *parent = in->look->parent;
	bool more = false;

	b->len = 0;
	JSON_LIT(&w, "{");
	json_time(&w, &more, "@timestamp", p->sec, p->msec);
	json_ascii(&w, &more, "verdict", rule_verdict_name(d->verdict));
	json_key(&w, &more, "rule");
	JSON_LIT(&w, "{\"version\":");
	json_int(&w, d->version);
	JSON_LIT(&w, "}");
	if (d->verdict == RULE_EXCLUDED || d->verdict == RULE_EXCEPTED)
		put_test(&w, &more, d);
	put_flags(&w, &more, d);
	put_lookup(&w, &more, parent, in->look);
	json_key(&w, &more, "host");
	JSON_LIT(&w, "{");
	json_str(&w, &(bool){false}, "name", "host.name", in->host_name);
	JSON_LIT(&w, "}");
	alert_put_process(&w, &more, p, parent);
	if (p->serial) {
		json_key(&w, &more, "auditd");
		JSON_LIT(&w, "{\"sequence\":");
		json_int(&w, (int64_t)p->serial);
		JSON_LIT(&w, "}");
	}
	json_marks(&w, &more, "encoded_fields", &w.enc);
	JSON_LIT(&w, "}");
	json_raw(&w, "", 1); /* a NUL after the text, not counted */
	if (w.failed)
		return NULL;
	b->len--;
	return b->p;
}

/* ---------------------------------------------------------------- output */

/* Open ex's file. Returns 0, or -1 with errno set. */
static int open_path(struct explain *ex)
{
	int fd = open(ex->path, EXPLAIN_FLAGS, EXPLAIN_MODE);

	if (fd < 0 && errno == ENOENT && mkdir_parent(ex->path) == 0)
		fd = open(ex->path, EXPLAIN_FLAGS, EXPLAIN_MODE);
	if (fd < 0)
		return -1;
	ex->fd = fd;
	return 0;
}

struct explain *explain_open(const char *path)
{
	struct explain *ex = calloc(1, sizeof(*ex));

	if (!ex) {
		log_err("out of memory");
		return NULL;
	}
	ex->fd = STDOUT_FILENO;
	if (path && strcmp(path, "-") != 0) {
		ex->path = strdup(path);
		if (!ex->path || open_path(ex) < 0) {
			log_warn("cannot open %s for --explain", path);
			explain_close(ex);
			return NULL;
		}
	}
	return ex;
}

void explain_close(struct explain *ex)
{
	if (!ex)
		return;
	if (ex->path && ex->fd >= 0)
		close(ex->fd);
	free(ex->path);
	buf_free(&ex->line);
	free(ex);
}

void explain_reopen(struct explain *ex)
{
	int old;

	if (!ex || !ex->path)
		return;
	old = ex->fd;
	if (open_path(ex) < 0) {
		log_warn("cannot reopen %s for --explain; writing on to the "
			 "file open",
			 ex->path);
		return;
	}
	if (old >= 0)
		close(old);
}

/* Write all of s. Returns 0, or -1 with errno set. */
static int write_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

void explain_write(struct explain *ex, const struct explain_input *in)
{
	const char *what = ex->path ? ex->path : "standard output";

	if (!explain_build(&ex->line, in) ||
	    buf_append(&ex->line, "\n", 1) < 0) {
		ex->st.errors++;
		log_limited(&lim_write,
			    "out of memory: --explain line for "
			    "pid %d lost",
			    (int)in->proc->pid);
		return;
	}
	if (write_all(ex->fd, ex->line.p, ex->line.len) < 0) {
		ex->st.errors++;
		log_limited(&lim_write, "cannot write --explain line to %s: %s",
			    what, strerror(errno));
		return;
	}
	ex->st.written++;
}

void explain_stats(const struct explain *ex, struct explain_stats *st)
{
	if (ex)
		*st = ex->st;
	else
		memset(st, 0, sizeof(*st));
}
