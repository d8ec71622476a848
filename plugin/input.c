/* input.c - the read loop: audit records into auparse, complete events out */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "log.h"
#include "util.h"

#define INPUT_BUF (256 * 1024)
/* A record longer than this is not audit text; it is fed in pieces and
 * auparse drops what it cannot parse. */
#define INPUT_MAX_LINE (INPUT_BUF / 2)
/* Reads per wake-up before signals and the tick are looked at again. */
#define INPUT_DRAIN_READS 64
/*
 * Live mode: after a batch of reads that ended on a complete event, wait
 * this long before polling again, so that the records auditd writes one by
 * one meanwhile are read and parsed as one batch (the README's design notes
 * say why). It bounds the wake-ups to about 1000 / INPUT_BATCH_MS a second
 * and adds at most that much latency to an alert.
 */
#define INPUT_BATCH_MS 10
/* Batching engages only while events end at least this fast (per second):
 * an exec on a quiet stream is read at once, so that a /proc fallback reads
 * the parent as close to the exec as it can. */
#define INPUT_BATCH_RATE 200
/* A wake-up that finds at least this much waiting is part of a flood: the
 * next one reads at once, without waiting for a batch. */
#define INPUT_BUSY_BYTES (256 * 1024)
/* The pipe from auditd is grown to this size when the system allows, so
 * that a batch (or a slow alert write) never blocks auditd's writes. */
#define INPUT_PIPE_BYTES (1024 * 1024)
/* At a stop request (SIGTERM), what is already in the pipe is still read
 * and processed, up to this much. */
#define INPUT_STOP_DRAIN (16 * 1024 * 1024)
/* How long the loop waits for input before it ticks (plugin mode). */
#define INPUT_TICK_S 1
/*
 * auparse's end-of-event timeout, in the events' own seconds: auparse
 * completes an event when any record (of any node) comes stamped this much
 * later. So large that it never does: events end at their last record.
 * libauparse refuses records stamped within this much of LONG_MAX, hence
 * half of it, and a year where long is 32 bits.
 */
#if LONG_MAX > INT32_MAX
#define INPUT_EOE_TIMEOUT (LONG_MAX / 2)
#else
#define INPUT_EOE_TIMEOUT (365L * 24 * 3600)
#endif
/* The room for the EOE record of an open event, unless its node's name
 * needs more: open events of this size are recycled. */
#define INPUT_LINE_ROOM 128
/* Hash buckets of the open events (a power of two). */
#define INPUT_OPEN_BUCKETS 1024
/* The completion line fed for an event: "[node=NAME ]" EOE_HEAD stamp
 * EOE_TAIL. */
#define EOE_HEAD "type=EOE msg=audit("
#define EOE_TAIL "):\n"
#define NS_PER_MS 1000000L
#define MS_PER_S 1000L
/* The digits of a stamp are decimal. */
#define DIGITS_BASE 10
/* At most this much of a dropped line is quoted in the message. */
#define GARBAGE_SHOWN 40
/* FNV-1a, 32 bits. */
#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

/* What a record of a type does to its event. */
enum rec_kind {
	REC_OTHER,     /* a type no exec or fork event needs: dropped */
	REC_READ,      /* SYSCALL, EXECVE, CWD, PATH: fed */
	REC_PROCTITLE, /* the kernel's last record of an event: ends it */
	REC_EOE,       /* the end-of-event record: ends it */
};

/* An event's time and serial, in the order auparse hands events over. */
struct stamp {
	uint64_t sec, msec, serial;
};

/* The header of one record: [node=NAME ]type=TYPE msg=audit(STAMP): */
struct rec {
	size_t plen;	  /* bytes before "type=": "node=NAME " or none */
	const char *type; /* TYPE */
	size_t tlen;
	const char *stamp; /* STAMP: SEC.MSEC:SERIAL */
	size_t slen;
};

/*
 * An event being read: its first record came, its last not yet. Its key is
 * its node and stamp, as auparse's is. Its records wait here and go to
 * auparse when it ends, whole: auparse hands over the oldest event it holds
 * first, so one that it held unfinished would hold back every later one.
 */
