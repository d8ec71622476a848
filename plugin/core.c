/* core.c - the pipeline: exec event, process table, rule, alert, sink */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "alert.h"
#include "core.h"
#include "exec_event.h"
#include "explain.h"
#include "log.h"
#include "node.h"
#include "proctable.h"
#include "procfs.h"
#include "rule.h"
#include "sink.h"
#include "summary.h"
#include "util.h"

#define MAX_ANCESTRY 64
/* Candidates remembered to recognise the same exec event delivered again */
#define CORE_RECENT 64
/* Seconds between two sweeps of the process table */
#define CORE_SWEEP_S 10
#define MS_PER_S 1000
#define US_PER_MS 1000
/* The kernel's name for a file run through descriptor N: /dev/fd/N, or
 * /dev/fd/N/NAME for NAME in the directory N (exec_path.h) */
#define CORE_FD_PREFIX "/dev/fd/"
/* Clock ticks of rounding between /proc's start times and audit's */
#define CORE_SLACK_TICKS 2

/* An alert being sent, for core_within. */
struct core_fit {
	struct core *core;
	const struct alert_input *in;
};

/* What identifies one exec event: its node, process, time and serial. */
struct exec_key {
	uint32_t node;
	pid_t pid;
	int64_t sec;
	uint32_t msec;
	uint64_t serial;
};

/* What the core itself counts; the other counters are its modules' (the
 * rule counts what each of its tests decided). */
struct core_counts {
	uint64_t execs_failed; /* execs whose syscall failed */
	uint64_t candidates;   /* successful dracut execs, each once */
	uint64_t duplicates;   /* candidates seen again: not decided again */
	/* candidates without a parent executable, by the lookup's miss
	 * (PROCTABLE_FOUND: a parent whose executable is unknown) */
	uint64_t unknown[PROCTABLE_MISSES];
	/* what the rules before the last reload excluded and excepted */
	uint64_t excluded_before, excepted_before;
	uint64_t fd_named;   /* live execs through a descriptor named by the
			      * path it holds */
	uint64_t fd_unnamed; /* those whose descriptor could not be read
			      * (gone, or the process with it) */
};

struct core {
	const struct config *cfg;
	bool live;
	struct procfs *pfs; /* NULL in replay or without proc_fallback */
	struct node_reg *nodes;
	struct proctable *table;
	struct rule *rule;
	struct sink *sink;
	struct alert_builder *ab;
	struct explain *explain; /* --explain; NULL: off */
	bool explain_only;	 /* the lines take the alerts' place */
	char host[HOST_NAME_MAX + 1];
	struct exec_event_stats ev; /* exec_event's counters */
	struct core_counts n;
	time_t last_sweep;
	struct exec_key recent[CORE_RECENT]; /* the last candidates, a ring */
	size_t nrecent, recent_next;
};

static struct log_limit lim_node = LOG_LIMIT_INIT;

/* This machine's name into host (HOST_NAME_MAX + 1 bytes). */
static void machine_name(char *host)
{
	if (gethostname(host, HOST_NAME_MAX + 1) < 0)
		strcpy(host, "localhost");
	host[HOST_NAME_MAX] = '\0';
}

/* The node= name of this host's own records under cfg, host being this
 * machine's name. */
static const char *local_node(const struct config *cfg, const char *host)
{
	return cfg->local_node ? cfg->local_node : host;
}

/* The node registry and the table that follows it. Returns 0, or -1 on
 * ENOMEM. */
static int core_table(struct core *core, const struct config *cfg)
{
	core->nodes = node_reg_create(cfg->node_max);
	if (!core->nodes ||
	    node_set_local(core->nodes, local_node(cfg, core->host)) < 0)
		return -1;
	core->table = proctable_create(cfg->table_max_entries,
				       cfg->table_max_image_bytes, core->pfs);
	if (!core->table)
		return -1;
	proctable_use_nodes(core->table, core->nodes);
	return 0;
}

/* Build the pipeline for cfg. */
struct core *core_create(const struct config *cfg, bool live)
{
	struct core *core = calloc(1, sizeof(*core));

