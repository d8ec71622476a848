/* progress.h - a replay's progress on one line of a terminal */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The line is drawn again at most this often. */
#define PROGRESS_MS 250

/* The progress of reading total bytes, shown on fd (a terminal). A zeroed
 * one is off. */
struct progress {
	int fd;
	bool on;
	uint64_t total;	   /* bytes to read */
	uint64_t start_ms; /* when reading began (monotonic ms) */
	uint64_t last_ms;  /* when the line was last drawn */
};

/*
 * Start showing the progress of reading total bytes on fd, now being a
 * monotonic time in ms: the line is drawn at once. The caller decides that
 * fd is a terminal and the input a regular file (whose size is total).
 */
void progress_start(struct progress *p, int fd, uint64_t total,
		    uint64_t now_ms);

/* done bytes are read by now_ms: draw the line again when PROGRESS_MS have
 * passed since it was last drawn. Nothing when p is off. */
void progress_update(struct progress *p, uint64_t done, uint64_t now_ms);

/* Erase the line, so that a message can take its place; the next
 * progress_update draws it again below (nothing when p is off). */
void progress_clear(struct progress *p);

/* Erase the line and turn p off (nothing when off). */
void progress_end(struct progress *p);

/*
 * The line's text into buf of size bytes (NUL-terminated, cut to fit):
 * "audisp-dracut: 12.3 MiB of 2.0 GiB (0.6 %), 85.2 MiB/s, 0:23 left";
 * rate and time left are "-" until elapsed_ms is at least PROGRESS_MS.
 * Returns the length written.
 */
size_t progress_format(char *buf, size_t size, uint64_t done, uint64_t total,
		       uint64_t elapsed_ms);

/* A monotonic clock in ms, for the calls above. */
uint64_t progress_now_ms(void);

#endif /* PROGRESS_H */
