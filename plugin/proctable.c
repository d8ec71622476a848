/* proctable.c - process images by node and pid: parents for every exec */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "proctable.h"
#include "pt_store.h"
#include "util.h"

/*
 * What the entries mean; pt_store.c keeps them and chooses what to evict.
 * An entry is an exec seen in the stream (EXEC), a fork edge (FORK: the
 * child runs its forker's image, built only when someone asks, by following
 * forks without exec up to an exec or /proc image), or an image read from
 * /proc (PROC, keyed by the process start time).
 *
 * Keys are (boot, serial) for stream events; each node's host record keeps
 * the highest serial of its current boot (top), and starts_boot decides
 * when an event begins the next boot (proctable.h says when).
 *
 * Late forks. The kernel stamps an event's time at syscall entry and its
 * serial at exit, so a fork or vfork whose record is logged after its
 * child's exec has the larger serial and the earlier time. Such a fork is
 * filed just before the child's first exec by that forker, whichever of
 * the two arrives first (auparse hands over events in time order, so the
 * fork can come first): proctable_fork_event looks back for the exec,
 * proctable_exec looks forward for the fork. Either way the fork keeps its
 * own time and takes the exec's serial.
 *
 * A sweep also notes when it first finds an image's process gone: a child
 * that exec'd after that cannot be its child, whatever the pid says.
 *
 * Lookups (proctable_parent, proctable_ancestry) never free an entry, so
 * the pointers they return stay valid until the next exec, fork, seed,
 * sweep or free (ancestry's fork images until the next ancestry).
 */

#define PT_SLACK_TICKS 2     /* clock-tick rounding in time comparisons */
#define PT_ANCESTOR_DEPTH 64 /* ancestors marked live or refreshed */
#define PT_GONE_MARGIN 1     /* seconds of clock slack after a sweep */
#define PT_SCRATCH_MIN 8     /* ancestry's fork images, slots at first */
#define PT_LIVE_MIN 256	     /* a sweep's live entries, slots at first */
#define PT_SESSION_UNSET UINT32_MAX /* audit's "no session" */

struct proctable {
	struct pt_store *s;
	size_t max_bytes; /* per image */
	struct procfs *pfs;
	const struct rule *rule; /* judges the images cut (may be NULL) */
	uint32_t epoch;
	struct proctable_stats st;
	struct image *parent;	/* the last parent handed out, in full */
	struct image **scratch; /* fork images of the last ancestry */
	size_t nscratch, scratch_cap;
};

/* A process whose parent is looked up. */
struct pt_query {
	uint32_t node;
	pid_t pid, ppid;
	struct pt_key key;
	const struct image *img; /* for its start time and exec time */
};

/* Where a lookup found nothing: the process it wanted, as of key; what it
 * tried, and why it failed when it knows more than that it is missing. */
struct pt_miss {
	pid_t pid;
	struct pt_key key;
	unsigned tried;		 /* PROCTABLE_TRIED_* */
	enum proctable_miss why; /* PROCTABLE_FOUND: not known yet */
};

static struct log_limit lim_evicted = LOG_LIMIT_INIT;

/* ---------------------------------------------------------------- boots */

/* Whether k starts a new boot of h (see proctable.h). */
static bool starts_boot(const struct pt_host *h, const struct pt_key *k)
{
	const struct pt_key *top = &h->top;

	if (!k->serial || !top->serial || k->serial >= top->serial)
		return false;
	if (pt_time_cmp(k, top) <= 0)
		return false; /* time did not move on: an older event */
	return k->serial < top->serial / 2 ||
	       top->serial - k->serial > PROCTABLE_BOOT_DROP;
}

/* The key of an event at (sec, msec, serial) of h's node (h NULL: a node
 * the table holds nothing of). */
static struct pt_key event_key(const struct pt_host *h, int64_t sec,
			       uint32_t msec, uint64_t serial, bool fork)
{
	struct pt_key k = {.sec = sec, .serial = serial, .msec = msec};

	k.fork = fork;
	if (h)
		k.boot = h->top.boot + starts_boot(h, &k);
	return k;
}

/* Note an event recorded in h: it is active, and k may raise its top or
 * start its next boot. */
