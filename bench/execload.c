/* execload.c - fork and exec a program at a fixed rate, an exec-heavy load */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: execload [-r RATE] [-d SECONDS] [PROGRAM]
 * Forks and execs PROGRAM (default /bin/true, with no arguments) RATE times
 * a second (default 1000) for SECONDS (default 10): RATE * SECONDS execs in
 * all. The i-th exec starts at start + i / RATE on the monotonic clock
 * (clock_nanosleep with TIMER_ABSTIME), so that time lost in one fork is
 * made up by the next ones instead of lowering the rate. A shell loop
 * cannot keep such a rate, and it would exec helpers of its own.
 * Prints "execs N failed N seconds S rate R max_late_ms L cpu_ms C" to
 * stdout: failed counts forks that failed and children that did not exit
 * 0; max_late_ms is how far behind its schedule the latest exec started;
 * cpu_ms is the CPU time (user and system, getrusage(2)) of execload and
 * of its children: the forks and execs themselves, with what the kernel's
 * audit does in them (rule checks, building the records).
 * Exits 1 if any exec failed.
 */

static char path_env[] = "PATH=/usr/bin:/bin";

static double ts_ms(const struct timespec *t)
{
	return (double)t->tv_sec * 1e3 + (double)t->tv_nsec / 1e6;
}

static double tv_ms(const struct timeval *t)
{
	return (double)t->tv_sec * 1e3 + (double)t->tv_usec / 1e3;
}

/* CPU time of this process and its reaped children, in ms */
static double cpu_ms(void)
{
	struct rusage self, kids;

	if (getrusage(RUSAGE_SELF, &self) != 0 ||
	    getrusage(RUSAGE_CHILDREN, &kids) != 0)
		return -1;
	return tv_ms(&self.ru_utime) + tv_ms(&self.ru_stime) +
	       tv_ms(&kids.ru_utime) + tv_ms(&kids.ru_stime);
}

/* reap: collect exited children; counts the ones that failed */
static void reap(int flags, unsigned long *live, unsigned long *failed)
{
	pid_t pid;
	int st;

	while (*live > 0) {
		pid = waitpid(-1, &st, flags);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		(*live)--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			(*failed)++;
	}
}

int main(int argc, char **argv)
{
	unsigned long rate = 1000, i, n, live = 0, failed = 0;
	double seconds = 10, late, max_late = 0, elapsed;
	struct timespec start, next, now;
	const char *prog = "/bin/true";
	char *child_argv[2], *child_env[2];
	long long off_ns;
	pid_t pid;
	int opt;

	while ((opt = getopt(argc, argv, "r:d:")) != -1) {
		switch (opt) {
		case 'r':
			rate = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			seconds = strtod(optarg, NULL);
			break;
		default:
			fprintf(stderr, "usage: execload [-r RATE] "
					"[-d SECONDS] [PROGRAM]\n");
			return 2;
		}
	}
	if (optind < argc)
		prog = argv[optind];
	if (rate == 0 || rate > 1000000 || !(seconds > 0 && seconds < 86400)) {
		fprintf(stderr, "execload: bad rate or duration\n");
		return 2;
	}
	child_argv[0] = (char *)prog;
	child_argv[1] = NULL;
	child_env[0] = path_env;
	child_env[1] = NULL;
	n = (unsigned long)((double)rate * seconds + 0.5);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n; i++) {
		off_ns = (long long)((double)i * 1e9 / (double)rate);
		next.tv_sec = start.tv_sec + (time_t)(off_ns / 1000000000);
		next.tv_nsec = start.tv_nsec + (long)(off_ns % 1000000000);
		if (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		clock_gettime(CLOCK_MONOTONIC, &now);
		late = ts_ms(&now) - ts_ms(&next);
		if (late > max_late)
			max_late = late;
		pid = fork();
		if (pid == 0) {
			execve(prog, child_argv, child_env);
			_exit(127);
		}
		if (pid < 0)
			failed++;
		else
			live++;
		reap(WNOHANG, &live, &failed);
	}
	reap(0, &live, &failed);
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (ts_ms(&now) - ts_ms(&start)) / 1e3;
	printf("execs %lu failed %lu seconds %.3f rate %.1f max_late_ms %.1f "
	       "cpu_ms %.1f\n",
	       n, failed, elapsed, elapsed > 0 ? (double)n / elapsed : 0.0,
	       max_late, cpu_ms());
	return failed ? 1 : 0;
}
