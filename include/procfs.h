/* procfs.h - the one module that reads /proc, under a replaceable root */
#ifndef PROCFS_H
#define PROCFS_H

#include <stdint.h>
#include <sys/types.h>

#include "image.h"

struct procfs;

/* Read processes under root ("/proc" when NULL). Returns NULL on ENOMEM;
 * free with procfs_free. */
struct procfs *procfs_create(const char *root);
void procfs_free(struct procfs *pfs);

/*
 * Read /proc/PID (cmdline, exe, comm, stat, status, cwd) into a new image
 * with source IMAGE_SRC_PROC and start_ticks set. A #! script is reported
 * as the executable, its interpreter in image->interpreter (the kernel names
 * the task after the script, and argv holds the interpreter then the
 * script). A script handed to an interpreter ("sh script", where comm is
 * "sh") is not: there the interpreter is what was executed, exactly as the
 * audit stream reports it, and args show the script. Since a process can
 * set its own argv and comm, the script is taken only when its file is a
 * #! script naming the interpreter the process runs (its exe), looked up
 * in the process's root; otherwise the executable is exe. A script the
 * kernel ran through a descriptor (argv names /dev/fd/N/NAME or /dev/fd/N)
 * is named by the path that descriptor holds while it is open. Returns
 * NULL if the process is gone or unreadable; the caller frees with
 * image_free.
 */
struct image *procfs_read(struct procfs *pfs, pid_t pid);

/*
 * The path that descriptor fd of PID names now (readlink of
 * /proc/PID/fd/N, without a " (deleted)" suffix): for an execveat(2)
 * through a descriptor, the directory (or file) the records cannot name,
 * read while the process lives. Returns a new string (the caller frees
 * it), or NULL when the process or the descriptor is gone or unreadable,
 * or when it names no path (a pipe, a socket, an anonymous inode). When
 * start_ticks is not NULL it gets PID's start time, read through the same
 * /proc/PID, so that the caller can check that PID is still the process
 * that ran the exec (it started no later than the exec).
 */
char *procfs_fd_path(struct procfs *pfs, pid_t pid, int fd,
		     uint64_t *start_ticks);

/* Start time of PID in clock ticks after boot. Returns 0, or -1 if gone. */
int procfs_start_ticks(struct procfs *pfs, pid_t pid, uint64_t *ticks);

/* Convert an audit event time to clock ticks after boot, for comparison
 * with start_ticks. Returns 0, or -1 when the boot time is unknown. */
int procfs_time_to_ticks(struct procfs *pfs, int64_t sec, uint32_t msec,
			 uint64_t *ticks);

/* Convert clock ticks after boot back to wall time (the inverse of
 * procfs_time_to_ticks). Returns 0, or -1 when the boot time is unknown. */
int procfs_ticks_to_time(struct procfs *pfs, uint64_t ticks, int64_t *sec,
			 uint32_t *msec);

/*
 * Fix the boot time (wall clock, in seconds and nanoseconds since the epoch)
 * instead of deriving it from CLOCK_REALTIME - CLOCK_BOOTTIME; for tests on a
 * fake root. A non-default root whose ROOT/stat holds a "btime N" line gets
 * that boot time at creation.
 */
void procfs_set_boot_time(struct procfs *pfs, int64_t sec, long nsec);

/* Call fn for every numeric entry under root; stops early when fn returns
 * non-zero. Returns 0, or -1 if root cannot be read. */
int procfs_foreach(struct procfs *pfs, int (*fn)(pid_t pid, void *arg),
		   void *arg);

#endif /* PROCFS_H */
