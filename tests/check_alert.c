/* check_alert.c - unit tests for the ECS alert document */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "alert.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif
#define GOLDEN_DIR TOP_SRCDIR "/tests/golden/"
#define ECS_CSV TOP_SRCDIR "/../shared/ecs/fields.csv"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) ((char *)(x))

/* 2026-11-26T06:37:07Z, worked out by hand and with date(1) */
#define T_SEC 1795675027

/* ---------------------------------------------------------------- rule data
 * Written from the seed documents in ../shared/seed, independently of
 * plugin/rule.c. */

#define RULE_ID "834ee026-f9f9-4ec7-b5e0-7fbfe84765f4"
#define RULE_DESC                                                              \
	"This rule detects manual execution of the `dracut` command on "       \
	"Linux systems. Dracut is a tool used to generate an initramfs "       \
	"image that is used to boot the system. Attackers may use `dracut` "   \
	"to create a custom initramfs image that includes malicious code or "  \
	"backdoors, allowing them to maintain persistence on the system."

static const char *const refs_v1[] = {
	"https://www.elastic.co/guide/en/security/current/"
	"prebuilt-rule-8-17-3-manual-dracut-execution.html",
};
static const char *const refs_v7[] = {
	"https://github.com/elastic/detection-rules/blob/main/rules/linux/"
	"persistence_manual_dracut_execution.toml",
};

static const struct rule_threat threats[] = {
	{"TA0003", "Persistence", "https://attack.mitre.org/tactics/TA0003/",
	 "T1542", "Pre-OS Boot", "https://attack.mitre.org/techniques/T1542/",
	 NULL, NULL, NULL},
	{"TA0002", "Execution", "https://attack.mitre.org/tactics/TA0002/",
	 "T1059", "Command and Scripting Interpreter",
	 "https://attack.mitre.org/techniques/T1059/", "T1059.004",
	 "Unix Shell", "https://attack.mitre.org/techniques/T1059/004/"},
	{"TA0005", "Defense Evasion",
	 "https://attack.mitre.org/tactics/TA0005/", "T1542", "Pre-OS Boot",
	 "https://attack.mitre.org/techniques/T1542/", NULL, NULL, NULL},
};

static const struct rule_meta meta_v1 = {
	.id = RULE_ID,
	.name = "Manual Dracut Execution",
	.description = RULE_DESC,
	.author = "Elastic",
	.license = "Elastic License v2",
	.severity = "low",
	.version = 1,
	.risk_score = 21,
	.references = refs_v1,
	.nreferences = 1,
	.threats = threats,
	.nthreats = 2,
};

static const struct rule_meta meta_v7 = {
	.id = RULE_ID,
	.name = "Manual Dracut Execution",
	.description = RULE_DESC,
	.author = "Elastic",
	.license = "Elastic License v2",
	.severity = "low",
	.version = 7,
	.risk_score = 21,
	.references = refs_v7,
	.nreferences = 1,
	.threats = threats,
	.nthreats = 3,
};

/* ---------------------------------------------------------------- ENOMEM
 * With glibc, the allocation numbered fail_at (0 is the next one) fails;
 * -1 means none does. json-c and libc allocate through these too. */

/* AddressSanitizer owns malloc: no fault injection under it. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#define UNDER_ASAN 1
#endif

#if defined(__GLIBC__) && !defined(UNDER_ASAN)
#define HAVE_FAULTS 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

/* malloc, called as another file calls it */
static void *(*volatile libc_malloc)(size_t n) = malloc;

static volatile long fail_at =
	-1; /* volatile: gcc assumes malloc touches no globals */

static bool fail_now(void)
{
	if (fail_at < 0)
		return false;
	return fail_at-- == 0;
}

void *malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}
#endif

/* ---------------------------------------------------------------- ECS list */

struct ecs_field {
	char *name;
	char *type;
	bool array;
};

static struct ecs_field *ecs;
static size_t necs;
static char ecs_version[64];
static bool ecs_tried;

static int ecs_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ecs_field *)a)->name,
		      ((const struct ecs_field *)b)->name);
}

/* Read one RFC 4180 field at *p into a new string; *end says whether it
 * ended its record. Returns NULL at the end of the text. */
static char *csv_field(const char **p, bool *end)
{
	const char *s = *p;
	char *out, *o;

	if (!*s)
		return NULL;
	out = o = malloc(strlen(s) + 1);
	ck_assert_ptr_nonnull(out);
	if (*s == '"') {
		for (s++; *s; s++) {
			if (*s == '"' && s[1] == '"')
				*o++ = *s++;
			else if (*s == '"')
				break;
			else
				*o++ = *s;
		}
		if (*s == '"')
			s++;
	}
	while (*s && *s != ',' && *s != '\n' && *s != '\r')
		*o++ = *s++;
	*o = '\0';
	if (*s == '\r')
		s++;
	*end = *s != ',';
	if (*s)
		s++;
	*p = s;
	return out;
}

/* Load fields.csv once; false if it is absent. */
static bool ecs_load(void)
{
	FILE *fp;
	char *text, *f[16];
	const char *p;
	size_t n = 0, cap = 0, nf, i;
	long size;
	bool end, header = true;

	if (ecs_tried)
		return ecs != NULL;
	ecs_tried = true;
	fp = fopen(ECS_CSV, "r");
	if (!fp)
		return false;
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	rewind(fp);
	text = malloc(size + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, size, fp), (size_t)size);
	text[size] = '\0';
	fclose(fp);

	for (p = text; *p;) {
		nf = 0;
		do {
			char *v = csv_field(&p, &end);

			if (!v)
				break;
			if (nf < ARRAY_SIZE(f))
				f[nf++] = v;
			else
				free(v);
		} while (!end);
		if (nf >= 7 && !header) {
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				ecs = realloc(ecs, cap * sizeof(*ecs));
				ck_assert_ptr_nonnull(ecs);
			}
			if (!ecs_version[0])
				snprintf(ecs_version, sizeof(ecs_version), "%s",
					 f[0]);
			ecs[n].name = f[3];
			ecs[n].type = f[4];
			ecs[n].array = !strcmp(f[6], "array");
			f[3] = f[4] = NULL;
			n++;
		}
		header = false;
		for (i = 0; i < nf; i++)
			free(f[i]);
	}
	free(text);
	qsort(ecs, n, sizeof(*ecs), ecs_cmp);
	necs = n;
	return n > 0;
}

static const struct ecs_field *ecs_find(const char *name)
{
	struct ecs_field key = {.name = S(name)};

	return bsearch(&key, ecs, necs, sizeof(*ecs), ecs_cmp);
}

/* "2026-11-26T06:37:07.123Z" */
static bool is_rfc3339_ms(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9')
				    : s[i] != shape[i])
			return false;
	}
	return true;
}

/* Does the JSON scalar v fit the ECS type? */
static bool ecs_type_ok(const struct ecs_field *f, struct json_object *v)
{
	const char *t = f->type;
	enum json_type jt = json_object_get_type(v);

	if (!strcmp(t, "keyword") || !strcmp(t, "wildcard") ||
	    !strcmp(t, "match_only_text") || !strcmp(t, "text") ||
	    !strcmp(t, "constant_keyword") || !strcmp(t, "ip"))
		return jt == json_type_string;
	if (!strcmp(t, "date"))
		return jt == json_type_string &&
		       is_rfc3339_ms(json_object_get_string(v));
	if (!strcmp(t, "long") || !strcmp(t, "integer") ||
	    !strcmp(t, "short") || !strcmp(t, "byte") ||
	    !strcmp(t, "unsigned_long"))
		return jt == json_type_int;
	if (!strcmp(t, "float") || !strcmp(t, "double") ||
	    !strcmp(t, "scaled_float") || !strcmp(t, "half_float"))
		return jt == json_type_int || jt == json_type_double;
	if (!strcmp(t, "boolean"))
		return jt == json_type_boolean;
	return false; /* object, nested, flattened, geo_point: not a leaf */
}

static bool in_own_namespace(const char *path)
{
	return !strcmp(path, "auditd") || !strncmp(path, "auditd.", 7) ||
	       !strcmp(path, "audisp_dracut") ||
	       !strncmp(path, "audisp_dracut.", 14);
}

