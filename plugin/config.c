/* config.c - parse and check /etc/audit/audisp-dracut.conf as a whole */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "node.h"
#include "rule.h"
#include "util.h"

#define DEFAULT_FILE_PATH "/var/log/audisp-dracut/alerts.json"
#define DEFAULT_IDENT "audisp-dracut"
#define DEFAULT_STATE_FILE "/run/audisp-dracut/state"
#define IDENT_MAX 64
#define ERRLEN 256
/* The optional prefix of facility and priority names, as in C. */
#define LOG_PREFIX "LOG_"
/* -o's forms beyond the output names: stdout, and the file at a path. */
#define SPEC_STDOUT "-"
#define SPEC_FILE "file:"

/* syslog_max_message: rsyslog's default maxMessageSize (8096 bytes, which
 * its documentation calls 8k); the least that RFC 5424 has every receiver
 * take; and 256 KiB, more than the longest alert with any header. */
#define SYSLOG_MESSAGE_DEFAULT 8096
#define SYSLOG_MESSAGE_MIN 2048
#define SYSLOG_MESSAGE_MAX 262144

/* The name of each output: the output key's words, -o's, the report's. */
static const char *const output_names[OUT_TYPES] = {
	[OUT_SYSLOG] = "syslog",
	[OUT_FILE] = "file",
	[OUT_STDOUT] = "stdout",
};

struct name_value {
	const char *name;
	int value;
};

/* One keyword: its name, its parser and, for numbers, booleans and names,
 * the field it sets, its range and its default. */
struct keyword {
	const char *name;
	int (*parse)(const struct keyword *kw, const char *value,
		     struct config *cfg, char *err, size_t errlen);
	size_t offset; /* of the field in struct config */
	size_t size;   /* of that field: unsigned or size_t for numbers */
	unsigned long long min, max;
	bool zero_ok;		 /* for numbers: 0 is allowed below min */
	bool repeat;		 /* may appear more than once */
	unsigned long long dflt; /* the default of a number, bool or name */
	const struct name_value *names; /* the names a name key takes */
	const char *what;		/* what those names are */
};

