/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest helper for the fixture kernels: leave a task in uninterruptible
 * sleep ("D") for the dump.  The parent calls vfork(); the kernel parks it
 * in wait_for_vfork_done() in TASK_KILLABLE (TASK_UNINTERRUPTIBLE|
 * TASK_WAKEKILL, shown as "D") until the child execs or exits, and the
 * child never does: it blocks in ppoll() with no descriptors and no
 * timeout (arm64 has no pause()), using only the syscall() wrapper on the
 * stack it borrows from the parent.
 */
#include <stddef.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		for (;;)
			syscall(SYS_ppoll, NULL, 0, NULL, NULL, 8);
	return pid < 0;
}
