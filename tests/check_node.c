/* check_node.c - unit tests for node.c: node names interned to bounded ids */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "util.h"

#define MANY 100000	/* distinct names a fleet's collector may see */
#define MANY_BOUND 1000 /* the registry's bound for them */
#define LONG_NAME 4096	/* a name far past NODE_NAME_MAX */

/* One name given to node_intern. Expected results worked out from
 * node.h: NULL and the local name are NODE_LOCAL, an empty name or one
 * longer than NODE_NAME_MAX is refused, any other bytes are a name. */
struct name_case {
	const char *name;
	int rc;	    /* node_intern's return */
	bool local; /* NODE_LOCAL */
};

static const struct name_case name_cases[] = {
	{NULL, 0, true},
	{"collector", 0, true}, /* the local name set below */
	{"", -1, false},
	{"web-01", 0, false},
	{"web 01", 0, false},	       /* a space is a byte like another */
	{"h\xff\xfe\x01st", 0, false}, /* not UTF-8 */
	{"Collector", 0, false},       /* names compare exactly */
	{"collector.", 0, false},
};

START_TEST(node_names)
{
	const struct name_case *c = &name_cases[_i];
	struct node_reg *reg = node_reg_create(NODE_MAX_DEFAULT);
	struct node_stats st;
	uint32_t id = 12345, again;

	ck_assert_int_eq(node_set_local(reg, "collector"), 0);
	errno = 0;
	ck_assert_int_eq(node_intern(reg, c->name, &id), c->rc);
	node_stats(reg, &st);
	if (c->rc < 0) {
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_uint_eq(id, 12345);
		ck_assert_uint_eq(st.rejected, 1);
	} else if (c->local) {
		ck_assert_uint_eq(id, NODE_LOCAL);
		ck_assert_uint_eq(st.nodes, 0);
		ck_assert_str_eq(node_name(reg, id), "collector");
	} else {
		ck_assert_uint_ne(id, NODE_LOCAL);
		ck_assert_uint_eq(st.nodes, 1);
		ck_assert_uint_eq(st.added, 1);
		ck_assert_str_eq(node_name(reg, id), c->name);
		ck_assert_int_eq(node_intern(reg, c->name, &again), 0);
		ck_assert_uint_eq(again, id);
	}
	node_reg_free(reg);
}
END_TEST

/* Names up to NODE_NAME_MAX bytes; one more, or 4 KiB, is refused, and
 * so is such a local name. */
