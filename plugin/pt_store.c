/* pt_store.c - the process table's memory, bounded fairly across nodes */
#include <stdlib.h>
#include <string.h>

#include "pt_store.h"

#define PT_BUCKETS_MIN 1024 /* hash buckets at first */
#define PT_HEAP_MIN 2	    /* heap slots at first (a host's sessions) */
#define PT_EVICTED_MIN 64   /* slots of the evicted record at least */
/* MurmurHash3's 64-bit finalizer: its multipliers and shifts */
#define PT_MIX_M1 0xff51afd7ed558ccdULL
#define PT_MIX_M2 0xc4ceb9fe1a85ec53ULL
#define PT_MIX_SHIFT 33
#define PT_KIND_SHIFT 62 /* the kind in a key's top bits */
#define PT_NODE_SHIFT 32 /* the node above the 32-bit id */

/* The structure that holds member at ptr. */
#define PT_OF(ptr, type, member)                                               \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* ---------------------------------------------------------------- keys */

/* Compare event times (see pt_store.h). */
int pt_time_cmp(const struct pt_key *a, const struct pt_key *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->msec != b->msec)
		return a->msec < b->msec ? -1 : 1;
	return 0;
}

static int serial_cmp(const struct pt_key *a, const struct pt_key *b)
{
	return a->serial < b->serial ? -1 : a->serial > b->serial;
}

/*
 * Order two keys (see pt_store.h). Within a boot the kernel's serial
 * orders events whatever the wall clock did; the boot tells one run of
 * serials from the next. Images from /proc have no serial: time then.
 */
int pt_key_cmp(const struct pt_key *a, const struct pt_key *b)
{
	int c;

	if (a->serial && b->serial) {
		if (a->boot != b->boot)
			c = a->boot < b->boot ? -1 : 1;
		else
			c = serial_cmp(a, b);
	} else {
		c = pt_time_cmp(a, b);
		if (!c)
			c = serial_cmp(a, b);
	}
	if (c || a->fork == b->fork)
		return c;
	return a->fork ? -1 : 1;
}

/* ---------------------------------------------------------------- hash */

static size_t mix(uint8_t kind, uint32_t node, uint32_t id)
{
	uint64_t h = (uint64_t)node << PT_NODE_SHIFT ^ id ^
		     (uint64_t)kind << PT_KIND_SHIFT;

	h ^= h >> PT_MIX_SHIFT;
	h *= PT_MIX_M1;
	h ^= h >> PT_MIX_SHIFT;
	h *= PT_MIX_M2;
	h ^= h >> PT_MIX_SHIFT;
	return (size_t)h;
}

static struct pt_hlink **bucket(const struct pt_store *s, uint8_t kind,
				uint32_t node, uint32_t id)
{
	return &s->buckets[mix(kind, node, id) & (s->nbuckets - 1)];
}

static struct pt_hlink *hfind(const struct pt_store *s, uint8_t kind,
			      uint32_t node, uint32_t id)
{
	struct pt_hlink *l;

	for (l = *bucket(s, kind, node, id); l; l = l->next)
		if (l->id == id && l->node == node && l->kind == kind)
			return l;
	return NULL;
}

/* Double the buckets when the records outnumber them; a failed resize
 * only makes chains longer. */
static void hgrow(struct pt_store *s)
{
	size_t i, old = s->nbuckets;
	struct pt_hlink **ob = s->buckets, **nb, *l, *next, **b;

	nb = calloc(old * 2, sizeof(*nb));
	if (!nb)
		return;
	s->buckets = nb;
	s->nbuckets = old * 2;
	for (i = 0; i < old; i++) {
		for (l = ob[i]; l; l = next) {
			next = l->next;
			b = bucket(s, l->kind, l->node, l->id);
			l->next = *b;
			*b = l;
		}
	}
	free(ob);
}