	if (!core) {
		log_err("out of memory");
		return NULL;
	}
	core->cfg = cfg;
	core->live = live;
	machine_name(core->host);
	if (exec_event_init() < 0)
		goto fail; /* exec_event said why */
	core->rule = rule_create(cfg->rule_version, cfg->exceptions,
				 cfg->nexceptions);
	if (!core->rule) {
		log_err("cannot build rule version %d", cfg->rule_version);
		goto fail;
	}
	core->ab = alert_builder_create();
	if (!core->ab) {
		log_err("out of memory");
		goto fail;
	}
	if (live && cfg->proc_fallback) {
		core->pfs = procfs_create(NULL);
		if (!core->pfs)
			goto nomem;
	}
	if (core_table(core, cfg) < 0)
		goto nomem;
	proctable_set_rule(core->table, core->rule);
	if (core->pfs && proctable_seed(core->table) < 0)
		log_warnx("cannot seed the process table from /proc");
	core->sink = sink_create(cfg);
	if (!core->sink)
		goto fail;
	core->last_sweep = time(NULL);
	return core;
nomem:
	log_err("out of memory");
fail:
	core_free(core);
	return NULL;
}

/* Free the pipeline; the sink tries its queue once more. */
void core_free(struct core *core)
{
	if (!core)
		return;
	sink_free(core->sink);
	explain_close(core->explain);
	alert_builder_free(core->ab);
	proctable_free(core->table);
	node_reg_free(core->nodes);
	procfs_free(core->pfs);
	rule_free(core->rule);
	free(core);
	exec_event_fini();
}

/* The totals of the rule's decisions: excluded and excepted. */
static void rule_totals(const struct rule *rule, uint64_t *excluded,
			uint64_t *excepted)
{
	struct rule_counts rc;
	size_t i;

	rule_counts(rule, &rc);
	*excluded = *excepted = 0;
	for (i = 0; i < rc.nexcluded; i++)
		*excluded += rc.excluded[i];
	for (i = 0; i < rc.nexcepted; i++)
		*excepted += rc.excepted[i];
}

/* Keep the running rule's totals before it goes (a reload). */
static void core_fold_counts(struct core *core)
{
	uint64_t x, e;

	rule_totals(core->rule, &x, &e);
	core->n.excluded_before += x;
	core->n.excepted_before += e;
}

/* Switch to cfg, all or nothing. */
int core_reconfigure(struct core *core, const struct config *cfg)
{
	char host[HOST_NAME_MAX + 1];
	struct rule *rule;

	/* the table keeps the /proc reader it was built with */
	if (core->live && cfg->proc_fallback != (core->pfs != NULL)) {
		log_err("proc_fallback cannot change while running; restart "
			"the plugin to apply it");
		return -1;
	}
	machine_name(host);
	if (node_set_local(core->nodes, local_node(cfg, host)) < 0) {
		log_err("out of memory");
		return -1;
	}
	rule = rule_create(cfg->rule_version, cfg->exceptions,
			   cfg->nexceptions);
	if (!rule) {
		log_err("cannot build rule version %d", cfg->rule_version);
		goto undo;
	}
	if (sink_reconfigure(core->sink, cfg) < 0) {
		rule_free(rule);
		goto undo;
	}
	core_fold_counts(core);
	rule_free(core->rule);
	core->rule = rule;
	proctable_set_rule(core->table, rule);
	proctable_set_limits(core->table, cfg->table_max_entries,
			     cfg->table_max_image_bytes);
	node_set_max(core->nodes, cfg->node_max);
	core->cfg = cfg;
	memcpy(core->host, host, sizeof(host));
	return 0;
undo:
	/* the old name again: a copy as short as the one it had */
	if (node_set_local(core->nodes, local_node(core->cfg, core->host)) < 0)
		log_err("out of memory: this host's node name is now %s",
			local_node(cfg, host));
	return -1;
}

static int64_t now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * MS_PER_S + tv.tv_usec / US_PER_MS;
}

