/* config.h - /etc/audit/audisp-dracut.conf, parsed and checked as a whole */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "rule.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define CONFIG_DEFAULT_PATH SYSCONFDIR "/audit/audisp-dracut.conf"

/* config.outputs bits */
#define OUTPUT_STDOUT 0x1 /* JSON lines on stdout (replay) */
#define OUTPUT_FILE 0x2	  /* append to file_path */
#define OUTPUT_SYSLOG 0x4 /* syslog(3) */

struct config {
	unsigned outputs; /* OUTPUT_* */
	char *file_path;
	char *syslog_ident;
	int syslog_facility; /* LOG_AUTHPRIV ... */
	int syslog_priority; /* LOG_WARNING ... */
	bool syslog_cee;     /* prefix "@cee: " for mmjsonparse */

	int rule_version; /* 1 or 7 */
	struct rule_exception *exceptions;
	size_t nexceptions;

	size_t table_max_entries;
	size_t table_max_image_bytes;
	bool proc_fallback;
	unsigned ancestry_depth;

	unsigned rate_limit_alerts;   /* per interval; 0: no limit */
	unsigned rate_limit_interval; /* seconds */
	size_t queue_max;	      /* alerts kept while an output fails */
	unsigned retry_interval;      /* seconds between retries */

	char *state_file; /* SIGUSR1 report: a path, or "syslog" */
};

/* Fill cfg with the built-in defaults. Returns 0, or -1 on ENOMEM. */
int config_defaults(struct config *cfg);

/*
 * Parse path into cfg (defaults first, then the file's keys). When
 * must_exist is false and the file is missing, the defaults apply. Every
 * problem is reported through log_err as "path:line: reason"; the file is
 * refused if it is not owned by root or is writable by group or others.
 * Returns 0, or -1 if anything was wrong (cfg is then cleared).
 */
int config_load(const char *path, bool must_exist, struct config *cfg);

/* Apply a -o SPEC ("-", "file:PATH", "syslog"; a comma joins several),
 * replacing the outputs. Returns 0, or -1 with a reason logged. */
int config_set_output(struct config *cfg, const char *spec);

/* Free what cfg owns and zero it. config_clear(NULL) is safe. */
void config_clear(struct config *cfg);

#endif /* CONFIG_H */
