/* check_config.c - unit tests of the configuration file parser */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "util.h"

static char tmpdir[] = "/tmp/check_config.XXXXXX";
static char conf_path[PATH_MAX];
static char *messages; /* what the last load_capture logged */

static void setup(void)
{
	strcpy(tmpdir, "/tmp/check_config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(conf_path, sizeof(conf_path), "%s/test.conf", tmpdir);
	messages = NULL;
}

static void teardown(void)
{
	unlink(conf_path);
	rmdir(tmpdir);
	free(messages);
	messages = NULL;
}

/* Write text to conf_path with mode 0600 (0644 is fine too). */
static void write_conf(const char *text)
{
	FILE *fp;

	unlink(conf_path);
	fp = fopen(conf_path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(chmod(conf_path, 0600), 0);
}

/* Run config_load with stderr captured into messages. */
static int load_capture(const char *path, bool must_exist, struct config *cfg)
{
	char capture[PATH_MAX];
	int saved, fd, rc;
	FILE *fp;
	long size;

	snprintf(capture, sizeof(capture), "%s/stderr", tmpdir);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	fd = open(capture, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = config_load(path, must_exist, cfg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	fp = fopen(capture, "r");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	free(messages);
	messages = calloc(1, (size_t)size + 1);
	ck_assert_ptr_nonnull(messages);
	ck_assert_int_eq(fread(messages, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	unlink(capture);
	return rc;
}

/* Assert that messages holds "conf_path:line: " followed later by what. */
static void assert_logged(unsigned line, const char *what)
{
	char prefix[PATH_MAX + 32];
	const char *at;

	snprintf(prefix, sizeof(prefix), "%s:%u: ", conf_path, line);
	at = strstr(messages, prefix);
	ck_assert_msg(at != NULL, "no '%s' in log: %s", prefix, messages);
	ck_assert_msg(strstr(at, what) != NULL && strchr(at, '\n') != NULL &&
			      strstr(at, what) < strchr(at, '\n'),
		      "no '%s' after '%s' in log: %s", what, prefix, messages);
}

/* A one-line file that must be refused with reason on line 1. */
static void assert_refused(const char *line, const char *reason)
{
	struct config cfg;
	char text[512];

	snprintf(text, sizeof(text), "%s\n", line);
	write_conf(text);
	ck_assert_msg(load_capture(conf_path, true, &cfg) == -1, "accepted: %s",
		      line);
	assert_logged(1, reason);
	/* cleared on failure */
	ck_assert_ptr_null(cfg.file_path);
	ck_assert_uint_eq(cfg.outputs, 0);
}

/* A one-line file that must load. */
static void load_line(const char *line, struct config *cfg)
{
	char text[512];

	snprintf(text, sizeof(text), "%s\n", line);
	write_conf(text);
	ck_assert_msg(load_capture(conf_path, true, cfg) == 0,
		      "refused: %s: %s", line, messages);
}

START_TEST(test_defaults)
{
	struct config cfg;

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_SYSLOG));
	ck_assert_str_eq(cfg.file_path, "/var/log/audisp-dracut/alerts.json");
	ck_assert_str_eq(cfg.syslog_ident, "audisp-dracut");
	ck_assert_int_eq(cfg.syslog_facility, LOG_AUTHPRIV);
	ck_assert_int_eq(cfg.syslog_priority, LOG_WARNING);
	ck_assert(!cfg.syslog_cee);
	/* rsyslogd's default maxMessageSize */
	ck_assert_uint_eq(cfg.syslog_max_message, 8096);
	ck_assert_int_eq(cfg.rule_version, 1);
	ck_assert_uint_eq(cfg.nexceptions, 0);
	ck_assert_uint_eq(cfg.table_max_entries, 4096);
	ck_assert_uint_eq(cfg.table_max_image_bytes, 4096);
	ck_assert(cfg.proc_fallback);
	ck_assert_uint_eq(cfg.ancestry_depth, 8);
	ck_assert_uint_eq(cfg.rate_limit_alerts, 100);
	ck_assert_uint_eq(cfg.rate_limit_interval, 300);
	ck_assert_uint_eq(cfg.queue_max, 1000);
	ck_assert_uint_eq(cfg.retry_interval, 5);
	ck_assert_str_eq(cfg.state_file, "/run/audisp-dracut/state");
	/* node.h's NODE_MAX_DEFAULT; this machine's name */
	ck_assert_uint_eq(cfg.node_max, 16384);
	ck_assert_ptr_null(cfg.local_node);
	config_clear(&cfg);
	ck_assert_ptr_null(cfg.file_path);
	config_clear(&cfg); /* twice is fine */
	config_clear(NULL);
}
END_TEST

START_TEST(test_missing_file)
{
	struct config cfg;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/nonexistent.conf", tmpdir);
	ck_assert_int_eq(load_capture(path, false, &cfg), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_SYSLOG));
	ck_assert_uint_eq(cfg.rate_limit_alerts, 100);
	ck_assert_str_eq(messages, "");
	config_clear(&cfg);

	ck_assert_int_eq(load_capture(path, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, path));
	ck_assert_ptr_null(cfg.file_path);
}
END_TEST

START_TEST(test_every_key_good)
{
	struct config cfg;

	write_conf("# every key, none at its default\n"
		   "\n"
		   "output = file, stdout,syslog\n"
		   "  output_file=/tmp/x/alerts.log  \n"
		   "syslog_ident = dracut-watch\n"
		   "syslog_facility = local3\n"
		   "syslog_priority = notice\n"
		   "syslog_cee = yes\n"
		   "syslog_max_message = 65536\n"
		   "rule_version = 7\n"
		   "exception = process.parent.executable like~ "
		   "\"/opt/kernel/*\"\n"
		   "exception = process.parent.name in (\"make\", \"ninja\")\n"
		   "table_max_entries = 1000\n"
		   "table_max_image_bytes = 0\n"
		   "proc_fallback = no\n"
		   "\tancestry_depth = 3\n"
		   "rate_limit_alerts = 0\n"
		   "rate_limit_interval = 60\n"
		   "queue_max = 20\n"
		   "retry_interval = 30\n"
		   "state_file = syslog\n"
		   "node_max = 2000\n"
		   "local_node = web-01.example.org\n"
		   "   # indented comment\n");
	ck_assert_msg(load_capture(conf_path, true, &cfg) == 0, "%s", messages);
	ck_assert_str_eq(messages, "");
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_FILE) | OUT_BIT(OUT_STDOUT) |
					       OUT_BIT(OUT_SYSLOG));
	ck_assert_str_eq(cfg.file_path, "/tmp/x/alerts.log");
	ck_assert_str_eq(cfg.syslog_ident, "dracut-watch");
	ck_assert_int_eq(cfg.syslog_facility, LOG_LOCAL3);
	ck_assert_int_eq(cfg.syslog_priority, LOG_NOTICE);
	ck_assert(cfg.syslog_cee);
	ck_assert_uint_eq(cfg.syslog_max_message, 65536);
	ck_assert_int_eq(cfg.rule_version, 7);
	ck_assert_uint_eq(cfg.nexceptions, 2);
	ck_assert_uint_eq(cfg.table_max_entries, 1000);
	ck_assert_uint_eq(cfg.table_max_image_bytes, 0);
	ck_assert(!cfg.proc_fallback);
	ck_assert_uint_eq(cfg.ancestry_depth, 3);
	ck_assert_uint_eq(cfg.rate_limit_alerts, 0);
	ck_assert_uint_eq(cfg.rate_limit_interval, 60);
	ck_assert_uint_eq(cfg.queue_max, 20);
	ck_assert_uint_eq(cfg.retry_interval, 30);
	ck_assert_str_eq(cfg.state_file, "syslog");
	ck_assert_uint_eq(cfg.node_max, 2000);
	ck_assert_str_eq(cfg.local_node, "web-01.example.org");
	config_clear(&cfg);
	ck_assert_ptr_null(cfg.local_node);
}
END_TEST

/* local_node: a name as node= carries it, 1 to 255 bytes, no blank and no
 * control character (records never carry one); any other byte is fine */
START_TEST(test_local_node)
{
	char line[400];
	struct config cfg;

	memset(line, 0, sizeof(line));
	memcpy(line, "local_node = ", 13);
	memset(line + 13, 'a', 255);
	load_line(line, &cfg);
	ck_assert_uint_eq(strlen(cfg.local_node), 255);
	config_clear(&cfg);
	line[13 + 255] = 'a';
	assert_refused(line, "local_node: longer than 255 bytes");
	load_line("local_node = h\xc3\xa9te-\xff", &cfg);
	ck_assert_str_eq(cfg.local_node, "h\xc3\xa9te-\xff");
	config_clear(&cfg);
	assert_refused("local_node = web 01", "blank or a control character");
	assert_refused("local_node = web\00101",
		       "blank or a control character");
	assert_refused("local_node = web\t01", "blank or a control character");
	assert_refused("local_node =", "missing value");
}
END_TEST

START_TEST(test_output_values)
{
	struct config cfg;

	load_line("output = syslog", &cfg);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_SYSLOG));
	config_clear(&cfg);
	load_line("output = file", &cfg);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_FILE));
	config_clear(&cfg);
	load_line("output = stdout , file", &cfg);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_STDOUT) | OUT_BIT(OUT_FILE));
	config_clear(&cfg);

	assert_refused("output = syslog,mail", "'mail'");
	assert_refused("output = syslog,", "output:");
	assert_refused("output = Syslog", "'Syslog'");
	assert_refused("output =", "missing value");
}
END_TEST

