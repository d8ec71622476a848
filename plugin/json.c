/* json.c - the byte-level JSON writer: escaping, \xHH encoding, marks, bound */
#include <string.h>
#include <time.h>

#include "json.h"
#include "utf8.h"

/* Input bytes taken per step, so that a string of any length needs at most
 * JSON_ESC_MAX * CHUNK + CHUNK_SLACK bytes of room at a time. */
#define CHUNK 4096
#define JSON_ESC_MAX 6 /* the longest text of one byte: \u00XX */
#define CHUNK_SLACK 8
/* Bytes of one word, tested at once by plain8. */
#define WORD 8
/* The first byte that is not ASCII, and the first that needs no \u00XX. */
#define NON_ASCII 0x80
#define PRINTABLE 0x20
/* A UTF-8 continuation byte: 10xxxxxx. */
#define CONT_MASK 0xc0
#define CONT_BITS 0x80
/* The bytes around a member name: a comma, two quotes, the colon; and
 * the quotes around a string. */
#define KEY_PUNCT 4
#define QUOTES 2
/* A backslash of the data in an encoded string: two, each escaped. */
#define ESC_BACKSLASH "\\\\\\\\"
/* A hex digit's bits. */
#define NIBBLE 4
#define NIBBLE_MASK 0xf
/* Longest decimal text of an int64, with its sign. */
#define INT_TEXT 24
/* "YYYY-MM-DDTHH:MM:SS.mmmZ" and its NUL, with room to spare. */
#define TIME_TEXT 32

bool json_stopped(const struct json *w)
{
	return w->failed || w->too_long;
}

bool json_over(struct json *w)
{
	if (w->limit != JSON_UNBOUNDED && w->b->len + w->held > w->limit)
		w->too_long = true;
	return json_stopped(w);
}

void json_switch(struct json *w, struct buf *b)
{
	w->held = w->held + w->b->len - b->len;
	w->b = b;
}

/* room's slow path: grow the buffer, unless the document has stopped. */
static char *grow(struct json *w, size_t n)
{
	char *o;

	if (json_stopped(w))
		return NULL;
	if (!(o = buf_reserve(w->b, n)))
		w->failed = true;
	return o;
}

/* Room for n more bytes: a pointer to write them at, or NULL (and the
 * document failed, or had stopped already). */
static inline char *room(struct json *w, size_t n)
{
	struct buf *b = w->b;

	if (!w->failed && !w->too_long && b->cap - b->len >= n && b->p)
		return b->p + b->len;
	return grow(w, n);
}

void json_raw(struct json *w, const char *s, size_t n)
{
	char *o = room(w, n);

	if (!o)
		return;
	memcpy(o, s, n);
	w->b->len += n;
}

void json_key(struct json *w, bool *more, const char *key)
{
	size_t n = strlen(key);
	char *o = room(w, n + KEY_PUNCT);

	if (!o)
		return;
	if (*more)
		*o++ = ',';
	*o++ = '"';
	memcpy(o, key, n);
	o += n;
	*o++ = '"';
	*o++ = ':';
	w->b->len = (size_t)(o - w->b->p);
	*more = true;
}

/* The decimal digits of u, written backwards to end: returns the first. */
static char *dec(char *end, uint64_t u)
{
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	return end;
}

