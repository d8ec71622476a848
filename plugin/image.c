/* image.c - the process image: allocation, copies, paths, command line */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "util.h"

/* Where each string of IMAGE_STRINGS lies in struct image. */
static const size_t str_offset[] = {
#define IMAGE_STRING_OFFSET(m) offsetof(struct image, m),
	IMAGE_STRINGS(IMAGE_STRING_OFFSET)
#undef IMAGE_STRING_OFFSET
};

#define NSTR ARRAY_SIZE(str_offset)

/* The slot of string i of img. */
static char **str(const struct image *img, size_t i)
{
	return (char **)((const char *)img + str_offset[i]);
}

struct image *image_new(void)
{
	return calloc(1, sizeof(struct image));
}

void image_free(struct image *img)
{
	size_t i;

	if (!img)
		return;
	if (!(img->flags & IMAGE_PACKED)) {
		for (i = 0; i < NSTR; i++)
			free(*str(img, i));
		free(img->command_line);
		for (i = 0; img->args && i < img->argc; i++)
			free(img->args[i]);
		free(img->args);
	}
	free(img);
}

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/*
 * The index of an earlier string of the image equal to string i, or -1.
 * A packed copy stores equal strings once. len[] holds each string's
 * length (when known), so that most pairs differ without a comparison.
 */
static int same_as_earlier(const struct image *img, const size_t *len, size_t i)
{
	const char *s = *str(img, i), *t;
	size_t j;

	if (!s)
		return -1;
	for (j = 0; j < i; j++) {
		t = *str(img, j);
		if (t &&
		    (t == s || (len[j] == len[i] && memcmp(t, s, len[i]) == 0)))
			return (int)j;
	}
	return -1;
}

/* In a packed image, equal strings are one string (copy_image makes them
 * so): is string i at the address of an earlier one? */
static bool shared_with_earlier(const struct image *img, size_t i)
{
	const char *s = *str(img, i);
	size_t j;

	if (!s)
		return false;
	for (j = 0; j < i; j++)
		if (*str(img, j) == s)
			return true;
	return false;
}

size_t image_size(const struct image *img)
{
	size_t n = sizeof(*img), i;

	if (!img)
		return 0;
	if ((img->flags & IMAGE_PACKED) && img->packed_bytes)
		return img->packed_bytes;
	for (i = 0; i < NSTR; i++)
		if (!(img->flags & IMAGE_PACKED) ||
		    !shared_with_earlier(img, i))
			n += slen(*str(img, i));
	if (img->args)
		n += (img->argc + 1) * sizeof(char *);
	for (i = 0; i < img->argc; i++)
		n += slen(img->args[i]);
	n += slen(img->command_line);
	return n;
}

static char *put(char **cursor, const char *s, size_t len)
{
	char *d = *cursor;

	memcpy(d, s, len);
	d[len] = '\0';
	*cursor += len + 1;
	return d;
}

/* What a copy holds: the strings (each once), and the arguments kept. */
struct layout {
	size_t len[NSTR]; /* of each string */
	int dup[NSTR];	  /* an earlier equal string, or -1 */
	size_t fixed;	  /* bytes of the strings, NULs included */
	size_t keep;	  /* arguments kept */
	size_t argbytes;  /* their bytes, NULs included */
	size_t lastlen;	  /* the length of the last one kept (maybe cut) */
	bool cut;	  /* some were cut */
};

/* The strings of src, each stored once. */
static void measure_strings(const struct image *src, struct layout *l)
{
	size_t i;

	l->fixed = 0;
	for (i = 0; i < NSTR; i++) {
		l->len[i] = *str(src, i) ? strlen(*str(src, i)) : 0;
		l->dup[i] = same_as_earlier(src, l->len, i);
		if (l->dup[i] < 0 && *str(src, i))
			l->fixed += l->len[i] + 1;
	}
}

/*
 * The arguments of src that fit max_bytes (0: all) beside the strings,
 * each costing per_arg times its bytes: the head of the first one that
 * does not fit is kept if any room is left.
 */
