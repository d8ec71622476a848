/* alert.c - build the ECS JSON document for one detection */

/*
 * The document
 *
 * One JSON object on one line, nested (never dotted keys), with ECS fields
 * (see the man page for the list) plus two custom namespaces: auditd.* for
 * audit facts, named as Auditbeat's auditd module names them
 * (auditd.sequence, auditd.session, auditd.data.*), and audisp_dracut.* for
 * what the plugin itself adds. A value that is not known is left out, never
 * written as null. Timestamps are RFC 3339 in UTC with milliseconds.
 *
 * Bytes that are not UTF-8
 *
 * Audit data is raw bytes: a file name or an argument may hold any byte but
 * NUL. JSON text must be UTF-8, so:
 *
 * - A string that is valid UTF-8 (RFC 3629: no overlong forms, no
 *   surrogates, nothing above U+10FFFF) is written as it is. JSON escapes
 *   its quotes, backslashes and control characters (\n, \t, \u001b, ...);
 *   a JSON parser gives back the exact bytes.
 * - A field with a value that is not valid UTF-8 is written encoded: every
 *   byte that does not belong to a valid UTF-8 sequence becomes the four
 *   characters \xHH (two lowercase hex digits), and every backslash that was
 *   in the data becomes two backslashes. Valid multi-byte characters stay as
 *   they are. The field's dotted name is then listed in the string array
 *   audisp_dracut.encoded_fields.
 * - The unit of encoding is the field: when any element of an array field
 *   (process.args, tags, or the executables in audisp_dracut.ancestry) needs
 *   encoding, every element of it is encoded, so that one rule decodes the
 *   whole field.
 *
 * To recover the bytes of a listed field, read each value left to right:
 * "\\" is one backslash, "\x" followed by two hex digits is that byte, and
 * every other character stands for itself. Fields not listed are taken
 * literally. Example: the argument bytes 2f 74 6d 70 2f ff 5c are written
 * in JSON as "/tmp/\\xff\\\\" and "process.args" is listed.
 *
 * Length
 *
 * A document is at most ALERT_MAX_BYTES (192 KiB), so that syslog(3) can
 * send it as one datagram. A longer one is built again with the argument
 * lists of the process and its parent cut (audisp_dracut.process.
 * args_truncated and audisp_dracut.process.parent.args_truncated true;
 * args_count and command_line follow the cut), then with fewer ancestors.
 * Only if that is not enough (paths of thousands of escaped bytes) is
 * every string cut to 1024 bytes, the names of the fields cut then listed
 * in the string array audisp_dracut.truncated_fields.
 *
 * The writer
 *
 * The text is written directly into one growable buffer that the builder
 * keeps across alerts, not through a json-c object tree, for speed: the
 * corpus's typical alert (2.6 KB) took 17.4 us to build with json-c and
 * takes 0.74 us with an alert_builder (1.4 us through alert_build); on the
 * 61 MB corpus (4,000 alerts) alert building fell from 28% of the plugin's
 * CPU time to 1.5%, and the replay from 0.34 s to 0.25 s. The parts that
 * depend only on the rule (rule.*, threat.*) and on the host name
 * (host.*) are written once and copied into each alert. The text is the
 * one json-c 0.16 wrote with JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE, byte for byte: members in the order they
 * were first added (an object appears where its first member was added),
 * no blanks, integers in decimal, and json-c's json_escape_str rules for
 * strings: \b \t \n \f \r \" \\ for those bytes, \u00XX (lowercase hex)
 * for the other bytes below 0x20, every other byte (0x7f and bytes above
 * 0x7f included) as it is, '/' unescaped.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "utf8.h"

#define ECS_VERSION "9.5.0"
#define EVENT_DATASET "auditd.alert"
#define EVENT_PROVIDER "audisp-dracut"
#define NS "audisp_dracut"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNSET_ID 4294967295U /* (uint32_t)-1: auid or session not set */
#define NONE SIZE_MAX

/* A growable byte buffer. */
struct buf {
	char *p;
	size_t len, cap;
};

/* Field names listed in encoded_fields or truncated_fields: at most one
 * per string field of the document, in the order they were first marked. */
#define MAX_MARKS 64
struct marks {
	const char *name[MAX_MARKS];
	size_t n;
};

/*
 * The document being written: out holds it up to where audisp_dracut goes,
 * ns the members of audisp_dracut (written apart, since rule.references
 * may open that object early while encoded_fields comes last). Any failed
 * allocation sets failed; passing limit sets too_long, and the rest is
 * skipped since the document will be built again anyway.
 */
struct doc {
	struct buf *out, *ns;
	size_t ns_at; /* where audisp_dracut goes in out; NONE: the end */
	bool ns_more; /* ns holds a member already */
	struct marks enc, trunc;
	size_t max_str; /* cut longer strings to this many bytes; 0: never */
	size_t limit;	/* give up past this many bytes; NONE: never */
	bool failed, too_long;
};

/* What a rule or a host name turns into, written once: the bytes for out
 * and for ns, where audisp_dracut goes, and the names it encoded. */
struct piece {
	struct buf out, ns;
	size_t ns_at;
	struct marks enc;
	bool valid;
};

struct alert_builder {
	struct buf out, ns, msg;
	struct piece rule, host;
	struct rule_meta rule_key; /* what rule was made from */
	char *host_key;		   /* what host was made from; NULL: none */
	bool no_cache;		   /* one-shot: write every part in place */
};

/* ---------------------------------------------------------------- buffer */