/* What an output with a size limit asks for: the alert being sent, built
 * again within max bytes (the argument lists cut first, and flagged). */
static const char *core_within(void *arg, size_t max, size_t *len)
{
	const struct core_fit *fit = arg;
	enum alert_error err;
	const char *json;

	json = alert_builder_build_max(fit->core->ab, fit->in, max, len, &err);
	if (!json && err == ALERT_ERR_NOMEM)
		log_err("out of memory: a shorter alert for pid %d lost",
			(int)fit->in->proc->pid);
	return json;
}

/* Build in's alert whole and hand it to the sink, with the way to build it
 * shorter for an output that takes less (syslog_max_message). */
static void core_alert(struct core *core, const struct alert_input *in)
{
	struct core_fit fit = {core, in};
	struct sink_doc doc = {NULL, 0, core_within, &fit};
	enum alert_error err;

	doc.text = alert_builder_build_max(core->ab, in, ALERT_MAX_BYTES,
					   &doc.len, &err);
	if (!doc.text) {
		log_err("%s: alert for pid %d lost",
			err == ALERT_ERR_NOMEM ? "out of memory"
					       : "too long even cut",
			(int)in->proc->pid);
		return;
	}
	sink_emit_doc(core->sink, &doc);
}

/* The host img ran on: a sender's node name, or this host's. */
static const char *core_host_of(const struct core *core,
				const struct image *img)
{
	if (img->node != NODE_LOCAL)
		return node_name(core->nodes, img->node);
	return core->host;
}

/* The alert for img and its parent: with its ancestry, to the sink. */
static void core_raise(struct core *core, const struct image *img,
		       const struct image *parent)
{
	const struct image *anc[MAX_ANCESTRY];
	struct alert_input in = {0};
	size_t n = 0, depth;

	depth = core->cfg->ancestry_depth;
	if (depth > MAX_ANCESTRY)
		depth = MAX_ANCESTRY;
	if (depth)
		n = proctable_ancestry(core->table, img, anc, depth);
	in.proc = img;
	in.parent = parent;
	/* ancestry[0] is the parent: show the full copy the rule saw */
	if (n)
		anc[0] = parent;
	in.ancestry = anc;
	in.nancestry = n;
	in.rule = rule_meta(core->rule);
	/* a collector decides for its senders: their name, and its own as the
	 * observer (live: a replay does not know which host collected) */
	in.host_name = core_host_of(core, img);
	if (img->node != NODE_LOCAL)
		in.observer_name = core->live ? core->host : NULL;
	in.created_ms = now_ms();
	core_alert(core, &in);
}

/* A successful dracut exec: find its parent, decide, explain, alert. */
static void core_candidate(struct core *core, const struct image *img)
{
	struct proctable_lookup look;
	struct rule_decision d;

	core->n.candidates++;
	/* a full copy, valid until the next lookup or insert */
	proctable_lookup(core->table, img, &look);
	rule_eval(core->rule, img, look.parent, look.kept, &d);
	if (d.verdict == RULE_NO_PARENT) {
		core->n.unknown[look.parent ? PROCTABLE_FOUND : look.miss]++;
		log_debug("dracut pid %d: parent %d unknown (%s)",
			  (int)img->pid, (int)img->ppid,
			  explain_reason_name(look.parent ? PROCTABLE_FOUND
							  : look.miss));
	}
	if (core->explain) {
		/* the host the alert would name: a sender's, in a
		 * collector's log */
		const struct explain_input ex = {img, &look, &d,
						 core_host_of(core, img)};

		explain_write(core->explain, &ex);
	}
	if (d.verdict == RULE_ALERT && !core->explain_only)
		core_raise(core, img, look.parent);
}

/*
 * Has this candidate exec been seen already? The same event can come twice
 * (a log replayed with an overlap, a record repeated): one exec is one
 * alert. Remembers it otherwise.
 */