static void note_event(struct proctable *pt, struct pt_host *h,
		       const struct pt_key *k)
{
	store_host_active(pt->s, h);
	if (!k->serial)
		return;
	if (k->boot != h->top.boot) {
		pt->st.boots++;
		h->top = *k;
	} else if (k->serial > h->top.serial) {
		h->top = *k;
	}
}

static struct pt_query query_of(const struct proctable *pt,
				const struct image *img)
{
	struct pt_query q = {img->node, img->pid, img->ppid, {0}, img};

	q.key = event_key(store_host(pt->s, img->node), img->sec, img->msec,
			  img->serial, false);
	return q;
}

/* ---------------------------------------------------------------- parents */

static pid_t entry_ppid(const struct pt_entry *e)
{
	if (e->kind == PT_FORK)
		return e->fork_parent;
	return e->img ? e->img->ppid : 0;
}

/* The entry of e's parent as of e's key, from the table alone. */
static struct pt_entry *parent_entry(const struct pt_store *s,
				     const struct pt_entry *e)
{
	pid_t ppid = entry_ppid(e);
	struct pt_key when = e->key;

	if (ppid <= 0 || ppid == (pid_t)e->proc->hl.id)
		return NULL;
	when.fork = false; /* a forker's image as of its fork */
	return store_find(store_proc(s, e->proc->hl.node, ppid), &when);
}

/*
 * The exec or /proc entry whose image e stands for: e, or for a fork edge
 * its forker's as of the fork, through any number of forks without exec.
 * Each step goes to an earlier key, so the walk ends; the bound only stops
 * a crafted stream whose forks share serials. NULL when unknown; *miss (if
 * not NULL) then says which process was missing.
 */
static struct pt_entry *image_source(const struct pt_store *s,
				     struct pt_entry *e, struct pt_miss *miss)
{
	struct pt_entry *up;
	size_t steps = 0;

	while (e && e->kind == PT_FORK) {
		if (steps++ > s->st.entries)
			return NULL;
		up = parent_entry(s, e);
		if (miss)
			miss->tried |= PROCTABLE_TRIED_FORK;
		if (!up && miss) {
			miss->why = PROCTABLE_NEVER_SEEN;
			miss->pid = e->fork_parent;
			miss->key = e->key;
			miss->key.fork = false;
		}
		e = up;
	}
	return e;
}

/* A copy of src's image standing for fork edge e: packed, or full with
 * its command line. NULL on ENOMEM; the caller owns it. */
static struct image *fork_copy(const struct proctable *pt,
			       const struct pt_entry *e,
			       const struct pt_entry *src, bool full)
{
	struct image *copy = full ? image_copy(src->img, 0)
				  : image_pack(src->img, pt->max_bytes);

	if (!copy)
		return NULL;
	copy->pid = (pid_t)e->proc->hl.id;
	copy->ppid = e->fork_parent;
	copy->sec = e->key.sec;
	copy->msec = e->key.msec;
	copy->serial = e->key.serial;
	copy->start_ticks = 0;
	copy->source = IMAGE_SRC_FORK;
	return copy;
}

/* Refresh the entry of ppid as of key, and its ancestors until one that
 * is fresh already: a process whose children keep exec'ing is alive. */
static void refresh_parents(struct proctable *pt, uint32_t node, pid_t ppid,
			    const struct pt_key *key)
{
	struct pt_key when = *key;
	struct pt_entry *e;
	unsigned depth;

	when.fork = false;
	e = store_find(store_proc(pt->s, node, ppid), &when);
	for (depth = 0; e && depth < PT_ANCESTOR_DEPTH; depth++) {
		if (depth && store_fresh(e))
			return;
		store_touch(e);
		e = parent_entry(pt->s, e);
	}
}

/* ---------------------------------------------------------------- public */

/* Create a table (see proctable.h). */
struct proctable *proctable_create(size_t max_entries, size_t max_image_bytes,
				   struct procfs *pfs)
{
	struct proctable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->s = store_create(PROCTABLE_ENTRY_BYTES);
	if (!pt->s) {
		free(pt);
		return NULL;
	}
	pt->pfs = pfs;
	proctable_set_limits(pt, max_entries, max_image_bytes);
	return pt;
}

