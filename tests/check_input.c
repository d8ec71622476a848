/* check_input.c - unit tests for input.c: records in, complete events out */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "util.h"

/*
 * Records as the kernel writes them, cut to the fields auparse needs. P is
 * the node prefix ("" or "node=NAME "), S the stamp. An exec event is
 * SYSCALL, EXECVE, CWD, PATH, PROCTITLE, EOE; auditd's network path drops
 * the EOE.
 */
#define SC(P, S)                                                               \
	P "type=SYSCALL msg=audit(" S "): arch=c000003e syscall=59 "           \
	  "success=yes exit=0 items=1 ppid=1 pid=2\n"
#define EX(P, S) P "type=EXECVE msg=audit(" S "): argc=1 a0=\"x\"\n"
#define CW(P, S) P "type=CWD msg=audit(" S "): cwd=\"/\"\n"
#define PA(P, S) P "type=PATH msg=audit(" S "): item=0 name=\"/x\"\n"
#define PT(P, S) P "type=PROCTITLE msg=audit(" S "): proctitle=78\n"
#define EOE(P, S) P "type=EOE msg=audit(" S "): \n"
/* one exec event, all of it */
#define EXEC(P, S) SC(P, S) EX(P, S) CW(P, S) PA(P, S) PT(P, S) EOE(P, S)

/* Stamps: T and U one millisecond apart, H an hour after T; serials 7 and
 * 8. */
#define T "1700000000.100:7"
#define U "1700000000.101:8"
#define H "1700003600.100:7"

/* An event as the test sees it: "NODE SERIAL TYPE..." (NODE "-" when the
 * records have none), the records the plugin reads, without the PROCTITLE
 * and EOE that end it. */
#define WHOLE(N, SER) N " " SER " SYSCALL EXECVE CWD PATH"

#define MAX_EVENTS 8
#define EVENT_TEXT 256
/* How long a live test waits for an event before it fails: generous, the
 * event is expected at once. */
#define WAIT_S 30

/* What the hooks saw. */
struct seen {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t n;		/* events handed over */
	char (*ev)[EVENT_TEXT]; /* each, n of them */
	unsigned long wakes;	/* hooks->wake calls (on_wake) */
	unsigned long *woke;	/* for each event, wakes when it came */
	uint64_t *at;		/* and the monotonic ms when it came */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_event(auparse_state_t *au, void *arg)
{
	struct seen *s = arg;
	const au_event_t *e = auparse_get_timestamp(au);
	const char *node = auparse_get_node(au);
	char text[EVENT_TEXT];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "%s %lu", node ? node : "-",
			     e ? e->serial : 0UL);
	free((char *)node);
	do {
		const char *t = auparse_get_type_name(au);

		if (n < sizeof(text))
			n += (size_t)snprintf(text + n, sizeof(text) - n, " %s",
					      t ? t : "?");
	} while (auparse_next_record(au) > 0);
	pthread_mutex_lock(&s->lock);
	s->ev = realloc(s->ev, (s->n + 1) * sizeof(*s->ev));
	s->woke = realloc(s->woke, (s->n + 1) * sizeof(*s->woke));
	s->at = realloc(s->at, (s->n + 1) * sizeof(*s->at));
	ck_assert(s->ev && s->woke && s->at);
	memcpy(s->ev[s->n], text, sizeof(text));
	s->woke[s->n] = s->wakes;
	s->at[s->n] = now_ms();
	s->n++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* hooks->wake: count the wake-ups */
static int on_wake(void *arg)
{
	struct seen *s = arg;

	pthread_mutex_lock(&s->lock);
	s->wakes++;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
}

/* Wait until n events have been handed over. Returns false after WAIT_S. */
static bool seen_wait(struct seen *s, size_t n)
{
	struct timespec until;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_S;
	pthread_mutex_lock(&s->lock);
	while (s->n < n &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &until) == 0)
		;
	ok = s->n >= n;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

/* Free what the hooks saw. */
static void seen_forget(struct seen *s)
{
	free(s->ev);
	free(s->woke);
	free(s->at);
	s->ev = NULL;
	s->woke = NULL;
	s->at = NULL;
	s->n = 0;
}

/* The events handed over are exactly want; then they are forgotten. */
static void check_events(struct seen *s, const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		ck_assert_msg(i < s->n, "event %zu (%s) never came", i,
			      want[i]);
		ck_assert_str_eq(s->ev[i], want[i]);
	}
	ck_assert_uint_eq(s->n, i);
	seen_forget(s); /* the last look at them in every test */
}