static void hadd(struct pt_store *s, struct pt_hlink *l)
{
	struct pt_hlink **b;

	if (s->nobjs >= s->nbuckets)
		hgrow(s);
	b = bucket(s, l->kind, l->node, l->id);
	l->next = *b;
	*b = l;
	s->nobjs++;
}

static void hdel(struct pt_store *s, struct pt_hlink *l)
{
	struct pt_hlink **pp = bucket(s, l->kind, l->node, l->id);

	while (*pp && *pp != l)
		pp = &(*pp)->next;
	if (*pp)
		*pp = l->next;
	s->nobjs--;
}

/* ---------------------------------------------------------------- heaps */

static void heap_swap(struct pt_heap *h, size_t i, size_t j)
{
	struct pt_weight *t = h->v[i];

	h->v[i] = h->v[j];
	h->v[j] = t;
	h->v[i]->slot = i;
	h->v[j]->slot = j;
}

static void heap_up(struct pt_heap *h, size_t i)
{
	while (i && h->v[(i - 1) / 2]->charge < h->v[i]->charge) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct pt_heap *h, size_t i)
{
	size_t big, c;

	for (;;) {
		big = i;
		c = 2 * i + 1;
		if (c < h->n && h->v[c]->charge > h->v[big]->charge)
			big = c;
		if (c + 1 < h->n && h->v[c + 1]->charge > h->v[big]->charge)
			big = c + 1;
		if (big == i)
			return;
		heap_swap(h, i, big);
		i = big;
	}
}

static void heap_fix(struct pt_heap *h, struct pt_weight *w)
{
	heap_up(h, w->slot);
	heap_down(h, w->slot);
}

static int heap_add(struct pt_heap *h, struct pt_weight *w)
{
	struct pt_weight **v;
	size_t cap;

	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : PT_HEAP_MIN;
		v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -1;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n] = w;
	w->slot = h->n++;
	heap_up(h, w->slot);
	return 0;
}

static void heap_del(struct pt_heap *h, struct pt_weight *w)
{
	size_t i = w->slot;

	if (i != --h->n) {
		h->v[i] = h->v[h->n];
		h->v[i]->slot = i;
		heap_fix(h, h->v[i]);
	}
}

/* ---------------------------------------------------------------- lists */

static void link_del(struct pt_list *l, struct pt_link *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else
		l->head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = NULL;
}

static void link_add_tail(struct pt_list *l, struct pt_link *k)
{
	k->next = NULL;
	k->prev = l->tail;
	if (l->tail)
		l->tail->next = k;
	else
		l->head = k;
	l->tail = k;
}

static struct pt_entry *entry_of(struct pt_link *k)
{
	return k ? PT_OF(k, struct pt_entry, lru) : NULL;
}

static void list_del(struct pt_entry *e)
{
	link_del(&e->group->lists[e->list], &e->lru);
}

static void list_add_tail(struct pt_entry *e, enum pt_listid id)
{
	e->list = (uint8_t)id;
	e->stamp = ++e->group->clock;
	link_add_tail(&e->group->lists[id], &e->lru);
}

static void list_move(struct pt_entry *e, enum pt_listid id)
{
	list_del(e);
	list_add_tail(e, id);
}

/* Mark e recently useful (see pt_store.h). */
void store_touch(struct pt_entry *e)
{
	if (e->list != PT_SPARE)
		list_move(e, (enum pt_listid)e->list);
}

/* Whether e sits in the newer half of its group (see pt_store.h). */
bool store_fresh(const struct pt_entry *e)
{
	return e->group->clock - e->stamp < (e->group->n + 1) / 2;
}

/* ---------------------------------------------------------------- records */

/* Find a host (see pt_store.h). */
struct pt_host *store_host(const struct pt_store *s, uint32_t node)
{
	struct pt_hlink *l;

	if (s->hcache && s->hcache->hl.node == node)
		return s->hcache;
	l = hfind(s, PT_H_HOST, node, 0);
	return l ? PT_OF(l, struct pt_host, hl) : NULL;
}

