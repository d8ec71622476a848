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
#include "rule.h"

#define DEFAULT_FILE_PATH "/var/log/audisp-dracut/alerts.json"
#define DEFAULT_IDENT "audisp-dracut"
#define DEFAULT_STATE_FILE "/run/audisp-dracut/state"
#define IDENT_MAX 64
#define ERRLEN 256

/* One keyword: its name, its parser and, for numbers, its range. */
struct keyword {
	const char *name;
	int (*parse)(const struct keyword *kw, const char *value,
		     struct config *cfg, char *err, size_t errlen);
	size_t offset; /* of the field in struct config, for numbers/bools */
	size_t size;   /* of that field: unsigned or size_t */
	unsigned long long min, max;
	bool zero_ok; /* for numbers: 0 is allowed below min */
	bool repeat;  /* may appear more than once */
};

struct name_value {
	const char *name;
	int value;
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
	if (strncasecmp(name, "LOG_", 4) == 0)
		name += 4;
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

/* Decimal digits only: no sign, no spaces, no base prefix. */
static int parse_ull(const char *value, unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)value[0]))
		return -1;
	errno = 0;
	*out = strtoull(value, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

static int parse_number(const struct keyword *kw, const char *value,
			struct config *cfg, char *err, size_t errlen)
{
	unsigned long long n;
	char *field = (char *)cfg + kw->offset;

	if (parse_ull(value, &n) < 0) {
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
	/* kw->max keeps every value within the field's type */
	if (kw->size == sizeof(size_t))
		*(size_t *)(void *)field = (size_t)n;
	else
		*(unsigned *)(void *)field = (unsigned)n;
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

static int replace_string(char **field, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL)
		return -1;
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

/* Parse "syslog,file,stdout" into OUTPUT_* bits. */
static int parse_output_list(const char *value, unsigned *out, char *err,
			     size_t errlen)
{
	unsigned bits = 0;
	const char *p = value;

	for (;;) {
		size_t n = strcspn(p, ",");
		const char *word = p;

		while (n > 0 && isspace((unsigned char)*word)) {
			word++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)word[n - 1]))
			n--;
		if (n == 6 && strncmp(word, "syslog", n) == 0) {
			bits |= OUTPUT_SYSLOG;
		} else if (n == 4 && strncmp(word, "file", n) == 0) {
			bits |= OUTPUT_FILE;
		} else if (n == 6 && strncmp(word, "stdout", n) == 0) {
			bits |= OUTPUT_STDOUT;
		} else {
			snprintf(err, errlen,
				 "output: '%.*s' is not syslog, file or stdout",
				 (int)n, word);
			return -1;
		}
		p = word + n;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		p++; /* the comma */
	}
	*out = bits;
	return 0;
}

static int parse_output(const struct keyword *kw, const char *value,
			struct config *cfg, char *err, size_t errlen)
{
	(void)kw;
	return parse_output_list(value, &cfg->outputs, err, errlen);
}

static int parse_output_file(const struct keyword *kw, const char *value,
			     struct config *cfg, char *err, size_t errlen)
{
	if (check_path(kw->name, value, err, errlen) < 0)
		return -1;
	if (replace_string(&cfg->file_path, value) < 0) {
		snprintf(err, errlen, "%s: out of memory", kw->name);
		return -1;
	}
	return 0;
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
	if (replace_string(&cfg->syslog_ident, value) < 0) {
		snprintf(err, errlen, "%s: out of memory", kw->name);
		return -1;
	}
	return 0;
}

static int parse_facility(const struct keyword *kw, const char *value,
			  struct config *cfg, char *err, size_t errlen)
{
	char names[256];

	if (lookup_name(facilities, value, &cfg->syslog_facility) == 0)
		return 0;
	list_names(facilities, names, sizeof(names));
	snprintf(err, errlen, "%s: unknown facility '%s' (use one of: %s)",
		 kw->name, value, names);
	return -1;
}

static int parse_priority(const struct keyword *kw, const char *value,
			  struct config *cfg, char *err, size_t errlen)
{
	char names[256];

	if (lookup_name(priorities, value, &cfg->syslog_priority) == 0)
		return 0;
	list_names(priorities, names, sizeof(names));
	snprintf(err, errlen, "%s: unknown priority '%s' (use one of: %s)",
		 kw->name, value, names);
	return -1;
}

static int parse_rule_version(const struct keyword *kw, const char *value,
			      struct config *cfg, char *err, size_t errlen)
{
	unsigned long long n;

	if (parse_ull(value, &n) < 0 || n > INT_MAX ||
	    !rule_version_known((int)n)) {
		snprintf(err, errlen, "%s: '%s' is not a known rule version",
			 kw->name, value);
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

static int parse_state_file(const struct keyword *kw, const char *value,
			    struct config *cfg, char *err, size_t errlen)
{
	if (strcmp(value, "syslog") != 0 &&
	    check_path(kw->name, value, err, errlen) < 0)
		return -1;
	if (replace_string(&cfg->state_file, value) < 0) {
		snprintf(err, errlen, "%s: out of memory", kw->name);
		return -1;
	}
	return 0;
}

/* clang-format off */
#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define KW(name, fn) {name, fn, 0, 0, 0, 0, false, false}
#define KW_BOOL(name, f) {name, parse_bool, FIELD(f), 0, 0, false, false}
#define KW_NUM(name, f, min, max, zero_ok) \
	{name, parse_number, FIELD(f), min, max, zero_ok, false}

/* The one keyword table. Ranges are documented in audisp-dracut.conf(5). */
static const struct keyword keywords[] = {
	KW("output", parse_output),
	KW("output_file", parse_output_file),
	KW("syslog_ident", parse_ident),
	KW("syslog_facility", parse_facility),
	KW("syslog_priority", parse_priority),
	KW_BOOL("syslog_cee", syslog_cee),
	KW("rule_version", parse_rule_version),
	{"exception", parse_exception, 0, 0, 0, 0, false, true},
	KW_NUM("table_max_entries", table_max_entries, 64, 4194304, false),
	KW_NUM("table_max_image_bytes", table_max_image_bytes, 256, 1048576,
	       true),
	KW_BOOL("proc_fallback", proc_fallback),
	KW_NUM("ancestry_depth", ancestry_depth, 0, 64, false),
	KW_NUM("rate_limit_alerts", rate_limit_alerts, 0, 1000000, false),
	KW_NUM("rate_limit_interval", rate_limit_interval, 1, 86400, false),
	KW_NUM("queue_max", queue_max, 0, 100000, false),
	KW_NUM("retry_interval", retry_interval, 1, 3600, false),
	KW("state_file", parse_state_file),
};
/* clang-format on */

#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

/* Fill cfg with the built-in defaults. Returns 0, or -1 on ENOMEM. */
int config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->outputs = OUTPUT_SYSLOG;
	cfg->file_path = strdup(DEFAULT_FILE_PATH);
	cfg->syslog_ident = strdup(DEFAULT_IDENT);
	cfg->state_file = strdup(DEFAULT_STATE_FILE);
	cfg->syslog_facility = LOG_AUTHPRIV;
	cfg->syslog_priority = LOG_WARNING;
	cfg->syslog_cee = false;
	cfg->rule_version = 1;
	cfg->table_max_entries = 4096;
	cfg->table_max_image_bytes = 4096;
	cfg->proc_fallback = true;
	cfg->ancestry_depth = 8;
	cfg->rate_limit_alerts = 100;
	cfg->rate_limit_interval = 300;
	cfg->queue_max = 1000;
	cfg->retry_interval = 5;
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

/*
 * Parse path into cfg (defaults first, then the file's keys). When
 * must_exist is false and the file is missing, the defaults apply. Every
 * problem is reported through log_err as "path:line: reason". Returns 0,
 * or -1 if anything was wrong (cfg is then cleared).
 */
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

/* Apply a -o SPEC ("-", "stdout", "file", "file:PATH", "syslog"; a comma
 * joins several), replacing the outputs. Returns 0, or -1 with a reason
 * logged and cfg unchanged. */
int config_set_output(struct config *cfg, const char *spec)
{
	char err[ERRLEN + 128];
	char *copy, *word, *save = NULL;
	char *new_path = NULL;
	unsigned bits = 0;
	int rc = -1;

	copy = strdup(spec);
	if (copy == NULL) {
		log_err("-o: out of memory");
		return -1;
	}
	for (word = strtok_r(copy, ",", &save); word != NULL;
	     word = strtok_r(NULL, ",", &save)) {
		if (strcmp(word, "-") == 0 || strcmp(word, "stdout") == 0) {
			bits |= OUTPUT_STDOUT;
		} else if (strcmp(word, "syslog") == 0) {
			bits |= OUTPUT_SYSLOG;
		} else if (strcmp(word, "file") == 0) {
			bits |= OUTPUT_FILE;
		} else if (strncmp(word, "file:", 5) == 0) {
			if (check_path("-o file", word + 5, err, sizeof(err)) <
			    0) {
				log_err("%s", err);
				goto out;
			}
			free(new_path);
			new_path = strdup(word + 5);
			if (new_path == NULL) {
				log_err("-o: out of memory");
				goto out;
			}
			bits |= OUTPUT_FILE;
		} else {
			log_err("-o: '%s' is not -, stdout, syslog, file or "
				"file:PATH",
				word);
			goto out;
		}
	}
	if (bits == 0) {
		log_err("-o: '%s' names no output", spec);
		goto out;
	}
	if (new_path != NULL) {
		free(cfg->file_path);
		cfg->file_path = new_path;
		new_path = NULL;
	}
	cfg->outputs = bits;
	rc = 0;
out:
	free(new_path);
	free(copy);
	return rc;
}

/* Free what cfg owns and zero it. config_clear(NULL) is safe. */
void config_clear(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->file_path);
	free(cfg->syslog_ident);
	free(cfg->state_file);
	for (i = 0; i < cfg->nexceptions; i++)
		rule_exception_clear(&cfg->exceptions[i]);
	free(cfg->exceptions);
	memset(cfg, 0, sizeof(*cfg));
}
