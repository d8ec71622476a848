/* proctable.h - the table of process images: parents for every exec */
#ifndef PROCTABLE_H
#define PROCTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "image.h"
#include "node.h"
#include "procfs.h"
#include "rule.h"

/*
 * A process is identified by its node (image.node, an id from node.h; 0:
 * this host), its pid and where its exec falls in that node's order of
 * events: within one boot the kernel's audit serial orders events,
 * whatever the wall clock did (a clock stepped back by `date -s`, or a
 * fork record stamped at syscall entry but logged after its child's exec).
 * Time only tells one boot from the next: an event of a node starts a new
 * boot when its serial falls far below the node's highest (below half of
 * it, or more than PROCTABLE_BOOT_DROP below) while its time is later
 * than that highest event's. A smaller drop, or a time no later, is an
 * older event of the same boot (auparse hands over events in time
 * order, so a few arrive with serials below ones already seen). Images
 * read from /proc have no serial and are ordered by their start time.
 *
 * /proc is read for the local node only, never for another node's pid.
 *
 * Memory: one bound for all nodes, max_entries entries and max_entries *
 * PROCTABLE_ENTRY_BYTES bytes (entries, images and bookkeeping). Which
 * entry goes first at the bound: a node quiet for an hour (no event) loses
 * its entries before anyone else; else the node, and within it the audit
 * session (ses=), that holds the most (bytes, each entry counted at least
 * PROCTABLE_ENTRY_BYTES): a flood evicts its own entries and never those
 * of a node or session holding less than its share; within it superseded
 * images go first. A process named as the ppid of an exec or fork, and
 * its ancestors, are refreshed: a parent whose children keep exec'ing is
 * kept. Each exec costs O(1) in the number of entries (O(log) in the
 * number of nodes and sessions holding entries).
 *
 * Cost per node: a node holding entries costs about 300 bytes of records
 * besides its entries (its host record and one session's; each further
 * session about 130); a node holding none costs the table nothing
 * (node.h counts the registry's share, about 80 bytes a node). For a
 * collector, give each node room for its live processes and the recent
 * exits their children need, about 64 entries: table_max_entries =
 * 65536 for 1,000 nodes, a bound of 64 MiB (bench/table-mem.sh prints
 * what it takes). Keep table_max_image_bytes at 4096 and the node limit
 * (NODE_MAX_DEFAULT) above the fleet's size.
 */

struct proctable;

struct proctable_stats {
	size_t entries;		  /* images held now */
	size_t bytes;		  /* memory they take, approximately */
	size_t hosts;		  /* nodes holding entries */
	size_t groups;		  /* (node, session) groups holding entries */
	uint64_t execs;		  /* images recorded */
	uint64_t forks;		  /* fork edges recorded */
	uint64_t forks_late;	  /* of those, filed before their child's
				   * exec, which was logged first */
	uint64_t evicted;	  /* images dropped at the caps */
	uint64_t evicted_quiet;	  /* of those, of quiet nodes */
	uint64_t forgotten;	  /* images dropped with forgotten nodes */
	uint64_t truncated;	  /* copies cut to the byte cap */
	uint64_t reused;	  /* pid reuse detected */
	uint64_t boots;		  /* new boots seen (serials restarting) */
	uint64_t parents_stream;  /* parents found from the stream (exec or
				   * fork edge) */
	uint64_t parents_proc;	  /* parents read from /proc */
	uint64_t parents_unknown; /* parents not found */
	uint64_t parents_evicted; /* of those, an image the table had held
				   * was evicted (counted and logged) */
};

/*
 * The table's memory budget per entry, on average: besides max_entries, the
 * table keeps its images within max_entries * PROCTABLE_ENTRY_BYTES bytes, so
 * that a stream of long command lines (a compiler's) holds fewer images
 * instead of more memory. Typical images take 500 to 700 bytes.
 */
#define PROCTABLE_ENTRY_BYTES 1024

/* A serial this far below a node's highest is a new boot (see above). */
#define PROCTABLE_BOOT_DROP 100000

/* proctable_fork_event's session when the event does not say: the
 * forker's, as the table knows it. */
#define PROCTABLE_SESSION_FORKER UINT32_MAX

/* A fork, vfork or clone seen in the stream: parent created child. */
struct proctable_fork {
	uint32_t node; /* node.h id; 0: this host */
	pid_t parent, child;
	int64_t sec; /* the event's time and serial */
	uint32_t msec;
	uint64_t serial;
	uint32_t session; /* its ses=, or PROCTABLE_SESSION_FORKER */
};

/*
 * Create a table holding at most max_entries images, each copied with at
 * most max_image_bytes of strings (0: no cap), and within the budget above.
 * pfs is used in live mode for the /proc fallback and may be NULL (replay:
 * never read /proc); the table does not own it. Returns NULL on ENOMEM;
 * free with proctable_free (proctable_free(NULL) is safe).
 */
struct proctable *proctable_create(size_t max_entries, size_t max_image_bytes,
				   struct procfs *pfs);
void proctable_free(struct proctable *pt);

/* Change the caps (on reload); shrinking evicts down to them at once. */
void proctable_set_limits(struct proctable *pt, size_t max_entries,
			  size_t max_image_bytes);

/*
 * Follow reg (which must outlive the table): when reg forgets a node, the
 * table drops that node's images at once (counted in forgotten). Takes
 * reg's forget hook (node_on_forget).
 */