/* Check every leaf under o (at path) against the ECS list; count errors. */
static void ecs_walk(struct json_object *o, const char *path, int *errors)
{
	const struct ecs_field *f;
	size_t i, n;

	if (path && in_own_namespace(path))
		return;
	if (json_object_is_type(o, json_type_object)) {
		f = path ? ecs_find(path) : NULL;
		if (f && strcmp(f->type, "object")) {
			fprintf(stderr, "ecs: %s is an object, ECS says %s\n",
				path, f->type);
			(*errors)++;
		}
		json_object_object_foreach(o, key, val)
		{
			char *sub;

			ck_assert_int_ge(asprintf(&sub, "%s%s%s",
						  path ? path : "",
						  path ? "." : "", key),
					 0);
			ecs_walk(val, sub, errors);
			free(sub);
		}
		return;
	}
	f = ecs_find(path);
	if (!f) {
		fprintf(stderr, "ecs: %s is not an ECS field\n", path);
		(*errors)++;
		return;
	}
	if (json_object_is_type(o, json_type_array)) {
		if (!f->array) {
			fprintf(stderr,
				"ecs: %s is an array, ECS says one "
				"value\n",
				path);
			(*errors)++;
		}
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			if (!ecs_type_ok(f, json_object_array_get_idx(o, i))) {
				fprintf(stderr, "ecs: %s[%zu] is not %s\n",
					path, i, f->type);
				(*errors)++;
			}
		}
		return;
	}
	if (f->array) {
		fprintf(stderr, "ecs: %s is one value, ECS says array\n", path);
		(*errors)++;
	}
	if (!ecs_type_ok(f, o)) {
		fprintf(stderr, "ecs: %s = %s is not %s\n", path,
			json_object_to_json_string(o), f->type);
		(*errors)++;
	}
}

/* ---------------------------------------------------------------- helpers */

/* Strict UTF-8 by code point: no overlongs, surrogates or > U+10FFFF. */
static bool valid_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, n;
	unsigned long cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		} else if ((s[i] & 0xe0) == 0xc0) {
			n = 1, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2, cp = s[i] & 0x0f, min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3, cp = s[i] & 0x07, min = 0x10000;
		} else {
			return false;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* Nulls never appear: unknown fields are left out. */
static int count_nulls(struct json_object *o)
{
	int n = 0;
	size_t i;

	if (!o)
		return 1;
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val)
		{
			(void)key;
			n += count_nulls(val);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			n += count_nulls(json_object_array_get_idx(o, i));
	}
	return n;
}

/* Is there a "\/" escape in the JSON text? */
static bool escaped_slash(const char *s)
{
	for (; *s; s++) {
		if (*s != '\\')
			continue;
		if (s[1] == '/')
			return true;
		if (s[1])
			s++; /* skip the escaped character */
	}
	return false;
}

static struct json_object *parse_strict(const char *s, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	ck_assert_ptr_nonnull(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)len);
	ck_assert_msg(o != NULL, "strict parse failed: %s",
		      json_tokener_error_desc(json_tokener_get_error(tok)));
	ck_assert_int_eq(json_tokener_get_error(tok), json_tokener_success);
	ck_assert_uint_eq(json_tokener_get_parse_end(tok), len);
	json_tokener_free(tok);
	return o;
}

/*
 * Check what every document must satisfy: one line, no trailing newline,
 * valid UTF-8, strict JSON, one object, no nulls, no escaped slashes, and
 * (when fields.csv is there) ECS names and types. Returns it parsed.
 */
static struct json_object *checked(const char *s, size_t len)
{
	struct json_object *doc;
	int errors = 0;

	ck_assert_ptr_null(memchr(s, '\n', len));
	ck_assert_msg(!escaped_slash(s), "escaped slash in %s", s);
	ck_assert_msg(valid_utf8(s, len), "alert is not UTF-8");
	doc = parse_strict(s, len);
	ck_assert(json_object_is_type(doc, json_type_object));
	ck_assert_int_eq(count_nulls(doc), 0);
	if (ecs_load()) {
		ecs_walk(doc, NULL, &errors);
		ck_assert_int_eq(errors, 0);
	}
	return doc;
}

/* One builder for every document of the run, as the plugin keeps one: its
 * reused buffer and pieces must give the bytes alert_build gives. */
static struct alert_builder *shared_ab;

/* Build the alert both ways, and check it. */
static struct json_object *build(const struct alert_input *in)
{
	struct json_object *doc;
	size_t len = (size_t)-1, blen = (size_t)-1;
	const char *bs;
	char *s;

	s = alert_build(in, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, strlen(s));
	if (!shared_ab)
		shared_ab = alert_builder_create();
	ck_assert_ptr_nonnull(shared_ab);
	bs = alert_builder_build(shared_ab, in, &blen);
	ck_assert_ptr_nonnull(bs);
	ck_assert_uint_eq(blen, len);
	ck_assert_msg(!memcmp(bs, s, len + 1),
		      "builder and alert_build differ");
	doc = checked(s, len);
	free(s);
	return doc;
}

static struct json_object *get(struct json_object *doc, const char *path)
{
	char buf[256], *seg, *dot;
	struct json_object *o = doc;

	snprintf(buf, sizeof(buf), "%s", path);
	for (seg = buf; seg; seg = dot) {
		dot = strchr(seg, '.');
		if (dot)
			*dot++ = '\0';
		if (!json_object_object_get_ex(o, seg, &o))
			return NULL;
	}
	return o;
}

static const char *get_str(struct json_object *doc, const char *path)
{
	struct json_object *o = get(doc, path);

	ck_assert_msg(o && json_object_is_type(o, json_type_string),
		      "%s is not a string", path);
	return json_object_get_string(o);
}

/* Print where two JSON values differ; returns the number of differences. */
static int diff(struct json_object *want, struct json_object *got,
		const char *path)
{
	char sub[512];
	int n = 0;
	size_t i;

	if (json_object_get_type(want) != json_object_get_type(got)) {
		fprintf(stderr, "golden: %s: want %s, got %s\n", path,
			json_object_to_json_string(want),
			json_object_to_json_string(got));
		return 1;
	}
	if (json_object_is_type(want, json_type_object)) {
		json_object_object_foreach(want, k, v)
		{
			struct json_object *g;

			snprintf(sub, sizeof(sub), "%s.%s", path, k);
			if (!json_object_object_get_ex(got, k, &g)) {
				fprintf(stderr, "golden: %s missing\n", sub);
				n++;
			} else {
				n += diff(v, g, sub);
			}
		}
		json_object_object_foreach(got, k2, v2)
		{
			(void)v2;
			if (!json_object_object_get_ex(want, k2, NULL)) {
				fprintf(stderr, "golden: %s.%s unexpected\n",
					path, k2);
				n++;
			}
		}
		return n;
	}
	if (json_object_is_type(want, json_type_array) &&
	    json_object_array_length(want) == json_object_array_length(got)) {
		for (i = 0; i < json_object_array_length(want); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			n += diff(json_object_array_get_idx(want, i),
				  json_object_array_get_idx(got, i), sub);
		}
		return n;
	}
	if (!json_object_equal(want, got)) {
		fprintf(stderr, "golden: %s: want %s, got %s\n", path,
			json_object_to_json_string(want),
			json_object_to_json_string(got));
		return 1;
	}
	return 0;
}

static void check_golden(const char *name, const struct alert_input *in)
{
	char path[512];
	struct json_object *want, *got;
	FILE *fp;
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;

	snprintf(path, sizeof(path), GOLDEN_DIR "%s.json", name);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "%s: %s", path, strerror(errno));
	len = getdelim(&text, &cap, '\0', fp);
	ck_assert_int_gt(len, 0);
	fclose(fp);
	want = parse_strict(text, (size_t)len);
	free(text);

	got = build(in);
	ck_assert_msg(diff(want, got, name) == 0,
		      "%s differs from the golden document (see stderr)", path);
	ck_assert(json_object_equal(want, got));
	json_object_put(want);
	json_object_put(got);
}

/* The bytes a field value stands for (see the top of plugin/alert.c). */
static char *decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	unsigned v;

	ck_assert_ptr_nonnull(out);
	while (*s) {
		if (*s != '\\') {
			*o++ = *s++;
		} else if (s[1] == '\\') {
			*o++ = '\\';
			s += 2;
		} else {
			ck_assert_msg(
				s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1 &&
					strchr("0123456789abcdef", s[2]) &&
					strchr("0123456789abcdef", s[3]),
				"bad escape in %s", s);
			*o++ = (char)v;
			s += 4;
		}
	}
	*o = '\0';
	return out;
}

static bool listed_encoded(struct json_object *doc, const char *field)
{
	struct json_object *arr = get(doc, "audisp_dracut.encoded_fields");
	size_t i;

	if (!arr)
		return false;
	for (i = 0; i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(arr, i)),
			    field))
			return true;
	return false;
}

/* ---------------------------------------------------------------- cases */