START_TEST(test_paths)
{
	struct config cfg;

	load_line("state_file = /run/x/state", &cfg);
	ck_assert_str_eq(cfg.state_file, "/run/x/state");
	config_clear(&cfg);

	assert_refused("output_file = alerts.json", "absolute");
	assert_refused("output_file = /var/log/", "directory");
	assert_refused("output_file = /", "directory");
	assert_refused("state_file = run/state", "absolute");
	assert_refused("state_file = Syslog", "absolute");
}
END_TEST

START_TEST(test_ident)
{
	struct config cfg;
	char line[200];

	load_line("syslog_ident = a.b-c_d", &cfg);
	ck_assert_str_eq(cfg.syslog_ident, "a.b-c_d");
	config_clear(&cfg);

	assert_refused("syslog_ident = two words", "syslog_ident");
	assert_refused("syslog_ident = a:b", "syslog_ident");
	snprintf(line, sizeof(line), "syslog_ident = %065d", 0);
	assert_refused(line, "longer than 64");
	snprintf(line, sizeof(line), "syslog_ident = %064d", 0);
	load_line(line, &cfg);
	ck_assert_uint_eq(strlen(cfg.syslog_ident), 64);
	config_clear(&cfg);
}
END_TEST

START_TEST(test_facility_priority)
{
	struct name_value {
		const char *name;
		int value;
	};
	static const struct name_value fac[] = {
		{"authpriv", LOG_AUTHPRIV}, {"auth", LOG_AUTH},
		{"daemon", LOG_DAEMON},	    {"user", LOG_USER},
		{"local0", LOG_LOCAL0},	    {"local7", LOG_LOCAL7},
		{"LOG_LOCAL5", LOG_LOCAL5}, {"AUTHPRIV", LOG_AUTHPRIV},
	};
	static const struct name_value pri[] = {
		{"emerg", LOG_EMERG},	  {"alert", LOG_ALERT},
		{"crit", LOG_CRIT},	  {"err", LOG_ERR},
		{"warning", LOG_WARNING}, {"notice", LOG_NOTICE},
		{"info", LOG_INFO},	  {"debug", LOG_DEBUG},
		{"LOG_ERR", LOG_ERR},
	};
	struct config cfg;
	char line[100];
	size_t i;

	for (i = 0; i < sizeof(fac) / sizeof(fac[0]); i++) {
		snprintf(line, sizeof(line), "syslog_facility = %s",
			 fac[i].name);
		load_line(line, &cfg);
		ck_assert_int_eq(cfg.syslog_facility, fac[i].value);
		config_clear(&cfg);
	}
	for (i = 0; i < sizeof(pri) / sizeof(pri[0]); i++) {
		snprintf(line, sizeof(line), "syslog_priority = %s",
			 pri[i].name);
		load_line(line, &cfg);
		ck_assert_int_eq(cfg.syslog_priority, pri[i].value);
		config_clear(&cfg);
	}
	assert_refused("syslog_facility = local8", "unknown facility");
	assert_refused("syslog_facility = 4", "unknown facility");
	assert_refused("syslog_priority = loud", "unknown priority");
}
END_TEST

