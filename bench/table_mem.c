/* table_mem.c - memory and time of the process table with 1e6 execs */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "image.h"
#include "node.h"
#include "proctable.h"

/*
 * Usage: table_mem [EXECS [MAX_ENTRIES [MAX_IMAGE_BYTES [PAD [NODES]]]]]
 * Streams EXECS (default 1,000,000) execs of distinct pids through a table
 * in replay mode (no /proc), each with a realistic image: 5 arguments and a
 * command line of about 100 bytes, a cwd, comm, exe and key. Every child's
 * parent is a recent exec, as in a build. PAD adds that many bytes to the
 * last argument (a compiler's long command line). NODES (default 0: this
 * host only) spreads the execs round-robin over that many nodes named
 * host-N, interned through a node registry as a collector would, each
 * node with its own pids and parents. Prints one "name value" per line.
 */

#define DEFAULT_EXECS 1000000
#define DEFAULT_ENTRIES 32768
#define DEFAULT_BYTES 4096
#define NARGS 5
#define FIRST_PID 1000
#define BUILD_FANOUT 8	   /* a parent among the last 8 execs */
#define SWEEP_EVERY 100000 /* execs between sweeps */
#define MAX_LOOKUPS 100000
#define EPOCH 1700000000 /* event times start here */
#define PER_SECOND 1000	 /* execs a second of event time */
#define WORKERS 64

static long maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One image reused for every exec; fill() rewrites its varying parts. */
struct gen {
	struct image *img;
	char args[NARGS][64];
	char *last; /* args[4] plus the padding */
	size_t pad;
};

static struct gen *gen_new(size_t pad)
{
	static const char *const fixed[NARGS] = {"/usr/bin/python3", "-m",
						 "compileall", "", ""};
	struct gen *g = calloc(1, sizeof(*g));
	char **argv;
	int i;

	if (!g)
		return NULL;
	g->img = image_new();
	argv = calloc(NARGS + 1, sizeof(*argv));
	if (!g->img || !argv)
		exit(1);
	g->pad = pad;
	g->last = malloc(64 + pad);
	if (!g->last)
		exit(1);
	for (i = 0; i < NARGS; i++)
		argv[i] = i == NARGS - 1 ? g->last : g->args[i];
	for (i = 0; i < NARGS; i++)
		strcpy(g->args[i], fixed[i]);
	/* the image points at our buffers; gen_free takes them back */
	g->img->args = argv;
	g->img->argc = NARGS;
	g->img->command_line = malloc(NARGS * 64 + pad);
	g->img->executable = strdup("/usr/lib/python3.11/compileall.py");
	g->img->name = g->img->executable + strlen("/usr/lib/python3.11/");
	g->img->interpreter = strdup("/usr/bin/python3.11");
	g->img->exe = strdup("/usr/bin/python3.11");
	g->img->comm = strdup("python3");
	g->img->cwd = strdup("/home/builder/src/project");
	g->img->key = strdup("exec");
	g->img->success = true;
	g->img->uid = g->img->euid = g->img->auid = 1000;
	g->img->session = 3;
	return g;
}

static void gen_free(struct gen *g)
{
	free(g->img->args); /* its strings are g->args and g->last */
	free(g->last);
	g->img->args = NULL;
	g->img->argc = 0;
	image_free(g->img);
	free(g);
}

/* Exec i of the stream, on node ids[i % nodes] (nodes 0: this host):
 * that node's exec k = i / nodes, pid and parent as on a single host. */
static void place(struct image *img, uint64_t i, const uint32_t *ids,
		  uint64_t nodes)
{
	uint64_t k = nodes ? i / nodes : i;

	img->node = nodes ? ids[i % nodes] : 0;
	img->pid = (pid_t)(FIRST_PID + k);
	/* a parent among the last few execs: a build's shells and makes */
	img->ppid =
		(pid_t)(k >= BUILD_FANOUT ? FIRST_PID + k - 1 - k % BUILD_FANOUT
					  : 1);
	img->serial = 1 + k;
	img->sec = EPOCH + (int64_t)(k / PER_SECOND);
	img->msec = (uint32_t)(k % PER_SECOND);
}

static void fill(struct gen *g, uint64_t i, const uint32_t *ids, uint64_t nodes)
{
	struct image *img = g->img;
	char *p = img->command_line;
	int k;

	place(img, i, ids, nodes);
	snprintf(g->args[3], sizeof(g->args[3]), "--workers=%" PRIu64,
		 i % WORKERS);
	snprintf(g->last, 64,
		 "/home/builder/src/project/lib/module_%06" PRIu64 ".py", i);
	if (g->pad) {
		size_t l = strlen(g->last);

		memset(g->last + l, 'x', g->pad);
		g->last[l + g->pad] = '\0';
	}
	for (k = 0; k < NARGS; k++) {
		const char *a = img->args[k];
		size_t l = strlen(a);

		memcpy(p, a, l);
		p += l;
		*p++ = k + 1 < NARGS ? ' ' : '\0';
	}
}

