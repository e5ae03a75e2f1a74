/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What crash's start-up banner and `sys` show, gathered from whatever the
 * dump can tell: the dump's own header, VMCOREINFO, and kernel memory.
 * Every field is optional; a field that cannot be had stays unset and the
 * reason is kept for -v.
 */
#ifndef VM_SYSINFO_H
#define VM_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

#define VM_SI_STR 160

struct vm_sysinfo {
	char release[66], version[66], machine[66], nodename[66];
	bool have_release, have_version, have_machine, have_nodename;
	int cpus;                 /* present CPUs, or the dump's CPU count; -1 */
	int cpus_online;          /* -1 if unknown */
	int64_t crash_time;       /* seconds since the epoch; have_time */
	bool have_time;
	const char *time_source;  /* "VMCOREINFO CRASHTIME", "kdump header", ... */
	uint64_t memory_bytes;    /* RAM size as crash rounds it; 0 unknown */
	uint32_t page_size;
	uint64_t mhz;             /* 0 unknown */
	uint64_t taint;           /* tainted_mask */
	bool have_taint;
	uint64_t loadavg[3];      /* avenrun[], FSHIFT fixed point */
	bool have_loadavg;
	uint64_t uptime_ns;       /* from the log's last timestamp */
	bool have_uptime;
	char panic[VM_SI_STR];    /* panic/oops/BUG message from the log */
	bool have_panic;
	uint64_t tasks;           /* crash's TASKS: threads + one idle per CPU */
	uint64_t tasks_listed;    /* threads on the task lists (drgn's count) */
	bool have_tasks;
	/* the task that panicked */
	bool have_ptask;
	int32_t ptask_pid;
	char ptask_comm[17];
	uint64_t ptask;
	int ptask_cpu;
	char ptask_state[96];
	char why[1024];           /* -v: reasons fields are missing, "; "-joined */
};

/* Fills what it can; never fails (fields stay unset). */
void vm_sysinfo_collect(struct vm_kernel *k, struct vm_sysinfo *si);

/* crash's MEMORY rounding: a total within 64 MiB below a GiB boundary is
 * shown as that boundary (memory holes make RAM a bit less than installed). */
uint64_t vm_sysinfo_round_memory(uint64_t bytes);
/* "191.5 MB" / "4 GB" / "512 KB" as crash's pages_to_size formats sizes */
void vm_format_size(uint64_t bytes, char *buf, size_t len);
/* taint flags as the kernel prints them in oops headers ("G    B   O"),
 * compact form ("BO"); buf >= 32 */
void vm_format_taint(uint64_t mask, char *buf, size_t len);

#endif
