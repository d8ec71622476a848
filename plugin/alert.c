/* alert.c - build the ECS JSON document for one detection */

/*
 * The members are written in the order json-c once wrote them: an object
 * appears where its first member was added. audisp_dracut is the one
 * object whose members are added at several times (rule.references early,
 * encoded_fields last): they are written apart, into ns, and put in place
 * at the end. Every byte of a value goes through json.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "field.h"
#include "json.h"
#include "threat.h"
#include "util.h"

#define ECS_VERSION "9.5.0"
#define EVENT_DATASET "auditd.alert"
#define EVENT_PROVIDER "audisp-dracut"
#define NS "audisp_dracut"
#define UNSET_ID 4294967295U /* (uint32_t)-1: auid or session not set */
#define NONE SIZE_MAX
/* Decimal text of an int, with its sign and NUL. */
#define INT_TEXT 16
/* A part of the reason: its text, the value it needs, the text after. */
#define PART_TEXTS 3
/* event.created is in ms. */
#define MS_PER_SEC 1000
/* At most this many keys in an audit key field written without a copy of
 * the pointers on the heap. */
#define TAGS_INLINE 16

/*
 * The document being written: out holds it up to where audisp_dracut goes,
 * ns the members of audisp_dracut.
 */
struct doc {
	struct json w;
	struct buf *out, *ns;
	size_t ns_at; /* where audisp_dracut goes in out; NONE: the end */
	bool ns_more; /* ns holds a member already */
};

/* A part that depends only on the rule (rule.*, threat.*) or on the host
 * and observer names (host.*, observer.*), written once and copied into
 * each alert: the bytes for
 * out and for ns, where audisp_dracut goes, and the names it encoded. */
struct cached {
	struct buf out, ns;
	size_t ns_at;
	struct json_marks enc;
	bool valid;
};

struct alert_builder {
	struct buf out, ns, msg;
	struct cached rule, host;
	struct rule_meta rule_key; /* what rule was made from */
	char *host_key;		   /* what host was made from; NULL: none */
	char *observer_key;	   /* and its observer; NULL: none */
	bool no_cache;		   /* one-shot: write every part in place */
};

/* Write on into ns, or back into out. */
static void to_ns(struct doc *d)
{
	json_switch(&d->w, d->ns);
}

static void to_out(struct doc *d)
{
	json_switch(&d->w, d->out);
}

/* Decimal text of an id; "unset" for the kernel's (uint32_t)-1. */
static void put_id(struct json *w, bool *more, const char *k, uint32_t id,
		   bool unset_word)
{
	if (unset_word && id == UNSET_ID)
		json_ascii(w, more, k, "unset");
	else
		json_dec(w, more, k, id);
}

/* ---------------------------------------------------------------- fields */

/*
 * Kibana's reason text (its alertReasonDescription template): "process
 * event with process X, parent process Y, by U on H created low alert
 * NAME." Unknown parts are left out, as Kibana leaves them out. Into m,
 * NUL-terminated; m->p is NULL on ENOMEM.
 */
static void reason(struct buf *m, const struct alert_input *in)
{
	const struct image *p = in->proc;
	const struct rule_meta *r = in->rule;
	const char *pname = in->parent ? in->parent->name : NULL;
	/* each part: its text, the value it needs (NULL: left out), and the
	 * text after the value */
	const char *const part[][PART_TEXTS] = {
		{"process event", "", ""},
		{" with", p->name || pname ? "" : NULL, ""},
		{" process ", p->name, ","},
		{" parent process ", pname, ","},
		{" by ", p->user_name, ""},
		{" on ", in->host_name, ""},
		{" created", "", ""},
		{" ", r ? r->severity : NULL, ""},
		{" alert", "", ""},
		{" ", r ? r->name : NULL, ""},
		{".", "", ""},
	};
	size_t len[ARRAY_SIZE(part)][PART_TEXTS], i, k, n = 0;
	char *o;

	for (i = 0; i < ARRAY_SIZE(part); i++)
		for (k = 0; k < PART_TEXTS && part[i][1]; k++)
			n += len[i][k] = strlen(part[i][k]);
	m->len = 0;
	if (!(o = buf_reserve(m, n + 1))) {
		buf_free(m);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(part); i++)
		for (k = 0; k < PART_TEXTS && part[i][1]; k++) {
			memcpy(o, part[i][k], len[i][k]);
			o += len[i][k];
		}
	*o = '\0';
	m->len = n + 1;
}