/* Free the images the last ancestry handed out; all: their array too. */
static void scratch_clear(struct proctable *pt, bool all)
{
	while (pt->nscratch)
		image_free(pt->scratch[--pt->nscratch]);
	if (all) {
		free(pt->scratch);
		pt->scratch = NULL;
		pt->scratch_cap = 0;
	}
}

/* Free the table and every image in it (see proctable.h). */
void proctable_free(struct proctable *pt)
{
	if (!pt)
		return;
	scratch_clear(pt, true);
	image_free(pt->parent);
	store_free(pt->s);
	free(pt);
}

/* Keep img until the next scratch_clear. Returns img, or NULL (freed) on
 * ENOMEM. */
static struct image *scratch_keep(struct proctable *pt, struct image *img)
{
	struct image **v;
	size_t cap;

	if (img && pt->nscratch == pt->scratch_cap) {
		cap = pt->scratch_cap ? pt->scratch_cap * 2 : PT_SCRATCH_MIN;
		v = realloc(pt->scratch, cap * sizeof(*v));
		if (!v) {
			image_free(img);
			return NULL;
		}
		pt->scratch = v;
		pt->scratch_cap = cap;
	}
	if (img)
		pt->scratch[pt->nscratch++] = img;
	return img;
}

/* Change the caps, evicting down to them; a max_entries of 0 means 1. */
void proctable_set_limits(struct proctable *pt, size_t max_entries,
			  size_t max_image_bytes)
{
	if (!max_entries)
		max_entries = 1;
	pt->max_bytes = max_image_bytes;
	store_set_caps(pt->s, max_entries, max_entries * PROCTABLE_ENTRY_BYTES);
	store_evict_to_caps(pt->s);
}

/* Judge images with rule (see proctable.h). */
void proctable_set_rule(struct proctable *pt, const struct rule *rule)
{
	pt->rule = rule;
}

/* A cut copy in e: keep the rule's result on the whole image with it.
 * Returns 0, or -1 on ENOMEM. */
static int keep_result(struct proctable *pt, struct pt_entry *e,
		       const struct image *whole)
{
	if (!(e->img->flags & IMAGE_COPY_TRUNCATED))
		return 0;
	pt->st.truncated++;
	if (!pt->rule)
		return 0;
	e->kept = malloc(sizeof(*e->kept));
	if (!e->kept)
		return -1;
	rule_parent_eval(pt->rule, whole, e->kept);
	e->bytes += sizeof(*e->kept);
	return 0;
}

static void forget_node(void *arg, uint32_t node)
{
	struct proctable *pt = arg;

	store_forget_node(pt->s, node);
}

/* Follow a node registry (see proctable.h). */
void proctable_use_nodes(struct proctable *pt, struct node_reg *reg)
{
	node_on_forget(reg, forget_node, pt);
}

/* The same exec event again (a replayed log read twice)? */
static bool seen_exec(const struct proctable *pt, const struct image *img)
{
	struct pt_key key = query_of(pt, img).key;
	struct pt_proc *p = store_proc(pt->s, img->node, img->pid);
	struct pt_entry *e;

	for (e = p ? p->newest : NULL; e; e = e->older)
		if (e->kind == PT_EXEC && pt_key_cmp(&e->key, &key) == 0)
			return true;
	return false;
}

/*
 * A fork by ppid of this exec's process, logged after the exec but
 * recorded first (see the top of this file): the entry just after the
 * exec's place is that fork, with a later serial and a time no later than
 * the exec's. File it just before the exec.
 */
static void file_late_fork(struct proctable *pt, struct pt_proc *p,
			   const struct pt_key *key, pid_t ppid)
{
	struct pt_entry *f = store_next_newer(p, key);
	struct pt_key k;

	if (!f || f->kind != PT_FORK || f->fork_parent != ppid ||
	    f->key.boot != key->boot || f->fork_serial <= key->serial ||
	    pt_time_cmp(&f->key, key) > 0)
		return;
	k = f->key;
	k.serial = key->serial;
	store_rekey(f, &k);
	pt->st.forks_late++;
}

