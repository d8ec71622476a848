/* node.h - node names (node=) interned to small ids, bounded */
#ifndef NODE_H
#define NODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * On a fleet's collector every record starts with node=NAME (auditd's
 * name_format at the sender). The registry turns each name into an id:
 *
 * - NODE_LOCAL (0) is this host: events without node=, and events whose
 *   node= is the name given to node_set_local (the core decides which name
 *   that is);
 * - any other name gets an id of its own when it first appears. An id is a
 *   slot (at most NODE_MAX_LIMIT) and a generation: when a slot is reused,
 *   its id changes, so an id held from before cannot name the new node
 *   (a slot goes round its 2^NODE_GEN_BITS generations only after as many
 *   other names have come, far more than anything keeps an id).
 *
 * The registry holds at most max_nodes names. A new name beyond that
 * forgets the node that has been quiet the longest (the oldest last
 * node_intern), after calling the forget hook (node_on_forget), so that the
 * process table drops that node's processes with it; each one is counted
 * and logged (rate-limited). A forgotten name that comes back gets a new
 * id. So 100,000 distinct names take no more memory than max_nodes do.
 *
 * Cost per node: 32 bytes of bookkeeping (a 24-byte slot and its share of
 * the hash) plus its name (allocated: the length plus about 24 bytes),
 * about 80 bytes in all for a 20-byte host name: NODE_MAX_DEFAULT nodes
 * take at most about 1.3 MiB.
 * The process table's share of a node is counted in proctable.h.
 */
#define NODE_LOCAL 0
#define NODE_NAME_MAX 255 /* longest name accepted; DNS allows 253 */
#define NODE_SLOT_BITS 20 /* an id's slot bits; the rest, generation */
#define NODE_GEN_BITS (32 - NODE_SLOT_BITS)
#define NODE_MAX_LIMIT ((1u << NODE_SLOT_BITS) - 1) /* most nodes held */
#define NODE_MAX_DEFAULT 16384 /* nodes held by default: a large fleet */

struct node_reg;

struct node_stats {
	size_t nodes;	    /* names held now, the local host's not counted */
	size_t bytes;	    /* memory they take, approximately */
	uint64_t added;	    /* names interned for the first time */
	uint64_t forgotten; /* nodes forgotten at the bound */
	uint64_t rejected;  /* names refused: empty or too long */
};

/* Called with arg and the id of a node about to be forgotten. */
typedef void (*node_forget_fn)(void *arg, uint32_t id);

/* A registry holding at most max_nodes names (clamped to 1 ..
 * NODE_MAX_LIMIT). Returns NULL on ENOMEM; free with node_reg_free
 * (node_reg_free(NULL) is safe). */
struct node_reg *node_reg_create(size_t max_nodes);
void node_reg_free(struct node_reg *reg);

/* Change the bound (on reload); shrinking forgets the quietest nodes at
 * once, each through the forget hook. */
void node_set_max(struct node_reg *reg, size_t max_nodes);

/*
 * The name under which this host's own events may carry node= (NULL: none).
 * The registry keeps a copy. Returns 0, or -1 (ENOMEM, or EINVAL for a name
 * node_intern would refuse); the old name is then kept.
 */
int node_set_local(struct node_reg *reg, const char *name);

/* Call fn(arg, id) before forgetting a node (one hook; NULL: none). */
void node_on_forget(struct node_reg *reg, node_forget_fn fn, void *arg);

/*
 * The id of name (NULL: NODE_LOCAL), interning it if new, and note that
 * the node is active now. Any bytes but NUL are allowed. Returns 0 with
 * *id set, or -1 with errno EINVAL (empty, or longer than NODE_NAME_MAX:
 * counted in rejected) or ENOMEM; *id is then unchanged.
 */
int node_intern(struct node_reg *reg, const char *name, uint32_t *id);

/* The name of id: the local name (NULL if unset) for NODE_LOCAL, NULL for
 * an id the registry does not hold (forgotten, or never handed out). Owned
 * by the registry, valid until that node is forgotten or the registry is
 * freed. */
const char *node_name(const struct node_reg *reg, uint32_t id);

void node_stats(const struct node_reg *reg, struct node_stats *st);

#endif /* NODE_H */
