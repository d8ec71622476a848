/* input.c - the read loop: audit records into auparse, complete events out */
#include <errno.h>
#include <fcntl.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "records.h"
#include "util.h"

#define INPUT_BUF (256 * 1024)
/* A record longer than this is not audit text; it is fed in pieces and
 * auparse drops what it cannot parse. */
#define INPUT_MAX_LINE (INPUT_BUF / 2)
/* Reads per wake-up before signals and the tick are looked at again. */
#define INPUT_DRAIN_READS 64
/* A wake-up that finds at least this much waiting is part of a flood: the
 * next one reads at once, without sleeping INPUT_BATCH_MS (input.h). */
#define INPUT_BUSY_BYTES (256 * 1024)
/* The pipe from auditd is grown to this size when the system allows, so
 * that a batch (or a slow alert write) never blocks auditd's writes. */
#define INPUT_PIPE_BYTES (1024 * 1024)
/* At a stop request (SIGTERM), what is already in the pipe is still read
 * and processed, up to this much. */
#define INPUT_STOP_DRAIN (16 * 1024 * 1024)
/* How long the loop waits for input before it ticks (plugin mode). */
#define INPUT_TICK_S 1
/* An event this long (a dracut with 100,000 arguments) leaves large free
 * buffers behind: after it, malloc gives free pages back to the system. */
#define INPUT_TRIM_BYTES (256 * 1024)
#define NS_PER_MS 1000000L
#define MS_PER_S 1000L

struct input {
	auparse_state_t *au;
	struct records *rs;
	const struct input_hooks *hooks;
	struct input_stats *st;
	bool live;
	bool pace;		/* under load: sleep, then read (input.h) */
	char *buf;
	size_t len;		/* bytes held in buf */
	uint64_t ended;		/* events ended, as of the last read */
	unsigned int rate_cur;	/* events ended in second rate_sec */
	unsigned int rate_prev; /* and in the second before it */
	time_t rate_sec;
};

/*
 * A whole event: auparse gets it alone, and its flush ends it and hands it
 * over at once. So auparse never holds two events: neither its own ends
 * (by time, which lets a host whose clock runs ahead cut the others'
 * events) nor its order (the oldest it holds first, which lets an unfinished
 * event hold back every finished one) come into play.
 */
static void input_emit(const char *text, size_t len, void *arg)
{
	struct input *in = arg;

	auparse_feed(in->au, text, len);
	auparse_flush_feed(in->au);
	/* the buffers a huge event grew (its text here and in auparse, its
	 * arguments in exec_event) are free now: give the pages back, or
	 * malloc keeps them for good (rare: a normal event is a few KiB) */
#ifdef HAVE_MALLOC_TRIM
	if (len >= INPUT_TRIM_BYTES)
		malloc_trim(0);
#endif
}

/* The records' counters into the caller's, and the events ended since the
 * last call into the rate. */
static void input_count(struct input *in)
{
	const struct records_stats *rs = records_stats(in->rs);

	in->st->garbage = rs->garbage;
	in->st->skipped = rs->skipped;
	in->st->unended = rs->unended;
	in->rate_cur += (unsigned int)(rs->ended - in->ended);
	in->ended = rs->ended;
}

/* auparse's event-ready callback: count the event, hand it over. */
static void input_event(auparse_state_t *au, auparse_cb_event_t type, void *arg)
{
	struct input *in = arg;

	if (type != AUPARSE_CB_EVENT_READY)
		return;
	in->st->events++;
	if (in->hooks && in->hooks->event)
		in->hooks->event(au, in->hooks->arg);
}

