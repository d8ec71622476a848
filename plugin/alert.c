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
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "alert.h"
#include "utf8.h"

#define ECS_VERSION "9.5.0"
#define EVENT_DATASET "auditd.alert"
#define EVENT_PROVIDER "audisp-dracut"
#define NS "audisp_dracut"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNSET_ID 4294967295U /* (uint32_t)-1: auid or session not set */

/* The document under construction; any failed allocation sets failed. */
struct builder {
	struct json_object *root;
	struct json_object *encoded;   /* names of encoded fields, or NULL */
	struct json_object *truncated; /* names of cut fields, or NULL */
	size_t max_str; /* cut longer strings to this many bytes; 0: never */
	bool failed;
};

/* ---------------------------------------------------------------- UTF-8 */

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

/* The encoded form of str (see the top of this file), or NULL on ENOMEM. */
static char *encode(const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), n;
	char *out, *o;

	if (len > (SIZE_MAX - 1) / 4)
		return NULL;
	out = malloc(4 * len + 1);
	if (!out)
		return NULL;
	o = out;
	while (*s) {
		n = utf8_seq(s);
		if (!n) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[*s >> 4];
			*o++ = hex[*s & 0xf];
			s++;
		} else if (*s == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			s++;
		} else {
			memcpy(o, s, n);
			o += n;
			s += n;
		}
	}
	*o = '\0';
	return out;
}

/* ---------------------------------------------------------------- builder */

static struct json_object *check(struct builder *b, struct json_object *o)
{
	if (!o)
		b->failed = true;
	return o;
}

/*
 * Add val at the dotted path under base, creating the objects on the way.
 * Takes ownership of val, also on failure. Paths are this file's constants.
 */
static void put(struct builder *b, struct json_object *base, const char *path,
		struct json_object *val)
{
	char buf[128], *seg, *dot;
	struct json_object *obj = base, *next;

	if (!val) {
		b->failed = true;
		return;
	}
	if (strlen(path) >= sizeof(buf)) {
		b->failed = true;
		json_object_put(val);
		return;
	}
	strcpy(buf, path);
	seg = buf;
	while ((dot = strchr(seg, '.'))) {
		*dot = '\0';
		if (!json_object_object_get_ex(obj, seg, &next)) {
			next = json_object_new_object();
			if (!next || json_object_object_add(obj, seg, next)) {
				json_object_put(next);
				json_object_put(val);
				b->failed = true;
				return;
			}
		}
		obj = next;
		seg = dot + 1;
	}
	if (json_object_object_add(obj, seg, val)) {
		json_object_put(val);
		b->failed = true;
	}
}

/* Append val to arr, taking ownership of val also on failure. */
static void add_elem(struct builder *b, struct json_object *arr,
		     struct json_object *val)
{
	if (!val || json_object_array_add(arr, val)) {
		json_object_put(val);
		b->failed = true;
	}
}

/* Add the field name to the list *list (made on first use), once. */
static void mark(struct builder *b, struct json_object **list, const char *name)
{
	size_t i, n;

	if (b->failed)
		return;
	if (!*list && !check(b, *list = json_object_new_array()))
		return;
	n = json_object_array_length(*list);
	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(*list, i)),
			    name))
			return;
	add_elem(b, *list, check(b, json_object_new_string(name)));
}

/* Note that the field name was encoded, once. */
static void mark_encoded(struct builder *b, const char *name)
{
	mark(b, &b->encoded, name);
}

/*
 * A JSON string for s, the value of field path, encoded if enc. When the
 * builder has a max_str, a longer s is cut to at most that many bytes, on
 * a character boundary, and path is listed as truncated.
 */
static struct json_object *str_new(struct builder *b, const char *path,
				   const char *s, bool enc)
{
	struct json_object *o;
	char *e, *cut = NULL;
	size_t n;

	if (b->max_str && strlen(s) > b->max_str) {
		n = b->max_str;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		cut = strndup(s, n);
		if (!cut) {
			b->failed = true;
			return NULL;
		}
		mark(b, &b->truncated, path);
		s = cut;
	}
	if (!enc) {
		o = check(b, json_object_new_string(s));
		free(cut);
		return o;
	}
	e = encode(s);
	free(cut);
	if (!e) {
		b->failed = true;
		return NULL;
	}
	o = check(b, json_object_new_string(e));
	free(e);
	return o;
}

/* Add the string s at path, unless s is NULL. */
static void put_str(struct builder *b, const char *path, const char *s)
{
	bool enc;

	if (!s)
		return;
	enc = !utf8_valid(s);
	if (enc)
		mark_encoded(b, path);
	put(b, b->root, path, str_new(b, path, s, enc));
}