/* Find a process (see pt_store.h). */
struct pt_proc *store_proc(const struct pt_store *s, uint32_t node, pid_t pid)
{
	struct pt_hlink *l = hfind(s, PT_H_PROC, node, (uint32_t)pid);

	return l ? PT_OF(l, struct pt_proc, hl) : NULL;
}

/* Note an event of h (see pt_store.h). */
void store_host_active(struct pt_store *s, struct pt_host *h)
{
	h->active = s->now;
	if (s->active.tail == &h->act)
		return;
	link_del(&s->active, &h->act);
	link_add_tail(&s->active, &h->act);
}

static struct pt_host *host_get(struct pt_store *s, uint32_t node)
{
	struct pt_host *h = store_host(s, node);

	if (h)
		return s->hcache = h;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->hl.kind = PT_H_HOST;
	h->hl.node = node;
	if (heap_add(&s->hosts, &h->w) < 0) {
		free(h);
		return NULL;
	}
	h->active = s->now;
	link_add_tail(&s->active, &h->act);
	hadd(s, &h->hl);
	s->bytes += sizeof(*h);
	s->st.hosts++;
	return s->hcache = h;
}

/* Free h if it holds nothing (see pt_store.h). */
void store_host_put(struct pt_store *s, struct pt_host *h)
{
	if (h->n)
		return;
	if (s->hcache == h)
		s->hcache = NULL;
	heap_del(&s->hosts, &h->w);
	link_del(&s->active, &h->act);
	hdel(s, &h->hl);
	s->bytes -= sizeof(*h);
	s->st.hosts--;
	free(h->groups.v);
	free(h);
}

static struct pt_group *group_get(struct pt_store *s, struct pt_host *h,
				  uint32_t session)
{
	struct pt_hlink *l;
	struct pt_group *g = h->gcache;

	if (g && g->hl.id == session)
		return g;
	l = hfind(s, PT_H_GROUP, h->hl.node, session);
	if (l)
		return h->gcache = PT_OF(l, struct pt_group, hl);
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->hl.kind = PT_H_GROUP;
	g->hl.node = h->hl.node;
	g->hl.id = session;
	g->host = h;
	if (heap_add(&h->groups, &g->w) < 0) {
		free(g);
		return NULL;
	}
	hadd(s, &g->hl);
	s->bytes += sizeof(*g);
	s->st.groups++;
	return h->gcache = g;
}

static void group_put(struct pt_store *s, struct pt_group *g)
{
	if (g->n)
		return;
	if (g->host->gcache == g)
		g->host->gcache = NULL;
	heap_del(&g->host->groups, &g->w);
	hdel(s, &g->hl);
	s->bytes -= sizeof(*g);
	s->st.groups--;
	free(g);
}

static struct pt_proc *proc_get(struct pt_store *s, uint32_t node, pid_t pid)
{
	struct pt_proc *p = store_proc(s, node, pid);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->hl.kind = PT_H_PROC;
	p->hl.node = node;
	p->hl.id = (uint32_t)pid;
	hadd(s, &p->hl);
	s->bytes += sizeof(*p);
	return p;
}

static void proc_put(struct pt_store *s, struct pt_proc *p)
{
	if (p->newest)
		return;
	hdel(s, &p->hl);
	s->bytes -= sizeof(*p);
	free(p);
}

/* The host of node and its process pid, created if absent (see
 * pt_store.h). */
int store_place(struct pt_store *s, uint32_t node, pid_t pid,
		struct pt_host **h, struct pt_proc **p)
{
	*h = host_get(s, node);
	*p = *h ? proc_get(s, node, pid) : NULL;
	if (*p)
		return 0;
	if (*h)
		store_host_put(s, *h);
	return -1;
}

/* ---------------------------------------------------------------- entries */

/* What an entry weighs in its group and host. */
static uint64_t charge_of(const struct pt_store *s, const struct pt_entry *e)
{
	return e->bytes > s->floor ? e->bytes : s->floor;
}

