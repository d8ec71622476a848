/* devlog.c - the /dev/log client: syslog(3)'s messages, never blocking */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "devlog.h"
#include "util.h"

#define DEVLOG_PATH "/dev/log"

/* How long one message may wait for room in the daemon's queue. */
#define DEVLOG_WAIT_MS 1000
#define MS_PER_S 1000
#define NS_PER_MS 1000000

/* The header's parts at their longest: "<191>" (LOG_LOCAL7 | LOG_DEBUG),
 * the timestamp "Mmm dd hh:mm:ss", a positive int for the pid, and the
 * punctuation: the blank after the timestamp, '[' and "]: ". */
#define PRI_LIMIT (LOG_NFACILITIES << 3)
#define PRI_MAX_LEN 5
#define STAMP_LEN 15
#define STAMP_FALLBACK "Jan  1 00:00:00"
#define PID_MAX_LEN 10
#define HEADER_PUNCT_LEN 5
#define HEADER_MAX                                                             \
	(PRI_MAX_LEN + STAMP_LEN + DEVLOG_IDENT_MAX + PID_MAX_LEN +            \
	 HEADER_PUNCT_LEN)

/* The iovecs of one message: header, prefix, message, stream frame end. */
#define MSG_PARTS 4

void devlog_init(struct devlog *dl, const char *ident)
{
	dl->fd = -1;
	dl->type = 0;
	dl->stalled = false;
	devlog_set_ident(dl, ident);
}

void devlog_set_ident(struct devlog *dl, const char *ident)
{
	snprintf(dl->ident, sizeof(dl->ident), "%s", ident);
}

void devlog_move(struct devlog *to, struct devlog *dl)
{
	to->fd = dl->fd;
	to->type = dl->type;
	to->stalled = dl->stalled;
	dl->fd = -1;
	dl->stalled = false;
}

void devlog_close(struct devlog *dl)
{
	if (dl->fd >= 0)
		close(dl->fd);
	dl->fd = -1;
}

size_t devlog_header_max(const struct devlog *dl)
{
	return PRI_MAX_LEN + STAMP_LEN + strlen(dl->ident) + PID_MAX_LEN +
	       HEADER_PUNCT_LEN;
}

/* Connect to /dev/log, a datagram socket or else a stream one, as
 * syslog(3) does, but non-blocking. Returns 0, or -1 with errno set. */
static int dl_connect(struct devlog *dl)
{
	static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
	struct sockaddr_un sa;
	size_t i;
	int fd, saved;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, DEVLOG_PATH);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			dl->fd = fd;
			dl->type = types[i];
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

/* Write the header into head (HEADER_MAX + 1 bytes); returns its length. */
static size_t format_header(const struct devlog *dl, int pri, char *head)
{
	char stamp[STAMP_LEN + 1];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	if (pri < 0 || pri >= PRI_LIMIT)
		pri = LOG_USER | LOG_NOTICE;
	if (!localtime_r(&now, &tm) ||
	    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) != STAMP_LEN)
		strcpy(stamp, STAMP_FALLBACK);
	n = snprintf(head, HEADER_MAX + 1, "<%d>%s %s[%d]: ", pri, stamp,
		     dl->ident, (int)getpid());
	return n < 0 ? 0 : (size_t)n;
}

/* Drop the first n bytes of the iovecs *iov (*cnt of them). */
static void iov_advance(struct iovec **iov, size_t *cnt, size_t n)
{
	while (*cnt > 0 && n >= (*iov)->iov_len) {
		n -= (*iov)->iov_len;
		(*iov)++;
		(*cnt)--;
	}
	if (*cnt > 0) {
		(*iov)->iov_base = (char *)(*iov)->iov_base + n;
		(*iov)->iov_len -= n;
	}
}

/* Wait for room on dl, at most until DEVLOG_WAIT_MS after t0, and not at
 * all while stalled. Returns 0 when there may be room, or -1 (stalled). */
static int wait_room(struct devlog *dl, const struct timespec *t0)
{
	struct pollfd pfd = {.fd = dl->fd, .events = POLLOUT};
	struct timespec t;
	long left;

	clock_gettime(CLOCK_MONOTONIC, &t);
	left = DEVLOG_WAIT_MS - (t.tv_sec - t0->tv_sec) * MS_PER_S -
	       (t.tv_nsec - t0->tv_nsec) / NS_PER_MS;
	if (dl->stalled || left <= 0 || poll(&pfd, 1, (int)left) == 0) {
		dl->stalled = true;
		return -1;
	}
	return 0;
}

/*
 * Send the iovecs whole on the open connection: one datagram, or all of
 * them on a stream. Returns 0, or -1 with errno set (EAGAIN: no room). A
 * stream cut in the middle of a message is closed.
 */
static int send_whole(struct devlog *dl, struct iovec *iov, size_t cnt)
{
	struct timespec t0;
	bool partial = false;
	int saved;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (cnt > 0) {
		struct msghdr mh = {.msg_iov = iov, .msg_iovlen = cnt};
		ssize_t n = sendmsg(dl->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n >= 0) {
			if (dl->type == SOCK_DGRAM)
				return 0;
			partial = true;
			iov_advance(&iov, &cnt, (size_t)n);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			break;
		if (wait_room(dl, &t0) < 0) {
			errno = EAGAIN;
			break;
		}
	}
	if (cnt == 0)
		return 0;
	if (partial) {
		saved = errno;
		devlog_close(dl);
		errno = saved;
	}
	return -1;
}

/* Fill iov with the parts of one message; returns how many. A stream
 * needs a frame end: syslog(3) sends the NUL. */
static size_t message_parts(const struct devlog *dl, struct iovec *iov,
			    char *head, size_t hlen, const char *prefix,
			    const char *msg, size_t len)
{
	static char nul[1];
	size_t n = 0;

	iov[n++] = (struct iovec){head, hlen};
	if (prefix)
		iov[n++] = (struct iovec){(char *)prefix, strlen(prefix)};
	iov[n++] = (struct iovec){(char *)msg, len};
	if (dl->type == SOCK_STREAM)
		iov[n++] = (struct iovec){nul, sizeof(nul)};
	return n;
}

int devlog_send(struct devlog *dl, int pri, const char *prefix, const char *msg,
		size_t len)
{
	char head[HEADER_MAX + 1];
	struct iovec iov[MSG_PARTS];
	size_t hlen = format_header(dl, pri, head);
	int attempt, saved = ENOTCONN;

	/* twice: a daemon restarted since the last message is a new socket */
	for (attempt = 0; attempt < 2; attempt++) {
		if (dl->fd < 0 && dl_connect(dl) < 0) {
			saved = errno;
			break;
		}
		if (send_whole(dl, iov,
			       message_parts(dl, iov, head, hlen, prefix, msg,
					     len)) == 0) {
			dl->stalled = false;
			return 0;
		}
		saved = errno;
		if (saved == EAGAIN || saved == EWOULDBLOCK)
			break; /* there, but full: no use reconnecting */
		devlog_close(dl);
	}
	errno = saved;
	return -1;
}
