/* counters.h - the counter table: every counter once, by name, in one place */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Each module counts what it knows, once; the table gathers the counts by
 * name for whoever reports them (the SIGUSR1 report, the end of a replay).
 * A name is the one the report prints: [a-z0-9_.]+ by convention.
 */
struct counter {
	const char *name;
	uint64_t value;
};

/* The table: v[0..n) in the order added, the names its own copies. A
 * zeroed one is empty and ready; counters_clear gives back its memory. */
struct counters {
	struct counter *v;
	size_t n, cap;
};

/* Empty tab and give back its memory; tab is ready for use again. */
void counters_clear(struct counters *tab);

/*
 * Append v[0..n) to tab, in order; the table keeps its own copy of each
 * name. A name tab already holds, or that v holds twice, is refused: no
 * counter is reported twice. Returns 0, or -1 with errno EEXIST or ENOMEM
 * and nothing of v added.
 */
int counters_add(struct counters *tab, const struct counter *v, size_t n);

/* counters_add with the counters written in place, as {name, value}
 * initialisers: COUNTERS_ADD(tab, {"execs", n}, {"forks", m}). */
#define COUNTERS_ADD(tab, ...)                                                 \
	counters_add((tab), (const struct counter[]){__VA_ARGS__},             \
		     sizeof((const struct counter[]){__VA_ARGS__}) /           \
			     sizeof(struct counter))

/* The value of the counter named name in *value. Returns 0, or -1 when tab
 * holds no such counter. */
int counters_get(const struct counters *tab, const char *name, uint64_t *value);

/* Write "name = value\n" for every counter of tab, in order. */
void counters_print(const struct counters *tab, FILE *fp);

#endif /* COUNTERS_H */
