/* main.c - command line, signals and start-up of the audisp-dracut plugin */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "core.h"
#include "counters.h"
#include "input.h"
#include "log.h"
#include "privs.h"
#include "progress.h"
#include "rule.h"
#include "util.h"

#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
/* What the plugin creates (alerts, state report) only root may read. */
#define PLUGIN_UMASK 077
#define REPORT_MODE 0600

static volatile sig_atomic_t got_term, got_hup, got_usr1;
static bool live;

struct opts {
	const char *config;
	const char *replay;
	const char *output;
	const char *explain; /* --explain's FILE, "-" for stdout; NULL: off */
	int rule_version;    /* 0: from the config */
	bool check_config;
};

struct state {
	struct opts *opts;
	struct config cfg[2]; /* the running one and the one being loaded */
	int cur;
	struct core *core;
	struct input_stats in; /* the read loop's, current while it runs */
	struct progress progress;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: audisp-dracut [-c FILE] [-r FILE|-] [-o SPEC] "
		"[--rule-version N] [--explain[=FILE]] [--check-config] [-d] "
		"[-V] [-h]\n"
		"  -c, --config FILE     configuration (default %s)\n"
		"  -r, --replay FILE|-   replay an audit log or a captured "
		"plugin stream\n"
		"  -o, --output SPEC     -, file:PATH or syslog "
		"(comma-separated)\n"
		"      --rule-version N  %s (default %d)\n"
		"      --explain[=FILE]  why each dracut run did or did not "
		"alert, one JSON\n"
		"                        line each, to FILE (replay: standard "
		"output)\n"
		"      --check-config    validate the configuration and exit\n"
		"  -d, --debug           log debug messages\n"
		"  -V, --version         print the version and exit\n"
		"  -h, --help            print this help and exit\n",
		CONFIG_DEFAULT_PATH, rule_versions_text(),
		RULE_VERSION_DEFAULT);
}

/* SIGTERM: from auditd (our parent) only in plugin mode, as
 * audit-userspace plugins do; from anyone in replay. */
