/* proctable.c - process images by pid, with history, for parent lookups */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proctable.h"

/*
 * Layout. A hash of pid nodes; each node holds the images of that pid,
 * newest first, ordered by their key (event time and serial). An entry is
 * an exec seen in the stream (EXEC), a fork edge (FORK: the child runs its
 * forker's image, copied only when someone asks), or an image read from
 * /proc (PROC, keyed by the process start time).
 *
 * Every entry is also on one of three eviction lists, each in LRU order:
 *   SPARE  superseded (a newer image of the pid exists), or found dead and
 *          not an ancestor of a live process by the last sweep;
 *   NEW    recorded since the last sweep, not yet classified;
 *   LIVE   the current image of a live process, or an ancestor of one,
 *          at the last sweep (and processes seeded from /proc).
 * At the cap the head of SPARE goes first, then NEW, then LIVE. An exec
 * also moves its parent's entry to the tail of its list: a parent whose
 * children keep exec'ing is alive. Insert, evict and touch are O(1); the
 * sweep is O(entries + processes) and runs every few seconds.
 *
 * A sweep also notes when it first finds an image's process gone: a child
 * that exec'd after that cannot be its child, whatever the pid says.
 *
 * Lookups (proctable_parent, proctable_ancestry) never free anything, so
 * the pointers they return stay valid until the next exec, fork, seed,
 * sweep or free.
 */

#define PT_CHAIN_MAX 8	     /* images kept per pid */
#define PT_SLACK_TICKS 2     /* clock-tick rounding in time comparisons */
#define PT_SERIAL_WINDOW 10  /* seconds within which serials order events */
#define PT_FORK_DEPTH 8	     /* fork edges followed to find an image */
#define PT_ANCESTOR_DEPTH 64 /* ancestors marked live per process */
#define PT_GONE_MARGIN 1     /* seconds of clock slack after a sweep */
#define PT_BUCKETS_MIN 1024
#define PT_BYTES_UNKNOWN UINT32_MAX /* pt_entry.img_bytes: not noted */

enum pt_kind { PT_EXEC, PT_FORK, PT_PROC };
enum pt_listid { PT_SPARE, PT_NEW, PT_LIVE, PT_NLISTS };

/* The order of events: time, and the audit serial when both have one. */
struct pt_key {
	int64_t sec;
	uint32_t msec;
	bool fork; /* a fork edge's key: see key_cmp */
	uint64_t serial;
};

struct pt_node;

struct pt_entry {
	struct pt_entry *prev, *next; /* eviction list */
	struct pt_entry *older;	      /* same pid, earlier key */
	struct pt_node *node;
	struct image *img; /* NULL for a fork edge not yet resolved */
	struct pt_key key;
	pid_t fork_parent;    /* FORK: the forking process */
	uint32_t img_bytes;   /* image_size(img) as counted in pt->bytes;
			       * PT_BYTES_UNKNOWN: too big, ask again */
	uint64_t fork_serial; /* FORK: the serial of its record */
	int64_t gone;	      /* when a sweep found its process gone */
	uint32_t mark;	      /* sweep epoch that found it needed */
	uint32_t seen;	      /* sweep epoch that found its process */
	uint8_t kind;	      /* enum pt_kind */
	uint8_t list;	      /* enum pt_listid */
};

struct pt_node {
	struct pt_node *hnext;
	struct pt_entry *newest;
	pid_t pid;
	unsigned n;
};

struct pt_list {
	struct pt_entry *head, *tail;
};

struct proctable {
	size_t max_entries;
	size_t max_bytes; /* per image */
	size_t max_total; /* all entries, nodes and images */
	struct procfs *pfs;
	struct pt_node **buckets;
	size_t nbuckets; /* a power of two */
	size_t nnodes;
	struct pt_list lists[PT_NLISTS];
	size_t bytes; /* entries, nodes and images */
	uint32_t epoch;
	struct proctable_stats st;
	struct image *parent; /* the last parent handed out, in full */
};

/* ---------------------------------------------------------------- keys */

static struct pt_key key_of(const struct image *img)
{
	struct pt_key k = {img->sec, img->msec, false, img->serial};

	return k;
}