/* Elastic's rule severities, and the event.severity from which its
 * External Alerts rule gives a promoted alert each of them. */
static const struct {
	const char *name;
	int code;
} severities[] = {
	{"low", 21},
	{"medium", 47},
	{"high", 73},
	{"critical", 99},
};

/* event.severity for r: its severity's code, else its risk score. */
static int severity_code(const struct rule_meta *r)
{
	size_t i;

	for (i = 0; r->severity && i < ARRAY_SIZE(severities); i++)
		if (!strcmp(r->severity, severities[i].name))
			return severities[i].code;
	return r->risk_score;
}

/*
 * ecs and event: constants, but for the rule's severity and risk score,
 * the reason and the time. Elastic's External Alerts rule promotes the
 * alert with its severity from event.severity and its risk from
 * event.risk_score.
 */
static void put_event(struct doc *d, struct buf *m, bool *top,
		      const struct alert_input *in)
{
	struct json *w = &d->w;
	bool more = true;

	json_key(w, top, "ecs");
	JSON_LIT(w, "{\"version\":\"" ECS_VERSION "\"},\"event\":{"
		    "\"kind\":\"alert\",\"category\":[\"process\"],"
		    "\"type\":[\"start\"],\"action\":\"exec\","
		    "\"outcome\":\"success\"");
	if (in->rule) {
		JSON_LIT(w, ",\"severity\":");
		json_int(w, severity_code(in->rule));
		JSON_LIT(w, ",\"risk_score\":");
		json_int(w, in->rule->risk_score);
	}
	reason(m, in);
	if (!m->p)
		w->failed = true;
	json_str(w, &more, "reason", "event.reason", m->p);
	JSON_LIT(w, ",\"module\":\"auditd\",\"dataset\":\"" EVENT_DATASET
		    "\",\"provider\":\"" EVENT_PROVIDER "\"");
	json_time(w, &more, "created", in->created_ms / MS_PER_SEC,
		  in->created_ms % MS_PER_SEC);
	JSON_LIT(w, "}");
}

/* audisp_dracut.rule.references, when the rule has several: it opens
 * audisp_dracut right after rule. */
static void put_references(struct doc *d, const struct rule_meta *r)
{
	struct json *w = &d->w;
	size_t ns_len = d->ns->len;
	bool more = false;

	to_ns(d);
	JSON_LIT(w, "\"rule\":{");
	json_strv(w, &more, "references", NS ".rule.references", r->references,
		  r->nreferences);
	if (more) {
		JSON_LIT(w, "}");
		d->ns_at = d->out->len;
		d->ns_more = true;
	} else {
		d->ns->len = ns_len; /* no reference after all */
	}
	to_out(d);
}

/* rule.*, audisp_dracut.rule.references and threat.*, of the rule_meta
 * at arg. */
static void put_rule(struct doc *d, const void *arg)
{
	const struct rule_meta *r = arg;
	struct json *w = &d->w;
	bool more = true;
	char ver[INT_TEXT];

	json_key(w, &more, "rule");
	JSON_LIT(w, "{");
	more = false;
	json_str(w, &more, "id", "rule.id", r->id);
	json_str(w, &more, "name", "rule.name", r->name);
	snprintf(ver, sizeof(ver), "%d", r->version);
	json_ascii(w, &more, "version", ver);
	json_str(w, &more, "description", "rule.description", r->description);
	json_strv(w, &more, "author", "rule.author", &r->author, 1);
	json_str(w, &more, "license", "rule.license", r->license);
	/* ECS rule.reference is one URL: the rule's documentation page */
	if (r->nreferences)
		json_str(w, &more, "reference", "rule.reference",
			 r->references[0]);
	JSON_LIT(w, "}");
	if (r->nreferences > 1)
		put_references(d, r);
	threat_put(w, &more, r);
}