START_TEST(test_booleans)
{
	struct config cfg;

	load_line("syslog_cee = no", &cfg);
	ck_assert(!cfg.syslog_cee);
	config_clear(&cfg);
	load_line("proc_fallback = yes", &cfg);
	ck_assert(cfg.proc_fallback);
	config_clear(&cfg);

	assert_refused("syslog_cee = true", "yes or no");
	assert_refused("proc_fallback = 1", "yes or no");
	assert_refused("proc_fallback = yess", "yes or no");
}
END_TEST

START_TEST(test_rule_version)
{
	struct config cfg;

	load_line("rule_version = 1", &cfg);
	ck_assert_int_eq(cfg.rule_version, 1);
	config_clear(&cfg);
	assert_refused("rule_version = 2", "rule version");
	assert_refused("rule_version = 0", "rule version");
	assert_refused("rule_version = v7", "rule version");
	assert_refused("rule_version = 99999999999999999999", "rule version");
}
END_TEST

/* Numbers: each key at its bounds, just outside, and not a number. */
START_TEST(test_number_ranges)
{
	static const struct {
		const char *key;
		unsigned long long min, max;
		bool zero_ok;
	} nums[] = {
		{"table_max_entries", 64, 4194304, false},
		{"table_max_image_bytes", 256, 1048576, true},
		{"ancestry_depth", 0, 64, false},
		{"rate_limit_alerts", 0, 1000000, false},
		{"rate_limit_interval", 1, 86400, false},
		{"queue_max", 0, 100000, false},
		{"retry_interval", 1, 3600, false},
		{"syslog_max_message", 2048, 262144, true},
		/* node.h's NODE_MAX_LIMIT, 2^20 - 1 */
		{"node_max", 1, 1048575, false},
	};
	struct config cfg;
	char line[100];
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		snprintf(line, sizeof(line), "%s = %llu", nums[i].key,
			 nums[i].min);
		load_line(line, &cfg);
		config_clear(&cfg);
		snprintf(line, sizeof(line), "%s = %llu", nums[i].key,
			 nums[i].max);
		load_line(line, &cfg);
		config_clear(&cfg);
		snprintf(line, sizeof(line), "%s = %llu", nums[i].key,
			 nums[i].max + 1);
		assert_refused(line, "out of range");
		if (nums[i].min > 0) {
			snprintf(line, sizeof(line), "%s = %llu", nums[i].key,
				 nums[i].min - 1);
			if (nums[i].min - 1 == 0 && nums[i].zero_ok) {
				load_line(line, &cfg);
				config_clear(&cfg);
			} else {
				assert_refused(line, "out of range");
			}
		}
		snprintf(line, sizeof(line), "%s = -1", nums[i].key);
		assert_refused(line, "not a decimal number");
		snprintf(line, sizeof(line), "%s = 10k", nums[i].key);
		assert_refused(line, "not a decimal number");
		snprintf(line, sizeof(line), "%s = 0x10", nums[i].key);
		assert_refused(line, "not a decimal number");
		snprintf(line, sizeof(line), "%s = 99999999999999999999999",
			 nums[i].key);
		assert_refused(line, "not a decimal number");
	}
	/* the zero exception of table_max_image_bytes is zero only */
	assert_refused("table_max_image_bytes = 255", "out of range");

	/* values land in the right fields */
	load_line("ancestry_depth = 64", &cfg);
	ck_assert_uint_eq(cfg.ancestry_depth, 64);
	ck_assert_uint_eq(cfg.table_max_entries, 4096);
	config_clear(&cfg);
	load_line("table_max_entries = 4194304", &cfg);
	ck_assert_uint_eq(cfg.table_max_entries, 4194304);
	ck_assert_uint_eq(cfg.ancestry_depth, 8);
	config_clear(&cfg);
	load_line("queue_max = 0", &cfg);
	ck_assert_uint_eq(cfg.queue_max, 0);
	config_clear(&cfg);
	load_line("syslog_max_message = 0", &cfg);
	ck_assert_uint_eq(cfg.syslog_max_message, 0);
	ck_assert_uint_eq(cfg.queue_max, 1000);
	config_clear(&cfg);
}
END_TEST

