/* input.c - the read loop: non-blocking reads into auparse, ageing, EOF */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "log.h"

#define INPUT_BUF (256 * 1024)
/* A record longer than this is not audit text; it is fed in pieces and
 * auparse drops what it cannot parse. */
#define INPUT_MAX_LINE (INPUT_BUF / 2)

struct input {
	auparse_state_t *au;
	char *buf;
	size_t len;   /* bytes held in buf */
	bool at_bol;  /* the next byte starts a line */
	bool comment; /* skipping a '#' line that spans reads */
};

/*
 * Feed the complete lines of buf[0..len) to auparse, skipping '#' lines.
 * Contiguous runs of lines are fed in one call. Returns how many bytes
 * were consumed; a trailing partial line is left for the next read.
 */
static size_t input_feed_lines(struct input *in, const char *buf, size_t len,
			       bool eof)
{
	size_t pos = 0, run = 0;

	while (pos < len) {
		const char *nl;
		size_t end;

		if (in->at_bol && buf[pos] == '#')
			in->comment = true;
		nl = memchr(buf + pos, '\n', len - pos);
		if (!nl && !eof && len - pos < INPUT_MAX_LINE)
			break; /* wait for the rest of the line */
		end = nl ? (size_t)(nl - buf) + 1 : len;
		if (in->comment) {
			if (pos > run)
				auparse_feed(in->au, buf + run, pos - run);
			run = end;
		}
		in->at_bol = nl != NULL;
		if (nl)
			in->comment = false;
		pos = end;
	}
	if (pos > run)
		auparse_feed(in->au, buf + run, pos - run);
	return pos;
}

/* Read what fd has now. Returns bytes read, 0 at EOF, -1 when it would
 * block or on error (errno set). */
static ssize_t input_read(struct input *in, int fd)
{
	ssize_t n;

	do
		n = read(fd, in->buf + in->len, INPUT_BUF - in->len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The read loop. */
int input_run(int fd, bool live, struct core *core,
	      const struct input_hooks *hooks)
{
	struct input in = {0};
	time_t last_tick = 0;
	int rc = 0;
	bool eof = false;

	in.at_bol = true;
	in.buf = malloc(INPUT_BUF);
	in.au = auparse_init(AUSOURCE_FEED, NULL);
	if (!in.buf || !in.au) {
		log_err("cannot start auparse");
		free(in.buf);
		if (in.au)
			auparse_destroy(in.au);
		return -1;
	}
	auparse_add_callback(in.au, core_auparse_cb, core, NULL);
	if (live)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

	while (!eof) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		time_t now;
		int r;

		r = poll(&pfd, 1, live ? 1000 : -1);
		if (r < 0 && errno != EINTR) {
			log_warn("poll");
			rc = -1;
			break;
		}
		if (hooks && hooks->poll && hooks->poll(hooks->arg))
			break;
		if (r > 0) {
			/* Drain what auditd wrote so it never blocks on us. */
			for (;;) {
				ssize_t n = input_read(&in, fd);
				size_t used;

				if (n == 0) {
					eof = true;
					break;
				}
				if (n < 0) {
					if (errno != EAGAIN) {
						log_warn("read");
						rc = -1;
						eof = true;
					}
					break;
				}
				in.len += (size_t)n;
				used = input_feed_lines(&in, in.buf, in.len,
							false);
				memmove(in.buf, in.buf + used, in.len - used);
				in.len -= used;
				if (!live)
					break; /* a blocking fd: poll again */
			}
			/* Deliver an event ended by EOE now, not at the next
			 * record (auparse 3.0.9 holds it until then). Replay
			 * does not age: old events would be cut short. */
			if (live)
				auparse_feed_age_events(in.au);
		}
		if (live) {
			now = time(NULL);
			if (now != last_tick) {
				if (r == 0 && auparse_feed_has_data(in.au))
					auparse_feed_age_events(in.au);
				core_tick(core, now);
				last_tick = now;
			}
		}
	}
	if (in.len)
		input_feed_lines(&in, in.buf, in.len, true);
	auparse_flush_feed(in.au);
	auparse_destroy(in.au);
	free(in.buf);
	return rc;
}