/* Approximate: a new process on an old pid mostly has another parent
 * (forks count exactly, /proc checks too). */
static void count_reuse(struct proctable *pt, const struct pt_proc *p,
			const struct image *img, const struct pt_key *key)
{
	const struct pt_entry *n = p ? p->newest : NULL;

	if (n && n->img && n->img->ppid != img->ppid &&
	    pt_key_cmp(&n->key, key) < 0)
		pt->st.reused++;
}

/* Record a successful exec (see proctable.h). */
int proctable_exec(struct proctable *pt, const struct image *img)
{
	struct pt_key key = {0};
	struct pt_host *h;
	struct pt_proc *p;
	struct pt_entry *e;
	struct image *copy;

	if (img->pid <= 0 || !img->success || seen_exec(pt, img))
		return 0;
	copy = image_pack(img, pt->max_bytes);
	if (!copy)
		return -1;
	copy->source = IMAGE_SRC_STREAM;
	e = store_entry_new(PT_EXEC, &key, copy); /* measures the copy once */
	if (!e || keep_result(pt, e, img) < 0)
		goto nomem;
	store_make_room(pt->s, e->bytes + sizeof(struct pt_proc));
	if (store_place(pt->s, img->node, img->pid, &h, &p) < 0)
		goto nomem;
	key = event_key(h, img->sec, img->msec, img->serial, false);
	note_event(pt, h, &key);
	e->key = key;
	count_reuse(pt, p, img, &key);
	file_late_fork(pt, p, &key, img->ppid);
	if (store_insert(pt->s, h, p, e, img->session, PT_NEW, true) < 0)
		goto nomem;
	pt->st.execs++;
	if (img->ppid > 0 && img->ppid != img->pid)
		refresh_parents(pt, img->node, img->ppid, &key);
	return 0;
nomem:
	if (e)
		free(e->kept);
	free(e);
	image_free(copy);
	errno = ENOMEM;
	return -1;
}

/*
 * A fork logged after its child's exec, which was recorded first (see the
 * top of this file): the newest image of the pid before the fork is an
 * exec (or a run of execs) by a child of this parent whose creation we
 * have not seen, and it started no earlier than this fork. Give the fork
 * the serial of the first of those execs.
 */
static void late_fork_key(struct proctable *pt, const struct pt_proc *p,
			  pid_t parent, struct pt_key *key)
{
	struct pt_entry *first = store_find(p, key), *x;

	if (!first || first->kind != PT_EXEC || first->img->ppid != parent)
		return;
	for (x = first->older;
	     x && x->kind == PT_EXEC && x->img->ppid == parent; x = x->older)
		first = x;
	if ((x && x->kind == PT_FORK && x->fork_parent == parent) ||
	    first->key.boot != key->boot || pt_time_cmp(key, &first->key) > 0)
		return;
	key->serial = first->key.serial;
	pt->st.forks_late++;
}

/* The session of a fork's child: the event's, else its forker's. */
static uint32_t fork_session(const struct proctable *pt,
			     const struct proctable_fork *f,
			     const struct pt_key *key)
{
	struct pt_key when = *key;
	const struct pt_entry *e;

	if (f->session != PROCTABLE_SESSION_FORKER)
		return f->session;
	when.fork = false;
	e = store_find(store_proc(pt->s, f->node, f->parent), &when);
	return e ? e->group->hl.id : PT_SESSION_UNSET;
}

static bool seen_fork(const struct proctable *pt,
		      const struct proctable_fork *f)
{
	struct pt_proc *p = store_proc(pt->s, f->node, f->child);
	struct pt_entry *e;

	for (e = p ? p->newest : NULL; e; e = e->older)
		if (e->kind == PT_FORK && e->fork_serial == f->serial &&
		    e->fork_parent == f->parent)
			return true;
	return false;
}

