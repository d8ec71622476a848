/* image.h - the process image: one process as of its last successful execve */
#ifndef IMAGE_H
#define IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where an image came from; the alert reports it for the parent. */
enum image_source {
	IMAGE_SRC_NONE = 0,
	IMAGE_SRC_STREAM, /* an execve seen in the audit stream: exact */
	IMAGE_SRC_FORK,	  /* a fork seen in the stream: the forker's image */
	IMAGE_SRC_PROC,	  /* read from /proc in live mode */
};

/* image.flags */
#define IMAGE_ARGS_TRUNCATED 0x1 /* the records did not hold every argument */
#define IMAGE_COPY_TRUNCATED 0x2 /* the table's copy was cut to its cap */
/* The image and its strings are one allocation (image_copy, image_pack,
 * exec_event_parse): image_free frees it whole, and equal strings in it are
 * one string. Never set it by hand. */
#define IMAGE_PACKED 0x80000000u

/*
 * The image's own strings, each a char * member of struct image, declared
 * here once: image.c frees, measures, copies and packs them from this
 * list. Its order is the order of a packed copy. A new string field is one
 * line here, plus its entry in the field table (field.h) and its reader.
 */
/* clang-format off */
#define IMAGE_STRINGS(X)                                                       \
	X(executable)  /* absolute, lexically clean; the script for #! */      \
	X(interpreter) /* SYSCALL exe= when it differs from executable */      \
	X(exe)         /* SYSCALL exe= as recorded */                          \
	X(comm)        /* comm= (at most 15 bytes, as the kernel keeps it) */  \
	X(cwd)                                                                 \
	X(tty)         /* NULL for "(none)" */                                 \
	X(key)         /* NULL for "(null)" */                                 \
	X(user_name)   /* name of uid, when the records or host know it */
/* clang-format on */

/*
 * A process image. Every string is NUL-terminated raw bytes, exactly as the
 * kernel saw them (not necessarily UTF-8); argv strings cannot hold NUL, so
 * C strings lose nothing. Strings that are unknown are NULL.
 */
struct image {
	pid_t pid;
	pid_t ppid;
	uint32_t node; /* the host it ran on (node.h); 0: this host */
	int64_t sec;   /* event time: seconds since the epoch */
	uint32_t msec; /* and milliseconds */
	/* IMAGE_PACKED: what image_size counts, noted by the copy (0: ask
	 * again); in what was padding, so images are no bigger */
	uint32_t packed_bytes;
	uint64_t serial; /* audit serial; 0 for an image read from /proc */
	/* process start, in clock ticks after boot (/proc/PID/stat field
	 * 22); 0 when unknown, as for images built from audit records */
	uint64_t start_ticks;

	int syscall;  /* execve or execveat number for the event's arch */
	bool success; /* the exec succeeded */

	uid_t uid, euid, auid;
	uint32_t session;

	/* the strings of IMAGE_STRINGS, each a char * member */
#define IMAGE_STRING_MEMBER(m) char *m;
	IMAGE_STRINGS(IMAGE_STRING_MEMBER)
#undef IMAGE_STRING_MEMBER
	const char *name; /* basename of executable (path_base); points into
			   * it */

	char **args; /* argv, args[argc] == NULL */
	size_t argc;
	char *command_line; /* args joined by single spaces; NULL if argc 0 */

	unsigned flags; /* IMAGE_* */
	enum image_source source;
};

/* Allocate an empty image (all zero). Returns NULL on ENOMEM; the caller
 * frees it with image_free. */
struct image *image_new(void);

/* Free an image and everything it owns. image_free(NULL) is safe. */
void image_free(struct image *img);

/*
 * Deep-copy src into one allocation; command_line is rebuilt from the
 * (kept) arguments, so it is present even if src has none. If max_bytes is
 * non-zero and the strings do not fit, the argument list is cut at the byte
 * where the budget runs out (command_line follows the cut), and
 * IMAGE_COPY_TRUNCATED is set. Paths are always kept whole. Returns NULL on
 * ENOMEM; the caller frees the copy with image_free.
 */
struct image *image_copy(const struct image *src, size_t max_bytes);

/*
 * As image_copy, but without command_line (NULL), so that each argument is
 * stored once: the process table's compact form. image_copy of a packed
 * image rebuilds the command line from its arguments.
 */
struct image *image_pack(const struct image *src, size_t max_bytes);

/* Bytes an image's strings and arrays take (for memory accounting). */
size_t image_size(const struct image *img);

/*
 * Set img->executable to path made absolute against cwd (when relative and
 * cwd is known) and cleaned lexically ("//", "/./", "/../" removed, as
 * realpath would without following links), and img->name to its basename.
 * Takes copies. Returns 0, or -1 on ENOMEM.
 */
int image_set_executable(struct image *img, const char *path, const char *cwd);

/*
 * Take ownership of args (argc strings plus a NULL terminator, each from
 * malloc) and rebuild command_line. Returns 0, or -1 on ENOMEM (args then
 * still belong to img, command_line is NULL).
 */
int image_set_args(struct image *img, char **args, size_t argc);

/*
 * Clean an absolute or relative path lexically into a new string. A relative
 * path is joined to cwd first when cwd is absolute. Returns NULL on ENOMEM;
 * the caller frees the result.
 */
char *image_clean_path(const char *path, const char *cwd);

/* Bytes that image_clean_into needs for path and cwd (NUL included); at
 * most strlen(cwd) + strlen(path) + 3. */
size_t image_clean_size(const char *path, const char *cwd);

/* As image_clean_path, into out, which holds at least
 * image_clean_size(path, cwd) bytes. Returns out. */
char *image_clean_into(char *out, const char *path, const char *cwd);

#endif /* IMAGE_H */