START_TEST(test_golden_script_parent)
{
	char *pargv[] = {S("dracut"), S("--force"),
			 S("/boot/initrd.img-6.1.0-28-amd64"),
			 S("6.1.0-28-amd64"), NULL};
	char *ppargv[] = {S("/bin/bash"),
			  S("/usr/local/sbin/rebuild-initrd.sh"), S("--all"),
			  NULL};
	struct image proc = {
		.pid = 4242,
		.ppid = 4200,
		.sec = T_SEC,
		.msec = 123,
		.serial = 8812,
		.syscall = 59,
		.success = true,
		.uid = 0,
		.euid = 0,
		.auid = 1000,
		.session = 7,
		.executable = S("/usr/bin/dracut"),
		.name = "dracut",
		.interpreter = S("/usr/bin/bash"),
		.exe = S("/usr/bin/bash"),
		.comm = S("dracut"),
		.cwd = S("/root"),
		.tty = S("pts0"),
		.key = S("dracut-exec"),
		.user_name = S("root"),
		.args = pargv,
		.argc = 4,
		.command_line = S("dracut --force "
				  "/boot/initrd.img-6.1.0-28-amd64 "
				  "6.1.0-28-amd64"),
		.source = IMAGE_SRC_STREAM,
	};
	struct image parent = {
		.pid = 4200,
		.ppid = 4100,
		.sec = T_SEC,
		.msec = 100,
		.serial = 8790,
		.success = true,
		.auid = 1000,
		.session = 7,
		.executable = S("/usr/local/sbin/rebuild-initrd.sh"),
		.name = "rebuild-initrd.sh",
		.interpreter = S("/usr/bin/bash"),
		.exe = S("/usr/bin/bash"),
		.comm = S("rebuild-initrd."),
		.cwd = S("/root"),
		.args = ppargv,
		.argc = 3,
		.command_line = S("/bin/bash /usr/local/sbin/rebuild-initrd.sh "
				  "--all"),
		.source = IMAGE_SRC_STREAM,
	};
	struct image gp = {.pid = 4100,
			   .executable = S("/usr/bin/bash"),
			   .name = "bash",
			   .source = IMAGE_SRC_STREAM};
	struct image sshd = {.pid = 900,
			     .executable = S("/usr/sbin/sshd"),
			     .name = "sshd",
			     .source = IMAGE_SRC_PROC};
	const struct image *anc[] = {&parent, &gp, &sshd};
	struct alert_input in = {
		.proc = &proc,
		.parent = &parent,
		.ancestry = anc,
		.nancestry = 3,
		.rule = &meta_v1,
		.host_name = "build01.example.org",
		.created_ms = (int64_t)T_SEC * 1000 + 456,
	};

	check_golden("script_parent", &in);
}
END_TEST

START_TEST(test_golden_missing_parent_args)
{
	char *pargv[] = {S("dracut"), S("--regenerate-all"), NULL};
	struct image proc = {
		.pid = 777,
		.ppid = 776,
		.sec = T_SEC,
		.msec = 5,
		.serial = 9001,
		.success = true,
		.uid = 0,
		.euid = 0,
		.auid = 4294967295U,
		.session = 4294967295U,
		.executable = S("/usr/bin/dracut"),
		.name = "dracut",
		.interpreter = S("/usr/bin/bash"),
		.exe = S("/usr/bin/bash"),
		.comm = S("dracut"),
		.cwd = S("/"),
		.args = pargv,
		.argc = 2,
		.command_line = S("dracut --regenerate-all"),
		.flags = IMAGE_ARGS_TRUNCATED,
		.source = IMAGE_SRC_STREAM,
	};
	struct image parent = {
		.pid = 776,
		.ppid = 1,
		.executable = S("/usr/libexec/some-daemon"),
		.name = "some-daemon",
		.source = IMAGE_SRC_PROC,
	};
	const struct image *anc[] = {&parent};
	struct alert_input in = {
		.proc = &proc,
		.parent = &parent,
		.ancestry = anc,
		.nancestry = 1,
		.rule = &meta_v7,
		.host_name = NULL,
		.created_ms = 0,
	};

	check_golden("missing_parent_args", &in);
}
END_TEST

START_TEST(test_golden_non_utf8)
{
	char *pargv[] = {S("/opt/\xff\xfe/dracut"),
			 S("--add"),
			 S("caf\xc3\xa9"),
			 S("a\\b\xc0\xaf"
			   "c"),
			 S("\xed\xa0\x80"),
			 S("\xf4\x90\x80\x80"),
			 S("\xf0\x9f\x90\xa7"),
			 S("tail\xe2\x82"),
			 NULL};
	char *ppargv[] = {S("/bin/sh"),
			  S("/tmp/r\xe9"
			    "build.sh"),
			  NULL};
	struct image proc = {
		.pid = 31337,
		.ppid = 31300,
		.sec = T_SEC,
		.msec = 999,
		.serial = 123456789012ULL,
		.success = true,
		.uid = 0,
		.euid = 0,
		.auid = 1000,
		.session = 3,
		.executable = S("/opt/\xff\xfe/dracut"),
		.name = "dracut",
		.exe = S("/usr/bin/bash"),
		.interpreter = S("/usr/bin/bash"),
		.comm = S("dracut"),
		.cwd = S("/tmp/back\\slash"),
		.tty = S("pts1"),
		.user_name = S("root"),
		.args = pargv,
		.argc = 8,
		.command_line = S("/opt/\xff\xfe/dracut --add caf\xc3\xa9 "
				  "a\\b\xc0\xaf"
				  "c \xed\xa0\x80 \xf4\x90\x80\x80 "
				  "\xf0\x9f\x90\xa7 tail\xe2\x82"),
		.source = IMAGE_SRC_STREAM,
	};
	struct image parent = {
		.pid = 31300,
		.ppid = 31000,
		.serial = 123456789000ULL,
		.executable = S("/tmp/r\xe9"
				"build.sh"),
		.name = "r\xe9"
			"build.sh",
		.interpreter = S("/usr/bin/dash"),
		.exe = S("/usr/bin/dash"),
		.cwd = S("/tmp"),
		.args = ppargv,
		.argc = 2,
		.command_line = S("/bin/sh /tmp/r\xe9"
				  "build.sh"),
		.source = IMAGE_SRC_STREAM,
	};
	const struct image *anc[] = {&parent};
	struct alert_input in = {
		.proc = &proc,
		.parent = &parent,
		.ancestry = anc,
		.nancestry = 1,
		.rule = &meta_v1,
		.host_name = "build01",
		.created_ms = (int64_t)T_SEC * 1000 + 1000,
	};

	check_golden("non_utf8", &in);
}
END_TEST

START_TEST(test_golden_control_chars)
{
	char *pargv[] = {S("dracut"),
			 S("--kmoddir"),
			 S("/lib/modules/\"quoted\" dir"),
			 S("line1\nline2\r"),
			 S("tab\there\b\f"),
			 S("esc\x1b[31mred"),
			 S("ctl\x01\x1f del\x7f"),
			 S("back\\slash/and/slash"),
			 NULL};
	char *ppargv[] = {S("bash"), S("-c"),
			  S("dracut --kmoddir '/lib/modules/\"quoted\" dir'"),
			  NULL};
	struct image proc = {
		.pid = 100,
		.ppid = 99,
		.sec = T_SEC,
		.msec = 0,
		.serial = 1,
		.success = true,
		.uid = 1000,
		.euid = 0,
		.auid = 1000,
		.session = 0,
		.executable = S("/usr/bin/dracut"),
		.name = "dracut",
		.comm = S("dracut"),
		.cwd = S("/home/user/\"q\""),
		.tty = S("pts2"),
		.key = S("dracut-exec\001initramfs"),
		.user_name = S("user"),
		.args = pargv,
		.argc = 8,
		.command_line =
			S("dracut --kmoddir /lib/modules/\"quoted\" dir "
			  "line1\nline2\r tab\there\b\f "
			  "esc\x1b[31mred ctl\x01\x1f del\x7f "
			  "back\\slash/and/slash"),
		.source = IMAGE_SRC_STREAM,
	};
	struct image parent = {
		.pid = 99,
		.ppid = 98,
		.serial = 0,
		.executable = S("/usr/bin/bash"),
		.name = "bash",
		.args = ppargv,
		.argc = 3,
		.command_line = S("bash -c dracut --kmoddir "
				  "'/lib/modules/\"quoted\" dir'"),
		.flags = IMAGE_COPY_TRUNCATED,
		.source = IMAGE_SRC_FORK,
	};
	struct alert_input in = {
		.proc = &proc,
		.parent = &parent,
		.rule = &meta_v7,
		.host_name = "h",
		.created_ms = (int64_t)T_SEC * 1000 - 1,
	};
	char *s;
	size_t len;

	check_golden("control_chars", &in);

	/* the text itself: control characters escaped, slashes not */
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "\"line1\\nline2\\r\""));
	ck_assert_ptr_nonnull(strstr(s, "esc\\u001b[31mred"));
	ck_assert_ptr_nonnull(strstr(s, "ctl\\u0001\\u001f del"));
	ck_assert_ptr_nonnull(strstr(s, "\"back\\\\slash/and/slash\""));
	ck_assert_ptr_nonnull(strstr(s, "\"/usr/bin/dracut\""));
	for (size_t i = 0; i < len; i++)
		ck_assert_msg((unsigned char)s[i] >= 0x20,
			      "raw control "
			      "byte 0x%02x at %zu",
			      (unsigned char)s[i], i);
	free(s);
}
END_TEST