static bool core_seen(struct core *core, const struct image *img)
{
	struct exec_key k = {img->node, img->pid, img->sec, img->msec,
			     img->serial};
	size_t i;

	for (i = 0; i < core->nrecent; i++) {
		const struct exec_key *r = &core->recent[i];

		if (r->node == k.node && r->pid == k.pid && r->sec == k.sec &&
		    r->msec == k.msec && r->serial == k.serial)
			return true;
	}
	core->recent[core->recent_next] = k;
	core->recent_next = (core->recent_next + 1) % CORE_RECENT;
	if (core->nrecent < CORE_RECENT)
		core->nrecent++;
	return false;
}

/* A usable exec event: decide a candidate, record a successful exec. */
static void core_exec(struct core *core, const struct image *img)
{
	if (!img->success) {
		core->n.execs_failed++;
		return;
	}
	if (rule_candidate(core->rule, img)) {
		if (core_seen(core, img)) {
			core->n.duplicates++;
			log_debug("dracut pid %d: event %llu seen already",
				  (int)img->pid,
				  (unsigned long long)img->serial);
		} else {
			core_candidate(core, img);
		}
	}
	if (proctable_exec(core->table, img) < 0)
		log_err("out of memory recording pid %d", (int)img->pid);
}

/*
 * The node of ev (node.h's id in *id). A name the registry refuses (empty,
 * too long) drops the event: counted by the registry, logged here.
 * Returns 0 or -1.
 */
static int core_node(struct core *core, const struct exec_event *ev,
		     uint32_t *id)
{
	struct node_stats st;

	if (node_intern(core->nodes, ev->node, id) == 0)
		return 0;
	if (errno != EINVAL) {
		log_limited(&lim_node,
			    "out of memory: event %llu of a new node dropped",
			    (unsigned long long)ev->serial);
		return -1;
	}
	node_stats(core->nodes, &st);
	log_limited(&lim_node,
		    "event %llu dropped: its node= name (%zu bytes) is empty "
		    "or longer than %d bytes (%llu so far)",
		    (unsigned long long)ev->serial, strlen(ev->node),
		    NODE_NAME_MAX, (unsigned long long)st.rejected);
	return -1;
}

/* The name of the file img's exec ran through descriptor fd, which the
 * records give as /dev/fd/FD or /dev/fd/FD/NAME: NULL when they do not
 * (exec_path.h), else what follows FD ("" or "/NAME"). */
static const char *fd_rest(const struct image *img, int fd)
{
	const char *p = img->executable;
	char *end;

	if (!p || strncmp(p, CORE_FD_PREFIX, strlen(CORE_FD_PREFIX)) != 0)
		return NULL;
	p += strlen(CORE_FD_PREFIX);
	errno = 0;
	if (strtol(p, &end, 10) != fd || errno || end == p ||
	    (*end && *end != '/'))
		return NULL;
	return end;
}

/* The file an exec of this host ran through a descriptor, which its
 * records cannot name: while the process lives, the descriptor names it
 * (or its directory). A new image of ev's in ev->image when read. */
static void core_fd_name(struct core *core, struct exec_event *ev)
{
	struct image *img = ev->image, named;
	const char *rest = fd_rest(img, ev->fd);
	uint64_t started, at;
	char *dir = NULL, *path = NULL;
	struct image *copy = NULL;

	if (!rest || !img->success)
		return;
	dir = procfs_fd_path(core->pfs, img->pid, ev->fd, &started);
	/* the process that ran the exec, not a later one on its pid */
	if (dir &&
	    procfs_time_to_ticks(core->pfs, img->sec, img->msec, &at) == 0 &&
	    started <= at + CORE_SLACK_TICKS)
		path = *rest ? image_clean_path(rest + 1, dir)
			     : image_clean_path(dir, NULL);
	if (path) {
		named = *img;
		named.executable = path;
		copy = image_copy(&named, 0);
	}
	if (copy) {
		core->n.fd_named++;
		image_free(ev->image);
		ev->image = copy;
	} else {
		core->n.fd_unnamed++;
		log_debug("pid %d: descriptor %d unread; executable %s",
			  (int)img->pid, ev->fd, img->executable);
	}
	free(path);
	free(dir);
}

