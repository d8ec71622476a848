/* exec_event.h - turn one auparse event into a process image (or a fork) */
#ifndef EXEC_EVENT_H
#define EXEC_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <auparse.h>

#include "exec_path.h"
#include "image.h"

enum exec_event_kind {
	EXEC_EVENT_OTHER = 0, /* any other event: ignored */
	EXEC_EVENT_EXEC,      /* execve/execveat, successful or not */
	EXEC_EVENT_FORK,      /* successful fork/vfork/clone/clone3 */
};

struct exec_event {
	enum exec_event_kind kind;
	/*
	 * The host the records came from: the node= they start with (as
	 * auparse read it for the event), or NULL when they carry none. For
	 * exec and fork events. Borrowed from auparse: valid until the event
	 * callback returns.
	 */
	const char *node;
	/*
	 * EXEC: owned by the caller after the call; one allocation
	 * (IMAGE_PACKED), freed with image_free. Its executable, name and
	 * interpreter are chosen as exec_path.h says.
	 */
	struct image *image;
	/*
	 * EXEC by execveat(2) through a descriptor (enum exec_fd): fd is
	 * that descriptor (the syscall's a0) in the process that ran the
	 * exec; EXEC_FD_NONE and -1 otherwise. While the process lives,
	 * /proc/PID/fd/N may show the directory or file, if the descriptor
	 * survived the exec (it must, for a script; O_CLOEXEC closes it
	 * otherwise).
	 */
	enum exec_fd fd_kind;
	int fd;
	/* FORK: the forking process and the new pid (exit=), with time */
	pid_t fork_parent, fork_child;
	int64_t sec;
	uint32_t msec;
	uint64_t serial;
};

/* How exec_event_parse may name users. */
struct exec_event_opts {
	/*
	 * false (the default, and what a NULL opts means): a user name comes
	 * only from the records themselves (ENRICHED: UID= after the 0x1d
	 * separator), never from this host's user database, which knows
	 * nothing of another host's uids or of an old log's. true: for the
	 * events of this host (no node=, or node= equal to local_node), a
	 * uid the records do not name is looked up here, as auparse does for
	 * RAW records: for the live plugin only.
	 */
	bool local_names;
	/* the node= name this host's own records carry, or NULL (then only
	 * records without node= are this host's) */
	const char *local_node;
};

struct exec_event_stats {
	uint64_t events;	 /* events looked at */
	uint64_t execs;		 /* exec events (any outcome) */
	uint64_t forks;		 /* successful fork events */
	uint64_t malformed;	 /* exec events dropped as unreadable */
	uint64_t args_truncated; /* execs whose argv was not fully recovered */
};

/* Look up the execve/execveat/fork syscall numbers with libaudit. Call once
 * before exec_event_parse. Returns 0, or -1 if libaudit knows none. */
int exec_event_init(void);

/* Give back the buffers exec_event_parse keeps from one event to the next
 * (a few KiB; more is given back after the event that needed it). Call at
 * exit; exec_event_parse may be called again afterwards. */
void exec_event_fini(void);

/*
 * Parse the current event of au (positioned by auparse at its first record)
 * into ev. kind is EXEC_EVENT_OTHER for every event that is not an exec or
 * fork, at almost no cost. opts may be NULL (names from the records only).
 * st may be NULL; else its counters are added to. Returns 0, or -1 when an exec
 * event is too broken to use (counted in st->malformed and logged with rate
 * limiting); ev then holds nothing to free. Not thread-safe: the parser keeps
 * its buffers from one call to the next (see exec_event_fini).
 */
int exec_event_parse(auparse_state_t *au, struct exec_event *ev,
		     struct exec_event_stats *st,
		     const struct exec_event_opts *opts);

#endif /* EXEC_EVENT_H */