static const struct name_value facilities[] = {
	{"auth", LOG_AUTH},	{"authpriv", LOG_AUTHPRIV},
	{"cron", LOG_CRON},	{"daemon", LOG_DAEMON},
	{"ftp", LOG_FTP},	{"lpr", LOG_LPR},
	{"mail", LOG_MAIL},	{"news", LOG_NEWS},
	{"syslog", LOG_SYSLOG}, {"user", LOG_USER},
	{"uucp", LOG_UUCP},	{"local0", LOG_LOCAL0},
	{"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
	{"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},
	{"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
	{"local7", LOG_LOCAL7}, {NULL, 0},
};

static const struct name_value priorities[] = {
	{"emerg", LOG_EMERG},
	{"alert", LOG_ALERT},
	{"crit", LOG_CRIT},
	{"err", LOG_ERR},
	{"error", LOG_ERR},
	{"warning", LOG_WARNING},
	{"warn", LOG_WARNING},
	{"notice", LOG_NOTICE},
	{"info", LOG_INFO},
	{"debug", LOG_DEBUG},
	{NULL, 0},
};

/* Look name up in table, case-insensitively, with an optional "LOG_". */
static int lookup_name(const struct name_value *table, const char *name,
		       int *out)
{
	if (strncasecmp(name, LOG_PREFIX, strlen(LOG_PREFIX)) == 0)
		name += strlen(LOG_PREFIX);
	for (; table->name != NULL; table++) {
		if (strcasecmp(table->name, name) == 0) {
			*out = table->value;
			return 0;
		}
	}
	return -1;
}

static void list_names(const struct name_value *table, char *buf, size_t buflen)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; table->name != NULL && used < buflen; table++) {
		int n = snprintf(buf + used, buflen - used, "%s%s",
				 used ? ", " : "", table->name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Store n in kw's field; kw->max keeps every value within its type. */
static void set_number(const struct keyword *kw, struct config *cfg,
		       unsigned long long n)
{
	char *field = (char *)cfg + kw->offset;

	if (kw->size == sizeof(size_t))
		*(size_t *)(void *)field = (size_t)n;
	else
		*(unsigned *)(void *)field = (unsigned)n;
}

static int parse_number(const struct keyword *kw, const char *value,
			struct config *cfg, char *err, size_t errlen)
{
	unsigned long long n;

	if (parse_ull(value, 10, &n) < 0) {
		snprintf(err, errlen, "%s: '%s' is not a decimal number",
			 kw->name, value);
		return -1;
	}
	if ((n < kw->min && !(n == 0 && kw->zero_ok)) || n > kw->max) {
		snprintf(err, errlen, "%s: %llu is out of range (%s%llu-%llu)",
			 kw->name, n, kw->zero_ok ? "0 or " : "", kw->min,
			 kw->max);
		return -1;
	}
	set_number(kw, cfg, n);
	return 0;
}

static int parse_bool(const struct keyword *kw, const char *value,
		      struct config *cfg, char *err, size_t errlen)
{
	bool *field = (bool *)((char *)cfg + kw->offset);

	if (strcasecmp(value, "yes") == 0) {
		*field = true;
	} else if (strcasecmp(value, "no") == 0) {
		*field = false;
	} else {
		snprintf(err, errlen, "%s: '%s' is not yes or no", kw->name,
			 value);
		return -1;
	}
	return 0;
}

/* Replace the string *field with a copy of value. Returns 0, or -1 with
 * err set. */
static int set_string(const struct keyword *kw, char **field, const char *value,
		      char *err, size_t errlen)
{
	char *copy = strdup(value);

	if (copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", kw->name);
		return -1;
	}
	free(*field);
	*field = copy;
	return 0;
}

/* An absolute path without control characters. */
static int check_path(const char *name, const char *value, char *err,
		      size_t errlen)
{
	const char *p;

	if (value[0] != '/') {
		snprintf(err, errlen, "%s: '%s' is not an absolute path", name,
			 value);
		return -1;
	}
	if (value[1] == '\0' || value[strlen(value) - 1] == '/') {
		snprintf(err, errlen, "%s: '%s' names a directory", name,
			 value);
		return -1;
	}
	for (p = value; *p != '\0'; p++) {
		if (iscntrl((unsigned char)*p)) {
			snprintf(err, errlen, "%s: control character in path",
				 name);
			return -1;
		}
	}
	if (strlen(value) >= PATH_MAX) {
		snprintf(err, errlen, "%s: path too long", name);
		return -1;
	}
	return 0;
}

const char *output_name(enum output_type t)
{
	return (unsigned)t < OUT_TYPES ? output_names[t] : NULL;
}

/* "a, b or c": the output names, with -o's forms when spec is true. */
static void list_outputs(bool spec, char *buf, size_t buflen)
{
	const char *words[OUT_TYPES + 2];
	size_t i, n = 0, used = 0;

	if (spec)
		words[n++] = SPEC_STDOUT;
	for (i = 0; i < OUT_TYPES; i++)
		words[n++] = output_names[i];
	if (spec)
		words[n++] = SPEC_FILE "PATH";
	buf[0] = '\0';
	for (i = 0; i < n && used < buflen; i++) {
		const char *sep = i + 1 < n ? ", " : " or ";
		int k = snprintf(buf + used, buflen - used, "%s%s",
				 i == 0 ? "" : sep, words[i]);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/* What the output key and -o name: output bits, and -o's file:PATH. */
struct output_list {
	unsigned bits;
	char *path; /* a copy of PATH, or NULL */
};

/* -o's file:PATH (n bytes at word) into l. Returns 0 or -1 (err set). */
static int parse_spec_file(const char *word, size_t n, struct output_list *l,
			   char *err, size_t errlen)
{
	char *path = strndup(word + strlen(SPEC_FILE), n - strlen(SPEC_FILE));

	if (path == NULL) {
		snprintf(err, errlen, "-o: out of memory");
		return -1;
	}
	if (check_path("-o file", path, err, errlen) < 0) {
		free(path);
		return -1;
	}
	free(l->path);
	l->path = path;
	l->bits |= OUT_BIT(OUT_FILE);
	return 0;
}

/* One word (n bytes at word) of an output list into l; spec: -o's forms
 * too. what names the list in errors. Returns 0 or -1 (err set). */
static int parse_output_word(const char *word, size_t n, bool spec,
			     struct output_list *l, const char *what, char *err,
			     size_t errlen)
{
	char names[ERRLEN];
	size_t t;

	for (t = 0; t < OUT_TYPES; t++) {
		if (strlen(output_names[t]) == n &&
		    strncmp(word, output_names[t], n) == 0) {
			l->bits |= OUT_BIT(t);
			return 0;
		}
	}
	if (spec && n == strlen(SPEC_STDOUT) &&
	    strncmp(word, SPEC_STDOUT, n) == 0) {
		l->bits |= OUT_BIT(OUT_STDOUT);
		return 0;
	}
	if (spec && n >= strlen(SPEC_FILE) &&
	    strncmp(word, SPEC_FILE, strlen(SPEC_FILE)) == 0)
		return parse_spec_file(word, n, l, err, errlen);
	list_outputs(spec, names, sizeof(names));
	snprintf(err, errlen, "%s: '%.*s' is not %s", what, (int)n, word,
		 names);
	return -1;
}

/*
 * The one parser of output lists, for the output key and for -o (spec):
 * words separated by commas, blanks around them ignored. Returns 0 with l
 * filled (l->path to free), or -1 with err set and nothing to free.
 */
static int parse_outputs(const char *value, bool spec, struct output_list *l,
			 const char *what, char *err, size_t errlen)
{
	const char *p = value;

	l->bits = 0;
	l->path = NULL;
	for (;;) {
		size_t n = strcspn(p, ",");
		const char *word = p;

		while (n > 0 && isspace((unsigned char)*word)) {
			word++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)word[n - 1]))
			n--;
		if (parse_output_word(word, n, spec, l, what, err, errlen) <
		    0) {
			free(l->path);
			l->path = NULL;
			return -1;
		}
		p += strcspn(p, ",");
		if (*p == '\0')
			return 0;
		p++; /* the comma */
	}
}

static int parse_output(const struct keyword *kw, const char *value,
			struct config *cfg, char *err, size_t errlen)
{
	struct output_list l;

	if (parse_outputs(value, false, &l, kw->name, err, errlen) < 0)
		return -1;
	cfg->outputs = l.bits;
	return 0;
}

static int parse_output_file(const struct keyword *kw, const char *value,
			     struct config *cfg, char *err, size_t errlen)
{
	if (check_path(kw->name, value, err, errlen) < 0)
		return -1;
	return set_string(kw, &cfg->file_path, value, err, errlen);
}

static int parse_ident(const struct keyword *kw, const char *value,
		       struct config *cfg, char *err, size_t errlen)
{
	const char *p;

	if (strlen(value) > IDENT_MAX) {
		snprintf(err, errlen, "%s: longer than %d characters", kw->name,
			 IDENT_MAX);
		return -1;
	}
	for (p = value; *p != '\0'; p++) {
		if (!isgraph((unsigned char)*p) || *p == ':' || *p == '[') {
			snprintf(err, errlen,
				 "%s: '%s' may hold only printable characters "
				 "other than ':' and '['",
				 kw->name, value);
			return -1;
		}
	}
	return set_string(kw, &cfg->syslog_ident, value, err, errlen);
}

/* A key whose value is one of kw->names (syslog_facility, _priority). */
static int parse_name(const struct keyword *kw, const char *value,
		      struct config *cfg, char *err, size_t errlen)
{
	int *field = (int *)(void *)((char *)cfg + kw->offset);
	char names[ERRLEN];

	if (lookup_name(kw->names, value, field) == 0)
		return 0;
	list_names(kw->names, names, sizeof(names));
	snprintf(err, errlen, "%s: unknown %s '%s' (use one of: %s)", kw->name,
		 kw->what, value, names);
	return -1;
}

static int parse_rule_version(const struct keyword *kw, const char *value,
			      struct config *cfg, char *err, size_t errlen)
{
	unsigned long long n;

	if (parse_ull(value, 10, &n) < 0 || n > INT_MAX ||
	    !rule_version_known((int)n)) {
		snprintf(err, errlen,
			 "%s: '%s' is not a known rule version (known: %s)",
			 kw->name, value, rule_versions_text());
		return -1;
	}
	cfg->rule_version = (int)n;
	return 0;
}

static int parse_exception(const struct keyword *kw, const char *value,
			   struct config *cfg, char *err, size_t errlen)
{
	struct rule_exception exc, *grown;
	char why[ERRLEN];

	memset(&exc, 0, sizeof(exc));
	why[0] = '\0';
	if (rule_exception_parse(value, &exc, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", kw->name,
			 why[0] ? why : "invalid");
		rule_exception_clear(&exc);
		return -1;
	}
	grown = realloc(cfg->exceptions,
			(cfg->nexceptions + 1) * sizeof(*grown));
	if (grown == NULL) {
		rule_exception_clear(&exc);
		snprintf(err, errlen, "%s: out of memory", kw->name);
		return -1;
	}
	cfg->exceptions = grown;
	cfg->exceptions[cfg->nexceptions++] = exc;
	return 0;
}

/* A node name as records carry it after node=: 1 to NODE_NAME_MAX bytes,
 * none a blank or a control character. */
static int parse_local_node(const struct keyword *kw, const char *value,
			    struct config *cfg, char *err, size_t errlen)
{
	const char *p;

	if (strlen(value) > NODE_NAME_MAX) {
		snprintf(err, errlen, "%s: longer than %d bytes", kw->name,
			 NODE_NAME_MAX);
		return -1;
	}
	for (p = value; *p != '\0'; p++) {
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
			snprintf(err, errlen,
				 "%s: '%s' holds a blank or a control "
				 "character, which no node name does",
				 kw->name, value);
			return -1;
		}
	}
	return set_string(kw, &cfg->local_node, value, err, errlen);
}

static int parse_state_file(const struct keyword *kw, const char *value,
			    struct config *cfg, char *err, size_t errlen)
{
	if (strcmp(value, "syslog") != 0 &&
	    check_path(kw->name, value, err, errlen) < 0)
		return -1;
	return set_string(kw, &cfg->state_file, value, err, errlen);
}

/* clang-format off */
#define FIELD(f) .offset = offsetof(struct config, f), \
	.size = sizeof(((struct config *)0)->f)
#define KW(kw, fn) {.name = kw, .parse = fn}
#define KW_BOOL(kw, f, dflt_) \
	{.name = kw, .parse = parse_bool, FIELD(f), .dflt = dflt_}
#define KW_NAME(kw, f, table, what_, dflt_) \
	{.name = kw, .parse = parse_name, FIELD(f), .names = table, \
	 .what = what_, .dflt = dflt_}
#define KW_NUM(kw, f, min_, max_, zero_ok_, dflt_) \
	{.name = kw, .parse = parse_number, FIELD(f), .min = min_, \
	 .max = max_, .zero_ok = zero_ok_, .dflt = dflt_}

/* The one keyword table, with each key's range and default, as
 * audisp-dracut.conf(5) documents them. */
static const struct keyword keywords[] = {
	KW("output", parse_output),
	KW("output_file", parse_output_file),
	KW("syslog_ident", parse_ident),
	KW_NAME("syslog_facility", syslog_facility, facilities, "facility",
		LOG_AUTHPRIV),
	KW_NAME("syslog_priority", syslog_priority, priorities, "priority",
		LOG_WARNING),
	KW_BOOL("syslog_cee", syslog_cee, false),
	KW_NUM("syslog_max_message", syslog_max_message, SYSLOG_MESSAGE_MIN,
	       SYSLOG_MESSAGE_MAX, true, SYSLOG_MESSAGE_DEFAULT),
	KW("rule_version", parse_rule_version),
	{.name = "exception", .parse = parse_exception, .repeat = true},
	KW_NUM("table_max_entries", table_max_entries, 64, 4194304, false,
	       4096),
	KW_NUM("table_max_image_bytes", table_max_image_bytes, 256, 1048576,
	       true, 4096),
	KW_BOOL("proc_fallback", proc_fallback, true),
	KW_NUM("ancestry_depth", ancestry_depth, 0, 64, false, 8),
	KW_NUM("node_max", node_max, 1, NODE_MAX_LIMIT, false,
	       NODE_MAX_DEFAULT),
	KW("local_node", parse_local_node),
	KW_NUM("rate_limit_alerts", rate_limit_alerts, 0, 1000000, false, 100),
	KW_NUM("rate_limit_interval", rate_limit_interval, 1, 86400, false,
	       300),
	KW_NUM("queue_max", queue_max, 0, 100000, false, 1000),
	KW_NUM("retry_interval", retry_interval, 1, 3600, false, 5),
	KW("state_file", parse_state_file),
};
/* clang-format on */

#define NKEYWORDS ARRAY_SIZE(keywords)

/* Set kw's field to its default, for the keys that have one in the
 * table (numbers, booleans, names). */
static void set_default(const struct keyword *kw, struct config *cfg)
{
	char *field = (char *)cfg + kw->offset;

	if (kw->parse == parse_number)
		set_number(kw, cfg, kw->dflt);
	else if (kw->parse == parse_bool)
		*(bool *)(void *)field = kw->dflt != 0;
	else if (kw->parse == parse_name)
		*(int *)(void *)field = (int)kw->dflt;
}

int config_defaults(struct config *cfg)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NKEYWORDS; i++)
		set_default(&keywords[i], cfg);
	cfg->outputs = OUT_BIT(OUT_SYSLOG);
	cfg->rule_version = RULE_VERSION_DEFAULT;
	cfg->file_path = strdup(DEFAULT_FILE_PATH);
	cfg->syslog_ident = strdup(DEFAULT_IDENT);
	cfg->state_file = strdup(DEFAULT_STATE_FILE);
	if (cfg->file_path == NULL || cfg->syslog_ident == NULL ||
	    cfg->state_file == NULL) {
		config_clear(cfg);
		return -1;
	}
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static const struct keyword *find_keyword(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYWORDS; i++)
		if (strcmp(keywords[i].name, name) == 0)
			return &keywords[i];
	return NULL;
}

/*
 * Open path for reading and check who may change it: a regular file owned
 * by root (or by the user running us, so that tests work unprivileged) and
 * not writable by group or others. Returns the stream, or NULL with
 * *missing set when the file does not exist (nothing logged) or the reason
 * logged.
 */
static FILE *open_checked(const char *path, bool *missing)
{
	struct stat st;
	FILE *fp;
	int fd;

	*missing = false;
	/* O_NONBLOCK: a FIFO or a device must not stall us before fstat
	 * refuses it; reads of a regular file are not affected */
	fd = open(path,
		  O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT) {
			*missing = true;
		} else if (errno == ELOOP) {
			log_err("%s: is a symbolic link; refusing it", path);
		} else {
			log_err("%s: cannot open: %s", path, strerror(errno));
		}
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		log_err("%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		log_err("%s: not a regular file; refusing it", path);
		close(fd);
		return NULL;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		log_err("%s: owned by uid %u, not root; refusing it", path,
			(unsigned)st.st_uid);
		close(fd);
		return NULL;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		log_err("%s: writable by %s (mode %04o); refusing it", path,
			(st.st_mode & S_IWGRP) ? "its group" : "others",
			(unsigned)(st.st_mode & 07777));
		close(fd);
		return NULL;
	}
	fp = fdopen(fd, "r");
	if (fp == NULL) {
		log_err("%s: %s", path, strerror(errno));
		close(fd);
	}
	return fp;
}

/* Parse the lines of fp into cfg; returns how many errors were logged. */
static unsigned parse_lines(FILE *fp, const char *path, struct config *cfg)
{
	unsigned seen[NKEYWORDS] = {0}; /* line of the first setting */
	unsigned errors = 0, lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, fp)) >= 0) {
		char err[ERRLEN + 128];
		const struct keyword *kw;
		char *s, *eq, *key, *value;
		size_t idx;

		lineno++;
		if ((size_t)len != strlen(line)) {
			log_err("%s:%u: NUL byte in line", path, lineno);
			errors++;
			continue;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			log_err("%s:%u: missing '=' (expected key = value)",
				path, lineno);
			errors++;
			continue;
		}
		*eq = '\0';
		key = trim(s);
		value = trim(eq + 1);
		if (*key == '\0') {
			log_err("%s:%u: missing key before '='", path, lineno);
			errors++;
			continue;
		}
		kw = find_keyword(key);
		if (kw == NULL) {
			log_err("%s:%u: unknown key '%s'", path, lineno, key);
			errors++;
			continue;
		}
		if (*value == '\0') {
			log_err("%s:%u: %s: missing value", path, lineno, key);
			errors++;
			continue;
		}
		idx = (size_t)(kw - keywords);
		if (seen[idx] && !kw->repeat) {
			log_err("%s:%u: %s: already set on line %u", path,
				lineno, key, seen[idx]);
			errors++;
			continue;
		}
		if (!seen[idx])
			seen[idx] = lineno;
		err[0] = '\0';
		if (kw->parse(kw, value, cfg, err, sizeof(err)) < 0) {
			log_err("%s:%u: %s", path, lineno, err);
			errors++;
		} else if (kw->parse == parse_exception) {
			cfg->exceptions[cfg->nexceptions - 1].line = lineno;
		}
	}
	if (ferror(fp)) {
		log_err("%s: read error: %s", path, strerror(errno));
		errors++;
	}
	free(line);
	return errors;
}