/* A fork of node's. */
static void core_fork(struct core *core, const struct exec_event *ev,
		      uint32_t node)
{
	const struct proctable_fork f = {.node = node,
					 .parent = ev->fork_parent,
					 .child = ev->fork_child,
					 .sec = ev->sec,
					 .msec = ev->msec,
					 .serial = ev->serial,
					 .session = PROCTABLE_SESSION_FORKER};

	if (proctable_fork_event(core->table, &f) < 0)
		log_err("out of memory recording a fork");
}

/* Take one complete event. */
void core_event(struct core *core, auparse_state_t *au)
{
	/* only the live plugin may name this host's uids from its passwd */
	const struct exec_event_opts opts = {
		.local_names = core->live,
		.local_node = local_node(core->cfg, core->host)};
	struct exec_event ev;
	uint32_t node;

	/* a malformed exec event: exec_event counted and logged it */
	if (exec_event_parse(au, &ev, &core->ev, &opts) < 0)
		return;
	if (ev.kind == EXEC_EVENT_OTHER)
		return;
	if (core_node(core, &ev, &node) < 0) {
		image_free(ev.image);
		return;
	}
	if (ev.kind == EXEC_EVENT_FORK) {
		core_fork(core, &ev, node);
		return;
	}
	ev.image->node = node;
	/* /proc is this host's only */
	if (core->pfs && node == NODE_LOCAL && ev.fd_kind != EXEC_FD_NONE)
		core_fd_name(core, &ev);
	core_exec(core, ev.image);
	image_free(ev.image);
}

/* Periodic work: sink retries every call, a table sweep every
 * CORE_SWEEP_S. */
void core_tick(struct core *core, time_t now)
{
	sink_tick(core->sink, now);
	if (now - core->last_sweep >= CORE_SWEEP_S) {
		proctable_tick(core->table, now);
		core->last_sweep = now;
	}
}

/* Reopen outputs. */
void core_reopen(struct core *core)
{
	sink_reopen(core->sink);
	explain_reopen(core->explain);
}

/* Explain every candidate (see core.h). */
int core_explain(struct core *core, const char *path, bool alerts)
{
	explain_close(core->explain);
	core->explain = explain_open(path);
	core->explain_only = core->explain && !alerts;
	return core->explain ? 0 : -1;
}

/* exec_event's counters: what the events held. A malformed exec event is
 * no exec. */
static int exec_counters(const struct exec_event_stats *ee,
			 struct counters *tab)
{
	return COUNTERS_ADD(tab, {"execs", ee->execs - ee->malformed},
			    {"forks", ee->forks},
			    {"parse_errors", ee->malformed},
			    {"args_truncated", ee->args_truncated});
}

/* The core's own: what became of the execs; the rule's decisions, from
 * the rule's counts. Every alert goes to the sink, which counts it. */
static int decision_counters(const struct core *core, uint64_t alerts,
			     struct counters *tab)
{
	const struct core_counts *n = &core->n;
	struct explain_stats es;
	uint64_t x, e, unknown = 0;
	size_t i;

	rule_totals(core->rule, &x, &e);
	for (i = 0; i < PROCTABLE_MISSES; i++)
		unknown += n->unknown[i];
	explain_stats(core->explain, &es);
	return COUNTERS_ADD(
		tab, {"execs_failed", n->execs_failed},
		{"candidates", n->candidates}, {"duplicates", n->duplicates},
		{"alerts", alerts}, {"excluded", x + n->excluded_before},
		{"excepted", e + n->excepted_before},
		{"parents_unknown", unknown}, {"explained", es.written},
		{"explain_errors", es.errors});
}

/* The sink's: the alerts at the outputs. */
static int output_counters(const struct sink_stats *ss, struct counters *tab)
{
	return COUNTERS_ADD(
		tab, {"suppressed", ss->suppressed}, {"written", ss->written},
		{"dropped", ss->dropped}, {"write_errors", ss->write_errors},
		{"too_long", ss->too_long}, {"queue_depth", ss->queued});
}