/* No parent at all: only process.parent.pid (from the record) remains. */
START_TEST(test_no_parent)
{
	char *pargv[] = {S("dracut"), NULL};
	struct image proc = {
		.pid = 10,
		.ppid = 9,
		.sec = T_SEC,
		.uid = 0,
		.euid = 0,
		.executable = S("/usr/bin/dracut"),
		.name = "dracut",
		.args = pargv,
		.argc = 1,
		.command_line = S("dracut"),
		.user_name = S("root"),
	};
	const struct image *anc[] = {NULL}; /* nothing known */
	struct alert_input in = {.proc = &proc,
				 .ancestry = anc,
				 .nancestry = 1,
				 .rule = &meta_v1,
				 .host_name = "h",
				 .created_ms = 1};
	struct json_object *doc = build(&in), *o;

	ck_assert_str_eq(get_str(doc, "event.reason"),
			 "process event with process dracut, by root on h "
			 "created low alert Manual Dracut Execution.");
	o = get(doc, "process.parent");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_object_object_length(o), 1);
	ck_assert_int_eq(json_object_get_int64(get(doc, "process.parent.pid")),
			 9);
	ck_assert_ptr_null(get(doc, "audisp_dracut.process.parent"));
	ck_assert_ptr_null(get(doc, "audisp_dracut.ancestry"));
	ck_assert_ptr_null(get(doc, "audisp_dracut.encoded_fields"));
	ck_assert_ptr_null(get(doc, "tags"));
	ck_assert_ptr_null(get(doc, "auditd.sequence"));
	ck_assert_str_eq(get_str(doc, "event.created"),
			 "1970-01-01T00:00:00.001Z");
	json_object_put(doc);
	ck_assert_ptr_null(alert_build(NULL, NULL));
}
END_TEST

static void check_threat(struct json_object *doc, const char *path,
			 const char *const *want, size_t n)
{
	struct json_object *arr = get(doc, path);
	size_t i;

	ck_assert_msg(arr && json_object_is_type(arr, json_type_array),
		      "%s is not an array", path);
	ck_assert_uint_eq(json_object_array_length(arr), n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(json_object_get_string(
					 json_object_array_get_idx(arr, i)),
				 want[i]);
}

/* v1 has two tactics; v7 adds Defense Evasion with T1542 again. */
START_TEST(test_threat_versions)
{
	static const char *const tac_v1[] = {"TA0003", "TA0002"};
	static const char *const tac_v7[] = {"TA0003", "TA0002", "TA0005"};
	static const char *const tacn_v7[] = {"Persistence", "Execution",
					      "Defense Evasion"};
	static const char *const tacr_v7[] = {
		"https://attack.mitre.org/tactics/TA0003/",
		"https://attack.mitre.org/tactics/TA0002/",
		"https://attack.mitre.org/tactics/TA0005/"};
	static const char *const tech[] = {"T1542", "T1059"};
	static const char *const sub[] = {"T1059.004"};
	struct image proc = {
		.pid = 1, .executable = S("/usr/bin/dracut"), .name = "dracut"};
	struct alert_input in = {.proc = &proc, .rule = &meta_v1};
	struct json_object *doc;

	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "rule.version"), "1");
	ck_assert_str_eq(get_str(doc, "threat.framework"), "MITRE ATT&CK");
	check_threat(doc, "threat.tactic.id", tac_v1, 2);
	check_threat(doc, "threat.technique.id", tech, 2);
	check_threat(doc, "threat.technique.subtechnique.id", sub, 1);
	json_object_put(doc);

	in.rule = &meta_v7;
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "rule.version"), "7");
	check_threat(doc, "threat.tactic.id", tac_v7, 3);
	check_threat(doc, "threat.tactic.name", tacn_v7, 3);
	check_threat(doc, "threat.tactic.reference", tacr_v7, 3);
	check_threat(doc, "threat.technique.id", tech, 2);
	check_threat(doc, "threat.technique.subtechnique.id", sub, 1);
	ck_assert_str_eq(get_str(doc, "rule.reference"), refs_v7[0]);
	json_object_put(doc);

	/* no rule, no threat: the document is still whole */
	in.rule = NULL;
	doc = build(&in);
	ck_assert_ptr_null(get(doc, "threat"));
	ck_assert_ptr_null(get(doc, "rule"));
	ck_assert_ptr_null(get(doc, "message"));
	ck_assert_str_eq(get_str(doc, "event.reason"),
			 "process event with process dracut, created alert.");
	json_object_put(doc);

	/* Kibana's "with" goes with the first of process and parent */
	proc.executable = NULL;
	proc.name = NULL;
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "event.reason"),
			 "process event created alert.");
	json_object_put(doc);
	{
		struct image parent = {.pid = 2, .name = "bash"};

		in.parent = &parent;
		doc = build(&in);
		ck_assert_str_eq(get_str(doc, "event.reason"),
				 "process event with parent process bash, "
				 "created alert.");
		json_object_put(doc);
	}
}
END_TEST

START_TEST(test_timestamps)
{
	struct image proc = {.pid = 1, .sec = 0, .msec = 0};
	struct alert_input in = {.proc = &proc, .created_ms = -1};
	struct json_object *doc;

	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "@timestamp"),
			 "1970-01-01T00:00:00.000Z");
	ck_assert_str_eq(get_str(doc, "event.created"),
			 "1969-12-31T23:59:59.999Z");
	json_object_put(doc);

	/* 2000-02-29T23:59:59.999Z = 951868799 s; msec 1500 carries */
	proc.sec = 951868799;
	proc.msec = 1500;
	in.created_ms = 951868799999LL;
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "@timestamp"),
			 "2000-03-01T00:00:00.500Z");
	ck_assert_str_eq(get_str(doc, "event.created"),
			 "2000-02-29T23:59:59.999Z");
	json_object_put(doc);

	/* year 10000 cannot be written in RFC 3339: left out */
	proc.sec = 253402300800LL;
	proc.msec = 0;
	doc = build(&in);
	ck_assert_ptr_null(get(doc, "@timestamp"));
	json_object_put(doc);
}
END_TEST

START_TEST(test_long_argument)
{
	enum { LEN = 20000 };
	char *big = malloc(LEN + 1), *cl;
	char *argv[] = {S("dracut"), big, NULL};
	struct image proc = {.pid = 1,
			     .ppid = 0,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 2};
	struct alert_input in = {.proc = &proc, .rule = &meta_v1};
	struct json_object *doc, *args;
	size_t i;

	ck_assert_ptr_nonnull(big);
	for (i = 0; i < LEN; i++)
		big[i] = (char)('a' + i % 26);
	big[LEN - 1] = 'Z';
	big[LEN] = '\0';
	ck_assert_int_gt(asprintf(&cl, "dracut %s", big), 0);
	proc.command_line = cl;

	doc = build(&in);
	args = get(doc, "process.args");
	ck_assert_uint_eq(json_object_array_length(args), 2);
	ck_assert_uint_eq(
		json_object_get_string_len(json_object_array_get_idx(args, 1)),
		LEN);
	ck_assert_str_eq(
		json_object_get_string(json_object_array_get_idx(args, 1)),
		big);
	ck_assert_uint_eq(strlen(get_str(doc, "process.command_line")),
			  LEN + 7);
	ck_assert_str_eq(get_str(doc, "process.command_line"), cl);
	ck_assert_int_eq(json_object_get_int64(get(doc, "process.args_count")),
			 2);
	json_object_put(doc);
	free(cl);
	free(big);
}
END_TEST

/*
 * syslog(3) sends each message as one datagram, and the kernel refuses a
 * datagram larger than the socket's send buffer (net.core.wmem_default,
 * 212992 bytes, less 32): glibc then drops the message without a word. So
 * no alert may be longer than 192 KiB (196608 bytes, leaving room for the
 * syslog header and "@cee: "), whatever a user passes to dracut. Past
 * that, the argument lists are cut (and flagged), never the paths.
 */
#define MAX_ALERT 196608

/* Join args with single spaces into a new string. */
static char *join(struct json_object *arr)
{
	size_t i, n = json_object_array_length(arr), len = 1;
	char *out;

	for (i = 0; i < n; i++)
		len += json_object_get_string_len(
			       json_object_array_get_idx(arr, i)) +
		       1;
	out = calloc(1, len);
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, json_object_get_string(
				    json_object_array_get_idx(arr, i)));
	}
	return out;
}

/* The cut args of image path (process or process.parent) are a prefix of
 * argv, consistent with args_count and command_line. */
static void check_cut(struct json_object *doc, const char *path,
		      char *const *argv)
{
	char key[128], *cl;
	struct json_object *args;
	size_t i, n;

	snprintf(key, sizeof(key), "%s.args", path);
	args = get(doc, key);
	ck_assert_ptr_nonnull(args);
	n = json_object_array_length(args);
	ck_assert_uint_ge(n, 1);
	ck_assert_str_eq(
		json_object_get_string(json_object_array_get_idx(args, 0)),
		argv[0]);
	for (i = 1; i < n; i++) {
		const char *a = json_object_get_string(
			json_object_array_get_idx(args, i));

		ck_assert_int_eq(strncmp(a, argv[i], strlen(a)), 0);
	}
	snprintf(key, sizeof(key), "%s.args_count", path);
	ck_assert_int_eq(json_object_get_int64(get(doc, key)), (int64_t)n);
	snprintf(key, sizeof(key), "%s.command_line", path);
	cl = join(args);
	ck_assert_str_eq(get_str(doc, key), cl);
	free(cl);
	snprintf(key, sizeof(key), "audisp_dracut.%s.args_truncated", path);
	ck_assert(json_object_get_boolean(get(doc, key)));
}