static int time_cmp(const struct pt_key *a, const struct pt_key *b)
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
 * Compare two event keys. The kernel stamps an event's time at syscall
 * entry and its serial when it logs, at exit. Between execs the two agree
 * (a child exists only after its parent's exec returned; a pid is reused
 * only after its holder died), and the serial also orders the many events
 * of one clock tick; but a serial restarts at reboot, so times more than
 * PT_SERIAL_WINDOW apart decide by time. Images from /proc have no serial
 * and compare by time. At equal keys a fork edge comes first (see
 * proctable_fork for the one case where a fork is logged late).
 */
static int key_cmp(const struct pt_key *a, const struct pt_key *b)
{
	int64_t d = a->sec - b->sec;
	int c;

	if (a->serial && b->serial && d <= PT_SERIAL_WINDOW &&
	    d >= -PT_SERIAL_WINDOW) {
		c = serial_cmp(a, b);
	} else {
		c = time_cmp(a, b);
		if (!c)
			c = serial_cmp(a, b);
	}
	if (c || a->fork == b->fork)
		return c;
	return a->fork ? -1 : 1;
}

/* ---------------------------------------------------------------- lists */

static void list_del(struct proctable *pt, struct pt_entry *e)
{
	struct pt_list *l = &pt->lists[e->list];

	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = NULL;
}

static void list_add_tail(struct proctable *pt, struct pt_entry *e,
			  enum pt_listid id)
{
	struct pt_list *l = &pt->lists[id];

	e->list = (uint8_t)id;
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
}

static void list_move_tail(struct proctable *pt, struct pt_entry *e,
			   enum pt_listid id)
{
	list_del(pt, e);
	list_add_tail(pt, e, id);
}

/* Mark e recently useful, within its list (spare entries stay spare). */
static void touch(struct proctable *pt, struct pt_entry *e)
{
	if (e->list != PT_SPARE)
		list_move_tail(pt, e, (enum pt_listid)e->list);
}

/* ---------------------------------------------------------------- hash */

static size_t hash_pid(const struct proctable *pt, pid_t pid)
{
	uint32_t h = (uint32_t)pid * 0x9e3779b1u;

	return (h ^ (h >> 15)) & (pt->nbuckets - 1);
}

static struct pt_node *node_find(const struct proctable *pt, pid_t pid)
{
	struct pt_node *n;

	for (n = pt->buckets[hash_pid(pt, pid)]; n; n = n->hnext)
		if (n->pid == pid)
			return n;
	return NULL;
}

/* Double the buckets when the nodes outnumber them; a failed resize only
 * makes chains longer. */
static void hash_grow(struct proctable *pt)
{
	size_t i, old = pt->nbuckets;
	struct pt_node **ob = pt->buckets, **nb, *n, *next;

	nb = calloc(old * 2, sizeof(*nb));
	if (!nb)
		return;
	pt->buckets = nb;
	pt->nbuckets = old * 2;
	for (i = 0; i < old; i++) {
		for (n = ob[i]; n; n = next) {
			size_t h = hash_pid(pt, n->pid);

			next = n->hnext;
			n->hnext = nb[h];
			nb[h] = n;
		}
	}
	free(ob);
}

static struct pt_node *node_get(struct proctable *pt, pid_t pid)
{
	struct pt_node *n = node_find(pt, pid);
	size_t h;

	if (n)
		return n;
	if (pt->nnodes >= pt->nbuckets)
		hash_grow(pt);
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->pid = pid;
	h = hash_pid(pt, pid);
	n->hnext = pt->buckets[h];
	pt->buckets[h] = n;
	pt->nnodes++;
	pt->bytes += sizeof(*n);
	return n;
}

static void node_del(struct proctable *pt, struct pt_node *n)
{
	struct pt_node **pp = &pt->buckets[hash_pid(pt, n->pid)];

	while (*pp && *pp != n)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = n->hnext;
	pt->nnodes--;
	pt->bytes -= sizeof(*n);
	free(n);
}

/* ---------------------------------------------------------------- entries */

static size_t img_bytes(const struct image *img)
{
	return img ? image_size(img) : 0;
}