/* The process table's. */
static int table_counters(const struct proctable_stats *pt,
			  struct counters *tab)
{
	return COUNTERS_ADD(
		tab, {"parents_stream", pt->parents_stream},
		{"parents_proc", pt->parents_proc},
		{"table_entries", pt->entries}, {"table_bytes", pt->bytes},
		{"table_evicted", pt->evicted},
		{"table_truncated", pt->truncated}, {"pid_reuse", pt->reused},
		{"table_hosts", pt->hosts}, {"table_groups", pt->groups},
		{"table_evicted_quiet", pt->evicted_quiet},
		{"table_forgotten", pt->forgotten});
}

/* The node registry's, and the core's execs named through a descriptor. */
static int node_counters(const struct node_stats *ns,
			 const struct core_counts *n, struct counters *tab)
{
	return COUNTERS_ADD(
		tab, {"nodes", ns->nodes}, {"node_bytes", ns->bytes},
		{"nodes_added", ns->added}, {"nodes_forgotten", ns->forgotten},
		{"nodes_rejected", ns->rejected},
		{"execs_fd_named", n->fd_named},
		{"execs_fd_unnamed", n->fd_unnamed});
}

/* The pipeline's counters, each from the module that counts it. */
int core_counters(const struct core *core, struct counters *tab)
{
	struct proctable_stats pt;
	struct node_stats ns;
	struct sink_stats ss;

	proctable_stats(core->table, &pt);
	node_stats(core->nodes, &ns);
	sink_stats(core->sink, &ss);
	if (exec_counters(&core->ev, tab) < 0 ||
	    decision_counters(core, ss.emitted, tab) < 0 ||
	    summary_counters(core->rule, core->n.unknown, tab) < 0 ||
	    output_counters(&ss, tab) < 0 || table_counters(&pt, tab) < 0 ||
	    node_counters(&ns, &core->n, tab) < 0)
		return -1;
	return 0;
}

/* Has an alert, or an explanation, failed to reach its output? */
bool core_alerts_lost(const struct core *core)
{
	struct explain_stats es;
	struct sink_stats ss;

	sink_stats(core->sink, &ss);
	explain_stats(core->explain, &es);
	return ss.write_errors || ss.dropped || ss.too_long || es.errors;
}

/* The summary of a replay (see core.h). */
void core_summary(const struct core *core, const struct counters *tab, FILE *fp)
{
	summary_print(fp, tab, core->rule, !core->explain_only);
}

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

/* Write the state report: version, config summary, counters. */
void core_report(const struct core *core, const struct counters *tab, FILE *fp)
{
	const struct config *cfg = core->cfg;
	enum output_type t;

	fprintf(fp, "audisp-dracut %s\n", PACKAGE_VERSION);
	fprintf(fp, "mode = %s\n", core->live ? "plugin" : "replay");
	fprintf(fp, "outputs =");
	for (t = 0; t < OUT_TYPES; t++)
		if (cfg->outputs & OUT_BIT(t))
			fprintf(fp, " %s", output_name(t));
	fprintf(fp, "\n");
	if (cfg->outputs & OUT_BIT(OUT_FILE))
		fprintf(fp, "output_file = %s\n", cfg->file_path);
	fprintf(fp, "rule_version = %d\n", cfg->rule_version);
	fprintf(fp, "exceptions = %zu\n", cfg->nexceptions);
	fprintf(fp, "proc_fallback = %s\n", yesno(core->pfs != NULL));
	fprintf(fp, "table_max_entries = %zu\n", cfg->table_max_entries);
	fprintf(fp, "table_max_image_bytes = %zu\n",
		cfg->table_max_image_bytes);
	fprintf(fp, "ancestry_depth = %u\n", cfg->ancestry_depth);
	fprintf(fp, "node_max = %zu\n", cfg->node_max);
	fprintf(fp, "local_node = %s\n", local_node(cfg, core->host));
	fprintf(fp, "rate_limit = %u per %u s\n", cfg->rate_limit_alerts,
		cfg->rate_limit_interval);
	counters_print(tab, fp);
}