struct open_event {
	struct open_event *hnext;	  /* the next in its hash bucket */
	struct open_event *newer, *older; /* arrival order */
	uint64_t born; /* in->clock when its first record came */
	uint32_t hash;
	struct stamp when;
	bool lost;	 /* out of memory: its records are dropped */
	struct buf text; /* its records, copied out of earlier reads */
	char *span;	 /* and those of this read, in the read buffer */
	size_t spanlen;
	const char *feed; /* ended: what goes to auparse */
	size_t feedlen;
	size_t plen, slen; /* of the record's node prefix and stamp */
	size_t len;	   /* of line */
	size_t room;	   /* line's size */
	char line[];	   /* the EOE record that ends it in auparse */
};

struct input {
	auparse_state_t *au;
	const struct input_hooks *hooks;
	struct input_stats *st;
	bool live;
	char *buf;
	size_t len;  /* bytes held in buf */
	bool at_bol; /* the next byte starts a line */
	bool skip;   /* dropping a line that spans reads */
	/* live: milliseconds of CLOCK_MONOTONIC as of the last read;
	 * replay: records read */
	uint64_t clock;
	uint64_t lost_after; /* an open event this old (clock) is lost */
	struct open_event *bucket[INPUT_OPEN_BUCKETS];
	struct open_event *oldest, *newest;
	struct open_event *last;  /* the last one a record went to */
	struct open_event *cur;	  /* the one the line being read goes to */
	struct open_event *taker; /* the one the last line taken went to */
	struct open_event *spare; /* one freed, for the next */
	size_t nopen;
	/* the events ended since auparse was last fed, oldest stamp first */
	struct open_event **ended;
	size_t nended, endcap;
	bool at_end;		/* the last record read ended an event */
	unsigned int rate_cur;	/* events ended in second rate_sec */
	unsigned int rate_prev; /* and in the second before it */
	time_t rate_sec;
};

static struct log_limit lim_garbage = LOG_LIMIT_INIT;
static struct log_limit lim_nomem = LOG_LIMIT_INIT;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skip one or more digits at *p. */
static bool digits(const char **p, const char *end)
{
	const char *q = *p;

	while (q < end && is_digit(*q))
		q++;
	if (q == *p)
		return false;
	*p = q;
	return true;
}

/* The number the digits at *p make (UINT64_MAX past it); *p moves past
 * them and one more byte. */
static uint64_t number(const char **p)
{
	uint64_t v = 0;

	for (; is_digit(**p); (*p)++)
		v = v > (UINT64_MAX - DIGITS_BASE) / DIGITS_BASE
			    ? UINT64_MAX
			    : v * DIGITS_BASE + (uint64_t)(**p - '0');
	(*p)++;
	return v;
}

/* The numbers of a stamp is_record found whole: SEC.MSEC:SERIAL. */
static struct stamp stamp_of(const char *p)
{
	struct stamp t;

	t.sec = number(&p);
	t.msec = number(&p);
	t.serial = number(&p);
	return t;
}

