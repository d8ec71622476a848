/* table_mem.c - memory and time of the process table with 1e6 pids */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "image.h"
#include "proctable.h"

/*
 * Usage: table_mem [EXECS [MAX_ENTRIES [MAX_IMAGE_BYTES [PAD]]]]
 * Streams EXECS (default 1,000,000) execs of distinct pids through a table
 * in replay mode (no /proc), each with a realistic image: 5 arguments and a
 * command line of about 100 bytes, a cwd, comm, exe and key. Every child's
 * parent is a recent exec, as in a build. PAD adds that many bytes to the
 * last argument (a compiler's long command line). Prints one "name value"
 * per line.
 */

#define DEFAULT_EXECS 1000000
#define DEFAULT_ENTRIES 32768
#define DEFAULT_BYTES 4096
#define NARGS 5

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

static void fill(struct gen *g, uint64_t i)
{
	struct image *img = g->img;
	char *p = img->command_line;
	int k;

	img->pid = (pid_t)(1000 + i);
	/* a parent among the last few execs: a build's shells and makes */
	img->ppid = (pid_t)(i >= 8 ? 1000 + i - 1 - i % 8 : 1);
	img->serial = 1 + i;
	img->sec = 1700000000 + (int64_t)(i / 1000);
	img->msec = (uint32_t)(i % 1000);
	snprintf(g->args[3], sizeof(g->args[3]), "--workers=%" PRIu64, i % 64);
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

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : DEFAULT_EXECS;
	size_t cap = argc > 2 ? strtoul(argv[2], NULL, 10) : DEFAULT_ENTRIES;
	size_t bytes = argc > 3 ? strtoul(argv[3], NULL, 10) : DEFAULT_BYTES;
	size_t pad = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
	struct proctable_stats st;
	struct proctable *pt;
	const struct image *p;
	struct image *q;
	uint64_t i, nq, found = 0;
	double t0, t_gen, t_exec, t_par;
	long base, peak;
	struct gen *g;

	g = gen_new(pad);
	if (!g)
		return 1;
	/* baseline: everything but the table */
	t0 = now_ns();
	for (i = 0; i < n; i++)
		fill(g, i);
	t_gen = now_ns() - t0;
	base = maxrss_kib();

	pt = proctable_create(cap, bytes, NULL);
	if (!pt)
		return 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fill(g, i);
		if (proctable_exec(pt, g->img) != 0) {
			fprintf(stderr,
				"proctable_exec failed at %" PRIu64 "\n", i);
			return 1;
		}
		if (i % 100000 == 99999)
			proctable_sweep(pt);
	}
	t_exec = now_ns() - t0 - t_gen;
	peak = maxrss_kib();

	/* parent lookups for the last execs (fields a lookup reads only) */
	q = image_new();
	if (!q)
		return 1;
	nq = n < 100000 ? n : 100000;
	t0 = now_ns();
	for (i = n - nq; i < n; i++) {
		q->pid = (pid_t)(1000 + i);
		q->ppid = (pid_t)(i >= 8 ? 1000 + i - 1 - i % 8 : 1);
		q->serial = 1 + i;
		q->sec = 1700000000 + (int64_t)(i / 1000);
		q->msec = (uint32_t)(i % 1000);
		p = proctable_parent(pt, q);
		found += p != NULL;
	}
	t_par = now_ns() - t0;
	image_free(q);

	proctable_stats(pt, &st);
	printf("execs %" PRIu64 "\n", n);
	printf("max_entries %zu\n", cap);
	printf("max_image_bytes %zu\n", bytes);
	printf("arg_pad %zu\n", pad);
	printf("entries %zu\n", st.entries);
	printf("evicted %" PRIu64 "\n", st.evicted);
	printf("table_bytes %zu\n", st.bytes);
	printf("bytes_per_entry %.0f\n",
	       st.entries ? (double)st.bytes / (double)st.entries : 0.0);
	printf("baseline_maxrss_kib %ld\n", base);
	printf("peak_maxrss_kib %ld\n", peak);
	printf("rss_ratio %.2f\n", base ? (double)peak / (double)base : 0.0);
	printf("ns_per_exec %.0f\n", n ? t_exec / (double)n : 0.0);
	printf("lookups %" PRIu64 "\n", nq);
	printf("ns_per_parent %.0f\n", nq ? t_par / (double)nq : 0.0);
	printf("parents_found %" PRIu64 "\n", found);
	proctable_free(pt);
	gen_free(g);
	return 0;
}