/* Note e's image size, so that eviction need not measure it again. */
static size_t set_img_bytes(struct pt_entry *e)
{
	size_t n = img_bytes(e->img);

	e->img_bytes = n < PT_BYTES_UNKNOWN ? (uint32_t)n : PT_BYTES_UNKNOWN;
	return n;
}

static size_t entry_img_bytes(const struct pt_entry *e)
{
	if (e->img_bytes == PT_BYTES_UNKNOWN)
		return img_bytes(e->img);
	return e->img_bytes;
}

static struct pt_entry *entry_new(struct pt_key key, enum pt_kind kind,
				  struct image *img)
{
	struct pt_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->key = key;
	e->kind = (uint8_t)kind;
	e->img = img;
	set_img_bytes(e);
	return e;
}

/* Unlink e from everything and free it (and its node when emptied). */
static void entry_free(struct proctable *pt, struct pt_entry *e)
{
	struct pt_node *n = e->node;
	struct pt_entry **pp;

	list_del(pt, e);
	for (pp = &n->newest; *pp && *pp != e; pp = &(*pp)->older)
		;
	if (*pp)
		*pp = e->older;
	n->n--;
	pt->bytes -= sizeof(*e) + entry_img_bytes(e);
	pt->st.entries--;
	image_free(e->img);
	free(e);
	if (!n->newest)
		node_del(pt, n);
}

/* Evict the least useful entry. Returns false when there is none. */
static bool evict_one(struct proctable *pt)
{
	int i;

	for (i = 0; i < PT_NLISTS; i++) {
		if (pt->lists[i].head) {
			entry_free(pt, pt->lists[i].head);
			pt->st.evicted++;
			return true;
		}
	}
	return false;
}

/* Evict until one more entry, of incoming bytes, fits under the caps. */
static void make_room(struct proctable *pt, size_t incoming)
{
	while (pt->st.entries && (pt->st.entries >= pt->max_entries ||
				  pt->bytes + incoming > pt->max_total))
		if (!evict_one(pt))
			break;
}

/* Evict until the table is within its caps. */
static void evict_to_caps(struct proctable *pt)
{
	while (pt->st.entries &&
	       (pt->st.entries > pt->max_entries || pt->bytes > pt->max_total))
		if (!evict_one(pt))
			break;
}

/*
 * Put e into node's chain at its key's place. If it becomes the newest, the
 * previous newest is superseded; if it is not the newest, it is itself.
 * trim: drop the oldest entry (never e) when the chain is over its length.
 */
static void chain_insert(struct proctable *pt, struct pt_node *node,
			 struct pt_entry *e, enum pt_listid id, bool trim)
{
	struct pt_entry **pp = &node->newest, *last;

	while (*pp && key_cmp(&e->key, &(*pp)->key) < 0)
		pp = &(*pp)->older;
	e->older = *pp;
	*pp = e;
	e->node = node;
	node->n++;
	pt->st.entries++;
	pt->bytes += sizeof(*e) + entry_img_bytes(e);
	if (node->newest != e) {
		list_add_tail(pt, e, PT_SPARE);
	} else {
		list_add_tail(pt, e, id);
		if (e->older)
			list_move_tail(pt, e->older, PT_SPARE);
	}
	while (trim && node->n > PT_CHAIN_MAX) {
		for (last = node->newest; last->older; last = last->older)
			;
		if (last == e)
			for (last = node->newest; last->older != e;
			     last = last->older)
				;
		entry_free(pt, last);
		pt->st.evicted++;
	}
}

/* The newest entry of node that precedes key, or NULL. */
static struct pt_entry *chain_find(const struct pt_node *node,
				   const struct pt_key *key)
{
	struct pt_entry *e;

	for (e = node ? node->newest : NULL; e; e = e->older)
		if (key_cmp(&e->key, key) < 0)
			return e;
	return NULL;
}

/* ---------------------------------------------------------------- public */

/* Create a table (see proctable.h). */
struct proctable *proctable_create(size_t max_entries, size_t max_image_bytes,
				   struct procfs *pfs)
{
	struct proctable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->nbuckets = PT_BUCKETS_MIN;
	pt->buckets = calloc(pt->nbuckets, sizeof(*pt->buckets));
	if (!pt->buckets) {
		free(pt);
		return NULL;
	}
	pt->pfs = pfs;
	proctable_set_limits(pt, max_entries, max_image_bytes);
	return pt;
}

