/* devlog.h - the /dev/log client: syslog(3)'s messages, never blocking */
#ifndef DEVLOG_H
#define DEVLOG_H

#include <stdbool.h>
#include <stddef.h>

/* The longest ident a devlog keeps; a longer one is cut. */
#define DEVLOG_IDENT_MAX 255

/*
 * One connection to /dev/log and the ident its messages carry. The fields
 * are in the open only so that a devlog can live in static storage or in
 * its owner's struct, with no allocation (diagnostics must get out when
 * memory is short too); use the functions below, never the fields.
 */
struct devlog {
	int fd;	      /* -1: not connected */
	int type;     /* SOCK_DGRAM or SOCK_STREAM, once connected */
	bool stalled; /* a message found no room: the next ones do not wait */
	char ident[DEVLOG_IDENT_MAX + 1];
};

/* A devlog not connected yet, for a static or automatic initialiser; the
 * ident must be a string literal. */
/* clang-format off */
#define DEVLOG_INIT(ident_lit) {.fd = -1, .ident = ident_lit}
/* clang-format on */

/* Make dl a devlog that is not connected, with a copy of ident. */
void devlog_init(struct devlog *dl, const char *ident);

/* Give the next messages of dl a copy of ident; the connection stays. */
void devlog_set_ident(struct devlog *dl, const char *ident);

/*
 * Hand dl's connection (and whether it is stalled) over to to, which must
 * not be connected; dl is left not connected. The idents stay where they
 * are.
 */
void devlog_move(struct devlog *to, struct devlog *dl);

/* Close dl's connection; the next message connects again. Safe on a devlog
 * that is not connected. */
void devlog_close(struct devlog *dl);

/*
 * Send one message as syslog(3) would, "<PRI>Mmm dd hh:mm:ss IDENT[PID]:
 * " then prefix (NULL for none) then the len bytes of msg, connecting to
 * /dev/log (datagram, else stream) when not connected. It never blocks for
 * long: a message that finds no room within a second, or no daemon, is
 * lost, and until one gets through the next ones do not wait at all. pri
 * is LOG_MAKEPRI(facility, priority); anything else is sent as user.notice.
 * Returns 0, or -1 with errno set when the message was lost (EAGAIN: the
 * daemon had no room).
 */
int devlog_send(struct devlog *dl, int pri, const char *prefix, const char *msg,
		size_t len);

/* The most bytes devlog_send puts before the prefix with dl's ident now:
 * its longest PRI, timestamp and pid included. */
size_t devlog_header_max(const struct devlog *dl);

#endif /* DEVLOG_H */