START_TEST(test_exceptions)
{
	struct config cfg;

	write_conf("exception = process.parent.executable like~ "
		   "\"/opt/kernel/*\" \"/usr/local/sbin/x\"\n"
		   "exception = process.parent.name == \"a=b\"\n"
		   "exception = process.parent.executable like \"\\*\"\n");
	ck_assert_msg(load_capture(conf_path, true, &cfg) == 0, "%s", messages);
	ck_assert_uint_eq(cfg.nexceptions, 3);
	config_clear(&cfg);
	ck_assert_uint_eq(cfg.nexceptions, 0);
	ck_assert_ptr_null(cfg.exceptions);

	assert_refused("exception = no.such.field == \"x\"", "exception:");
	assert_refused("exception = process.name == \"a\" \"b\"", "exception:");
	assert_refused("exception = process.name like", "exception:");
}
END_TEST

START_TEST(test_syntax_errors)
{
	assert_refused("no_such_key = 1", "unknown key 'no_such_key'");
	assert_refused("output syslog", "missing '='");
	assert_refused("= syslog", "missing key");
	assert_refused("Output = syslog", "unknown key 'Output'");
}
END_TEST

START_TEST(test_duplicate_key)
{
	struct config cfg;

	write_conf("queue_max = 10\n"
		   "# a comment\n"
		   "queue_max = 20\n");
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	assert_logged(3, "queue_max: already set on line 1");
}
END_TEST