/* Free the table and every image in it; proctable_free(NULL) is safe. */
void proctable_free(struct proctable *pt)
{
	struct pt_entry *e, *next;
	int i;

	if (!pt)
		return;
	image_free(pt->parent);
	for (i = 0; i < PT_NLISTS; i++) {
		for (e = pt->lists[i].head; e; e = next) {
			next = e->next;
			image_free(e->img);
			free(e);
		}
	}
	for (size_t b = 0; b < pt->nbuckets; b++) {
		struct pt_node *n, *nn;

		for (n = pt->buckets[b]; n; n = nn) {
			nn = n->hnext;
			free(n);
		}
	}
	free(pt->buckets);
	free(pt);
}

/* Change the caps, evicting down to them; a max_entries of 0 means 1. */
void proctable_set_limits(struct proctable *pt, size_t max_entries,
			  size_t max_image_bytes)
{
	pt->max_entries = max_entries ? max_entries : 1;
	pt->max_bytes = max_image_bytes;
	pt->max_total = pt->max_entries * PROCTABLE_ENTRY_BYTES;
	evict_to_caps(pt);
}

/* Record a successful exec (see proctable.h). */
int proctable_exec(struct proctable *pt, const struct image *img)
{
	struct pt_key key = key_of(img);
	struct pt_node *node, *pn;
	struct pt_entry *e;
	struct image *copy;

	if (img->pid <= 0 || !img->success)
		return 0;
	/* the same event twice (a replayed log read again) */
	for (e = (node = node_find(pt, img->pid)) ? node->newest : NULL; e;
	     e = e->older)
		if (e->kind == PT_EXEC && key_cmp(&e->key, &key) == 0)
			return 0;
	copy = image_pack(img, pt->max_bytes);
	if (!copy)
		return -1;
	copy->source = IMAGE_SRC_STREAM;
	e = entry_new(key, PT_EXEC, copy); /* measures the copy once */
	if (e)
		make_room(pt, sizeof(*e) + sizeof(*node) + entry_img_bytes(e));
	node = e ? node_get(pt, img->pid) : NULL;
	if (!node) {
		free(e);
		image_free(copy);
		errno = ENOMEM;
		return -1;
	}
	if (copy->flags & IMAGE_COPY_TRUNCATED)
		pt->st.truncated++;
	/* approximate: a new process on an old pid mostly has another
	 * parent (forks count exactly, /proc checks too) */
	if (node->newest && node->newest->img &&
	    node->newest->img->ppid != img->ppid &&
	    key_cmp(&node->newest->key, &key) < 0)
		pt->st.reused++;
	chain_insert(pt, node, e, PT_NEW, true);
	pt->st.execs++;
	pn = img->ppid > 0 && img->ppid != img->pid ? node_find(pt, img->ppid)
						    : NULL;
	if (pn)
		touch(pt, pn->newest);
	return 0;
}