static void put_int(struct builder *b, const char *path, int64_t v)
{
	put(b, b->root, path, json_object_new_int64(v));
}

static void put_bool(struct builder *b, const char *path, bool v)
{
	put(b, b->root, path, json_object_new_boolean(v));
}

/* Add a string array at path from n strings (NULL entries skipped); nothing
 * if there are none. */
static void put_strv(struct builder *b, const char *path, const char *const *v,
		     size_t n)
{
	struct json_object *arr;
	bool enc = false;
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		if (!v[i])
			continue;
		count++;
		if (!enc && !utf8_valid(v[i]))
			enc = true;
	}
	if (!count)
		return;
	if (!check(b, arr = json_object_new_array()))
		return;
	if (enc)
		mark_encoded(b, path);
	for (i = 0; i < n && !b->failed; i++)
		if (v[i])
			add_elem(b, arr, str_new(b, path, v[i], enc));
	put(b, b->root, path, arr);
}

/* Decimal text of an id; "unset" for the kernel's (uint32_t)-1. */
static void put_id(struct builder *b, const char *path, uint32_t id,
		   bool unset_word)
{
	char buf[16];

	if (unset_word && id == UNSET_ID)
		put_str(b, path, "unset");
	else {
		snprintf(buf, sizeof(buf), "%" PRIu32, id);
		put_str(b, path, buf);
	}
}

/* ---------------------------------------------------------------- fields */

/* Format sec.msec (msec may exceed 999) as RFC 3339 UTC with milliseconds.
 * Returns 0, or -1 if the time cannot be shown as a four-digit year. */
static int format_time(char *buf, size_t len, int64_t sec, int64_t msec)
{
	struct tm tm;
	time_t t;

	sec += msec / 1000;
	msec %= 1000;
	if (msec < 0) {
		msec += 1000;
		sec--;
	}
	t = (time_t)sec;
	if ((int64_t)t != sec || !gmtime_r(&t, &tm) || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900)
		return -1;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)msec);
	return 0;
}

static void put_time(struct builder *b, const char *path, int64_t sec,
		     int64_t msec)
{
	char buf[80]; /* 25 bytes in practice; room for any int */

	if (!format_time(buf, sizeof(buf), sec, msec))
		put_str(b, path, buf);
}

/* Kibana's reason text (its alertReasonDescription template): "process event
 * with process X, parent process Y, by U on H created low alert NAME."
 * Unknown parts are left out, as Kibana leaves them out. */
static void put_message(struct builder *b, const struct alert_input *in)
{
	const struct image *p = in->proc;
	const struct rule_meta *r = in->rule;
	const char *pname = in->parent ? in->parent->name : NULL;
	char *msg = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&msg, &len);
	if (!fp) {
		b->failed = true;
		return;
	}
	fputs("process event", fp);
	if (p->name || pname)
		fputs(" with", fp);
	if (p->name)
		fprintf(fp, " process %s,", p->name);
	if (pname)
		fprintf(fp, " parent process %s,", pname);
	if (p->user_name)
		fprintf(fp, " by %s", p->user_name);
	if (in->host_name)
		fprintf(fp, " on %s", in->host_name);
	fputs(" created", fp);
	if (r && r->severity)
		fprintf(fp, " %s", r->severity);
	fputs(" alert", fp);
	if (r && r->name)
		fprintf(fp, " %s", r->name);
	fputc('.', fp);
	if (fclose(fp) || !msg) {
		free(msg);
		b->failed = true;
		return;
	}
	put_str(b, "message", msg);
	free(msg);
}