static void check_stats(const struct input_stats *got,
			const struct input_stats *want)
{
	ck_assert_uint_eq(got->events, want->events);
	ck_assert_uint_eq(got->garbage, want->garbage);
	ck_assert_uint_eq(got->skipped, want->skipped);
	ck_assert_uint_eq(got->unended, want->unended);
}

/* ---------------------------------------------------------------- replay */

/*
 * A replay: the whole stream from a file. Every expected value was worked
 * out by hand from the stream: events are handed over in the order of
 * their time (auparse's), each with the records of its node and stamp;
 * PROCTITLE and other types the plugin does not read are skipped (counted),
 * EOE is not counted.
 */
struct replay_case {
	const char *name;
	const char *text;
	const char *want[MAX_EVENTS]; /* NULL-terminated */
	struct input_stats st;
};

static const struct replay_case replay_cases[] = {
	{"the kernel's order, with EOE",
	 EXEC("", T),
	 {WHOLE("-", "7"), NULL},
	 {.events = 1, .skipped = 1}},
	{"no EOE (a collector): PROCTITLE ends it",
	 SC("", T) EX("", T) CW("", T) PA("", T) PT("", T),
	 {WHOLE("-", "7"), NULL},
	 {.events = 1, .skipped = 1}},
	{"two events, neither with EOE",
	 SC("", T) EX("", T) CW("", T) PA("", T) PT("", T) SC("", U) EX("", U)
		 CW("", U) PA("", U) PT("", U),
	 {WHOLE("-", "7"), WHOLE("-", "8"), NULL},
	 {.events = 2, .skipped = 2}},
	{"two nodes, the same stamp, records interleaved, no EOE",
	 SC("node=a ", T) SC("node=b ", T) EX("node=a ", T) EX("node=b ", T)
		 CW("node=b ", T) CW("node=a ", T) PA("node=a ", T)
			 PA("node=b ", T) PT("node=a ", T) PT("node=b ", T),
	 {WHOLE("a", "7"), WHOLE("b", "7"), NULL},
	 {.events = 2, .skipped = 2}},
	{"a node whose clock is an hour ahead cuts no other node's event",
	 SC("node=a ", T) EX("node=a ", T) SC("node=b ", H) EX("node=b ", H)
		 CW("node=a ", T) PA("node=a ", T) CW("node=b ", H)
			 PA("node=b ", H) PT("node=b ", H) PT("node=a ", T),
	 {WHOLE("b", "7"), WHOLE("a", "7"), NULL},
	 {.events = 2, .skipped = 2}},
	{"the same stamp with and without a node: two events",
	 SC("", T) SC("node=a ", T) EX("", T) EX("node=a ", T) CW("", T)
		 CW("node=a ", T) PA("", T) PA("node=a ", T) PT("", T)
			 PT("node=a ", T),
	 {WHOLE("-", "7"), WHOLE("a", "7"), NULL},
	 {.events = 2, .skipped = 2}},
	{"no PROCTITLE, no EOE: handed over at the end of the input",
	 SC("", T) EX("", T) CW("", T) PA("", T),
	 {WHOLE("-", "7"), NULL},
	 {.events = 1, .unended = 1}},
	{"PROCTITLE first: the EOE ends the event, whole",
	 PT("", T) SC("", T) EX("", T) CW("", T) PA("", T) EOE("", T),
	 {WHOLE("-", "7"), NULL},
	 {.events = 1, .skipped = 1}},
	{"the same event twice: two events",
	 EXEC("", T) EXEC("", T),
	 {WHOLE("-", "7"), WHOLE("-", "7"), NULL},
	 {.events = 2, .skipped = 2}},
	{"an EOE alone, or after its event ended, is no event",
	 EOE("", U) EXEC("", T) EOE("", T),
	 {WHOLE("-", "7"), NULL},
	 {.events = 1, .skipped = 1}},
	{"what is not read: comments, blank lines, garbage, other types",
	 "# a comment\n"
	 "\n"
	 "not a record\n"
	 "type=SYSCALL msg=audit(1700000000.100:7: cut\n"
	 "type=USER_ACCT msg=audit(" T "): pid=1 uid=0 msg='x'\n"
	 "type=BPRM_FCAPS msg=audit(" T "): fver=0\n" SC("", T)
		 EX("", T) "type=CWD msg=audit(" T
			   "): cwd=\"/\" cwd=\"/tmp\"\n" PA("", T) PT("", T),
	 {"- 7 SYSCALL EXECVE PATH", NULL},
	 {.events = 1, .garbage = 3, .skipped = 3}},
	{"a last line cut by the end of the input",
	 EXEC("", T) "type=SYSCALL msg=audit(" U "): arch=c000003e",
	 {WHOLE("-", "7"), NULL},
	 {.events = 1, .garbage = 1, .skipped = 1}},
};

