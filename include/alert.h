/* alert.h - the ECS JSON document for one detection, built in one place */
#ifndef ALERT_H
#define ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "rule.h"

struct alert_input {
	const struct image *proc;   /* the dracut exec */
	const struct image *parent; /* its parent; NULL when unknown */
	/* ancestors beyond the parent are not listed here: ancestry[0] is the
	 * parent, ancestry[1] the grandparent, and so on */
	const struct image *const *ancestry;
	size_t nancestry;
	const struct rule_meta *rule;
	const char *host_name;
	int64_t created_ms; /* event.created, ms since the epoch */
};

/*
 * The longest alert: syslog(3) sends each message as one datagram, and the
 * kernel refuses one larger than the socket's send buffer (212992 bytes
 * less 32 by default), which glibc then drops without a word. 192 KiB
 * leaves room for the syslog header and the "@cee: " prefix.
 */
#define ALERT_MAX_BYTES 196608

/*
 * Build the alert as one line of UTF-8 JSON, without a trailing newline,
 * at most ALERT_MAX_BYTES long: past that the argument lists are cut (and
 * audisp_dracut.*.args_truncated set), then the ancestry shortened. Returns
 * a string the caller frees, with its length in *len, or NULL on ENOMEM.
 * One-shot: a caller with many alerts uses an alert_builder.
 */
char *alert_build(const struct alert_input *in, size_t *len);

/*
 * An alert builder writes the JSON text directly into one buffer that it
 * keeps across alerts (json.h says how strings are written). It writes
 * rule.* and threat.* once per rule and host.* once per host name, and
 * copies them into each alert: the strings a rule_meta points to must not
 * change (rule.h says they are static data).
 */
struct alert_builder;

/* A new builder, or NULL on ENOMEM; free it with alert_builder_free. */
struct alert_builder *alert_builder_create(void);

/* Free the builder and its buffers. alert_builder_free(NULL) is safe. */
void alert_builder_free(struct alert_builder *ab);

/*
 * As alert_build, the same bytes, but into ab's buffer: returns the
 * NUL-terminated alert, with its length in *len, valid until the next
 * call with ab or alert_builder_free(ab); NULL on ENOMEM.
 */
const char *alert_builder_build(struct alert_builder *ab,
				const struct alert_input *in, size_t *len);

#endif /* ALERT_H */