/* The value v of field f (of the parent if parent) as the member key. */
static void put_field(struct json *w, bool *more, const char *key,
		      const struct field *f, bool parent,
		      const struct field_value *v)
{
	const char *path = f->path[parent];

	switch (f->type) {
	case FIELD_T_STR:
		json_str(w, more, key, path, v->str);
		break;
	case FIELD_T_ARGS:
		if (!v->arr)
			break;
		json_strv(w, more, key, path, (const char *const *)v->arr,
			  v->n);
		json_key(w, more, "args_count");
		json_int(w, (int64_t)v->n);
		break;
	case FIELD_T_UID:
		json_ascii(w, more, key, v->str);
		break;
	}
}

/*
 * The members of process (or of process.parent) that the field table
 * declares, after pid. A field named "user.id" is the member id of the
 * object user, which opens where its first member is written.
 */
static void put_fields(struct json *w, const struct image *img, bool parent)
{
	char open[FIELD_PATH_MAX] = ""; /* the object open: "user" */
	bool more = true, inner = false;
	struct field_value v;
	const char *key, *dot;
	size_t i, n;

	for (i = 0; i < FIELD_COUNT; i++) {
		const struct field *f = &field_table[i];

		if (parent && !(f->flags & FIELD_PARENT))
			continue;
		field_get((enum field_id)i, img, &v);
		if (!v.str && !v.arr)
			continue;
		key = f->name;
		dot = strchr(key, '.');
		n = dot ? (size_t)(dot - key) : 0;
		if (*open && (strlen(open) != n || strncmp(open, key, n))) {
			JSON_LIT(w, "}");
			*open = '\0';
		}
		if (dot && !*open) {
			memcpy(open, key, n); /* n < FIELD_PATH_MAX */
			open[n] = '\0';
			json_key(w, &more, open);
			JSON_LIT(w, "{");
			inner = false;
		}
		put_field(w, *open ? &inner : &more, dot ? dot + 1 : key, f,
			  parent, &v);
	}
	if (*open)
		JSON_LIT(w, "}");
}

void alert_put_process(struct json *w, bool *more, const struct image *p,
		       const struct image *parent)
{
	json_key(w, more, "process");
	JSON_LIT(w, "{\"pid\":");
	json_int(w, p->pid);
	put_fields(w, p, false);
	/* the SYSCALL record's ppid: a forked parent's image may carry the
	 * pid of the process it forked from */
	if (parent || p->ppid > 0) {
		JSON_LIT(w, ",\"parent\":{\"pid\":");
		json_int(w, p->ppid);
		if (parent)
			put_fields(w, parent, true);
		JSON_LIT(w, "}");
	}
	JSON_LIT(w, "}");
}

static void put_user(struct doc *d, const struct image *p)
{
	struct json *w = &d->w;
	bool more = false;

	JSON_LIT(w, ",\"user\":{");
	put_id(w, &more, "id", (uint32_t)p->uid, false);
	json_str(w, &more, "name", "user.name", p->user_name);
	JSON_LIT(w, ",\"effective\":{");
	more = false;
	put_id(w, &more, "id", (uint32_t)p->euid, false);
	JSON_LIT(w, "}}");
}

