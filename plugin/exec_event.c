/* exec_event.c - turn one auparse event into a process image (or a fork) */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "exec_event.h"
#include "log.h"

/* The only file that calls auparse field accessors. */

#define EE_AT_FDCWD (-100)
#define EE_CLONE_THREAD 0x00010000ULL
/* No argument index or count above this is believed (the kernel's own
 * limit on argv is far lower: ARG_MAX bytes hold at most ~700k strings). */
#define EE_MAX_INDEX 0x7fffffffULL

/* ---------------------------------------------------------------- syscalls */

enum sc_kind { SC_NONE = 0, SC_EXECVE, SC_EXECVEAT, SC_FORK, SC_CLONE };

/* Syscall numbers of one machine, as libaudit knows them (-1: none). */
struct mach_sc {
	bool known;
	int execve, execveat, fork, vfork, clone, clone3;
};

#define EE_NMACH 16
static struct mach_sc mach_tab[EE_NMACH];
static bool ee_ready;

/* Last arch= seen and the machine it maps to: streams hold one or two. */
static unsigned long long last_elf = ~0ULL;
static int last_mach = -1;

static struct log_limit lim_malformed = LOG_LIMIT_INIT;
static struct log_limit lim_nomem = LOG_LIMIT_INIT;

/* Look up the exec and fork syscall numbers of every machine libaudit knows
 * (x86_64 and i386 at least). Returns 0, or -1 if it knows none. */
int exec_event_init(void)
{
	static const int machines[] = {
		MACH_86_64, MACH_X86, MACH_PPC64,   MACH_PPC,	  MACH_S390X,
		MACH_S390,  MACH_ARM, MACH_AARCH64, MACH_PPC64LE,
	};
	size_t i;
	int found = 0;

	memset(mach_tab, 0, sizeof(mach_tab));
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		int m = machines[i];
		struct mach_sc *sc;

		if (m < 0 || m >= EE_NMACH)
			continue;
		sc = &mach_tab[m];
		sc->execve = audit_name_to_syscall("execve", m);
		sc->execveat = audit_name_to_syscall("execveat", m);
		sc->fork = audit_name_to_syscall("fork", m);
		sc->vfork = audit_name_to_syscall("vfork", m);
		sc->clone = audit_name_to_syscall("clone", m);
		sc->clone3 = audit_name_to_syscall("clone3", m);
		sc->known = sc->execve >= 0 || sc->execveat >= 0;
		if (sc->known)
			found++;
	}
	last_elf = ~0ULL;
	last_mach = -1;
	ee_ready = found > 0;
	if (!ee_ready) {
		log_err("libaudit knows no execve syscall number");
		return -1;
	}
	if (!mach_tab[MACH_86_64].known || !mach_tab[MACH_X86].known)
		log_warnx("libaudit lacks the x86_64 or i386 execve number");
	return 0;
}

static enum sc_kind classify(int mach, long long nr)
{
	const struct mach_sc *sc;

	if (mach < 0 || mach >= EE_NMACH || !mach_tab[mach].known || nr < 0)
		return SC_NONE;
	sc = &mach_tab[mach];
	if (nr == sc->execve)
		return SC_EXECVE;
	if (nr == sc->execveat)
		return SC_EXECVEAT;
	if (nr == sc->clone)
		return SC_CLONE;
	if (nr == sc->fork || nr == sc->vfork || nr == sc->clone3)
		return SC_FORK;
	return SC_NONE;
}

/* ---------------------------------------------------------------- values */

/* Is s the string lit? Inlined for the short names of audit fields, and
 * stops at the first byte that differs. */
static inline bool is(const char *s, const char *lit)
{
	while (*lit)
		if (*s++ != *lit++)
			return false;
	return !*s;
}