/* Record a fork edge (see proctable.h). */
int proctable_fork(struct proctable *pt, pid_t parent, pid_t child, int64_t sec,
		   uint32_t msec, uint64_t serial)
{
	struct pt_key key = {sec, msec, true, serial};
	struct pt_entry *e, *first, *x;
	struct pt_node *node, *pn;

	pt->st.forks++;
	if (child <= 0 || parent <= 0 || child == parent)
		return 0;
	node = node_find(pt, child);
	for (e = node ? node->newest : NULL; e; e = e->older)
		if (e->kind == PT_FORK && e->fork_serial == serial &&
		    e->fork_parent == parent)
			return 0;
	/*
	 * The forker's record is logged when its fork returns. After a vfork
	 * (posix_spawn) that is always after the child's exec, and after a
	 * fork it can be. So if the newest image of the pid is an exec (or a
	 * run of execs) by a child of this parent whose creation we have not
	 * seen, and it started no earlier than this fork, this fork created
	 * it: file the fork just before those execs instead of after.
	 */
	first = chain_find(node, &key);
	if (first && first->kind == PT_EXEC && first->img->ppid == parent) {
		for (x = first->older;
		     x && x->kind == PT_EXEC && x->img->ppid == parent;
		     x = x->older)
			first = x;
		if (!(x && x->kind == PT_FORK && x->fork_parent == parent) &&
		    time_cmp(&key, &first->key) <= 0) {
			key = first->key;
			key.fork = true;
		}
	}
	make_room(pt, sizeof(*e) + sizeof(*node));
	e = entry_new(key, PT_FORK, NULL);
	node = e ? node_get(pt, child) : NULL;
	if (!node) {
		free(e);
		errno = ENOMEM;
		return -1;
	}
	e->fork_parent = parent;
	e->fork_serial = serial;
	/* a fork creates a new process: any older image of the pid was
	 * another process's (a late fork files before its child's exec) */
	if (node->newest && key_cmp(&node->newest->key, &key) < 0)
		pt->st.reused++;
	chain_insert(pt, node, e, PT_NEW, true);
	pn = node_find(pt, parent);
	if (pn)
		touch(pt, pn->newest);
	return 0;
}

/* The image a fork edge stands for: its forker's as of the fork, copied
 * once. Returns NULL when the forker is unknown. */
static struct image *fork_image(struct proctable *pt, struct pt_entry *e,
				unsigned depth)
{
	struct pt_key when = e->key;
	struct image *src, *copy;
	struct pt_entry *f;

	if (e->img)
		return e->img;
	if (depth >= PT_FORK_DEPTH)
		return NULL;
	when.fork = false; /* the forker's image as of its fork */
	f = chain_find(node_find(pt, e->fork_parent), &when);
	if (!f)
		return NULL;
	src = f->kind == PT_FORK ? fork_image(pt, f, depth + 1) : f->img;
	if (!src)
		return NULL;
	copy = image_pack(src, pt->max_bytes);
	if (!copy)
		return NULL;
	copy->pid = e->node->pid;
	copy->ppid = e->fork_parent;
	copy->sec = e->key.sec;
	copy->msec = e->key.msec;
	copy->serial = e->key.serial;
	copy->start_ticks = 0;
	copy->source = IMAGE_SRC_FORK;
	e->img = copy;
	pt->bytes += set_img_bytes(e);
	return copy;
}

/* The image an entry stands for. */
static const struct image *entry_image(struct proctable *pt, struct pt_entry *e)
{
	if (e->kind == PT_FORK)
		return fork_image(pt, e, 0);
	return e->img;
}

/*
 * Upper bound, in ticks after boot, for the start of child's parent: the
 * child's own start when known (from its image or its /proc entry, if that
 * entry started no later than the exec), else its exec time plus slack.
 * Returns 0, or -1 when /proc times cannot be compared.
 */
static int child_bound(struct proctable *pt, const struct image *child,
		       uint64_t *bound)
{
	uint64_t ct, cs;

	if (child->start_ticks) {
		*bound = child->start_ticks;
		return 0;
	}
	if (procfs_time_to_ticks(pt->pfs, child->sec, child->msec, &ct) != 0)
		return -1;
	*bound = ct + PT_SLACK_TICKS;
	if (child->pid > 0 &&
	    procfs_start_ticks(pt->pfs, child->pid, &cs) == 0 && cs <= *bound)
		*bound = cs;
	return 0;
}

/* Whether entry e is an image of the process that started at pst. */
static bool entry_of_process(struct proctable *pt, const struct pt_entry *e,
			     uint64_t pst)
{
	uint64_t t;

	if (e->kind == PT_PROC)
		return e->img && e->img->start_ticks == pst;
	if (procfs_time_to_ticks(pt->pfs, e->key.sec, e->key.msec, &t) != 0)
		return true;
	return t + PT_SLACK_TICKS >= pst;
}

/* Read /proc/PID and add it as a PROC entry, if it still started at pst.
 * No eviction here (lookups never free). */