static int input_wake(struct input *in)
{
	return in->hooks && in->hooks->wake && in->hooks->wake(in->hooks->arg);
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S +
	       (uint64_t)(ts.tv_nsec / NS_PER_MS);
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
 * in ppoll, so a handler's flag is always seen by the next hooks->wake: one
 * that came while events were being processed would otherwise be left for
 * the next wake-up, which in replay from an open pipe may never come.
 */
static void input_hold_signals(sigset_t *old)
{
	static const int faults[] = {SIGSEGV, SIGBUS,  SIGFPE, SIGILL,
				     SIGTRAP, SIGABRT, SIGSYS};
	sigset_t set;
	size_t i;

	sigfillset(&set);
	for (i = 0; i < ARRAY_SIZE(faults); i++)
		sigdelset(&set, faults[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/*
 * Let in the signals that are pending now. A ppoll that returns with fd
 * ready restores the held mask without delivering them (Linux delivers
 * only when the wait is interrupted), so under a steady flood, or a replay
 * of a regular file, SIGTERM, SIGHUP and SIGUSR1 would wait for a pause
 * that never comes. One sigpending(2) per wake-up; two more calls when one
 * is pending.
 */
static void input_take_signals(const sigset_t *old)
{
	sigset_t pending, held;

	if (sigpending(&pending) < 0 || sigisemptyset(&pending))
		return;
	sigprocmask(SIG_SETMASK, old, &held);
	sigprocmask(SIG_SETMASK, &held, NULL);
}

/*
 * Read what fd holds now, up to max bytes (or INPUT_DRAIN_READS reads),
 * into the records. Returns the bytes read; sets *eof at end of input or on
 * a read error (*err = errno). live: fd is non-blocking, and a read that
 * fills less than the room it was given has emptied it (a pipe or a
 * stream socket, as auditd gives its plugins, returns all it holds): no
 * read more that would only fail with EAGAIN.
 */
static size_t input_drain(struct input *in, int fd, size_t max, bool *eof,
			  int *err)
{
	size_t total = 0;

	for (int reads = 0; reads < INPUT_DRAIN_READS && total < max; reads++) {
		size_t room = INPUT_BUF - in->len;
		ssize_t n = input_read(in, fd);
		size_t used;

		if (n == 0) {
			*eof = true;
			break;
		}
		if (n < 0) {
			if (errno != EAGAIN) {
				*err = errno;
				*eof = true;
			}
			break;
		}
		total += (size_t)n;
		in->st->bytes += (uint64_t)n;
		in->len += (size_t)n;
		used = records_take(in->rs, in->buf, in->len,
				    in->live ? monotonic_ms() : 0);
		input_count(in);
		memmove(in->buf, in->buf + used, in->len - used);
		in->len -= used;
		if (!in->live || (size_t)n < room)
			break; /* a blocking fd: poll again; or fd is empty */
	}
	return total;
}

/* Live mode: end the events that waited too long for their last record
 * (each is handed over as it ends). */
static void input_age(struct input *in)
{
	if (in->live) {
		records_age(in->rs, monotonic_ms());
		input_count(in);
	}
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

/* Set up in for fd. Returns 0, or -1 with errno set. */
static int input_open(struct input *in, int fd)
{
	const struct records_limits lim = {
		.lost_after = in->live ? INPUT_LOST_MS : INPUT_LOST_RECORDS,
		.by_count = !in->live,
		.max_open = INPUT_OPEN_MAX,
		.max_line = INPUT_MAX_LINE,
	};

	in->buf = malloc(INPUT_BUF);
	in->rs = records_create(&lim, input_emit, in);
	in->au = auparse_init(AUSOURCE_FEED, NULL);
	if (!in->buf || !in->rs || !in->au) {
		free(in->buf);
		records_free(in->rs);
		if (in->au)
			auparse_destroy(in->au);
		errno = ENOMEM;
		return -1;
	}
	auparse_add_callback(in->au, input_event, in, NULL);
	in->rate_sec = time(NULL); /* the events of the first second count */
	if (in->live) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		/* best effort: stdin may be a file, or the limit lower */
		(void)fcntl(fd, F_SETPIPE_SZ, INPUT_PIPE_BYTES);
	}
	return 0;
}

/* The end of the input: the events still open end, without their last
 * record, and are handed over; then free it all. (auparse would drop a
 * last line cut by the end without a word: the records count and log
 * it.) */
static void input_close(struct input *in)
{
	records_finish(in->rs, in->len);
	input_count(in);
	records_free(in->rs);
	auparse_destroy(in->au);
	free(in->buf);
}

/*
 * One wake-up: drain what auditd wrote so it never blocks on us, but come
 * back to signals and ticks every INPUT_DRAIN_READS reads under a steady
 * flood; end the events lost. Then decide how the next wake-up comes: live
 * and under load, after INPUT_BATCH_MS of sleep (input.h), unless this one
 * found nothing (the load is over) or a flood (read again at once).
 */
static void input_wakeup(struct input *in, int fd, bool *eof, int *err)
{
	size_t got = input_drain(in, fd, SIZE_MAX, eof, err);

	input_age(in);
	in->pace = in->live && !*eof && got > 0 && got < INPUT_BUSY_BYTES &&
		   input_under_load(in, time(NULL));
}

/* Wait for input: under load sleep INPUT_BATCH_MS, and have fd read
 * whatever it holds then (returns 1); else ppoll as it says. */
static int input_wait(struct input *in, int fd, const sigset_t *old)
{
	const struct timespec tick = {INPUT_TICK_S, 0};
	const struct timespec batch = {0, INPUT_BATCH_MS * NS_PER_MS};
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int r;

	if (in->pace) {
		ppoll(NULL, 0, &batch, old); /* a signal ends it early */
		return 1;
	}
	r = ppoll(&pfd, 1, in->live ? &tick : NULL, old);
	if (r > 0)
		input_take_signals(old);
	return r;
}

/* The loop: wait, read, hand over, tick. Returns 0, or -1 with errno. */
static int input_loop(struct input *in, int fd, const sigset_t *old)
{
	time_t last_tick = 0, now;
	bool eof = false, stop = false;
	size_t left = INPUT_STOP_DRAIN, n;
	int err = 0, r;

	/* a flag set before the loop began: no signal will wake it */
	stop = input_wake(in);
	while (!eof && !stop) {
		r = input_wait(in, fd, old);
		if (r < 0 && errno != EINTR) {
			err = errno;
			break;
		}
		stop = input_wake(in);
		if (!stop && r > 0)
			input_wakeup(in, fd, &eof, &err);
		if (!stop && in->live && r == 0)
			input_age(in);
		now = time(NULL);
		if (!stop && in->live && now != last_tick) {
			if (in->hooks && in->hooks->tick)
				in->hooks->tick(now, in->hooks->arg);
			last_tick = now;
		}
	}
	/* Asked to stop (auditd's SIGTERM): what auditd has already written
	 * is still processed, so a restart misses nothing it was sent. */
	while (stop && in->live && !eof && left > 0 &&
	       (n = input_drain(in, fd, left, &eof, &err)) > 0)
		left -= n < left ? n : left;
	errno = err;
	return err ? -1 : 0;
}

/* The read loop. */
int input_run(int fd, bool live, const struct input_hooks *hooks,
	      struct input_stats *st)
{
	struct input_stats local;
	struct input *in;
	sigset_t old;
	int rc, saved;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	in = calloc(1, sizeof(*in));
	if (!in)
		return -1;
	in->hooks = hooks;
	in->st = st;
	in->live = live;
	if (input_open(in, fd) < 0) {
		free(in);
		return -1;
	}
	input_hold_signals(&old);
	rc = input_loop(in, fd, &old);
	saved = errno;
	input_close(in);
	free(in);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return rc;
}