static bool literal(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Skip to the next space or newline. */
static void word(const char **p, const char *end)
{
	while (*p < end && **p != ' ' && **p != '\n')
		(*p)++;
}

/*
 * Does the line start as an audit record does? Anything else (a truncated
 * line, a stray byte, a log's own comments) is dropped here: libauparse
 * 3.0.9 leaks memory on some such lines. On success r says where the
 * header's parts are.
 */
static bool is_record(const char *line, size_t len, struct rec *r)
{
	const char *p = line, *end = line + len;

	if (literal(&p, end, "node=")) {
		word(&p, end);
		if (!literal(&p, end, " "))
			return false;
	}
	r->plen = (size_t)(p - line);
	if (!literal(&p, end, "type=") || p == end || *p == ' ')
		return false;
	r->type = p;
	word(&p, end);
	r->tlen = (size_t)(p - r->type);
	if (!literal(&p, end, " msg=audit("))
		return false;
	r->stamp = p;
	if (!digits(&p, end) || !literal(&p, end, ".") || !digits(&p, end) ||
	    !literal(&p, end, ":") || !digits(&p, end))
		return false;
	r->slen = (size_t)(p - r->stamp);
	return literal(&p, end, "):");
}

/*
 * What a record of type t[0..n) is to the plugin. An exec event is SYSCALL,
 * EXECVE, CWD and PATH records, then PROCTITLE and EOE; a fork is a SYSCALL
 * record. Every other record (BPRM_FCAPS in an exec event, other rules'
 * events) is dropped before auparse, and so is PROCTITLE, whose text the
 * plugin never reads: auparse would spend its time splitting them.
 */
static enum rec_kind rec_kind(const char *t, size_t n)
{
	switch (n) {
	case 3:
		if (memcmp(t, "CWD", 3) == 0)
			return REC_READ;
		return memcmp(t, "EOE", 3) == 0 ? REC_EOE : REC_OTHER;
	case 4:
		return memcmp(t, "PATH", 4) == 0 ? REC_READ : REC_OTHER;
	case 6:
		return memcmp(t, "EXECVE", 6) == 0 ? REC_READ : REC_OTHER;
	case 7:
		return memcmp(t, "SYSCALL", 7) == 0 ? REC_READ : REC_OTHER;
	case 9:
		return memcmp(t, "PROCTITLE", 9) == 0 ? REC_PROCTITLE
						      : REC_OTHER;
	default:
		return REC_OTHER;
	}
}

/*
 * Does a CWD record hold one cwd= field? The kernel writes one, and
 * hex-encodes a path with a space in it, so " cwd=" can only start a field.
 * A record with two is corrupt, and libauparse 3.0.9 leaks a copy of the
 * value for each such record (found by the fuzzer): it is not fed.
 */
static bool one_cwd(const char *p, size_t len)
{
	const char *hit = memmem(p, len, " cwd=", 5);

	return hit && !memmem(hit + 5, len - (size_t)(hit + 5 - p), " cwd=", 5);
}

/* Count and report a line dropped because it is not a usable record (why
 * says what it is). */
static void input_garbage(struct input *in, const char *line, size_t len,
			  const char *why)
{
	int show = len > GARBAGE_SHOWN ? GARBAGE_SHOWN : (int)len;
	int i;

	in->st->garbage++;
	if (len && line[len - 1] == '\n')
		show = --len > GARBAGE_SHOWN ? GARBAGE_SHOWN : (int)len;
	for (i = 0; i < show; i++)
		if ((unsigned char)line[i] < ' ' ||
		    (unsigned char)line[i] > '~')
			break;
	log_limited(&lim_garbage,
		    "input line dropped, %s (%llu so far): '%.*s%s'", why,
		    (unsigned long long)in->st->garbage, i, line,
		    i < (int)len ? "..." : "");
}

/* FNV-1a over the node prefix and the stamp. */
static uint32_t key_hash(const char *prefix, const struct rec *r)
{
	uint32_t h = FNV_OFFSET;
	size_t i;

	for (i = 0; i < r->plen; i++)
		h = (h ^ (unsigned char)prefix[i]) * FNV_PRIME;
	for (i = 0; i < r->slen; i++)
		h = (h ^ (unsigned char)r->stamp[i]) * FNV_PRIME;
	return h;
}

static bool open_is(const struct open_event *e, const char *prefix,
		    const struct rec *r)
{
	return e->plen == r->plen && e->slen == r->slen &&
	       memcmp(e->line, prefix, r->plen) == 0 &&
	       memcmp(e->line + r->plen + strlen(EOE_HEAD), r->stamp,
		      r->slen) == 0;
}

/* The open event of the record at prefix, or NULL (*hash is its key's). */
static struct open_event *open_find(struct input *in, const char *prefix,
				    const struct rec *r, uint32_t *hash)
{
	struct open_event *e = in->last;

	if (e && open_is(e, prefix, r))
		return e;
	*hash = key_hash(prefix, r);
	for (e = in->bucket[*hash % INPUT_OPEN_BUCKETS]; e; e = e->hnext)
		if (e->hash == *hash && open_is(e, prefix, r))
			return in->last = e;
	return NULL;
}

/* Take e out of the open events (it is ended, or freed). */
static void open_unlink(struct input *in, struct open_event *e)
{
	struct open_event **pp = &in->bucket[e->hash % INPUT_OPEN_BUCKETS];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	*(e->older ? &e->older->newer : &in->oldest) = e->newer;
	*(e->newer ? &e->newer->older : &in->newest) = e->older;
	if (in->last == e)
		in->last = NULL;
	if (in->cur == e) {
		in->cur = NULL;
		in->skip = true; /* the rest of a line it was taking */
	}
	if (in->taker == e)
		in->taker = NULL;
	in->nopen--;
}

/* Free e, or keep it as the spare. */
static void open_free(struct input *in, struct open_event *e)
{
	buf_free(&e->text);
	if (!in->spare && e->room == INPUT_LINE_ROOM)
		in->spare = e;
	else
		free(e);
}

/* Out of memory for e's records: drop them all, now and to come. */
static void open_lose(struct open_event *e)
{
	log_limited(&lim_nomem, "input: out of memory; an event dropped");
	buf_free(&e->text);
	e->spanlen = 0;
	e->lost = true;
}

/* Copy e's records of this read out of the read buffer, which the next
 * read reuses. */
static void open_keep(struct open_event *e)
{
	if (e->spanlen && buf_append(&e->text, e->span, e->spanlen) < 0)
		open_lose(e);
	e->spanlen = 0;
}

/* Take p[0..n), the whole or a piece of one of e's records. When only
 * lines dropped lie between e's records in the read buffer, this one is
 * moved back over them: e's records stay in one piece there. */
static void open_take(struct input *in, struct open_event *e, char *p, size_t n)
{
	if (e->lost)
		return;
	if (e->spanlen && in->taker == e && e->span + e->spanlen != p) {
		memmove(e->span + e->spanlen, p, n);
		p = e->span + e->spanlen;
	}
	in->taker = e;
	if (e->spanlen && e->span + e->spanlen == p) {
		e->spanlen += n;
		return;
	}
	open_keep(e);
	e->span = p;
	e->spanlen = n;
}

static int stamp_cmp(const struct stamp *a, const struct stamp *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->msec != b->msec)
		return a->msec < b->msec ? -1 : 1;
	if (a->serial != b->serial)
		return a->serial < b->serial ? -1 : 1;
	return 0;
}

