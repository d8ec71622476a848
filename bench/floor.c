/* floor.c - the least work an auparse-based plugin can do: visit each field */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <auparse.h>

/*
 * Usage: floor [FILE|-]
 * Feeds FILE (default stdin) to auparse in 64 KiB reads, as a plugin feeds
 * what auditd writes to it, and visits every field of every record of every
 * event: its name and its value as a string, nothing else. Prints the
 * counts, "events N records N fields N", to stdout. This is the cost floor
 * the benchmark holds audisp-dracut against.
 */

struct counts {
	unsigned long events;
	unsigned long records;
	unsigned long fields;
	unsigned long sum; /* keeps the visits from being optimised away */
};

static void visit(auparse_state_t *au, auparse_cb_event_t type, void *data)
{
	struct counts *c = data;
	const char *name, *value;

	if (type != AUPARSE_CB_EVENT_READY)
		return;
	c->events++;
	if (auparse_first_record(au) <= 0)
		return;
	do {
		c->records++;
		if (auparse_first_field(au) <= 0)
			continue;
		do {
			name = auparse_get_field_name(au);
			value = auparse_get_field_str(au);
			c->fields++;
			if (name)
				c->sum += (unsigned char)name[0];
			if (value)
				c->sum += (unsigned char)value[0];
		} while (auparse_next_field(au) > 0);
	} while (auparse_next_record(au) > 0);
}

int main(int argc, char **argv)
{
	static char buf[65536];
	struct counts c = {0};
	auparse_state_t *au;
	ssize_t n;
	int fd = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: floor [FILE|-]\n");
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "floor: %s: %s\n", argv[1],
				strerror(errno));
			return 1;
		}
	}
	au = auparse_init(AUSOURCE_FEED, NULL);
	if (!au) {
		fprintf(stderr, "floor: auparse_init failed\n");
		return 1;
	}
	auparse_add_callback(au, visit, &c, NULL);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		auparse_feed(au, buf, (size_t)n);
	}
	if (n < 0) {
		fprintf(stderr, "floor: read: %s\n", strerror(errno));
		auparse_destroy(au);
		return 1;
	}
	auparse_flush_feed(au);
	auparse_destroy(au);
	printf("events %lu records %lu fields %lu\n", c.events, c.records,
	       c.fields);
	return 0;
}