/* host.* of the alert_input at arg, and observer.* when it has one. */
static void put_host(struct doc *d, const void *arg)
{
	const struct alert_input *in = arg;
	struct json *w = &d->w;
	bool more = false;

	JSON_LIT(w, ",\"host\":{");
	json_str(w, &more, "name", "host.name", in->host_name);
	json_key(w, &more, "os");
	JSON_LIT(w, "{\"type\":\"linux\"}}");
	if (!in->observer_name)
		return;
	more = false;
	JSON_LIT(w, ",\"observer\":{");
	json_str(w, &more, "hostname", "observer.hostname", in->observer_name);
	JSON_LIT(w, "}");
}

/* The audit key, split into tags as Auditbeat does (several -k keys are
 * joined by \001 in the record); empty keys are skipped. */
static void put_tags(struct doc *d, const char *key_text)
{
	const char *v[TAGS_INLINE], **vp = v, *k;
	char *copy, *s, *sep;
	size_t n = 1, i = 0;
	bool more = true;

	if (!key_text)
		return;
	for (k = key_text; (k = strchr(k, '\001')); k++)
		n++;
	copy = strdup(key_text);
	if (n > ARRAY_SIZE(v))
		vp = calloc(n, sizeof(*vp));
	if (copy && vp) {
		for (s = copy; i < n; s = sep + 1) {
			sep = strchrnul(s, '\001');
			*sep = '\0';
			vp[i++] = *s ? s : NULL;
		}
		json_strv(&d->w, &more, "tags", "tags", vp, n);
	} else {
		d->w.failed = true;
	}
	if (vp != v)
		free(vp);
	free(copy);
}

static void put_auditd(struct doc *d, const struct image *p)
{
	struct json *w = &d->w;
	bool more = false;

	JSON_LIT(w, ",\"auditd\":{");
	if (p->serial) {
		json_key(w, &more, "sequence");
		json_int(w, (int64_t)p->serial);
	}
	put_id(w, &more, "session", p->session, true);
	JSON_LIT(w, ",\"data\":{");
	more = false;
	put_id(w, &more, "auid", (uint32_t)p->auid, true);
	json_str(w, &more, "tty", "auditd.data.tty", p->tty);
	json_str(w, &more, "comm", "auditd.data.comm", p->comm);
	JSON_LIT(w, "}}");
}

static const char *source_name(enum image_source s)
{
	static const char *const names[] = {
		[IMAGE_SRC_STREAM] = "stream",
		[IMAGE_SRC_FORK] = "fork",
		[IMAGE_SRC_PROC] = "proc",
	};

	return (size_t)s < ARRAY_SIZE(names) ? names[s] : NULL;
}

static bool args_truncated(const struct image *img)
{
	return img->flags & (IMAGE_ARGS_TRUNCATED | IMAGE_COPY_TRUNCATED);
}

/* audisp_dracut.ancestry: one field, encoded as a whole when one of its
 * executables is not UTF-8. */
static void put_ancestry(struct doc *d, const struct alert_input *in)
{
	static const char name[] = NS ".ancestry.executable";
	struct json *w = &d->w;
	const struct image *a;
	bool enc = false, more, first = true;
	size_t i, n = 0;

	for (i = 0; in->ancestry && i < in->nancestry; i++) {
		if (!(a = in->ancestry[i]))
			continue;
		n++;
		if (a->executable && !json_utf8(a->executable))
			enc = true;
	}
	if (!n)
		return;
	json_key(w, &d->ns_more, "ancestry");
	JSON_LIT(w, "[");
	for (i = 0; i < in->nancestry && !json_over(w); i++) {
		if (!(a = in->ancestry[i]))
			continue;
		if (!first)
			JSON_LIT(w, ",");
		first = false;
		JSON_LIT(w, "{\"pid\":");
		json_int(w, a->pid);
		if (a->executable) {
			more = true;
			json_key(w, &more, "executable");
			json_str_value(w, name, a->executable, enc);
		}
		JSON_LIT(w, "}");
	}
	JSON_LIT(w, "]");
}