/* Write text to a new temporary file; returns it open at offset 0. */
static int temp_file(const char *text, size_t len)
{
	char path[] = "/tmp/check_input.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

START_TEST(test_replay)
{
	const struct replay_case *c = &replay_cases[_i];
	struct seen s;
	const struct input_hooks hooks = {on_event, NULL, NULL, &s};
	struct input_stats st;
	int fd = temp_file(c->text, strlen(c->text));

	seen_init(&s);
	ck_assert_msg(input_run(fd, false, &hooks, &st) == 0, "%s", c->name);
	close(fd);
	check_events(&s, c->want);
	check_stats(&st, &c->st);
}
END_TEST

/* ---------------------------------------------------------------- a pipe */

/*
 * A writer on a pipe that stays open: after writing a step's text, it
 * waits until the step's count of events has been handed over, before it
 * writes the next step (so an event that waited for a later record would
 * never come, and the test fail). Then it closes the pipe.
 */
struct step {
	const char *text;
	size_t events; /* handed over once text is written; 0: no wait */
};

struct writer {
	int fd;
	const struct step *steps;
	size_t nsteps;
	struct seen *seen;
	size_t failed_at; /* the step whose events never came, or nsteps */
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	size_t i;

	w->failed_at = w->nsteps;
	for (i = 0; i < w->nsteps; i++) {
		const struct step *st = &w->steps[i];
		size_t len = strlen(st->text);

		if (write(w->fd, st->text, len) != (ssize_t)len ||
		    (st->events && !seen_wait(w->seen, st->events))) {
			w->failed_at = i;
			break;
		}
	}
	close(w->fd);
	return NULL;
}

/* Run input_run over a pipe that w's steps write. */
static void run_pipe(bool live, const struct step *steps, size_t n,
		     struct seen *s, struct input_stats *st)
{
	const struct input_hooks hooks = {on_event, NULL, NULL, s};
	struct writer w = {-1, steps, n, s, 0};
	pthread_t t;
	int p[2];

	seen_init(s);
	ck_assert_int_eq(pipe(p), 0);
	w.fd = p[1];
	ck_assert_int_eq(pthread_create(&t, NULL, writer_main, &w), 0);
	ck_assert_int_eq(input_run(p[0], live, &hooks, st), 0);
	pthread_join(t, NULL);
	close(p[0]);
	ck_assert_msg(w.failed_at == n, "step %zu: the event did not come",
		      w.failed_at);
}

/* Several nodes' events interleaved record by record, with the same time
 * and serial and without EOE: each is handed over as soon as its PROCTITLE
 * has come, whole. */
START_TEST(test_live_nodes_interleaved)
{
	static const struct step steps[] = {
		{SC("node=a ", T), 0}, {SC("node=b ", T), 0},
		{SC("node=c ", T), 0}, {EX("node=a ", T), 0},
		{EX("node=b ", T), 0}, {EX("node=c ", T), 0},
		{CW("node=a ", T), 0}, {CW("node=b ", T), 0},
		{CW("node=c ", T), 0}, {PA("node=a ", T), 0},
		{PA("node=b ", T), 0}, {PA("node=c ", T), 0},
		{PT("node=a ", T), 1}, {PT("node=b ", T), 2},
		{PT("node=c ", T), 3},
	};
	static const char *const want[] = {WHOLE("a", "7"), WHOLE("b", "7"),
					   WHOLE("c", "7"), NULL};
	const struct input_stats st_want = {.events = 3, .skipped = 3};
	struct input_stats st;
	struct seen s;

	run_pipe(true, steps, ARRAY_SIZE(steps), &s, &st);
	check_events(&s, want);
	check_stats(&st, &st_want);
}
END_TEST

/* A node whose clock runs an hour ahead: the other node's event, whose
 * records come around it, is not cut in two, and both come at once. */
START_TEST(test_live_clock_ahead)
{
	static const struct step steps[] = {
		{SC("node=a ", T), 0}, {SC("node=b ", H), 0},
		{EX("node=a ", T), 0}, {EX("node=b ", H), 0},
		{CW("node=a ", T), 0}, {CW("node=b ", H), 0},
		{PA("node=a ", T), 0}, {PA("node=b ", H), 0},
		{PT("node=a ", T), 1}, {PT("node=b ", H), 2},
	};
	static const char *const want[] = {WHOLE("a", "7"), WHOLE("b", "7"),
					   NULL};
	const struct input_stats st_want = {.events = 2, .skipped = 2};
	struct input_stats st;
	struct seen s;

	run_pipe(true, steps, ARRAY_SIZE(steps), &s, &st);
	check_events(&s, want);
	check_stats(&st, &st_want);
}
END_TEST

/* A finished event is handed over at once, though an older one (another
 * node's, whose clock lags) is still being read. */
START_TEST(test_live_older_unfinished)
{
	static const struct step steps[] = {
		{SC("node=a ", T), 0},
		{SC("node=b ", U) EX("node=b ", U) PT("node=b ", U), 1},
		{EX("node=a ", T) PT("node=a ", T), 2},
	};
	static const char *const want[] = {"b 8 SYSCALL EXECVE",
					   "a 7 SYSCALL EXECVE", NULL};
	const struct input_stats st_want = {.events = 2, .skipped = 2};
	struct input_stats st;
	struct seen s;

	run_pipe(true, steps, ARRAY_SIZE(steps), &s, &st);
	check_events(&s, want);
	check_stats(&st, &st_want);
}
END_TEST

/* An event whose last record never comes is still handed over in plugin
 * mode, while the pipe stays open, and counted. */
START_TEST(test_live_lost_end)
{
	static const struct step steps[] = {
		{SC("", T) EX("", T) CW("", T) PA("", T), 1},
	};
	static const char *const want[] = {WHOLE("-", "7"), NULL};
	const struct input_stats st_want = {.events = 1, .unended = 1};
	struct input_stats st;
	struct seen s;

	run_pipe(true, steps, ARRAY_SIZE(steps), &s, &st);
	check_events(&s, want);
	check_stats(&st, &st_want);
}
END_TEST

/* In replay, an event whose last record never comes is handed over once
 * INPUT_LOST_RECORDS more records have been read, before the end of the
 * input: here INPUT_LOST_RECORDS / 2 later events of two records; the
 * writer waits for all of them and that one before it closes the pipe. */
START_TEST(test_replay_lost_end)
{
	const size_t nlater = INPUT_LOST_RECORDS / 2;
	struct step steps[2];
	struct input_stats st;
	struct buf later = {0};
	struct seen s;
	size_t i;
	char rec[2 * EVENT_TEXT];

	for (i = 0; i < nlater; i++) {
		int n = snprintf(rec, sizeof(rec),
				 SC("", "1700000001.000:%zu")
					 PT("", "1700000001.000:%zu"),
				 100 + i, 100 + i);

		ck_assert_int_eq(buf_append(&later, rec, (size_t)n), 0);
	}
	ck_assert_int_eq(buf_append(&later, "", 1), 0); /* the text's NUL */
	steps[0] = (struct step){SC("", T) EX("", T), 0};
	steps[1] = (struct step){later.p, 1 + nlater};
	run_pipe(false, steps, ARRAY_SIZE(steps), &s, &st);
	ck_assert_uint_eq(s.n, 1 + nlater);
	for (i = 0; i < s.n; i++)
		if (strcmp(s.ev[i], "- 7 SYSCALL EXECVE") == 0)
			break;
	ck_assert_msg(i < s.n, "the event without its end never came");
	ck_assert_uint_eq(st.unended, 1);
	ck_assert_uint_eq(st.skipped, nlater);
	buf_free(&later);
	seen_forget(&s);
}
END_TEST

/* ---------------------------------------------------------------- pacing */

/* Events the paced test writes one by one, PACE_GAP_MS apart, after a burst
 * of INPUT_BATCH_RATE events (the rate that paces the reads); and how late
 * an event may come after INPUT_BATCH_MS on a busy machine (well below the
 * 1 s tick, or the next write, that would hand it over if it waited). */
#define PACE_EVENTS 30
#define PACE_GAP_MS 3
#define SLACK_MS 100

struct pacer {
	int fd;
	struct seen *seen;
	size_t burst;			/* events written at once first */
	size_t n;			/* then events written one by one */
	uint64_t written[PACE_EVENTS];	/* when each was written */
	bool ok;			/* every event came */
};

/* Write serial's event (SYSCALL, PROCTITLE) to fd, or to b when b. */
static void write_event(int fd, struct buf *b, size_t serial)
{
	char rec[2 * EVENT_TEXT];
	int n = snprintf(rec, sizeof(rec),
			 SC("", "1700000001.000:%zu") PT("", "1700000001.000:%zu"),
			 serial, serial);

	if (b)
		ck_assert_int_eq(buf_append(b, rec, (size_t)n), 0);
	else
		ck_assert_int_eq(write(fd, rec, (size_t)n), n);
}

static void *pacer_main(void *arg)
{
	const struct timespec gap = {0, PACE_GAP_MS * 1000000L};
	struct pacer *p = arg;
	struct buf burst = {0};
	size_t i;

	for (i = 0; i < p->burst; i++)
		write_event(-1, &burst, 1000 + i);
	if (p->burst) {
		ck_assert_int_eq(write(p->fd, burst.p, burst.len),
				 (ssize_t)burst.len);
		p->ok = seen_wait(p->seen, p->burst);
	}
	for (i = 0; i < p->n; i++) {
		p->written[i] = now_ms();
		write_event(p->fd, NULL, i);
		nanosleep(&gap, NULL);
	}
	p->ok = seen_wait(p->seen, p->burst + p->n);
	close(p->fd);
	buf_free(&burst);
	return NULL;
}

/* Run input_run live over a pipe that p writes; the hooks count wake-ups. */
static void run_pacer(struct pacer *p, struct seen *s)
{
	const struct input_hooks hooks = {on_event, NULL, on_wake, s};
	pthread_t t;
	int fds[2];

	seen_init(s);
	ck_assert_int_eq(pipe(fds), 0);
	p->fd = fds[1];
	p->seen = s;
	ck_assert_int_eq(pthread_create(&t, NULL, pacer_main, p), 0);
	ck_assert_int_eq(input_run(fds[0], true, &hooks, NULL), 0);
	pthread_join(t, NULL);
	close(fds[0]);
	ck_assert_msg(p->ok, "not every event came");
	ck_assert_uint_eq(s->n, p->burst + p->n);
}

/*
 * Under load (a burst of INPUT_BATCH_RATE events), events written one by
 * one PACE_GAP_MS apart are read in batches: at least two a wake-up on
 * average (about INPUT_BATCH_MS / PACE_GAP_MS), yet none later than
 * INPUT_BATCH_MS (and SLACK_MS) after it was written.
 */
START_TEST(test_live_paced)
{
	struct pacer p = {.burst = INPUT_BATCH_RATE, .n = PACE_EVENTS};
	struct seen s;
	size_t i, batches = 0;

	run_pacer(&p, &s);
	for (i = 0; i < p.n; i++) {
		size_t k = p.burst + i;
		unsigned long serial = 0;

		ck_assert_int_eq(sscanf(s.ev[k], "- %lu", &serial), 1);
		ck_assert_uint_eq(serial, i);
		if (i == 0 || s.woke[k] != s.woke[k - 1])
			batches++;
		ck_assert_msg(s.at[k] - p.written[i] <=
				      INPUT_BATCH_MS + SLACK_MS,
			      "event %zu came %llu ms after it was written", i,
			      (unsigned long long)(s.at[k] - p.written[i]));
	}
	ck_assert_msg(2 * batches <= p.n, "%zu events in %zu wake-ups", p.n,
		      batches);
	seen_forget(&s);
}
END_TEST

/* A lone event on a quiet stream is read at the wake-up its write causes
 * (the second hooks->wake: the first is the loop's start), not after a
 * sleep. */
START_TEST(test_live_lone)
{
	struct pacer p = {.burst = 0, .n = 1};
	struct seen s;

	run_pacer(&p, &s);
	ck_assert_uint_eq(s.woke[0], 2);
	ck_assert_uint_le(s.at[0] - p.written[0], INPUT_BATCH_MS + SLACK_MS);
	check_events(&s, (const char *const[]){"- 0 SYSCALL", NULL});
}
END_TEST

/* A descriptor that cannot be read: -1 with errno, nothing handed over. */
/* ------------------------------------------------ signals under a flood */

#define FLOOD_EVENTS 20000
#define FLOOD_SIGNAL_AT 100
static volatile sig_atomic_t flood_stop;

static void on_flood_signal(int sig)
{
	(void)sig;
	flood_stop = 1;
}

/* hooks->event: the events, and a signal raised at the FLOOD_SIGNAL_AT'th
 * (held by the loop until it lets signals in) */
static void on_flood_event(auparse_state_t *au, void *arg)
{
	struct seen *s = arg;

	on_event(au, s);
	if (s->n == FLOOD_SIGNAL_AT)
		raise(SIGUSR2);
}

/* hooks->wake: stop once the signal has come */
static int on_flood_wake(void *arg)
{
	(void)arg;
	return flood_stop;
}

/*
 * A signal that comes while input never runs out (a replay of a regular
 * file, which ppoll always finds ready; a flood in plugin mode) is taken
 * at the next wake-up: the loop stops long before the end. Linux's ppoll
 * delivers a pending signal only when it waits, so without the loop
 * letting it in, all FLOOD_EVENTS were read first.
 */
START_TEST(test_signal_under_flood)
{
	struct sigaction sa = {.sa_handler = on_flood_signal};
	struct seen s;
	const struct input_hooks h = {on_flood_event, NULL, on_flood_wake, &s};
	struct buf b = {0};
	int fd;

	for (size_t i = 1; i <= FLOOD_EVENTS; i++)
		write_event(-1, &b, i);
	fd = temp_file(b.p, b.len);
	buf_free(&b);
	seen_init(&s);
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR2, &sa, NULL), 0);
	ck_assert_int_eq(input_run(fd, false, &h, NULL), 0);
	close(fd);
	ck_assert_msg(flood_stop, "the signal never came");
	ck_assert_msg(s.n >= FLOOD_SIGNAL_AT && s.n < FLOOD_EVENTS / 2,
		      "stopped after %zu of %d events (signal at %d)", s.n,
		      FLOOD_EVENTS, FLOOD_SIGNAL_AT);
	seen_forget(&s);
}
END_TEST

START_TEST(test_read_error)
{
	struct input_stats st;
	char dir[] = "/tmp/check_input.XXXXXX";
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	fd = open(dir, 0);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_int_eq(input_run(fd, false, NULL, &st), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_uint_eq(st.events, 0);
	close(fd);
	rmdir(dir);
}
END_TEST

static Suite *input_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 4 * WAIT_S);
	tcase_add_loop_test(tc, test_replay, 0, ARRAY_SIZE(replay_cases));
	tcase_add_test(tc, test_live_nodes_interleaved);
	tcase_add_test(tc, test_live_clock_ahead);
	tcase_add_test(tc, test_live_older_unfinished);
	tcase_add_test(tc, test_live_lost_end);
	tcase_add_test(tc, test_replay_lost_end);
	tcase_add_test(tc, test_live_paced);
	tcase_add_test(tc, test_live_lone);
	tcase_add_test(tc, test_signal_under_flood);
	tcase_add_test(tc, test_read_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(input_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