int config_load(const char *path, bool must_exist, struct config *cfg)
{
	unsigned errors;
	bool missing;
	FILE *fp;

	if (config_defaults(cfg) < 0) {
		log_err("%s: out of memory", path);
		return -1;
	}
	fp = open_checked(path, &missing);
	if (fp == NULL) {
		if (missing && !must_exist)
			return 0;
		if (missing)
			log_err("%s: no such file", path);
		config_clear(cfg);
		return -1;
	}
	errors = parse_lines(fp, path, cfg);
	fclose(fp);
	if (errors > 0) {
		log_err("%s: %u error%s; configuration not used", path, errors,
			errors == 1 ? "" : "s");
		config_clear(cfg);
		return -1;
	}
	return 0;
}

int config_set_output(struct config *cfg, const char *spec)
{
	char err[ERRLEN + 128];
	struct output_list l;

	if (parse_outputs(spec, true, &l, "-o", err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	if (l.path != NULL) {
		free(cfg->file_path);
		cfg->file_path = l.path;
	}
	cfg->outputs = l.bits;
	return 0;
}

void config_clear(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->file_path);
	free(cfg->syslog_ident);
	free(cfg->state_file);
	free(cfg->local_node);
	for (i = 0; i < cfg->nexceptions; i++)
		rule_exception_clear(&cfg->exceptions[i]);
	free(cfg->exceptions);
	memset(cfg, 0, sizeof(*cfg));
}
