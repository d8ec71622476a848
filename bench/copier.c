/* copier.c - a plugin that copies stdin to /dev/null: the cost of reading */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: copier [-p] [OUTPUT]
 * Run by auditd as a string-format plugin. Reads its stdin with read(2) into
 * a 64 KiB buffer and writes each chunk to OUTPUT (default /dev/null) with
 * write(2), until end of file. It parses nothing: the live benchmark uses it
 * to measure what waking up for auditd's writes costs, and the throughput
 * benchmark to record a stream. SIGTERM is ignored so that the pipe is read
 * to its end when auditd stops.
 * -p waits as audisp-dracut's read loop does instead of in a blocking read:
 * stdin non-blocking, ppoll(2) with a 1 s timeout and the signal mask, then
 * reads until one fails with EAGAIN: the cost of that pattern of system
 * calls, without the parsing.
 */

/* write_all: write n bytes of buf to fd; returns 0 or -1 */
static int write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* copy_polled: the -p loop; returns as read(2) last did (0 at EOF) */
static ssize_t copy_polled(int out, char *buf, size_t size)
{
	const struct timespec tick = {1, 0};
	struct pollfd pfd = {.fd = 0, .events = POLLIN};
	sigset_t none;
	ssize_t n;

	sigemptyset(&none);
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	for (;;) {
		if (ppoll(&pfd, 1, &tick, &none) < 0 && errno != EINTR)
			return -1;
		for (;;) {
			n = read(0, buf, size);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			if (n <= 0)
				return n;
			if (write_all(out, buf, (size_t)n) != 0)
				return -1;
		}
	}
}

int main(int argc, char **argv)
{
	static char buf[65536];
	bool polled = argc > 1 && strcmp(argv[1], "-p") == 0;
	const char *path = argc > 1 + polled ? argv[1 + polled] : "/dev/null";
	ssize_t n;
	int out;

	signal(SIGTERM, SIG_IGN);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		fprintf(stderr, "copier: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (polled) {
		n = copy_polled(out, buf, sizeof(buf));
		if (n < 0)
			fprintf(stderr, "copier: %s\n", strerror(errno));
		close(out);
		return n < 0 ? 1 : 0;
	}
	for (;;) {
		n = read(0, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write_all(out, buf, (size_t)n) != 0) {
			fprintf(stderr, "copier: %s: %s\n", path,
				strerror(errno));
			return 1;
		}
	}
	close(out);
	return n < 0 ? 1 : 0;
}
