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

/* Parse all of s as a number in base 10 or 16. Returns 0 or -1. */
static int parse_ull(const char *s, int base, unsigned long long *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_ll(const char *s, long long *out)
{
	char *end;

	if (!s || !*s || *s == ' ')
		return -1;
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

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
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

/*
 * Decode a value the kernel logged as an untrusted string: "quoted" text,
 * hex bytes, or the bare word (null). *out gets a new string, or NULL for
 * (null) or an absent value; a bare value that is not hex is copied as is.
 * Returns 0, or -1 on ENOMEM.
 */
static int decode_value(const char *raw, char **out)
{
	size_t len;
	char *s;

	*out = NULL;
	if (!raw || strcmp(raw, "(null)") == 0)
		return 0;
	len = strlen(raw);
	if (len >= 2 && raw[0] == '"' && raw[len - 1] == '"') {
		s = strndup(raw + 1, len - 2);
	} else if (len > 0 && len % 2 == 0) {
		s = malloc(len / 2 + 1);
		if (s && hex_decode(s, raw, len) == 0) {
			s[len / 2] = '\0';
		} else {
			free(s);
			s = strdup(raw);
		}
	} else {
		s = strdup(raw);
	}
	if (!s)
		return -1;
	*out = s;
	return 0;
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
	if (strcmp(name, "argc") == 0) {
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
	if (strcmp(s, "_len") == 0) {
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
		if (parse_index(&s, &c) < 0 || strcmp(s, "]") != 0)
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
 * *i past them) into a new string. Sets *bad when the pieces are
 * inconsistent, incomplete or disagree with declared (-1: none). Returns
 * the string, or NULL on ENOMEM.
 */
static char *build_arg(struct argv_asm *a, size_t *i, long long declared,
		       bool *bad)
{
	size_t start = *i, end = *i, n, total = 0, enc = 0, next = 0;
	size_t arg = a->p[start].arg;
	char *out, *w;

	while (end < a->np && a->p[end].arg == arg)
		end++;
	*i = end;
	if (a->p[start].chunk < 0) {
		/* aN=: one value; anything else for N is a conflict */
		if (end - start > 1)
			*bad = true;
		if (declared >= 0 && (size_t)declared != a->p[start].enc)
			*bad = true;
		out = malloc(a->p[start].len + 1);
		if (!out)
			return NULL;
		memcpy(out, a->data + a->p[start].off, a->p[start].len);
		out[a->p[start].len] = '\0';
		return out;
	}
	/* aN[0], aN[1], ...: keep the unbroken run from chunk 0 */
	for (n = start; n < end; n++) {
		if ((size_t)a->p[n].chunk != next) {
			*bad = true;
			if ((size_t)a->p[n].chunk < next)
				continue; /* a duplicate */
			break;		  /* a missing chunk */
		}
		total += a->p[n].len;
		enc += a->p[n].enc;
		next++;
	}
	if (declared < 0 || (size_t)declared != enc)
		*bad = true;
	out = malloc(total + 1);
	if (!out)
		return NULL;
	w = out;
	next = 0;
	for (n = start; n < end && (size_t)a->p[n].chunk <= next; n++) {
		if ((size_t)a->p[n].chunk < next)
			continue;
		memcpy(w, a->data + a->p[n].off, a->p[n].len);
		w += a->p[n].len;
		next++;
	}
	*w = '\0';
	return out;
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
	size_t nout = 0, i = 0, li = 0, distinct = 0, expect = 0;
	bool bad;

	*args = NULL;
	*argc = 0;
	*truncated = false;
	if (!a)
		return -1;
	bad = a->truncated;
	sort_if_needed(a->p, a->np, sizeof(*a->p), piece_cmp);
	sort_if_needed(a->l, a->nl, sizeof(*a->l), arglen_cmp);
	if (a->np) {
		for (i = 1; i < a->np; i++)
			if (a->p[i].arg != a->p[i - 1].arg)
				distinct++;
		distinct++;
		out = calloc(distinct + 1, sizeof(*out));
		if (!out)
			goto nomem;
	}
	i = 0;
	while (i < a->np) {
		size_t arg = a->p[i].arg;
		long long declared = -1;
		char *s;

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
		s = build_arg(a, &i, declared, &bad);
		if (!s)
			goto nomem;
		out[nout++] = s;
	}
	if (li < a->nl)
		bad = true; /* lengths for arguments never seen */
	if (a->have_argc) {
		if (a->argc != nout || expect != nout)
			bad = true;
	} else if (nout || a->nl) {
		bad = true; /* arguments without a count */
	}
	*args = out;
	*argc = nout;
	*truncated = bad;
	argv_asm_reset(a);
	return 0;
nomem:
	for (i = 0; i < nout; i++)
		free(out[i]);
	free(out);
	argv_asm_reset(a);
	return -1;
}

/* ---------------------------------------------------------------- events */

/* What the records of one exec or fork event said. */
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
};

/* Find the first SYSCALL record and classify it from its arch= and
 * syscall= fields, which the kernel puts first. Leaves au on that record. */
static enum sc_kind find_syscall(auparse_state_t *au, struct ev_fields *f)
{
	const char *arch = NULL, *nr = NULL;
	char abuf[32], nbuf[32];
	unsigned long long elf, v;

	if (auparse_first_record(au) <= 0)
		return SC_NONE;
	while (auparse_get_type(au) != AUDIT_SYSCALL)
		if (auparse_next_record(au) <= 0)
			return SC_NONE;
	if (auparse_first_field(au) <= 0)
		return SC_NONE;
	do {
		const char *name = auparse_get_field_name(au);

		if (!name)
			continue;
		if (!arch && strcmp(name, "arch") == 0)
			arch = scalar(auparse_get_field_str(au), abuf,
				      sizeof(abuf));
		else if (!nr && strcmp(name, "syscall") == 0)
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
	*out = strdup(s);
	return *out ? 0 : -1;
}

/* Replace *dst by the decoded value, once: the first occurrence wins. */
static int take_value(char **dst, const char *raw)
{
	if (*dst)
		return 0;
	return decode_value(raw, dst);
}

/* Read the SYSCALL record's fields into f (and img when not NULL). */
static int read_syscall(auparse_state_t *au, struct ev_fields *f,
			struct image *img)
{
	if (auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);
		const char *raw = auparse_get_field_str(au);
		const char *v;
		char buf[64];
		unsigned long long u;
		uint32_t u32;

		if (!n || !raw)
			continue;
		/* comm, exe and key are strings: decoded by take_value */
		v = scalar(raw, buf, sizeof(buf));
		if (!v)
			v = "";
		switch (n[0]) {
		case 'a':
			if (strcmp(n, "a0") == 0 && !parse_ull(v, 16, &u)) {
				f->a0 = u;
				f->have_a0 = true;
			} else if (strcmp(n, "a1") == 0 &&
				   !parse_ull(v, 16, &u)) {
				f->a1 = u;
				f->have_a1 = true;
			} else if (img && strcmp(n, "auid") == 0 &&
				   !parse_u32(v, &u32)) {
				img->auid = u32;
			}
			break;
		case 'c':
			if (img && strcmp(n, "comm") == 0 &&
			    take_value(&img->comm, raw) < 0)
				return -1;
			break;
		case 'e':
			if (strcmp(n, "exit") == 0) {
				f->have_exit = !parse_ll(v, &f->exit);
			} else if (!img) {
				break;
			} else if (strcmp(n, "euid") == 0 &&
				   !parse_u32(v, &u32)) {
				img->euid = u32;
			} else if (strcmp(n, "exe") == 0 &&
				   take_value(&img->exe, raw) < 0) {
				return -1;
			}
			break;
		case 'k':
			if (img && strcmp(n, "key") == 0 &&
			    take_value(&img->key, raw) < 0)
				return -1;
			break;
		case 'p':
			if (strcmp(n, "pid") == 0)
				f->have_pid = !parse_ll(v, &f->pid);
			else if (strcmp(n, "ppid") == 0)
				f->have_ppid = !parse_ll(v, &f->ppid);
			break;
		case 's':
			if (strcmp(n, "success") == 0) {
				f->have_success =
					!strcmp(v, "yes") || !strcmp(v, "no");
				f->success = !strcmp(v, "yes");
			} else if (img && strcmp(n, "ses") == 0 &&
				   !parse_u32(v, &u32)) {
				img->session = u32;
			}
			break;
		case 't':
			if (img && strcmp(n, "tty") == 0 && !img->tty &&
			    strcmp(v, "(none)") != 0 && !(img->tty = strdup(v)))
				return -1;
			break;
		case 'u':
			if (img && strcmp(n, "uid") == 0 &&
			    !parse_u32(v, &u32)) {
				img->uid = u32;
				if (!img->user_name &&
				    interpret_user(au, &img->user_name) < 0)
					return -1;
			}
			break;
		case 'U':
			/* an ENRICHED field, should auparse list it */
			if (img && strcmp(n, "UID") == 0 && !img->user_name &&
			    decode_value(raw, &img->user_name) < 0)
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

		if (!n || strcmp(n, "node") == 0 || strcmp(n, "type") == 0)
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

		if (n && strcmp(n, "cwd") == 0) {
			v = auparse_get_field_str(au);
			f->have_cwd = true;
			return decode_value(v, &f->cwd);
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
		if (strcmp(n, "item") == 0) {
			v = scalar(v, buf, sizeof(buf));
			if (v && strcmp(v, "0") == 0 && !f->have_path0)
				item = 0;
			else if (v && strcmp(v, "1") == 0 && !f->have_path1)
				item = 1;
			else
				return 0;
		} else if (item == 0 && strcmp(n, "name") == 0) {
			f->have_path0 = true;
			return decode_value(v, &f->path0);
		} else if (item == 1 && strcmp(n, "name") == 0) {
			f->have_path1 = true;
			return decode_value(v, &f->path1);
		}
	} while (auparse_next_field(au) > 0);
	return 0;
}

static void ev_fields_clear(struct ev_fields *f)
{
	free(f->cwd);
	free(f->path0);
	free(f->path1);
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
		if (image_set_executable(img, path, f->cwd) < 0)
			return -1;
	} else if (f->success && img->exe && img->exe[0] == '/') {
		/* no usable PATH: the new image is what exe= names */
		if (image_set_executable(img, img->exe, NULL) < 0)
			return -1;
		return 0;
	} else if (path && *path) {
		/* a failed exec keeps the name it tried, as given */
		if (image_set_executable(img, path, NULL) < 0)
			return -1;
	}
	if (f->success && img->exe && is_script(img, f)) {
		img->interpreter = strdup(img->exe);
		if (!img->interpreter)
			return -1;
	}
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

static int nomem(struct image *img, struct ev_fields *f)
{
	log_limited(&lim_nomem, "exec event: out of memory");
	image_free(img);
	ev_fields_clear(f);
	return -1;
}

static int parse_exec(auparse_state_t *au, struct exec_event *ev,
		      struct exec_event_stats *st, struct ev_fields *f)
{
	struct argv_asm *a;
	struct image *img;
	char **args;
	size_t argc;
	bool trunc, saw_syscall = false;
	const char *why = NULL;

	if (st)
		st->execs++;
	img = image_new();
	a = argv_asm_new();
	if (!img || !a) {
		argv_asm_free(a);
		return nomem(img, f);
	}
	img->uid = img->euid = img->auid = (uid_t)-1;
	img->session = UINT32_MAX;
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
		if (rc < 0) {
			argv_asm_free(a);
			return nomem(img, f);
		}
	} while (auparse_next_record(au) > 0);

	if (argv_asm_take(a, &args, &argc, &trunc) < 0) {
		argv_asm_free(a);
		return nomem(img, f);
	}
	argv_asm_free(a);
	if (argc == 0) {
		free(args);
		args = NULL;
	}
	if (image_set_args(img, args, argc) < 0)
		return nomem(img, f);
	if (trunc || (!f->have_execve && f->success))
		img->flags |= IMAGE_ARGS_TRUNCATED;

	if (!f->have_success)
		why = "no valid success=";
	else if (!f->have_pid || f->pid <= 0 || f->pid > INT32_MAX)
		why = "no valid pid=";
	else if (!f->have_ppid || f->ppid < 0 || f->ppid > INT32_MAX)
		why = "no valid ppid=";
	if (why) {
		image_free(img);
		ev_fields_clear(f);
		return malformed(st, auparse_get_timestamp(au), why);
	}
	img->success = f->success;
	img->pid = (pid_t)f->pid;
	img->ppid = (pid_t)f->ppid;
	img->syscall = (int)f->nr;
	img->source = IMAGE_SRC_STREAM;
	if (f->cwd && !(img->cwd = strdup(f->cwd)))
		return nomem(img, f);
	if (resolve_executable(img, f) < 0)
		return nomem(img, f);
	if (f->success && !img->executable) {
		image_free(img);
		ev_fields_clear(f);
		return malformed(st, auparse_get_timestamp(au),
				 "neither a PATH name nor exe=");
	}
	ev_fields_clear(f);
	if (st && (img->flags & IMAGE_ARGS_TRUNCATED))
		st->args_truncated++;
	ev->kind = EXEC_EVENT_EXEC;
	ev->image = img;
	set_time(au, ev, img);
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