/* Feed the ended events to auparse, oldest first, one call each: auparse
 * holds a complete event until its next call, and then hands over the
 * oldest it holds first. */
static void ended_flush(struct input *in)
{
	size_t i;

	for (i = 0; i < in->nended; i++) {
		struct open_event *e = in->ended[i];

		if (!e->lost)
			auparse_feed(in->au, e->feed, e->feedlen);
		open_free(in, e);
	}
	in->nended = 0;
}

/* Queue ended e to be fed, in the order of its stamp. */
static void ended_add(struct input *in, struct open_event *e)
{
	size_t i = in->nended;

	if (i == in->endcap) {
		size_t cap = in->endcap ? 2 * in->endcap : INPUT_OPEN_BUCKETS;
		struct open_event **v =
			realloc(in->ended, cap * sizeof(*in->ended));

		if (!v) {
			ended_flush(in); /* not in order, but not lost */
			i = 0;
		} else {
			in->ended = v;
			in->endcap = cap;
		}
	}
	for (; i > 0 && stamp_cmp(&in->ended[i - 1]->when, &e->when) > 0; i--)
		in->ended[i] = in->ended[i - 1];
	in->ended[i] = e;
	in->nended++;
}

/*
 * End e: its records and its EOE record are queued for auparse. marker, if
 * not NULL, is the line (mlen bytes, in the read buffer) of its last record,
 * dropped: when only lines dropped lie between e's records there and it,
 * the EOE record is written after the records, over them, and all go to
 * auparse from where they are. ended: its last record came (else it is
 * counted as handed over without it).
 */
static void open_end(struct input *in, struct open_event *e, char *marker,
		     size_t mlen, bool ended)
{
	bool in_place = marker && e->spanlen && !e->text.len &&
			in->taker == e && mlen >= e->len;

	open_unlink(in, e);
	if (!ended)
		in->st->unended++;
	if (in_place) {
		memcpy(e->span + e->spanlen, e->line, e->len);
		e->feed = e->span;
		e->feedlen = e->spanlen + e->len;
	} else {
		open_keep(e);
		if (!e->lost && buf_append(&e->text, e->line, e->len) < 0)
			open_lose(e);
		e->feed = e->text.p;
		e->feedlen = e->text.len;
	}
	ended_add(in, e);
}

/* End the events that have waited too long for their last record. */
static void open_age(struct input *in)
{
	while (in->oldest && in->clock - in->oldest->born >= in->lost_after)
		open_end(in, in->oldest, NULL, 0, false);
}