START_TEST(node_name_length)
{
	struct node_reg *reg = node_reg_create(NODE_MAX_DEFAULT);
	char *name = malloc(LONG_NAME + 1);
	uint32_t id;

	ck_assert_ptr_nonnull(name);
	memset(name, 'n', LONG_NAME);
	name[NODE_NAME_MAX] = '\0';
	ck_assert_int_eq(node_intern(reg, name, &id), 0);
	ck_assert_str_eq(node_name(reg, id), name);
	name[NODE_NAME_MAX] = 'n';
	name[NODE_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(node_intern(reg, name, &id), -1);
	ck_assert_int_eq(node_set_local(reg, name), -1);
	name[LONG_NAME] = '\0';
	ck_assert_int_eq(node_intern(reg, name, &id), -1);
	ck_assert_ptr_null(node_name(reg, NODE_LOCAL));
	free(name);
	node_reg_free(reg);
	node_reg_free(NULL);
}
END_TEST

struct forgot {
	uint32_t ids[8];
	char names[8][16];
	size_t n;
	const struct node_reg *reg;
};

static void note_forget(void *arg, uint32_t id)
{
	struct forgot *f = arg;
	const char *name = node_name(f->reg, id);

	ck_assert_uint_lt(f->n, ARRAY_SIZE(f->ids));
	ck_assert_ptr_nonnull(name); /* still known while the hook runs */
	f->ids[f->n] = id;
	snprintf(f->names[f->n], sizeof(f->names[0]), "%s", name);
	f->n++;
}

static uint32_t intern(struct node_reg *reg, const char *name)
{
	uint32_t id;

	ck_assert_int_eq(node_intern(reg, name, &id), 0);
	return id;
}

/* At the bound, the node quiet the longest is forgotten, through the
 * hook; its name comes back with a new id, and its old id names nothing. */
START_TEST(node_bound)
{
	struct node_reg *reg = node_reg_create(3);
	struct forgot f = {.reg = reg};
	struct node_stats st;
	uint32_t a, b, c, d, b2;

	node_on_forget(reg, note_forget, &f);
	a = intern(reg, "a");
	b = intern(reg, "b");
	c = intern(reg, "c");
	ck_assert_uint_eq(intern(reg, "a"), a); /* a is active again */
	d = intern(reg, "d");			/* b is the quietest */
	ck_assert_uint_eq(f.n, 1);
	ck_assert_uint_eq(f.ids[0], b);
	ck_assert_str_eq(f.names[0], "b");
	ck_assert_ptr_null(node_name(reg, b));
	ck_assert_str_eq(node_name(reg, d), "d");
	b2 = intern(reg, "b"); /* c goes now */
	ck_assert_uint_ne(b2, b);
	ck_assert_uint_ne(b2, a);
	ck_assert_uint_ne(b2, c);
	ck_assert_uint_ne(b2, d);
	ck_assert_uint_eq(f.ids[1], c);
	ck_assert_str_eq(node_name(reg, b2), "b");
	node_stats(reg, &st);
	ck_assert_uint_eq(st.nodes, 3);
	ck_assert_uint_eq(st.added, 5);
	ck_assert_uint_eq(st.forgotten, 2);
	/* shrinking forgets the quietest at once: a, then d */
	node_set_max(reg, 1);
	ck_assert_uint_eq(f.n, 4);
	ck_assert_uint_eq(f.ids[2], a);
	ck_assert_uint_eq(f.ids[3], d);
	ck_assert_str_eq(node_name(reg, b2), "b");
	node_reg_free(reg);
}
END_TEST

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void count_forget(void *arg, uint32_t id)
{
	(void)id;
	++*(size_t *)arg;
}

/* 100,000 distinct names through a registry of 1,000: memory stops
 * growing once it is full, every forgotten node goes through the hook,
 * and no two names ever get the same id. */
START_TEST(node_many)
{
	struct node_reg *reg = node_reg_create(MANY_BOUND);
	uint32_t *ids = malloc(MANY * sizeof(*ids));
	struct node_stats full, end;
	size_t forgets = 0, i;
	char name[32];

	ck_assert_ptr_nonnull(ids);
	node_on_forget(reg, count_forget, &forgets);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "host-%06zu", i);
		ids[i] = intern(reg, name);
		if (i == 2 * MANY_BOUND)
			node_stats(reg, &full);
	}
	node_stats(reg, &end);
	ck_assert_uint_eq(end.nodes, MANY_BOUND);
	ck_assert_uint_eq(end.added, MANY);
	ck_assert_uint_eq(end.forgotten, MANY - MANY_BOUND);
	ck_assert_uint_eq(forgets, MANY - MANY_BOUND);
	ck_assert_uint_eq(end.bytes, full.bytes);
	qsort(ids, MANY, sizeof(*ids), cmp_u32);
	for (i = 1; i < MANY; i++)
		ck_assert_uint_ne(ids[i], ids[i - 1]);
	ck_assert_uint_ne(ids[0], NODE_LOCAL);
	free(ids);
	node_reg_free(reg);
}
END_TEST

/* An id comes round again only after its slot has been reused
 * 2^NODE_GEN_BITS times: with one slot, after that many new names. */
START_TEST(node_generations)
{
	struct node_reg *reg = node_reg_create(1);
	uint32_t first, id = 0;
	char name[32];
	size_t i;

	first = intern(reg, "n0");
	for (i = 1; i < (1u << NODE_GEN_BITS); i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		id = intern(reg, name);
		ck_assert_uint_ne(id, first);
		ck_assert_ptr_null(node_name(reg, first));
	}
	ck_assert_uint_eq(intern(reg, "again"), first);
	node_reg_free(reg);
}
END_TEST

static Suite *node_suite(void)
{
	Suite *s = suite_create("node");
	TCase *tc = tcase_create("registry");

	tcase_add_loop_test(tc, node_names, 0, ARRAY_SIZE(name_cases));
	tcase_add_test(tc, node_name_length);
	tcase_add_test(tc, node_bound);
	tcase_add_test(tc, node_many);
	tcase_add_test(tc, node_generations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(node_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
