// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cputime CMD [ARGS...]: run CMD (its stdout to /dev/null, its stderr
 * where ours goes) and print "CPU_US RSS_KB STATUS": the user + system CPU
 * time it used in microseconds, its peak resident set size and its exit
 * status (128 + the signal when killed), from wait4(2).  For
 * tests/bench.sh, whose runs take a few milliseconds (/usr/bin/time reports
 * CPU time in 10 ms steps), and tests/fuzz/programs.sh.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	pid_t pid;
	int st, fd;
	long long us;

	if (argc < 2) {
		fprintf(stderr, "usage: cputime CMD [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return 1;
	}
	us = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	     ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	printf("%lld %ld %d\n", us, ru.ru_maxrss,
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
