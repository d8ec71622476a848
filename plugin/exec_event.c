/* exec_event.c - turn one auparse event into a process image (or a fork) */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "argv_asm.h"
#include "exec_event.h"
#include "exec_path.h"
#include "log.h"
#include "util.h"

/* The only file that calls auparse field accessors. */

#define EE_CLONE_THREAD 0x00010000ULL
/* Machines (libaudit's MACH_*) the syscall table has room for. */
#define EE_NMACH 16
/* Room for a scalar value without its quotes: a number, yes/no, a tty. */
#define EE_SCALAR_BUF 64
/* Decimal digits of a long long that cannot overflow, read inline. */
#define EE_LL_SAFE_DIGITS 18
/* Above this, a scratch string is given back after the event using it. */
#define EE_KEEP_BYTES 65536
/* SYSCALL fields that may share a first byte (sc_index). */
#define EE_SAME_FIRST 4

_Static_assert(sizeof(uid_t) == sizeof(uint32_t), "uids are 32 bits");

/* ---------------------------------------------------------------- syscalls */

enum sc_kind { SC_NONE = 0, SC_EXECVE, SC_EXECVEAT, SC_FORK, SC_CLONE };

/* Syscall numbers of one machine, as libaudit knows them (-1: none). */
struct mach_sc {
	bool known;
	int execve, execveat, fork, vfork, clone, clone3;
};

static struct mach_sc mach_tab[EE_NMACH];
static bool ee_ready;

/* Last arch= seen and the machine it maps to: streams hold one or two. */
static unsigned long long last_elf = ~0ULL;
static int last_mach = -1;

static struct log_limit lim_malformed = LOG_LIMIT_INIT;
static struct log_limit lim_nomem = LOG_LIMIT_INIT;

static int sc_index_build(void);