/* audisp_dracut.process.parent */
static void put_own_parent(struct json *w, const struct image *pp)
{
	bool more = false;

	JSON_LIT(w, ",\"parent\":{");
	json_str(w, &more, "source", NS ".process.parent.source",
		 source_name(pp->source));
	json_str(w, &more, "interpreter", NS ".process.parent.interpreter",
		 pp->interpreter);
	json_key(w, &more, "args_truncated");
	json_bool(w, args_truncated(pp));
	if (pp->serial) {
		JSON_LIT(w, ",\"sequence\":");
		json_int(w, (int64_t)pp->serial);
	}
	JSON_LIT(w, "}");
}

/* The rest of audisp_dracut, into ns: process, ancestry and the lists. */
static void put_own(struct doc *d, const struct alert_input *in)
{
	const struct image *p = in->proc;
	struct json *w = &d->w;
	bool more = false;

	to_ns(d);
	json_key(w, &d->ns_more, "process");
	JSON_LIT(w, "{");
	json_str(w, &more, "interpreter", NS ".process.interpreter",
		 p->interpreter);
	json_key(w, &more, "args_truncated");
	json_bool(w, args_truncated(p));
	if (in->parent)
		put_own_parent(w, in->parent);
	JSON_LIT(w, "}");
	put_ancestry(d, in);
	json_marks(w, &d->ns_more, "encoded_fields", &w->enc);
	json_marks(w, &d->ns_more, "truncated_fields", &w->trunc);
	to_out(d);
}

/* ---------------------------------------------------------------- cached */

static void cached_clear(struct cached *c)
{
	buf_free(&c->out);
	buf_free(&c->ns);
	memset(c, 0, sizeof(*c));
}

/* Make c with fn (put_rule or put_host) and its argument. */
static int cached_make(struct cached *c, void (*fn)(struct doc *, const void *),
		       const void *arg)
{
	struct doc d = {.w = {.b = &c->out, .limit = JSON_UNBOUNDED},
			.out = &c->out,
			.ns = &c->ns,
			.ns_at = NONE};

	c->out.len = c->ns.len = 0;
	c->valid = false;
	fn(&d, arg);
	if (d.w.failed)
		return -1;
	c->ns_at = d.ns_at;
	c->enc = d.w.enc;
	c->valid = true;
	return 0;
}