/* Note a new event, the newest, for the record at prefix. Returns it, or
 * NULL out of memory (the record is dropped). */
static struct open_event *open_add(struct input *in, const char *prefix,
				   const struct rec *r, uint32_t hash)
{
	size_t len = r->plen + strlen(EOE_HEAD) + r->slen + strlen(EOE_TAIL);
	struct open_event *e;
	char *p;

	size_t room = len > INPUT_LINE_ROOM ? len : INPUT_LINE_ROOM;

	if (in->nopen >= INPUT_OPEN_MAX)
		open_end(in, in->oldest, NULL, 0, false);
	if (in->spare && room == INPUT_LINE_ROOM) {
		e = in->spare;
		in->spare = NULL;
		memset(e, 0, sizeof(*e));
	} else {
		e = calloc(1, sizeof(*e) + room);
	}
	if (!e) {
		log_limited(&lim_nomem,
			    "input: out of memory; a record dropped");
		return NULL;
	}
	p = e->line;
	memcpy(p, prefix, r->plen);
	p += r->plen;
	memcpy(p, EOE_HEAD, strlen(EOE_HEAD));
	p += strlen(EOE_HEAD);
	memcpy(p, r->stamp, r->slen);
	memcpy(p + r->slen, EOE_TAIL, strlen(EOE_TAIL));
	e->len = len;
	e->room = room;
	e->plen = r->plen;
	e->slen = r->slen;
	e->when = stamp_of(r->stamp);
	e->hash = hash;
	e->born = in->clock;
	e->hnext = in->bucket[hash % INPUT_OPEN_BUCKETS];
	in->bucket[hash % INPUT_OPEN_BUCKETS] = e;
	e->older = in->newest;
	*(in->newest ? &in->newest->newer : &in->oldest) = e;
	in->newest = e;
	in->nopen++;
	return in->last = e;
}

/*
 * Take the record that starts at line (len bytes, or the first piece of a
 * longer one): note or end its event. Returns true if it is to be fed.
 */
static bool input_record(struct input *in, char *line, size_t len,
			 const struct rec *r)
{
	enum rec_kind kind = rec_kind(r->type, r->tlen);
	struct open_event *e;
	uint32_t hash = 0;

	if (!in->live) {
		in->clock++;
		open_age(in);
	}
	if (kind == REC_OTHER || kind == REC_PROCTITLE)
		in->st->skipped++;
	if (kind == REC_OTHER)
		return false;
	if (kind == REC_READ && r->tlen == 3 && !one_cwd(line, len)) {
		input_garbage(in, line, len,
			      "a CWD record without exactly one cwd= field");
		return false;
	}
	e = open_find(in, line, r, &hash);
	if (kind == REC_READ) {
		in->cur = e ? e : open_add(in, line, r, hash);
		in->at_end = false;
		return in->cur != NULL;
	}
	/* the last record: a second one (EOE after PROCTITLE), or one that
	 * comes first, finds no open event and is no news to auparse */
	if (e) {
		open_end(in, e, line, len, true);
		in->at_end = true;
		in->rate_cur++;
	}
	return false;
}

/* Take the line that starts at line: is it to be fed? */
static bool input_line(struct input *in, char *line, size_t len)
{
	struct rec r;

	if (line[0] == '#' || (len == 1 && line[0] == '\n'))
		return false;
	if (!is_record(line, len, &r)) {
		input_garbage(in, line, len, "not an audit record");
		return false;
	}
	return input_record(in, line, len, &r);
}

/*
 * Take the complete lines of buf[0..len): the records of each event wait
 * for its end, and the events that end go to auparse. Returns how many
 * bytes were taken; a trailing partial line is left for the next read
 * (unless it is longer than INPUT_MAX_LINE, which is taken, or dropped, in
 * pieces).
 */
static size_t input_feed_lines(struct input *in, char *buf, size_t len)
{
	struct open_event *e;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end;

		if (!nl && len - pos < INPUT_MAX_LINE)
			break; /* wait for the rest of the line */
		end = nl ? (size_t)(nl - buf) + 1 : len;
		if (in->at_bol)
			in->skip = !input_line(in, buf + pos, end - pos);
		if (!in->skip)
			open_take(in, in->cur, buf + pos, end - pos);
		in->at_bol = nl != NULL;
		pos = end;
	}
	ended_flush(in);
	for (e = in->oldest; e; e = e->newer)
		open_keep(e);
	in->taker = NULL;
	return pos;
}