int exec_event_init(void)
{
	static const int machines[] = {
		MACH_86_64, MACH_X86, MACH_PPC64,   MACH_PPC,	  MACH_S390X,
		MACH_S390,  MACH_ARM, MACH_AARCH64, MACH_PPC64LE,
	};
	size_t i;
	int found = 0;

	memset(mach_tab, 0, sizeof(mach_tab));
	for (i = 0; i < ARRAY_SIZE(machines); i++) {
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
	ee_ready = found > 0 && sc_index_build() == 0;
	if (!found) {
		log_err("libaudit knows no execve syscall number");
		return -1;
	}
	if (!ee_ready)
		return -1;
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

static int parse_ll(const char *s, long long *out)
{
	const char *p, *digits;
	long long v = 0;
	char *end;

	if (!s || !*s || *s == ' ')
		return -1;
	/* as parse_ull: [-]digits that cannot overflow, here */
	digits = p = s + (*s == '-');
	for (; *p >= '0' && *p <= '9' && p - digits < EE_LL_SAFE_DIGITS; p++)
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
	struct buf str[EE_NSTR];
	struct argv_asm *args;
} scratch;

/* Copy len bytes of src into scratch string slot; *out points at them. */
static int str_set(enum ee_str slot, const char *src, size_t len, char **out)
{
	struct buf *b = &scratch.str[slot];
	char *d;

	b->len = 0;
	if (!(d = buf_reserve(b, len + 1)))
		return -1;
	memcpy(d, src, len);
	d[len] = '\0';
	*out = d;
	return 0;
}

/*
 * Decode len bytes of raw, a value the kernel logged as an untrusted string:
 * "quoted" text, hex bytes, or the bare word (null). *out points at the
 * decoded string in slot, or is NULL for (null), an absent value or a quote
 * never closed (a record cut short); a bare value that is not hex is copied
 * as is. Returns 0, or -1 on ENOMEM.
 */
static int decode_span(enum ee_str slot, const char *raw, size_t len,
		       char **out)
{
	struct buf *b = &scratch.str[slot];

	*out = NULL;
	if (!raw || (len == strlen("(null)") && !memcmp(raw, "(null)", len)))
		return 0;
	if (len >= 2 && raw[0] == '"' && raw[len - 1] == '"')
		return str_set(slot, raw + 1, len - 2, out);
	if (len && raw[0] == '"')
		return 0; /* a quote never closed: a record cut short */
	if (len > 0 && len % 2 == 0) {
		b->len = 0;
		if (!buf_reserve(b, len / 2 + 1))
			return -1;
		if (argv_asm_unhex(b->p, raw, len) == 0) {
			b->p[len / 2] = '\0';
			*out = b->p;
			return 0;
		}
	}
	return str_set(slot, raw, len, out);
}

static int decode_value(enum ee_str slot, const char *raw, char **out)
{
	return decode_span(slot, raw, raw ? strlen(raw) : 0, out);
}

/* Give back the scratch buffers that one big event blew up. */
static void scratch_trim(void)
{
	size_t i;

	for (i = 0; i < EE_NSTR; i++)
		if (scratch.str[i].cap > EE_KEEP_BYTES)
			buf_free(&scratch.str[i]);
	argv_asm_reset(scratch.args);
}

void exec_event_fini(void)
{
	size_t i;

	for (i = 0; i < EE_NSTR; i++)
		buf_free(&scratch.str[i]);
	argv_asm_free(scratch.args);
	scratch.args = NULL;
}

/* ---------------------------------------------------------------- records */

struct opt_ll {
	bool have;
	long long v;
};

struct opt_reg {
	bool have;
	unsigned long long v;
};

struct opt_bool {
	bool have, yes;
};

/* What the records of one exec or fork event said. The strings point into
 * the scratch buffers. */
struct ev_fields {
	enum sc_kind kind;
	int mach;
	long long nr;
	struct opt_bool success;
	struct opt_ll exit, pid, ppid;
	struct opt_reg a0, a1;
	char *cwd;
	char *path0; /* PATH item 0: what execve was asked to run */
	char *path1; /* PATH item 1: a script's interpreter, as in #! */
	bool have_path0, have_path1, have_cwd, have_execve;
	bool syscall_first; /* the SYSCALL record is the event's first */
	bool local_names;   /* uids may be named by this host (opts) */
};

/* How a SYSCALL field is read. Types up to SCT_YESNO are stored in struct
 * ev_fields, the others in struct image. */
enum sc_type {
	SCT_REG,   /* a syscall argument in hex: struct opt_reg */
	SCT_LL,	   /* a signed decimal: struct opt_ll */
	SCT_YESNO, /* yes or no: struct opt_bool */
	SCT_ID,	   /* a 32-bit id (uid, session); unreadable: left as is */
	SCT_UID,   /* as SCT_ID, and img->user_name (user_name) */
	SCT_STR,   /* an untrusted string (decode_value), into slot */
	SCT_TTY,   /* a tty, into slot; (none) is none */
};

/* Which events read a field: bits of enum sc_kind. */
#define SC_BIT(kind) (1u << (kind))
#define SC_EXECS (SC_BIT(SC_EXECVE) | SC_BIT(SC_EXECVEAT))
#define SC_ALL (SC_EXECS | SC_BIT(SC_FORK) | SC_BIT(SC_CLONE))

struct sc_field {
	const char *name;
	enum sc_type type;
	unsigned need;	  /* SC_BIT()s of the syscalls that read it */
	size_t off;	  /* where it goes, in ev_fields or image */
	enum ee_str slot; /* SCT_STR, SCT_TTY: the scratch buffer */
};

/* a value kept in struct ev_fields, a number in the image, a string */
#define IN_FIELDS(n, t, need, m)                                               \
	{                                                                      \
		n, t, need, offsetof(struct ev_fields, m), EE_NSTR             \
	}
#define IN_IMAGE(n, t, m)                                                      \
	{                                                                      \
		n, t, SC_EXECS, offsetof(struct image, m), EE_NSTR             \
	}
#define STRING(n, t, m, slot)                                                  \
	{                                                                      \
		n, t, SC_EXECS, offsetof(struct image, m), slot                \
	}

/* The SYSCALL fields read, each once: a new one is a line here (and its
 * member). The first occurrence of a string wins; a later number wins. */
static const struct sc_field sc_fields[] = {
	/* execveat's dirfd, clone's flags; clone's flags on s390 */
	IN_FIELDS("a0", SCT_REG, SC_BIT(SC_EXECVEAT) | SC_BIT(SC_CLONE), a0),
	IN_FIELDS("a1", SCT_REG, SC_BIT(SC_CLONE), a1),
	IN_FIELDS("success", SCT_YESNO, SC_ALL, success),
	IN_FIELDS("exit", SCT_LL, SC_ALL, exit),
	IN_FIELDS("pid", SCT_LL, SC_ALL, pid),
	IN_FIELDS("ppid", SCT_LL, SC_ALL, ppid),
	IN_IMAGE("auid", SCT_ID, auid),
	IN_IMAGE("uid", SCT_UID, uid),
	IN_IMAGE("euid", SCT_ID, euid),
	IN_IMAGE("ses", SCT_ID, session),
	STRING("tty", SCT_TTY, tty, EE_TTY),
	STRING("comm", SCT_STR, comm, EE_COMM),
	STRING("exe", SCT_STR, exe, EE_EXE),
	STRING("key", SCT_STR, key, EE_KEY),
};

/* sc_fields by the first byte of their name: index + 1, 0 ends the list.
 * Most names (gid, suid, items, a2...) are told apart from every wanted one
 * by their first two bytes. */
static uint8_t sc_index[UINT8_MAX + 1][EE_SAME_FIRST];

static int sc_index_build(void)
{
	size_t i, j;

	memset(sc_index, 0, sizeof(sc_index));
	for (i = 0; i < ARRAY_SIZE(sc_fields); i++) {
		uint8_t *slot = sc_index[(unsigned char)sc_fields[i].name[0]];

		for (j = 0; j < EE_SAME_FIRST && slot[j]; j++)
			;
		if (j == EE_SAME_FIRST) {
			log_err("exec_event: raise EE_SAME_FIRST for %s",
				sc_fields[i].name);
			return -1;
		}
		slot[j] = (uint8_t)(i + 1);
	}
	return 0;
}

static const struct sc_field *sc_lookup(const char *n)
{
	const uint8_t *cand = sc_index[(unsigned char)n[0]];
	size_t j;

	for (j = 0; j < EE_SAME_FIRST && cand[j]; j++)
		if (is(n + 1, sc_fields[cand[j] - 1].name + 1))
			return &sc_fields[cand[j] - 1];
	return NULL;
}

/* The value of the token NAME=value in an ENRICHED record's
 * interpretations ("ARCH=x86_64 SYSCALL=execve AUID="root" UID=..."), and
 * its length; NULL when it has none. */
static const char *interp_value(const char *s, const char *name, size_t *len)
{
	size_t n = strlen(name);

	while (s && *s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, name, n) && s[n] == '=') {
			s += n + 1;
			*len = strcspn(s, " ");
			return s;
		}
		s = strchr(s, ' ');
	}
	return NULL;
}

