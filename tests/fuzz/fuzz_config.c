/* fuzz_config.c - libFuzzer harness: bytes as the configuration file */
/*
 * Each input is written to a 0600 file of our own (config_load refuses a
 * file another user owns or others may write) and loaded as the plugin
 * loads /etc/audit/audisp-dracut.conf. A configuration that loads builds
 * its rule, exceptions included, and the rule is evaluated against a few
 * fixed dracut execs, so that the fuzzed patterns reach the matcher.
 *
 * Logging goes to stderr: run with -close_fd_mask=2 to keep it quiet.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "image.h"
#include "log.h"
#include "rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char path[] = "/tmp/fuzz_config.XXXXXX";
static int conf_fd = -1;

#define NEXECS 3
static struct image *procs[NEXECS], *parents[NEXECS];

/* An image of exe run with the NULL-terminated argument list argv. */
static struct image *make_image(const char *exe, const char *const *argv,
				pid_t pid, pid_t ppid)
{
	struct image *img = image_new();
	char **args;
	size_t argc = 0, i;

	while (argv[argc])
		argc++;
	args = calloc(argc + 1, sizeof(*args));
	if (!img || !args)
		abort();
	for (i = 0; i < argc; i++)
		if (!(args[i] = strdup(argv[i])))
			abort();
	img->pid = pid;
	img->ppid = ppid;
	img->success = true;
	img->uid = img->euid = img->auid = 1000;
	if (!(img->user_name = strdup("builder")) ||
	    image_set_executable(img, exe, "/root") < 0 ||
	    image_set_args(img, args, argc) < 0)
		abort();
	img->source = IMAGE_SRC_STREAM;
	return img;
}

static void remove_file(void)
{
	unlink(path);
}

/* libFuzzer start-up: the file and the execs. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dracut[] = {"dracut", "--force", "--kver",
					     "6.1.0-13-amd64", NULL};
	static const char *const dracut2[] = {
		"/bin/sh", "/usr/bin/dracut", "--regenerate-all",
		"-a aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		NULL};
	static const char *const dracut3[] = {"/usr/sbin/dracut", NULL};
	static const char *const bash[] = {"bash", "-i", NULL};
	static const char *const make[] = {"make", "-C", "/opt/kernel-build",
					   "install", NULL};
	static const char *const sudo[] = {"sudo", "dracut", NULL};

	(void)argc;
	(void)argv;
	log_open("fuzz_config");
	conf_fd = mkstemp(path);
	if (conf_fd < 0 || fchmod(conf_fd, 0600) < 0)
		abort();
	atexit(remove_file);
	procs[0] = make_image("/usr/bin/dracut", dracut, 300, 200);
	parents[0] = make_image("/usr/bin/bash", bash, 200, 100);
	procs[1] = make_image("/usr/bin/dracut", dracut2, 301, 201);
	parents[1] = make_image("/opt/kernel-build/bin/make", make, 201, 1);
	procs[2] = make_image("/usr/sbin/dracut", dracut3, 302, 202);
	parents[2] = make_image("/usr/bin/sudo", sudo, 202, 200);
	return 0;
}

/* libFuzzer entry: load the bytes as a configuration; use what loads. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct rule *rule;
	size_t i;

	if (ftruncate(conf_fd, 0) < 0 ||
	    pwrite(conf_fd, data, size, 0) != (ssize_t)size)
		abort();
	if (config_load(path, true, &cfg) < 0) {
		/* a refused file leaves cfg cleared */
		if (cfg.file_path || cfg.exceptions || cfg.nexceptions)
			abort();
		return 0;
	}
	if (!cfg.syslog_ident || !cfg.file_path || !cfg.state_file ||
	    !rule_version_known(cfg.rule_version) ||
	    (cfg.nexceptions && !cfg.exceptions))
		abort();
	rule = rule_create(cfg.rule_version, cfg.exceptions, cfg.nexceptions);
	if (!rule)
		abort();
	for (i = 0; i < NEXECS; i++) {
		struct rule_parent_result kept;
		struct rule_decision d;

		if (!rule_candidate(rule, procs[i]))
			continue;
		/* the decision names what matched, from the same pass */
		rule_parent_eval(rule, parents[i], &kept);
		if (rule_eval(rule, procs[i], parents[i], &kept, &d) !=
			    d.verdict ||
		    ((d.verdict == RULE_EXCLUDED ||
		      d.verdict == RULE_EXCEPTED) &&
		     (!d.pattern || !rule_decision_value(&d))))
			abort();
	}
	rule_free(rule);
	config_clear(&cfg);
	return 0;
}
