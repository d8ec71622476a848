/* records.c - audit record lines grouped into whole events */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "node.h"
#include "records.h"
#include "util.h"

/* The room for an open event's key, unless its node's name needs more:
 * open events of this size are recycled. */
#define RECORDS_KEY_ROOM 64
/* The first room for an event's records copied out of a read: about a
 * whole exec event's, so that it grows once or not at all. */
#define RECORDS_TEXT_FIRST 2048
/* Freed open events kept for the next ones. */
#define RECORDS_SPARES 256
/* Hash buckets of the open events (a power of two). */
#define RECORDS_BUCKETS 1024
/* At most this much of a dropped line is quoted in the message. */
#define GARBAGE_SHOWN 40
/* FNV-1a, 32 bits; and Fibonacci hashing (2^64 / the golden ratio) to mix
 * 64 bits into the 32 high ones. */
#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u
#define HASH_MIX 0x9e3779b97f4a7c15ull
#define HASH_MIX_SHIFT 32
/* A number as text, for NODE_NAME_MAX in a message */
#define TEXT_(n) #n
#define TEXT(n) TEXT_(n)

/* What a record of a type does to its event. */
enum rec_kind {
	REC_OTHER,     /* a type no exec or fork event needs: dropped */
	REC_READ,      /* SYSCALL, EXECVE, CWD, PATH: fed */
	REC_PROCTITLE, /* the kernel's last record of an event: ends it */
	REC_EOE,       /* the end-of-event record: ends it */
};

/* The header of one record: [node=NAME ]type=TYPE msg=audit(STAMP): */
struct rec {
	size_t plen;	  /* bytes before "type=": "node=NAME " or none */
	const char *type; /* TYPE */
	size_t tlen;
	const char *stamp; /* STAMP: SEC.MSEC:SERIAL */
	size_t slen;
};

/* An event being read: its first record came, its last not yet. Its key is
 * its node and stamp, as auparse's is. Its records wait here until it
 * ends. */
struct open_event {
	struct open_event *hnext;	  /* the next in its hash bucket */
	struct open_event *newer, *older; /* arrival order */
	uint64_t born; /* rs->clock when its first record came */
	uint32_t hash;
	bool lost;	 /* out of memory: its records are dropped */
	struct buf text; /* its records, copied out of earlier reads */
	char *span;	 /* and those of this read, in the read buffer */
	size_t spanlen;
	const char *feed; /* ended: what goes to emit */
	size_t feedlen;
	size_t plen, slen; /* of the record's node prefix and stamp */
	size_t room;	   /* key's size */
	char key[];	   /* the node prefix, then the stamp */
};

