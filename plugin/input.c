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
/*
 * Live mode: after a batch of reads that ended on a complete event, wait
 * this long before polling again, so that the records auditd writes one by
 * one meanwhile are read and parsed as one batch. A reader woken for every
 * record spends more on the wake-ups than on parsing (issue 7's live
 * benchmark: a bare copier costs 17% of auditd's CPU). Under load it bounds
 * the wake-ups to about 1000 / INPUT_BATCH_MS per second and adds at most
 * that much latency to an alert. It engages only under load (see
 * INPUT_BATCH_RATE): an exec on a quiet stream is read at once, so that a
 * /proc fallback reads the parent as close to the exec as it can.
 */
#define INPUT_BATCH_MS 10
/* Batching engages only while events come at least this fast (per
 * second): below it the wake-ups cost nothing worth saving, and an alert
 * is not delayed at all. */
#define INPUT_BATCH_RATE 200
/* A wake-up that finds at least this much waiting is part of a flood: the
 * next one reads at once, without waiting for a batch. */
#define INPUT_BUSY_BYTES (256 * 1024)
/* The pipe from auditd is grown to this size when the system allows, so
 * that a batch (or a slow alert write) never blocks auditd's writes. */
#define INPUT_PIPE_BYTES (1024 * 1024)
/* At a stop request (SIGTERM), what is already in the pipe is still read
 * and processed, up to this much. */
#define INPUT_STOP_DRAIN (16 * 1024 * 1024)

struct input {
	auparse_state_t *au;
	char *buf;
	size_t len;  /* bytes held in buf */
	bool at_bol; /* the next byte starts a line */
	bool skip;   /* dropping a line that spans reads */
	bool at_eoe; /* the last line fed to auparse was an EOE record */
	bool eoe;    /* the stream has EOE records at all */
	unsigned int rate_cur;	/* EOE records seen in second rate_sec */
	unsigned int rate_prev; /* and in the second before it */
	time_t rate_sec;
};

static struct log_limit lim_garbage = LOG_LIMIT_INIT;
static uint64_t garbage_lines;
static uint64_t skipped_records;

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
 * is dropped here: libauparse 3.0.9 leaks memory on some such lines. On
 * success *type and *tlen give the record's type name.
 */
static bool is_record(const char *p, size_t len, const char **type,
		      size_t *tlen)
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
	*type = p;
	while (p < end && *p != ' ' && *p != '\n')
		p++;
	*tlen = (size_t)(p - *type);
	return literal(&p, end, " msg=audit(") && digits(&p, end) &&
	       literal(&p, end, ".") && digits(&p, end) &&
	       literal(&p, end, ":") && digits(&p, end) &&
	       literal(&p, end, "):");
}

/*
 * Is a record of this type one the plugin reads? An exec event is SYSCALL,
 * EXECVE, CWD and PATH records ended by EOE; a fork is a SYSCALL record.
 * Every other record (PROCTITLE and BPRM_FCAPS in each exec event, other
 * rules' events) is dropped before auparse, which would otherwise spend a
 * fifth of its time on the corpus splitting records nobody looks at.
 */
static bool wanted_type(const char *t, size_t n)
{
	switch (n) {
	case 3:
		return memcmp(t, "CWD", 3) == 0 || memcmp(t, "EOE", 3) == 0;
	case 4:
		return memcmp(t, "PATH", 4) == 0;
	case 6:
		return memcmp(t, "EXECVE", 6) == 0;
	case 7:
		return memcmp(t, "SYSCALL", 7) == 0;
	default:
		return false;
	}
}

/*
 * Does a CWD record hold one cwd= field? The kernel writes one, and
 * hex-encodes a path with a space in it, so " cwd=" can only start a field.
 * A record with two is corrupt, and libauparse 3.0.9 leaks a copy of the
 * value for each such record (found by the fuzzer): it is not fed.
 */
static bool one_cwd(const char *p, size_t len)
{
	const char *hit = memmem(p, len, " cwd=", 5);

	return hit && !memmem(hit + 5, len - (size_t)(hit + 5 - p), " cwd=", 5);
}

/* Count and report a line dropped because it is not a usable record (why
 * says what it is). */
static void input_garbage(const char *line, size_t len, const char *why)
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
		    "input line dropped, %s (%llu so far): '%.*s%s'", why,
		    (unsigned long long)garbage_lines, i, line,
		    i < (int)len ? "..." : "");
}

/*
 * Feed the complete lines of buf[0..len) to auparse. Lines starting with
 * '#' are comments; other lines that are not audit records are counted and
 * dropped, and so are records of types the plugin does not read.
 * Contiguous runs of wanted lines are fed in one call. Returns how many
 * bytes were consumed; a trailing partial line is left for the next read
 * (unless it is longer than INPUT_MAX_LINE, which is fed, or dropped, in
 * pieces).
 */
