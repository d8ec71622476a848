/* input.h - the read loop: non-blocking reads into auparse, ageing, EOF */
#ifndef INPUT_H
#define INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

struct input_hooks {
	/* Called after every wake-up; returns non-zero to stop the loop.
	 * Handles the signal flags. */
	int (*poll)(void *arg);
	void *arg;
};

/*
 * Read audit records in string format from fd until EOF or until
 * hooks->poll asks to stop, feeding auparse and handing events to core.
 * live: plugin mode (age events so each one is delivered at once; tick the
 * core every second). Lines starting with '#' are comments and skipped;
 * other lines that do not start as an audit record are counted and dropped,
 * and so are records of the types no exec or fork event needs (counted).
 * Every pending event is flushed before returning. Signals are held back
 * while events are processed and taken only while the loop waits, so a
 * flag a handler sets is seen by the next hooks->poll. Returns 0 at EOF or
 * on request, -1 on a read error (logged).
 */
int input_run(int fd, bool live, struct core *core,
	      const struct input_hooks *hooks);

/* Input lines dropped so far because they were not audit records (each
 * counted and logged with rate limiting). */
uint64_t input_garbage_lines(void);

/* Records dropped before auparse because the plugin never reads their type
 * (an exec event's PROCTITLE and BPRM_FCAPS, other rules' events). */
uint64_t input_skipped_records(void);

#endif /* INPUT_H */
