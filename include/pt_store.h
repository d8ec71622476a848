/* pt_store.h - the process table's memory, bounded fairly across nodes */
#ifndef PT_STORE_H
#define PT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "image.h"

struct rule_parent_result;

/*
 * The store holds the process table's entries and decides which to evict;
 * proctable.c decides what they mean. Only proctable.c uses it.
 *
 * An entry is one image of one process: an exec seen in the stream, a fork
 * edge (the child runs its forker's image), or an image read from /proc.
 * The entries of one (node, pid) form a chain, newest first, in key order.
 * Every entry belongs to a group, (node, audit session), and every group to
 * its node's host record; both exist only while they hold entries.
 *
 * Eviction, when an insert would pass the caps (entries, and bytes: all
 * entries, images and records):
 *   1. a host quiet for PT_QUIET_SECS (no event since, by the clock that
 *      store_set_time gives) loses its entries first, the quietest first;
 *   2. else the host charged most (its entries' bytes, each counted at
 *      least the floor given to store_create, so that both many small and
 *      a few large images weigh), and within it its session charged most:
 *      a flood evicts its own entries, never those of a host or session
 *      holding less than its share (a share is the cap divided among those
 *      holding entries; the heaviest holds at least that);
 *   3. within that group, the least recently useful entry: SPARE
 *      (superseded by a newer image of its process, or found dead and no
 *      ancestor of a live one by a sweep), then NEW (recorded since the
 *      last sweep), then LIVE (alive, or an ancestor of a live process,
 *      at the last sweep), each list in LRU order.
 * Finding the victim is O(1); keeping the hosts and sessions ordered by
 * charge is O(log hosts + log sessions) per insert and eviction (heaps;
 * mostly one comparison, as the flooding group stays on top).
 *
 * Every eviction is remembered in a small direct-mapped record of
 * (node, pid, key), 1/PT_EVICTED_RATIO as many slots as the table has
 * entries (a collision forgets the older one): a lookup that finds nothing
 * can tell whether an image it would have found was evicted.
 */

#define PT_QUIET_SECS 3600 /* a host without events this long is quiet */
#define PT_CHAIN_MAX 8	   /* images kept per (node, pid) */
#define PT_EVICTED_RATIO 4 /* table entries per evicted-record slot */

/* When an event happened: see pt_key_cmp. */
struct pt_key {
	int64_t sec;
	uint64_t serial; /* 0: an image read from /proc, ordered by time */
	uint32_t msec;
	uint32_t boot; /* the node's boot (proctable.c counts them) */
	bool fork;     /* a fork edge's key */
};

enum pt_kind { PT_EXEC, PT_FORK, PT_PROC };
enum pt_listid { PT_SPARE, PT_NEW, PT_LIVE, PT_NLISTS };

/* One hash holds processes, groups and hosts, told apart by kind. */
enum pt_hkind { PT_H_PROC, PT_H_GROUP, PT_H_HOST };
struct pt_hlink {
	struct pt_hlink *next;
	uint32_t node;
	uint32_t id; /* pid, session, or 0 for a host */
	uint8_t kind;
};

/* An element of a max-heap by charge. */
struct pt_weight {
	uint64_t charge;
	size_t slot;
};
struct pt_heap {
	struct pt_weight **v;
	size_t n, cap;
};

/* A doubly linked list of links embedded in its members. */
struct pt_link {
	struct pt_link *prev, *next;
};
struct pt_list {
	struct pt_link *head, *tail;
};

struct pt_entry {
	struct pt_link lru;	/* in its group's list */
	struct pt_entry *older; /* same (node, pid), earlier key */
	struct pt_proc *proc;
	struct pt_group *group;
	struct image *img; /* packed; NULL for a fork edge */
	/* the rule's parent-side result on the whole image when img is cut
	 * (proctable.c's, malloc'd; counted in bytes); freed with e */
	struct rule_parent_result *kept;
	struct pt_key key;
	size_t bytes;	      /* the entry and its image */
	uint64_t fork_serial; /* FORK: its record's serial */
	uint64_t stamp;	      /* its group's clock when last touched */
	int64_t gone;	      /* when a sweep found its process gone */
	pid_t fork_parent;    /* FORK: the forking process */
	uint32_t mark;	      /* sweep epoch that found it needed */
	uint32_t seen;	      /* sweep epoch that found its process */
	uint8_t kind;	      /* enum pt_kind */
	uint8_t list;	      /* enum pt_listid */
};

/* The images of one (node, pid). */
struct pt_proc {
	struct pt_hlink hl; /* PT_H_PROC, node, pid */
	struct pt_entry *newest;
	unsigned n;
};

/* The entries of one (node, session). */
struct pt_group {
	struct pt_hlink hl; /* PT_H_GROUP, node, session */
	struct pt_weight w; /* in its host's heap */
	struct pt_host *host;
	struct pt_list lists[PT_NLISTS];
	uint64_t clock; /* entries added or touched, for store_fresh */
	size_t n;
};

/* One node's groups, its activity and where its serials are (the last is
 * proctable.c's: store_place starts it at zero). */
struct pt_host {
	struct pt_hlink hl; /* PT_H_HOST, node */
	struct pt_weight w; /* in the store's heap */
	struct pt_link act; /* in the store's activity order */
	struct pt_heap groups;
	struct pt_group *gcache; /* the group found last */
	time_t active;		 /* the store's clock at its last event */
	struct pt_key top;	 /* the highest serial of its current boot */
	size_t n;
};

