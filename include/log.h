/* log.h - diagnostics: stderr before start-up completes, syslog after */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>
#include <time.h>

/* Name the program: the prefix of messages on stderr, and the ident of
 * those sent to syslog unless log_syslog_ident names another. A copy is
 * kept. */
void log_open(const char *ident);

/* Messages go to stderr until log_use_syslog(true), to syslog (/dev/log,
 * facility daemon, never blocking) from then on. */
void log_use_syslog(bool on);

/* The ident of the messages sent to syslog from now on (a copy is kept),
 * or NULL for log_open's again. */
void log_syslog_ident(const char *ident);

/* Call fn(arg) before each message written to stderr (a progress line on
 * the terminal makes room for it), or no one for fn NULL. */
void log_before_stderr(void (*fn)(void *arg), void *arg);

/* Write LOG_DEBUG messages (log_debug) from now on, or not. */
void log_set_debug(bool on);

/* With a priority: append ": strerror(errno)" to the message. */
#define LOG_WITH_ERRNO 0x400

/*
 * Write one diagnostic at syslog priority pri (LOG_ERR ... LOG_DEBUG,
 * optionally | LOG_WITH_ERRNO), with "func: " before it when func is not
 * NULL. LOG_DEBUG messages are written only after log_set_debug(true).
 * The levels below are the way to call it.
 */
void log_msg(int pri, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Errors the operator must act on. */
#define log_err(...) log_msg(LOG_ERR, NULL, __VA_ARGS__)
/* Warnings; log_warn appends ": strerror(errno)", log_warnx does not. */
#define log_warn(...) log_msg(LOG_WARNING | LOG_WITH_ERRNO, NULL, __VA_ARGS__)
#define log_warnx(...) log_msg(LOG_WARNING, NULL, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, NULL, __VA_ARGS__)
/* Debugging, prefixed with the calling function. */
#define log_debug(...) log_msg(LOG_DEBUG, __func__, __VA_ARGS__)

/*
 * A rate limit for one kind of message: every call counts, at most
 * LOG_LIMIT_BURST messages are written per LOG_LIMIT_WINDOW seconds, and the
 * first message after a window that dropped some says how many.
 */
#define LOG_LIMIT_BURST 5
#define LOG_LIMIT_WINDOW 60
struct log_limit {
	uint64_t count;	     /* every call, ever */
	uint64_t suppressed; /* calls not written in the current window */
	time_t window;	     /* start of the current window */
	unsigned written;    /* written in the current window */
};
/* clang-format off */
#define LOG_LIMIT_INIT {0, 0, 0, 0}
/* clang-format on */

/* Count one occurrence and log it as a warning unless rate-limited. */
void log_limited(struct log_limit *lim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* LOG_H */
