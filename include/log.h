/* log.h - diagnostics: stderr before start-up completes, syslog after */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Set the ident used for syslog. Messages go to stderr until
 * log_use_syslog(true). */
void log_open(const char *ident);
void log_use_syslog(bool on);
/* The ident of syslog messages from now on (NULL: log_open's); the string
 * must stay valid until replaced. */
void log_syslog_ident(const char *ident);
/*
 * Send one message to syslog (/dev/log) as syslog(3) would, with the ident
 * and the pid, but never blocking for more than a second: a message that
 * finds no room, or no daemon, is lost. Returns 0, or -1 with errno set
 * when it was lost.
 */
int log_syslog(int pri, const char *msg);
void log_set_debug(bool on);

/* Errors the operator must act on (LOG_ERR). */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings; log_warn appends ": strerror(errno)", log_warnx does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug_(const char *func, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define log_debug(...) log_debug_(__func__, __VA_ARGS__)

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
#define LOG_LIMIT_INIT {0, 0, 0, 0}

/* Count one occurrence and log it as a warning unless rate-limited. */
void log_limited(struct log_limit *lim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* LOG_H */
