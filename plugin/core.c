/* core.c - the pipeline: exec event -> process table -> rule -> alert -> sink */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "alert.h"
#include "core.h"
#include "exec_event.h"
#include "input.h"
#include "log.h"
#include "proctable.h"
#include "procfs.h"
#include "rule.h"
#include "sink.h"

#define MAX_ANCESTRY 64
/* Candidates remembered to recognise the same exec event delivered again */
#define CORE_RECENT 64

/* What identifies one exec event: its process, time and serial. */
struct exec_key {
	pid_t pid;
	int64_t sec;
	uint32_t msec;
	uint64_t serial;
};

struct core {
	const struct config *cfg;
	bool live;
	struct procfs *pfs; /* NULL in replay or without proc_fallback */
	struct proctable *table;
	struct rule *rule;
	struct sink *sink;
	struct alert_builder *ab;
	char host[256];
	struct exec_event_stats ev;
	struct core_stats st;
	time_t last_sweep;
	struct exec_key recent[CORE_RECENT]; /* the last candidates, a ring */
	size_t nrecent, recent_next;
	uint64_t duplicates; /* candidates seen again, not alerted again */
};

static void core_hostname(struct core *core)
{
	if (gethostname(core->host, sizeof(core->host)) < 0)
		strcpy(core->host, "localhost");
	core->host[sizeof(core->host) - 1] = '\0';
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
	core_hostname(core);
	if (exec_event_init() < 0) {
		log_err("libaudit knows no execve syscall for this machine");
		goto fail;
	}
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
	core->table = proctable_create(cfg->table_max_entries,
				       cfg->table_max_image_bytes, core->pfs);
	if (!core->table)
		goto nomem;
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
	alert_builder_free(core->ab);
	proctable_free(core->table);
	procfs_free(core->pfs);
	rule_free(core->rule);
	free(core);
	exec_event_fini();
}

/* Switch to cfg, all or nothing. */
int core_reconfigure(struct core *core, const struct config *cfg)
{
	struct rule *rule;

	/* the table keeps the /proc reader it was built with */
	if (core->live && cfg->proc_fallback != (core->pfs != NULL)) {
		log_err("proc_fallback cannot change while running; restart "
			"the plugin to apply it");
		return -1;
	}
	rule = rule_create(cfg->rule_version, cfg->exceptions,
			   cfg->nexceptions);
	if (!rule) {
		log_err("cannot build rule version %d", cfg->rule_version);
		return -1;
	}
	if (sink_reconfigure(core->sink, cfg) < 0) {
		rule_free(rule);
		return -1;
	}
	rule_free(core->rule);
	core->rule = rule;
	proctable_set_limits(core->table, cfg->table_max_entries,
			     cfg->table_max_image_bytes);
	core->cfg = cfg;
	core_hostname(core);
	return 0;
}

static int64_t now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* A successful dracut exec: find its parent, decide, alert. */
static void core_candidate(struct core *core, const struct image *img)
{
	const struct image *anc[MAX_ANCESTRY];
	struct alert_input in = {0};
	const struct image *parent;
	enum rule_verdict v;
	size_t n = 0, depth;
	const char *json;
	size_t len;

	core->st.candidates++;
	/* a full copy, valid until the next proctable_parent or insert */
	parent = proctable_parent(core->table, img);
	v = rule_eval(core->rule, img, parent, NULL, NULL);
	switch (v) {
	case RULE_ALERT:
		break;
	case RULE_NO_PARENT:
		core->st.parents_unknown++;
		log_debug("dracut pid %d: parent %d unknown", (int)img->pid,
			  (int)img->ppid);
		return;
	case RULE_EXCLUDED:
		core->st.excluded++;
		return;
	case RULE_EXCEPTED:
		core->st.excepted++;
		return;
	case RULE_NOT_CANDIDATE:
		return;
	}

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
	in.host_name = core->host;
	in.created_ms = now_ms();
	json = alert_builder_build(core->ab, &in, &len);
	if (!json) {
		log_err("out of memory: alert for pid %d lost", (int)img->pid);
		return;
	}
	core->st.alerts++;
	sink_emit(core->sink, json, len);
}

/*
 * Has this candidate exec been seen already? The same event can come twice
 * (a log replayed with an overlap, a record repeated): one exec is one
 * alert. Remembers it otherwise.
 */
static bool core_seen(struct core *core, const struct image *img)
{
	struct exec_key k = {img->pid, img->sec, img->msec, img->serial};
	size_t i;

	for (i = 0; i < core->nrecent; i++) {
		const struct exec_key *r = &core->recent[i];

		if (r->pid == k.pid && r->sec == k.sec && r->msec == k.msec &&
		    r->serial == k.serial)
			return true;
	}
	core->recent[core->recent_next] = k;
	core->recent_next = (core->recent_next + 1) % CORE_RECENT;
	if (core->nrecent < CORE_RECENT)
		core->nrecent++;
	return false;
}