/* Record a fork edge (see proctable.h). */
int proctable_fork_event(struct proctable *pt, const struct proctable_fork *f)
{
	struct pt_key key = {0};
	struct pt_entry *e;
	struct pt_host *h;
	struct pt_proc *p;

	pt->st.forks++;
	if (f->child <= 0 || f->parent <= 0 || f->child == f->parent ||
	    seen_fork(pt, f))
		return 0;
	e = store_entry_new(PT_FORK, &key, NULL);
	if (!e)
		return -1;
	store_make_room(pt->s, e->bytes + sizeof(struct pt_proc));
	if (store_place(pt->s, f->node, f->child, &h, &p) < 0) {
		free(e);
		errno = ENOMEM;
		return -1;
	}
	key = event_key(h, f->sec, f->msec, f->serial, true);
	note_event(pt, h, &key);
	late_fork_key(pt, p, f->parent, &key);
	e->key = key;
	e->fork_parent = f->parent;
	e->fork_serial = f->serial;
	/* a fork creates a new process: any older image of the pid was
	 * another process's (a late fork files before its child's exec) */
	if (p->newest && pt_key_cmp(&p->newest->key, &key) < 0)
		pt->st.reused++;
	if (store_insert(pt->s, h, p, e, fork_session(pt, f, &key), PT_NEW,
			 true) < 0) {
		free(e);
		errno = ENOMEM;
		return -1;
	}
	refresh_parents(pt, f->node, f->parent, &key);
	return 0;
}

/* A fork on this host (see proctable.h). */
int proctable_fork(struct proctable *pt, pid_t parent, pid_t child, int64_t sec,
		   uint32_t msec, uint64_t serial)
{
	struct proctable_fork f = {NODE_LOCAL,
				   parent,
				   child,
				   sec,
				   msec,
				   serial,
				   PROCTABLE_SESSION_FORKER};

	return proctable_fork_event(pt, &f);
}

/* ---------------------------------------------------------------- /proc */

/*
 * Upper bound, in ticks after boot, for the start of q's parent: q's own
 * start when known (from its image or its /proc entry, if that entry
 * started no later than the exec), else its exec time plus slack.
 * Returns 0, or -1 when /proc times cannot be compared.
 */