static struct pt_entry *proc_insert(struct proctable *pt, pid_t pid,
				    uint64_t pst, enum pt_listid id)
{
	struct image *img, *copy;
	struct pt_key key;
	struct pt_node *node;
	struct pt_entry *e;

	/* read each process once: a fork edge keyed just after the start
	 * would otherwise send every lookup here again */
	for (e = (node = node_find(pt, pid)) ? node->newest : NULL; e;
	     e = e->older)
		if (e->kind == PT_PROC && e->img->start_ticks == pst)
			return e;
	img = procfs_read(pt->pfs, pid);
	if (!img)
		return NULL;
	if (img->start_ticks != pst) {
		image_free(img);
		return NULL;
	}
	copy = image_pack(img, pt->max_bytes);
	image_free(img);
	if (!copy)
		return NULL;
	copy->source = IMAGE_SRC_PROC;
	if (copy->flags & IMAGE_COPY_TRUNCATED)
		pt->st.truncated++;
	key.sec = copy->sec;
	key.msec = copy->msec;
	key.fork = false;
	key.serial = 0;
	e = entry_new(key, PT_PROC, copy);
	node = e ? node_get(pt, pid) : NULL;
	if (!node) {
		free(e);
		image_free(copy);
		return NULL;
	}
	chain_insert(pt, node, e, id, false);
	return e;
}

/* The parent of child, without counting (see proctable_parent). */
static const struct image *find_parent(struct proctable *pt,
				       const struct image *child)
{
	pid_t ppid = child->ppid;
	struct pt_key key = key_of(child);
	struct pt_entry *cand, *e;
	uint64_t bound, pst;

	if (ppid <= 0 || ppid == child->pid)
		return NULL;
	cand = chain_find(node_find(pt, ppid), &key);
	if (pt->pfs && child_bound(pt, child, &bound) == 0 &&
	    procfs_start_ticks(pt->pfs, ppid, &pst) == 0 && pst <= bound) {
		/* the process now at ppid was there when the child
		 * exec'd: it is the parent */
		bool own = cand && entry_of_process(pt, cand, pst);

		if (own && cand->kind != PT_FORK) {
			touch(pt, cand);
			return cand->img;
		}
		/* no image of it, or only of an earlier process on this pid
		 * (reused, by a fork that never exec'd): /proc shows it */
		if (cand && cand->kind == PT_EXEC)
			pt->st.reused++;
		e = proc_insert(pt, ppid, pst, PT_LIVE);
		if (e)
			return e->img;
		/* it went while we read it: only its own fork edge will do,
		 * never the image of an earlier process on the pid */
		if (!own)
			return NULL;
	}
	/* /proc cannot tell (replay, gone, or reused after the child) */
	if (cand && cand->gone && key.sec > cand->gone + PT_GONE_MARGIN) {
		/* a sweep saw its process gone before the child exec'd:
		 * the pid went to a process we never saw (a fork) */
		pt->st.reused++;
		return NULL;
	}
	return cand ? entry_image(pt, cand) : NULL;
}

/* The parent of child, counted by source (see proctable.h). */
const struct image *proctable_parent(struct proctable *pt,
				     const struct image *child)
{
	const struct image *p = find_parent(pt, child);
	struct image *full;

	if (!p) {
		pt->st.parents_unknown++;
		return NULL;
	}
	if (p->source == IMAGE_SRC_PROC)
		pt->st.parents_proc++;
	else
		pt->st.parents_stream++;
	/* The table keeps images packed, without command_line: hand out a
	 * full copy (rare: only rule candidates ask). On ENOMEM the packed
	 * image is better than none. */
	full = image_copy(p, 0);
	if (!full)
		return p;
	image_free(pt->parent);
	pt->parent = full;
	return full;
}

/* Ancestors of child, parent first (see proctable.h). */
size_t proctable_ancestry(struct proctable *pt, const struct image *child,
			  const struct image **out, size_t max)
{
	const struct image *cur = child, *p;
	size_t n = 0, i;

	while (n < max) {
		if (cur->pid == 1 || cur->ppid <= 0 || cur->ppid == cur->pid ||
		    cur->ppid == child->pid)
			break;
		for (i = 0; i < n && out[i]->pid != cur->ppid; i++)
			;
		if (i < n)
			break; /* a cycle */
		p = find_parent(pt, cur);
		if (!p)
			break;
		out[n++] = p;
		cur = p;
	}
	return n;
}

