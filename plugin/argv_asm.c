/* argv_asm.c - EXECVE argument reassembly: quoted, hex and split aN[i] forms */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "argv_asm.h"
#include "util.h"

/* No argument index or count above this is believed (the kernel's own
 * limit on argv is far lower: ARG_MAX bytes hold at most ~700k strings). */
#define ASM_MAX_INDEX 0x7fffffffULL
/* Room for a scalar value (argc=, aN_len=) stripped of its quotes. */
#define ASM_SCALAR_BUF 32

/* One aN= value or aN[i] chunk; its decoded bytes live in argv_asm.data.
 * Kept small: an exec can log 100,000 of them. */
struct piece {
	size_t off;    /* of its decoded bytes in the arena */
	uint32_t arg;  /* N: at most ASM_MAX_INDEX */
	int32_t chunk; /* -1 for aN=, else i of aN[i] */
	uint32_t len;  /* decoded bytes */
	uint32_t enc;  /* length as logged: hex digits or unquoted chars */
	uint32_t seq;  /* arrival order, to keep sorting stable */
};

struct arglen {
	uint32_t arg;
	uint32_t seq;
	size_t len; /* aN_len: the logged (encoded) length of argument N */
};

/* Every buffer is a struct buf; the arrays count bytes in .len. */
struct argv_asm {
	struct buf data;   /* every decoded byte, one arena */
	struct buf pieces; /* struct piece[] */
	struct buf lens;   /* struct arglen[] */
	struct buf ob;	   /* the arguments laid out, NUL-terminated */
	struct buf ov;	   /* char *[] into ob, NULL-terminated */
	uint32_t seq;
	unsigned long long argc;
	bool have_argc;
	bool truncated;
};

#define PIECES(a) ((struct piece *)(a)->pieces.p)
#define NPIECES(a) ((a)->pieces.len / sizeof(struct piece))
#define LENS(a) ((struct arglen *)(a)->lens.p)
#define NLENS(a) ((a)->lens.len / sizeof(struct arglen))

/* The value of each hex digit, plus one; 0 for every other byte. */
static const unsigned char hex_plus1[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

int argv_asm_unhex(char *dst, const char *src, size_t len)
{
	size_t i;

	if (len % 2)
		return -1;
	for (i = 0; i < len; i += 2) {
		int hi = hex_plus1[(unsigned char)src[i]] - 1;
		int lo = hex_plus1[(unsigned char)src[i + 1]] - 1;

		if (hi < 0 || lo < 0)
			return -1;
		dst[i / 2] = (char)(hi << 4 | lo);
	}
	return 0;
}

const char *argv_asm_scalar(const char *v, char *buf, size_t n)
{
	size_t len;

	if (!v || v[0] != '"')
		return v;
	len = strlen(v);
	if (len < 2 || v[len - 1] != '"' || len - 2 >= n)
		return NULL;
	memcpy(buf, v + 1, len - 2);
	buf[len - 2] = '\0';
	return buf;
}

struct argv_asm *argv_asm_new(void)
{
	return calloc(1, sizeof(struct argv_asm));
}

/* Apply fn to every buffer of a. */
static void each_buf(struct argv_asm *a, void (*fn)(struct buf *))
{
	struct buf *all[] = {&a->data, &a->pieces, &a->lens, &a->ob, &a->ov};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		fn(all[i]);
}

void argv_asm_free(struct argv_asm *a)
{
	if (a)
		each_buf(a, buf_free);
	free(a);
}

/* Empty b, and give its memory back when one event grew it too much. */
static void buf_empty(struct buf *b)
{
	if (b->cap > ARGV_ASM_KEEP_BYTES)
		buf_free(b);
	b->len = 0;
}

void argv_asm_reset(struct argv_asm *a)
{
	if (!a)
		return;
	each_buf(a, buf_empty);
	a->seq = 0;
	a->argc = 0;
	a->have_argc = false;
	a->truncated = false;
}

/* Parse a decimal index of at most ASM_MAX_INDEX from *s, advancing it. */
static int parse_index(const char **s, unsigned long long *out)
{
	const char *p = *s;
	unsigned long long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > ASM_MAX_INDEX)
			return -1;
	}
	*s = p;
	*out = v;
	return 0;
}

/* Store the decoded bytes of an argument value in the arena and describe
 * them in pc. Returns 0, or -1 for a malformed value or ENOMEM. */
