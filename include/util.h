/* util.h - helpers every module shares: counts, numbers, buffers, paths */
#ifndef UTIL_H
#define UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* The number of elements of an array (not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Parse all of s as an unsigned number in base 10 or 16: no sign, no
 * blank, no prefix, no trailing byte, no overflow. Returns 0 with *out
 * set, or -1 (s NULL or empty included). No allocation.
 */
int parse_ull(const char *s, int base, unsigned long long *out);

/* A growable byte buffer; a zeroed one is empty and ready. */
struct buf {
	char *p;
	size_t len, cap;
};

/*
 * Make room for n more bytes after b->len, growing geometrically. Returns
 * a pointer to where they go (b->p + b->len), or NULL on ENOMEM (b is then
 * unchanged).
 */
char *buf_reserve(struct buf *b, size_t n);

/* Append n bytes of s. Returns 0, or -1 on ENOMEM (b unchanged). */
int buf_append(struct buf *b, const char *s, size_t n);

/* Give back b's memory and empty it. buf_free on an empty buffer is safe. */
void buf_free(struct buf *b);

/*
 * The last component of path: what follows the last '/', or path itself
 * when it has none or ends in '/' ("/" stays "/", as basename(1) says).
 * Points into path; NULL for NULL.
 */
const char *path_base(const char *path);

/*
 * Create the directory that holds path (one level, mode 0700) if it is
 * missing. Returns 0 (also when path names no directory), or -1 with errno
 * set.
 */
int mkdir_parent(const char *path);

#endif /* UTIL_H */