static void account(struct pt_store *s, struct pt_entry *e, bool add)
{
	struct pt_group *g = e->group;
	struct pt_host *h = g->host;
	uint64_t c = charge_of(s, e);

	if (add) {
		g->w.charge += c;
		h->w.charge += c;
		g->n++;
		h->n++;
		s->st.entries++;
		s->bytes += e->bytes;
	} else {
		g->w.charge -= c;
		h->w.charge -= c;
		g->n--;
		h->n--;
		s->st.entries--;
		s->bytes -= e->bytes;
	}
	heap_fix(&h->groups, &g->w);
	heap_fix(&s->hosts, &h->w);
}

static void chain_link(struct pt_proc *p, struct pt_entry *e)
{
	struct pt_entry **pp = &p->newest;

	while (*pp && pt_key_cmp(&e->key, &(*pp)->key) < 0)
		pp = &(*pp)->older;
	e->older = *pp;
	*pp = e;
}

static void chain_unlink(struct pt_proc *p, struct pt_entry *e)
{
	struct pt_entry **pp = &p->newest;

	while (*pp && *pp != e)
		pp = &(*pp)->older;
	if (*pp)
		*pp = e->older;
	e->older = NULL;
}

/* The newest entry before key (see pt_store.h). */
struct pt_entry *store_find(const struct pt_proc *p, const struct pt_key *key)
{
	struct pt_entry *e;

	for (e = p ? p->newest : NULL; e; e = e->older)
		if (pt_key_cmp(&e->key, key) < 0)
			return e;
	return NULL;
}

/* The entry just newer than key's place (see pt_store.h). */
struct pt_entry *store_next_newer(const struct pt_proc *p,
				  const struct pt_key *key)
{
	struct pt_entry *e, *newer = NULL;

	for (e = p ? p->newest : NULL; e && pt_key_cmp(key, &e->key) < 0;
	     e = e->older)
		newer = e;
	return newer;
}

/* A new entry (see pt_store.h). */
struct pt_entry *store_entry_new(enum pt_kind kind, const struct pt_key *key,
				 struct image *img)
{
	struct pt_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->kind = (uint8_t)kind;
	e->key = *key;
	e->img = img;
	e->bytes = sizeof(*e) + (img ? image_size(img) : 0);
	return e;
}

/* Unlink e from everything and free it, with the records it emptied. */
static void entry_free(struct pt_store *s, struct pt_entry *e)
{
	struct pt_proc *p = e->proc;
	struct pt_group *g = e->group;
	struct pt_host *h = g->host;

	list_del(e);
	chain_unlink(p, e);
	p->n--;
	account(s, e, false);
	image_free(e->img);
	free(e->kept);
	free(e);
	proc_put(s, p);
	group_put(s, g);
	store_host_put(s, h);
}

/* Remember that e was evicted (see pt_store.h). */
static void note_evicted(struct pt_store *s, const struct pt_entry *e)
{
	uint32_t node = e->proc->hl.node;
	pid_t pid = (pid_t)e->proc->hl.id;
	struct pt_evicted *r;

	if (!s->nevicted)
		return;
	r = &s->evicted[mix(PT_H_PROC, node, (uint32_t)pid) &
			(s->nevicted - 1)];
	if (r->node == node && r->pid == pid &&
	    pt_key_cmp(&r->key, &e->key) > 0)
		return; /* a newer image of it was evicted already */
	r->node = node;
	r->pid = pid;
	r->key = e->key;
}

/* Whether an image before before was evicted (see pt_store.h). */
bool store_was_evicted(const struct pt_store *s, uint32_t node, pid_t pid,
		       const struct pt_key *before)
{
	const struct pt_evicted *r;

	if (!s->nevicted)
		return false;
	r = &s->evicted[mix(PT_H_PROC, node, (uint32_t)pid) &
			(s->nevicted - 1)];
	return r->node == node && r->pid == pid &&
	       pt_key_cmp(&r->key, before) < 0;
}