/* The registry's ids for host-1 .. host-NODES, interned as a collector
 * would; NULL for a single host. */
static uint32_t *intern_nodes(struct node_reg *reg, uint64_t nodes)
{
	uint32_t *ids = nodes ? calloc(nodes, sizeof(*ids)) : NULL;
	char name[32];
	uint64_t k;

	for (k = 0; ids && k < nodes; k++) {
		snprintf(name, sizeof(name), "host-%" PRIu64, k + 1);
		if (node_intern(reg, name, &ids[k]) != 0)
			exit(1);
	}
	return ids;
}

/* Stream n execs through the table; returns the time they took (ns). */
static double run_execs(struct proctable *pt, struct gen *g, uint64_t n,
			const uint32_t *ids, uint64_t nodes)
{
	double t0 = now_ns();
	uint64_t i;

	for (i = 0; i < n; i++) {
		fill(g, i, ids, nodes);
		if (proctable_exec(pt, g->img) != 0) {
			fprintf(stderr,
				"proctable_exec failed at %" PRIu64 "\n", i);
			exit(1);
		}
		if (i % SWEEP_EVERY == SWEEP_EVERY - 1)
			proctable_sweep(pt);
	}
	return now_ns() - t0;
}

/* Parent lookups for the last nq execs (fields a lookup reads only);
 * returns how many found, and their time in *t. */
static uint64_t run_lookups(struct proctable *pt, uint64_t n, uint64_t nq,
			    const uint32_t *ids, uint64_t nodes, double *t)
{
	struct image *q = image_new();
	uint64_t i, found = 0;
	double t0 = now_ns();

	if (!q)
		exit(1);
	for (i = n - nq; i < n; i++) {
		place(q, i, ids, nodes);
		found += proctable_parent(pt, q) != NULL;
	}
	*t = now_ns() - t0;
	image_free(q);
	return found;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : DEFAULT_EXECS;
	size_t cap = argc > 2 ? strtoul(argv[2], NULL, 10) : DEFAULT_ENTRIES;
	size_t bytes = argc > 3 ? strtoul(argv[3], NULL, 10) : DEFAULT_BYTES;
	size_t pad = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
	uint64_t nodes = argc > 5 ? strtoull(argv[5], NULL, 10) : 0;
	struct node_reg *reg = node_reg_create(NODE_MAX_DEFAULT);
	struct proctable_stats st;
	struct node_stats ns;
	struct proctable *pt;
	uint64_t i, nq, found;
	double t0, t_gen, t_exec, t_par;
	long base, peak;
	uint32_t *ids;
	struct gen *g;

	g = gen_new(pad);
	if (!g || !reg)
		return 1;
	ids = intern_nodes(reg, nodes);
	/* baseline: everything but the table */
	t0 = now_ns();
	for (i = 0; i < n; i++)
		fill(g, i, ids, nodes);
	t_gen = now_ns() - t0;
	base = maxrss_kib();

	pt = proctable_create(cap, bytes, NULL);
	if (!pt)
		return 1;
	proctable_use_nodes(pt, reg);
	t_exec = run_execs(pt, g, n, ids, nodes) - t_gen;
	peak = maxrss_kib();
	nq = n < MAX_LOOKUPS ? n : MAX_LOOKUPS;
	found = run_lookups(pt, n, nq, ids, nodes, &t_par);

	proctable_stats(pt, &st);
	node_stats(reg, &ns);
	printf("execs %" PRIu64 "\n", n);
	printf("nodes %" PRIu64 "\n", nodes);
	printf("max_entries %zu\n", cap);
	printf("max_image_bytes %zu\n", bytes);
	printf("arg_pad %zu\n", pad);
	printf("entries %zu\n", st.entries);
	printf("hosts %zu\n", st.hosts);
	printf("evicted %" PRIu64 "\n", st.evicted);
	printf("table_bytes %zu\n", st.bytes);
	printf("bytes_per_entry %.0f\n",
	       st.entries ? (double)st.bytes / (double)st.entries : 0.0);
	printf("registry_bytes %zu\n", ns.bytes);
	printf("baseline_maxrss_kib %ld\n", base);
	printf("peak_maxrss_kib %ld\n", peak);
	printf("rss_ratio %.2f\n", base ? (double)peak / (double)base : 0.0);
	printf("ns_per_exec %.0f\n", n ? t_exec / (double)n : 0.0);
	printf("lookups %" PRIu64 "\n", nq);
	printf("ns_per_parent %.0f\n", nq ? t_par / (double)nq : 0.0);
	printf("parents_found %" PRIu64 "\n", found);
	proctable_free(pt);
	node_reg_free(reg);
	free(ids);
	gen_free(g);
	return 0;
}
