/* node.c - node names (node=) interned to small ids, bounded */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "node.h"

/*
 * Layout. recs[] is indexed by slot (recs[0] stands for the local host and
 * is never used); a slot holds a name, or none (free, on the free list).
 * Names are found through a hash of bucket heads (slot numbers, 0: empty),
 * chained through hnext. Held slots are also on one list in order of their
 * last node_intern, the quietest first (prev, next). Slots and not
 * pointers link them, so that recs can grow by realloc.
 */

#define NODE_SLOT_MASK NODE_MAX_LIMIT
#define NODE_GEN_MASK ((1u << NODE_GEN_BITS) - 1)
#define NODE_RECS_MIN 16	 /* slots allocated at first */
#define NODE_FNV_PRIME 16777619u /* 32-bit FNV-1a */

struct node_rec {
	char *name; /* NULL: free */
	uint32_t id;
	uint32_t hnext;	     /* next slot in its bucket */
	uint32_t prev, next; /* activity order; next also links free slots */
};

struct node_reg {
	struct node_rec *recs;
	size_t cap;  /* slots allocated, recs[0] included */
	size_t used; /* slots ever handed out: 1 .. used-1 */
	size_t max;  /* names held at most */
	uint32_t *buckets;
	size_t nbuckets;	/* a power of two */
	uint32_t quiet, recent; /* the activity list's two ends */
	uint32_t free_slots;	/* head of the free list */
	uint32_t seed;		/* hash seed, so names cannot be chosen to
				 * collide */
	size_t name_bytes;
	char *local;
	node_forget_fn forget;
	void *forget_arg;
	struct node_stats st;
};

static struct log_limit lim_forgot = LOG_LIMIT_INIT;

static uint32_t hash_name(const struct node_reg *reg, const char *name)
{
	uint32_t h = reg->seed;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * NODE_FNV_PRIME;
	return h;
}

static bool name_ok(const char *name)
{
	return name[0] && strnlen(name, NODE_NAME_MAX + 1) <= NODE_NAME_MAX;
}

/* Create a registry (see node.h). */
struct node_reg *node_reg_create(size_t max_nodes)
{
	struct node_reg *reg = calloc(1, sizeof(*reg));

