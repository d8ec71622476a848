/* json.h - the byte-level JSON writer: escaping, \xHH encoding, marks, bound */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/*
 * The text is what json-c 0.16 wrote with JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE, byte for byte: no blanks, integers in
 * decimal, and in strings \b \t \n \f \r \" \\ for those bytes, \u00XX
 * (lowercase hex) for the other bytes below 0x20, every other byte (0x7f
 * and bytes above 0x7f included) as it is, '/' unescaped. The caller
 * places members and objects; a member name (key) is ASCII that needs no
 * escaping, and is written as it is.
 *
 * Bytes that are not UTF-8. Audit data is raw bytes: a file name or an
 * argument may hold any byte but NUL, while JSON text must be UTF-8. A
 * string value that is valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) is written as it is, escaped as
 * above. A field whose value is not is written encoded: every byte that
 * does not belong to a valid UTF-8 sequence becomes the four characters
 * \xHH (two lowercase hex digits), every backslash of the data becomes two
 * backslashes, valid multi-byte characters stay as they are, and the
 * field's dotted name is marked encoded (json.enc). The unit is the field:
 * when one element of an array needs encoding, every element is encoded.
 * To recover the bytes of a marked field, read each value left to right:
 * "\\" is one backslash, "\x" and two hex digits is that byte, every other
 * character stands for itself. Example: the bytes 2f 74 6d 70 2f ff 5c are
 * written in JSON as "/tmp/\\xff\\\\".
 */

/* json.limit: no bound */
#define JSON_UNBOUNDED SIZE_MAX

/* The most field names one document marks: more than it has string
 * fields. */
#define JSON_MAX_MARKS 64

/* Dotted field names, each once, in the order first marked. The names are
 * static strings: only the pointers are kept. */
struct json_marks {
	const char *name[JSON_MAX_MARKS];
	size_t n;
};

/*
 * One document being written. The caller sets b (the buffer written to),
 * limit and max_str, and zeroes the rest (a designated initializer does).
 * A document may be written in parts into several buffers: held counts the
 * bytes in the others, so that limit bounds them all (json_switch keeps it
 * right). Every writer below does nothing once the document has failed or
 * passed its limit, so a caller checks failed and too_long at the end only.
 */
struct json {
	struct buf *b;
	size_t held;	/* bytes of the document in other buffers */
	size_t limit;	/* stop once the document is longer than this */
	size_t max_str; /* cut longer string values to this many bytes (on a
			 * character boundary) and mark them in trunc; 0:
			 * never */
	struct json_marks enc, trunc; /* fields encoded, fields cut */
	bool failed;		      /* an allocation failed */
	bool too_long;		      /* the document passed limit */
};

/* Has the document failed or passed its limit? */
bool json_stopped(const struct json *w);

/* Is the document now longer than its limit? Sets too_long if so. Returns
 * json_stopped(w). */
bool json_over(struct json *w);

/* Write on into b, another buffer of the same document, whose bytes held
 * counts (a buffer written before, or an empty one). */
void json_switch(struct json *w, struct buf *b);

/* Append n bytes of JSON text as they are. */
void json_raw(struct json *w, const char *s, size_t n);

/*
 * Append the n bytes of JSON text at s, as json_raw does. Inline, so that
 * a literal's bytes are copied without a call when there is room.
 */
static inline void json_raw_inline(struct json *w, const char *s, size_t n)
{
	struct buf *b = w->b;

	if (!w->failed && !w->too_long && b->cap - b->len >= n && b->p) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	} else {
		json_raw(w, s, n);
	}
}

/* Append a string literal of JSON text. */
#define JSON_LIT(w, s) json_raw_inline(w, s, sizeof(s) - 1)

/* The member name key and its colon, with a comma first when *more; then
 * *more is true. */
void json_key(struct json *w, bool *more, const char *key);

/* A number in decimal, as json-c writes an int64. */
void json_int(struct json *w, int64_t v);

/* The member key with the decimal text of v as a string: "1000". */
void json_dec(struct json *w, bool *more, const char *key, uint64_t v);

/* true or false. */
void json_bool(struct json *w, bool v);

/* The member key with the string s, known to be ASCII that needs no
 * escaping (a constant, a number). */
void json_ascii(struct json *w, bool *more, const char *key, const char *s);

/* Add name to m, once. */
void json_mark(struct json *w, struct json_marks *m, const char *name);

/*
 * The member key with the string s, the value of the field named path
 * (static), encoded and marked when it is not UTF-8, and cut and marked
 * past max_str. Nothing when s is NULL.
 */
void json_str(struct json *w, bool *more, const char *key, const char *path,
	      const char *s);

/* Is s valid UTF-8 (it then needs no encoding)? */
bool json_utf8(const char *s);

/* The string s of field path, as a value (no member name): encoded (and
 * path marked) when enc, which the caller decides for the whole field. */
void json_str_value(struct json *w, const char *path, const char *s, bool enc);

/*
 * The member key with an array of the n strings v (NULL entries skipped),
 * the field path; nothing when none is left. When one is not UTF-8, all
 * are written encoded.
 */
void json_strv(struct json *w, bool *more, const char *key, const char *path,
	       const char *const *v, size_t n);

/*
 * The member key with the time sec.msec (msec may exceed 999) in RFC 3339,
 * UTC, with milliseconds, as gmtime_r and "%04d-%02d-%02dT%02d:%02d:%02d.
 * %03dZ" would write it; nothing for a year outside 0 to 9999.
 */
void json_time(struct json *w, bool *more, const char *key, int64_t sec,
	       int64_t msec);

/* The member key with the array of m's names; nothing when m is empty. */
void json_marks(struct json *w, bool *more, const char *key,
		const struct json_marks *m);

#endif /* JSON_H */