START_TEST(test_too_long_for_syslog)
{
	enum { LEN = 100000, NANC = 64, PLEN = 4000 };
	char *big = malloc(LEN + 1), *cl, *pcl, *path, *s;
	char *argv[] = {S("dracut"), big, big, big, NULL};
	char *pargv[] = {S("bash"), big, big, NULL};
	struct image proc = {.pid = 2,
			     .ppid = 1,
			     .sec = T_SEC,
			     .success = true,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 4};
	struct image parent = {.pid = 1,
			       .executable = S("/usr/bin/bash"),
			       .name = "bash",
			       .args = pargv,
			       .argc = 3,
			       .source = IMAGE_SRC_STREAM};
	struct image anc_img[NANC];
	const struct image *anc[NANC];
	struct alert_input in = {.proc = &proc,
				 .parent = &parent,
				 .rule = &meta_v1,
				 .host_name = "h"};
	struct json_object *doc;
	size_t len, i;

	ck_assert_ptr_nonnull(big);
	memset(big, 'x', LEN);
	big[LEN] = '\0';
	ck_assert_int_gt(asprintf(&cl, "dracut %s %s %s", big, big, big), 0);
	ck_assert_int_gt(asprintf(&pcl, "bash %s %s", big, big), 0);
	proc.command_line = cl;
	parent.command_line = pcl;

	/* long arguments: cut, flagged, consistent */
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_le(len, MAX_ALERT);
	free(s);
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "process.executable"), "/usr/bin/dracut");
	ck_assert_str_eq(get_str(doc, "process.parent.executable"),
			 "/usr/bin/bash");
	check_cut(doc, "process", argv);
	check_cut(doc, "process.parent", pargv);
	json_object_put(doc);

	/* the worst real paths: 4000 bytes in components of at most 255
	 * (NAME_MAX), all control characters (six bytes of JSON each), in
	 * every path of both images and of 64 ancestors: the ancestry is
	 * shortened, the paths stay whole */
	path = malloc(2 * PLEN + 1);
	ck_assert_ptr_nonnull(path);
	for (i = 0; i < PLEN; i++)
		path[i] = i % 200 == 0 ? '/' : '\001';
	path[PLEN] = '\0';
	proc.executable = parent.executable = path;
	proc.name = parent.name = strrchr(path, '/') + 1;
	proc.cwd = parent.cwd = path;
	proc.interpreter = parent.interpreter = path;
	for (i = 0; i < NANC; i++) {
		memset(&anc_img[i], 0, sizeof(anc_img[i]));
		anc_img[i].pid = (pid_t)(100 + i);
		anc_img[i].executable = path;
		anc[i] = &anc_img[i];
	}
	in.ancestry = anc;
	in.nancestry = NANC;
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_le(len, MAX_ALERT);
	free(s);
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "process.executable"), path);
	ck_assert_str_eq(get_str(doc, "process.working_directory"), path);
	ck_assert_str_eq(get_str(doc, "process.parent.executable"), path);
	ck_assert_uint_lt(
		json_object_array_length(get(doc, "audisp_dracut.ancestry")),
		NANC);
	ck_assert_ptr_null(get(doc, "audisp_dracut.truncated_fields"));
	json_object_put(doc);

	/* a relative path joined to a long cwd can be twice as long: then,
	 * as a last resort, every string is cut to 1024 bytes and listed */
	for (i = PLEN; i < 2 * PLEN; i++)
		path[i] = i % 200 == 0 ? '/' : '\001';
	path[2 * PLEN] = '\0';
	proc.name = parent.name = strrchr(path, '/') + 1;
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_le(len, MAX_ALERT);
	free(s);
	doc = build(&in);
	ck_assert_uint_eq(strlen(get_str(doc, "process.executable")), 1024);
	ck_assert_int_eq(
		strncmp(get_str(doc, "process.executable"), path, 1024), 0);
	{
		struct json_object *t =
			get(doc, "audisp_dracut.truncated_fields");
		bool seen = false;

		ck_assert_ptr_nonnull(t);
		for (i = 0; i < json_object_array_length(t); i++)
			if (!strcmp(json_object_get_string(
					    json_object_array_get_idx(t, i)),
				    "process.executable"))
				seen = true;
		ck_assert(seen);
	}
	json_object_put(doc);

	free(path);
	free(pcl);
	free(cl);
	free(big);
}
END_TEST