/* The value of each hex digit, plus one; 0 for every other byte. */
static const unsigned char hex_plus1[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static inline int hexval(unsigned char c)
{
	return hex_plus1[c] - 1;
}

/* Parse all of s as a number in base 10 or 16. Returns 0 or -1. */
static int parse_ull(const char *s, int base, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p = s;
	char *end;
	int h;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	/* Most values are plain digits, too few to overflow: read them here.
	 * Anything else goes to strtoull, which says what it always said. */
	if (base == 10)
		for (; *p >= '0' && *p <= '9' && p - s < 19; p++)
			v = v * 10 + (unsigned)(*p - '0');
	else
		for (; p - s < 16 && (h = hexval((unsigned char)*p)) >= 0; p++)
			v = v << 4 | (unsigned)h;
	if (!*p) {
		*out = v;
		return 0;
	}
	errno = 0;
	*out = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_ll(const char *s, long long *out)
{
	const char *p, *digits;
	long long v = 0;
	char *end;

	if (!s || !*s || *s == ' ')
		return -1;
	/* as parse_ull: [-]digits that cannot overflow, here */
	digits = p = s + (*s == '-');
	for (; *p >= '0' && *p <= '9' && p - digits < 18; p++)
		v = v * 10 + (*p - '0');
	if (p > digits && !*p) {
		*out = *s == '-' ? -v : v;
		return 0;
	}
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;

	if (parse_ull(s, 10, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Decode len hex digits of src into dst (len / 2 bytes). Returns 0, or -1
 * for an odd length or a non-hex digit. */
static int hex_decode(char *dst, const char *src, size_t len)
{
	size_t i;

	if (len % 2)
		return -1;
	for (i = 0; i < len; i += 2) {
		int hi = hexval((unsigned char)src[i]);
		int lo = hexval((unsigned char)src[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		dst[i / 2] = (char)(hi << 4 | lo);
	}
	return 0;
}

/* A string buffer kept from event to event. */
struct strbuf {
	char *s;
	size_t cap;
};

/* Above this, a buffer is given back after the event that needed it. */
#define EE_KEEP_BYTES 65536

/* Room for n bytes in b. Returns b->s, or NULL on ENOMEM. */
static char *sb_reserve(struct strbuf *b, size_t n)
{
	char *ns;

	if (n <= b->cap)
		return b->s;
	if (n < 64)
		n = 64;
	ns = realloc(b->s, n);
	if (!ns)
		return NULL;
	b->s = ns;
	b->cap = n;
	return ns;
}

/* Copy len bytes of src into b as a string; *out points at it. */
static int sb_set(struct strbuf *b, const char *src, size_t len, char **out)
{
	if (!sb_reserve(b, len + 1))
		return -1;
	memcpy(b->s, src, len);
	b->s[len] = '\0';
	*out = b->s;
	return 0;
}

static void sb_trim(struct strbuf *b)
{
	if (b->cap > EE_KEEP_BYTES) {
		free(b->s);
		b->s = NULL;
		b->cap = 0;
	}
}

/*
 * Decode a value the kernel logged as an untrusted string: "quoted" text,
 * hex bytes, or the bare word (null). *out points at the decoded string in
 * b, or is NULL for (null), an absent value or a quote never closed (a
 * record cut short); a bare value that is not hex is copied as is.
 * Returns 0, or -1 on ENOMEM.
 */
static int decode_value(struct strbuf *b, const char *raw, char **out)
{
	size_t len;

	*out = NULL;
	if (!raw || is(raw, "(null)"))
		return 0;
	len = strlen(raw);
	if (len >= 2 && raw[0] == '"' && raw[len - 1] == '"')
		return sb_set(b, raw + 1, len - 2, out);
	if (raw[0] == '"')
		return 0; /* a quote never closed: a record cut short */
	if (len > 0 && len % 2 == 0) {
		if (!sb_reserve(b, len + 1))
			return -1;
		if (hex_decode(b->s, raw, len) == 0) {
			b->s[len / 2] = '\0';
			*out = b->s;
			return 0;
		}
	}
	return sb_set(b, raw, len, out);
}

/*
 * The text of a scalar value (a number, yes/no, a tty): some log shippers
 * quote every value, so strip one pair of quotes into buf. Returns v, buf,
 * or NULL when v is NULL or too long to be a scalar.
 */
static const char *scalar(const char *v, char *buf, size_t n)
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

/* ---------------------------------------------------------------- argv */

/* One aN= value or aN[i] chunk; its decoded bytes live in argv_asm.data. */
struct piece {
	size_t arg;
	long long chunk; /* -1 for aN=, else i of aN[i] */
	size_t off, len; /* decoded bytes */
	size_t enc;	 /* length as logged: hex digits or unquoted chars */
	size_t seq;	 /* arrival order, to keep sorting stable */
};

struct arglen {
	size_t arg;
	size_t len; /* aN_len: the logged (encoded) length of argument N */
	size_t seq;
};

struct argv_asm {
	char *data; /* every decoded byte, one arena */
	size_t dlen, dcap;
	struct piece *p;
	size_t np, pcap;
	struct arglen *l;
	size_t nl, lcap;
	size_t seq;
	unsigned long long argc;
	bool have_argc;
	bool truncated;
	/* the arguments laid out by asm_collect: strings in ob, pointers
	 * (NULL-terminated) in ov; kept for the next event */
	char *ob;
	size_t obcap;
	char **ov;
	size_t ovcap;
};

/* Allocate an empty argument assembler. Returns NULL on ENOMEM; free it
 * with argv_asm_free. */
struct argv_asm *argv_asm_new(void)
{
	return calloc(1, sizeof(struct argv_asm));
}

/* Free an assembler and what it holds. argv_asm_free(NULL) is safe. */
void argv_asm_free(struct argv_asm *a)
{
	if (!a)
		return;
	free(a->data);
	free(a->p);
	free(a->l);
	free(a->ob);
	free(a->ov);
	free(a);
}

static void argv_asm_reset(struct argv_asm *a)
{
	a->dlen = 0;
	a->np = 0;
	a->nl = 0;
	a->seq = 0;
	a->argc = 0;
	a->have_argc = false;
	a->truncated = false;
}

/* Make room for n more elements of size sz in buf (used of *cap taken),
 * growing geometrically. Returns the buffer, or NULL on ENOMEM (buf is then
 * unchanged and still owned by the caller). */
static void *grow(void *buf, size_t *cap, size_t used, size_t n, size_t sz)
{
	size_t ncap;
	void *nb;

	if (used + n <= *cap && buf)
		return buf;
	if (used + n < used)
		return NULL;
	ncap = *cap ? *cap : 16;
	while (ncap < used + n) {
		if (ncap > SIZE_MAX / 2 / sz)
			return NULL;
		ncap *= 2;
	}
	nb = realloc(buf, ncap * sz);
	if (!nb)
		return NULL;
	*cap = ncap;
	return nb;
}

/* Parse a decimal index of at most EE_MAX_INDEX from *s, advancing it. */
static int parse_index(const char **s, unsigned long long *out)
{
	const char *p = *s;
	unsigned long long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > EE_MAX_INDEX)
			return -1;
	}
	*s = p;
	*out = v;
	return 0;
}

/* Store the decoded form of an argument value; sets *off, *len, *enc. */
static int add_bytes(struct argv_asm *a, const char *value, size_t *off,
		     size_t *len, size_t *enc)
{
	size_t vlen = strlen(value);
	size_t n;
	char *d;

	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		n = vlen - 2;
		if (!(d = grow(a->data, &a->dcap, a->dlen, n, 1)))
			return -2;
		a->data = d;
		memcpy(a->data + a->dlen, value + 1, n);
		*enc = n;
	} else {
		if (vlen == 0 || vlen % 2)
			return -1;
		n = vlen / 2;
		if (!(d = grow(a->data, &a->dcap, a->dlen, n, 1)))
			return -2;
		a->data = d;
		if (hex_decode(a->data + a->dlen, value, vlen) < 0)
			return -1;
		/* argv strings end at NUL: one inside cannot be the kernel's */
		if (memchr(a->data + a->dlen, '\0', n))
			return -1;
		*enc = vlen;
	}
	*off = a->dlen;
	*len = n;
	a->dlen += n;
	return 0;
}

/*
 * Feed one EXECVE field: argc=N, aN="text", aN=HEX, aN_len=L or
 * aN[i]=chunk (quoted or hex). Fields may come in any order, across any
 * number of records. Other names (node, type, ...) are ignored. Returns 0,
 * or -1 for a malformed field (ignored, and the result marked truncated)
 * or ENOMEM (also marked truncated).
 */
int argv_asm_field(struct argv_asm *a, const char *name, const char *value)
{
	unsigned long long idx, v;
	long long chunk = -1;
	const char *s = name;
	struct piece *pc;
	struct arglen *l;
	char buf[32];
	int rc;

	if (!a || !name)
		return -1;
	if (name[0] == 'a' && is(name, "argc")) {
		value = scalar(value, buf, sizeof(buf));
		if (parse_ull(value, 10, &v) < 0 || v > EE_MAX_INDEX ||
		    (a->have_argc && v != a->argc))
			goto bad;
		a->argc = v;
		a->have_argc = true;
		return 0;
	}
	if (s[0] != 'a' || s[1] < '0' || s[1] > '9')
		return 0; /* not an argument field */
	s++;
	if (parse_index(&s, &idx) < 0)
		goto bad;
	if (*s == '_' && is(s, "_len")) {
		value = scalar(value, buf, sizeof(buf));
		if (parse_ull(value, 10, &v) < 0 || v > SIZE_MAX / 2)
			goto bad;
		l = grow(a->l, &a->lcap, a->nl, 1, sizeof(*a->l));
		if (!l)
			goto bad;
		a->l = l;
		a->l[a->nl].arg = (size_t)idx;
		a->l[a->nl].len = (size_t)v;
		a->l[a->nl].seq = a->seq++;
		a->nl++;
		return 0;
	}
	if (*s == '[') {
		unsigned long long c;

		s++;
		if (parse_index(&s, &c) < 0 || !is(s, "]"))
			goto bad;
		chunk = (long long)c;
	} else if (*s) {
		goto bad;
	}
	if (!value)
		goto bad;
	pc = grow(a->p, &a->pcap, a->np, 1, sizeof(*a->p));
	if (!pc)
		goto bad;
	a->p = pc;
	pc = &a->p[a->np];
	rc = add_bytes(a, value, &pc->off, &pc->len, &pc->enc);
	if (rc < 0)
		goto bad;
	pc->arg = (size_t)idx;
	pc->chunk = chunk;
	pc->seq = a->seq++;
	a->np++;
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
static size_t build_arg(struct argv_asm *a, size_t *i, long long declared,
			bool *bad, char *out)
{
	size_t start = *i, end = *i, n, enc = 0, next = 0;
	size_t arg = a->p[start].arg;
	char *w;

	while (end < a->np && a->p[end].arg == arg)
		end++;
	*i = end;
	if (a->p[start].chunk < 0) {
		/* aN=: one value; anything else for N is a conflict */
		if (end - start > 1)
			*bad = true;
		if (declared >= 0 && (size_t)declared != a->p[start].enc)
			*bad = true;
		memcpy(out, a->data + a->p[start].off, a->p[start].len);
		out[a->p[start].len] = '\0';
		return a->p[start].len;
	}
	/* aN[0], aN[1], ...: keep the unbroken run from chunk 0 */
	w = out;
	for (n = start; n < end; n++) {
		if ((size_t)a->p[n].chunk != next) {
			*bad = true;
			if ((size_t)a->p[n].chunk < next)
				continue; /* a duplicate */
			break;		  /* a missing chunk */
		}
		memcpy(w, a->data + a->p[n].off, a->p[n].len);
		w += a->p[n].len;
		enc += a->p[n].enc;
		next++;
	}
	if (declared < 0 || (size_t)declared != enc)
		*bad = true;
	*w = '\0';
	return (size_t)(w - out);
}

/*
 * Lay out the arguments seen since the last reset, in index order, in
 * a->ov (NULL-terminated; *argc of them) and a->ob; they stay valid until
 * the assembler is fed or freed. *truncated is set when argc, an aN_len, a
 * chunk or a value did not check out; what could be recovered is still
 * laid out. Returns 0, or -1 on ENOMEM (nothing is laid out then).
 */
static int asm_collect(struct argv_asm *a, size_t *argc, bool *truncated)
{
	size_t nout = 0, i, li = 0, distinct = 0, expect = 0, used = 0;
	bool bad = a->truncated;
	void *nb;

	*argc = 0;
	sort_if_needed(a->p, a->np, sizeof(*a->p), piece_cmp);
	sort_if_needed(a->l, a->nl, sizeof(*a->l), arglen_cmp);
	for (i = 1; i < a->np; i++)
		if (a->p[i].arg != a->p[i - 1].arg)
			distinct++;
	if (a->np)
		distinct++;
	/* each argument takes at most its pieces' bytes and a NUL */
	if (!(nb = grow(a->ov, &a->ovcap, 0, distinct + 1, sizeof(*a->ov))))
		return -1;
	a->ov = nb;
	if (!(nb = grow(a->ob, &a->obcap, 0, a->dlen + distinct + 1, 1)))
		return -1;
	a->ob = nb;
	i = 0;
	while (i < a->np) {
		size_t arg = a->p[i].arg;
		long long declared = -1;

		/* aN_len for arguments before this one have no pieces */
		while (li < a->nl && a->l[li].arg < arg) {
			bad = true;
			li++;
		}
		if (li < a->nl && a->l[li].arg == arg) {
			declared = (long long)a->l[li].len;
			if (++li < a->nl && a->l[li].arg == arg)
				bad = true; /* two lengths for one argument */
			while (li < a->nl && a->l[li].arg == arg)
				li++;
		}
		if (arg != expect)
			bad = true; /* argument(s) missing before this one */
		expect = arg + 1;
		a->ov[nout++] = a->ob + used;
		used += build_arg(a, &i, declared, &bad, a->ob + used) + 1;
	}
	a->ov[nout] = NULL;
	if (li < a->nl)
		bad = true; /* lengths for arguments never seen */
	if (a->have_argc) {
		if (a->argc != nout || expect != nout)
			bad = true;
	} else if (nout || a->nl) {
		bad = true; /* arguments without a count */
	}
	*argc = nout;
	*truncated = bad;
	return 0;
}

/* The assembler's buffers go back to malloc when one event made them
 * bigger than is worth keeping. */
static void asm_trim(struct argv_asm *a)
{
	if (a->dcap > EE_KEEP_BYTES) {
		free(a->data);
		a->data = NULL;
		a->dcap = 0;
	}
	if (a->pcap * sizeof(*a->p) > EE_KEEP_BYTES) {
		free(a->p);
		a->p = NULL;
		a->pcap = 0;
	}
	if (a->lcap * sizeof(*a->l) > EE_KEEP_BYTES) {
		free(a->l);
		a->l = NULL;
		a->lcap = 0;
	}
	if (a->obcap > EE_KEEP_BYTES) {
		free(a->ob);
		a->ob = NULL;
		a->obcap = 0;
	}
	if (a->ovcap * sizeof(*a->ov) > EE_KEEP_BYTES) {
		free(a->ov);
		a->ov = NULL;
		a->ovcap = 0;
	}
}

/*
 * Hand over the arguments seen since the last take, in index order: *args
 * is NULL-terminated (NULL when *argc is 0); the caller frees each string
 * and the array. *truncated is set when argc, an aN_len, a chunk or a value
 * did not check out; what could be recovered is still returned. Returns 0,
 * or -1 on ENOMEM (nothing is returned then). Resets the assembler.
 */
int argv_asm_take(struct argv_asm *a, char ***args, size_t *argc,
		  bool *truncated)
{
	char **out = NULL;
	size_t n, i;
	bool bad;

	*args = NULL;
	*argc = 0;
	*truncated = false;
	if (!a)
		return -1;
	if (asm_collect(a, &n, &bad) < 0)
		goto nomem;
	if (n) {
		out = calloc(n + 1, sizeof(*out));
		if (!out)
			goto nomem;
		for (i = 0; i < n; i++) {
			if (!(out[i] = strdup(a->ov[i]))) {
				while (i--)
					free(out[i]);
				free(out);
				goto nomem;
			}
		}
	}
	*args = out;
	*argc = n;
	*truncated = bad;
	argv_asm_reset(a);
	return 0;
nomem:
	argv_asm_reset(a);
	return -1;
}

/* ---------------------------------------------------------------- events */

/* What the records of one exec or fork event said. The strings point into
 * the scratch buffers below. */
struct ev_fields {
	enum sc_kind kind;
	int mach;
	long long nr;
	bool have_success, success;
	bool have_exit;
	long long exit;
	bool have_a0, have_a1;
	unsigned long long a0, a1;
	bool have_pid, have_ppid;
	long long pid, ppid;
	char *cwd;
	char *path0; /* PATH item 0: what execve was asked to run */
	char *path1; /* PATH item 1: a script's interpreter, as in #! */
	bool have_path0, have_path1, have_cwd, have_execve;
	bool syscall_first; /* the SYSCALL record is the event's first */
};

/*
 * Buffers kept from one event to the next (the parser runs on one thread),
 * so that an exec costs one allocation: its image, copied out of them at
 * the end. One buffer per string of the image, as each is decoded once.
 */
enum ee_str {
	EE_COMM,
	EE_EXE,
	EE_KEY,
	EE_TTY,
	EE_USER,
	EE_CWD,
	EE_PATH0,
	EE_PATH1,
	EE_EXECUTABLE,
	EE_NSTR
};

static struct {
	struct strbuf str[EE_NSTR];
	struct argv_asm args;
} scratch;

/* Give back every buffer kept between events. */
void exec_event_fini(void)
{
	size_t i;

	for (i = 0; i < EE_NSTR; i++) {
		free(scratch.str[i].s);
		scratch.str[i].s = NULL;
		scratch.str[i].cap = 0;
	}
	free(scratch.args.data);
	free(scratch.args.p);
	free(scratch.args.l);
	free(scratch.args.ob);
	free(scratch.args.ov);
	memset(&scratch.args, 0, sizeof(scratch.args));
}

/* Find the first SYSCALL record and classify it from its arch= and
 * syscall= fields, which the kernel puts first. Leaves au on that record. */
static enum sc_kind find_syscall(auparse_state_t *au, struct ev_fields *f)
{
	const char *arch = NULL, *nr = NULL;
	char abuf[32], nbuf[32];
	unsigned long long elf, v;

	if (auparse_first_record(au) <= 0)
		return SC_NONE;
	f->syscall_first = true;
	while (auparse_get_type(au) != AUDIT_SYSCALL) {
		f->syscall_first = false;
		if (auparse_next_record(au) <= 0)
			return SC_NONE;
	}
	if (auparse_first_field(au) <= 0)
		return SC_NONE;
	do {
		const char *name = auparse_get_field_name(au);

		if (!name)
			continue;
		if (!arch && is(name, "arch"))
			arch = scalar(auparse_get_field_str(au), abuf,
				      sizeof(abuf));
		else if (!nr && is(name, "syscall"))
			nr = scalar(auparse_get_field_str(au), nbuf,
				    sizeof(nbuf));
		if (arch && nr)
			break;
	} while (auparse_next_field(au) > 0);
	if (!arch || !nr || parse_ull(arch, 16, &elf) < 0 ||
	    parse_ull(nr, 10, &v) < 0 || v > INT32_MAX)
		return SC_NONE;
	if (elf != last_elf) {
		last_elf = elf;
		last_mach = elf > UINT32_MAX
				    ? -1
				    : audit_elf_to_machine((unsigned int)elf);
	}
	f->mach = last_mach;
	f->nr = (long long)v;
	return classify(last_mach, f->nr);
}

/* user name of the current uid field, or NULL when auparse knows none. */
static int interpret_user(auparse_state_t *au, char **out)
{
	const char *s = auparse_interpret_field(au);

	*out = NULL;
	if (!s || !*s || strcmp(s, "unset") == 0 ||
	    strncmp(s, "unknown(", 8) == 0 || strcmp(s, "?") == 0)
		return 0;
	return sb_set(&scratch.str[EE_USER], s, strlen(s), out);
}

/* Decode the value into *dst, once: the first occurrence wins. */
static int take_value(enum ee_str which, char **dst, const char *raw)
{
	if (*dst)
		return 0;
	return decode_value(&scratch.str[which], raw, dst);
}

/* The SYSCALL fields that matter, by name. */
enum sc_field {
	SF_OTHER = 0,
	SF_A0,
	SF_A1,
	SF_AUID,
	SF_COMM,
	SF_EXIT,
	SF_EUID,
	SF_EXE,
	SF_KEY,
	SF_PID,
	SF_PPID,
	SF_SUCCESS,
	SF_SES,
	SF_TTY,
	SF_UID,
	SF_UID_NAME, /* an ENRICHED field, should auparse list it */
};

/* Which field n names, looking at as few bytes as it takes: most names
 * (gid, suid, items, a2...) differ from every wanted one in their first
 * two bytes. */
static enum sc_field sc_field(const char *n)
{
	switch (n[0]) {
	case 'a':
		if ((n[1] == '0' || n[1] == '1') && !n[2])
			return n[1] == '0' ? SF_A0 : SF_A1;
		if (n[1] == 'u' && is(n + 2, "id"))
			return SF_AUID;
		break;
	case 'c':
		if (n[1] == 'o' && is(n + 2, "mm"))
			return SF_COMM;
		break;
	case 'e':
		if (n[1] == 'x' && n[2] == 'i' && is(n + 3, "t"))
			return SF_EXIT;
		if (n[1] == 'x' && n[2] == 'e' && !n[3])
			return SF_EXE;
		if (n[1] == 'u' && is(n + 2, "id"))
			return SF_EUID;
		break;
	case 'k':
		if (n[1] == 'e' && is(n + 2, "y"))
			return SF_KEY;
		break;
	case 'p':
		if (n[1] == 'i' && is(n + 2, "d"))
			return SF_PID;
		if (n[1] == 'p' && is(n + 2, "id"))
			return SF_PPID;
		break;
	case 's':
		if (n[1] == 'u' && n[2] == 'c' && is(n + 3, "cess"))
			return SF_SUCCESS;
		if (n[1] == 'e' && is(n + 2, "s"))
			return SF_SES;
		break;
	case 't':
		if (n[1] == 't' && is(n + 2, "y"))
			return SF_TTY;
		break;
	case 'u':
		if (n[1] == 'i' && is(n + 2, "d"))
			return SF_UID;
		break;
	case 'U':
		if (n[1] == 'I' && is(n + 2, "D"))
			return SF_UID_NAME;
		break;
	default:
		break;
	}
	return SF_OTHER;
}

/* Read the SYSCALL record's fields into f (and img when not NULL), in one
 * pass. Returns 0, or -1 on ENOMEM. */
static int read_syscall(auparse_state_t *au, struct ev_fields *f,
			struct image *img)
{
	if (auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);
		const char *raw = auparse_get_field_str(au);
		enum sc_field which;
		const char *v;
		char buf[64];
		unsigned long long u;
		uint32_t u32;

		if (!n || !raw)
			continue;
		which = sc_field(n);
		if (which == SF_OTHER)
			continue;
		if (!img && which != SF_A0 && which != SF_A1 &&
		    which != SF_EXIT && which != SF_PID && which != SF_PPID &&
		    which != SF_SUCCESS)
			continue; /* a fork needs no more */
		/* a0 is only read as execveat's dirfd or clone's flags, a1 as
		 * clone's flags on s390 */
		if ((which == SF_A0 && f->kind != SC_EXECVEAT &&
		     f->kind != SC_CLONE) ||
		    (which == SF_A1 && f->kind != SC_CLONE))
			continue;
		/* comm, exe, key and UID are strings: see decode_value */
		v = "";
		if (which != SF_COMM && which != SF_EXE && which != SF_KEY &&
		    which != SF_UID_NAME) {
			v = scalar(raw, buf, sizeof(buf));
			if (!v)
				v = "";
		}
		switch (which) {
		case SF_A0:
			if (!parse_ull(v, 16, &u)) {
				f->a0 = u;
				f->have_a0 = true;
			}
			break;
		case SF_A1:
			if (!parse_ull(v, 16, &u)) {
				f->a1 = u;
				f->have_a1 = true;
			}
			break;
		case SF_AUID:
			if (!parse_u32(v, &u32))
				img->auid = u32;
			break;
		case SF_COMM:
			if (take_value(EE_COMM, &img->comm, raw) < 0)
				return -1;
			break;
		case SF_EXIT:
			f->have_exit = !parse_ll(v, &f->exit);
			break;
		case SF_EUID:
			if (!parse_u32(v, &u32))
				img->euid = u32;
			break;
		case SF_EXE:
			if (take_value(EE_EXE, &img->exe, raw) < 0)
				return -1;
			break;
		case SF_KEY:
			if (take_value(EE_KEY, &img->key, raw) < 0)
				return -1;
			break;
		case SF_PID:
			f->have_pid = !parse_ll(v, &f->pid);
			break;
		case SF_PPID:
			f->have_ppid = !parse_ll(v, &f->ppid);
			break;
		case SF_SUCCESS:
			f->have_success = !strcmp(v, "yes") || !strcmp(v, "no");
			f->success = !strcmp(v, "yes");
			break;
		case SF_SES:
			if (!parse_u32(v, &u32))
				img->session = u32;
			break;
		case SF_TTY:
			if (!img->tty && strcmp(v, "(none)") != 0 &&
			    sb_set(&scratch.str[EE_TTY], v, strlen(v),
				   &img->tty) < 0)
				return -1;
			break;
		case SF_UID:
			if (!parse_u32(v, &u32)) {
				img->uid = u32;
				if (!img->user_name &&
				    interpret_user(au, &img->user_name) < 0)
					return -1;
			}
			break;
		case SF_UID_NAME:
			if (!img->user_name &&
			    decode_value(&scratch.str[EE_USER], raw,
					 &img->user_name) < 0)
				return -1;
			break;
		default:
			break;
		}
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int read_execve(auparse_state_t *au, struct argv_asm *a)
{
	if (auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);

		if (!n || is(n, "node") || is(n, "type"))
			continue;
		/* malformed fields are counted by the assembler */
		(void)argv_asm_field(a, n, auparse_get_field_str(au));
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int read_cwd(auparse_state_t *au, struct ev_fields *f)
{
	const char *v;

	if (f->have_cwd || auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);

		if (n && is(n, "cwd")) {
			v = auparse_get_field_str(au);
			f->have_cwd = true;
			return decode_value(&scratch.str[EE_CWD], v, &f->cwd);
		}
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int read_path(auparse_state_t *au, struct ev_fields *f)
{
	int item = -1;

	if ((f->have_path0 && f->have_path1) || auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);
		const char *v = auparse_get_field_str(au);
		char buf[32];

		if (!n || !v)
			continue;
		if (is(n, "item")) {
			v = scalar(v, buf, sizeof(buf));
			if (v && strcmp(v, "0") == 0 && !f->have_path0)
				item = 0;
			else if (v && strcmp(v, "1") == 0 && !f->have_path1)
				item = 1;
			else
				return 0;
		} else if (item == 0 && is(n, "name")) {
			f->have_path0 = true;
			return decode_value(&scratch.str[EE_PATH0], v,
					    &f->path0);
		} else if (item == 1 && is(n, "name")) {
			f->have_path1 = true;
			return decode_value(&scratch.str[EE_PATH1], v,
					    &f->path1);
		}
	} while (auparse_next_field(au) > 0);
	return 0;
}

/* Give back the scratch buffers that one big event blew up. */
static void scratch_trim(void)
{
	size_t i;

	for (i = 0; i < EE_NSTR; i++)
		sb_trim(&scratch.str[i]);
	asm_trim(&scratch.args);
}

static int malformed(struct exec_event_stats *st, const au_event_t *e,
		     const char *why)
{
	if (st)
		st->malformed++;
	log_limited(&lim_malformed, "dropped exec event %lu.%03u:%lu: %s",
		    e ? (unsigned long)e->sec : 0UL, e ? e->milli : 0U,
		    e ? e->serial : 0UL, why);
	return -1;
}

/* Is the syscall's dirfd argument AT_FDCWD? (dirfd is an int) */
static bool is_at_fdcwd(const struct ev_fields *f)
{
	return f->have_a0 && (int32_t)(uint32_t)f->a0 == EE_AT_FDCWD;
}

/*
 * Was this the exec of a #! script? The kernel then logs the script as PATH
 * item 0 and the interpreter named on the #! line as item 1, and rewrites
 * argv to "interpreter [optional-arg] script args...". A binary reached
 * through a symlink (/bin/sh -> dash) also has exe= differ from item 0, but
 * its argv is the caller's own, so exe= is no interpreter there.
 */
static bool is_script(const struct image *img, const struct ev_fields *f)
{
	if (!f->path0 || !f->path1 || img->argc < 2)
		return false;
	if (strcmp(img->args[0], f->path1) != 0)
		return false;
	return strcmp(img->args[1], f->path0) == 0 ||
	       (img->argc >= 3 && strcmp(img->args[2], f->path0) == 0);
}

/* img->executable: path cleaned (against cwd when given), in scratch, and
 * img->name its basename, as image_set_executable sets them. */
static int set_executable(struct image *img, const char *path, const char *cwd)
{
	struct strbuf *b = &scratch.str[EE_EXECUTABLE];
	char *slash;

	if (!sb_reserve(b, image_clean_size(path, cwd)))
		return -1;
	img->executable = image_clean_into(b->s, path, cwd);
	slash = strrchr(img->executable, '/');
	img->name = slash && slash[1] ? slash + 1 : img->executable;
	return 0;
}

/* Choose img->executable and img->interpreter from what the records said. */
static int resolve_executable(struct image *img, struct ev_fields *f)
{
	const char *path = f->path0;
	bool usable = path && *path;

	/* execveat: a relative name is relative to dirfd, not to cwd */
	if (usable && path[0] != '/' &&
	    (f->kind == SC_EXECVEAT && !is_at_fdcwd(f)))
		usable = false;
	if (usable && path[0] != '/' && !(f->cwd && f->cwd[0] == '/'))
		usable = false;
	if (usable) {
		if (set_executable(img, path, f->cwd) < 0)
			return -1;
	} else if (f->success && img->exe && img->exe[0] == '/') {
		/* no usable PATH: the new image is what exe= names */
		if (set_executable(img, img->exe, NULL) < 0)
			return -1;
		return 0;
	} else if (path && *path) {
		/* a failed exec keeps the name it tried, as given */
		if (set_executable(img, path, NULL) < 0)
			return -1;
	}
	if (f->success && img->exe && is_script(img, f))
		img->interpreter = img->exe;
	return 0;
}

static void set_time(auparse_state_t *au, struct exec_event *ev,
		     struct image *img)
{
	const au_event_t *e = auparse_get_timestamp(au);

	if (!e)
		return;
	ev->sec = (int64_t)e->sec;
	ev->msec = e->milli;
	ev->serial = e->serial;
	if (img) {
		img->sec = ev->sec;
		img->msec = ev->msec;
		img->serial = ev->serial;
	}
}

static int parse_fork(auparse_state_t *au, struct exec_event *ev,
		      struct exec_event_stats *st, struct ev_fields *f)
{
	unsigned long long flags;
	bool have_flags;

	if (read_syscall(au, f, NULL) < 0)
		return 0;
	if (!f->have_success || !f->success || !f->have_exit || f->exit <= 0 ||
	    f->exit > INT32_MAX || !f->have_pid || f->pid <= 0 ||
	    f->pid > INT32_MAX)
		return 0;
	if (f->kind == SC_CLONE) {
		/* s390 passes the stack first and the flags second */
		if (f->mach == MACH_S390 || f->mach == MACH_S390X) {
			flags = f->a1;
			have_flags = f->have_a1;
		} else {
			flags = f->a0;
			have_flags = f->have_a0;
		}
		if (have_flags && (flags & EE_CLONE_THREAD))
			return 0; /* a thread is no new process */
	}
	ev->kind = EXEC_EVENT_FORK;
	ev->fork_parent = (pid_t)f->pid;
	ev->fork_child = (pid_t)f->exit;
	set_time(au, ev, NULL);
	if (st)
		st->forks++;
	return 0;
}

static int nomem(void)
{
	log_limited(&lim_nomem, "exec event: out of memory");
	return -1;
}

/*
 * Read an exec event into img, whose strings point into the scratch
 * buffers. Returns 0, -1 on ENOMEM, or 1 when the event is malformed
 * (*why says how).
 */
static int read_exec(auparse_state_t *au, struct ev_fields *f,
		     struct image *img, const char **why)
{
	struct argv_asm *a = &scratch.args;
	size_t argc;
	bool trunc, saw_syscall = false;

	argv_asm_reset(a);
	img->uid = img->euid = img->auid = (uid_t)-1;
	img->session = UINT32_MAX;
	/* find_syscall left au on the SYSCALL record: when it is the first,
	 * read on from there rather than go back */
	if (!f->syscall_first)
		auparse_first_record(au);
	do {
		int rc = 0;

		switch (auparse_get_type(au)) {
		case AUDIT_SYSCALL:
			if (!saw_syscall)
				rc = read_syscall(au, f, img);
			saw_syscall = true;
			break;
		case AUDIT_EXECVE:
			f->have_execve = true;
			rc = read_execve(au, a);
			break;
		case AUDIT_CWD:
			rc = read_cwd(au, f);
			break;
		case AUDIT_PATH:
			rc = read_path(au, f);
			break;
		default:
			break;
		}
		if (rc < 0)
			return -1;
	} while (auparse_next_record(au) > 0);

	if (asm_collect(a, &argc, &trunc) < 0)
		return -1;
	img->args = argc ? a->ov : NULL;
	img->argc = argc;
	if (trunc || (!f->have_execve && f->success))
		img->flags |= IMAGE_ARGS_TRUNCATED;

	if (!f->have_success)
		*why = "no valid success=";
	else if (!f->have_pid || f->pid <= 0 || f->pid > INT32_MAX)
		*why = "no valid pid=";
	else if (!f->have_ppid || f->ppid < 0 || f->ppid > INT32_MAX)
		*why = "no valid ppid=";
	if (*why)
		return 1;
	img->success = f->success;
	img->pid = (pid_t)f->pid;
	img->ppid = (pid_t)f->ppid;
	img->syscall = (int)f->nr;
	img->source = IMAGE_SRC_STREAM;
	img->cwd = f->cwd;
	if (resolve_executable(img, f) < 0)
		return -1;
	if (f->success && !img->executable) {
		*why = "neither a PATH name nor exe=";
		return 1;
	}
	return 0;
}

static int parse_exec(auparse_state_t *au, struct exec_event *ev,
		      struct exec_event_stats *st, struct ev_fields *f)
{
	struct image img, *out;
	const char *why = NULL;
	char *slash;
	int rc;

	if (st)
		st->execs++;
	memset(&img, 0, sizeof(img));
	rc = read_exec(au, f, &img, &why);
	if (rc > 0) {
		scratch_trim();
		return malformed(st, auparse_get_timestamp(au), why);
	}
	/* one allocation, command_line built from the arguments */
	out = rc < 0 ? NULL : image_copy(&img, 0);
	scratch_trim();
	if (!out)
		return nomem();
	/* the basename as image_set_executable takes it ("/" is "/") */
	if (out->executable) {
		slash = strrchr(out->executable, '/');
		out->name = slash && slash[1] ? slash + 1 : out->executable;
	}
	if (st && (out->flags & IMAGE_ARGS_TRUNCATED))
		st->args_truncated++;
	ev->kind = EXEC_EVENT_EXEC;
	ev->image = out;
	set_time(au, ev, out);
	return 0;
}

/*
 * Parse the current event of au. Only events with a SYSCALL record for
 * execve, execveat, fork, vfork, clone or clone3 are read past their
 * SYSCALL record's first fields. Returns 0 (ev->kind says what it was), or
 * -1 for an exec event too broken to use (ev then holds nothing).
 */
int exec_event_parse(auparse_state_t *au, struct exec_event *ev,
		     struct exec_event_stats *st)
{
	struct ev_fields f;

	memset(ev, 0, sizeof(*ev));
	if (st)
		st->events++;
	if (!au)
		return 0;
	if (!ee_ready && exec_event_init() < 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.mach = -1;
	f.kind = find_syscall(au, &f);
	switch (f.kind) {
	case SC_EXECVE:
	case SC_EXECVEAT:
		return parse_exec(au, ev, st, &f);
	case SC_FORK:
	case SC_CLONE:
		return parse_fork(au, ev, st, &f);
	default:
		return 0;
	}
}