struct pt_evicted {
	uint32_t node;
	pid_t pid;
	struct pt_key key;
};

struct pt_store_stats {
	size_t entries, hosts, groups;
	size_t bytes;		/* all the store's memory, approximately */
	uint64_t evicted;	/* entries evicted at the caps */
	uint64_t evicted_quiet; /* of those, from quiet hosts */
	uint64_t forgotten;	/* entries dropped with a forgotten node */
};

struct pt_store {
	size_t max_entries, max_bytes;
	size_t floor; /* least charge of an entry */
	struct pt_hlink **buckets;
	size_t nbuckets; /* a power of two */
	size_t nobjs;
	struct pt_heap hosts;
	struct pt_list active;	/* hosts, the quietest first */
	struct pt_host *hcache; /* the host found last */
	time_t now;
	size_t bytes; /* entries, images and records: what max_bytes caps */
	struct pt_evicted *evicted;
	size_t nevicted; /* a power of two */
	struct pt_store_stats st;
};

/* A store whose entries are charged at least floor bytes each. Returns
 * NULL on ENOMEM; free with store_free (store_free(NULL) is safe), which
 * frees every entry and image. */
struct pt_store *store_create(size_t floor);
void store_free(struct pt_store *s);

/* Set the caps (entries; bytes in all) and size the evicted record.
 * Evicts nothing: see store_evict_to_caps. */
void store_set_caps(struct pt_store *s, size_t max_entries, size_t max_bytes);

/* The store's clock (seconds) for quietness. The first call also makes
 * every host active now. */
void store_set_time(struct pt_store *s, time_t now);

/* Compare event times (sec, msec only). */
int pt_time_cmp(const struct pt_key *a, const struct pt_key *b);

/*
 * Order two keys: by (boot, serial) when both have a serial, else by time
 * then serial; at equal places a fork edge first. Returns <0, 0 or >0.
 */
int pt_key_cmp(const struct pt_key *a, const struct pt_key *b);

/* Lookups; NULL when absent. */
struct pt_host *store_host(const struct pt_store *s, uint32_t node);
struct pt_proc *store_proc(const struct pt_store *s, uint32_t node, pid_t pid);

/* The newest entry of p whose key precedes key, or NULL (p may be NULL). */
struct pt_entry *store_find(const struct pt_proc *p, const struct pt_key *key);

/* The entry of p just newer than key's place, or NULL. */
struct pt_entry *store_next_newer(const struct pt_proc *p,
				  const struct pt_key *key);

/*
 * The host of node (created with top zero, active now) and its process
 * pid (created empty), for store_insert. Returns 0, or -1 on ENOMEM (*h
 * and *p then hold nothing to put back). If the insert does not happen,
 * give them back with store_host_put; store_insert does on failure.
 */
int store_place(struct pt_store *s, uint32_t node, pid_t pid,
		struct pt_host **h, struct pt_proc **p);

/* Free h if it holds nothing. */
void store_host_put(struct pt_store *s, struct pt_host *h);

/* Note an event of h: it is active now. */
void store_host_active(struct pt_store *s, struct pt_host *h);

/* A new entry (not in the store) owning img (NULL for a fork edge).
 * Returns NULL on ENOMEM (img then still the caller's). */
struct pt_entry *store_entry_new(enum pt_kind kind, const struct pt_key *key,
				 struct image *img);

/*
 * Put e into h, as an image of p (of h's node) in session, at its key's
 * place in p's chain. If it is the newest, it goes on list id and the
 * previous newest becomes SPARE; else it is SPARE itself. trim: evict the
 * chain's oldest (never e) beyond PT_CHAIN_MAX. Returns 0, or -1 on ENOMEM:
 * e is then the caller's, and p and h are gone if they held nothing.
 */
int store_insert(struct pt_store *s, struct pt_host *h, struct pt_proc *p,
		 struct pt_entry *e, uint32_t session, enum pt_listid id,
		 bool trim);

/* Give e another key, moving it in its chain (lists follow). */
void store_rekey(struct pt_entry *e, const struct pt_key *key);

/* Mark e recently useful in its list (a SPARE entry stays where it is). */
void store_touch(struct pt_entry *e);

/* Whether e was touched recently enough that it sits in the newer half of
 * its group's lists. */
bool store_fresh(const struct pt_entry *e);

/*
 * After a sweep of epoch: every entry of h marked that epoch goes LIVE,
 * the rest SPARE, the least recently known alive first (old SPARE, LIVE,
 * then NEW); one whose process the sweep did not see gets gone = now.
 */
void store_relist(struct pt_host *h, uint32_t epoch, int64_t now);

/* Evict until one more entry of incoming bytes fits under the caps. */
void store_make_room(struct pt_store *s, size_t incoming);

/* Evict until the store is within its caps. */
void store_evict_to_caps(struct pt_store *s);

/* Drop every entry of node (it was forgotten), without recording them. */
void store_forget_node(struct pt_store *s, uint32_t node);

/* Whether an image of (node, pid) whose key precedes before was evicted
 * (as far as the record remembers). */
bool store_was_evicted(const struct pt_store *s, uint32_t node, pid_t pid,
		       const struct pt_key *before);

/* Copy the counters; bytes then also counts the store's own tables. */
void store_stats(const struct pt_store *s, struct pt_store_stats *st);

#endif /* PT_STORE_H */
