/* proctable.h - the table of process images: parents for every exec */
#ifndef PROCTABLE_H
#define PROCTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "image.h"
#include "procfs.h"

struct proctable;

struct proctable_stats {
	size_t entries;		  /* images held now */
	size_t bytes;		  /* memory they take, approximately */
	uint64_t execs;		  /* images recorded */
	uint64_t forks;		  /* fork edges recorded */
	uint64_t evicted;	  /* images dropped at the entry cap */
	uint64_t truncated;	  /* copies cut to the byte cap */
	uint64_t reused;	  /* pid reuse detected */
	uint64_t parents_stream;  /* parents found from the stream (exec or
				   * fork edge) */
	uint64_t parents_proc;	  /* parents read from /proc */
	uint64_t parents_unknown; /* parents not found */
};

/*
 * The table's memory budget per entry, on average: besides max_entries, the
 * table keeps its images within max_entries * PROCTABLE_ENTRY_BYTES bytes, so
 * that a stream of long command lines (a compiler's) holds fewer images
 * instead of more memory. Typical images take 500 to 700 bytes.
 */
#define PROCTABLE_ENTRY_BYTES 1024

/*
 * Create a table holding at most max_entries images, each copied with at
 * most max_image_bytes of strings (0: no cap), and within the budget above.
 * pfs is used in live mode for the /proc fallback and may be NULL (replay:
 * never read /proc); the table does not own it. Returns NULL on ENOMEM;
 * free with proctable_free.
 */
struct proctable *proctable_create(size_t max_entries, size_t max_image_bytes,
				   struct procfs *pfs);
void proctable_free(struct proctable *pt);

/* Change the caps (on reload); shrinking evicts down to them at once. */
void proctable_set_limits(struct proctable *pt, size_t max_entries,
			  size_t max_image_bytes);

/* Record a successful exec. The table keeps its own copy of img.
 * Returns 0, or -1 on ENOMEM. */
int proctable_exec(struct proctable *pt, const struct image *img);

/* Record that parent forked child (a fork/clone event's exit=). */
int proctable_fork(struct proctable *pt, pid_t parent, pid_t child,
		   int64_t sec, uint32_t msec, uint64_t serial);

/*
 * The parent image of child (which need not be in the table): from the
 * stream first, then from /proc in live mode, never an image of a process
 * that started after child (nor, in live mode, one that a sweep found gone
 * before child's exec). Returns a full copy (command_line included) owned
 * by the table, valid until the next proctable_parent call or the next
 * proctable_exec, _fork, _seed, _sweep or _free; or NULL when unknown
 * (counted).
 */
const struct image *proctable_parent(struct proctable *pt,
				     const struct image *child);

/*
 * Fill out[0..max-1] with the ancestors of child, parent first, as far as
 * the table (and /proc in live mode) knows them, stopping at pid 1, a
 * cycle or an unknown process. Returns how many. The images are the
 * table's packed ones (command_line NULL; image_copy rebuilds it), valid
 * until the next proctable_exec, _fork, _seed, _sweep or _free: ancestry
 * lookups free nothing.
 */
size_t proctable_ancestry(struct proctable *pt, const struct image *child,
			  const struct image **out, size_t max);

/* Live mode: record every process now in /proc. Returns 0 or -1. */
int proctable_seed(struct proctable *pt);

/* Periodic maintenance (call every few seconds): in live mode, find which
 * images belong to live processes or their ancestors (kept longest) and
 * which processes are gone; evict down to the caps. O(entries + /proc). */
void proctable_sweep(struct proctable *pt);

void proctable_stats(const struct proctable *pt, struct proctable_stats *st);

#endif /* PROCTABLE_H */
