/* fuzz_plugin.c - libFuzzer harness: bytes through the plugin's whole path */
/*
 * Each input is an audit stream. It goes where the plugin sends its stdin:
 * input_run reads it from a file descriptor into libauparse,
 * core turns events into exec events, the process table, the rule and
 * alerts, and the sink writes the alerts to a file. The file is a memfd,
 * emptied before every input; after the run every line of it must be one
 * JSON object, and there must be exactly as many lines as alerts (nothing
 * lost, nothing half-written, nothing forged). The input's size modulo 4
 * picks the run, so that a given input always takes the same one: rule
 * version 1 with a small table (64 entries: eviction is reached) or rule
 * version 7 with exceptions, small images and a shallow ancestry; each in
 * replay mode or in plugin mode (the core ticked), the latter without the
 * /proc fallback so that the run depends on the bytes alone.
 *
 * Logging goes to stderr: run with -close_fd_mask=2 to keep it quiet.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config.h"
#include "core.h"
#include "counters.h"
#include "input.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
const char *__lsan_default_options(void);
const char *__lsan_default_suppressions(void);

/*
 * libauparse 3.0.9 leaks on some malformed records (a CWD record with two
 * cwd= fields loses a string), in blocks it allocates itself. Every block
 * of ours is also allocated under libauparse (the event callback), so a
 * suppression by module would hide our leaks too: allocation stacks are
 * kept one frame deep, and only blocks libauparse allocated itself are
 * suppressed. ASAN_OPTIONS=malloc_context_size=30 shows whole stacks
 * again when debugging.
 */
const char *__lsan_default_options(void)
{
	return "malloc_context_size=2";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libauparse.so\n";
}

static struct config cfgs[4];
static int in_fd = -1, out_fd = -1;
static bool verbose; /* FUZZ_PLUGIN_VERBOSE set: one line per input */

/* The configuration files of the runs (the output is added later); the
 * last two are for plugin mode. */
static const char *const conf_text[4] = {
	"rule_version = 1\n"
	"table_max_entries = 64\n"
	"ancestry_depth = 64\n"
	"rate_limit_alerts = 0\n",
	"rule_version = 7\n"
	"exception = process.parent.executable like~ \"/opt/*\"\n"
	"exception = process.args == \"--keep\"\n"
	"table_max_image_bytes = 256\n"
	"ancestry_depth = 2\n"
	"rate_limit_alerts = 0\n",
	"rule_version = 1\n"
	"proc_fallback = no\n"
	"table_max_entries = 64\n"
	"rate_limit_alerts = 0\n",
	"rule_version = 7\n"
	"proc_fallback = no\n"
	"exception = process.user.id == \"4294967295\"\n"
	"ancestry_depth = 0\n"
	"rate_limit_alerts = 0\n",
};

/* Load conf_text[i] into cfgs[i] through a 0600 file, as the plugin
 * loads its own, and point the file output at out_fd. */
static void load_config(int i)
{
	char path[] = "/tmp/fuzz_plugin.conf.XXXXXX";
	char spec[64];
	size_t len = strlen(conf_text[i]);
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, conf_text[i], len) != (ssize_t)len)
		abort();
	close(fd);
	if (config_load(path, true, &cfgs[i]) < 0)
		abort();
	unlink(path);
	snprintf(spec, sizeof(spec), "file:/proc/self/fd/%d", out_fd);
	if (config_set_output(&cfgs[i], spec) < 0)
		abort();
}

/* libFuzzer start-up: the two memfds and configurations. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_open("fuzz_plugin");
	in_fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	out_fd = memfd_create("fuzz-alerts", MFD_CLOEXEC);
	if (in_fd < 0 || out_fd < 0)
		abort();
	load_config(0);
	load_config(1);
	load_config(2);
	load_config(3);
	verbose = getenv("FUZZ_PLUGIN_VERBOSE") != NULL;
	return 0;
}

/* Every line of the alert file is one JSON object; returns the count. */
static uint64_t check_alerts(void)
{
	off_t size = lseek(out_fd, 0, SEEK_END);
	char *buf, *p, *end;
	uint64_t lines = 0;

	if (size < 0)
		abort();
	if (size == 0)
		return 0;
	buf = malloc((size_t)size);
	if (!buf || pread(out_fd, buf, (size_t)size, 0) != size)
		abort();
	if (buf[size - 1] != '\n')
		abort(); /* a half-written alert */
	for (p = buf, end = buf + size; p < end; lines++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		struct json_tokener *tok = json_tokener_new();
		struct json_object *obj;

		if (!tok)
			abort();
		obj = json_tokener_parse_ex(tok, p, (int)(nl - p));
		/* one whole object, and nothing after it on the line */
		if (!obj || !json_object_is_type(obj, json_type_object) ||
		    json_tokener_get_error(tok) != json_tokener_success ||
		    p + json_tokener_get_parse_end(tok) != nl)
			abort();
		json_object_put(obj);
		json_tokener_free(tok);
		p = nl + 1;
	}
	free(buf);
	return lines;
}

/* The read loop's hooks: events and ticks go to the core. */
static void on_event(auparse_state_t *au, void *arg)
{
	core_event(arg, au);
}

static void on_tick(time_t now, void *arg)
{
	core_tick(arg, now);
}

/* The counter named name; every one the harness checks must be there. */
static uint64_t counter(const struct counters *tab, const char *name)
{
	uint64_t v;

	if (counters_get(tab, name, &v) < 0)
		abort();
	return v;
}

/* libFuzzer entry: replay the bytes and check the alerts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *cfg = &cfgs[size % 4];
	bool live = size % 4 >= 2;
	struct counters tab = {0};
	struct input_stats in;
	struct core *core;
	uint64_t alerts;

	if (ftruncate(in_fd, 0) < 0 || ftruncate(out_fd, 0) < 0 ||
	    pwrite(in_fd, data, size, 0) != (ssize_t)size ||
	    lseek(in_fd, 0, SEEK_SET) != 0)
		abort();
	core = core_create(cfg, live);
	if (!core)
		abort();
	{
		const struct input_hooks hooks = {on_event, on_tick, NULL,
						  core};

		if (input_run(in_fd, live, &hooks, &in) < 0)
			abort();
	}
	if (core_counters(core, &tab) < 0)
		abort();
	core_free(core);
	alerts = counter(&tab, "alerts");
	/* every candidate has one fate, every alert was written whole */
	if (alerts + counter(&tab, "excluded") + counter(&tab, "excepted") +
			    counter(&tab, "parents_unknown") >
		    counter(&tab, "candidates") ||
	    counter(&tab, "write_errors") || counter(&tab, "dropped") ||
	    counter(&tab, "execs_failed") > counter(&tab, "execs"))
		abort();
	if (check_alerts() != alerts)
		abort();
	if (verbose)
		fprintf(stderr,
			"fuzz_plugin: %s, rule v%d: %llu events, %llu execs, "
			"%llu candidates, %llu alerts\n",
			live ? "plugin" : "replay", cfg->rule_version,
			(unsigned long long)in.events,
			(unsigned long long)counter(&tab, "execs"),
			(unsigned long long)counter(&tab, "candidates"),
			(unsigned long long)alerts);
	counters_clear(&tab);
	return 0;
}