/* Copy c into the document. */
static void cached_put(struct doc *d, const struct cached *c)
{
	size_t i, at = d->out->len;

	json_raw(&d->w, c->out.p, c->out.len);
	if (c->ns.len) {
		to_ns(d);
		json_raw(&d->w, c->ns.p, c->ns.len);
		to_out(d);
		d->ns_more = true;
	}
	if (c->ns_at != NONE)
		d->ns_at = at + c->ns_at;
	for (i = 0; i < c->enc.n; i++)
		json_mark(&d->w, &d->w.enc, c->enc.name[i]);
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

/* Does this document take its rule and host parts from the cache? */
static bool caching(const struct alert_builder *ab, const struct doc *d)
{
	return !d->w.max_str && !ab->no_cache;
}

/* The part fn writes of arg: from c when caching, made again unless
 * fresh. */
static void put_cached(struct alert_builder *ab, struct doc *d,
		       struct cached *c, void (*fn)(struct doc *, const void *),
		       const void *arg, bool fresh)
{
	if (!caching(ab, d)) {
		fn(d, arg);
		return;
	}
	if (!fresh && cached_make(c, fn, arg) < 0) {
		d->w.failed = true;
		return;
	}
	cached_put(d, c);
}

/* rule.* and threat.* */
static void put_rule_cached(struct alert_builder *ab, struct doc *d,
			    const struct rule_meta *r)
{
	bool fresh = ab->rule.valid && rule_same(&ab->rule_key, r);

	if (caching(ab, d) && !fresh)
		ab->rule_key = *r;
	put_cached(ab, d, &ab->rule, put_rule, r, fresh);
}

static bool same_name(const char *a, const char *b)
{
	return a ? b && !strcmp(a, b) : !b;
}

/* host.* and observer.* */
static void put_host_cached(struct alert_builder *ab, struct doc *d,
			    const struct alert_input *in)
{
	bool fresh = ab->host.valid && same_name(ab->host_key, in->host_name) &&
		     same_name(ab->observer_key, in->observer_name);
	char *host = NULL, *observer = NULL;

	if (caching(ab, d) && !fresh) {
		if ((in->host_name && !(host = strdup(in->host_name))) ||
		    (in->observer_name &&
		     !(observer = strdup(in->observer_name)))) {
			free(host);
			d->w.failed = true;
			return;
		}
		free(ab->host_key);
		free(ab->observer_key);
		ab->host_key = host;
		ab->observer_key = observer;
	}
	put_cached(ab, d, &ab->host, put_host, in, fresh);
}

/* ---------------------------------------------------------------- build */

/* Put audisp_dracut (the members in ns) where it goes in out. */
static void put_ns(struct doc *d)
{
	static const char open[] = ",\"" NS "\":{";
	struct buf *b = d->out;
	size_t n = sizeof(open) - 1 + d->ns->len + 1, at;
	char *o;

	if (json_over(&d->w))
		return;
	if (!buf_reserve(b, n)) {
		d->w.failed = true;
		return;
	}
	at = d->ns_at == NONE ? b->len : d->ns_at;
	memmove(b->p + at + n, b->p + at, b->len - at);
	o = b->p + at;
	memcpy(o, open, sizeof(open) - 1);
	o += sizeof(open) - 1;
	memcpy(o, d->ns->p, d->ns->len);
	o[d->ns->len] = '}';
	b->len += n;
	/* ns's bytes are in out now */
	d->w.held = 0;
}

/*
 * Write the document for in into ab->out, with strings cut to max_str
 * bytes if non-zero; give up as soon as it is longer than max. Returns 0
 * (with *too_long set if it gave up or is longer), or -1 on ENOMEM.
 */
static int build_doc(struct alert_builder *ab, const struct alert_input *in,
		     size_t max_str, size_t max, bool *too_long)
{
	struct doc d = {.w = {.b = &ab->out, .limit = max, .max_str = max_str},
			.out = &ab->out,
			.ns = &ab->ns,
			.ns_at = NONE};
	bool more = false;

	ab->out.len = ab->ns.len = 0;
	JSON_LIT(&d.w, "{");
	json_time(&d.w, &more, "@timestamp", in->proc->sec, in->proc->msec);
	/* Elastic's External Alerts rule names the alert from message */
	if (in->rule)
		json_str(&d.w, &more, "message", "message", in->rule->name);
	put_event(&d, &ab->msg, &more, in);
	if (in->rule)
		put_rule_cached(ab, &d, in->rule);
	alert_put_process(&d.w, &more, in->proc, in->parent);
	put_user(&d, in->proc);
	put_host_cached(ab, &d, in);
	put_tags(&d, in->proc->key);
	put_auditd(&d, in->proc);
	put_own(&d, in);
	put_ns(&d);
	JSON_LIT(&d.w, "}");
	json_raw(&d.w, "", 1); /* a NUL after the text, not counted */
	if (!json_stopped(&d.w))
		d.out->len--;
	if (d.w.failed)
		return -1;
	*too_long = d.w.too_long || d.out->len > max;
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

/* The argument lists of in's process and parent cut to budget, into cut
 * (which then owns two copies in *proc and *parent). Returns 0 or -1. */
static int cut_args(const struct alert_input *in, size_t budget,
		    struct alert_input *cut, struct image **proc,
		    struct image **parent)
{
	image_free(*proc);
	image_free(*parent);
	*proc = image_copy(in->proc, budget);
	*parent = in->parent ? image_copy(in->parent, budget) : NULL;
	if (!*proc || (in->parent && !*parent))
		return -1;
	cut->proc = *proc;
	cut->parent = *parent;
	return 0;
}

/*
 * The alert fits with every string cut to max_str and no argument: the cut
 * strings may leave room for arguments after all. Build it again with the
 * largest argument budget that fits (the smallest, which fits, last).
 * Returns 0, or -1 on ENOMEM.
 */
static int regrow_args(struct alert_builder *ab, const struct alert_input *in,
		       struct alert_input *cut, struct image **proc,
		       struct image **parent, size_t max_str, size_t max)
{
	bool too_long = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arg_budgets) && too_long; i++)
		if (cut_args(in, arg_budgets[i], cut, proc, parent) < 0 ||
		    build_doc(ab, cut, max_str, max, &too_long) < 0)
			return -1;
	return 0;
}

