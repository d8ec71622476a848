/* input.h - the read loop: audit records into auparse, complete events out */
#ifndef INPUT_H
#define INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <auparse.h>

/*
 * An event whose last record never comes (lost on the way) is handed over
 * without it: in plugin mode INPUT_LOST_MS after its first record arrived,
 * in replay once INPUT_LOST_RECORDS more records have been read, and at the
 * end of the input. At most INPUT_OPEN_MAX events wait for their last record
 * at once; beyond that the oldest is handed over.
 */
#define INPUT_LOST_MS 2000
#define INPUT_LOST_RECORDS 10000
#define INPUT_OPEN_MAX 4096

/*
 * Plugin mode paces its reads under load: while events end at least
 * INPUT_BATCH_RATE a second and the last wake-up found records, the loop
 * does not wait for the next record auditd writes but sleeps
 * INPUT_BATCH_MS and then reads all that came meanwhile, in one wake-up
 * and one read. So a record waits at most INPUT_BATCH_MS (and the batch's
 * processing) before it is read. Below that rate, or after a wake-up that
 * found nothing, the loop waits for the next record and reads it at once.
 */
#define INPUT_BATCH_MS 20
#define INPUT_BATCH_RATE 40

/* What the read loop calls. Every member may be NULL. */
struct input_hooks {
	/* A complete event: au is positioned at its first record, and is
	 * only valid during the call. */
	void (*event)(auparse_state_t *au, void *arg);
	/* Plugin mode only, about once a second; now is time(NULL). */
	void (*tick)(time_t now, void *arg);
	/* After every wake-up, where signal flags are looked at: returns
	 * non-zero to stop the loop. */
	int (*wake)(void *arg);
	void *arg;
};

/* The read loop's counters (the last three are struct records_stats'). */
struct input_stats {
	uint64_t bytes;	  /* bytes read from fd */
	uint64_t events;  /* complete events handed to hooks->event */
	uint64_t garbage; /* lines dropped as unusable */
	uint64_t skipped; /* records of a type no exec or fork event needs */
	uint64_t unended; /* events handed over without their last record */
};

/*
 * Read audit records in string format from fd until EOF, or until
 * hooks->wake asks to stop, and hand every complete event to hooks->event.
 * The lines are grouped into whole events as records.h says: an event is
 * complete once its last record has come, never by its time or the clock's,
 * so no host's clock can cut another's events, and a finished event is
 * handed over at once, whatever others are still being read. The events
 * that end in one read are handed over in the order of their time. An event
 * whose last record never comes is handed over as INPUT_LOST_MS says, and
 * counted.
 *
 * live: plugin mode (fd is made non-blocking; hooks->tick is called).
 * Signals are held back while events are processed and taken only while
 * the loop waits, so that a flag a handler sets is seen by the next
 * hooks->wake. At a stop request what fd already holds is still read.
 *
 * st (may be NULL) is zeroed and kept current while the loop runs, so that
 * the hooks may read it. Returns 0 at EOF or on request, or -1 with errno
 * set when fd cannot be read (nothing is logged: the caller knows its name).
 */
int input_run(int fd, bool live, const struct input_hooks *hooks,
	      struct input_stats *st);

#endif /* INPUT_H */
