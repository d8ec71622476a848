/* threat.c - a rule's MITRE ATT&CK mapping, as the ECS threat.* object */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "threat.h"

enum threat_level { TACTIC, TECHNIQUE, SUBTECHNIQUE, NLEVELS };
/* The arrays of each level. */
enum threat_array { T_ID, T_NAME, T_REF, NARRAYS };

/* One array of a level: its member name, its field's dotted name, and
 * where its value is in a rule_threat. */
struct threat_part {
	const char *key, *path;
	size_t off;
};

/* clang-format off */
#define PART(level, prefix, k)                                                 \
	{#k, prefix "." #k, offsetof(struct rule_threat, level##_##k)}

static const struct threat_part parts[NLEVELS][NARRAYS] = {
	{PART(tactic, "threat.tactic", id),
	 PART(tactic, "threat.tactic", name),
	 PART(tactic, "threat.tactic", reference)},
	{PART(technique, "threat.technique", id),
	 PART(technique, "threat.technique", name),
	 PART(technique, "threat.technique", reference)},
	{PART(subtechnique, "threat.technique.subtechnique", id),
	 PART(subtechnique, "threat.technique.subtechnique", name),
	 PART(subtechnique, "threat.technique.subtechnique", reference)},
};
/* clang-format on */

/* Array k of level in t. */
static const char *part_of(const struct rule_threat *t, enum threat_level level,
			   size_t k)
{
	return *(const char *const *)((const char *)t + parts[level][k].off);
}

/*
 * The id, name and reference arrays of one level, one entry per distinct
 * id, in the rule's order, so that the three arrays are parallel; a
 * missing name or reference is "". v holds NARRAYS * nthreats pointers.
 * Returns the number of entries.
 */
static size_t entries(const struct rule_meta *r, enum threat_level level,
		      const char **v)
{
	const char *f[NARRAYS];
	size_t i, j, k, n = 0, m = r->nthreats;

	for (i = 0; i < m; i++) {
		for (k = 0; k < NARRAYS; k++)
			f[k] = part_of(&r->threats[i], level, k);
		if (!f[T_ID])
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(v[j], f[T_ID]))
				break;
		if (j < n)
			continue;
		for (k = 0; k < NARRAYS; k++)
			v[k * m + n] = f[k] ? f[k] : "";
		n++;
	}
	return n;
}

/* The members id, name and reference of one level: n entries of the
 * arrays at v, m apart. */
static void put_arrays(struct json *w, bool *more, enum threat_level level,
		       const char **v, size_t m, size_t n)
{
	size_t k;

	for (k = 0; k < NARRAYS; k++)
		json_strv(w, more, parts[level][k].key, parts[level][k].path,
			  v + k * m, n);
}

/* The members tactic and technique (with its subtechnique), from the
 * entries at v (m apart in each level) and their counts n. */
static void put_levels(struct json *w, const char **v, size_t m,
		       const size_t n[NLEVELS])
{
	const size_t per = NARRAYS * m;
	bool more = false;

	if (n[TACTIC]) {
		JSON_LIT(w, ",\"tactic\":{");
		put_arrays(w, &more, TACTIC, v, m, n[TACTIC]);
		JSON_LIT(w, "}");
	}
	if (!n[TECHNIQUE] && !n[SUBTECHNIQUE])
		return;
	JSON_LIT(w, ",\"technique\":{");
	more = false;
	put_arrays(w, &more, TECHNIQUE, v + per, m, n[TECHNIQUE]);
	if (n[SUBTECHNIQUE]) {
		json_key(w, &more, "subtechnique");
		JSON_LIT(w, "{");
		more = false;
		put_arrays(w, &more, SUBTECHNIQUE, v + 2 * per, m,
			   n[SUBTECHNIQUE]);
		JSON_LIT(w, "}");
	}
	JSON_LIT(w, "}");
}

void threat_put(struct json *w, bool *more, const struct rule_meta *r)
{
	size_t m = r->nthreats, n[NLEVELS], l;
	const char **v;

	if (!m)
		return;
	v = calloc(NLEVELS * NARRAYS * m, sizeof(*v));
	if (!v) {
		w->failed = true;
		return;
	}
	for (l = 0; l < NLEVELS; l++)
		n[l] = entries(r, (enum threat_level)l, v + l * NARRAYS * m);
	json_key(w, more, "threat");
	JSON_LIT(w, "{\"framework\":\"MITRE ATT&CK\"");
	put_levels(w, v, m, n);
	JSON_LIT(w, "}");
	free(v);
}
