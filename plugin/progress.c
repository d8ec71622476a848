/* progress.c - a replay's progress on one line of a terminal */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define KIB 1024.0
#define PERCENT 100.0
#define MS_PER_S 1000
#define NS_PER_MS 1000000
#define S_PER_MIN 60
#define S_PER_HOUR 3600
/* Room for the line: numbers and units, well within a terminal's width. */
#define LINE_MAX_LEN 128
/* Back to the start of the line, and erase it to its end (ECMA-48 EL). */
#define CR "\r"
#define ERASE_EOL "\033[K"

uint64_t progress_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S +
	       (uint64_t)ts.tv_nsec / NS_PER_MS;
}

/* n bytes as "12.3 MiB", in the largest unit that keeps it at least 1. */
static void human(char *buf, size_t size, double n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;

	while (n >= KIB && u + 1 < sizeof(units) / sizeof(units[0])) {
		n /= KIB;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%.0f %s", n, units[u]);
	else
		snprintf(buf, size, "%.1f %s", n, units[u]);
}

/* s seconds as "0:23" or "1:02:03". */
static void clock_text(char *buf, size_t size, uint64_t s)
{
	if (s >= S_PER_HOUR)
		snprintf(buf, size, "%llu:%02llu:%02llu",
			 (unsigned long long)(s / S_PER_HOUR),
			 (unsigned long long)(s / S_PER_MIN % S_PER_MIN),
			 (unsigned long long)(s % S_PER_MIN));
	else
		snprintf(buf, size, "%llu:%02llu",
			 (unsigned long long)(s / S_PER_MIN),
			 (unsigned long long)(s % S_PER_MIN));
}

size_t progress_format(char *buf, size_t size, uint64_t done, uint64_t total,
		       uint64_t elapsed_ms)
{
	char d[32], t[32], rate[32] = "-", left[32] = "-";
	double pct;
	int n;

	if (done > total)
		done = total; /* a file that grows as it is read */
	pct = total ? PERCENT * (double)done / (double)total : PERCENT;
	human(d, sizeof(d), (double)done);
	human(t, sizeof(t), (double)total);
	if (elapsed_ms >= PROGRESS_MS && done) {
		double bps = (double)done * MS_PER_S / (double)elapsed_ms;

		human(rate, sizeof(rate), bps);
		strcat(rate, "/s");
		clock_text(left, sizeof(left),
			   (uint64_t)((double)(total - done) / bps + 0.5));
	}
	n = snprintf(buf, size,
		     "audisp-dracut: %s of %s (%.1f %%), %s, %s left", d, t,
		     pct, rate, left);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size ? size - 1 : 0;
}

/* Draw the line: back to its start, the text, the rest erased. */
static void draw(struct progress *p, uint64_t done, uint64_t now_ms)
{
	char line[LINE_MAX_LEN + sizeof(CR) + sizeof(ERASE_EOL)];
	size_t n = sizeof(CR) - 1;
	ssize_t w;

	memcpy(line, CR, n);
	n += progress_format(line + n, LINE_MAX_LEN, done, p->total,
			     now_ms - p->start_ms);
	memcpy(line + n, ERASE_EOL, sizeof(ERASE_EOL) - 1);
	n += sizeof(ERASE_EOL) - 1;
	/* best effort: a terminal that cannot take it loses a frame */
	do
		w = write(p->fd, line, n);
	while (w < 0 && errno == EINTR);
	p->last_ms = now_ms;
}

void progress_start(struct progress *p, int fd, uint64_t total, uint64_t now_ms)
{
	p->fd = fd;
	p->on = true;
	p->total = total;
	p->start_ms = now_ms;
	draw(p, 0, now_ms);
}

void progress_update(struct progress *p, uint64_t done, uint64_t now_ms)
{
	if (p->on && now_ms - p->last_ms >= PROGRESS_MS)
		draw(p, done, now_ms);
}

void progress_clear(struct progress *p)
{
	static const char erase[] = CR ERASE_EOL;
	ssize_t w;

	if (!p->on)
		return;
	do
		w = write(p->fd, erase, sizeof(erase) - 1);
	while (w < 0 && errno == EINTR);
	p->last_ms = 0; /* drawn again at the next update */
}

void progress_end(struct progress *p)
{
	progress_clear(p);
	p->on = false;
}