/* Make room for n more bytes. Returns false on ENOMEM. */
static bool buf_grow(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->cap - b->len >= n)
		return true;
	if (n > SIZE_MAX / 4 - b->len)
		return false;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

static bool stopped(const struct doc *d)
{
	return d->failed || d->too_long;
}

/* Room for n more bytes in b: a pointer to write them at, or NULL (and
 * the document failed). */
static char *room(struct doc *d, struct buf *b, size_t n)
{
	if (stopped(d))
		return NULL;
	if (b->cap - b->len < n && !buf_grow(b, n)) {
		d->failed = true;
		return NULL;
	}
	return b->p + b->len;
}

/* Past the length bound? Then the document will be built again. */
static bool over(struct doc *d)
{
	if (d->limit != NONE && d->out->len + d->ns->len > d->limit)
		d->too_long = true;
	return stopped(d);
}

static void put_mem(struct doc *d, struct buf *b, const char *s, size_t n)
{
	char *o = room(d, b, n);

	if (!o)
		return;
	memcpy(o, s, n);
	b->len += n;
}

/* Append a string literal (JSON text, written as it is). */
#define LIT(d, b, s) put_mem(d, b, s, sizeof(s) - 1)

/* Write the member name k (a literal): a comma first unless *more is
 * false, which it then becomes true. */
#define KEY(d, b, more, k) key(d, b, more, "\"" k "\":", sizeof(k) + 2)

static void key(struct doc *d, struct buf *b, bool *more, const char *k,
		size_t n)
{
	char *o = room(d, b, n + 1);

	if (!o)
		return;
	if (*more)
		*o++ = ',';
	memcpy(o, k, n);
	b->len = (size_t)(o + n - b->p);
	*more = true;
}

/* Decimal, as json-c writes an int64 ("%" PRId64). */
static void put_int(struct doc *d, struct buf *b, int64_t v)
{
	char tmp[24], *t = tmp + sizeof(tmp), *o;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n;

	do {
		*--t = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--t = '-';
	n = (size_t)(tmp + sizeof(tmp) - t);
	o = room(d, b, n);
	if (!o)
		return;
	memcpy(o, t, n);
	b->len += n;
}

static void put_bool(struct doc *d, struct buf *b, bool v)
{
	if (v)
		LIT(d, b, "true");
	else
		LIT(d, b, "false");
}

/* ---------------------------------------------------------------- marks */

/* Add name (a literal) to the list, once. */
static void mark(struct doc *d, struct marks *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return;
	if (m->n == MAX_MARKS) {
		d->failed = true; /* cannot happen: fewer string fields */
		return;
	}
	m->name[m->n++] = name;
}

/* ---------------------------------------------------------------- strings */

/*
 * What json-c 0.16's json_escape_str writes for a byte: 0 for the byte
 * itself, the letter after the backslash for the two-character escapes,
 * 'u' for \u00XX (every other byte below 0x20).
 */
/* clang-format off */
static const char json_esc[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\',
};
/* clang-format on */

static const char hex[] = "0123456789abcdef";

/* Write the JSON escape of c, a byte with json_esc[c] set. */
static char *esc_byte(char *o, unsigned char c)
{
	*o++ = '\\';
	*o = json_esc[c];
	if (*o++ != 'u')
		return o;
	*o++ = '0';
	*o++ = '0';
	*o++ = hex[c >> 4];
	*o++ = hex[c & 0xf];
	return o;
}

/* Eight bytes that need nothing: none below 0x20, none above 0x7f, no
 * quote, no backslash. */
static bool plain8(const unsigned char *s)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t v, q, bs;

	memcpy(&v, s, 8);
	q = v ^ (ones * '"');
	bs = v ^ (ones * '\\');
	/* a byte of x is zero (or x's is below 0x20) iff the subtraction
	 * borrows into its high bit; bytes above 0x7f are caught first */
	return !((v | (v - ones * 0x20) | (q - ones) | (bs - ones)) & highs);
}

/* Input bytes taken per step, so that a string of any length needs at
 * most 6 * CHUNK + 8 bytes of room at a time. */
#define CHUNK 4096

/*
 * Write the n bytes at s (NUL-terminated at s[n] or later; n on a
 * character boundary) as a JSON string. Returns false, having written
 * nothing, if they are not valid UTF-8.
 */
static bool str_plain(struct doc *d, struct buf *b, const unsigned char *s,
		      size_t n)
{
	size_t start = b->len, i = 0, end, k;
	char *o = room(d, b, 1);

	if (!o)
		return true;
	*o = '"';
	b->len++;
	while (i < n) {
		end = n - i > CHUNK ? i + CHUNK : n;
		if (!(o = room(d, b, 6 * (end - i) + 8)))
			return true;
		while (i < end) {
			if (end - i >= 8 && plain8(s + i)) {
				memcpy(o, s + i, 8);
				o += 8;
				i += 8;
			} else if (s[i] < 0x80) {
				if (json_esc[s[i]])
					o = esc_byte(o, s[i]);
				else
					*o++ = (char)s[i];
				i++;
			} else if ((k = utf8_seq(s + i))) {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			} else {
				b->len = start;
				return false;
			}
		}
		b->len = (size_t)(o - b->p);
		if (over(d))
			return true;
	}
	if ((o = room(d, b, 1))) {
		*o = '"';
		b->len++;
	}
	return true;
}

/* Write the n bytes at s encoded (see the top of this file), as a JSON
 * string. */
