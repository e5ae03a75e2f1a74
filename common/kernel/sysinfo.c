// SPDX-License-Identifier: GPL-2.0-or-later
#include "sysinfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "logsummary.h"
#include "tasks.h"

/* struct new_utsname is UAPI: six char[__NEW_UTS_LEN + 1 = 65] in a row. */
#define UTS_LEN 65
enum { UTS_SYSNAME, UTS_NODENAME, UTS_RELEASE, UTS_VERSION, UTS_MACHINE };

static void why(struct vm_sysinfo *si, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void why(struct vm_sysinfo *si, const char *fmt, ...)
{
	size_t n = strlen(si->why);
	va_list ap;

	if (n + 3 >= sizeof(si->why))
		return;
	if (n) {
		memcpy(si->why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(si->why + n, sizeof(si->why) - n, fmt, ap);
	va_end(ap);
}

static void set_str(char *dst, size_t dlen, bool *have, const char *src)
{
	if (!src || !*src)
		return;
	snprintf(dst, dlen, "%s", src);
	*have = true;
}

static int read_uts(struct vm_kernel *k, struct vm_mem *m, char uts[5][UTS_LEN],
		    struct vm_err *e)
{
	uint64_t addr, off = 0;
	int i;

	if (vm_kernel_symbol(k, "init_uts_ns", &addr, e) < 0)
		return -1;
	if (vm_kernel_offsetof(k, "uts_namespace", "name", &off, NULL, e) < 0)
		return -1;
	for (i = 0; i < 5; i++) {
		if (vm_kread(m, addr + off + (uint64_t)i * UTS_LEN, uts[i],
			     UTS_LEN, e) < 0)
			return -1;
		uts[i][UTS_LEN - 1] = '\0';
	}
	return 0;
}

static void collect_uts(struct vm_kernel *k, struct vm_mem *m,
			struct vm_sysinfo *si)
{
	const struct vm_dump_info *di = vm_dump_info(k->dump);
	char uts[5][UTS_LEN];
	struct vm_err e = { 0 };

	/* Memory first: it is what the running kernel said about itself.  The
	 * kdump header copies the same utsname; VMCOREINFO has the release. */
	if (m && read_uts(k, m, uts, &e) == 0) {
		set_str(si->release, sizeof(si->release), &si->have_release, uts[UTS_RELEASE]);
		set_str(si->version, sizeof(si->version), &si->have_version, uts[UTS_VERSION]);
		set_str(si->machine, sizeof(si->machine), &si->have_machine, uts[UTS_MACHINE]);
		set_str(si->nodename, sizeof(si->nodename), &si->have_nodename, uts[UTS_NODENAME]);
	} else if (m) {
		why(si, "utsname from memory: %s", e.msg);
	}
	if (!si->have_release)
		set_str(si->release, sizeof(si->release), &si->have_release,
			k->vi ? vm_vmci_get(k->vi, "OSRELEASE") : NULL);
	if (!si->have_release)
		set_str(si->release, sizeof(si->release), &si->have_release, di->uts_release);
	if (!si->have_version)
		set_str(si->version, sizeof(si->version), &si->have_version, di->uts_version);
	if (!si->have_machine)
		set_str(si->machine, sizeof(si->machine), &si->have_machine, di->uts_machine);
	if (!si->have_nodename)
		set_str(si->nodename, sizeof(si->nodename), &si->have_nodename, di->uts_nodename);
	if (!si->have_machine) {
		const struct vm_arch *a = vm_arch_by_machine(di->e_machine);

		if (a)
			set_str(si->machine, sizeof(si->machine), &si->have_machine, a->name);
	}
}

/* Population count of a kernel cpumask of nr_cpu_ids bits. */
static int count_mask(struct vm_kernel *k, struct vm_mem *m, const char *sym,
		      unsigned nbits, struct vm_err *e)
{
	uint64_t addr, word;
	unsigned i;
	int n = 0;

	if (vm_kernel_symbol(k, sym, &addr, e) < 0)
		return -1;
	for (i = 0; i < nbits; i += 64) {
		if (vm_kread_u64(m, addr + i / 8, &word, e) < 0)
			return -1;
		if (nbits - i < 64)
			word &= (1ULL << (nbits - i)) - 1;
		n += __builtin_popcountll(word);
	}
	return n;
}

static void collect_cpus(struct vm_kernel *k, struct vm_mem *m,
			 struct vm_sysinfo *si)
{
	const struct vm_dump_info *di = vm_dump_info(k->dump);
	struct vm_err e = { 0 };
	uint64_t addr;
	uint32_t nr_ids;
	int present, online;

	si->cpus = di->nr_cpus;
	si->cpus_online = -1;
	if (!m)
		return;
	/* nr_cpu_ids bounds the masks; a hostile value is capped by the
	 * largest NR_CPUS any distribution builds (8192). */
	if (vm_kernel_symbol(k, "nr_cpu_ids", &addr, &e) < 0 ||
	    vm_kread_u32(m, addr, &nr_ids, &e) < 0) {
		why(si, "CPU masks: %s", e.msg);
		return;
	}
	if (nr_ids == 0 || nr_ids > 8192) {
		why(si, "CPU masks: nr_cpu_ids %u is implausible", nr_ids);
		return;
	}
	present = count_mask(k, m, "__cpu_present_mask", nr_ids, &e);
	online = present < 0 ? -1 : count_mask(k, m, "__cpu_online_mask", nr_ids, &e);
	if (present <= 0 || online < 0) {
		why(si, "CPU masks: %s", e.msg);
		return;
	}
	si->cpus = present;
	si->cpus_online = online;
}

/* QEMU dumps have no crash time in a header: fall back to the timekeeper's
 * wall-clock seconds, tk_core.timekeeper.xtime_sec.  tk_core is an anonymous
 * struct { seqcount_raw_spinlock_t seq; struct timekeeper timekeeper; }
 * (kernel/time/timekeeping.c since v3.17), so the timekeeper starts at
 * sizeof(seq) rounded up to its 8-byte alignment. */
static int read_xtime(struct vm_kernel *k, struct vm_mem *m, int64_t *sec,
		      struct vm_err *e)
{
	uint64_t addr, seqsz, off, v;

	if (vm_kernel_symbol(k, "tk_core", &addr, e) < 0 ||
	    vm_kernel_sizeof(k, "seqcount_raw_spinlock_t", &seqsz, e) < 0 ||
	    vm_kernel_offsetof(k, "timekeeper", "xtime_sec", &off, NULL, e) < 0 ||
	    vm_kread_u64(m, addr + ((seqsz + 7) & ~7ULL) + off, &v, e) < 0)
		return -1;
	*sec = (int64_t)v;
	return 0;
}

int vm_crash_time(struct vm_kernel *k, int64_t *t, const char **src, struct vm_err *e)
{
	const struct vm_dump_info *di = vm_dump_info(k->dump);
	struct vm_err xe = { 0 };

	if (k->vi && vm_vmci_dec(k->vi, "CRASHTIME", t) == 0) {
		*src = "VMCOREINFO CRASHTIME";
	} else if (di->timestamp_sec > 0) {
		*t = di->timestamp_sec;
		*src = "kdump header";
	} else if (k->mem && read_xtime(k, k->mem, t, &xe) == 0 && *t > 0) {
		*src = "timekeeper xtime_sec";
	} else {
		return vm_fail(e, VM_ENOENT, "%s", xe.msg[0] ? xe.msg :
			       "none in the dump (no CRASHTIME, no header timestamp, "
			       "no readable timekeeper)");
	}
	return 0;
}

static void collect_time(struct vm_kernel *k, struct vm_sysinfo *si)
{
	struct vm_err e = { 0 };

	if (vm_crash_time(k, &si->crash_time, &si->time_source, &e) < 0) {
		why(si, "crash time: %s", e.msg);
		return;
	}
	si->have_time = true;
}

/* What the dump is: its format (and the format inside a flattened one,
 * the parts of a split set), the compression of its pages, whether pages
 * were left out. */
static void collect_dump(struct vm_kernel *k, struct vm_sysinfo *si)
{
	vm_dump_describe(k->dump, si->format, sizeof(si->format));
	si->partial = vm_dump_info(k->dump)->partial;
}

uint64_t vm_sysinfo_round_memory(uint64_t bytes)
{
	const uint64_t gib = 1ULL << 30, mib = 1ULL << 20;
	uint64_t next = (bytes + gib - 1) / gib * gib;

	if (next - bytes <= 64 * mib)
		return next;
	return bytes;
}

/* Sum of node_present_pages over node_data[]: what the kernel counted as
 * RAM.  Needs pglist_data.node_present_pages from types (VMCOREINFO lists
 * only node_spanned_pages). */
static int node_present(struct vm_kernel *k, struct vm_mem *m, uint64_t *pages,
			struct vm_err *e)
{
	uint64_t nd, len, off, p, n, total = 0, i;

	if (vm_kernel_symbol(k, "node_data", &nd, e) < 0 ||
	    vm_kernel_offsetof(k, "pglist_data", "node_present_pages", &off, NULL, e) < 0)
		return -1;
	if (!k->vi || vm_vmci_length(k->vi, "node_data", &len) < 0)
		len = 1;
	if (len > 1024)
		len = 1024;
	for (i = 0; i < len; i++) {
		if (vm_kread_u64(m, nd + i * 8, &p, e) < 0)
			return -1;
		if (!p)
			continue;
		if (vm_kread_u64(m, p + off, &n, e) < 0)
			return -1;
		total += n;
	}
	*pages = total;
	return total ? 0 : vm_fail(e, VM_ECORRUPT, "node_data[] has no pages");
}

static void collect_memory(struct vm_kernel *k, struct vm_mem *m,
			   struct vm_sysinfo *si)
{
	const struct vm_dump_info *di = vm_dump_info(k->dump);
	struct vm_err e = { 0 };
	uint64_t pages = 0;

	si->page_size = m ? vm_mem_page_size(m) : di->page_size;
	if (m && node_present(k, m, &pages, &e) == 0) {
		si->memory_bytes = vm_sysinfo_round_memory(pages * si->page_size);
		return;
	}
	why(si, "node_present_pages: %s; MEMORY from the dump's page count", e.msg);
	si->memory_bytes = vm_sysinfo_round_memory(di->ram_pages * (uint64_t)di->page_size);
}

static void collect_misc(struct vm_kernel *k, struct vm_mem *m,
			 struct vm_sysinfo *si)
{
	struct vm_err e = { 0 };
	uint64_t addr, v;
	uint32_t khz;
	int i;

	if (!m)
		return;
	if (vm_kernel_symbol(k, "tainted_mask", &addr, &e) == 0 &&
	    vm_kread_u64(m, addr, &v, &e) == 0) {
		si->taint = v;
		si->have_taint = true;
	} else {
		why(si, "taint: %s", e.msg);
	}
	/* cpu_khz: x86's calibrated clock; other arches have none to read. */
	if (vm_kernel_symbol(k, "cpu_khz", &addr, &e) == 0 &&
	    vm_kread_u32(m, addr, &khz, &e) == 0)
		si->mhz = khz / 1000;
	if (vm_kernel_symbol(k, "avenrun", &addr, &e) == 0) {
		for (i = 0; i < 3; i++)
			if (vm_kread_u64(m, addr + 8 * (uint64_t)i, &si->loadavg[i], &e) < 0)
				break;
		si->have_loadavg = i == 3;
	}
	if (!si->have_loadavg)
		why(si, "load average: %s", e.msg);
}

static void collect_log(struct vm_kernel *k, struct vm_sysinfo *si)
{
	struct vm_err e = { 0 };
	struct vm_printk_summary ps;

	if (vm_printk_summary(k, &ps, &e) < 0) {
		why(si, "log: %s", e.msg);
		return;
	}
	if (ps.have_last_ts) {
		si->uptime_ns = ps.last_ts_nsec;
		si->have_uptime = true;
	}
	if (ps.panic[0]) {
		snprintf(si->panic, sizeof(si->panic), "%s", ps.panic);
		si->have_panic = true;
	}
}

static void collect_tasks(struct vm_kernel *k, struct vm_sysinfo *si)
{
	struct vm_task_info t;
	struct vm_err e = { 0 };
	uint64_t listed, idle;

	if (vm_tasks_count2(k, &listed, &idle, &e) == 0) {
		si->tasks_listed = listed;
		si->tasks = listed + idle;
		si->have_tasks = true;
	} else {
		why(si, "tasks: %s", e.msg);
	}
	if (vm_panic_task(k, &t, &e) == 0) {
		si->have_ptask = true;
		si->ptask_pid = t.pid;
		snprintf(si->ptask_comm, sizeof(si->ptask_comm), "%s", t.comm);
		si->ptask = t.task;
		si->ptask_cpu = t.cpu;
		snprintf(si->ptask_state, sizeof(si->ptask_state), "%s", t.state_name);
	} else {
		why(si, "panic task: %s", e.msg);
	}
}

void vm_sysinfo_collect(struct vm_kernel *k, struct vm_sysinfo *si)
{
	struct vm_mem *m = k->mem;

	memset(si, 0, sizeof(*si));
	if (!m)
		why(si, "no kernel memory: %s", k->mem_err.msg);
	collect_dump(k, si);
	collect_uts(k, m, si);
	collect_cpus(k, m, si);
	collect_time(k, si);
	collect_memory(k, m, si);
	collect_misc(k, m, si);
	if (m) {
		collect_log(k, si);
		collect_tasks(k, si);
	}
	/* last: the collectors above may have searched for it */
	si->vmlinux = k->vmlinux_path;
}
