/* exec_path.c - which file an exec ran, named from what its records say */
#include <stdio.h>
#include <string.h>

#include "exec_path.h"

#define EP_AT_FDCWD (-100)
/* The kernel's name for a file reached through descriptor N: the prefix of
 * /dev/fd/N and /dev/fd/N/NAME, and room for N. */
#define EP_FD_PREFIX "/dev/fd/"
#define EP_FD_DIGITS 12

/*
 * Was this the exec of a #! script? The kernel then logs the script as PATH
 * item 0 and the interpreter named on the #! line as item 1, and rewrites
 * argv to "interpreter [optional-arg] script args...", where script is
 * its own name for the file (asked). A binary reached through a symlink
 * (/bin/sh -> dash) also has exe= differ from item 0, but its argv is the
 * caller's own, so exe= is no interpreter there.
 */
static bool is_script(const struct image *img, const struct exec_path_in *in,
		      const char *asked)
{
	if (!img->success || !img->exe || !asked || !in->path1 || img->argc < 2)
		return false;
	if (strcmp(img->args[0], in->path1) != 0)
		return false;
	return strcmp(img->args[1], asked) == 0 ||
	       (img->argc >= 3 && strcmp(img->args[2], asked) == 0);
}

/* img->executable: path cleaned (against cwd when given), in buf. */
static int set_clean(struct image *img, struct buf *buf, const char *path,
		     const char *cwd)
{
	buf->len = 0;
	if (!buf_reserve(buf, image_clean_size(path, cwd)))
		return -1;
	img->executable = image_clean_into(buf->p, path, cwd);
	img->name = path_base(img->executable);
	return 0;
}

/* The kernel's name for a file named through descriptor fd, into buf. */
static char *fd_name(struct buf *buf, int fd, const char *name)
{
	char num[EP_FD_DIGITS];

	snprintf(num, sizeof(num), "%d", fd);
	buf->len = 0;
	if (buf_append(buf, EP_FD_PREFIX, strlen(EP_FD_PREFIX)) < 0 ||
	    buf_append(buf, num, strlen(num)) < 0 ||
	    (*name && (buf_append(buf, "/", 1) < 0 ||
		       buf_append(buf, name, strlen(name)) < 0)) ||
	    buf_append(buf, "", 1) < 0)
		return NULL;
	return buf->p;
}

/* The exec of a file named through descriptor fd (kind). */
static int resolve_by_fd(struct image *img, const struct exec_path_in *in,
			 struct buf *buf, enum exec_fd kind, int fd)
{
	const char *exe = img->exe;
	char *asked = fd_name(buf, fd, in->path0);

	if (!asked)
		return -1;
	if (is_script(img, in, asked)) {
		img->interpreter = img->exe;
	} else if (img->success && exe && exe[0] == '/' &&
		   (kind == EXEC_FD_FILE ||
		    strcmp(path_base(exe), path_base(in->path0)) == 0)) {
		return set_clean(img, buf, exe, NULL);
	}
	img->executable = asked;
	img->name = path_base(asked);
	return 0;
}

int exec_path_resolve(struct image *img, const struct exec_path_in *in,
		      struct buf *buf, enum exec_fd *fd_kind, int *fd)
{
	const char *path = in->path0;
	bool usable = path && *path, relative = path && path[0] != '/';

	*fd_kind = EXEC_FD_NONE;
	*fd = -1;
	/* execveat: a relative (or empty) name is relative to dirfd */
	if (path && relative && in->execveat && in->have_dirfd &&
	    in->dirfd >= 0) {
		*fd_kind = *path ? EXEC_FD_DIR : EXEC_FD_FILE;
		*fd = in->dirfd;
		return resolve_by_fd(img, in, buf, *fd_kind, *fd);
	}
	if (usable && relative && in->execveat &&
	    !(in->have_dirfd && in->dirfd == EP_AT_FDCWD))
		usable = false;
	if (usable && relative && !(in->cwd && in->cwd[0] == '/'))
		usable = false;
	if (usable) {
		if (set_clean(img, buf, path, in->cwd) < 0)
			return -1;
	} else if (path && *path && is_script(img, in, path)) {
		/* exe= is the interpreter: the script's own name, relative */
		if (set_clean(img, buf, path, NULL) < 0)
			return -1;
	} else if (img->success && img->exe && img->exe[0] == '/') {
		/* no usable PATH: the new image is what exe= names */
		return set_clean(img, buf, img->exe, NULL);
	} else if (path && *path) {
		/* a failed exec keeps the name it tried, as given */
		if (set_clean(img, buf, path, NULL) < 0)
			return -1;
	}
	if (is_script(img, in, path))
		img->interpreter = img->exe;
	return 0;
}