/*
 * img->user_name for the uid field au is on: the name the record itself
 * carries (ENRICHED: UID= after the separator) or, when f allows it,
 * auparse's, which for a RAW record asks this host's user database. None
 * for a uid that is unset or was unknown.
 */
static int user_name(auparse_state_t *au, const struct ev_fields *f,
		     struct image *img)
{
	const char *s;
	char *name;
	size_t len = 0;

	if (f->local_names) {
		s = auparse_interpret_field(au);
		if (s && str_set(EE_USER, s, strlen(s), &img->user_name) < 0)
			return -1;
	} else {
		s = interp_value(auparse_get_record_interpretations(au), "UID",
				 &len);
		if (decode_span(EE_USER, s, len, &img->user_name) < 0)
			return -1;
	}
	name = img->user_name;
	if (name && (!*name || !strcmp(name, "unset") || !strcmp(name, "?") ||
		     !strncmp(name, "unknown(", strlen("unknown("))))
		img->user_name = NULL;
	return 0;
}

/* Store the value raw of field sf (the field au is on). Returns 0, or -1
 * on ENOMEM. */
static int sc_store(auparse_state_t *au, struct ev_fields *f, struct image *img,
		    const struct sc_field *sf, const char *raw)
{
	char *dst = (sf->type <= SCT_YESNO ? (char *)f : (char *)img) + sf->off;
	struct opt_reg *reg = (struct opt_reg *)dst;
	struct opt_ll *ll = (struct opt_ll *)dst;
	struct opt_bool *yn = (struct opt_bool *)dst;
	char buf[EE_SCALAR_BUF];
	unsigned long long u;
	const char *v = raw;
	uint32_t u32;

	/* numbers and words may come quoted; strings are decode_value's */
	if (sf->type != SCT_STR &&
	    !(v = argv_asm_scalar(raw, buf, sizeof(buf))))
		v = "";
	switch (sf->type) {
	case SCT_REG:
		if (!parse_ull(v, 16, &u)) {
			reg->v = u;
			reg->have = true;
		}
		return 0;
	case SCT_LL:
		ll->have = !parse_ll(v, &ll->v);
		return 0;
	case SCT_YESNO:
		yn->have = !strcmp(v, "yes") || !strcmp(v, "no");
		yn->yes = !strcmp(v, "yes");
		return 0;
	case SCT_ID:
	case SCT_UID:
		if (parse_u32(v, &u32) < 0)
			return 0;
		memcpy(dst, &u32, sizeof(u32));
		if (sf->type == SCT_UID && !img->user_name)
			return user_name(au, f, img);
		return 0;
	case SCT_STR:
		if (*(char **)dst)
			return 0;
		return decode_value(sf->slot, raw, (char **)dst);
	case SCT_TTY:
		if (*(char **)dst || !strcmp(v, "(none)"))
			return 0;
		return str_set(sf->slot, v, strlen(v), (char **)dst);
	}
	return 0;
}

