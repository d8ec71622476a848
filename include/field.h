/* field.h - the process fields, each declared once with its ECS name */
#ifndef FIELD_H
#define FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"

/*
 * The process fields, in the order the alert writes them. A field whose
 * name holds a dot ("user.id") is a member of a nested object ("user"):
 * the fields of one object are listed together, and a name holds at most
 * one dot.
 */
enum field_id {
	FIELD_NAME,
	FIELD_EXECUTABLE,
	FIELD_ARGS,
	FIELD_COMMAND_LINE,
	FIELD_WORKING_DIRECTORY,
	FIELD_USER_ID,
	FIELD_USER_NAME,
	FIELD_COUNT
};

enum field_type {
	FIELD_T_STR,  /* a string slot of the image (char *); NULL: absent */
	FIELD_T_ARGS, /* the argument array: args, argc (the alert adds
		       * args_count) */
	FIELD_T_UID,  /* a uid_t slot, written in decimal; always present */
};

/* field.flags */
#define FIELD_PARENT 0x1 /* also a field of process.parent */
#define FIELD_RULE 0x2	 /* local exceptions may test it */

struct field {
	const char *name; /* under "process." (and "process.parent."):
			   * "executable", "user.name" */
	/* the dotted ECS names, static: "process.executable" and
	 * "process.parent.executable" (indexed by field_ref.parent) */
	const char *path[2];
	enum field_type type;
	size_t offset; /* of its slot in struct image */
	unsigned flags;
};

/* The table, indexed by enum field_id. Static data. */
extern const struct field field_table[FIELD_COUNT];

/* A field of the process or of its parent, as a rule or an exception
 * names it. */
struct field_ref {
	enum field_id id;
	bool parent;
};

/* Room for the longest dotted name, with its NUL. */
#define FIELD_PATH_MAX 64

/*
 * Look up the dotted ECS name of len bytes at name, among the fields local
 * exceptions may test: "process.X" and, for a FIELD_PARENT field,
 * "process.parent.X"; "user.X" is an alias of "process.user.X", as ECS
 * places the process's user at the top level too. Returns 0 with *ref
 * set, or -1 when no such field may be tested.
 */
int field_lookup(const char *name, size_t len, struct field_ref *ref);

/* The dotted ECS name of ref ("process.parent.args") into buf of
 * FIELD_PATH_MAX bytes. Returns buf. */
char *field_path(struct field_ref ref, char buf[FIELD_PATH_MAX]);

/*
 * Every name field_lookup accepts, aliases last, as "a, b, ... or z": for
 * error messages and the documentation. Static text, built once; never
 * NULL.
 */
const char *field_rule_names(void);

/* The value of a field. A string field sets str (NULL when absent); the
 * argument array sets arr and n (arr NULL and n 0 when there are none); a
 * uid is written into num and str points into it. */
struct field_value {
	const char *str;
	char *const *arr;
	size_t n;
	char num[24];
};

/* The value of field id in img, into *v; img NULL gives an absent value.
 * v's pointers stay valid while img and v do. */
void field_get(enum field_id id, const struct image *img,
	       struct field_value *v);

#endif /* FIELD_H */
