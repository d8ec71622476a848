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

/*
 * The outputs, in the order the report lists them. Adding one takes a value
 * here, its name in config.c's output_names and its cases in sink.c's
 * switches.
 */
enum output_type {
	OUT_SYSLOG, /* /dev/log, as syslog(3) */
	OUT_FILE,   /* appended to file_path */
	OUT_STDOUT, /* JSON lines on stdout (replay) */
	OUT_TYPES
};

/* config.outputs holds one bit per output type. */
#define OUT_BIT(t) (1u << (t))

/* The name of output type t as the output key, -o and the report write it
 * ("syslog", "file", "stdout"); NULL for a value that names no output. */
const char *output_name(enum output_type t);

struct config {
	unsigned outputs; /* OUT_BIT(OUT_*) */
	char *file_path;
	char *syslog_ident;
	int syslog_facility; /* LOG_AUTHPRIV ... */
	int syslog_priority; /* LOG_WARNING ... */
	bool syslog_cee;     /* prefix "@cee: " for mmjsonparse */
	/* the longest syslog message, header included, that the syslog
	 * daemon takes whole (rsyslog's maxMessageSize); 0: no limit */
	size_t syslog_max_message;

	int rule_version; /* one rule_version_known() accepts */
	struct rule_exception *exceptions;
	size_t nexceptions;

	size_t table_max_entries;
	size_t table_max_image_bytes;
	bool proc_fallback;
	unsigned ancestry_depth;

	size_t node_max;  /* node names (node=) held at once (node.h) */
	char *local_node; /* the node= name of this host's own records;
			   * NULL: this machine's name (gethostname) */

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

/*
 * Apply a -o SPEC: output names as the output key takes them, "-" for
 * stdout, and "file:PATH" for the file output at PATH (replacing
 * file_path); a comma joins several. The outputs named replace cfg's.
 * Returns 0, or -1 with a reason logged and cfg unchanged.
 */
int config_set_output(struct config *cfg, const char *spec);

/* Free what cfg owns and zero it. config_clear(NULL) is safe. */
void config_clear(struct config *cfg);

#endif /* CONFIG_H */
