/* counters.c - the counter table: every counter once, by name, in one place */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"

/* The first size of the array. */
#define COUNTERS_MIN 32

void counters_clear(struct counters *tab)
{
	while (tab->n)
		free((char *)tab->v[--tab->n].name);
	free(tab->v);
	tab->v = NULL;
	tab->cap = 0;
}

static bool has_name(const struct counter *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

/* Room for n more counters. Returns 0, or -1 on ENOMEM. */
static int reserve(struct counters *tab, size_t n)
{
	size_t cap = tab->cap ? tab->cap : COUNTERS_MIN;
	struct counter *v;

	if (tab->cap - tab->n >= n && tab->v)
		return 0;
	if (n > SIZE_MAX / sizeof(*v) / 2 - tab->n) {
		errno = ENOMEM;
		return -1;
	}
	while (cap - tab->n < n)
		cap *= 2;
	v = realloc(tab->v, cap * sizeof(*v));
	if (!v)
		return -1;
	tab->v = v;
	tab->cap = cap;
	return 0;
}

/* Append v, all or nothing. */
int counters_add(struct counters *tab, const struct counter *v, size_t n)
{
	size_t i, n0 = tab->n;

	for (i = 0; i < n; i++) {
		if (has_name(tab->v, tab->n, v[i].name) ||
		    has_name(v, i, v[i].name)) {
			errno = EEXIST;
			return -1;
		}
	}
	if (reserve(tab, n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char *name = strdup(v[i].name);

		if (!name) {
			while (tab->n > n0)
				free((char *)tab->v[--tab->n].name);
			return -1;
		}
		tab->v[tab->n].name = name;
		tab->v[tab->n].value = v[i].value;
		tab->n++;
	}
	return 0;
}

int counters_get(const struct counters *tab, const char *name, uint64_t *value)
{
	size_t i;

	for (i = 0; i < tab->n; i++) {
		if (strcmp(tab->v[i].name, name) == 0) {
			*value = tab->v[i].value;
			return 0;
		}
	}
	return -1;
}

void counters_print(const struct counters *tab, FILE *fp)
{
	size_t i;

	for (i = 0; i < tab->n; i++)
		fprintf(fp, "%s = %llu\n", tab->v[i].name,
			(unsigned long long)tab->v[i].value);
}