void proctable_use_nodes(struct proctable *pt, struct node_reg *reg);

/* Record a successful exec of img->node. The table keeps its own copy of
 * img. Returns 0, or -1 on ENOMEM. */
int proctable_exec(struct proctable *pt, const struct image *img);

/* Record a fork edge. Returns 0 (nonsense pids are ignored), or -1 on
 * ENOMEM. */
int proctable_fork_event(struct proctable *pt, const struct proctable_fork *f);

/* proctable_fork_event on this host (node 0) with the forker's session;
 * kept until the core passes the node. */
int proctable_fork(struct proctable *pt, pid_t parent, pid_t child, int64_t sec,
		   uint32_t msec, uint64_t serial);

/*
 * Judge every image the table cuts to max_image_bytes with rule first
 * (rule_parent_eval on the whole image, as rule.h says) and keep the
 * result with the cut copy; a fork's child takes its forker's. rule must
 * outlive the table or the next call; NULL: keep no results. Call it at
 * creation, before proctable_seed, and after each reload: results kept
 * under an earlier rule stay, and rule_eval tells when they are stale.
 */
void proctable_set_rule(struct proctable *pt, const struct rule *rule);

/* What a parent lookup tried (proctable_lookup.tried). */
#define PROCTABLE_TRIED_STREAM 0x1 /* the table: the parent's exec */
#define PROCTABLE_TRIED_PROC 0x2   /* /proc/PPID (live mode, this host) */
#define PROCTABLE_TRIED_FORK 0x4   /* a fork edge: its forker's image */

/* Why a lookup found no parent. */
enum proctable_miss {
	PROCTABLE_FOUND,      /* it did */
	PROCTABLE_NO_PPID,    /* the child names none (ppid 0, or itself) */
	PROCTABLE_NEVER_SEEN, /* the stream never showed it (replay, or
			       * /proc not read) */
	PROCTABLE_EVICTED,    /* the table held it and evicted it at its
			       * caps (parents_evicted) */
	PROCTABLE_REUSED,     /* the pid's image is another process's: a
			       * sweep found it gone before the child's exec */
	PROCTABLE_PROC_GONE,  /* not in the stream, and /proc holds no
			       * process on the pid that started before the
			       * child (it exited; the pid may be reused) */
	PROCTABLE_OTHER_HOST, /* not in the stream, and /proc is this
			       * host's, not the child's node's */
	PROCTABLE_NOMEM,      /* out of memory copying it */
	PROCTABLE_MISSES
};

/* A parent lookup's result. */
struct proctable_lookup {
	const struct image *parent; /* as proctable_lookup returns it */
	/* the table's result on the parent's whole image (proctable_set_rule)
	 * when parent is a cut copy; NULL: none kept. Valid as parent is. */
	const struct rule_parent_result *kept;
	unsigned tried;		  /* PROCTABLE_TRIED_* */
	enum proctable_miss miss; /* PROCTABLE_FOUND when parent is set */
	pid_t missing;		  /* a miss: the process whose image was
				   * wanted (the ppid, or a forker up a
				   * chain of forks); 0 for none */
};

/*
 * The parent image of child (which need not be in the table), on child's
 * node: from the stream first, then from /proc in live mode for the local
 * node, never an image of a process that started after child (nor, in live
 * mode, one that a sweep found gone before child's exec). Returns a full
 * copy (command_line included) owned by the table, valid until the next
 * lookup or the next proctable_exec, _fork, _seed, _sweep, _tick or _free;
 * or NULL when unknown (counted; when an image the table had held for that
 * parent was evicted, counted again as parents_evicted and logged,
 * rate-limited). out (not NULL) receives the parent, what was tried and
 * why it failed, and the kept result.
 */
const struct image *proctable_lookup(struct proctable *pt,
				     const struct image *child,
				     struct proctable_lookup *out);

/* proctable_lookup without what it tried. */
static inline const struct image *proctable_parent(struct proctable *pt,
						   const struct image *child)
{
	struct proctable_lookup look;

	return proctable_lookup(pt, child, &look);
}

/*
 * Fill out[0..max-1] with the ancestors of child, parent first, as far as
 * the table (and /proc in live mode) knows them, stopping at pid 1, a
 * cycle or an unknown process. Returns how many. The images are the
 * table's (command_line NULL; image_copy rebuilds it), valid until the
 * next proctable_ancestry, _exec, _fork, _seed, _sweep, _tick or _free.
 * Forks without exec are followed however deep they nest, in time linear
 * in their depth.
 */
size_t proctable_ancestry(struct proctable *pt, const struct image *child,
			  const struct image **out, size_t max);

/* Live mode: record every process now in /proc. Returns 0 or -1. */
int proctable_seed(struct proctable *pt);

/*
 * Periodic maintenance (call every few seconds), now being the wall clock
 * (seconds) that decides which nodes are quiet: in live mode, find which
 * images belong to live processes or their ancestors (kept longest) and
 * which processes are gone; evict down to the caps. O(entries + /proc).
 */
void proctable_tick(struct proctable *pt, time_t now);

/* proctable_tick(pt, time(NULL)). */
static inline void proctable_sweep(struct proctable *pt)
{
	proctable_tick(pt, time(NULL));
}

void proctable_stats(const struct proctable *pt, struct proctable_stats *st);

#endif /* PROCTABLE_H */