static void put_event(struct builder *b, const struct alert_input *in)
{
	static const char *const category[] = {"process"};
	static const char *const type[] = {"start"};

	put_str(b, "event.kind", "alert");
	put_strv(b, "event.category", category, 1);
	put_strv(b, "event.type", type, 1);
	put_str(b, "event.action", "exec");
	put_str(b, "event.outcome", "success");
	if (in->rule) {
		put_int(b, "event.severity", in->rule->risk_score);
		put_int(b, "event.risk_score", in->rule->risk_score);
	}
	put_str(b, "event.module", "auditd");
	put_str(b, "event.dataset", EVENT_DATASET);
	put_str(b, "event.provider", EVENT_PROVIDER);
	put_time(b, "event.created", in->created_ms / 1000,
		 in->created_ms % 1000);
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

/*
 * Add the id, name and reference arrays of one level of the MITRE mapping
 * under prefix: one entry per distinct id, in the rule's order, so that the
 * three arrays are parallel. A missing name or reference is written as "".
 */
static void put_threat_level(struct builder *b, const struct rule_meta *r,
			     enum threat_level level, const char *prefix)
{
	const char **v, *f[3];
	char path[64];
	size_t i, j, k, n = 0, m = r->nthreats;

	v = calloc(3 * m, sizeof(*v));
	if (!v) {
		b->failed = true;
		return;
	}
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
	snprintf(path, sizeof(path), "%s.id", prefix);
	put_strv(b, path, v, n);
	snprintf(path, sizeof(path), "%s.name", prefix);
	put_strv(b, path, v + m, n);
	snprintf(path, sizeof(path), "%s.reference", prefix);
	put_strv(b, path, v + 2 * m, n);
	free(v);
}

static void put_rule(struct builder *b, const struct rule_meta *r)
{
	char ver[16];

	if (!r)
		return;
	put_str(b, "rule.id", r->id);
	put_str(b, "rule.name", r->name);
	snprintf(ver, sizeof(ver), "%d", r->version);
	put_str(b, "rule.version", ver);
	put_str(b, "rule.description", r->description);
	put_strv(b, "rule.author", &r->author, 1);
	put_str(b, "rule.license", r->license);
	/* ECS rule.reference is one URL: the rule's documentation page */
	if (r->nreferences)
		put_str(b, "rule.reference", r->references[0]);
	if (r->nreferences > 1)
		put_strv(b, NS ".rule.references", r->references,
			 r->nreferences);

	if (!r->nthreats)
		return;
	put_str(b, "threat.framework", "MITRE ATT&CK");
	put_threat_level(b, r, TACTIC, "threat.tactic");
	put_threat_level(b, r, TECHNIQUE, "threat.technique");
	put_threat_level(b, r, SUBTECHNIQUE, "threat.technique.subtechnique");
}

static void put_process(struct builder *b, const struct alert_input *in)
{
	const struct image *p = in->proc, *pp = in->parent;
	put_int(b, "process.pid", p->pid);
	put_str(b, "process.name", p->name);
	put_str(b, "process.executable", p->executable);
	if (p->args && p->argc) {
		put_strv(b, "process.args", (const char *const *)p->args,
			 p->argc);
		put_int(b, "process.args_count", (int64_t)p->argc);
	}
	put_str(b, "process.command_line", p->command_line);
	put_str(b, "process.working_directory", p->cwd);
	put_id(b, "process.user.id", (uint32_t)p->uid, false);
	put_str(b, "process.user.name", p->user_name);

	/* the SYSCALL record's ppid: a forked parent's image may carry the
	 * pid of the process it forked from */
	if (pp || p->ppid > 0)
		put_int(b, "process.parent.pid", p->ppid);
	if (!pp)
		return;
	put_str(b, "process.parent.name", pp->name);
	put_str(b, "process.parent.executable", pp->executable);
	if (pp->args && pp->argc) {
		put_strv(b, "process.parent.args",
			 (const char *const *)pp->args, pp->argc);
		put_int(b, "process.parent.args_count", (int64_t)pp->argc);
	}
	put_str(b, "process.parent.command_line", pp->command_line);
	put_str(b, "process.parent.working_directory", pp->cwd);
}

static void put_user_host(struct builder *b, const struct alert_input *in)
{
	const struct image *p = in->proc;

	put_id(b, "user.id", (uint32_t)p->uid, false);
	put_str(b, "user.name", p->user_name);
	put_id(b, "user.effective.id", (uint32_t)p->euid, false);
	put_str(b, "host.name", in->host_name);
	put_str(b, "host.os.type", "linux");
}

/* The audit key, split into tags as Auditbeat does (several -k keys are
 * joined by \001 in the record). */
static void put_tags(struct builder *b, const char *key)
{
	const char **v;
	const char *k;
	char *copy, *s, *sep;
	size_t n = 1, i = 0;

	if (!key)
		return;
	for (k = key; (k = strchr(k, '\001')); k++)
		n++;
	copy = strdup(key);
	v = calloc(n, sizeof(*v));
	if (!copy || !v) {
		b->failed = true;
		goto out;
	}
	for (s = copy; i < n; s = sep + 1) {
		sep = strchrnul(s, '\001');
		*sep = '\0';
		v[i++] = *s ? s : NULL; /* skip empty keys */
	}
	put_strv(b, "tags", v, n);
out:
	free(v);
	free(copy);
}

static void put_auditd(struct builder *b, const struct image *p)
{
	if (p->serial)
		put_int(b, "auditd.sequence", (int64_t)p->serial);
	put_id(b, "auditd.session", p->session, true);
	put_id(b, "auditd.data.auid", (uint32_t)p->auid, true);
	put_str(b, "auditd.data.tty", p->tty);
	put_str(b, "auditd.data.comm", p->comm);
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

static void put_ancestry(struct builder *b, const struct alert_input *in)
{
	static const char name[] = NS ".ancestry.executable";
	struct json_object *arr, *o;
	const struct image *a;
	bool enc = false;
	size_t i, n = 0;

	for (i = 0; in->ancestry && i < in->nancestry; i++) {
		if (!(a = in->ancestry[i]))
			continue;
		n++;
		if (a->executable && !utf8_valid(a->executable))
			enc = true;
	}
	if (!n || !check(b, arr = json_object_new_array()))
		return;
	for (i = 0; i < in->nancestry && !b->failed; i++) {
		if (!(a = in->ancestry[i]))
			continue;
		o = json_object_new_object();
		add_elem(b, arr, o);
		if (b->failed)
			break;
		put(b, o, "pid", json_object_new_int64(a->pid));
		if (a->executable) {
			if (enc)
				mark_encoded(b, name);
			put(b, o, "executable",
			    str_new(b, name, a->executable, enc));
		}
	}
	put(b, b->root, NS ".ancestry", arr);
}

static void put_own(struct builder *b, const struct alert_input *in)
{
	const struct image *p = in->proc, *pp = in->parent;

	put_str(b, NS ".process.interpreter", p->interpreter);
	put_bool(b, NS ".process.args_truncated", args_truncated(p));
	if (pp) {
		put_str(b, NS ".process.parent.source",
			source_name(pp->source));
		put_str(b, NS ".process.parent.interpreter", pp->interpreter);
		put_bool(b, NS ".process.parent.args_truncated",
			 args_truncated(pp));
		if (pp->serial)
			put_int(b, NS ".process.parent.sequence",
				(int64_t)pp->serial);
	}
	put_ancestry(b, in);
}

/* The document for in, with strings cut to max_str bytes if non-zero. */
static char *build_doc(const struct alert_input *in, size_t max_str,
		       size_t *len)
{
	struct builder b = {0};
	const char *json;
	size_t n;
	char *out = NULL;

	b.max_str = max_str;
	b.root = json_object_new_object();
	if (!b.root)
		return NULL;

	put_time(&b, "@timestamp", in->proc->sec, in->proc->msec);
	put_message(&b, in);
	put_str(&b, "ecs.version", ECS_VERSION);
	put_event(&b, in);
	put_rule(&b, in->rule);
	put_process(&b, in);
	put_user_host(&b, in);
	put_tags(&b, in->proc->key);
	put_auditd(&b, in->proc);
	put_own(&b, in);
	if (b.encoded) {
		put(&b, b.root, NS ".encoded_fields", b.encoded);
		b.encoded = NULL;
	}
	if (b.truncated) {
		put(&b, b.root, NS ".truncated_fields", b.truncated);
		b.truncated = NULL;
	}
	if (b.failed)
		goto out;

	json = json_object_to_json_string_length(
		b.root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		&n);
	if (!json || !(out = malloc(n + 1)))
		goto out;
	memcpy(out, json, n + 1);
	*len = n;
out:
	json_object_put(b.encoded);
	json_object_put(b.truncated);
	json_object_put(b.root);
	return out;
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
 * Build the alert as one line of UTF-8 JSON (see alert.h). A document
 * longer than ALERT_MAX_BYTES is built again with the argument lists of
 * the process and its parent cut to smaller and smaller budgets, then
 * with fewer ancestors, until it fits: syslog(3) would drop it otherwise.
 * Only if paths of thousands of escaped bytes still make it too long is
 * every string cut to LAST_MAX_STR bytes (and listed in
 * audisp_dracut.truncated_fields); about twenty strings of at most six
 * JSON bytes per byte then always fit.
 */
char *alert_build(const struct alert_input *in, size_t *len)
{
	struct alert_input cut;
	struct image *proc = NULL, *parent = NULL;
	size_t n = 0, i = 0;
	char *out;

	if (!in || !in->proc)
		return NULL;
	out = build_doc(in, 0, &n);
	cut = *in;
	while (out && n > ALERT_MAX_BYTES) {
		free(out);
		out = NULL;
		if (i == ARRAY_SIZE(arg_budgets) && cut.nancestry == 0) {
			out = build_doc(&cut, LAST_MAX_STR, &n);
			break;
		}
		if (i < ARRAY_SIZE(arg_budgets)) {
			image_free(proc);
			image_free(parent);
			proc = image_copy(in->proc, arg_budgets[i]);
			parent = in->parent ? image_copy(in->parent,
							 arg_budgets[i])
					    : NULL;
			if (!proc || (in->parent && !parent))
				break;
			cut.proc = proc;
			cut.parent = parent;
			i++;
		} else {
			cut.nancestry /= 2;
		}
		out = build_doc(&cut, 0, &n);
	}
	image_free(proc);
	image_free(parent);
	if (out && len)
		*len = n;
	return out;
}