static int child_bound(struct proctable *pt, const struct pt_query *q,
		       uint64_t *bound)
{
	uint64_t ct, cs;

	if (q->img->start_ticks) {
		*bound = q->img->start_ticks;
		return 0;
	}
	if (procfs_time_to_ticks(pt->pfs, q->img->sec, q->img->msec, &ct) != 0)
		return -1;
	*bound = ct + PT_SLACK_TICKS;
	if (q->pid > 0 && procfs_start_ticks(pt->pfs, q->pid, &cs) == 0 &&
	    cs <= *bound)
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

/* Read /proc/PID and add it as a PROC entry of this host, if it still
 * started at pst. No eviction here (lookups never free). */
static struct pt_entry *proc_insert(struct proctable *pt, pid_t pid,
				    uint64_t pst, enum pt_listid id)
{
	struct pt_proc *p = store_proc(pt->s, NODE_LOCAL, pid);
	struct pt_key key = {0};
	struct image *img, *copy;
	struct pt_entry *e;
	struct pt_host *h;

	/* read each process once: a fork edge keyed just after the start
	 * would otherwise send every lookup here again */
	for (e = p ? p->newest : NULL; e; e = e->older)
		if (e->kind == PT_PROC && e->img->start_ticks == pst)
			return e;
	img = procfs_read(pt->pfs, pid);
	if (img && img->start_ticks != pst) {
		image_free(img);
		img = NULL;
	}
	copy = img ? image_pack(img, pt->max_bytes) : NULL;
	if (!copy) {
		image_free(img);
		return NULL;
	}
	copy->source = IMAGE_SRC_PROC;
	key.sec = copy->sec;
	key.msec = copy->msec;
	e = store_entry_new(PT_PROC, &key, copy);
	if (!e || keep_result(pt, e, img) < 0 ||
	    store_place(pt->s, NODE_LOCAL, pid, &h, &p) < 0 ||
	    store_insert(pt->s, h, p, e, copy->session, id, false) < 0) {
		if (e)
			free(e->kept);
		free(e);
		image_free(copy);
		copy = NULL;
	}
	image_free(img);
	return copy ? e : NULL;
}

/*
 * The entry of q's parent, without counting (see proctable_parent): a FORK
 * entry stands for its source's image. *miss says what was tried, and
 * which process was missing when there is none.
 */
static struct pt_entry *find_parent(struct proctable *pt,
				    const struct pt_query *q,
				    struct pt_miss *miss)
{
	struct pt_entry *cand, *e;
	uint64_t bound, pst;
	bool own, proc;

	if (q->ppid <= 0 || q->ppid == q->pid) {
		miss->why = PROCTABLE_NO_PPID;
		return NULL;
	}
	miss->tried |= PROCTABLE_TRIED_STREAM;
	cand = store_find(store_proc(pt->s, q->node, q->ppid), &q->key);
	proc = q->node == NODE_LOCAL && pt->pfs &&
	       child_bound(pt, q, &bound) == 0;
	if (proc) {
		miss->tried |= PROCTABLE_TRIED_PROC;
		miss->why = PROCTABLE_PROC_GONE;
	} else if (pt->pfs && q->node != NODE_LOCAL) {
		miss->why = PROCTABLE_OTHER_HOST;
	}
	if (proc && procfs_start_ticks(pt->pfs, q->ppid, &pst) == 0 &&
	    pst <= bound) {
		/* the process now at ppid was there when the child
		 * exec'd: it is the parent */
		own = cand && entry_of_process(pt, cand, pst);
		if (own && cand->kind != PT_FORK) {
			store_touch(cand);
			return cand;
		}
		/* no image of it, or only of an earlier process on this pid
		 * (reused, by a fork that never exec'd): /proc shows it */
		if (cand && cand->kind == PT_EXEC)
			pt->st.reused++;
		e = proc_insert(pt, q->ppid, pst, PT_LIVE);
		if (e)
			return e;
		/* it went while we read it: only its own fork edge will do,
		 * never the image of an earlier process on the pid */
		if (!own)
			return NULL;
	}
	/* /proc cannot tell (replay, gone, reused after the child, or
	 * another node's process) */
	if (cand && cand->gone && q->key.sec > cand->gone + PT_GONE_MARGIN) {
		/* a sweep saw its process gone before the child exec'd:
		 * the pid went to a process we never saw (a fork) */
		pt->st.reused++;
		miss->why = PROCTABLE_REUSED;
		return NULL;
	}
	if (!cand) {
		miss->pid = q->ppid;
		miss->key = q->key;
	}
	return cand;
}

/* Count an unknown parent; say so when the table had evicted it. */
static void parent_unknown(struct proctable *pt, const struct pt_query *q,
			   struct pt_miss *miss)
{
	pt->st.parents_unknown++;
	if (miss->why == PROCTABLE_FOUND)
		miss->why = PROCTABLE_NEVER_SEEN;
	if (miss->pid <= 0 ||
	    !store_was_evicted(pt->s, q->node, miss->pid, &miss->key))
		return;
	miss->why = PROCTABLE_EVICTED;
	pt->st.parents_evicted++;
	log_limited(&lim_evicted,
		    "process table full: the image of pid %d, an ancestor of "
		    "pid %d, was evicted before it was needed (%llu times so "
		    "far); raise table_max_entries",
		    (int)miss->pid, (int)q->pid,
		    (unsigned long long)pt->st.parents_evicted);
}

/* The parent of child, counted by source (see proctable.h). */
const struct image *proctable_lookup(struct proctable *pt,
				     const struct image *child,
				     struct proctable_lookup *out)
{
	struct pt_query q = query_of(pt, child);
	struct pt_miss miss = {0};
	struct pt_entry *e = find_parent(pt, &q, &miss);
	struct pt_entry *src = image_source(pt->s, e, &miss);
	struct image *full;

	memset(out, 0, sizeof(*out));
	out->tried = miss.tried;
	if (!src) {
		parent_unknown(pt, &q, &miss);
		out->miss = miss.why;
		out->missing = miss.pid;
		return NULL;
	}
	if (e->kind == PT_PROC)
		pt->st.parents_proc++;
	else
		pt->st.parents_stream++;
	/* The table keeps images packed, without command_line: hand out a
	 * full copy (rare: only rule candidates ask). On ENOMEM the packed
	 * image is better than none; a fork edge has none. */
	full = e->kind == PT_FORK ? fork_copy(pt, e, src, true)
				  : image_copy(src->img, 0);
	if (full) {
		image_free(pt->parent);
		pt->parent = full;
	}
	out->parent = full ? full : e->kind == PT_FORK ? NULL : src->img;
	out->miss = out->parent ? PROCTABLE_FOUND : PROCTABLE_NOMEM;
	out->kept = out->parent ? src->kept : NULL;
	return out->parent;
}

/* Ancestors of child, parent first (see proctable.h). */
size_t proctable_ancestry(struct proctable *pt, const struct image *child,
			  const struct image **out, size_t max)
{
	struct pt_query q = query_of(pt, child);
	struct pt_entry *e, *src, *hint = NULL, *hint_src = NULL;
	const struct image *img;
	size_t n = 0, i;

	scratch_clear(pt, false);
	while (n < max) {
		if (q.pid == 1 || q.ppid <= 0 || q.ppid == q.pid ||
		    q.ppid == child->pid)
			break;
		for (i = 0; i < n && out[i]->pid != q.ppid; i++)
			;
		if (i < n)
			break; /* a cycle */
		e = find_parent(pt, &q, &(struct pt_miss){0});
		/* nested forks share their source: walk to it once */
		src = e && e == hint ? hint_src : image_source(pt->s, e, NULL);
		if (!src)
			break;
		img = e->kind == PT_FORK
			      ? scratch_keep(pt, fork_copy(pt, e, src, false))
			      : src->img;
		if (!img)
			break;
		out[n++] = img;
		hint = e->kind == PT_FORK ? parent_entry(pt->s, e) : NULL;
		hint_src = src;
		q.node = e->proc->hl.node;
		q.pid = img->pid;
		q.ppid = img->ppid;
		q.key = e->key;
		q.key.fork = false;
		q.img = img;
	}
	return n;
}

/* ---------------------------------------------------------------- sweeps */

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
	store_make_room(c->pt->s, 0);
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
	struct pt_proc *p = store_proc(c->pt->s, NODE_LOCAL, pid);
	struct pt_entry *e, **nl;
	uint64_t st;

	if (!p || procfs_start_ticks(c->pt->pfs, pid, &st) != 0)
		return 0;
	/* every image of the process now on this pid is still alive */
	for (e = p->newest; e; e = e->older)
		if (entry_of_process(c->pt, e, st))
			e->seen = c->pt->epoch;
	e = p->newest;
	if (e->seen != c->pt->epoch)
		return 0; /* the pid now runs a process we have no image of */
	e->mark = c->pt->epoch;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : PT_LIVE_MIN;

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

	for (depth = 0; depth < PT_ANCESTOR_DEPTH; depth++) {
		e = parent_entry(pt->s, e);
		if (!e || e->mark == pt->epoch)
			return;
		e->mark = pt->epoch;
	}
}

/* Periodic maintenance (see proctable.h). */
void proctable_tick(struct proctable *pt, time_t now)
{
	struct sweep_ctx c = {pt, NULL, 0, 0};
	struct pt_host *h;
	size_t i;

	store_set_time(pt->s, now);
	if (pt->pfs) {
		if (++pt->epoch == 0)
			pt->epoch = 1;
		if (procfs_foreach(pt->pfs, sweep_pid, &c) == 0) {
			for (i = 0; i < c.n; i++)
				mark_ancestors(pt, c.live[i]);
			h = store_host(pt->s, NODE_LOCAL);
			if (h)
				store_relist(h, pt->epoch, now);
		}
		free(c.live);
	}
	store_evict_to_caps(pt->s);
}

/* Copy the counters (see proctable.h). */
void proctable_stats(const struct proctable *pt, struct proctable_stats *st)
{
	struct pt_store_stats ss;

	store_stats(pt->s, &ss);
	*st = pt->st;
	st->entries = ss.entries;
	st->bytes = ss.bytes + sizeof(*pt);
	st->hosts = ss.hosts;
	st->groups = ss.groups;
	st->evicted = ss.evicted;
	st->evicted_quiet = ss.evicted_quiet;
	st->forgotten = ss.forgotten;
}