struct records {
	struct records_limits lim;
	records_emit_fn *emit;
	void *arg;
	struct records_stats st;
	bool at_bol; /* the next byte starts a line */
	bool skip;   /* dropping a line that spans calls */
	/* by count: records taken; else the caller's, as of the last call */
	uint64_t clock;
	struct open_event *bucket[RECORDS_BUCKETS];
	struct open_event *oldest, *newest;
	struct open_event *last;   /* the last one a record went to */
	struct open_event *cur;	   /* the one the line being read goes to */
	struct open_event *taker;  /* the one the last line taken went to */
	struct open_event *spares; /* freed, for the next; by hnext */
	size_t nspares;
	size_t nopen;
	/* the events ended in this call, oldest stamp first */
	struct open_event **ended;
	size_t nended, endcap;
	bool at_end; /* the last record taken ended its event */
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
static void records_garbage(struct records *rs, const char *line, size_t len,
			    const char *why)
{
	int show = len > GARBAGE_SHOWN ? GARBAGE_SHOWN : (int)len;
	int i;

	rs->st.garbage++;
	if (len && line[len - 1] == '\n')
		show = --len > GARBAGE_SHOWN ? GARBAGE_SHOWN : (int)len;
	for (i = 0; i < show; i++)
		if ((unsigned char)line[i] < ' ' ||
		    (unsigned char)line[i] > '~')
			break;
	log_limited(&lim_garbage,
		    "input line dropped, %s (%llu so far): '%.*s%s'", why,
		    (unsigned long long)rs->st.garbage, i, line,
		    i < (int)len ? "..." : "");
}

/* A key's hash: FNV-1a over the node prefix, mixed with the stamp's last
 * bytes (its serial's, which tell events of one node apart). */
static uint32_t key_hash(const char *prefix, const struct rec *r)
{
	uint64_t tail = 0;
	uint32_t h = FNV_OFFSET;
	size_t i, n = r->slen < sizeof(tail) ? r->slen : sizeof(tail);

	memcpy(&tail, r->stamp + r->slen - n, n);
	for (i = 0; i < r->plen; i++)
		h = (h ^ (unsigned char)prefix[i]) * FNV_PRIME;
	return h ^ (uint32_t)((tail * HASH_MIX) >> HASH_MIX_SHIFT);
}

/* Is the record at prefix one of e's? */
static bool open_is(const struct open_event *e, const char *prefix,
		    const struct rec *r)
{
	return e->slen == r->slen && e->plen == r->plen &&
	       memcmp(e->key + r->plen, r->stamp, r->slen) == 0 &&
	       memcmp(e->key, prefix, r->plen) == 0;
}

/* The open event of the record at prefix, or NULL (*hash is its key's). */
static struct open_event *open_find(struct records *rs, const char *prefix,
				    const struct rec *r, uint32_t *hash)
{
	struct open_event *e = rs->last;

	if (e && open_is(e, prefix, r))
		return e;
	*hash = key_hash(prefix, r);
	for (e = rs->bucket[*hash % RECORDS_BUCKETS]; e; e = e->hnext)
		if (e->hash == *hash && open_is(e, prefix, r))
			return rs->last = e;
	return NULL;
}

/* Take e out of the open events (it is ended, or freed). */
static void open_unlink(struct records *rs, struct open_event *e)
{
	struct open_event **pp = &rs->bucket[e->hash % RECORDS_BUCKETS];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	*(e->older ? &e->older->newer : &rs->oldest) = e->newer;
	*(e->newer ? &e->newer->older : &rs->newest) = e->older;
	if (rs->last == e)
		rs->last = NULL;
	if (rs->cur == e) {
		rs->cur = NULL;
		rs->skip = true; /* the rest of a line it was taking */
	}
	if (rs->taker == e)
		rs->taker = NULL;
	rs->nopen--;
}

/* Free e, or keep it for the next. */
static void open_free(struct records *rs, struct open_event *e)
{
	buf_free(&e->text);
	if (rs->nspares < RECORDS_SPARES && e->room == RECORDS_KEY_ROOM) {
		e->hnext = rs->spares;
		rs->spares = e;
		rs->nspares++;
	} else {
		free(e);
	}
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
	if (!e->spanlen)
		return;
	if (!e->text.cap && !buf_reserve(&e->text, RECORDS_TEXT_FIRST))
		open_lose(e);
	else if (buf_append(&e->text, e->span, e->spanlen) < 0)
		open_lose(e);
	e->spanlen = 0;
}

/* Take p[0..n), the whole or a piece of one of e's records. When only
 * lines dropped lie between e's records in the read buffer, this one is
 * moved back over them: e's records stay in one piece there. */
static void open_take(struct records *rs, struct open_event *e, char *p,
		      size_t n)
{
	if (e->lost)
		return;
	if (e->spanlen && rs->taker == e && e->span + e->spanlen != p) {
		memmove(e->span + e->spanlen, p, n);
		p = e->span + e->spanlen;
	}
	rs->taker = e;
	if (e->spanlen && e->span + e->spanlen == p) {
		e->spanlen += n;
		return;
	}
	open_keep(e);
	e->span = p;
	e->spanlen = n;
}

/* Hand the ended events to emit, in the order they ended. */
static void ended_flush(struct records *rs)
{
	size_t i;

	for (i = 0; i < rs->nended; i++) {
		struct open_event *e = rs->ended[i];

		if (!e->lost)
			rs->emit(e->feed, e->feedlen, rs->arg);
		open_free(rs, e);
	}
	rs->nended = 0;
}

/* Queue ended e to be fed, in the order events end: the kernel's, which
 * is its serials' within a boot (time may step back, DESIGN.md). */
static void ended_add(struct records *rs, struct open_event *e)
{
	size_t i = rs->nended;

	if (i == rs->endcap) {
		size_t cap = rs->endcap ? 2 * rs->endcap : RECORDS_BUCKETS;
		struct open_event **v =
			realloc(rs->ended, cap * sizeof(*rs->ended));

		if (!v) {
			/* out of memory: out of order, but not lost */
			ended_flush(rs);
			if (!e->lost)
				rs->emit(e->feed, e->feedlen, rs->arg);
			open_free(rs, e);
			return;
		}
		rs->ended = v;
		rs->endcap = cap;
	}
	rs->ended[i] = e;
	rs->nended++;
}

/* End e: its records are queued for emit, from the read buffer when they
 * are all there. ended: its last record came (else it is counted as
 * handed over without it). */
static void open_end(struct records *rs, struct open_event *e, bool ended)
{
	open_unlink(rs, e);
	if (!ended)
		rs->st.unended++;
	if (!e->text.len) {
		e->feed = e->span;
		e->feedlen = e->spanlen;
	} else {
		open_keep(e);
		e->feed = e->text.p;
		e->feedlen = e->text.len;
	}
	ended_add(rs, e);
}

/* End the events that have waited too long for their last record. */
static void open_age(struct records *rs)
{
	while (rs->oldest && rs->clock - rs->oldest->born >= rs->lim.lost_after)
		open_end(rs, rs->oldest, false);
}

/* Note a new event, the newest, for the record at prefix. Returns it, or
 * NULL out of memory (the record is dropped). */
static struct open_event *open_add(struct records *rs, const char *prefix,
				   const struct rec *r, uint32_t hash)
{
	size_t len = r->plen + r->slen;
	size_t room = len > RECORDS_KEY_ROOM ? len : RECORDS_KEY_ROOM;
	struct open_event *e;

	if (rs->nopen >= rs->lim.max_open)
		open_end(rs, rs->oldest, false);
	if (rs->spares && room == RECORDS_KEY_ROOM) {
		e = rs->spares;
		rs->spares = e->hnext;
		rs->nspares--;
		memset(e, 0, sizeof(*e));
	} else {
		e = calloc(1, sizeof(*e) + room);
	}
	if (!e) {
		log_limited(&lim_nomem,
			    "input: out of memory; a record dropped");
		return NULL;
	}
	memcpy(e->key, prefix, r->plen);
	memcpy(e->key + r->plen, r->stamp, r->slen);
	e->room = room;
	e->plen = r->plen;
	e->slen = r->slen;
	e->hash = hash;
	e->born = rs->clock;
	e->hnext = rs->bucket[hash % RECORDS_BUCKETS];
	rs->bucket[hash % RECORDS_BUCKETS] = e;
	e->older = rs->newest;
	*(rs->newest ? &rs->newest->newer : &rs->oldest) = e;
	rs->newest = e;
	rs->nopen++;
	return rs->last = e;
}

/*
 * Take the record that starts at line (len bytes, or the first piece of a
 * longer one): note or end its event. Returns true if it is to be fed.
 */
static bool records_record(struct records *rs, char *line, size_t len,
			   const struct rec *r)
{
	enum rec_kind kind = rec_kind(r->type, r->tlen);
	struct open_event *e;
	uint32_t hash = 0;

	if (rs->lim.by_count) {
		rs->clock++;
		open_age(rs);
	}
	if (kind == REC_OTHER || kind == REC_PROCTITLE)
		rs->st.skipped++;
	if (kind == REC_OTHER)
		return false;
	if (kind == REC_READ && r->tlen == 3 && !one_cwd(line, len)) {
		records_garbage(rs, line, len,
				"a CWD record without exactly one cwd= field");
		return false;
	}
	e = open_find(rs, line, r, &hash);
	if (kind == REC_READ) {
		rs->cur = e ? e : open_add(rs, line, r, hash);
		rs->at_end = false;
		return rs->cur != NULL;
	}
	/* the last record: a second one (EOE after PROCTITLE), or one that
	 * comes first, finds no open event and is no news to auparse */
	if (e) {
		rs->st.ended++;
		open_end(rs, e, true);
		rs->at_end = true;
	}
	return false;
}

/*
 * Is the node name of r (between "node=" and the blank) one a node may
 * have, 1 to NODE_NAME_MAX bytes? libauparse 3.0.9 reads a record's
 * header within its first 340 bytes and drops, without a word, a record
 * whose name is empty or leaves no room there for the stamp (a name of
 * about 290 bytes, less for a longer stamp); a name cut inside the stamp
 * would give it another serial. None of these reach auparse.
 */
static bool node_ok(const struct rec *r)
{
	size_t n = r->plen - strlen("node= ");

	return !r->plen || (n >= 1 && n <= NODE_NAME_MAX);
}

/* Take the line that starts at line: is it to be fed? */
static bool records_line(struct records *rs, char *line, size_t len)
{
	struct rec r;

	if (line[0] == '#' || (len == 1 && line[0] == '\n'))
		return false;
	if (!is_record(line, len, &r)) {
		records_garbage(rs, line, len, "not an audit record");
		return false;
	}
	if (!node_ok(&r)) {
		records_garbage(rs, line, len,
				"its node= name is empty or longer than " TEXT(
					NODE_NAME_MAX) " bytes");
		return false;
	}
	return records_record(rs, line, len, &r);
}

/*
 * Take the complete lines of buf[0..len): the records of each event wait
 * for its end, and the events that end go to emit.
 */
size_t records_take(struct records *rs, char *buf, size_t len, uint64_t now)
{
	struct open_event *e;
	size_t pos = 0;

	if (!rs->lim.by_count)
		rs->clock = now;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end;

		if (!nl && len - pos < rs->lim.max_line)
			break; /* wait for the rest of the line */
		end = nl ? (size_t)(nl - buf) + 1 : len;
		if (rs->at_bol)
			rs->skip = !records_line(rs, buf + pos, end - pos);
		if (!rs->skip)
			open_take(rs, rs->cur, buf + pos, end - pos);
		rs->at_bol = nl != NULL;
		pos = end;
	}
	ended_flush(rs);
	for (e = rs->oldest; e; e = e->newer)
		open_keep(e);
	rs->taker = NULL;
	return pos;
}