static int add_bytes(struct argv_asm *a, const char *value, struct piece *pc)
{
	size_t vlen = strlen(value);
	bool quoted = vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"';
	size_t n = quoted ? vlen - 2 : vlen / 2;
	char *d;

	if ((!quoted && (vlen == 0 || vlen % 2)) || vlen > UINT32_MAX)
		return -1;
	if (!(d = buf_reserve(&a->data, n)))
		return -1;
	if (quoted) {
		memcpy(d, value + 1, n);
		pc->enc = (uint32_t)n;
	} else {
		if (argv_asm_unhex(d, value, vlen) < 0)
			return -1;
		/* argv strings end at NUL: one inside cannot be the kernel's */
		if (memchr(d, '\0', n))
			return -1;
		pc->enc = (uint32_t)vlen;
	}
	pc->off = a->data.len;
	pc->len = (uint32_t)n;
	a->data.len += n;
	return 0;
}

/* argc=N: one count; a second one must agree. */
static int take_argc(struct argv_asm *a, const char *value)
{
	char buf[ASM_SCALAR_BUF];
	unsigned long long v;

	value = argv_asm_scalar(value, buf, sizeof(buf));
	if (parse_ull(value, 10, &v) < 0 || v > ASM_MAX_INDEX ||
	    (a->have_argc && v != a->argc))
		return -1;
	a->argc = v;
	a->have_argc = true;
	return 0;
}

/* aN_len=L for argument idx. */
static int take_len(struct argv_asm *a, uint32_t idx, const char *value)
{
	char buf[ASM_SCALAR_BUF];
	unsigned long long v;
	struct arglen *l;

	value = argv_asm_scalar(value, buf, sizeof(buf));
	if (parse_ull(value, 10, &v) < 0 || v > SIZE_MAX / 2)
		return -1;
	if (!(l = (struct arglen *)buf_reserve(&a->lens, sizeof(*l))))
		return -1;
	l->arg = (uint32_t)idx;
	l->len = (size_t)v;
	l->seq = a->seq++;
	a->lens.len += sizeof(*l);
	return 0;
}

/* aN=value (chunk -1) or aN[chunk]=value for argument idx. */
static int take_piece(struct argv_asm *a, uint32_t idx, int32_t chunk,
		      const char *value)
{
	struct piece *pc;

	if (!value)
		return -1;
	if (!(pc = (struct piece *)buf_reserve(&a->pieces, sizeof(*pc))))
		return -1;
	if (add_bytes(a, value, pc) < 0)
		return -1;
	pc->arg = idx;
	pc->chunk = chunk;
	pc->seq = a->seq++;
	a->pieces.len += sizeof(*pc);
	return 0;
}

int argv_asm_field(struct argv_asm *a, const char *name, const char *value)
{
	unsigned long long idx, c;
	int32_t chunk = -1;
	const char *s = name;

	if (!a || !name)
		return -1;
	if (strcmp(name, "argc") == 0) {
		if (take_argc(a, value) < 0)
			goto bad;
		return 0;
	}
	if (s[0] != 'a' || s[1] < '0' || s[1] > '9')
		return 0; /* not an argument field */
	s++;
	if (parse_index(&s, &idx) < 0)
		goto bad;
	if (strcmp(s, "_len") == 0) {
		if (take_len(a, (uint32_t)idx, value) < 0)
			goto bad;
		return 0;
	}
	if (*s == '[') {
		s++;
		if (parse_index(&s, &c) < 0 || strcmp(s, "]") != 0)
			goto bad;
		chunk = (int32_t)c;
	} else if (*s) {
		goto bad;
	}
	if (take_piece(a, (uint32_t)idx, chunk, value) < 0)
		goto bad;
	return 0;
bad:
	a->truncated = true;
	return -1;
}

static int piece_cmp(const void *x, const void *y)
{
	const struct piece *a = x, *b = y;

	if (a->arg != b->arg)
		return a->arg < b->arg ? -1 : 1;
	if (a->chunk != b->chunk)
		return a->chunk < b->chunk ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int arglen_cmp(const void *x, const void *y)
{
	const struct arglen *a = x, *b = y;

	if (a->arg != b->arg)
		return a->arg < b->arg ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sort only when the records came out of order (they rarely do). */
static void sort_if_needed(void *base, size_t n, size_t sz,
			   int (*cmp)(const void *, const void *))
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (cmp((char *)base + (i - 1) * sz, (char *)base + i * sz) >
		    0) {
			qsort(base, n, sz, cmp);
			return;
		}
	}
}

/*
 * Build argument number p[*i].arg from the pieces at *i onwards (advancing
 * *i past them) into out, NUL-terminated. Sets *bad when the pieces are
 * inconsistent, incomplete or disagree with declared (-1: none). Returns
 * the bytes written, NUL excluded: at most the pieces' decoded bytes.
 */