/* Read the SYSCALL record's fields into f (and img when not NULL), in one
 * pass. Returns 0, or -1 on ENOMEM. */
static int read_syscall(auparse_state_t *au, struct ev_fields *f,
			struct image *img)
{
	unsigned kind = SC_BIT(f->kind);

	if (auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);
		const struct sc_field *sf;
		const char *raw;

		if (!n || !(sf = sc_lookup(n)) || !(sf->need & kind))
			continue; /* a fork needs few: no image is read */
		if (!(raw = auparse_get_field_str(au)))
			continue;
		if (sc_store(au, f, img, sf, raw) < 0)
			return -1;
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int read_execve(auparse_state_t *au, struct argv_asm *a)
{
	if (auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);

		/* malformed fields are counted by the assembler */
		if (n)
			(void)argv_asm_field(a, n, auparse_get_field_str(au));
	} while (auparse_next_field(au) > 0);
	return 0;
}

static int read_cwd(auparse_state_t *au, struct ev_fields *f)
{
	if (f->have_cwd || auparse_first_field(au) <= 0)
		return 0;
	do {
		const char *n = auparse_get_field_name(au);

		if (n && is(n, "cwd")) {
			f->have_cwd = true;
			return decode_value(EE_CWD, auparse_get_field_str(au),
					    &f->cwd);
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
		char buf[EE_SCALAR_BUF];

		if (!n || !v)
			continue;
		if (is(n, "item")) {
			v = argv_asm_scalar(v, buf, sizeof(buf));
			if (v && strcmp(v, "0") == 0 && !f->have_path0)
				item = 0;
			else if (v && strcmp(v, "1") == 0 && !f->have_path1)
				item = 1;
			else
				return 0;
		} else if (item == 0 && is(n, "name")) {
			f->have_path0 = true;
			return decode_value(EE_PATH0, v, &f->path0);
		} else if (item == 1 && is(n, "name")) {
			f->have_path1 = true;
			return decode_value(EE_PATH1, v, &f->path1);
		}
	} while (auparse_next_field(au) > 0);
	return 0;
}

/* Find the first SYSCALL record and classify it from its arch= and
 * syscall= fields, which the kernel puts first. Leaves au on that record. */
static enum sc_kind find_syscall(auparse_state_t *au, struct ev_fields *f)
{
	const char *arch = NULL, *nr = NULL;
	char abuf[EE_SCALAR_BUF], nbuf[EE_SCALAR_BUF];
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
			arch = argv_asm_scalar(auparse_get_field_str(au), abuf,
					       sizeof(abuf));
		else if (!nr && is(name, "syscall"))
			nr = argv_asm_scalar(auparse_get_field_str(au), nbuf,
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

/* ---------------------------------------------------------------- events */

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

static int nomem(void)
{
	log_limited(&lim_nomem, "exec event: out of memory");
	return -1;
}

/* Name the file the exec ran (exec_path.h), in scratch. */
static int resolve_executable(struct image *img, const struct ev_fields *f,
			      struct exec_event *ev)
{
	const struct exec_path_in in = {
		.path0 = f->path0,
		.path1 = f->path1,
		.cwd = f->cwd,
		.execveat = f->kind == SC_EXECVEAT,
		.have_dirfd = f->a0.have,
		/* dirfd is an int, logged as 32 or 64 bits */
		.dirfd = (int)(int32_t)(uint32_t)f->a0.v,
	};

	return exec_path_resolve(img, &in, &scratch.str[EE_EXECUTABLE],
				 &ev->fd_kind, &ev->fd);
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
	const struct opt_reg *flags;

	if (read_syscall(au, f, NULL) < 0)
		return 0;
	if (!f->success.have || !f->success.yes || !f->exit.have ||
	    f->exit.v <= 0 || f->exit.v > INT32_MAX || !f->pid.have ||
	    f->pid.v <= 0 || f->pid.v > INT32_MAX)
		return 0;
	if (f->kind == SC_CLONE) {
		/* s390 passes the stack first and the flags second */
		flags = f->mach == MACH_S390 || f->mach == MACH_S390X ? &f->a1
								      : &f->a0;
		if (flags->have && (flags->v & EE_CLONE_THREAD))
			return 0; /* a thread is no new process */
	}
	ev->kind = EXEC_EVENT_FORK;
	ev->fork_parent = (pid_t)f->pid.v;
	ev->fork_child = (pid_t)f->exit.v;
	set_time(au, ev, NULL);
	if (st)
		st->forks++;
	return 0;
}

/* Read every record of an exec event: SYSCALL into f and img, EXECVE into
 * the assembler, CWD and PATH into f. Returns 0, or -1 on ENOMEM. */
static int read_records(auparse_state_t *au, struct ev_fields *f,
			struct image *img)
{
	bool saw_syscall = false;

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
			rc = read_execve(au, scratch.args);
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
	return 0;
}

/*
 * Read an exec event into img, whose strings point into the scratch
 * buffers. Returns 0, -1 on ENOMEM, or 1 when the event is malformed
 * (*why says how).
 */
static int read_exec(auparse_state_t *au, struct ev_fields *f,
		     struct exec_event *ev, struct image *img, const char **why)
{
	bool trunc;

	argv_asm_reset(scratch.args);
	img->uid = img->euid = img->auid = (uid_t)-1;
	img->session = UINT32_MAX;
	if (read_records(au, f, img) < 0 ||
	    argv_asm_collect(scratch.args, &img->args, &img->argc, &trunc) < 0)
		return -1;
	if (trunc || (!f->have_execve && f->success.yes))
		img->flags |= IMAGE_ARGS_TRUNCATED;

	if (!f->success.have)
		*why = "no valid success=";
	else if (!f->pid.have || f->pid.v <= 0 || f->pid.v > INT32_MAX)
		*why = "no valid pid=";
	else if (!f->ppid.have || f->ppid.v < 0 || f->ppid.v > INT32_MAX)
		*why = "no valid ppid=";
	if (*why)
		return 1;
	img->success = f->success.yes;
	img->pid = (pid_t)f->pid.v;
	img->ppid = (pid_t)f->ppid.v;
	img->syscall = (int)f->nr;
	img->source = IMAGE_SRC_STREAM;
	img->cwd = f->cwd;
	if (resolve_executable(img, f, ev) < 0)
		return -1;
	if (f->success.yes && !img->executable) {
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
	int rc;

	if (st)
		st->execs++;
	if (!scratch.args && !(scratch.args = argv_asm_new()))
		return nomem();
	memset(&img, 0, sizeof(img));
	rc = read_exec(au, f, ev, &img, &why);
	if (rc > 0) {
		scratch_trim();
		ev->fd = -1;
		ev->fd_kind = EXEC_FD_NONE;
		return malformed(st, auparse_get_timestamp(au), why);
	}
	/* one allocation, command_line built from the arguments */
	out = rc < 0 ? NULL : image_copy(&img, 0);
	scratch_trim();
	if (!out) {
		ev->fd = -1;
		ev->fd_kind = EXEC_FD_NONE;
		return nomem();
	}
	/* the copy's name must point into the copy's executable */
	out->name = path_base(out->executable);
	if (st && (out->flags & IMAGE_ARGS_TRUNCATED))
		st->args_truncated++;
	ev->kind = EXEC_EVENT_EXEC;
	ev->image = out;
	set_time(au, ev, out);
	return 0;
}

/*
 * Only events with a SYSCALL record for execve, execveat, fork, vfork,
 * clone or clone3 are read past their SYSCALL record's first fields.
 */
int exec_event_parse(auparse_state_t *au, struct exec_event *ev,
		     struct exec_event_stats *st,
		     const struct exec_event_opts *opts)
{
	const au_event_t *e;
	struct ev_fields f;

	memset(ev, 0, sizeof(*ev));
	ev->fd = -1;
	if (st)
		st->events++;
	if (!au)
		return 0;
	if (!ee_ready && exec_event_init() < 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.mach = -1;
	f.kind = find_syscall(au, &f);
	if (f.kind == SC_NONE)
		return 0;
	e = auparse_get_timestamp(au);
	ev->node = e ? e->host : NULL;
	f.local_names =
		opts && opts->local_names &&
		(!ev->node ||
		 (opts->local_node && strcmp(ev->node, opts->local_node) == 0));
	if (f.kind == SC_EXECVE || f.kind == SC_EXECVEAT)
		return parse_exec(au, ev, st, &f);
	return parse_fork(au, ev, st, &f);
}
