/* field.c - the process fields, each declared once with its ECS name */
#include <stdio.h>
#include <string.h>

#include "field.h"
#include "util.h"

#define PROCESS "process."
#define PARENT "process.parent."

/* One entry: the name, and from it both paths. */
#define FIELD(name, type, slot, flags)                                         \
	{                                                                      \
		name, {PROCESS name, PARENT name}, type,                       \
			offsetof(struct image, slot), flags                    \
	}

/* The one declaration of every process field. */
const struct field field_table[FIELD_COUNT] = {
	[FIELD_NAME] =
		FIELD("name", FIELD_T_STR, name, FIELD_PARENT | FIELD_RULE),
	[FIELD_EXECUTABLE] = FIELD("executable", FIELD_T_STR, executable,
				   FIELD_PARENT | FIELD_RULE),
	[FIELD_ARGS] =
		FIELD("args", FIELD_T_ARGS, args, FIELD_PARENT | FIELD_RULE),
	[FIELD_COMMAND_LINE] = FIELD("command_line", FIELD_T_STR, command_line,
				     FIELD_PARENT | FIELD_RULE),
	[FIELD_WORKING_DIRECTORY] =
		FIELD("working_directory", FIELD_T_STR, cwd, FIELD_PARENT),
	[FIELD_USER_ID] = FIELD("user.id", FIELD_T_UID, uid, FIELD_RULE),
	[FIELD_USER_NAME] =
		FIELD("user.name", FIELD_T_STR, user_name, FIELD_RULE),
};

/* ECS places the process's user at the top level too: "user.name" */
#define USER_ALIAS "user."

/* The names field_lookup accepts, in its order of passes: process.X, then
 * process.parent.X, then the user.X aliases. */
enum name_pass { PASS_PROCESS, PASS_PARENT, PASS_ALIAS, NPASSES };

static const char *const pass_prefix[NPASSES] = {PROCESS, PARENT, ""};

static bool in_pass(const struct field *f, enum name_pass pass)
{
	if (!(f->flags & FIELD_RULE))
		return false;
	if (pass == PASS_PARENT)
		return f->flags & FIELD_PARENT;
	if (pass == PASS_ALIAS)
		return strncmp(f->name, USER_ALIAS, strlen(USER_ALIAS)) == 0;
	return true;
}

/* Every accepted name into b, as "a, b, ... or z", NUL-terminated. */
static int build_names(struct buf *b)
{
	char path[NPASSES * FIELD_COUNT][FIELD_PATH_MAX];
	size_t n = 0, i, p;
	int rc = 0;

	for (p = 0; p < NPASSES; p++)
		for (i = 0; i < FIELD_COUNT; i++)
			if (in_pass(&field_table[i], (enum name_pass)p))
				snprintf(path[n++], FIELD_PATH_MAX, "%s%s",
					 pass_prefix[p], field_table[i].name);
	for (i = 0; i < n && rc == 0; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";

		rc = buf_append(b, sep, strlen(sep));
		if (rc == 0)
			rc = buf_append(b, path[i], strlen(path[i]));
	}
	return rc == 0 ? buf_append(b, "", 1) : -1;
}

const char *field_rule_names(void)
{
	static struct buf names;

	if (!names.len && build_names(&names) < 0) {
		buf_free(&names);
		return "(out of memory)";
	}
	return names.p;
}

/* The decimal text of u, written backwards from end (its NUL first):
 * returns where it starts. */
static char *decimal(char *end, unsigned long u)
{
	*--end = '\0';
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	return end;
}

void field_get(enum field_id id, const struct image *img, struct field_value *v)
{
	const struct field *f = &field_table[id];
	const char *slot;

	v->str = NULL;
	v->arr = NULL;
	v->n = 0;
	if (!img)
		return;
	slot = (const char *)img + f->offset;
	switch (f->type) {
	case FIELD_T_STR:
		v->str = *(char *const *)slot;
		break;
	case FIELD_T_ARGS:
		if (img->args && img->argc) {
			v->arr = img->args;
			v->n = img->argc;
		}
		break;
	case FIELD_T_UID:
		v->str = decimal(v->num + sizeof(v->num), *(const uid_t *)slot);
		break;
	}
}

/* Does name[0..len) equal prefix followed by field f's name? */
static bool named(const char *name, size_t len, const char *prefix,
		  const struct field *f)
{
	size_t p = strlen(prefix), n = strlen(f->name);

	return len == p + n && memcmp(name, prefix, p) == 0 &&
	       memcmp(name + p, f->name, n) == 0;
}

int field_lookup(const char *name, size_t len, struct field_ref *ref)
{
	size_t i, p;

	for (p = 0; p < NPASSES; p++) {
		for (i = 0; i < FIELD_COUNT; i++) {
			const struct field *f = &field_table[i];

			if (in_pass(f, (enum name_pass)p) &&
			    named(name, len, pass_prefix[p], f)) {
				ref->id = (enum field_id)i;
				ref->parent = p == PASS_PARENT;
				return 0;
			}
		}
	}
	return -1;
}

char *field_path(struct field_ref ref, char buf[FIELD_PATH_MAX])
{
	snprintf(buf, FIELD_PATH_MAX, "%s",
		 field_table[ref.id].path[ref.parent]);
	return buf;
}
