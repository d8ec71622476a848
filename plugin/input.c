/* input.c - the read loop: non-blocking reads into auparse, ageing, EOF */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
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
/* Reads per wake-up before signals and the tick are looked at again. */
#define INPUT_DRAIN_READS 64

struct input {
	auparse_state_t *au;
	char *buf;
	size_t len;  /* bytes held in buf */
	bool at_bol; /* the next byte starts a line */
	bool skip;   /* dropping a line that spans reads */
	bool at_eoe; /* the last line fed to auparse was an EOE record */
	bool eoe;    /* the stream has EOE records at all */
};

static struct log_limit lim_garbage = LOG_LIMIT_INIT;
static uint64_t garbage_lines;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skip one or more digits at *p. */
static bool digits(const char **p, const char *end)
{
	const char *q = *p;

	while (q < end && is_digit(*q))
		q++;
	if (q == *p)
		return false;
	*p = q;
	return true;
}

static bool literal(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/*
 * Does the line start as an audit record does,
 *   [node=NAME ]type=NAME msg=audit(SEC.MSEC:SERIAL):
 * ? Anything else (a truncated line, a stray byte, a log's own comments)
 * is dropped here: libauparse 3.0.9 leaks memory on some such lines.
 */
static bool is_record(const char *p, size_t len)
{
	const char *end = p + len;

	if (literal(&p, end, "node=")) {
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		if (!literal(&p, end, " "))
			return false;
	}
	if (!literal(&p, end, "type="))
		return false;
	if (p == end || *p == ' ')
		return false;
	while (p < end && *p != ' ' && *p != '\n')
		p++;
	return literal(&p, end, " msg=audit(") && digits(&p, end) &&
	       literal(&p, end, ".") && digits(&p, end) &&
	       literal(&p, end, ":") && digits(&p, end) &&
	       literal(&p, end, "):");
}

/* Is the line (an audit record) an EOE record, the end of its event? */
static bool is_eoe(const char *p, size_t len)
{
	const char *end = p + len;

	if (literal(&p, end, "node=")) {
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		if (!literal(&p, end, " "))
			return false;
	}
	return literal(&p, end, "type=EOE ");
}

/* Count and report a line that is not an audit record. */
static void input_garbage(const char *line, size_t len)
{
	int show = len > 40 ? 40 : (int)len;
	int i;

	garbage_lines++;
	if (len && line[len - 1] == '\n')
		show = --len > 40 ? 40 : (int)len;
	for (i = 0; i < show; i++)
		if ((unsigned char)line[i] < 0x20 ||
		    (unsigned char)line[i] >= 0x7f)
			break;
	log_limited(&lim_garbage,
		    "input line %llu is not an audit record, dropped: '%.*s%s'",
		    (unsigned long long)garbage_lines, i, line,
		    i < (int)len ? "..." : "");
}

/*
 * Feed the complete lines of buf[0..len) to auparse. Lines starting with
 * '#' are comments; other lines that are not audit records are counted and
 * dropped. Contiguous runs of good lines are fed in one call. Returns how
 * many bytes were consumed; a trailing partial line is left for the next
 * read (unless it is longer than INPUT_MAX_LINE, which is fed, or dropped,
 * in pieces).
 */
static size_t input_feed_lines(struct input *in, const char *buf, size_t len,
			       bool eof)
{
	size_t pos = 0, run = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end;

		if (!nl && !eof && len - pos < INPUT_MAX_LINE)
			break; /* wait for the rest of the line */
		end = nl ? (size_t)(nl - buf) + 1 : len;
		if (in->at_bol) {
			in->skip = buf[pos] == '#' ||
				   !is_record(buf + pos, end - pos);
			if (in->skip && buf[pos] != '#' &&
			    !(end - pos == 1 && buf[pos] == '\n'))
				input_garbage(buf + pos, end - pos);
		}
		if (in->skip) {
			if (pos > run)
				auparse_feed(in->au, buf + run, pos - run);
			run = end;
		} else {
			in->at_eoe = nl && in->at_bol &&
				     is_eoe(buf + pos, end - pos);
			in->eoe |= in->at_eoe;
		}
		in->at_bol = nl != NULL;
		pos = end;
	}
	if (pos > run)
		auparse_feed(in->au, buf + run, pos - run);
	return pos;
}

/* Lines dropped because they were not audit records. */
uint64_t input_garbage_lines(void)
{
	return garbage_lines;
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

/*
 * Hold back every signal but those that report a fault of our own, saving
 * the mask to restore in *old. The loop takes signals only while it waits
 * in ppoll, so a handler's flag is always seen by the next hooks->poll: one
 * that came while events were being processed would otherwise be left for
 * the next wake-up, which in replay from an open pipe may never come.
 */
static void input_hold_signals(sigset_t *old)
{
	static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				     SIGTRAP, SIGABRT, SIGSYS};
	sigset_t set;
	size_t i;

	sigfillset(&set);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&set, faults[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* The read loop. */
int input_run(int fd, bool live, struct core *core,
	      const struct input_hooks *hooks)
{
	const struct timespec tick = {1, 0};
	struct input in = {0};
	time_t last_tick = 0;
	sigset_t old;
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
	input_hold_signals(&old);
	/* a flag set before the loop began: no signal will wake it */
	if (hooks && hooks->poll && hooks->poll(hooks->arg))
		eof = true;

	while (!eof) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		time_t now;
		int r;

		r = ppoll(&pfd, 1, live ? &tick : NULL, &old);
		if (r < 0 && errno != EINTR) {
			log_warn("ppoll");
			rc = -1;
			break;
		}
		if (hooks && hooks->poll && hooks->poll(hooks->arg))
			break;
		if (r > 0) {
			/* Drain what auditd wrote so it never blocks on us,
			 * but come back to signals and ticks every
			 * INPUT_DRAIN_READS reads under a steady flood. */
			for (int reads = 0; reads < INPUT_DRAIN_READS;
			     reads++) {
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
			 * record (auparse 3.0.9 holds it until the next feed,
			 * age or flush call). Ageing goes by the events' own
			 * time, so when auditd runs behind it would cut the
			 * event still arriving in two: age only when the
			 * data ends with an EOE, else an empty feed hands
			 * over the completed events alone. A stream without
			 * EOE records (audit.log through tail -F) has no
			 * better mark: it is aged after every batch. Replay
			 * does not age, old events would be cut short, but
			 * it hands over what is complete: its input may be
			 * a pipe that stays open (tail -f). */
			if (live && (in.at_eoe || !in.eoe))
				auparse_feed_age_events(in.au);
			else
				auparse_feed(in.au, "", 0);
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
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