START_TEST(test_many_args)
{
	enum { N = 10000 };
	char **argv = calloc(N + 1, sizeof(*argv));
	struct image proc = {.pid = 1,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut"};
	struct alert_input in = {.proc = &proc, .rule = &meta_v1};
	struct json_object *doc, *args;
	size_t i, cl_len = 0;
	char *cl, *p;

	ck_assert_ptr_nonnull(argv);
	for (i = 0; i < N; i++) {
		ck_assert_int_gt(asprintf(&argv[i], "a%zu", i), 0);
		cl_len += strlen(argv[i]) + 1;
	}
	cl = p = malloc(cl_len);
	ck_assert_ptr_nonnull(cl);
	for (i = 0; i < N; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	proc.args = argv;
	proc.argc = N;
	proc.command_line = cl;

	doc = build(&in);
	args = get(doc, "process.args");
	ck_assert_uint_eq(json_object_array_length(args), N);
	for (i = 0; i < N; i++) {
		char want[16];

		snprintf(want, sizeof(want), "a%zu", i);
		ck_assert_str_eq(json_object_get_string(
					 json_object_array_get_idx(args, i)),
				 want);
	}
	ck_assert_int_eq(json_object_get_int64(get(doc, "process.args_count")),
			 N);
	ck_assert_str_eq(get_str(doc, "process.command_line"), cl);
	json_object_put(doc);
	for (i = 0; i < N; i++)
		free(argv[i]);
	free(argv);
	free(cl);
}
END_TEST

/* Random bytes in args and executable always come back exactly. */
START_TEST(test_encoding_round_trip)
{
	unsigned seed = 12345;
	int iter;

	for (iter = 0; iter < 300; iter++) {
		char exe[48], a1[48], a2[48], *argv[] = {exe, a1, a2, NULL};
		struct image proc = {.pid = 1,
				     .args = argv,
				     .argc = 3,
				     .executable = exe,
				     .name = "x"};
		struct alert_input in = {.proc = &proc};
		struct json_object *doc, *args;
		char *bufs[] = {exe, a1, a2};
		bool any_bad = false;
		size_t i, j, n;
		char *d;

		for (i = 0; i < 3; i++) {
			n = rand_r(&seed) % 40;
			for (j = 0; j < n; j++) {
				int r = rand_r(&seed) % 4;

				/* mostly the bytes that matter */
				bufs[i][j] =
					(char)(r == 0	? '\\'
					       : r == 1 ? 'x'
							: 1 + rand_r(&seed) %
									  255);
			}
			bufs[i][n] = '\0';
			any_bad |= !valid_utf8(bufs[i], n);
		}
		doc = build(&in);
		args = get(doc, "process.args");
		for (i = 0; i < 3; i++) {
			const char *v = json_object_get_string(
				json_object_array_get_idx(args, i));

			d = listed_encoded(doc, "process.args") ? decode(v)
								: strdup(v);
			ck_assert_msg(!strcmp(d, bufs[i]), "round trip %d/%zu",
				      iter, i);
			free(d);
		}
		d = listed_encoded(doc, "process.executable")
			    ? decode(get_str(doc, "process.executable"))
			    : strdup(get_str(doc, "process.executable"));
		ck_assert_str_eq(d, exe);
		free(d);
		ck_assert(listed_encoded(doc, "process.args") == any_bad);
		json_object_put(doc);
	}
}
END_TEST

/* Build in with alert_build; the caller frees the text. */
static char *build_text(const struct alert_input *in, size_t *len)
{
	char *s = alert_build(in, len);

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(*len, strlen(s));
	return s;
}

/*
 * Every allocation in turn fails: alert_build and alert_builder_build
 * return NULL, never a part of a document, and never crash; a builder
 * that failed builds the same bytes as alert_build once memory is back.
 * Both a short alert and one past the length bound (its argument lists
 * copied and cut) are tried.
 */
START_TEST(test_enomem)
{
#ifdef HAVE_FAULTS
	enum { BIG = 150000 };
	char *big = malloc(BIG + 1);
	char *pargv[] = {S("dracut"), S("--force"), S("x\xffy"), big, NULL};
	char *ppargv[] = {S("/bin/sh"), S("/tmp/\xe9.sh"), NULL};
	struct image proc = {
		.pid = 5,
		.ppid = 4,
		.sec = T_SEC,
		.serial = 3,
		.executable = S("/usr/bin/dracut"),
		.name = "dracut",
		.interpreter = S("/usr/bin/bash"),
		.cwd = S("/"),
		.key = S("a\001b"),
		.tty = S("pts0"),
		.comm = S("dracut"),
		.user_name = S("root"),
		.args = pargv,
		.argc = 3,
		.command_line = S("dracut --force x\xffy"),
	};
	struct image parent = {
		.pid = 4,
		.executable = S("/tmp/\xe9.sh"),
		.name = "\xe9.sh",
		.args = ppargv,
		.argc = 2,
		.command_line = S("/bin/sh /tmp/\xe9.sh"),
		.source = IMAGE_SRC_STREAM,
		.serial = 2,
	};
	const struct image *anc[] = {&parent, &parent};
	struct alert_input in = {
		.proc = &proc,
		.parent = &parent,
		.ancestry = anc,
		.nancestry = 2,
		.rule = &meta_v7,
		.host_name = "h\xff",
		.created_ms = 1,
	};
	struct alert_builder *ab;
	enum alert_error err;
	const char *c;
	char *want, *s, *cl;
	size_t wlen, len;
	long n, round;
	void *probe;

	/* valgrind replaces our malloc unless run with
	 * --soname-synonyms=somalloc=nouserintercepts; the call through a
	 * pointer cannot be inlined, so it sees what alert.c sees */
	fail_at = 0;
	probe = libc_malloc(1);
	fail_at = -1;
	if (probe) {
		free(probe);
		fprintf(stderr, "SKIP test_enomem: malloc is not ours\n");
		free(big);
		return;
	}
	ck_assert_ptr_nonnull(big);
	memset(big, 'b', BIG);
	big[BIG] = '\0';
	ck_assert_int_gt(asprintf(&cl, "dracut --force x\xffy %s", big), 0);
	for (round = 0; round < 2; round++) {
		if (round == 1) { /* 2 * 150000 bytes: too long, cut */
			proc.argc = 4;
			proc.command_line = cl;
		}
		want = build_text(&in, &wlen);
		for (n = 0;; n++) {
			fail_at = n;
			s = alert_build(&in, &len);
			if (fail_at >= 0) { /* no allocation failed: done */
				fail_at = -1;
				ck_assert_ptr_nonnull(s);
				ck_assert_uint_eq(len, wlen);
				ck_assert(!memcmp(s, want, wlen + 1));
				free(s);
				break;
			}
			fail_at = -1;
			ck_assert_ptr_null(s);
		}
		ck_assert_int_ge(n, round ? 6 : 3);
		for (n = 0;; n++) {
			ab = alert_builder_create();
			fail_at = n;
			err = 0;
			c = ab ? alert_builder_build_max(
					 ab, &in, ALERT_MAX_BYTES, &len, &err)
			       : NULL;
			if (fail_at >= 0) {
				fail_at = -1;
				ck_assert_ptr_nonnull(c);
				ck_assert(!memcmp(c, want, wlen + 1));
				alert_builder_free(ab);
				break;
			}
			fail_at = -1;
			ck_assert_ptr_null(c);
			if (ab) /* out of memory, not too long */
				ck_assert_int_eq(err, ALERT_ERR_NOMEM);
			if (ab) { /* memory is back: the whole document */
				c = alert_builder_build(ab, &in, &len);
				ck_assert_ptr_nonnull(c);
				ck_assert_uint_eq(len, wlen);
				ck_assert(!memcmp(c, want, wlen + 1));
			}
			alert_builder_free(ab);
		}
		ck_assert_int_ge(n, round ? 6 : 3);
		free(want);
	}
	free(cl);
	free(big);
#else
	fprintf(stderr, "SKIP test_enomem: not glibc\n");
#endif
}
END_TEST

/*
 * Every byte value in a string, as the JSON text must hold it. The
 * expected text is written from RFC 8259 section 7 and the escapes
 * json-c 0.16 chooses (json_escape_str): the two-character escapes \b \t
 * \n \f \r \" \\, \u00xx with lowercase hex for the other bytes below
 * 0x20, '/' and DEL (0x7f) as they are; and from the encoding at the top
 * of plugin/alert.c: a byte that is not part of valid UTF-8 is \xHH, which
 * JSON writes as \\xHH, and the field is listed.
 */
static const char *const ctl_json[32] = {
	NULL,	   "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005",
	"\\u0006", "\\u0007", "\\b",	 "\\t",	    "\\n",     "\\u000b",
	"\\f",	   "\\r",     "\\u000e", "\\u000f", "\\u0010", "\\u0011",
	"\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
	"\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d",
	"\\u001e", "\\u001f",
};

/* The JSON text of byte c alone in a string that is not encoded (c below
 * 0x80) or that is (any c), into buf. */
static const char *byte_json(unsigned c, bool encoded, char *buf)
{
	static const char hexd[] = "0123456789abcdef";

	if (c < 0x20)
		return ctl_json[c];
	if (c == '"')
		return "\\\"";
	if (c == '\\') /* encoded, one backslash is two, each escaped */
		return encoded ? "\\\\\\\\" : "\\\\";
	if (c < 0x80) {
		buf[0] = (char)c;
		buf[1] = '\0';
		return buf;
	}
	/* alone, 0x80-0xff is never valid UTF-8 */
	ck_assert(encoded);
	snprintf(buf, 8, "\\\\x%c%c", hexd[c >> 4], hexd[c & 0xf]);
	return buf;
}

/* The alert s holds the string arg exactly as json-c 0.16 writes it with
 * the flags the plugin used to pass it. */
static void check_as_json_c(const char *s, const char *arg)
{
	struct json_object *o = json_object_new_string(arg);
	const char *want;

	ck_assert_ptr_nonnull(o);
	want = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(strstr(s, want) != NULL, "json-c's %s not in the alert",
		      want);
	json_object_put(o);
}

START_TEST(test_escape_every_byte)
{
	char arg[8], *argv[] = {S("dracut"), arg, NULL}, want[64], b1[8];
	struct image proc = {.pid = 1,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 2};
	struct alert_input in = {.proc = &proc, .rule = &meta_v1};
	struct alert_builder *ab = alert_builder_create();
	const char *c;
	unsigned v;
	size_t len, blen;
	char *s;
	int enc;

	ck_assert_ptr_nonnull(ab);
	/* spot checks of the rules, written out */
	ck_assert_str_eq(byte_json(0x0a, false, b1), "\\n");
	ck_assert_str_eq(byte_json(0x1b, false, b1), "\\u001b");
	ck_assert_str_eq(byte_json(0x7f, false, b1), "\x7f");
	ck_assert_str_eq(byte_json(0x2f, false, b1), "/");
	ck_assert_str_eq(byte_json(0xff, true, b1), "\\\\xff");
	ck_assert_str_eq(byte_json(0x80, true, b1), "\\\\x80");

	for (enc = 0; enc < 2; enc++) {
		for (v = 1; v < 256; v++) {
			if (v >= 0x80 && !enc)
				continue;
			/* "a" c "z", after 0xfe when the field is encoded */
			snprintf(arg, sizeof(arg), "%sa%cz", enc ? "\xfe" : "",
				 (char)v);
			snprintf(want, sizeof(want),
				 "\"args\":[\"dracut\",\"%sa%sz\"]",
				 enc ? "\\\\xfe" : "", byte_json(v, enc, b1));
			s = alert_build(&in, &len);
			ck_assert_ptr_nonnull(s);
			ck_assert_msg(strstr(s, want) != NULL,
				      "byte 0x%02x: %s not in the alert", v,
				      want);
			ck_assert_msg(
				(strstr(s, "\"encoded_fields\":[\"process."
					   "args\"") != NULL) == enc,
				"byte 0x%02x: encoded_fields", v);
			c = alert_builder_build(ab, &in, &blen);
			ck_assert_ptr_nonnull(c);
			ck_assert_uint_eq(blen, len);
			ck_assert(!memcmp(c, s, len + 1));
			if (!enc) /* and as json-c itself writes it */
				check_as_json_c(s, arg);
			free(s);
		}
	}
	/* 0x00 cannot be in a C string: it ends the argument */
	memcpy(arg, "a\0z", 4);
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "\"args\":[\"dracut\",\"a\"]"));
	free(s);
	/* a valid multi-byte character beside an invalid byte stays whole,
	 * and a valid one alone needs no encoding */
	snprintf(arg, sizeof(arg), "\xc3\xa9\xc3");
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(
		strstr(s, "\"args\":[\"dracut\",\"\xc3\xa9\\\\xc3\"]"));
	free(s);
	snprintf(arg, sizeof(arg), "\xf0\x9f\x90\xa7");
	s = alert_build(&in, &len);
	ck_assert_ptr_nonnull(
		strstr(s, "\"args\":[\"dracut\",\"\xf0\x9f\x90\xa7\"]"));
	ck_assert_ptr_null(strstr(s, "encoded_fields"));
	free(s);
	alert_builder_free(ab);
}
END_TEST

/*
 * The bound is inclusive: a document of exactly ALERT_MAX_BYTES is kept
 * whole, one a little longer has its argument lists cut. The argument and
 * the command line hold it, so each byte more of it is two bytes more of
 * document.
 */