	if (!reg)
		return NULL;
	reg->cap = NODE_RECS_MIN;
	reg->used = 1;
	reg->nbuckets = NODE_RECS_MIN;
	reg->recs = calloc(reg->cap, sizeof(*reg->recs));
	reg->buckets = calloc(reg->nbuckets, sizeof(*reg->buckets));
	if (!reg->recs || !reg->buckets) {
		node_reg_free(reg);
		return NULL;
	}
	if (getrandom(&reg->seed, sizeof(reg->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(reg->seed))
		reg->seed = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	node_set_max(reg, max_nodes);
	return reg;
}

/* Free the registry (see node.h). */
void node_reg_free(struct node_reg *reg)
{
	size_t i;

	if (!reg)
		return;
	for (i = 1; reg->recs && i < reg->used; i++)
		free(reg->recs[i].name);
	free(reg->recs);
	free(reg->buckets);
	free(reg->local);
	free(reg);
}

static void lru_unlink(struct node_reg *reg, uint32_t s)
{
	struct node_rec *r = &reg->recs[s];

	if (r->prev)
		reg->recs[r->prev].next = r->next;
	else
		reg->quiet = r->next;
	if (r->next)
		reg->recs[r->next].prev = r->prev;
	else
		reg->recent = r->prev;
	r->prev = r->next = 0;
}

static void lru_append(struct node_reg *reg, uint32_t s)
{
	struct node_rec *r = &reg->recs[s];

	r->next = 0;
	r->prev = reg->recent;
	if (reg->recent)
		reg->recs[reg->recent].next = s;
	else
		reg->quiet = s;
	reg->recent = s;
}

static void bucket_unlink(struct node_reg *reg, uint32_t s)
{
	uint32_t *pp = &reg->buckets[hash_name(reg, reg->recs[s].name) &
				     (reg->nbuckets - 1)];

	while (*pp && *pp != s)
		pp = &reg->recs[*pp].hnext;
	if (*pp)
		*pp = reg->recs[s].hnext;
}

/* Forget the node in slot s: the hook first, then its name; the slot's
 * next id is of the next generation. */
static void forget_slot(struct node_reg *reg, uint32_t s)
{
	struct node_rec *r = &reg->recs[s];
	uint32_t gen = (r->id >> NODE_SLOT_BITS) + 1;

	if (reg->forget)
		reg->forget(reg->forget_arg, r->id);
	bucket_unlink(reg, s);
	lru_unlink(reg, s);
	reg->name_bytes -= strlen(r->name) + 1;
	free(r->name);
	r->name = NULL;
	r->id = s | (gen & NODE_GEN_MASK) << NODE_SLOT_BITS;
	r->next = reg->free_slots;
	reg->free_slots = s;
	reg->st.nodes--;
	reg->st.forgotten++;
}

/* Change the bound (see node.h). */
void node_set_max(struct node_reg *reg, size_t max_nodes)
{
	uint64_t before = reg->st.forgotten;

	if (max_nodes < 1)
		max_nodes = 1;
	if (max_nodes > NODE_MAX_LIMIT)
		max_nodes = NODE_MAX_LIMIT;
	reg->max = max_nodes;
	while (reg->st.nodes > reg->max)
		forget_slot(reg, reg->quiet);
	if (reg->st.forgotten != before)
		log_limited(&lim_forgot,
			    "node limit lowered to %zu: forgot %llu nodes, "
			    "the quietest, with their processes",
			    reg->max,
			    (unsigned long long)(reg->st.forgotten - before));
}

/* Set the local host's name (see node.h). */
int node_set_local(struct node_reg *reg, const char *name)
{
	char *copy = NULL;

	if (name && !name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	if (name && !(copy = strdup(name)))
		return -1;
	free(reg->local);
	reg->local = copy;
	return 0;
}

/* Set the forget hook (see node.h). */
void node_on_forget(struct node_reg *reg, node_forget_fn fn, void *arg)
{
	reg->forget = fn;
	reg->forget_arg = arg;
}

static uint32_t find(const struct node_reg *reg, const char *name, uint32_t h)
{
	uint32_t s = reg->buckets[h & (reg->nbuckets - 1)];

	while (s && strcmp(reg->recs[s].name, name) != 0)
		s = reg->recs[s].hnext;
	return s;
}

/* Double the buckets when names outnumber them; a failed resize only
 * makes chains longer. */
static void buckets_grow(struct node_reg *reg)
{
	size_t n = reg->nbuckets * 2, i;
	uint32_t *nb = calloc(n, sizeof(*nb)), s;

	if (!nb)
		return;
	free(reg->buckets);
	reg->buckets = nb;
	reg->nbuckets = n;
	for (s = reg->quiet; s; s = reg->recs[s].next) {
		i = hash_name(reg, reg->recs[s].name) & (n - 1);
		reg->recs[s].hnext = nb[i];
		nb[i] = s;
	}
}

/* A slot for a new name: a free one, a new one, or at the bound the
 * quietest node's. Returns 0 on ENOMEM. */
static uint32_t take_slot(struct node_reg *reg)
{
	struct node_rec *nr;
	uint32_t s;
	size_t cap;

	if (reg->st.nodes >= reg->max) {
		forget_slot(reg, reg->quiet);
		log_limited(&lim_forgot,
			    "more than %zu nodes: forgot the one quiet the "
			    "longest, with its processes (%llu so far)",
			    reg->max, (unsigned long long)reg->st.forgotten);
	}
	if (reg->free_slots) {
		s = reg->free_slots;
		reg->free_slots = reg->recs[s].next;
		return s;
	}
	if (reg->used == reg->cap) {
		cap = reg->cap * 2;
		nr = realloc(reg->recs, cap * sizeof(*nr));
		if (!nr)
			return 0;
		memset(nr + reg->cap, 0, (cap - reg->cap) * sizeof(*nr));
		reg->recs = nr;
		reg->cap = cap;
	}
	s = (uint32_t)reg->used++;
	reg->recs[s].id = s;
	return s;
}

/* Intern a name (see node.h). */
int node_intern(struct node_reg *reg, const char *name, uint32_t *id)
{
	uint32_t h, s;
	char *copy;

	if (!name || (reg->local && strcmp(name, reg->local) == 0)) {
		*id = NODE_LOCAL;
		return 0;
	}
	if (!name_ok(name)) {
		reg->st.rejected++;
		errno = EINVAL;
		return -1;
	}
	h = hash_name(reg, name);
	s = find(reg, name, h);
	if (s) {
		lru_unlink(reg, s);
		lru_append(reg, s);
		*id = reg->recs[s].id;
		return 0;
	}
	copy = strdup(name);
	s = copy ? take_slot(reg) : 0;
	if (!s) {
		free(copy);
		errno = ENOMEM;
		return -1;
	}
	reg->recs[s].name = copy;
	reg->name_bytes += strlen(copy) + 1;
	reg->recs[s].hnext = reg->buckets[h & (reg->nbuckets - 1)];
	reg->buckets[h & (reg->nbuckets - 1)] = s;
	lru_append(reg, s);
	reg->st.nodes++;
	reg->st.added++;
	if (reg->st.nodes > reg->nbuckets)
		buckets_grow(reg);
	*id = reg->recs[s].id;
	return 0;
}

/* The name of id (see node.h). */
const char *node_name(const struct node_reg *reg, uint32_t id)
{
	uint32_t s = id & NODE_SLOT_MASK;

	if (id == NODE_LOCAL)
		return reg->local;
	if (!s || s >= reg->used || reg->recs[s].id != id)
		return NULL;
	return reg->recs[s].name;
}

/* Copy the counters (see node.h). */
void node_stats(const struct node_reg *reg, struct node_stats *st)
{
	*st = reg->st;
	st->bytes = sizeof(*reg) + reg->cap * sizeof(*reg->recs) +
		    reg->nbuckets * sizeof(*reg->buckets) + reg->name_bytes +
		    (reg->local ? strlen(reg->local) + 1 : 0);
}
