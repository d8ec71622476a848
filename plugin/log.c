/* log.c - diagnostics: stderr before start-up completes, syslog after */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "devlog.h"
#include "log.h"

#define DEFAULT_IDENT "audisp-dracut"
/* The longest message, and the longest with "func: " and ": strerror"
 * around it. */
#define LOG_MSG_MAX 1024
#define LOG_LINE_MAX 1300

static char log_ident[DEVLOG_IDENT_MAX + 1] = DEFAULT_IDENT;
static bool syslog_ident_set; /* log_syslog_ident named one */
static struct devlog log_dl = DEVLOG_INIT(DEFAULT_IDENT);
static bool log_to_syslog;
static bool log_debug_on;
static void (*log_before)(void *arg); /* log_before_stderr */
static void *log_before_arg;

void log_open(const char *ident)
{
	if (!ident)
		return;
	snprintf(log_ident, sizeof(log_ident), "%s", ident);
	if (!syslog_ident_set)
		devlog_set_ident(&log_dl, log_ident);
}

void log_use_syslog(bool on)
{
	log_to_syslog = on;
}

void log_syslog_ident(const char *ident)
{
	syslog_ident_set = ident != NULL;
	devlog_set_ident(&log_dl, ident ? ident : log_ident);
}

void log_before_stderr(void (*fn)(void *arg), void *arg)
{
	log_before = fn;
	log_before_arg = arg;
}

void log_set_debug(bool on)
{
	log_debug_on = on;
}

/* The transport: one formatted line to syslog or to stderr. A message
 * syslog cannot take is lost: there is nowhere else to say so. */
static void log_write(int pri, const char *line)
{
	if (log_to_syslog)
		devlog_send(&log_dl, LOG_DAEMON | pri, NULL, line,
			    strlen(line));
	else {
		if (log_before)
			log_before(log_before_arg);
		fprintf(stderr, "%s: %s\n", log_ident, line);
	}
}

/* The formatting, for every level. */
static void vlog(int pri, const char *func, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vlog(int pri, const char *func, const char *fmt, va_list ap)
{
	const char *err = NULL;
	char msg[LOG_MSG_MAX], line[LOG_LINE_MAX];

	if (pri & LOG_WITH_ERRNO)
		err = strerror(errno);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(line, sizeof(line), "%s%s%s%s%s", func ? func : "",
		 func ? ": " : "", msg, err ? ": " : "", err ? err : "");
	log_write(LOG_PRI(pri), line);
}

void log_msg(int pri, const char *func, const char *fmt, ...)
{
	va_list ap;

	if (LOG_PRI(pri) == LOG_DEBUG && !log_debug_on)
		return;
	va_start(ap, fmt);
	vlog(pri, func, fmt, ap);
	va_end(ap);
}

void log_limited(struct log_limit *lim, const char *fmt, ...)
{
	time_t now = time(NULL);
	va_list ap;

	lim->count++;
	/* a new window, also when the clock went back */
	if (now < lim->window || now - lim->window >= LOG_LIMIT_WINDOW) {
		if (lim->suppressed)
			log_warnx("%llu similar messages suppressed in the "
				  "last %d s (%llu in all)",
				  (unsigned long long)lim->suppressed,
				  LOG_LIMIT_WINDOW,
				  (unsigned long long)lim->count - 1);
		lim->window = now;
		lim->written = 0;
		lim->suppressed = 0;
	}
	if (lim->written >= LOG_LIMIT_BURST) {
		lim->suppressed++;
		return;
	}
	lim->written++;
	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}