static void str_encoded(struct doc *d, struct buf *b, const unsigned char *s,
			size_t n)
{
	size_t i = 0, end, k;
	char *o = room(d, b, 1);

	if (!o)
		return;
	*o = '"';
	b->len++;
	while (i < n) {
		end = n - i > CHUNK ? i + CHUNK : n;
		if (!(o = room(d, b, 6 * (end - i) + 8)))
			return;
		while (i < end) {
			k = utf8_seq(s + i);
			if (!k) { /* \xHH, its backslash escaped for JSON */
				*o++ = '\\';
				*o++ = '\\';
				*o++ = 'x';
				*o++ = hex[s[i] >> 4];
				*o++ = hex[s[i] & 0xf];
				i++;
			} else if (s[i] == '\\') { /* \\, both escaped */
				memcpy(o, "\\\\\\\\", 4);
				o += 4;
				i++;
			} else if (k == 1) {
				if (json_esc[s[i]])
					o = esc_byte(o, s[i]);
				else
					*o++ = (char)s[i];
				i++;
			} else {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			}
		}
		b->len = (size_t)(o - b->p);
		if (over(d))
			return;
	}
	if ((o = room(d, b, 1))) {
		*o = '"';
		b->len++;
	}
}

static bool utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	while (*s) {
		n = utf8_seq(s);
		if (!n)
			return false;
		s += n;
	}
	return true;
}

/* The length to write of s, the value of field path: strlen, or at most
 * max_str on a character boundary, path then listed as truncated. */
static size_t cut_len(struct doc *d, const char *path, const char *s)
{
	size_t len = strlen(s), n;

	if (!d->max_str || len <= d->max_str)
		return len;
	n = d->max_str;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	mark(d, &d->trunc, path);
	return n;
}

/* Write the value s of field path as a JSON string, encoded if enc. */
static void str_value(struct doc *d, struct buf *b, const char *path,
		      const char *s, bool enc)
{
	size_t n = cut_len(d, path, s);

	if (enc)
		str_encoded(d, b, (const unsigned char *)s, n);
	else
		str_plain(d, b, (const unsigned char *)s, n);
}

/*
 * Write the member k (its JSON text "name":) with the string s, the value
 * of field path, encoded when it is not UTF-8. Nothing if s is NULL.
 */
static void put_str(struct doc *d, struct buf *b, bool *more, const char *k,
		    const char *path, const char *s)
{
	bool enc;

	if (!s || stopped(d))
		return;
	key(d, b, more, k, strlen(k));
	if (!d->max_str) {
		/* try it as UTF-8 first: almost every string is */
		if (str_plain(d, b, (const unsigned char *)s, strlen(s)))
			return;
		enc = true;
	} else {
		enc = !utf8_valid(s);
	}
	if (enc)
		mark(d, &d->enc, path);
	str_value(d, b, path, s, enc);
}

/* The member "name": for put_str and put_strv. */
#define MEMBER(k) "\"" k "\":"

/*
 * Write the member k with an array of the n strings v (NULL entries
 * skipped), the field path; nothing if there are none. When one is not
 * UTF-8, all are written encoded.
 */
static void put_strv(struct doc *d, struct buf *b, bool *more, const char *k,
		     const char *path, const char *const *v, size_t n)
{
	size_t i, count = 0, start;
	bool enc = false, first;

	for (i = 0; i < n; i++)
		count += v[i] != NULL;
	if (!count || stopped(d))
		return;
	key(d, b, more, k, strlen(k));
	if (d->max_str)
		for (i = 0; i < n && !enc; i++)
			enc = v[i] && !utf8_valid(v[i]);
	start = b->len;
again:
	LIT(d, b, "[");
	first = true;
	for (i = 0; i < n && !over(d); i++) {
		if (!v[i])
			continue;
		if (!first)
			LIT(d, b, ",");
		first = false;
		if (enc || d->max_str) {
			str_value(d, b, path, v[i], enc);
		} else if (!str_plain(d, b, (const unsigned char *)v[i],
				      strlen(v[i]))) {
			enc = true;
			b->len = start;
			goto again;
		}
	}
	LIT(d, b, "]");
	if (enc)
		mark(d, &d->enc, path);
}

/* A string member of a known ASCII value (a constant, a number). */
static void put_ascii(struct doc *d, struct buf *b, bool *more, const char *k,
		      const char *s)
{
	size_t n = strlen(s);
	char *o;

	key(d, b, more, k, strlen(k));
	if (!(o = room(d, b, n + 2)))
		return;
	*o = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	b->len += n + 2;
}