static size_t input_feed_lines(struct input *in, const char *buf, size_t len)
{
	size_t pos = 0, run = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		const char *type = NULL;
		size_t end, tlen = 0;

		if (!nl && len - pos < INPUT_MAX_LINE)
			break; /* wait for the rest of the line */
		end = nl ? (size_t)(nl - buf) + 1 : len;
		if (in->at_bol) {
			bool rec = buf[pos] != '#' &&
				   is_record(buf + pos, end - pos, &type,
					     &tlen);

			in->skip = !rec || !wanted_type(type, tlen);
			if (!rec && buf[pos] != '#' &&
			    !(end - pos == 1 && buf[pos] == '\n')) {
				input_garbage(buf + pos, end - pos,
					      "not an audit record");
			} else if (rec && in->skip) {
				skipped_records++;
			} else if (rec && tlen == 3 &&
				   memcmp(type, "CWD", 3) == 0 &&
				   !one_cwd(buf + pos, end - pos)) {
				in->skip = true;
				input_garbage(buf + pos, end - pos,
					      "a CWD record without exactly "
					      "one cwd= field");
			}
		}
		if (in->skip) {
			if (pos > run)
				auparse_feed(in->au, buf + run, pos - run);
			run = end;
		} else {
			in->at_eoe = nl && in->at_bol && tlen == 3 &&
				     memcmp(type, "EOE", 3) == 0;
			in->eoe |= in->at_eoe;
			in->rate_cur += in->at_eoe;
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

/* Records dropped because the plugin does not read their type. */
uint64_t input_skipped_records(void)
{
	return skipped_records;
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

/*
 * Read what fd holds now, up to max bytes (or INPUT_DRAIN_READS reads),
 * feeding auparse. Returns the bytes read; sets *eof at end of input or on
 * a read error (*rc = -1, logged). live: fd is non-blocking.
 */
static size_t input_drain(struct input *in, int fd, bool live, size_t max,
			  bool *eof, int *rc)
{
	size_t total = 0;

	for (int reads = 0; reads < INPUT_DRAIN_READS && total < max;
	     reads++) {
		ssize_t n = input_read(in, fd);
		size_t used;

		if (n == 0) {
			*eof = true;
			break;
		}
		if (n < 0) {
			if (errno != EAGAIN) {
				log_warn("read");
				*rc = -1;
				*eof = true;
			}
			break;
		}
		total += (size_t)n;
		in->len += (size_t)n;
		used = input_feed_lines(in, in->buf, in->len);
		memmove(in->buf, in->buf + used, in->len - used);
		in->len -= used;
		if (!live)
			break; /* a blocking fd: poll again */
	}
	return total;
}

/*
 * Hand auparse's completed events over after a batch of reads.
 *
 * Deliver an event ended by EOE now, not at the next record (auparse 3.0.9
 * holds it until the next feed, age or flush call). Ageing goes by the
 * events' own time, so when auditd runs behind it would cut the event
 * still arriving in two: age only when the data ends with an EOE, else an
 * empty feed hands over the completed events alone. A stream without EOE
 * records (audit.log through tail -F) has no better mark: it is aged after
 * every batch. Replay does not age, old events would be cut short, but it
 * hands over what is complete: its input may be a pipe that stays open
 * (tail -f).
 */
static void input_deliver(struct input *in, bool live)
{
	if (live && (in->at_eoe || !in->eoe))
		auparse_feed_age_events(in->au);
	else
		auparse_feed(in->au, "", 0);
}

/* Are events coming fast enough (as of now) for batching to pay? */
static bool input_under_load(struct input *in, time_t now)
{
	if (now != in->rate_sec) {
		in->rate_prev = now == in->rate_sec + 1 ? in->rate_cur : 0;
		in->rate_cur = 0;
		in->rate_sec = now;
	}
	return in->rate_prev >= INPUT_BATCH_RATE ||
	       in->rate_cur >= INPUT_BATCH_RATE;
}

/* The read loop. */
int input_run(int fd, bool live, struct core *core,
	      const struct input_hooks *hooks)
{
	const struct timespec tick = {1, 0};
	const struct timespec batch = {0, INPUT_BATCH_MS * 1000000L};
	struct input in = {0};
	time_t last_tick = 0;
	sigset_t old;
	int rc = 0;
	bool eof = false, busy = false, stop = false;

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
	if (live) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		/* best effort: stdin may be a file, or the limit lower */
		(void)fcntl(fd, F_SETPIPE_SZ, INPUT_PIPE_BYTES);
	}
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
		if (hooks && hooks->poll && hooks->poll(hooks->arg)) {
			stop = true;
			break;
		}
		if (r > 0) {
			/* Drain what auditd wrote so it never blocks on us,
			 * but come back to signals and ticks every
			 * INPUT_DRAIN_READS reads under a steady flood. */
			busy = input_drain(&in, fd, live, SIZE_MAX, &eof,
					   &rc) >= INPUT_BUSY_BYTES;
			input_deliver(&in, live);
			/* Events done: let the next ones gather into a batch
			 * (unless a flood is on). An event that starts on an
			 * idle stream is still read at once; signals end the
			 * wait early. */
			if (live && !busy && !eof && in.at_eoe &&
			    input_under_load(&in, time(NULL))) {
				ppoll(NULL, 0, &batch, &old);
				if (hooks && hooks->poll &&
				    hooks->poll(hooks->arg)) {
					stop = true;
					break;
				}
			}
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
	/* Asked to stop (auditd's SIGTERM): what auditd has already written
	 * is still processed, so a restart misses nothing it was sent. */
	if (stop && live && !eof)
		input_drain(&in, fd, live, INPUT_STOP_DRAIN, &eof, &rc);
	if (in.len && (in.at_bol || !in.skip)) {
		/* A line cut by the end of the input: nothing says the record
		 * is whole (auparse would drop it without a word). The rest of
		 * a line already dropped is not counted twice. */
		garbage_lines++;
		log_limited(&lim_garbage,
			    "input ends inside a line; its last %zu bytes "
			    "dropped",
			    in.len);
	}
	auparse_flush_feed(in.au);
	auparse_destroy(in.au);
	free(in.buf);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