/* auparse's event-ready callback. */
void core_auparse_cb(auparse_state_t *au, auparse_cb_event_t type,
		     void *user_data)
{
	struct core *core = user_data;
	/* only the live plugin may name this host's uids from its passwd */
	const struct exec_event_opts opts = {.local_names = core->live};
	struct exec_event ev;

	if (type != AUPARSE_CB_EVENT_READY)
		return;
	core->st.events++;
	if (exec_event_parse(au, &ev, &core->ev, &opts) < 0) {
		core->st.parse_errors++;
		return;
	}
	switch (ev.kind) {
	case EXEC_EVENT_OTHER:
		return;
	case EXEC_EVENT_FORK:
		core->st.forks++;
		if (proctable_fork(core->table, ev.fork_parent, ev.fork_child,
				   ev.sec, ev.msec, ev.serial) < 0)
			log_err("out of memory recording a fork");
		return;
	case EXEC_EVENT_EXEC:
		break;
	}
	core->st.execs++;
	if (ev.image->flags & IMAGE_ARGS_TRUNCATED)
		core->st.args_truncated++;
	if (!ev.image->success) {
		core->st.execs_failed++;
	} else {
		if (rule_candidate(core->rule, ev.image)) {
			if (core_seen(core, ev.image)) {
				core->duplicates++;
				log_debug("dracut pid %d: event %llu seen "
					  "already",
					  (int)ev.image->pid,
					  (unsigned long long)ev.image->serial);
			} else {
				core_candidate(core, ev.image);
			}
		}
		if (proctable_exec(core->table, ev.image) < 0)
			log_err("out of memory recording pid %d",
				(int)ev.image->pid);
	}
	image_free(ev.image);
}

/* Periodic work: sink retries every call, a table sweep every 10 s. */
void core_tick(struct core *core, time_t now)
{
	sink_tick(core->sink, now);
	if (now - core->last_sweep >= 10) {
		proctable_sweep(core->table);
		core->last_sweep = now;
	}
}

/* Reopen outputs. */
void core_reopen(struct core *core)
{
	sink_reopen(core->sink);
}

/* Counters, as the report and tests see them. */
void core_stats(const struct core *core, struct core_stats *st)
{
	struct sink_stats ss;

	*st = core->st;
	sink_stats(core->sink, &ss);
	st->write_errors = ss.write_errors;
	st->dropped = ss.dropped;
}

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

/* Write the state report: version, config summary, counters. */
void core_report(struct core *core, FILE *fp)
{
	const struct config *cfg = core->cfg;
	struct proctable_stats pt;
	struct sink_stats ss;

	proctable_stats(core->table, &pt);
	sink_stats(core->sink, &ss);
	fprintf(fp, "audisp-dracut %s\n", PACKAGE_VERSION);
	fprintf(fp, "mode = %s\n", core->live ? "plugin" : "replay");
	fprintf(fp, "outputs =%s%s%s\n",
		cfg->outputs & OUTPUT_SYSLOG ? " syslog" : "",
		cfg->outputs & OUTPUT_FILE ? " file" : "",
		cfg->outputs & OUTPUT_STDOUT ? " stdout" : "");
	if (cfg->outputs & OUTPUT_FILE)
		fprintf(fp, "output_file = %s\n", cfg->file_path);
	fprintf(fp, "rule_version = %d\n", cfg->rule_version);
	fprintf(fp, "exceptions = %zu\n", cfg->nexceptions);
	fprintf(fp, "proc_fallback = %s\n", yesno(core->pfs != NULL));
	fprintf(fp, "table_max_entries = %zu\n", cfg->table_max_entries);
	fprintf(fp, "table_max_image_bytes = %zu\n",
		cfg->table_max_image_bytes);
	fprintf(fp, "ancestry_depth = %u\n", cfg->ancestry_depth);
	fprintf(fp, "rate_limit = %u per %u s\n", cfg->rate_limit_alerts,
		cfg->rate_limit_interval);
	fprintf(fp, "events = %llu\n", (unsigned long long)core->st.events);
	fprintf(fp, "execs = %llu\n", (unsigned long long)core->st.execs);
	fprintf(fp, "execs_failed = %llu\n",
		(unsigned long long)core->st.execs_failed);
	fprintf(fp, "forks = %llu\n", (unsigned long long)core->st.forks);
	fprintf(fp, "parse_errors = %llu\n",
		(unsigned long long)core->st.parse_errors);
	fprintf(fp, "input_garbage = %llu\n",
		(unsigned long long)input_garbage_lines());
	fprintf(fp, "input_skipped_records = %llu\n",
		(unsigned long long)input_skipped_records());
	fprintf(fp, "args_truncated = %llu\n",
		(unsigned long long)core->st.args_truncated);
	fprintf(fp, "candidates = %llu\n",
		(unsigned long long)core->st.candidates);
	fprintf(fp, "duplicates = %llu\n",
		(unsigned long long)core->duplicates);
	fprintf(fp, "alerts = %llu\n", (unsigned long long)core->st.alerts);
	fprintf(fp, "excluded = %llu\n", (unsigned long long)core->st.excluded);
	fprintf(fp, "excepted = %llu\n", (unsigned long long)core->st.excepted);
	fprintf(fp, "suppressed = %llu\n", (unsigned long long)ss.suppressed);
	fprintf(fp, "written = %llu\n", (unsigned long long)ss.written);
	fprintf(fp, "dropped = %llu\n", (unsigned long long)ss.dropped);
	fprintf(fp, "write_errors = %llu\n",
		(unsigned long long)ss.write_errors);
	fprintf(fp, "queue_depth = %zu\n", ss.queued);
	fprintf(fp, "parents_unknown = %llu\n",
		(unsigned long long)core->st.parents_unknown);
	fprintf(fp, "parents_stream = %llu\n",
		(unsigned long long)pt.parents_stream);
	fprintf(fp, "parents_proc = %llu\n",
		(unsigned long long)pt.parents_proc);
	fprintf(fp, "table_entries = %zu\n", pt.entries);
	fprintf(fp, "table_bytes = %zu\n", pt.bytes);
	fprintf(fp, "table_evicted = %llu\n", (unsigned long long)pt.evicted);
	fprintf(fp, "table_truncated = %llu\n",
		(unsigned long long)pt.truncated);
	fprintf(fp, "pid_reuse = %llu\n", (unsigned long long)pt.reused);
}