START_TEST(test_all_errors_reported)
{
	struct config cfg;

	write_conf("output = syslog\n"
		   "bogus = 1\n"
		   "queue_max = 5\n"
		   "queue_max = many\n"
		   "retry_interval\n"
		   "ancestry_depth = 65\n"
		   "syslog_cee = no\n");
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	assert_logged(2, "unknown key 'bogus'");
	assert_logged(4, "already set on line 3");
	assert_logged(5, "missing '='");
	assert_logged(6, "ancestry_depth: 65 is out of range (0-64)");
	ck_assert_ptr_null(strstr(messages, ":1: "));
	ck_assert_ptr_null(strstr(messages, ":3: "));
	ck_assert_ptr_null(strstr(messages, ":7: "));
	ck_assert_ptr_nonnull(strstr(messages, "4 errors"));
	ck_assert_ptr_null(cfg.file_path);
}
END_TEST

START_TEST(test_nul_and_crlf)
{
	struct config cfg;
	FILE *fp;

	write_conf("queue_max = 7\r\nretry_interval = 9\r\n");
	ck_assert_msg(load_capture(conf_path, true, &cfg) == 0, "%s", messages);
	ck_assert_uint_eq(cfg.queue_max, 7);
	ck_assert_uint_eq(cfg.retry_interval, 9);
	config_clear(&cfg);

	fp = fopen(conf_path, "w");
	ck_assert_ptr_nonnull(fp);
	fwrite("queue_max = 1\0 2\n", 1, 17, fp);
	fclose(fp);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	assert_logged(1, "NUL");
}
END_TEST