static size_t build_arg(const struct argv_asm *a, size_t *i, long long declared,
			bool *bad, char *out)
{
	const struct piece *p = PIECES(a);
	size_t start = *i, end = *i, n, enc = 0, next = 0, np = NPIECES(a);
	size_t arg = p[start].arg;
	char *w;

	while (end < np && p[end].arg == arg)
		end++;
	*i = end;
	if (p[start].chunk < 0) {
		/* aN=: one value; anything else for N is a conflict */
		if (end - start > 1)
			*bad = true;
		if (declared >= 0 && (size_t)declared != p[start].enc)
			*bad = true;
		memcpy(out, a->data.p + p[start].off, p[start].len);
		out[p[start].len] = '\0';
		return p[start].len;
	}
	/* aN[0], aN[1], ...: keep the unbroken run from chunk 0 */
	w = out;
	for (n = start; n < end; n++) {
		if ((size_t)p[n].chunk != next) {
			*bad = true;
			if ((size_t)p[n].chunk < next)
				continue; /* a duplicate */
			break;		  /* a missing chunk */
		}
		memcpy(w, a->data.p + p[n].off, p[n].len);
		w += p[n].len;
		enc += p[n].enc;
		next++;
	}
	if (declared < 0 || (size_t)declared != enc)
		*bad = true;
	*w = '\0';
	return (size_t)(w - out);
}

/* The aN_len of argument arg, from the lengths at *li onwards (advancing
 * *li past those for arg and any before it): -1 when none. Sets *bad for a
 * length without its argument or two lengths for one. */
static long long declared_len(const struct argv_asm *a, size_t *li, size_t arg,
			      bool *bad)
{
	const struct arglen *l = LENS(a);
	size_t nl = NLENS(a);
	long long declared = -1;

	while (*li < nl && l[*li].arg < arg) {
		*bad = true; /* a length for an argument with no pieces */
		(*li)++;
	}
	if (*li < nl && l[*li].arg == arg) {
		declared = (long long)l[*li].len;
		if (++*li < nl && l[*li].arg == arg)
			*bad = true; /* two lengths for one argument */
		while (*li < nl && l[*li].arg == arg)
			(*li)++;
	}
	return declared;
}

/* Make room in ov and ob for the arguments of the pieces fed: each takes
 * at most its pieces' bytes and a NUL. Returns 0, or -1 on ENOMEM. */
static int reserve_layout(struct argv_asm *a)
{
	const struct piece *p = PIECES(a);
	size_t i, np = NPIECES(a), distinct = np ? 1 : 0;

	for (i = 1; i < np; i++)
		if (p[i].arg != p[i - 1].arg)
			distinct++;
	a->ov.len = a->ob.len = 0;
	if (!buf_reserve(&a->ov, (distinct + 1) * sizeof(char *)) ||
	    !buf_reserve(&a->ob, a->data.len + distinct + 1))
		return -1;
	return 0;
}

int argv_asm_collect(struct argv_asm *a, char ***args, size_t *argc,
		     bool *truncated)
{
	size_t nout = 0, i = 0, li = 0, np;
	bool bad = a->truncated;
	char **ov, *out;

	*args = NULL;
	*argc = 0;
	sort_if_needed(a->pieces.p, NPIECES(a), sizeof(struct piece),
		       piece_cmp);
	sort_if_needed(a->lens.p, NLENS(a), sizeof(struct arglen), arglen_cmp);
	if (reserve_layout(a) < 0)
		return -1;
	ov = (char **)a->ov.p;
	np = NPIECES(a);
	while (i < np) {
		size_t arg = PIECES(a)[i].arg;
		long long declared = declared_len(a, &li, arg, &bad);

		if (arg != nout) {
			/* a gap: argument nout is lost; the list ends there */
			bad = true;
			break;
		}
		out = ov[nout++] = a->ob.p + a->ob.len;
		a->ob.len += build_arg(a, &i, declared, &bad, out) + 1;
	}
	ov[nout] = NULL;
	if (i < np || li < NLENS(a))
		bad = true; /* pieces after a gap, lengths never used */
	if (a->have_argc ? a->argc != nout : nout || NLENS(a))
		bad = true; /* too few or too many, or no count */
	*args = nout ? ov : NULL;
	*argc = nout;
	*truncated = bad;
	return 0;
}

int argv_asm_take(struct argv_asm *a, char ***args, size_t *argc,
		  bool *truncated)
{
	char **view, **out = NULL;
	size_t n, i;
	int rc = -1;

	*args = NULL;
	*argc = 0;
	*truncated = false;
	if (!a)
		return -1;
	if (argv_asm_collect(a, &view, &n, truncated) < 0)
		goto done;
	if (n && !(out = calloc(n + 1, sizeof(*out))))
		goto done;
	for (i = 0; i < n; i++) {
		if (!(out[i] = strdup(view[i]))) {
			while (i--)
				free(out[i]);
			free(out);
			goto done;
		}
	}
	*args = out;
	*argc = n;
	rc = 0;
done:
	if (rc < 0)
		*truncated = false;
	argv_asm_reset(a);
	return rc;
}