/*
 * Build the alert into ab->out within max bytes, cutting it step by step
 * (alert.h says in which order) until it fits. Returns 0, or -1 with *err
 * set.
 */
static int build(struct alert_builder *ab, const struct alert_input *in,
		 size_t max, enum alert_error *err)
{
	struct alert_input cut = *in;
	struct image *proc = NULL, *parent = NULL;
	size_t i = 0, max_str = 0;
	bool too_long;
	int ret;

	ret = build_doc(ab, in, 0, max, &too_long);
	while (ret == 0 && too_long && !max_str) {
		if (i < ARRAY_SIZE(arg_budgets))
			ret = cut_args(in, arg_budgets[i++], &cut, &proc,
				       &parent);
		else if (cut.nancestry)
			cut.nancestry /= 2;
		else
			max_str = LAST_MAX_STR;
		if (ret == 0)
			ret = build_doc(ab, &cut, max_str, max, &too_long);
	}
	if (ret == 0 && max_str && !too_long)
		ret = regrow_args(ab, in, &cut, &proc, &parent, max_str, max);
	image_free(proc);
	image_free(parent);
	if (ret < 0)
		*err = ALERT_ERR_NOMEM;
	else if (too_long)
		*err = ALERT_ERR_TOO_LONG;
	return ret < 0 || too_long ? -1 : 0;
}

/* Give back what a builder holds but itself. */
static void builder_clear(struct alert_builder *ab)
{
	cached_clear(&ab->rule);
	cached_clear(&ab->host);
	free(ab->host_key);
	free(ab->observer_key);
	buf_free(&ab->out);
	buf_free(&ab->ns);
	buf_free(&ab->msg);
}

void alert_builder_free(struct alert_builder *ab)
{
	if (ab)
		builder_clear(ab);
	free(ab);
}

struct alert_builder *alert_builder_create(void)
{
	return calloc(1, sizeof(struct alert_builder));
}

const char *alert_builder_build_max(struct alert_builder *ab,
				    const struct alert_input *in, size_t max,
				    size_t *len, enum alert_error *err)
{
	enum alert_error e = ALERT_ERR_NOMEM;

	if (!ab || !in || !in->proc || build(ab, in, max, &e) < 0) {
		if (err)
			*err = e;
		return NULL;
	}
	if (len)
		*len = ab->out.len;
	return ab->out.p;
}

const char *alert_builder_build(struct alert_builder *ab,
				const struct alert_input *in, size_t *len)
{
	return alert_builder_build_max(ab, in, ALERT_MAX_BYTES, len, NULL);
}

char *alert_build(const struct alert_input *in, size_t *len)
{
	struct alert_builder ab = {.no_cache = true};
	const char *text;
	char *out = NULL;
	size_t n;

	text = alert_builder_build_max(&ab, in, ALERT_MAX_BYTES, &n, NULL);
	if (text && (out = malloc(n + 1))) {
		memcpy(out, text, n + 1);
		if (len)
			*len = n;
	}
	builder_clear(&ab);
	return out;
}