struct seed_ctx {
	struct proctable *pt;
	int err;
};

static int seed_pid(pid_t pid, void *arg)
{
	struct seed_ctx *c = arg;
	uint64_t st;

	if (procfs_start_ticks(c->pt->pfs, pid, &st) != 0)
		return 0;
	make_room(c->pt, 0);
	if (!proc_insert(c->pt, pid, st, PT_LIVE) && errno == ENOMEM)
		c->err = -1;
	return 0;
}

/* Record every process in /proc (see proctable.h). */
int proctable_seed(struct proctable *pt)
{
	struct seed_ctx c = {pt, 0};

	if (!pt->pfs)
		return 0;
	if (procfs_foreach(pt->pfs, seed_pid, &c) != 0)
		return -1;
	return c.err;
}

struct sweep_ctx {
	struct proctable *pt;
	struct pt_entry **live;
	size_t n, cap;
};

/* Mark the current image of one live process. */
static int sweep_pid(pid_t pid, void *arg)
{
	struct sweep_ctx *c = arg;
	struct pt_node *node = node_find(c->pt, pid);
	struct pt_entry *e, **nl;
	uint64_t st;

	if (!node || procfs_start_ticks(c->pt->pfs, pid, &st) != 0)
		return 0;
	/* every image of the process now on this pid is still alive */
	for (e = node->newest; e; e = e->older)
		if (entry_of_process(c->pt, e, st))
			e->seen = c->pt->epoch;
	e = node->newest;
	if (e->seen != c->pt->epoch)
		return 0; /* the pid now runs a process we have no image of */
	e->mark = c->pt->epoch;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;

		nl = realloc(c->live, cap * sizeof(*nl));
		if (!nl)
			return 0;
		c->live = nl;
		c->cap = cap;
	}
	c->live[c->n++] = e;
	return 0;
}

/* Mark the ancestors of a live entry, as far as the table knows them. */
static void mark_ancestors(struct proctable *pt, struct pt_entry *e)
{
	unsigned depth;
	pid_t ppid;

	for (depth = 0; depth < PT_ANCESTOR_DEPTH; depth++) {
		ppid = e->kind == PT_FORK ? e->fork_parent
					  : (e->img ? e->img->ppid : 0);
		if (ppid <= 0 || ppid == e->node->pid)
			return;
		e = chain_find(node_find(pt, ppid), &e->key);
		if (!e || e->mark == pt->epoch)
			return;
		e->mark = pt->epoch;
	}
}

/* Periodic maintenance (see proctable.h). */
void proctable_sweep(struct proctable *pt)
{
	static const enum pt_listid order[PT_NLISTS] = {PT_SPARE, PT_LIVE,
							PT_NEW};
	struct sweep_ctx c = {pt, NULL, 0, 0};
	struct pt_list old[PT_NLISTS];
	struct pt_entry *e, *next;
	time_t now;
	size_t i;
	int l;

	if (pt->pfs) {
		if (++pt->epoch == 0)
			pt->epoch = 1;
		if (procfs_foreach(pt->pfs, sweep_pid, &c) == 0) {
			for (i = 0; i < c.n; i++)
				mark_ancestors(pt, c.live[i]);
			now = time(NULL);
			/* reclassify every entry, the least recently known
			 * alive first: spare, live at the last sweep, new */
			memcpy(old, pt->lists, sizeof(old));
			memset(pt->lists, 0, sizeof(pt->lists));
			for (l = 0; l < PT_NLISTS; l++) {
				for (e = old[order[l]].head; e; e = next) {
					next = e->next;
					if (e->seen != pt->epoch && !e->gone)
						e->gone = now;
					list_add_tail(pt, e,
						      e->mark == pt->epoch
							      ? PT_LIVE
							      : PT_SPARE);
				}
			}
		}
		free(c.live);
	}
	evict_to_caps(pt);
}

/* Copy the counters (see proctable.h). */
void proctable_stats(const struct proctable *pt, struct proctable_stats *st)
{
	*st = pt->st;
	st->bytes =
		pt->bytes + sizeof(*pt) + pt->nbuckets * sizeof(*pt->buckets);
}