/* Decimal text of an id; "unset" for the kernel's (uint32_t)-1. */
static void put_id(struct doc *d, struct buf *b, bool *more, const char *k,
		   uint32_t id, bool unset_word)
{
	char buf[16], *t = buf + sizeof(buf);

	*--t = '\0';
	if (unset_word && id == UNSET_ID) {
		put_ascii(d, b, more, k, "unset");
		return;
	}
	do {
		*--t = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	put_ascii(d, b, more, k, t);
}

/* ---------------------------------------------------------------- time */

static char *two(char *o, unsigned v)
{
	*o++ = (char)('0' + v / 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/*
 * Write sec.msec (msec may exceed 999) as RFC 3339 UTC with milliseconds,
 * 24 bytes and a NUL, as gmtime_r and "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ"
 * would. Returns 0, or -1 if the year is not between 0 and 9999. The date
 * is the proleptic Gregorian calendar's (days to civil date: Howard
 * Hinnant's algorithm, exact for every day).
 */
static int format_time(char *buf, int64_t sec, int64_t msec)
{
	/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
	const int64_t lo = -62167219200LL, hi = 253402300799LL;
	int64_t days, era, z;
	unsigned doe, yoe, doy, mp, m, day, sod;
	int64_t y;
	char *o = buf;

	sec = (int64_t)((uint64_t)sec + (uint64_t)(msec / 1000));
	msec %= 1000;
	if (msec < 0) {
		msec += 1000;
		sec--;
	}
	if (sec < lo || sec > hi || (int64_t)(time_t)sec != sec)
		return -1;
	days = sec / 86400;
	sod = (unsigned)(sec % 86400);
	if (sec % 86400 < 0) {
		days--;
		sod = (unsigned)(sec % 86400 + 86400);
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	day = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = (int64_t)yoe + era * 400 + (m <= 2);

	o = two(o, (unsigned)(y / 100));
	o = two(o, (unsigned)(y % 100));
	*o++ = '-';
	o = two(o, m);
	*o++ = '-';
	o = two(o, day);
	*o++ = 'T';
	o = two(o, sod / 3600);
	*o++ = ':';
	o = two(o, sod / 60 % 60);
	*o++ = ':';
	o = two(o, sod % 60);
	*o++ = '.';
	*o++ = (char)('0' + msec / 100);
	o = two(o, (unsigned)(msec % 100));
	*o++ = 'Z';
	*o = '\0';
	return 0;
}

static void put_time(struct doc *d, struct buf *b, bool *more, const char *k,
		     int64_t sec, int64_t msec)
{
	char buf[32];

	if (!format_time(buf, sec, msec))
		put_ascii(d, b, more, k, buf);
}

/* ---------------------------------------------------------------- fields */

static void cat(struct buf *m, bool *ok, const char *s)
{
	size_t n = strlen(s);

	if (!*ok || (m->cap - m->len < n + 1 && !buf_grow(m, n + 1))) {
		*ok = false;
		return;
	}
	memcpy(m->p + m->len, s, n);
	m->len += n;
}

/* Kibana's reason text (its alertReasonDescription template): "process event
 * with process X, parent process Y, by U on H created low alert NAME."
 * Unknown parts are left out, as Kibana leaves them out. */
static void put_message(struct doc *d, struct buf *m, bool *more,
			const struct alert_input *in)
{
	const struct image *p = in->proc;
	const struct rule_meta *r = in->rule;
	const char *pname = in->parent ? in->parent->name : NULL;
	bool ok = true;

	m->len = 0;
	cat(m, &ok, "process event");
	if (p->name || pname)
		cat(m, &ok, " with");
	if (p->name) {
		cat(m, &ok, " process ");
		cat(m, &ok, p->name);
		cat(m, &ok, ",");
	}
	if (pname) {
		cat(m, &ok, " parent process ");
		cat(m, &ok, pname);
		cat(m, &ok, ",");
	}
	if (p->user_name) {
		cat(m, &ok, " by ");
		cat(m, &ok, p->user_name);
	}
	if (in->host_name) {
		cat(m, &ok, " on ");
		cat(m, &ok, in->host_name);
	}
	cat(m, &ok, " created");
	if (r && r->severity) {
		cat(m, &ok, " ");
		cat(m, &ok, r->severity);
	}
	cat(m, &ok, " alert");
	if (r && r->name) {
		cat(m, &ok, " ");
		cat(m, &ok, r->name);
	}
	cat(m, &ok, ".");
	if (!ok) {
		d->failed = true;
		return;
	}
	m->p[m->len] = '\0';
	put_str(d, d->out, more, MEMBER("message"), "message", m->p);
}

/* ecs and event: constants, but for the rule's risk score and the time. */
static void put_event(struct doc *d, const struct alert_input *in)
{
	struct buf *b = d->out;
	bool more = true;

	LIT(d, b,
	    ",\"ecs\":{\"version\":\"" ECS_VERSION "\"},\"event\":{"
	    "\"kind\":\"alert\",\"category\":[\"process\"],"
	    "\"type\":[\"start\"],\"action\":\"exec\","
	    "\"outcome\":\"success\"");
	if (in->rule) {
		LIT(d, b, ",\"severity\":");
		put_int(d, b, in->rule->risk_score);
		LIT(d, b, ",\"risk_score\":");
		put_int(d, b, in->rule->risk_score);
	}
	LIT(d, b,
	    ",\"module\":\"auditd\",\"dataset\":\"" EVENT_DATASET
	    "\",\"provider\":\"" EVENT_PROVIDER "\"");
	put_time(d, b, &more, MEMBER("created"), in->created_ms / 1000,
		 in->created_ms % 1000);
	LIT(d, b, "}");
}

enum threat_level { TACTIC, TECHNIQUE, SUBTECHNIQUE };

/* The id, name and reference of one level of a threat entry. */
static void threat_get(const struct rule_threat *t, enum threat_level level,
		       const char *f[3])
{
	switch (level) {
	case TACTIC:
		f[0] = t->tactic_id;
		f[1] = t->tactic_name;
		f[2] = t->tactic_reference;
		break;
	case TECHNIQUE:
		f[0] = t->technique_id;
		f[1] = t->technique_name;
		f[2] = t->technique_reference;
		break;
	case SUBTECHNIQUE:
		f[0] = t->subtechnique_id;
		f[1] = t->subtechnique_name;
		f[2] = t->subtechnique_reference;
		break;
	}
}

/* The field names of the three arrays of each level. */
static const char *const threat_path[][3] = {
	{"threat.tactic.id", "threat.tactic.name", "threat.tactic.reference"},
	{"threat.technique.id", "threat.technique.name",
	 "threat.technique.reference"},
	{"threat.technique.subtechnique.id",
	 "threat.technique.subtechnique.name",
	 "threat.technique.subtechnique.reference"},
};

/*
 * The id, name and reference arrays of one level of the MITRE mapping, one
 * entry per distinct id, in the rule's order, so that the three arrays are
 * parallel; a missing name or reference is "". v holds 3 * nthreats
 * pointers. Returns the number of entries.
 */
static size_t threat_entries(const struct rule_meta *r, enum threat_level level,
			     const char **v)
{
	const char *f[3];
	size_t i, j, k, n = 0, m = r->nthreats;

	for (i = 0; i < m; i++) {
		threat_get(&r->threats[i], level, f);
		if (!f[0])
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(v[j], f[0]))
				break;
		if (j < n)
			continue;
		for (k = 0; k < 3; k++)
			v[k * m + n] = f[k] ? f[k] : "";
		n++;
	}
	return n;
}

/* The members id, name and reference of one level (see threat_level). */
static void put_threat_arrays(struct doc *d, struct buf *b, bool *more,
			      enum threat_level level, const char **v, size_t m,
			      size_t n)
{
	put_strv(d, b, more, MEMBER("id"), threat_path[level][0], v, n);
	put_strv(d, b, more, MEMBER("name"), threat_path[level][1], v + m, n);
	put_strv(d, b, more, MEMBER("reference"), threat_path[level][2],
		 v + 2 * m, n);
}

static void put_threat(struct doc *d, const struct rule_meta *r)
{
	struct buf *b = d->out;
	const char **v;
	size_t m = r->nthreats, ntac, ntech, nsub;
	bool more = true, tmore = false;

	v = calloc(9 * m, sizeof(*v));
	if (!v) {
		d->failed = true;
		return;
	}
	ntac = threat_entries(r, TACTIC, v);
	ntech = threat_entries(r, TECHNIQUE, v + 3 * m);
	nsub = threat_entries(r, SUBTECHNIQUE, v + 6 * m);
	KEY(d, b, &more, "threat");
	LIT(d, b, "{\"framework\":\"MITRE ATT&CK\"");
	if (ntac) {
		LIT(d, b, ",\"tactic\":{");
		put_threat_arrays(d, b, &tmore, TACTIC, v, m, ntac);
		LIT(d, b, "}");
	}
	if (ntech || nsub) {
		LIT(d, b, ",\"technique\":{");
		tmore = false;
		put_threat_arrays(d, b, &tmore, TECHNIQUE, v + 3 * m, m, ntech);
		if (nsub) {
			KEY(d, b, &tmore, "subtechnique");
			LIT(d, b, "{");
			tmore = false;
			put_threat_arrays(d, b, &tmore, SUBTECHNIQUE, v + 6 * m,
					  m, nsub);
			LIT(d, b, "}");
		}
		LIT(d, b, "}");
	}
	LIT(d, b, "}");
	free(v);
}

/* rule.*, audisp_dracut.rule.references when there are several (it opens
 * audisp_dracut here), and threat.* */
static void put_rule(struct doc *d, const struct rule_meta *r)
{
	struct buf *b = d->out;
	bool more = true;
	char ver[16];
	size_t ns_len;

	KEY(d, b, &more, "rule");
	LIT(d, b, "{");
	more = false;
	put_str(d, b, &more, MEMBER("id"), "rule.id", r->id);
	put_str(d, b, &more, MEMBER("name"), "rule.name", r->name);
	snprintf(ver, sizeof(ver), "%d", r->version);
	put_ascii(d, b, &more, MEMBER("version"), ver);
	put_str(d, b, &more, MEMBER("description"), "rule.description",
		r->description);
	put_strv(d, b, &more, MEMBER("author"), "rule.author", &r->author, 1);
	put_str(d, b, &more, MEMBER("license"), "rule.license", r->license);
	/* ECS rule.reference is one URL: the rule's documentation page */
	if (r->nreferences)
		put_str(d, b, &more, MEMBER("reference"), "rule.reference",
			r->references[0]);
	LIT(d, b, "}");
	if (r->nreferences > 1) {
		ns_len = d->ns->len;
		LIT(d, d->ns, "\"rule\":{");
		more = false;
		put_strv(d, d->ns, &more, MEMBER("references"),
			 NS ".rule.references", r->references, r->nreferences);
		if (more) {
			LIT(d, d->ns, "}");
			d->ns_at = b->len;
			d->ns_more = true;
		} else {
			d->ns->len = ns_len; /* no reference after all */
		}
	}
	if (r->nthreats)
		put_threat(d, r);
}

static void put_process(struct doc *d, const struct alert_input *in)
{
	const struct image *p = in->proc, *pp = in->parent;
	struct buf *b = d->out;
	bool more = true, umore = false;

	KEY(d, b, &more, "process");
	LIT(d, b, "{\"pid\":");
	put_int(d, b, p->pid);
	put_str(d, b, &more, MEMBER("name"), "process.name", p->name);
	put_str(d, b, &more, MEMBER("executable"), "process.executable",
		p->executable);
	if (p->args && p->argc) {
		put_strv(d, b, &more, MEMBER("args"), "process.args",
			 (const char *const *)p->args, p->argc);
		LIT(d, b, ",\"args_count\":");
		put_int(d, b, (int64_t)p->argc);
	}
	put_str(d, b, &more, MEMBER("command_line"), "process.command_line",
		p->command_line);
	put_str(d, b, &more, MEMBER("working_directory"),
		"process.working_directory", p->cwd);
	LIT(d, b, ",\"user\":{");
	put_id(d, b, &umore, MEMBER("id"), (uint32_t)p->uid, false);
	put_str(d, b, &umore, MEMBER("name"), "process.user.name",
		p->user_name);
	LIT(d, b, "}");

	/* the SYSCALL record's ppid: a forked parent's image may carry the
	 * pid of the process it forked from */
	if (pp || p->ppid > 0) {
		LIT(d, b, ",\"parent\":{\"pid\":");
		put_int(d, b, p->ppid);
	}
	if (pp) {
		put_str(d, b, &more, MEMBER("name"), "process.parent.name",
			pp->name);
		put_str(d, b, &more, MEMBER("executable"),
			"process.parent.executable", pp->executable);
		if (pp->args && pp->argc) {
			put_strv(d, b, &more, MEMBER("args"),
				 "process.parent.args",
				 (const char *const *)pp->args, pp->argc);
			LIT(d, b, ",\"args_count\":");
			put_int(d, b, (int64_t)pp->argc);
		}
		put_str(d, b, &more, MEMBER("command_line"),
			"process.parent.command_line", pp->command_line);
		put_str(d, b, &more, MEMBER("working_directory"),
			"process.parent.working_directory", pp->cwd);
	}
	if (pp || p->ppid > 0)
		LIT(d, b, "}");
	LIT(d, b, "}");
}

static void put_user(struct doc *d, const struct image *p)
{
	struct buf *b = d->out;
	bool more = false;

	LIT(d, b, ",\"user\":{");
	put_id(d, b, &more, MEMBER("id"), (uint32_t)p->uid, false);
	put_str(d, b, &more, MEMBER("name"), "user.name", p->user_name);
	LIT(d, b, ",\"effective\":{");
	more = false;
	put_id(d, b, &more, MEMBER("id"), (uint32_t)p->euid, false);
	LIT(d, b, "}}");
}

static void put_host(struct doc *d, const char *host_name)
{
	struct buf *b = d->out;
	bool more = false;

	LIT(d, b, ",\"host\":{");
	put_str(d, b, &more, MEMBER("name"), "host.name", host_name);
	KEY(d, b, &more, "os");
	LIT(d, b, "{\"type\":\"linux\"}}");
}

/* The audit key, split into tags as Auditbeat does (several -k keys are
 * joined by \001 in the record); empty keys are skipped. */
static void put_tags(struct doc *d, const char *key_text)
{
	const char *v[16], **vp = v, *k;
	char *copy = NULL, *s, *sep;
	size_t n = 1, i = 0;
	bool more = true;

	if (!key_text)
		return;
	for (k = key_text; (k = strchr(k, '\001')); k++)
		n++;
	if (n == 1) { /* the common case: one key, no copy */
		v[0] = *key_text ? key_text : NULL;
		put_strv(d, d->out, &more, MEMBER("tags"), "tags", v, 1);
		return;
	}
	copy = strdup(key_text);
	if (n > ARRAY_SIZE(v))
		vp = calloc(n, sizeof(*vp));
	if (!copy || !vp) {
		d->failed = true;
		goto out;
	}
	for (s = copy; i < n; s = sep + 1) {
		sep = strchrnul(s, '\001');
		*sep = '\0';
		vp[i++] = *s ? s : NULL;
	}
	put_strv(d, d->out, &more, MEMBER("tags"), "tags", vp, n);
out:
	if (vp != v)
		free(vp);
	free(copy);
}

static void put_auditd(struct doc *d, const struct image *p)
{
	struct buf *b = d->out;
	bool more = false;

	LIT(d, b, ",\"auditd\":{");
	if (p->serial) {
		KEY(d, b, &more, "sequence");
		put_int(d, b, (int64_t)p->serial);
	}
	put_id(d, b, &more, MEMBER("session"), p->session, true);
	LIT(d, b, ",\"data\":{");
	more = false;
	put_id(d, b, &more, MEMBER("auid"), (uint32_t)p->auid, true);
	put_str(d, b, &more, MEMBER("tty"), "auditd.data.tty", p->tty);
	put_str(d, b, &more, MEMBER("comm"), "auditd.data.comm", p->comm);
	LIT(d, b, "}}");
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

static bool args_truncated(const struct image *img)
{
	return img->flags & (IMAGE_ARGS_TRUNCATED | IMAGE_COPY_TRUNCATED);
}

static void put_ancestry(struct doc *d, const struct alert_input *in)
{
	static const char name[] = NS ".ancestry.executable";
	struct buf *b = d->ns;
	const struct image *a;
	bool enc = false, more, first = true;
	size_t i, n = 0;

	for (i = 0; in->ancestry && i < in->nancestry; i++) {
		if (!(a = in->ancestry[i]))
			continue;
		n++;
		if (a->executable && !utf8_valid(a->executable))
			enc = true;
	}
	if (!n)
		return;
	KEY(d, b, &d->ns_more, "ancestry");
	LIT(d, b, "[");
	for (i = 0; i < in->nancestry && !over(d); i++) {
		if (!(a = in->ancestry[i]))
			continue;
		if (!first)
			LIT(d, b, ",");
		first = false;
		LIT(d, b, "{\"pid\":");
		put_int(d, b, a->pid);
		if (a->executable) {
			more = true;
			if (enc)
				mark(d, &d->enc, name);
			KEY(d, b, &more, "executable");
			str_value(d, b, name, a->executable, enc);
		}
		LIT(d, b, "}");
	}
	LIT(d, b, "]");
}

static void put_marks(struct doc *d, const char *k, const struct marks *m)
{
	struct buf *b = d->ns;
	size_t i;

	if (!m->n)
		return;
	key(d, b, &d->ns_more, k, strlen(k));
	for (i = 0; i < m->n; i++) {
		if (i)
			LIT(d, b, ",\"");
		else
			LIT(d, b, "[\"");
		put_mem(d, b, m->name[i], strlen(m->name[i]));
		LIT(d, b, "\"");
	}
	LIT(d, b, "]");
}

/* The rest of audisp_dracut: process, ancestry and the lists. */
static void put_own(struct doc *d, const struct alert_input *in)
{
	const struct image *p = in->proc, *pp = in->parent;
	struct buf *b = d->ns;
	bool more = false;

	KEY(d, b, &d->ns_more, "process");
	LIT(d, b, "{");
	put_str(d, b, &more, MEMBER("interpreter"), NS ".process.interpreter",
		p->interpreter);
	KEY(d, b, &more, "args_truncated");
	put_bool(d, b, args_truncated(p));
	if (pp) {
		LIT(d, b, ",\"parent\":{");
		more = false;
		put_str(d, b, &more, MEMBER("source"),
			NS ".process.parent.source", source_name(pp->source));
		put_str(d, b, &more, MEMBER("interpreter"),
			NS ".process.parent.interpreter", pp->interpreter);
		KEY(d, b, &more, "args_truncated");
		put_bool(d, b, args_truncated(pp));
		if (pp->serial) {
			LIT(d, b, ",\"sequence\":");
			put_int(d, b, (int64_t)pp->serial);
		}
		LIT(d, b, "}");
	}
	LIT(d, b, "}");
	put_ancestry(d, in);
	put_marks(d, MEMBER("encoded_fields"), &d->enc);
	put_marks(d, MEMBER("truncated_fields"), &d->trunc);
}

/* ---------------------------------------------------------------- pieces */

static void piece_clear(struct piece *pc)
{
	free(pc->out.p);
	free(pc->ns.p);
	memset(pc, 0, sizeof(*pc));
}

/* Make pc with fn (put_rule or put_host) and its argument. */
static int piece_make(struct piece *pc, void (*fn)(struct doc *, const void *),
		      const void *arg)
{
	struct doc d = {
		.out = &pc->out, .ns = &pc->ns, .ns_at = NONE, .limit = NONE};

	pc->out.len = pc->ns.len = 0;
	pc->valid = false;
	fn(&d, arg);
	if (d.failed)
		return -1;
	pc->ns_at = d.ns_at;
	pc->enc = d.enc;
	pc->valid = true;
	return 0;
}

/* Copy pc into the document. */
static void piece_put(struct doc *d, const struct piece *pc)
{
	size_t i, at = d->out->len;

	put_mem(d, d->out, pc->out.p, pc->out.len);
	if (pc->ns.len) {
		put_mem(d, d->ns, pc->ns.p, pc->ns.len);
		d->ns_more = true;
	}
	if (pc->ns_at != NONE)
		d->ns_at = at + pc->ns_at;
	for (i = 0; i < pc->enc.n; i++)
		mark(d, &d->enc, pc->enc.name[i]);
}

static void rule_fn(struct doc *d, const void *arg)
{
	put_rule(d, arg);
}

static void host_fn(struct doc *d, const void *arg)
{
	put_host(d, arg);
}

static bool rule_same(const struct rule_meta *a, const struct rule_meta *b)
{
	return a->id == b->id && a->name == b->name &&
	       a->description == b->description && a->author == b->author &&
	       a->license == b->license && a->severity == b->severity &&
	       a->version == b->version && a->risk_score == b->risk_score &&
	       a->references == b->references &&
	       a->nreferences == b->nreferences && a->threats == b->threats &&
	       a->nthreats == b->nthreats;
}

/* rule.* and threat.*: from the builder's piece when it can. */
static void put_rule_piece(struct alert_builder *ab, struct doc *d,
			   const struct rule_meta *r)
{
	struct piece *pc = &ab->rule;

	if (!r)
		return;
	if (d->max_str || ab->no_cache) {
		put_rule(d, r);
		return;
	}
	if (!pc->valid || !rule_same(&ab->rule_key, r)) {
		if (piece_make(pc, rule_fn, r) < 0) {
			d->failed = true;
			return;
		}
		ab->rule_key = *r;
	}
	piece_put(d, pc);
}

/* host.*: from the builder's piece when it can. */
static void put_host_piece(struct alert_builder *ab, struct doc *d,
			   const char *host_name)
{
	struct piece *pc = &ab->host;
	char *copy = NULL;

	if (d->max_str || ab->no_cache) {
		put_host(d, host_name);
		return;
	}
	if (!pc->valid || (host_name == NULL) != (ab->host_key == NULL) ||
	    (host_name && strcmp(host_name, ab->host_key))) {
		if ((host_name && !(copy = strdup(host_name))) ||
		    piece_make(pc, host_fn, host_name) < 0) {
			free(copy);
			d->failed = true;
			return;
		}
		free(ab->host_key);
		ab->host_key = copy;
	}
	piece_put(d, pc);
}

/* ---------------------------------------------------------------- build */

/* Put audisp_dracut (the members in ns) where it goes in out. */
static void put_ns(struct doc *d)
{
	static const char open[] = ",\"" NS "\":{";
	struct buf *b = d->out;
	size_t n = sizeof(open) - 1 + d->ns->len + 1, at;
	char *o = room(d, b, n);

	if (!o)
		return;
	at = d->ns_at == NONE ? b->len : d->ns_at;
	memmove(b->p + at + n, b->p + at, b->len - at);
	o = b->p + at;
	memcpy(o, open, sizeof(open) - 1);
	o += sizeof(open) - 1;
	memcpy(o, d->ns->p, d->ns->len);
	o[d->ns->len] = '}';
	b->len += n;
}

/*
 * Write the document for in into ab->out, with strings cut to max_str
 * bytes if non-zero; give up as soon as it is longer than limit. Returns
 * 0 (with *too_long set if it gave up), or -1 on ENOMEM.
 */
static int build_doc(struct alert_builder *ab, const struct alert_input *in,
		     size_t max_str, size_t limit, bool *too_long)
{
	struct doc d = {.out = &ab->out,
			.ns = &ab->ns,
			.ns_at = NONE,
			.max_str = max_str,
			.limit = limit};
	bool more = false;

	ab->out.len = ab->ns.len = 0;
	LIT(&d, d.out, "{");
	put_time(&d, d.out, &more, MEMBER("@timestamp"), in->proc->sec,
		 in->proc->msec);
	put_message(&d, &ab->msg, &more, in);
	put_event(&d, in);
	put_rule_piece(ab, &d, in->rule);
	put_process(&d, in);
	put_user(&d, in->proc);
	put_host_piece(ab, &d, in->host_name);
	put_tags(&d, in->proc->key);
	put_auditd(&d, in->proc);
	put_own(&d, in);
	if (!over(&d))
		put_ns(&d);
	LIT(&d, d.out, "}");
	if (room(&d, d.out, 1))
		d.out->p[d.out->len] = '\0';
	if (d.failed)
		return -1;
	*too_long = d.too_long || d.out->len > ALERT_MAX_BYTES;
	return 0;
}

/*
 * Byte budgets for the strings of the process and its parent when the
 * document is too long, tried in turn (see image_copy: paths stay whole,
 * the argument list is cut and flagged). 1 keeps no argument at all.
 */
static const size_t arg_budgets[] = {65536, 16384, 4096, 1024, 1};

/* The last resort: every string cut to this many bytes. */
#define LAST_MAX_STR 1024

/*
 * Build the alert into ab->out (see alert.h). A document longer than
 * ALERT_MAX_BYTES is built again with the argument lists of the process
 * and its parent cut to smaller and smaller budgets, then with fewer
 * ancestors, until it fits: syslog(3) would drop it otherwise. Only if
 * paths of thousands of escaped bytes still make it too long is every
 * string cut to LAST_MAX_STR bytes (and listed in
 * audisp_dracut.truncated_fields); about twenty strings of at most six
 * JSON bytes per byte then always fit.
 */
static int build(struct alert_builder *ab, const struct alert_input *in)
{
	struct alert_input cut;
	struct image *proc = NULL, *parent = NULL;
	size_t i = 0;
	bool too_long;
	int ret;

	ret = build_doc(ab, in, 0, ALERT_MAX_BYTES, &too_long);
	cut = *in;
	while (ret == 0 && too_long) {
		if (i == ARRAY_SIZE(arg_budgets) && cut.nancestry == 0) {
			ret = build_doc(ab, &cut, LAST_MAX_STR, NONE,
					&too_long);
			break;
		}
		if (i < ARRAY_SIZE(arg_budgets)) {
			image_free(proc);
			image_free(parent);
			proc = image_copy(in->proc, arg_budgets[i]);
			parent = in->parent ? image_copy(in->parent,
							 arg_budgets[i])
					    : NULL;
			if (!proc || (in->parent && !parent)) {
				ret = -1;
				break;
			}
			cut.proc = proc;
			cut.parent = parent;
			i++;
		} else {
			cut.nancestry /= 2;
		}
		ret = build_doc(ab, &cut, 0, ALERT_MAX_BYTES, &too_long);
	}
	image_free(proc);
	image_free(parent);
	return ret;
}

/* Start a builder; see alert.h. */
struct alert_builder *alert_builder_create(void)
{
	return calloc(1, sizeof(struct alert_builder));
}

/* Free a builder and its buffers; NULL-safe. */
void alert_builder_free(struct alert_builder *ab)
{
	if (!ab)
		return;
	free(ab->out.p);
	free(ab->ns.p);
	free(ab->msg.p);
	piece_clear(&ab->rule);
	piece_clear(&ab->host);
	free(ab->host_key);
	free(ab);
}

/* Build the alert into the builder's buffer; see alert.h. */
const char *alert_builder_build(struct alert_builder *ab,
				const struct alert_input *in, size_t *len)
{
	if (!ab || !in || !in->proc || build(ab, in) < 0)
		return NULL;
	if (len)
		*len = ab->out.len;
	return ab->out.p;
}

/* Build the alert as one line of UTF-8 JSON; see alert.h. */
char *alert_build(const struct alert_input *in, size_t *len)
{
	struct alert_builder ab = {.no_cache = true};
	char *out = NULL;

	if (!in || !in->proc)
		return NULL;
	if (build(&ab, in) == 0 && (out = malloc(ab.out.len + 1))) {
		memcpy(out, ab.out.p, ab.out.len + 1);
		if (len)
			*len = ab.out.len;
	}
	free(ab.out.p);
	free(ab.ns.p);
	free(ab.msg.p);
	return out;
}