static void evict(struct pt_store *s, struct pt_entry *e)
{
	note_evicted(s, e);
	s->st.evicted++;
	entry_free(s, e);
}

/* Put e into h (see pt_store.h). */
int store_insert(struct pt_store *s, struct pt_host *h, struct pt_proc *p,
		 struct pt_entry *e, uint32_t session, enum pt_listid id,
		 bool trim)
{
	struct pt_group *g = group_get(s, h, session);
	struct pt_entry *last;

	if (!g) {
		proc_put(s, p);
		store_host_put(s, h);
		return -1;
	}
	chain_link(p, e);
	e->proc = p;
	e->group = g;
	p->n++;
	account(s, e, true);
	if (p->newest != e) {
		list_add_tail(e, PT_SPARE);
	} else {
		list_add_tail(e, id);
		if (e->older)
			list_move(e->older, PT_SPARE);
	}
	while (trim && p->n > PT_CHAIN_MAX) {
		for (last = p->newest; last->older; last = last->older)
			;
		if (last == e)
			for (last = p->newest; last->older != e;
			     last = last->older)
				;
		evict(s, last);
	}
	return 0;
}

/* Give e another key (see pt_store.h). */
void store_rekey(struct pt_entry *e, const struct pt_key *key)
{
	struct pt_proc *p = e->proc;
	struct pt_entry *was = p->newest;

	chain_unlink(p, e);
	e->key = *key;
	chain_link(p, e);
	if (p->newest == was)
		return;
	if (was == e) {
		list_move(e, PT_SPARE);
		if (p->newest->list == PT_SPARE)
			list_move(p->newest, PT_NEW);
	} else {
		list_move(was, PT_SPARE);
		list_move(e, PT_NEW);
	}
}

/* Reclassify h's entries after a sweep (see pt_store.h). */
void store_relist(struct pt_host *h, uint32_t epoch, int64_t now)
{
	static const enum pt_listid order[PT_NLISTS] = {PT_SPARE, PT_LIVE,
							PT_NEW};
	struct pt_list old[PT_NLISTS];
	struct pt_entry *e, *next;
	struct pt_group *g;
	size_t i;
	int l;

	for (i = 0; i < h->groups.n; i++) {
		g = PT_OF(h->groups.v[i], struct pt_group, w);
		memcpy(old, g->lists, sizeof(old));
		memset(g->lists, 0, sizeof(g->lists));
		for (l = 0; l < PT_NLISTS; l++) {
			for (e = entry_of(old[order[l]].head); e; e = next) {
				next = entry_of(e->lru.next);
				if (e->seen != epoch && !e->gone)
					e->gone = now;
				list_add_tail(e, e->mark == epoch ? PT_LIVE
								  : PT_SPARE);
			}
		}
	}
}

/* ---------------------------------------------------------------- eviction */

/* The entry to evict first (see pt_store.h), or NULL. */
static struct pt_entry *victim(const struct pt_store *s, bool *quiet)
{
	struct pt_host *h = s->active.head
				    ? PT_OF(s->active.head, struct pt_host, act)
				    : NULL;
	struct pt_group *g;
	int i;

	*quiet = h && s->now - h->active >= PT_QUIET_SECS;
	if (!*quiet)
		h = s->hosts.n ? PT_OF(s->hosts.v[0], struct pt_host, w) : NULL;
	if (!h || !h->groups.n)
		return NULL;
	g = PT_OF(h->groups.v[0], struct pt_group, w);
	for (i = 0; i < PT_NLISTS; i++)
		if (g->lists[i].head)
			return entry_of(g->lists[i].head);
	return NULL;
}

static bool evict_one(struct pt_store *s)
{
	bool quiet;
	struct pt_entry *e = victim(s, &quiet);

	if (!e)
		return false;
	if (quiet)
		s->st.evicted_quiet++;
	evict(s, e);
	return true;
}

