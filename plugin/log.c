/* log.c - diagnostics: stderr before start-up completes, syslog after */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static const char *log_ident = "audisp-dracut";
static bool log_syslog;
static bool log_debug_on;

/* Remember the ident for messages on stderr. */
void log_open(const char *ident)
{
	if (ident)
		log_ident = ident;
}

/*
 * Switch diagnostics to syslog (true) or back to stderr (false). openlog(3)
 * is the sink's: the ident is process-wide, so the plugin's own messages go
 * out under the alerts' ident (or the program name when there is no syslog
 * output), with LOG_DAEMON set on each message.
 */
void log_use_syslog(bool on)
{
	log_syslog = on;
}

/* Enable or disable log_debug output. */
void log_set_debug(bool on)
{
	log_debug_on = on;
}

static void log_vwrite(int prio, const char *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void log_vwrite(int prio, const char *err, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		if (err)
			syslog(LOG_DAEMON | prio, "%s: %s", msg, err);
		else
			syslog(LOG_DAEMON | prio, "%s", msg);
		return;
	}
	if (err)
		fprintf(stderr, "%s: %s: %s\n", log_ident, msg, err);
	else
		fprintf(stderr, "%s: %s\n", log_ident, msg);
}

/* Log an error the operator must act on. */
void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, NULL, fmt, ap);
	va_end(ap);
}

/* Log a warning followed by strerror(errno). */
void log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, err, fmt, ap);
	va_end(ap);
}

/* Log a warning. */
void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

/* Log an informational message. */
void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

/* Log a debug message prefixed with the calling function, when enabled. */
void log_debug_(const char *func, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_syslog)
		syslog(LOG_DAEMON | LOG_DEBUG, "%s: %s", func, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", log_ident, func, msg);
}

/* Count one occurrence; write it unless the window's burst is spent. */
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
	log_vwrite(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}