void json_int(struct json *w, int64_t v)
{
	char tmp[INT_TEXT], *t;

	t = dec(tmp + sizeof(tmp),
		v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--t = '-';
	json_raw(w, t, (size_t)(tmp + sizeof(tmp) - t));
}

void json_dec(struct json *w, bool *more, const char *key, uint64_t v)
{
	char tmp[INT_TEXT + QUOTES], *t = tmp + sizeof(tmp);

	*--t = '"';
	t = dec(t, v);
	*--t = '"';
	json_key(w, more, key);
	json_raw(w, t, (size_t)(tmp + sizeof(tmp) - t));
}

void json_bool(struct json *w, bool v)
{
	if (v)
		JSON_LIT(w, "true");
	else
		JSON_LIT(w, "false");
}

void json_ascii(struct json *w, bool *more, const char *key, const char *s)
{
	size_t n = strlen(s);
	char *o;

	json_key(w, more, key);
	if (!(o = room(w, n + QUOTES)))
		return;
	*o = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	w->b->len += n + QUOTES;
}

void json_mark(struct json *w, struct json_marks *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return;
	if (m->n == JSON_MAX_MARKS) {
		w->failed = true; /* cannot happen: fewer string fields */
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
	*o++ = hex[c >> NIBBLE];
	*o++ = hex[c & NIBBLE_MASK];
	return o;
}

/* Eight bytes that need nothing: none below 0x20, none above 0x7f, no
 * quote, no backslash. */
static bool plain8(const unsigned char *s)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t v, q, bs;

	memcpy(&v, s, WORD);
	q = v ^ (ones * '"');
	bs = v ^ (ones * '\\');
	/* a byte of x is zero (or x's is below 0x20) iff the subtraction
	 * borrows into its high bit; bytes above 0x7f are caught first */
	return !((v | (v - ones * PRINTABLE) | (q - ones) | (bs - ones)) &
		 highs);
}

/* Room for the text of the input bytes i to end: a pointer, or NULL. */
static char *chunk_room(struct json *w, size_t i, size_t end)
{
	return room(w, JSON_ESC_MAX * (end - i) + CHUNK_SLACK);
}

static inline void quote(struct json *w)
{
	char *o = room(w, 1);

	if (o) {
		*o = '"';
		w->b->len++;
	}
}

/*
 * Write the n bytes at s (NUL-terminated at s[n] or later; n on a
 * character boundary) as a JSON string. Returns false, having written
 * nothing, if they are not valid UTF-8.
 */
static bool str_plain(struct json *w, const unsigned char *s, size_t n)
{
	size_t start = w->b->len, i = 0, end, k;
	char *o;

	quote(w);
	while (i < n && !json_stopped(w)) {
		end = n - i > CHUNK ? i + CHUNK : n;
		if (!(o = chunk_room(w, i, end)))
			return true;
		while (i < end) {
			if (end - i >= WORD && plain8(s + i)) {
				memcpy(o, s + i, WORD);
				o += WORD;
				i += WORD;
			} else if (s[i] < NON_ASCII) {
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
				w->b->len = start;
				return false;
			}
		}
		w->b->len = (size_t)(o - w->b->p);
		json_over(w);
	}
	quote(w);
	return true;
}

/* Write one input byte s[0] of an encoded string (k: utf8_seq(s)) at o. */
static char *enc_byte(char *o, const unsigned char *s, size_t k)
{
	if (!k) { /* \xHH, its backslash escaped for JSON */
		*o++ = '\\';
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[s[0] >> NIBBLE];
		*o++ = hex[s[0] & NIBBLE_MASK];
	} else if (s[0] == '\\') { /* \\, both escaped */
		memcpy(o, ESC_BACKSLASH, sizeof(ESC_BACKSLASH) - 1);
		o += sizeof(ESC_BACKSLASH) - 1;
	} else if (json_esc[s[0]]) {
		o = esc_byte(o, s[0]);
	} else {
		*o++ = (char)s[0];
	}
	return o;
}

/* Write the n bytes at s encoded (see json.h), as a JSON string. */
static void str_encoded(struct json *w, const unsigned char *s, size_t n)
{
	size_t i = 0, end, k;
	char *o;

	quote(w);
	while (i < n && !json_stopped(w)) {
		end = n - i > CHUNK ? i + CHUNK : n;
		if (!(o = chunk_room(w, i, end)))
			return;
		while (i < end) {
			k = utf8_seq(s + i);
			if (k > 1) {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			} else {
				o = enc_byte(o, s + i, k);
				i++;
			}
		}
		w->b->len = (size_t)(o - w->b->p);
		json_over(w);
	}
	quote(w);
}

bool json_utf8(const char *str)
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
 * max_str on a character boundary, path then marked as cut. */
static size_t cut_len(struct json *w, const char *path, const char *s)
{
	size_t len = strlen(s), n;

	if (!w->max_str || len <= w->max_str)
		return len;
	n = w->max_str;
	while (n > 0 && ((unsigned char)s[n] & CONT_MASK) == CONT_BITS)
		n--;
	json_mark(w, &w->trunc, path);
	return n;
}

/* The value s of field path, cut if due, encoded if enc (not marked). */
static void value(struct json *w, const char *path, const char *s, bool enc)
{
	size_t n = cut_len(w, path, s);

	if (enc)
		str_encoded(w, (const unsigned char *)s, n);
	else
		str_plain(w, (const unsigned char *)s, n);
}

void json_str_value(struct json *w, const char *path, const char *s, bool enc)
{
	if (enc)
		json_mark(w, &w->enc, path);
	value(w, path, s, enc);
}

void json_str(struct json *w, bool *more, const char *key, const char *path,
	      const char *s)
{
	bool enc;

	if (!s || json_stopped(w))
		return;
	json_key(w, more, key);
	if (!w->max_str) {
		/* try it as UTF-8 first: almost every string is */
		if (str_plain(w, (const unsigned char *)s, strlen(s)))
			return;
		enc = true;
	} else {
		enc = !json_utf8(s);
	}
	if (enc)
		json_mark(w, &w->enc, path);
	value(w, path, s, enc);
}

void json_strv(struct json *w, bool *more, const char *key, const char *path,
	       const char *const *v, size_t n)
{
	size_t i, count = 0, start;
	bool enc = false, first;

	for (i = 0; i < n; i++)
		count += v[i] != NULL;
	if (!count || json_stopped(w))
		return;
	json_key(w, more, key);
	if (w->max_str)
		for (i = 0; i < n && !enc; i++)
			enc = v[i] && !json_utf8(v[i]);
	start = w->b->len;
again:
	JSON_LIT(w, "[");
	first = true;
	for (i = 0; i < n && !json_over(w); i++) {
		if (!v[i])
			continue;
		if (!first)
			JSON_LIT(w, ",");
		first = false;
		if (enc || w->max_str) {
			value(w, path, v[i], enc);
		} else if (!str_plain(w, (const unsigned char *)v[i],
				      strlen(v[i]))) {
			enc = true;
			w->b->len = start;
			goto again;
		}
	}
	JSON_LIT(w, "]");
	if (enc)
		json_mark(w, &w->enc, path);
}

void json_marks(struct json *w, bool *more, const char *key,
		const struct json_marks *m)
{
	size_t i;

	if (!m->n)
		return;
	json_key(w, more, key);
	for (i = 0; i < m->n; i++) {
		if (i)
			JSON_LIT(w, ",\"");
		else
			JSON_LIT(w, "[\"");
		json_raw(w, m->name[i], strlen(m->name[i]));
		JSON_LIT(w, "\"");
	}
	JSON_LIT(w, "]");
}

/* ---------------------------------------------------------------- time */

/* Seconds of a day, and the bounds of RFC 3339's four-digit years:
 * 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define DAY_SEC 86400
#define HOUR_SEC 3600
#define MIN_SEC 60
#define MS_SEC 1000
#define FIRST_SEC (-62167219200LL)
#define LAST_SEC 253402300799LL
/* Howard Hinnant's days-to-civil algorithm: days from 0000-03-01 to the
 * epoch, days in a 400-year era, and the era's other cycles. */
#define EPOCH_SHIFT 719468
#define ERA_DAYS 146097
#define CENTURY_DAYS 36524
#define QUAD_DAYS 1460
#define YEAR_DAYS 365
#define ERA_YEARS 400
#define MONTH_CYCLE 153 /* days in the five months from March */

static char *two(char *o, unsigned v)
{
	*o++ = (char)('0' + v / 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/* The civil date of days since the epoch, in the proleptic Gregorian
 * calendar (exact for every day). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + EPOCH_SHIFT, era;
	unsigned doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - (ERA_DAYS - 1)) / ERA_DAYS;
	doe = (unsigned)(z - era * ERA_DAYS);
	yoe = (doe - doe / QUAD_DAYS + doe / CENTURY_DAYS -
	       doe / (ERA_DAYS - 1)) /
	      YEAR_DAYS;
	doy = doe - (YEAR_DAYS * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / MONTH_CYCLE;
	*d = doy - (MONTH_CYCLE * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * ERA_YEARS + (*m <= 2);
}

/* Write sec.msec as RFC 3339 into buf of TIME_TEXT bytes. Returns 0, or
 * -1 if the year is not between 0 and 9999. */
static int format_time(char *buf, int64_t sec, int64_t msec)
{
	int64_t days, y;
	unsigned m, day, sod;
	char *o = buf;

	sec = (int64_t)((uint64_t)sec + (uint64_t)(msec / MS_SEC));
	msec %= MS_SEC;
	if (msec < 0) {
		msec += MS_SEC;
		sec--;
	}
	if (sec < FIRST_SEC || sec > LAST_SEC || (int64_t)(time_t)sec != sec)
		return -1;
	days = sec / DAY_SEC;
	sod = (unsigned)(sec % DAY_SEC);
	if (sec % DAY_SEC < 0) {
		days--;
		sod = (unsigned)(sec % DAY_SEC + DAY_SEC);
	}
	civil(days, &y, &m, &day);
	o = two(o, (unsigned)(y / 100));
	o = two(o, (unsigned)(y % 100));
	*o++ = '-';
	o = two(o, m);
	*o++ = '-';
	o = two(o, day);
	*o++ = 'T';
	o = two(o, sod / HOUR_SEC);
	*o++ = ':';
	o = two(o, sod / MIN_SEC % MIN_SEC);
	*o++ = ':';
	o = two(o, sod % MIN_SEC);
	*o++ = '.';
	*o++ = (char)('0' + msec / 100);
	o = two(o, (unsigned)(msec % 100));
	*o++ = 'Z';
	*o = '\0';
	return 0;
}

void json_time(struct json *w, bool *more, const char *key, int64_t sec,
	       int64_t msec)
{
	char buf[TIME_TEXT];

	if (!format_time(buf, sec, msec))
		json_ascii(w, more, key, buf);
}
