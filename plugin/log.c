/* log.c - diagnostics: stderr before start-up completes, syslog after */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* How long one message may wait for room in a syslog daemon's queue. */
#define LOG_SYSLOG_WAIT_MS 1000

static const char *log_ident = "audisp-dracut";
static const char *syslog_ident; /* the alerts' ident, when set */
static bool log_to_syslog;
static bool log_debug_on;

/* The connection to /dev/log: -1 when closed. */
static int sl_fd = -1;
static int sl_type;
/* A message found no room within LOG_SYSLOG_WAIT_MS: until one gets
 * through, the next ones do not wait. */
static bool sl_stalled;

/* Remember the ident for messages on stderr, and on syslog until
 * log_syslog_ident names another. */
void log_open(const char *ident)
{
	if (ident)
		log_ident = ident;
}

/* The ident of syslog messages from now on (NULL: log_open's); the string
 * must stay valid until replaced. */
void log_syslog_ident(const char *ident)
{
	syslog_ident = ident;
}

/*
 * Switch diagnostics to syslog (true) or back to stderr (false). The ident
 * is the alerts' (log_syslog_ident) once alerts go to syslog, the program's
 * otherwise, with LOG_DAEMON set on each message.
 */
void log_use_syslog(bool on)
{
	log_to_syslog = on;
}

static void sl_close(void)
{
	if (sl_fd >= 0)
		close(sl_fd);
	sl_fd = -1;
}

/* Connect to /dev/log, a datagram socket or else a stream one, as
 * syslog(3) does, but non-blocking. Returns 0, or -1 with errno set. */
static int sl_connect(void)
{
	static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
	struct sockaddr_un sa;
	size_t i;
	int fd, saved;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, "/dev/log");
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			sl_fd = fd;
			sl_type = types[i];
			return 0;
		}
		saved = errno;
		close(fd);
		errno = saved;
		if (errno != EPROTOTYPE)
			return -1;
	}
	return -1;
}

/*
 * Send buf whole on the open connection: one datagram, or all of it on a
 * stream. A full queue is waited on for at most LOG_SYSLOG_WAIT_MS, and
 * not at all while stalled. Returns 0, or -1 with errno set (EAGAIN: no
 * room). A stream cut in the middle of a message is closed.
 */
static int sl_send(const char *buf, size_t len)
{
	struct timespec t0, t;
	size_t off = 0;
	long left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = {.fd = sl_fd, .events = POLLOUT};
		ssize_t n = send(sl_fd, buf + off, len - off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n >= 0) {
			off += (size_t)n;
			if (sl_type == SOCK_DGRAM || off == len)
				return 0;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = LOG_SYSLOG_WAIT_MS - (t.tv_sec - t0.tv_sec) * 1000 -
		       (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (sl_stalled || left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			sl_stalled = true;
			errno = EAGAIN;
			break;
		}
	}
	if (off > 0) {
		int saved = errno;

		sl_close();
		errno = saved;
	}
	return -1;
}

/*
 * Send one message to syslog (/dev/log) as syslog(3) would, "<PRI>Mmm dd
 * hh:mm:ss IDENT[PID]: MSG", without ever blocking for long: a syslog
 * daemon that is hung or too slow must not stop the plugin, and so auditd.
 * A message that finds no room within a second, or no daemon at all, is
 * lost. The connection is made again when the daemon has restarted.
 * Returns 0, or -1 with errno set when the message was lost.
 */
int log_syslog(int pri, const char *msg)
{
	const char *ident = syslog_ident ? syslog_ident : log_ident;
	char head[64 + 256], stamp[32];
	size_t hlen, mlen = strlen(msg), len;
	struct tm tm;
	time_t now = time(NULL);
	char *buf;
	int attempt, saved = ENOTCONN;

	if (!localtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm))
		strcpy(stamp, "Jan  1 00:00:00");
	snprintf(head, sizeof(head), "<%d>%s %.255s[%d]: ", pri, stamp, ident,
		 (int)getpid());
	hlen = strlen(head);
	len = hlen + mlen;
	/* a stream needs a frame end: syslog(3) sends the NUL */
	buf = malloc(len + 1);
	if (!buf)
		return -1;
	memcpy(buf, head, hlen);
	memcpy(buf + hlen, msg, mlen + 1);
	/* twice: a daemon restarted since the last message is a new socket */
	for (attempt = 0; attempt < 2; attempt++) {
		if (sl_fd < 0 && sl_connect() < 0) {
			saved = errno;
			break;
		}
		if (sl_send(buf, sl_type == SOCK_STREAM ? len + 1 : len) == 0) {
			sl_stalled = false;
			free(buf);
			return 0;
		}
		saved = errno;
		if (saved == EAGAIN || saved == EWOULDBLOCK)
			break; /* there, but full: no use reconnecting */
		sl_close();
	}
	free(buf);
	errno = saved;
	return -1;
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
	if (log_to_syslog) {
		char both[1300];

		if (err) {
			snprintf(both, sizeof(both), "%s: %s", msg, err);
			log_syslog(LOG_DAEMON | prio, both);
		} else {
			log_syslog(LOG_DAEMON | prio, msg);
		}
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
	if (log_to_syslog) {
		char both[1300];

		snprintf(both, sizeof(both), "%s: %s", func, msg);
		log_syslog(LOG_DAEMON | LOG_DEBUG, both);
	} else {
		fprintf(stderr, "%s: %s: %s\n", log_ident, func, msg);
	}
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
