/* image.c - the process image: allocation, copies, paths, command line */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

/* Allocate an empty image. */
struct image *image_new(void)
{
	return calloc(1, sizeof(struct image));
}

/* Free an image and everything it owns. */
void image_free(struct image *img)
{
	size_t i;

	if (!img)
		return;
	if (!(img->flags & IMAGE_PACKED)) {
		free(img->executable);
		free(img->interpreter);
		free(img->exe);
		free(img->comm);
		free(img->cwd);
		free(img->tty);
		free(img->key);
		free(img->user_name);
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

/* The scalar strings, in one place for size and copy. */
#define IMAGE_NSTR 8
static char **image_strings(struct image *img, char **out[IMAGE_NSTR])
{
	out[0] = &img->executable;
	out[1] = &img->interpreter;
	out[2] = &img->exe;
	out[3] = &img->comm;
	out[4] = &img->cwd;
	out[5] = &img->tty;
	out[6] = &img->key;
	out[7] = &img->user_name;
	return out[0];
}

/*
 * The index of an earlier string of the image equal to string i, or -1.
 * A packed copy stores equal strings once. len[] holds each string's
 * length (when known), so that most pairs differ without a comparison.
 */
static int same_as_earlier(char **str[IMAGE_NSTR], const size_t *len, size_t i)
{
	size_t j;

	if (!*str[i])
		return -1;
	for (j = 0; j < i; j++)
		if (*str[j] && (*str[j] == *str[i] ||
				(len[j] == len[i] &&
				 memcmp(*str[j], *str[i], len[i]) == 0)))
			return (int)j;
	return -1;
}

/* In a packed image, equal strings are one string (copy_image makes them
 * so): the index of an earlier string at the same address, or -1. */
static int shared_with_earlier(char **str[IMAGE_NSTR], size_t i)
{
	size_t j;

	if (!*str[i])
		return -1;
	for (j = 0; j < i; j++)
		if (*str[j] == *str[i])
			return (int)j;
	return -1;
}

/* Bytes the image's strings and arrays take. */
size_t image_size(const struct image *img)
{
	char **str[IMAGE_NSTR];
	size_t n = sizeof(*img), i;

	if (!img)
		return 0;
	if ((img->flags & IMAGE_PACKED) && img->packed_bytes)
		return img->packed_bytes;
	image_strings((struct image *)img, str);
	for (i = 0; i < IMAGE_NSTR; i++)
		if (!(img->flags & IMAGE_PACKED) ||
		    shared_with_earlier(str, i) < 0)
			n += slen(*str[i]);
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

/*
 * Deep copy into one allocation, cut to max_bytes of strings if non-zero.
 * with_cmdline: also build command_line (each kept argument then costs its
 * bytes twice); otherwise command_line is left NULL.
 */
static struct image *copy_image(const struct image *src, size_t max_bytes,
				bool with_cmdline)
{
	const size_t per_arg = with_cmdline ? 2 : 1;
	char **sstr[IMAGE_NSTR], **dstr[IMAGE_NSTR];
	size_t len[IMAGE_NSTR];
	int dup[IMAGE_NSTR];
	size_t fixed = 0, argbytes = 0, keep = 0, lastlen = 0, i, total;
	bool cut = false;
	struct image *dst;
	char *cur, *cl = NULL;

	if (!src)
		return NULL;
	image_strings((struct image *)src, sstr);
	for (i = 0; i < IMAGE_NSTR; i++) {
		len[i] = *sstr[i] ? strlen(*sstr[i]) : 0;
		dup[i] = same_as_earlier(sstr, len, i);
		if (dup[i] < 0 && *sstr[i])
			fixed += len[i] + 1;
	}
	/* With a command line, arguments cost twice: in args and in it. */
	for (i = 0; i < src->argc; i++) {
		size_t l = strlen(src->args[i]);

		if (max_bytes &&
		    fixed + per_arg * (argbytes + l + 1) > max_bytes) {
			/* keep the head of this argument if any room is left */
			size_t budget = max_bytes > fixed ?
						(max_bytes - fixed) / per_arg :
						0;
			size_t room = budget > argbytes + 1 ?
					      budget - argbytes - 1 :
					      0;

			cut = true;
			if (room > 0) {
				lastlen = room;
				argbytes += room + 1;
				keep = i + 1;
			}
			break;
		}
		argbytes += l + 1;
		keep = i + 1;
		lastlen = l;
	}
	total = sizeof(*dst) + (src->args ? (keep + 1) * sizeof(char *) : 0) +
		fixed + per_arg * argbytes + 1;
	dst = malloc(total);
	if (!dst)
		return NULL;
	*dst = *src;
	dst->flags = (src->flags & ~IMAGE_PACKED) | IMAGE_PACKED;
	if (cut)
		dst->flags |= IMAGE_COPY_TRUNCATED;
	cur = (char *)(dst + 1);
	dst->args = NULL;
	if (src->args) {
		dst->args = (char **)cur;
		cur += (keep + 1) * sizeof(char *);
	}
	image_strings(dst, dstr);
	for (i = 0; i < IMAGE_NSTR; i++) {
		/* exe= is often the executable */
		if (dup[i] >= 0)
			*dstr[i] = *dstr[dup[i]];
		else if (*sstr[i])
			*dstr[i] = put(&cur, *sstr[i], len[i]);
		else
			*dstr[i] = NULL;
	}
	dst->name = NULL;
	if (dst->executable) {
		const char *slash = strrchr(dst->executable, '/');

		dst->name = slash ? slash + 1 : dst->executable;
	}
	dst->argc = keep;
	/* the command line follows the arguments: argbytes of them */
	if (keep && with_cmdline)
		cl = cur + argbytes;
	dst->command_line = cl;
	for (i = 0; i < keep; i++) {
		size_t l = i + 1 == keep ? lastlen : strlen(src->args[i]);

		dst->args[i] = put(&cur, src->args[i], l);
		if (cl) {
			memcpy(cl, src->args[i], l);
			cl += l;
			*cl++ = i + 1 < keep ? ' ' : '\0';
		}
	}
	if (dst->args)
		dst->args[keep] = NULL;
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
	char **sstr[IMAGE_NSTR], **dstr[IMAGE_NSTR];
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
	image_strings(dst, dstr);
	image_strings((struct image *)src, sstr);
	for (i = 0; i < IMAGE_NSTR; i++)
		if (*sstr[i])
			*dstr[i] = (char *)dst + (*sstr[i] - base);
	dst->args = (char **)(dst + 1);
	for (i = 0; i < src->argc; i++)
		dst->args[i] = (char *)dst + (src->args[i] - base);
	dst->args[src->argc] = NULL;
	dst->command_line = NULL;
	dst->name = NULL;
	if (dst->executable) {
		const char *slash = strrchr(dst->executable, '/');

		dst->name = slash ? slash + 1 : dst->executable;
	}
	dst->packed_bytes = used <= UINT32_MAX ? (uint32_t)used : 0;
	return dst;
}

/* Deep copy into one allocation, with command_line. */
struct image *image_copy(const struct image *src, size_t max_bytes)
{
	return copy_image(src, max_bytes, true);
}

/* Deep copy into one allocation, without command_line. */
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

/* Bytes image_clean_into needs for path and cwd. */
size_t image_clean_size(const char *path, const char *cwd)
{
	size_t n = strlen(path) + 3;

	if (path[0] != '/' && cwd && cwd[0] == '/')
		n += strlen(cwd);
	return n;
}

/* Clean a path lexically into out (see image.h). */
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

/* Clean a path lexically, joining a relative one to an absolute cwd. */
char *image_clean_path(const char *path, const char *cwd)
{
	char *out = malloc(image_clean_size(path, cwd));

	return out ? image_clean_into(out, path, cwd) : NULL;
}

/* Set executable (absolute against cwd, cleaned) and name. */
int image_set_executable(struct image *img, const char *path, const char *cwd)
{
	char *clean, *slash;

	clean = image_clean_path(path, cwd);
	if (!clean)
		return -1;
	free(img->executable);
	img->executable = clean;
	slash = strrchr(clean, '/');
	img->name = slash && slash[1] ? slash + 1 : clean;
	return 0;
}

/* Take ownership of args and rebuild command_line. */
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