/* End the events that waited too long, by the caller's clock. */
void records_age(struct records *rs, uint64_t now)
{
	if (rs->lim.by_count)
		return;
	rs->clock = now;
	open_age(rs);
	ended_flush(rs);
}

/* The end of the input. */
void records_finish(struct records *rs, size_t left)
{
	if (left && (rs->at_bol || !rs->skip)) {
		/* A line cut by the end of the input: nothing says the record
		 * is whole. The rest of a line already dropped is not counted
		 * twice. */
		rs->st.garbage++;
		log_limited(&lim_garbage,
			    "input ends inside a line; its last %zu bytes "
			    "dropped",
			    left);
	}
	rs->at_bol = true;
	rs->skip = false;
	while (rs->oldest)
		open_end(rs, rs->oldest, false);
	ended_flush(rs);
}

bool records_at_end(const struct records *rs)
{
	return rs->at_end;
}

const struct records_stats *records_stats(const struct records *rs)
{
	return &rs->st;
}

struct records *records_create(const struct records_limits *lim,
			       records_emit_fn *emit, void *arg)
{
	struct records *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	rs->lim = *lim;
	rs->emit = emit;
	rs->arg = arg;
	rs->at_bol = true;
	return rs;
}

void records_free(struct records *rs)
{
	if (!rs)
		return;
	while (rs->oldest) {
		struct open_event *e = rs->oldest;

		open_unlink(rs, e);
		open_free(rs, e);
	}
	while (rs->spares) {
		struct open_event *e = rs->spares;

		rs->spares = e->hnext;
		free(e);
	}
	free(rs->ended);
	free(rs);
}
