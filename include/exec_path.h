/* exec_path.h - which file an exec ran, named from what its records say */
#ifndef EXEC_PATH_H
#define EXEC_PATH_H

#include <stdbool.h>

#include "image.h"
#include "util.h"

/* How an execveat(2) named its file through a descriptor of the caller. */
enum exec_fd {
	EXEC_FD_NONE = 0, /* by path (or relative to AT_FDCWD) */
	EXEC_FD_DIR,	  /* PATH item 0 is a name relative to directory fd */
	EXEC_FD_FILE,	  /* PATH item 0 is empty (AT_EMPTY_PATH, fexecve(3)):
			   * fd is the file itself */
};

/* What the records of one exec say about the file it ran (decoded; NULL
 * where the records have none). */
struct exec_path_in {
	const char *path0; /* PATH item 0's name: what was asked to run */
	const char *path1; /* PATH item 1's name: a #! script's interpreter */
	const char *cwd;   /* the CWD record */
	bool execveat;	   /* the syscall was execveat(2), not execve(2) */
	bool have_dirfd;   /* execveat's a0 was logged: */
	int dirfd;	   /* AT_FDCWD (-100), a descriptor, or garbage */
};

/*
 * Set img->executable, img->name (its last component) and img->interpreter
 * from in and from img->success, img->exe, img->args and img->argc, which
 * must be set. The executable is:
 *  - PATH item 0, made absolute against cwd and cleaned lexically; for a
 *    #! script (the kernel rewrote argv to "interpreter [arg] script ..."
 *    and logged the interpreter as PATH item 1) the script, with exe= as
 *    the interpreter;
 *  - exe= when PATH item 0 cannot be used (none, or relative without an
 *    absolute cwd or to an unknown descriptor) and the exec succeeded;
 *    but for a #! script, whose exe= is its interpreter, PATH item 0
 *    cleaned lexically and left relative ("./dracut" run from a cwd the
 *    kernel logs as "<too_long>" is "dracut"): the one name the records
 *    give the script;
 *  - for a failed exec without a usable PATH name, the name as given.
 * When execveat names the file through a descriptor N (*fd_kind not
 * EXEC_FD_NONE, *fd = N), the records cannot name the directory, and the
 * executable is:
 *  - for a #! script, what the kernel itself called it and wrote into its
 *    argv: /dev/fd/N/NAME (EXEC_FD_DIR) or /dev/fd/N (EXEC_FD_FILE), not
 *    cleaned (.. cannot be resolved across a descriptor);
 *  - otherwise, for a successful exec, exe=, which names the file that
 *    runs, when it is absolute and (EXEC_FD_DIR) its last component is
 *    NAME, PATH item 0's;
 *  - else /dev/fd/N/NAME, so that img->name is NAME, the name asked for
 *    (the rule tests it), or /dev/fd/N when no record names the file
 *    (EXEC_FD_FILE).
 * The strings are written into buf, which the caller owns: img points into
 * it (and into in and img->exe) until buf is changed. *fd_kind and *fd are
 * EXEC_FD_NONE and -1 when no descriptor named the file. Returns 0, or -1
 * on ENOMEM.
 */
int exec_path_resolve(struct image *img, const struct exec_path_in *in,
		      struct buf *buf, enum exec_fd *fd_kind, int *fd);

#endif /* EXEC_PATH_H */
