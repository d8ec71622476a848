/* alert.h - the ECS JSON document for one detection, built in one place */
#ifndef ALERT_H
#define ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "rule.h"

struct json; /* json.h's writer */

struct alert_input {
	const struct image *proc;   /* the dracut exec */
	const struct image *parent; /* its parent; NULL when unknown */
	/* ancestors beyond the parent are not listed here: ancestry[0] is the
	 * parent, ancestry[1] the grandparent, and so on */
	const struct image *const *ancestry;
	size_t nancestry;
	const struct rule_meta *rule;
	const char *host_name; /* the host the process ran on */
	/* the host that raised the alert, when it is another (a collector
	 * deciding for a sender: observer.hostname); NULL otherwise */
	const char *observer_name;
	int64_t created_ms; /* event.created, ms since the epoch */
};

/*
 * The longest alert: syslog(3) sends each message as one datagram, and the
 * kernel refuses one larger than the socket's send buffer (212992 bytes
 * less 32 by default), which glibc then drops without a word. 192 KiB
 * leaves room for the syslog header and the "@cee: " prefix.
 */
#define ALERT_MAX_BYTES 196608

/* Why no alert was built. */
enum alert_error {
	ALERT_ERR_NOMEM = 1, /* out of memory */
	ALERT_ERR_TOO_LONG,  /* longer than the bound even when cut */
};

/*
 * The document: one JSON object of UTF-8 on one line, without a trailing
 * newline, nested (never dotted keys), with ECS fields (the man page lists
 * them; message is the rule's name, event.reason the sentence) and two
 * namespaces of its own: auditd.* for audit facts, named as Auditbeat
 * names them, and audisp_dracut.* for what the plugin adds. A value that
 * is not known is left out, never written as null. Timestamps are RFC 3339
 * in UTC with milliseconds. Strings are written as json.h says, and a
 * field written encoded is listed in audisp_dracut.encoded_fields.
 *
 * The bound: a document longer than the max bytes asked for is built
 * again, cut step by step until it fits: first the argument lists of the
 * process and its parent, to smaller and smaller budgets
 * (audisp_dracut.process.args_truncated and
 * audisp_dracut.process.parent.args_truncated set, args_count and
 * command_line following the cut), then the ancestry, halved down to none,
 * then, as a last resort, every string cut to 1024 bytes (and listed in
 * audisp_dracut.truncated_fields), with the largest argument budget that
 * then fits. When even that is longer than max, there is no alert: never a
 * document cut anywhere else.
 */

/*
 * Build the alert for in within ALERT_MAX_BYTES. Returns a string the
 * caller frees, with its length in *len, or NULL (out of memory, or too
 * long even cut). One-shot: a caller with many alerts uses an
 * alert_builder.
 */
char *alert_build(const struct alert_input *in, size_t *len);

/*
 * An alert builder writes the JSON text directly into one buffer that it
 * keeps across alerts. It writes rule.* and threat.* once per rule and
 * host.* (and observer.*) once per host (and observer) name, and copies
 * them into each alert: the strings
 * a rule_meta points to must not change (rule.h says they are static
 * data).
 */
struct alert_builder;

/* A new builder, or NULL on ENOMEM; free it with alert_builder_free. */
struct alert_builder *alert_builder_create(void);

/* Free the builder and its buffers. alert_builder_free(NULL) is safe. */
void alert_builder_free(struct alert_builder *ab);

/*
 * Build the alert for in into ab's buffer, at most max bytes long (the
 * NUL after it not counted), cut as above when the whole one is longer.
 * Returns the NUL-terminated alert, with its length in *len, valid until
 * the next call with ab or alert_builder_free(ab); or NULL with the reason
 * in *err (when err is not NULL). The same input and max give the same
 * bytes as alert_build does for max ALERT_MAX_BYTES.
 */
const char *alert_builder_build_max(struct alert_builder *ab,
				    const struct alert_input *in, size_t max,
				    size_t *len, enum alert_error *err);

/* alert_builder_build_max within ALERT_MAX_BYTES, the reason not given. */
const char *alert_builder_build(struct alert_builder *ab,
				const struct alert_input *in, size_t *len);

/*
 * The member "process" of the alert, into w (a comma first when *more):
 * pid and the field table's fields of proc, and parent with the SYSCALL
 * ppid and, when parent is not NULL, its fields. For another document that
 * shows a process as the alert does (--explain).
 */
void alert_put_process(struct json *w, bool *more, const struct image *proc,
		       const struct image *parent);

#endif /* ALERT_H */