static void on_term(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (live && sig == SIGTERM && si && si->si_pid != getppid())
		return;
	got_term = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* auditd 3.0.9 starts plugins with signals blocked and some ignored:
 * start from a clean slate, install our handlers, and only then unblock,
 * so that a SIGHUP already pending (auditd reloading as it starts us) is
 * taken by the handler instead of killing the plugin. */
static void signals_setup(void)
{
	struct sigaction sa;
	sigset_t set;
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		struct sigaction old;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN) {
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = SIG_DFL;
			sigaction(sig, &sa, NULL);
		}
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_term;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTERM, &sa, NULL);
	if (!live)
		sigaction(SIGINT, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

/* Load the configuration named by opts into cfg, with the command line's
 * overrides. Returns 0, or -1 with every reason logged. */
static int load_config(const struct opts *opts, struct config *cfg)
{
	const char *path = opts->config ? opts->config : CONFIG_DEFAULT_PATH;

	if (config_load(path, opts->config != NULL, cfg) < 0)
		return -1;
	if (opts->output) {
		if (config_set_output(cfg, opts->output) < 0)
			goto fail;
	} else if (opts->replay) {
		if (config_set_output(cfg, "-") < 0)
			goto fail;
	}
	if (opts->rule_version)
		cfg->rule_version = opts->rule_version;
	/* Replay is forensics: every alert in the log, none held back by a
	 * wall-clock window that says nothing about the log's own time;
	 * unless a configuration named with -c asks for a limit. The
	 * installed one is the live plugin's. */
	if (opts->replay && !opts->config)
		cfg->rate_limit_alerts = 0;
	return 0;
fail:
	config_clear(cfg);
	return -1;
}

/* SIGHUP: build the new configuration whole; swap it in only if valid. */
static void reload(struct state *st)
{
	int next = !st->cur;

	log_info("reloading configuration");
	if (load_config(st->opts, &st->cfg[next]) < 0) {
		log_err("new configuration is invalid; keeping the running "
			"one");
	} else if (core_reconfigure(st->core, &st->cfg[next]) < 0) {
		log_err("cannot apply the new configuration; keeping the "
			"running one");
		config_clear(&st->cfg[next]);
	} else {
		config_clear(&st->cfg[st->cur]);
		st->cur = next;
	}
	/* SIGHUP is also logrotate's signal: reopen in every case */
	core_reopen(st->core);
}

/* The read loop's counters, by the names the report prints. */
static int input_counters(const struct input_stats *in, struct counters *tab)
{
	return COUNTERS_ADD(
		tab, {"events", in->events}, {"input_garbage", in->garbage},
		{"input_skipped_records", in->skipped},
		{"input_unended", in->unended}, {"input_bytes", in->bytes});
}

/* Every counter as of now into tab, the read loop's, then the
 * pipeline's. Returns 0, or -1 with errno. */
static int counters_now(const struct state *st, struct counters *tab)
{
	if (input_counters(&st->in, tab) < 0 ||
	    core_counters(st->core, tab) < 0)
		return -1;
	return 0;
}

/* The state report as text (malloc'd, *len bytes). Returns NULL with
 * errno. */
static char *report_text(const struct state *st, size_t *len)
{
	struct counters tab = {0};
	char *text = NULL;
	FILE *fp = NULL;

	if (counters_now(st, &tab) == 0)
		fp = open_memstream(&text, len);
	if (fp) {
		core_report(st->core, &tab, fp);
		if (fclose(fp) != 0) {
			free(text);
			text = NULL;
		}
	}
	counters_clear(&tab);
	return text;
}

/* Write text to path whole: a temporary file renamed over it. */
static void report_write(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		log_warnx("cannot write state report %s: name too long", path);
		return;
	}
	/* the directory, as under /run/audisp-dracut/ */
	if (mkdir_parent(path) < 0)
		log_warn("cannot create the directory of %s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, REPORT_MODE);
	if (fd < 0) {
		log_warn("cannot write state report %s", tmp);
		return;
	}
	if (write(fd, text, len) != (ssize_t)len || close(fd) < 0 ||
	    rename(tmp, path) < 0) {
		log_warn("cannot write state report %s", path);
		unlink(tmp);
	}
}

/* SIGUSR1: write the state report to the state file, or to syslog. */
static void report(const struct state *st)
{
	const char *path = st->cfg[st->cur].state_file;
	char *text, *line, *save = NULL;
	size_t len = 0;

	text = report_text(st, &len);
	if (!text) {
		log_warn("cannot build the state report");
		return;
	}
	if (path && strcmp(path, "syslog") != 0) {
		report_write(path, text, len);
	} else {
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			log_info("state: %s", line);
	}
	free(text);
}

/* The read loop's hooks: events and ticks go to the core. */
static void on_event(auparse_state_t *au, void *arg)
{
	struct state *st = arg;

	core_event(st->core, au);
}

static void on_tick(time_t now, void *arg)
{
	struct state *st = arg;

	core_tick(st->core, now);
}

/* After every wake-up: the signals' flags, and the progress line. */
static int on_wake(void *arg)
{
	struct state *st = arg;

	if (st->progress.on)
		progress_update(&st->progress, st->in.bytes, progress_now_ms());
	if (got_term)
		return 1;
	if (got_hup) {
		got_hup = 0;
		reload(st);
	}
	if (got_usr1) {
		got_usr1 = 0;
		report(st);
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	/* long options without a short one: past every char */
	enum {
		OPT_RULE_VERSION = UCHAR_MAX + 1,
		OPT_CHECK_CONFIG,
		OPT_EXPLAIN
	};
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"replay", required_argument, NULL, 'r'},
		{"output", required_argument, NULL, 'o'},
		{"rule-version", required_argument, NULL, OPT_RULE_VERSION},
		{"check-config", no_argument, NULL, OPT_CHECK_CONFIG},
		{"explain", optional_argument, NULL, OPT_EXPLAIN},
		{"debug", no_argument, NULL, 'd'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "c:r:o:dVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'r':
			o->replay = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_RULE_VERSION:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 1 ||
			    v > INT_MAX || !rule_version_known((int)v)) {
				fprintf(stderr,
					"audisp-dracut: unknown rule version "
					"'%s' (known: %s)\n",
					optarg, rule_versions_text());
				return -1;
			}
			o->rule_version = (int)v;
			break;
		case OPT_CHECK_CONFIG:
			o->check_config = true;
			break;
		case OPT_EXPLAIN:
			o->explain = optarg && *optarg ? optarg : "-";
			break;
		case 'd':
			log_set_debug(true);
			break;
		case 'V':
			printf("audisp-dracut %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			/* getopt said what is wrong, in one line */
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "audisp-dracut: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* The input named by opts: stdin, or the file to replay. Returns the
 * descriptor, or -1 with the reason logged. */
static int open_input(const struct opts *opts)
{
	int fd;

	if (!opts->replay || strcmp(opts->replay, "-") == 0)
		return STDIN_FILENO;
	fd = open(opts->replay, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		log_warn("cannot open %s", opts->replay);
	return fd;
}

/* --explain where the mode allows it: to a FILE in plugin mode (auditd
 * owns the plugin's standard output), and never to standard output with
 * the alerts. Returns 0, or -1 with the reason logged. */
static int check_explain(const struct opts *opts, const struct config *cfg)
{
	if (!opts->explain || strcmp(opts->explain, "-") != 0)
		return 0;
	if (live) {
		log_err("--explain needs a file in plugin mode: "
			"--explain=FILE");
		return -1;
	}
	if (opts->output && (cfg->outputs & OUT_BIT(OUT_STDOUT))) {
		log_err("--explain and -o - both write to standard output: "
			"give --explain=FILE");
		return -1;
	}
	return 0;
}

/* Build the pipeline on the loaded configuration; in plugin mode, drop
 * privileges and switch diagnostics to syslog. Returns 0, or -1 with the
 * reason logged. */
static int start(struct state *st)
{
	const char *explain = st->opts->explain;

	st->core = core_create(&st->cfg[st->cur], live);
	if (!st->core)
		return -1;
	/* a replay's --explain on standard output takes the alerts' place
	 * there, unless -o sends them elsewhere */
	if (explain &&
	    core_explain(st->core, explain,
			 live || strcmp(explain, "-") || st->opts->output) < 0)
		return -1;
	if (live) {
		if (privs_drop() < 0)
			return -1;
		log_use_syslog(true);
		log_info("started, rule version %d",
			 st->cfg[st->cur].rule_version);
	}
	return 0;
}

/* A message on stderr: the progress line makes room for it. */
static void progress_room(void *arg)
{
	progress_clear(arg);
}

/* A replay of a regular file, with stderr a terminal: show its progress
 * there. */
static void progress_begin(struct state *st, int fd)
{
	struct stat sb;
	off_t at;

	if (live || !isatty(STDERR_FILENO) || fstat(fd, &sb) < 0 ||
	    !S_ISREG(sb.st_mode))
		return;
	at = lseek(fd, 0, SEEK_CUR);
	if (at < 0 || at > sb.st_size)
		at = 0;
	progress_start(&st->progress, STDERR_FILENO,
		       (uint64_t)(sb.st_size - at), progress_now_ms());
	log_before_stderr(progress_room, &st->progress);
}

/* The end of a replay: the summary on stderr, from the counters the
 * SIGUSR1 report prints. */
static void summary(struct state *st)
{
	struct counters tab = {0};

	progress_end(&st->progress);
	log_before_stderr(NULL, NULL);
	if (counters_now(st, &tab) == 0)
		core_summary(st->core, &tab, stderr);
	else
		log_warn("cannot build the summary");
	counters_clear(&tab);
}

/* Read fd through the pipeline until EOF or SIGTERM. Returns 0, or -1
 * with the reason logged. */
static int run(struct state *st, int fd)
{
	const struct input_hooks hooks = {on_event, on_tick, on_wake, st};
	int rc, err;

	progress_begin(st, fd);
	rc = input_run(fd, live, &hooks, &st->in);
	err = errno;
	if (!live)
		summary(st);
	errno = err;
	if (rc < 0) {
		log_warn("cannot read %s",
			 fd == STDIN_FILENO ? "stdin" : st->opts->replay);
		return -1;
	}
	/* A replay whose alerts did not all reach the output (a full disk,
	 * a closed pipe) has failed, as the sink's messages said. */
	if (!live && core_alerts_lost(st->core))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts opts = {0};
	struct state st = {0};
	int fd, rc;

	log_open("audisp-dracut");
	if (parse_opts(argc, argv, &opts) < 0)
		return 1;
	st.opts = &opts;
	live = opts.replay == NULL;
	signals_setup(); /* before anything slow: auditd may signal at once */

	if (load_config(&opts, &st.cfg[0]) < 0)
		return 1;
	if (!opts.check_config && check_explain(&opts, &st.cfg[0]) < 0) {
		config_clear(&st.cfg[0]);
		return 1;
	}
	if (opts.check_config) {
		printf("%s: configuration is valid\n",
		       opts.config ? opts.config : CONFIG_DEFAULT_PATH);
		config_clear(&st.cfg[0]);
		return 0;
	}
	fd = open_input(&opts);
	umask(PLUGIN_UMASK);
	rc = fd < 0 || start(&st) < 0 ? -1 : run(&st, fd);
	core_free(st.core);
	config_clear(&st.cfg[st.cur]);
	if (fd > STDIN_FILENO)
		close(fd);
	if (live && rc == 0)
		log_info("stopped");
	return rc < 0 ? 1 : 0;
}