START_TEST(test_permissions)
{
	struct config cfg;
	char link[PATH_MAX];

	write_conf("queue_max = 3\n");
	ck_assert_int_eq(chmod(conf_path, 0644), 0);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), 0);
	config_clear(&cfg);

	ck_assert_int_eq(chmod(conf_path, 0620), 0);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, "writable by its group"));
	ck_assert_ptr_nonnull(strstr(messages, conf_path));

	ck_assert_int_eq(chmod(conf_path, 0602), 0);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, "writable by others"));

	/* also refused when the file may be missing: it is not missing */
	ck_assert_int_eq(load_capture(conf_path, false, &cfg), -1);
	ck_assert_ptr_null(cfg.file_path);

	ck_assert_int_eq(chmod(conf_path, 0600), 0);
	snprintf(link, sizeof(link), "%s/link.conf", tmpdir);
	ck_assert_int_eq(symlink(conf_path, link), 0);
	ck_assert_int_eq(load_capture(link, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, "symbolic link"));
	unlink(link);

	ck_assert_int_eq(load_capture(tmpdir, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, "not a regular file"));

	/* a FIFO is refused at once: opening it must not wait for a writer
	 * (a reload on SIGHUP would hang the plugin) */
	unlink(conf_path);
	ck_assert_int_eq(mkfifo(conf_path, 0600), 0);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, "not a regular file"));
}
END_TEST

START_TEST(test_owner)
{
	struct config cfg;

	if (geteuid() != 0) {
		fprintf(stderr, "test_owner: not root, skipped\n");
		return;
	}
	write_conf("queue_max = 3\n");
	ck_assert_int_eq(chown(conf_path, 65534, 65534), 0);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), -1);
	ck_assert_ptr_nonnull(strstr(messages, "owned by uid 65534"));
	ck_assert_ptr_null(cfg.file_path);

	ck_assert_int_eq(chown(conf_path, 0, 65534), 0);
	ck_assert_int_eq(load_capture(conf_path, true, &cfg), 0);
	ck_assert_uint_eq(cfg.queue_max, 3);
	config_clear(&cfg);
}
END_TEST

START_TEST(test_set_output)
{
	struct config cfg;

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_set_output(&cfg, "-"), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_STDOUT));
	ck_assert_int_eq(config_set_output(&cfg, "syslog"), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_SYSLOG));
	ck_assert_int_eq(config_set_output(&cfg, "file:/tmp/a/b.json"), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_FILE));
	ck_assert_str_eq(cfg.file_path, "/tmp/a/b.json");
	ck_assert_int_eq(config_set_output(&cfg, "syslog,-,file:/x/y"), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_SYSLOG) |
					       OUT_BIT(OUT_STDOUT) |
					       OUT_BIT(OUT_FILE));
	ck_assert_str_eq(cfg.file_path, "/x/y");
	ck_assert_int_eq(config_set_output(&cfg, "stdout,file"), 0);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_STDOUT) | OUT_BIT(OUT_FILE));
	ck_assert_str_eq(cfg.file_path, "/x/y");

	/* errors leave cfg as it was */
	ck_assert_int_eq(config_set_output(&cfg, "file:relative.json"), -1);
	ck_assert_int_eq(config_set_output(&cfg, "syslog,file:"), -1);
	ck_assert_int_eq(config_set_output(&cfg, "mail"), -1);
	ck_assert_int_eq(config_set_output(&cfg, ""), -1);
	ck_assert_int_eq(config_set_output(&cfg, ","), -1);
	ck_assert_int_eq(config_set_output(&cfg, "syslog,file:/new,junk"), -1);
	ck_assert_uint_eq(cfg.outputs, OUT_BIT(OUT_STDOUT) | OUT_BIT(OUT_FILE));
	ck_assert_str_eq(cfg.file_path, "/x/y");
	config_clear(&cfg);
}
END_TEST