START_TEST(test_length_bound_edge)
{
	char *arg = malloc(MAX_ALERT), *cl = malloc(MAX_ALERT + 8);
	char *argv[] = {S("dracut"), arg, NULL};
	struct image proc = {.pid = 1,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 2,
			     .command_line = cl};
	struct alert_input in = {.proc = &proc,
				 .rule = &meta_v1,
				 .host_name = "h",
				 .created_ms = 1};
	struct alert_builder *ab = alert_builder_create();
	struct json_object *doc;
	size_t len0, len, k, blen;
	const char *c;
	char *s;

	ck_assert_ptr_nonnull(arg);
	ck_assert_ptr_nonnull(cl);
	ck_assert_ptr_nonnull(ab);
	strcpy(arg, "a");
	strcpy(cl, "dracut a");
	s = build_text(&in, &len0);
	free(s);
	/* the longest argument that fits: len0 + 2 * (k - 1) <= MAX */
	k = (MAX_ALERT - len0) / 2 + 1;
	memset(arg, 'a', k);
	arg[k] = '\0';
	snprintf(cl, MAX_ALERT + 8, "dracut %s", arg);
	s = build_text(&in, &len);
	ck_assert_uint_eq(len, len0 + 2 * (k - 1));
	ck_assert_uint_le(len, MAX_ALERT);
	ck_assert_uint_gt(len + 2, MAX_ALERT);
	ck_assert_ptr_nonnull(strstr(s, "\"args_truncated\":false"));
	c = alert_builder_build(ab, &in, &blen);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(blen, len);
	ck_assert(!memcmp(c, s, len + 1));
	free(s);
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "process.command_line"), cl);
	json_object_put(doc);

	/* one byte more: cut to the first budget (64 KiB of strings) */
	arg[k] = 'a';
	arg[k + 1] = '\0';
	snprintf(cl, MAX_ALERT + 8, "dracut %s", arg);
	s = build_text(&in, &len);
	ck_assert_uint_le(len, MAX_ALERT);
	ck_assert_uint_lt(len, MAX_ALERT / 2);
	c = alert_builder_build(ab, &in, &blen);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(blen, len);
	ck_assert(!memcmp(c, s, len + 1));
	free(s);
	doc = build(&in);
	check_cut(doc, "process", argv);
	json_object_put(doc);

	/* the builder's buffer, grown for that, serves a short one next */
	strcpy(arg, "a");
	strcpy(cl, "dracut a");
	c = alert_builder_build(ab, &in, &blen);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(blen, len0);
	ck_assert_uint_eq(strlen(c), len0);
	alert_builder_free(ab);
	free(arg);
	free(cl);
}
END_TEST

/*
 * A builder keeps rule.*, threat.* and host.* between alerts: a change of
 * rule or host name must show at once, and the names they encoded keep
 * their place in encoded_fields (the order in which fields are written).
 */
START_TEST(test_builder_pieces)
{
	static const char *const refs2[] = {"https://a/", "https://b/"};
	struct rule_meta meta_refs = meta_v1;
	char *argv[] = {S("dracut"), NULL};
	struct image proc = {.pid = 1,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 1,
			     .command_line = S("dracut"),
			     .user_name = S("r\xf6ot")};
	struct alert_input in = {.proc = &proc, .created_ms = 1};
	const struct rule_meta *rules[] = {&meta_v1, &meta_v7, NULL, &meta_refs,
					   &meta_v1};
	const char *hosts[] = {"h", NULL, "h\xff", "h", "\"\\"};
	struct alert_builder *ab = alert_builder_create();
	size_t i, j, len, blen;
	const char *c;
	char *s;

	ck_assert_ptr_nonnull(ab);
	meta_refs.references = refs2;
	meta_refs.nreferences = 2;
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		for (j = 0; j < ARRAY_SIZE(hosts); j++) {
			in.rule = rules[i];
			in.host_name = hosts[j];
			s = build_text(&in, &len);
			c = alert_builder_build(ab, &in, &blen);
			ck_assert_ptr_nonnull(c);
			ck_assert_uint_eq(blen, len);
			ck_assert_msg(!memcmp(c, s, len + 1),
				      "rule %zu host %zu", i, j);
			free(s);
			json_object_put(build(&in));
		}
	}

	/* the names in the order of their fields: event.reason (it holds
	 * the user name), process.user.name, user.name, host.name */
	in.rule = &meta_v1;
	in.host_name = "h\xff";
	c = alert_builder_build(ab, &in, &blen);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(strstr(
		c, "\"encoded_fields\":[\"event.reason\",\"process.user.name\","
		   "\"user.name\",\"host.name\"]}}"));
	ck_assert_ptr_nonnull(strstr(c, "\"host\":{\"name\":\"h\\\\xff\","
					"\"os\":{\"type\":\"linux\"}}"));

	/* several references: audisp_dracut opens right after rule, where
	 * its first member (rule.references) was added, and keeps the
	 * members added later */
	in.rule = &meta_refs;
	in.host_name = "h";
	c = alert_builder_build(ab, &in, &blen);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(strstr(
		c, "\"reference\":\"https://a/\"},\"audisp_dracut\":{"
		   "\"rule\":{\"references\":[\"https://a/\",\"https://b/\"]},"
		   "\"process\":{\"args_truncated\":false},"
		   "\"encoded_fields\":[\"event.reason\",\"process.user.name\","
		   "\"user.name\"]},\"threat\":{"));
	ck_assert_str_eq(c + blen - 2, "}}");
	alert_builder_free(ab);
	alert_builder_free(NULL);
	ck_assert_ptr_null(alert_builder_build(NULL, &in, &len));
}
END_TEST

/*
 * A collector's alert for a sender: host.* names the sender, observer.*
 * the collector, written right after host; the builder makes the part
 * again whenever either name changes (hosts alternating, an observer
 * coming and going), byte for byte as alert_build writes it.
 */
START_TEST(test_observer)
{
	char *argv[] = {S("dracut"), NULL};
	struct image proc = {.pid = 1,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 1,
			     .command_line = S("dracut")};
	struct alert_input in = {.proc = &proc, .rule = &meta_v1};
	static const struct {
		const char *host, *observer, *want;
	} cases[] = {
		{"web1", "coll",
		 "\"host\":{\"name\":\"web1\",\"os\":{\"type\":"
		 "\"linux\"}},\"observer\":{\"hostname\":\"coll\"},"
		 "\"tags\""},
		{"web2", "coll",
		 "\"host\":{\"name\":\"web2\",\"os\":{\"type\":"
		 "\"linux\"}},\"observer\":{\"hostname\":\"coll\"},"},
		{"web2", NULL,
		 "\"host\":{\"name\":\"web2\",\"os\":{\"type\":"
		 "\"linux\"}},\"tags\""},
		{"web2", "coll2", "\"observer\":{\"hostname\":\"coll2\"}"},
		{NULL, "coll",
		 "\"host\":{\"os\":{\"type\":\"linux\"}},"
		 "\"observer\":{\"hostname\":\"coll\"}"},
		{"web1", "c\xff", "\"observer\":{\"hostname\":\"c\\\\xff\"}"},
	};
	size_t i;

	proc.key = S("audisp-dracut");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *c;
		size_t len;

		in.host_name = cases[i].host;
		in.observer_name = cases[i].observer;
		/* checked, and the builder's bytes are alert_build's */
		json_object_put(build(&in));
		c = alert_builder_build(shared_ab, &in, &len);
		ck_assert_msg(strstr(c, cases[i].want) != NULL,
			      "case %zu: no %s in %s", i, cases[i].want, c);
	}
	/* the encoded observer name is listed */
	ck_assert_ptr_nonnull(strstr(alert_builder_build(shared_ab, &in, NULL),
				     "\"observer.hostname\"]"));
}
END_TEST

/*
 * Elastic's External Alerts rule (rule_id eb079c62-4481-4d6e-9643-
 * 3ca499df7aaa) promotes every document with event.kind alert: it names
 * the alert from message, takes its risk from event.risk_score and its
 * severity from event.severity, 21, 47, 73 and 99 standing for low,
 * medium, high and critical. So message is the rule's name and the
 * sentence is in event.reason; event.severity follows the rule's severity
 * even where its risk score differs.
 */
static const struct {
	const char *severity;
	int risk_score, want_severity;
} promotion_cases[] = {
	{"low", 21, 21},	{"medium", 47, 47}, {"high", 73, 73},
	{"critical", 99, 99},	{"high", 50, 73},   {"low", 5, 21},
	{"unheard-of", 33, 33},
};