static void measure_args(const struct image *src, size_t max_bytes,
			 size_t per_arg, struct layout *l)
{
	size_t i, len, budget, room;

	l->keep = l->argbytes = l->lastlen = 0;
	l->cut = false;
	for (i = 0; i < src->argc; i++) {
		len = strlen(src->args[i]);
		if (max_bytes &&
		    l->fixed + per_arg * (l->argbytes + len + 1) > max_bytes) {
			budget = max_bytes > l->fixed
					 ? (max_bytes - l->fixed) / per_arg
					 : 0;
			room = budget > l->argbytes + 1
				       ? budget - l->argbytes - 1
				       : 0;
			l->cut = true;
			if (room > 0) {
				l->lastlen = room;
				l->argbytes += room + 1;
				l->keep = i + 1;
			}
			return;
		}
		l->argbytes += len + 1;
		l->keep = i + 1;
		l->lastlen = len;
	}
}

/* Put the kept arguments of src at cur (and the command line after them
 * when cl is set). */
static void fill_args(struct image *dst, const struct image *src, char *cur,
		      char *cl, const struct layout *l)
{
	size_t i, len;

	for (i = 0; i < l->keep; i++) {
		len = i + 1 == l->keep ? l->lastlen : strlen(src->args[i]);
		dst->args[i] = put(&cur, src->args[i], len);
		if (cl) {
			memcpy(cl, src->args[i], len);
			cl += len;
			*cl++ = i + 1 < l->keep ? ' ' : '\0';
		}
	}
	if (dst->args)
		dst->args[l->keep] = NULL;
}

/*
 * Deep copy into one allocation, cut to max_bytes of strings if non-zero.
 * with_cmdline: also build command_line (each kept argument then costs its
 * bytes twice); otherwise command_line is left NULL.
 */
static struct image *copy_image(const struct image *src, size_t max_bytes,
				bool with_cmdline)
{
	const size_t per_arg = with_cmdline ? 2 : 1;
	struct layout l;
	struct image *dst;
	size_t total, i;
	char *cur;

	if (!src)
		return NULL;
	measure_strings(src, &l);
	measure_args(src, max_bytes, per_arg, &l);
	total = sizeof(*dst) + (src->args ? (l.keep + 1) * sizeof(char *) : 0) +
		l.fixed + per_arg * l.argbytes + 1;
	dst = malloc(total);
	if (!dst)
		return NULL;
	*dst = *src;
	dst->flags = (src->flags & ~IMAGE_PACKED) | IMAGE_PACKED;
	if (l.cut)
		dst->flags |= IMAGE_COPY_TRUNCATED;
	cur = (char *)(dst + 1);
	dst->args = NULL;
	if (src->args) {
		dst->args = (char **)cur;
		cur += (l.keep + 1) * sizeof(char *);
	}
	for (i = 0; i < NSTR; i++) {
		/* exe= is often the executable */
		if (l.dup[i] >= 0)
			*str(dst, i) = *str(dst, (size_t)l.dup[i]);
		else if (*str(src, i))
			*str(dst, i) = put(&cur, *str(src, i), l.len[i]);
		else
			*str(dst, i) = NULL;
	}
	dst->name = path_base(dst->executable);
	dst->argc = l.keep;
	/* the command line follows the arguments: argbytes of them */
	dst->command_line = l.keep && with_cmdline ? cur + l.argbytes : NULL;
	fill_args(dst, src, cur, dst->command_line, &l);
	/* all but the spare byte: what image_size would count */
	dst->packed_bytes = total - 1 <= UINT32_MAX ? (uint32_t)(total - 1) : 0;
	return dst;
}

/*
 * image_pack of a packed image that has its command line: its strings and
 * arguments lie, in the order copy_image puts them, between its argument
 * pointers and its command line. When no cut is due, the pack is that block
 * moved. Returns NULL when it is not that case (or on ENOMEM).
 */
static struct image *pack_packed(const struct image *src, size_t max_bytes)
{
	const char *base = (const char *)src, *end = src->command_line;
	size_t head, used, i;
	struct image *dst;