/*
 * One table names the outputs for the output key, -o and the report: each
 * name, and only those (with -o's "-" and file:PATH), is taken by both
 * parsers; errors list them all.
 */
START_TEST(test_output_names)
{
	static const struct {
		enum output_type type;
		const char *name;
	} names[] = {
		{OUT_SYSLOG, "syslog"},
		{OUT_FILE, "file"},
		{OUT_STDOUT, "stdout"},
	};
	static const struct {
		const char *value;
		bool key_ok, spec_ok;
		unsigned bits; /* when taken */
	} words[] = {
		{"-", false, true, OUT_BIT(OUT_STDOUT)},
		{"file:/a/b", false, true, OUT_BIT(OUT_FILE)},
		{" syslog ,file", true, true,
		 OUT_BIT(OUT_SYSLOG) | OUT_BIT(OUT_FILE)},
		{"stdout,,file", false, false, 0},
		{"file:", false, false, 0},
		{"SYSLOG", false, false, 0},
	};
	struct config cfg;
	char line[100];
	size_t i;

	ck_assert_uint_eq(ARRAY_SIZE(names), OUT_TYPES);
	ck_assert_ptr_null(output_name(OUT_TYPES));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ck_assert_str_eq(output_name(names[i].type), names[i].name);
		snprintf(line, sizeof(line), "output = %s", names[i].name);
		load_line(line, &cfg);
		ck_assert_uint_eq(cfg.outputs, OUT_BIT(names[i].type));
		ck_assert_int_eq(config_set_output(&cfg, "-"), 0);
		ck_assert_int_eq(config_set_output(&cfg, names[i].name), 0);
		ck_assert_uint_eq(cfg.outputs, OUT_BIT(names[i].type));
		config_clear(&cfg);
	}
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		snprintf(line, sizeof(line), "output = %s", words[i].value);
		if (words[i].key_ok) {
			load_line(line, &cfg);
			ck_assert_uint_eq(cfg.outputs, words[i].bits);
			config_clear(&cfg);
		} else {
			assert_refused(line, "output: '");
		}
		ck_assert_int_eq(config_defaults(&cfg), 0);
		ck_assert_msg(config_set_output(&cfg, words[i].value) ==
				      (words[i].spec_ok ? 0 : -1),
			      "-o %s", words[i].value);
		ck_assert_uint_eq(cfg.outputs, words[i].spec_ok
						       ? words[i].bits
						       : OUT_BIT(OUT_SYSLOG));
		config_clear(&cfg);
	}
	assert_refused("output = mail", "is not syslog, file or stdout");
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_every_key_good);
	tcase_add_test(tc, test_local_node);
	tcase_add_test(tc, test_output_values);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_ident);
	tcase_add_test(tc, test_facility_priority);
	tcase_add_test(tc, test_booleans);
	tcase_add_test(tc, test_rule_version);
	tcase_add_test(tc, test_number_ranges);
	tcase_add_test(tc, test_exceptions);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_duplicate_key);
	tcase_add_test(tc, test_all_errors_reported);
	tcase_add_test(tc, test_nul_and_crlf);
	tcase_add_test(tc, test_permissions);
	tcase_add_test(tc, test_owner);
	tcase_add_test(tc, test_set_output);
	tcase_add_test(tc, test_output_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