START_TEST(test_elastic_promotion)
{
	struct rule_meta meta = meta_v1;
	char *argv[] = {S("dracut"), S("-f"), NULL};
	char *pargv[] = {S("bash"), NULL};
	struct image proc = {.pid = 7,
			     .ppid = 6,
			     .sec = T_SEC,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .args = argv,
			     .argc = 2,
			     .command_line = S("dracut -f"),
			     .user_name = S("root")};
	struct image parent = {.pid = 6,
			       .executable = S("/usr/bin/bash"),
			       .name = "bash",
			       .args = pargv,
			       .argc = 1,
			       .command_line = S("bash"),
			       .source = IMAGE_SRC_STREAM};
	struct alert_input in = {.proc = &proc,
				 .parent = &parent,
				 .rule = &meta,
				 .host_name = "web1",
				 .created_ms = 1};
	struct json_object *doc;
	char want[256];

	meta.severity = promotion_cases[_i].severity;
	meta.risk_score = promotion_cases[_i].risk_score;
	doc = build(&in);
	ck_assert_str_eq(get_str(doc, "event.kind"), "alert");
	ck_assert_str_eq(get_str(doc, "message"), "Manual Dracut Execution");
	ck_assert_str_eq(get_str(doc, "rule.name"), "Manual Dracut Execution");
	snprintf(want, sizeof(want),
		 "process event with process dracut, parent process bash, by "
		 "root on web1 created %s alert Manual Dracut Execution.",
		 promotion_cases[_i].severity);
	ck_assert_str_eq(get_str(doc, "event.reason"), want);
	ck_assert_int_eq(json_object_get_int64(get(doc, "event.severity")),
			 promotion_cases[_i].want_severity);
	ck_assert_int_eq(json_object_get_int64(get(doc, "event.risk_score")),
			 promotion_cases[_i].risk_score);
	json_object_put(doc);
}
END_TEST

/* Take the members at paths out of doc. */
static void drop(struct json_object *doc, const char *const *paths, size_t n)
{
	char buf[128], *dot;
	struct json_object *o;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", paths[i]);
		dot = strrchr(buf, '.');
		ck_assert_ptr_nonnull(dot);
		*dot = '\0';
		o = get(doc, buf);
		ck_assert_msg(o != NULL, "%s missing", buf);
		json_object_object_del(o, dot + 1);
	}
}

/* rsyslogd's default maxMessageSize is 8 KiB, its header included. */
#define SYSLOG_FIT 8000
#define NARGS 300

/*
 * A dracut run with a few hundred arguments, asked for within 8,000 bytes
 * (what the syslog output sends rsyslogd): the document is valid JSON, its
 * arguments are cut (a prefix of the real ones, flagged, with args_count
 * and command_line following), and every other field is what the whole
 * alert says. Asked for less than any alert can hold, there is none.
 */
START_TEST(test_fit_syslog)
{
	static const char *const cut_paths[] = {
		"process.args",
		"process.args_count",
		"process.command_line",
		"audisp_dracut.process.args_truncated",
	};
	char *argv[NARGS + 1], *cl, *p;
	char *pargv[] = {S("/bin/bash"), S("/root/rebuild.sh"), NULL};
	struct image proc = {.pid = 300,
			     .ppid = 299,
			     .sec = T_SEC,
			     .serial = 77,
			     .executable = S("/usr/bin/dracut"),
			     .name = "dracut",
			     .cwd = S("/root"),
			     .user_name = S("root"),
			     .key = S("audisp-dracut"),
			     .argc = NARGS};
	struct image parent = {.pid = 299,
			       .executable = S("/root/rebuild.sh"),
			       .name = "rebuild.sh",
			       .interpreter = S("/usr/bin/bash"),
			       .args = pargv,
			       .argc = 2,
			       .command_line = S("/bin/bash /root/rebuild.sh"),
			       .source = IMAGE_SRC_STREAM,
			       .serial = 70};
	const struct image *anc[] = {&parent, &parent};
	struct alert_input in = {.proc = &proc,
				 .parent = &parent,
				 .ancestry = anc,
				 .nancestry = 2,
				 .rule = &meta_v1,
				 .host_name = "build01",
				 .created_ms = 1};
	struct alert_builder *ab = alert_builder_create();
	struct json_object *whole, *fit;
	enum alert_error err = 0;
	size_t i, len, wlen, n;
	const char *c;

	ck_assert_ptr_nonnull(ab);
	cl = p = malloc(NARGS * 32);
	ck_assert_ptr_nonnull(cl);
	argv[0] = S("dracut");
	p += sprintf(p, "dracut");
	for (i = 1; i < NARGS; i++) {
		ck_assert_int_gt(
			asprintf(&argv[i], "--add-drivers=mod%03zu", i), 0);
		p += sprintf(p, " %s", argv[i]);
	}
	argv[NARGS] = NULL;
	proc.args = argv;
	proc.command_line = cl;

	/* the whole alert is longer than syslog takes */
	c = alert_builder_build(ab, &in, &wlen);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_gt(wlen, SYSLOG_FIT);
	whole = parse_strict(c, wlen);
	ck_assert_uint_eq(json_object_array_length(get(whole, "process.args")),
			  NARGS);

	c = alert_builder_build_max(ab, &in, SYSLOG_FIT, &len, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_le(len, SYSLOG_FIT);
	ck_assert_uint_eq(strlen(c), len);
	fit = checked(c, len);
	check_cut(fit, "process", argv);
	n = json_object_array_length(get(fit, "process.args"));
	ck_assert_uint_gt(n, 1);
	ck_assert_uint_lt(n, NARGS);
	/* the rest is whole: the parent's arguments too (they fit) */
	drop(whole, cut_paths, ARRAY_SIZE(cut_paths));
	drop(fit, cut_paths, ARRAY_SIZE(cut_paths));
	ck_assert_msg(diff(whole, fit, "fit") == 0,
		      "fields other than the arguments differ (see stderr)");
	ck_assert_ptr_null(get(fit, "audisp_dracut.truncated_fields"));
	json_object_put(whole);
	json_object_put(fit);

	/* no alert fits 600 bytes: none, and the reason */
	ck_assert_ptr_null(alert_builder_build_max(ab, &in, 600, &len, &err));
	ck_assert_int_eq(err, ALERT_ERR_TOO_LONG);
	/* the builder is whole afterwards */
	c = alert_builder_build(ab, &in, &len);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(len, wlen);

	for (i = 1; i < NARGS; i++)
		free(argv[i]);
	free(cl);
	alert_builder_free(ab);
}
END_TEST

/* The field check itself, and ecs.version against the list's version. */
START_TEST(test_ecs_list)
{
	struct image proc = {.pid = 1};
	struct alert_input in = {.proc = &proc};
	struct json_object *doc, *bad;
	char want[64], *dot;
	int errors = 0;

	if (!ecs_load()) {
		fprintf(stderr, "SKIP test_ecs_list: %s not found\n", ECS_CSV);
		return;
	}
	/* the checker catches what it must */
	bad = json_tokener_parse(
		"{\"process\":{\"pid\":\"1\",\"args\":\"x\",\"bogus\":1},"
		"\"event\":{\"created\":\"yesterday\"},"
		"\"rule\":{\"author\":[\"a\"],\"version\":1,\"name\":[\"n\"]},"
		"\"auditd\":{\"anything\":[{}]}}");
	ck_assert_ptr_nonnull(bad);
	ecs_walk(bad, NULL, &errors);
	/* pid type, args not an array, bogus, created, version, name */
	ck_assert_int_eq(errors, 6);
	json_object_put(bad);

	doc = build(&in);
	snprintf(want, sizeof(want), "%s", ecs_version);
	dot = strchr(want, '.');
	ck_assert_ptr_nonnull(dot);
	dot = strchr(dot + 1, '.');
	ck_assert_ptr_nonnull(dot);
	ck_assert_msg(!strncmp(get_str(doc, "ecs.version"), want,
			       (size_t)(dot - want + 1)),
		      "ecs.version %s, fields.csv is %s",
		      get_str(doc, "ecs.version"), ecs_version);
	json_object_put(doc);
}
END_TEST

static Suite *alert_suite(void)
{
	Suite *s = suite_create("alert");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_golden_script_parent);
	tcase_add_test(tc, test_golden_missing_parent_args);
	tcase_add_test(tc, test_golden_non_utf8);
	tcase_add_test(tc, test_golden_control_chars);
	tcase_add_test(tc, test_no_parent);
	tcase_add_test(tc, test_threat_versions);
	tcase_add_test(tc, test_timestamps);
	tcase_add_test(tc, test_long_argument);
	tcase_add_test(tc, test_many_args);
	tcase_add_test(tc, test_too_long_for_syslog);
	tcase_add_test(tc, test_encoding_round_trip);
	tcase_add_test(tc, test_ecs_list);
	tcase_add_test(tc, test_enomem);
	tcase_add_test(tc, test_escape_every_byte);
	tcase_add_test(tc, test_length_bound_edge);
	tcase_add_test(tc, test_builder_pieces);
	tcase_add_test(tc, test_observer);
	tcase_add_test(tc, test_fit_syslog);
	tcase_add_loop_test(tc, test_elastic_promotion, 0,
			    ARRAY_SIZE(promotion_cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(alert_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	alert_builder_free(shared_ab);
	while (necs--) {
		free(ecs[necs].name);
		free(ecs[necs].type);
	}
	free(ecs);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