	if (!(src->flags & IMAGE_PACKED) || !end || !src->args || !src->argc)
		return NULL;
	head = sizeof(*src) + (src->argc + 1) * sizeof(char *);
	if (end < base + head)
		return NULL;
	used = (size_t)(end - base);
	/* strings and arguments are used - head bytes: a cut is due when
	 * they do not fit max_bytes */
	if (max_bytes && used - head > max_bytes)
		return NULL;
	dst = malloc(used + 1);
	if (!dst)
		return NULL;
	memcpy(dst, src, used);
	for (i = 0; i < NSTR; i++)
		if (*str(src, i))
			*str(dst, i) = (char *)dst + (*str(src, i) - base);
	dst->args = (char **)(dst + 1);
	for (i = 0; i < src->argc; i++)
		dst->args[i] = (char *)dst + (src->args[i] - base);
	dst->args[src->argc] = NULL;
	dst->command_line = NULL;
	dst->name = path_base(dst->executable);
	dst->packed_bytes = used <= UINT32_MAX ? (uint32_t)used : 0;
	return dst;
}

struct image *image_copy(const struct image *src, size_t max_bytes)
{
	return copy_image(src, max_bytes, true);
}

struct image *image_pack(const struct image *src, size_t max_bytes)
{
	struct image *dst = src ? pack_packed(src, max_bytes) : NULL;

	return dst ? dst : copy_image(src, max_bytes, false);
}

/*
 * Append the components of p to the clean path out[0..*n), root being where
 * ".." may not go past: "." is dropped, ".." drops the last component (or
 * is kept at the head of a relative path), "//" is one "/".
 */
static void clean_walk(char *out, size_t *n, size_t root, const char *p)
{
	while (*p) {
		const char *end;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 1 && p[0] == '.') {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (*n > root) {
				/* drop the last component (not a "..") */
				size_t k = *n;

				while (k > root && out[k - 1] != '/')
					k--;
				if (*n - k == 2 && out[k] == '.' &&
				    out[k + 1] == '.') {
					if (*n > root && out[*n - 1] != '/')
						out[(*n)++] = '/';
					memcpy(out + *n, "..", 2);
					*n += 2;
				} else {
					*n = k > root ? k - 1 : root;
				}
			} else if (!root) {
				/* relative path: keep the leading ".." */
				memcpy(out + *n, "..", 2);
				*n += 2;
			}
		} else {
			if (*n > root && out[*n - 1] != '/')
				out[(*n)++] = '/';
			memcpy(out + *n, p, len);
			*n += len;
		}
		p += len;
	}
}

size_t image_clean_size(const char *path, const char *cwd)
{
	size_t n = strlen(path) + 3;

	if (path[0] != '/' && cwd && cwd[0] == '/')
		n += strlen(cwd);
	return n;
}

char *image_clean_into(char *out, const char *path, const char *cwd)
{
	size_t n = 0, root = 0;
	bool join = path[0] != '/' && cwd && cwd[0] == '/';

	/* cwd "/" path is walked as cwd's components, then path's */
	if ((join ? cwd : path)[0] == '/')
		out[n++] = '/', root = 1;
	if (join)
		clean_walk(out, &n, root, cwd);
	clean_walk(out, &n, root, path);
	if (n == 0)
		out[n++] = '.';
	out[n] = '\0';
	return out;
}

char *image_clean_path(const char *path, const char *cwd)
{
	char *out = malloc(image_clean_size(path, cwd));

	return out ? image_clean_into(out, path, cwd) : NULL;
}

int image_set_executable(struct image *img, const char *path, const char *cwd)
{
	char *clean = image_clean_path(path, cwd);

	if (!clean)
		return -1;
	free(img->executable);
	img->executable = clean;
	img->name = path_base(clean);
	return 0;
}

int image_set_args(struct image *img, char **args, size_t argc)
{
	size_t len = 0, i;
	char *cl, *p;

	for (i = 0; img->args && i < img->argc; i++)
		free(img->args[i]);
	free(img->args);
	free(img->command_line);
	img->args = args;
	img->argc = argc;
	img->command_line = NULL;
	if (argc == 0)
		return 0;
	for (i = 0; i < argc; i++)
		len += strlen(args[i]) + 1;
	cl = malloc(len);
	if (!cl)
		return -1;
	p = cl;
	for (i = 0; i < argc; i++) {
		size_t l = strlen(args[i]);

		memcpy(p, args[i], l);
		p += l;
		*p++ = i + 1 < argc ? ' ' : '\0';
	}
	img->command_line = cl;
	return 0;
}