/* Make room for incoming bytes (see pt_store.h). */
void store_make_room(struct pt_store *s, size_t incoming)
{
	while (s->st.entries && (s->st.entries >= s->max_entries ||
				 s->bytes + incoming > s->max_bytes))
		if (!evict_one(s))
			break;
}

/* Evict down to the caps (see pt_store.h). */
void store_evict_to_caps(struct pt_store *s)
{
	while (s->st.entries &&
	       (s->st.entries > s->max_entries || s->bytes > s->max_bytes))
		if (!evict_one(s))
			break;
}

/* Drop a forgotten node's entries (see pt_store.h). */
void store_forget_node(struct pt_store *s, uint32_t node)
{
	struct pt_host *h;
	struct pt_group *g;
	int i;

	while ((h = store_host(s, node)) && h->groups.n) {
		g = PT_OF(h->groups.v[0], struct pt_group, w);
		for (i = 0; !g->lists[i].head; i++)
			;
		s->st.forgotten++;
		entry_free(s, entry_of(g->lists[i].head));
	}
	if (h)
		store_host_put(s, h);
}

/* ---------------------------------------------------------------- store */

/* Create a store (see pt_store.h). */
struct pt_store *store_create(size_t floor)
{
	struct pt_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->nbuckets = PT_BUCKETS_MIN;
	s->buckets = calloc(s->nbuckets, sizeof(*s->buckets));
	if (!s->buckets) {
		free(s);
		return NULL;
	}
	s->floor = floor;
	return s;
}

static void free_record(struct pt_hlink *l)
{
	struct pt_entry *e, *older;
	struct pt_proc *p;
	struct pt_host *h;

	switch (l->kind) {
	case PT_H_PROC:
		p = PT_OF(l, struct pt_proc, hl);
		for (e = p->newest; e; e = older) {
			older = e->older;
			image_free(e->img);
			free(e->kept);
			free(e);
		}
		free(p);
		break;
	case PT_H_GROUP:
		free(PT_OF(l, struct pt_group, hl));
		break;
	case PT_H_HOST:
		h = PT_OF(l, struct pt_host, hl);
		free(h->groups.v);
		free(h);
		break;
	}
}

/* Free the store and everything in it (see pt_store.h). */
void store_free(struct pt_store *s)
{
	struct pt_hlink *l, *next;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nbuckets; i++) {
		for (l = s->buckets[i]; l; l = next) {
			next = l->next;
			free_record(l);
		}
	}
	free(s->buckets);
	free(s->hosts.v);
	free(s->evicted);
	free(s);
}

/* Set the caps (see pt_store.h). */
void store_set_caps(struct pt_store *s, size_t max_entries, size_t max_bytes)
{
	size_t n = PT_EVICTED_MIN;
	struct pt_evicted *r;

	s->max_entries = max_entries;
	s->max_bytes = max_bytes;
	while (n < max_entries / PT_EVICTED_RATIO)
		n *= 2;
	if (n == s->nevicted)
		return;
	r = calloc(n, sizeof(*r));
	if (!r)
		return; /* keep the old record */
	free(s->evicted);
	s->evicted = r;
	s->nevicted = n;
}

/* Set the clock (see pt_store.h). */
void store_set_time(struct pt_store *s, time_t now)
{
	struct pt_link *k;

	if (!s->now)
		for (k = s->active.head; k; k = k->next)
			PT_OF(k, struct pt_host, act)->active = now;
	s->now = now;
}

/* Copy the counters (see pt_store.h). */
void store_stats(const struct pt_store *s, struct pt_store_stats *st)
{
	*st = s->st;
	st->bytes = s->bytes + sizeof(*s) + s->nbuckets * sizeof(*s->buckets) +
		    s->hosts.cap * sizeof(*s->hosts.v) +
		    s->nevicted * sizeof(*s->evicted);
}