/* auparse's event-ready callback: count the event, hand it over. */
static void input_event(auparse_state_t *au, auparse_cb_event_t type, void *arg)
{
	struct input *in = arg;

	if (type != AUPARSE_CB_EVENT_READY)
		return;
	in->st->events++;
	if (in->hooks && in->hooks->event)
		in->hooks->event(au, in->hooks->arg);
}

static int input_wake(struct input *in)
{
	return in->hooks && in->hooks->wake && in->hooks->wake(in->hooks->arg);
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S +
	       (uint64_t)(ts.tv_nsec / NS_PER_MS);
}

/* Read what fd has now. Returns bytes read, 0 at EOF, -1 when it would
 * block or on error (errno set). */
static ssize_t input_read(struct input *in, int fd)
{
	ssize_t n;

	do
		n = read(fd, in->buf + in->len, INPUT_BUF - in->len);
	while (n < 0 && errno == EINTR);
	return n;
}

/*
 * Hold back every signal but those that report a fault of our own, saving
 * the mask to restore in *old. The loop takes signals only while it waits
 * in ppoll, so a handler's flag is always seen by the next hooks->wake: one
 * that came while events were being processed would otherwise be left for
 * the next wake-up, which in replay from an open pipe may never come.
 */
static void input_hold_signals(sigset_t *old)
{
	static const int faults[] = {SIGSEGV, SIGBUS,  SIGFPE, SIGILL,
				     SIGTRAP, SIGABRT, SIGSYS};
	sigset_t set;
	size_t i;

	sigfillset(&set);
	for (i = 0; i < ARRAY_SIZE(faults); i++)
		sigdelset(&set, faults[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/*
 * Read what fd holds now, up to max bytes (or INPUT_DRAIN_READS reads),
 * feeding auparse. Returns the bytes read; sets *eof at end of input or on
 * a read error (*err = errno). live: fd is non-blocking.
 */
static size_t input_drain(struct input *in, int fd, size_t max, bool *eof,
			  int *err)
{
	size_t total = 0;

	for (int reads = 0; reads < INPUT_DRAIN_READS && total < max; reads++) {
		ssize_t n = input_read(in, fd);
		size_t used;

		if (n == 0) {
			*eof = true;
			break;
		}
		if (n < 0) {
			if (errno != EAGAIN) {
				*err = errno;
				*eof = true;
			}
			break;
		}
		total += (size_t)n;
		in->len += (size_t)n;
		if (in->live)
			in->clock = monotonic_ms();
		used = input_feed_lines(in, in->buf, in->len);
		memmove(in->buf, in->buf + used, in->len - used);
		in->len -= used;
		if (!in->live)
			break; /* a blocking fd: poll again */
	}
	return total;
}

/*
 * Hand over the events ended so far: auparse 3.0.9 holds the last one fed
 * until its next call, and the input may be a pipe that stays open. Live
 * mode first ends the events that waited too long for their last record.
 */
static void input_deliver(struct input *in)
{
	if (in->live) {
		in->clock = monotonic_ms();
		open_age(in);
		ended_flush(in);
	}
	auparse_feed(in->au, "", 0);
}

/* Are events coming fast enough (as of now) for batching to pay? */
static bool input_under_load(struct input *in, time_t now)
{
	if (now != in->rate_sec) {
		in->rate_prev = now == in->rate_sec + 1 ? in->rate_cur : 0;
		in->rate_cur = 0;
		in->rate_sec = now;
	}
	return in->rate_prev >= INPUT_BATCH_RATE ||
	       in->rate_cur >= INPUT_BATCH_RATE;
}

/* Set up in for fd. Returns 0, or -1 with errno set. */
static int input_open(struct input *in, int fd)
{
	in->at_bol = true;
	in->lost_after = in->live ? INPUT_LOST_MS : INPUT_LOST_RECORDS;
	in->buf = malloc(INPUT_BUF);
	in->au = auparse_init(AUSOURCE_FEED, NULL);
	if (!in->buf || !in->au) {
		free(in->buf);
		if (in->au)
			auparse_destroy(in->au);
		errno = ENOMEM;
		return -1;
	}
	/* after auparse_init, which sets it from auditd.conf */
	auparse_set_eoe_timeout(INPUT_EOE_TIMEOUT);
	auparse_add_callback(in->au, input_event, in, NULL);
	if (in->live) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		/* best effort: stdin may be a file, or the limit lower */
		(void)fcntl(fd, F_SETPIPE_SZ, INPUT_PIPE_BYTES);
	}
	return 0;
}

/* The end of the input: what is left goes to auparse, which hands over
 * every event it holds; then free it all. */
static void input_close(struct input *in)
{
	if (in->len && (in->at_bol || !in->skip)) {
		/* A line cut by the end of the input: nothing says the record
		 * is whole (auparse would drop it without a word). The rest of
		 * a line already dropped is not counted twice. */
		in->st->garbage++;
		log_limited(&lim_garbage,
			    "input ends inside a line; its last %zu bytes "
			    "dropped",
			    in->len);
	}
	/* the events still open end here, without their last record */
	while (in->oldest)
		open_end(in, in->oldest, NULL, 0, false);
	ended_flush(in);
	auparse_flush_feed(in->au);
	auparse_destroy(in->au);
	free(in->buf);
	free(in->ended);
	free(in->spare);
}

/*
 * One wake-up with data: drain what auditd wrote so it never blocks on us,
 * but come back to signals and ticks every INPUT_DRAIN_READS reads under a
 * steady flood; hand over the events completed. Then, live, let the next
 * events gather into a batch (unless a flood is on). An event that starts
 * on an idle stream is still read at once; signals end the wait early.
 * Returns non-zero when hooks->wake asks to stop.
 */
static int input_batch(struct input *in, int fd, const sigset_t *old, bool *eof,
		       int *err)
{
	const struct timespec batch = {0, INPUT_BATCH_MS * NS_PER_MS};
	bool busy;

	busy = input_drain(in, fd, SIZE_MAX, eof, err) >= INPUT_BUSY_BYTES;
	input_deliver(in);
	if (in->live && !busy && !*eof && in->at_end &&
	    input_under_load(in, time(NULL))) {
		ppoll(NULL, 0, &batch, old);
		return input_wake(in);
	}
	return 0;
}

/* The loop: wait, read, hand over, tick. Returns 0, or -1 with errno. */
static int input_loop(struct input *in, int fd, const sigset_t *old)
{
	const struct timespec tick = {INPUT_TICK_S, 0};
	time_t last_tick = 0, now;
	bool eof = false, stop = false;
	int err = 0, r;

	/* a flag set before the loop began: no signal will wake it */
	stop = input_wake(in);
	while (!eof && !stop) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		r = ppoll(&pfd, 1, in->live ? &tick : NULL, old);
		if (r < 0 && errno != EINTR) {
			err = errno;
			break;
		}
		stop = input_wake(in);
		if (!stop && r > 0)
			stop = input_batch(in, fd, old, &eof, &err);
		if (!stop && in->live && r == 0)
			input_deliver(in);
		now = time(NULL);
		if (!stop && in->live && now != last_tick) {
			if (in->hooks && in->hooks->tick)
				in->hooks->tick(now, in->hooks->arg);
			last_tick = now;
		}
	}
	/* Asked to stop (auditd's SIGTERM): what auditd has already written
	 * is still processed, so a restart misses nothing it was sent. */
	if (stop && in->live && !eof)
		input_drain(in, fd, INPUT_STOP_DRAIN, &eof, &err);
	errno = err;
	return err ? -1 : 0;
}

/* The read loop. */
int input_run(int fd, bool live, const struct input_hooks *hooks,
	      struct input_stats *st)
{
	struct input_stats local;
	struct input *in;
	sigset_t old;
	int rc, saved;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	in = calloc(1, sizeof(*in));
	if (!in)
		return -1;
	in->hooks = hooks;
	in->st = st;
	in->live = live;
	if (input_open(in, fd) < 0) {
		free(in);
		return -1;
	}
	input_hold_signals(&old);
	rc = input_loop(in, fd, &old);
	saved = errno;
	input_close(in);
	free(in);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return rc;
}
