// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The x86_64 stack unwinder (common/arch/x86_64_unwind*.c, x86_64_orc.c):
 * ORC tables read from memory, exception frames, frame pointers, the
 * stack scan, all driven by stack contents and tables from the input.
 * Memory: the memory image (memimg.h) through a real struct vm_mem
 * (rawmem.h).  What the unwinder asks of the layers above comes from the
 * input's text, VMCOREINFO style:
 *   SYMBOL(name)=hex            symbols (__start_orc_unwind_ip, _stext ...)
 *   OFFSET(type.member)=dec     member offsets ("task_struct.thread.sp")
 *   SIZE(type)=dec              type sizes (pt_regs, thread_union ...)
 *   PERCPU(name)=hex            a per-CPU variable's address (every CPU)
 *   REG(name)=hex               start registers ("rip", "rsp", "rbp" ...)
 *   TASK=hex CPU=dec            the task and CPU of the walk (optional)
 *   ORC_VERSION=N               the ORC layout (0: found as for a dump; default 1)
 * Seeds: the panicking CPUs of the fixture dump (tests/gen/fuzzseeds orc):
 * their registers, their stack, and the ORC entries of every pc the real
 * unwinder met, as a compact table.
 */
#include "fuzz.h"
#include "memimg.h"
#include "rawmem.h"

#include "arch/unwind.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const defs[] = { FZ_COMMON_FLAGS, "-max_len=65536", NULL };

	fz_default_flags(argc, argv, defs);
	return 0;
}

static int cb_symbol(void *arg, const char *name, uint64_t *addr)
{
	return vm_vmci_symbol(arg, name, addr);
}

static int hex_key(const struct vm_vmcoreinfo *vi, const char *what, const char *name,
		   uint64_t *v)
{
	char key[160];
	const char *s;
	char *end;

	snprintf(key, sizeof(key), "%s(%s)", what, name);
	s = vm_vmci_get(vi, key);
	if (!s || !*s)
		return -1;
	*v = strtoull(s, &end, 16);
	return *end ? -1 : 0;
}

static int cb_percpu(void *arg, const char *name, int cpu, uint64_t *addr)
{
	return hex_key(arg, "PERCPU", name, addr);
}

static int cb_member(void *arg, const char *type, const char *member, uint64_t *off,
		     uint64_t *size)
{
	char key[160];

	snprintf(key, sizeof(key), "%s.%s", type, member);
	if (vm_vmci_offset(arg, key, off) < 0)
		return -1;
	if (size && vm_vmci_size(arg, key, size) < 0)
		*size = 8;
	return 0;
}

static int cb_size(void *arg, const char *type, uint64_t *size)
{
	return vm_vmci_size(arg, type, size);
}

static bool cb_is_text(void *arg, uint64_t pc)
{
	uint64_t s, t;

	return vm_vmci_symbol(arg, "_stext", &s) == 0 && vm_vmci_symbol(arg, "_etext", &t) == 0 &&
	       pc >= s && pc < t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_mem mem;
	struct vm_vmcoreinfo *vi;
	struct vm_unwind_env env = { 0 };
	struct vm_unwind_req req = { 0 };
	struct vm_unwind_res res = { 0 };
	struct vm_stack_area areas[VM_UNWIND_MAX_STACKS];
	const struct vm_unwind_ops *ops;
	const struct vm_arch *arch;
	struct vm_unwinder *u;
	struct vm_regs regs, r2;
	struct fz_raw raw;
	struct vm_err e;
	volatile uint64_t sink = 0;
	uint64_t task = 0;
	int64_t cpu = -1, ov;
	bool user;
	unsigned i;

	fz_mem_parse(&mem, data, size);
	vi = vm_vmcoreinfo_parse(mem.vi ? mem.vi : "", mem.vilen, &e);
	if (!vi)
		return 0;
	if (fz_raw_open(&raw, &mem, vi) < 0)
		goto out_vi;
	arch = vm_mem_arch(raw.m);
	ops = arch->unwind;
	if (!ops)
		goto out;
	env.arg = vi;
	env.symbol = cb_symbol;
	env.percpu = cb_percpu;
	env.member = cb_member;
	env.type_size = cb_size;
	env.is_text = cb_is_text;
	env.nr_cpus = 2;
	/* ORC_VERSION=N forces a layout (0: read it from the input); the
	 * seeds, cut from the 6.1 fixture, are v1 */
	env.orc_version = vm_vmci_dec(vi, "ORC_VERSION", &ov) == 0 && ov >= 0 && ov <= 4
				  ? (int)ov : 1;
	u = ops->open(raw.m, &env, &e);
	if (!u)
		goto out;
	memset(&regs, 0, sizeof(regs));
	regs.pid = -1;
	for (i = 0; i < arch->nr_regs && i < VM_MAX_REGS; i++)
		if (hex_key(vi, "REG", arch->reg_names[i], &regs.r[i]) == 0)
			regs.valid |= 1ull << i;
	vm_vmci_hex(vi, "TASK", &task);
	vm_vmci_dec(vi, "CPU", &cpu);
	req.task = task;
	req.cpu = cpu >= 0 && cpu < 4096 ? (int)cpu : -1;
	req.regs = regs.valid ? &regs : NULL;
	if (ops->walk(u, &req, &res, &e) == 0) {
		for (i = 0; i < res.n; i++) {
			const struct vm_frame *f = &res.frames[i];

			sink += f->pc + f->sp + f->slot + f->kind + f->how;
			if (f->kind == VM_FRAME_INTR && ops->regs_at(u, f->regs_addr, &r2, &user))
				sink += r2.r[0];
		}
		sink += strlen(res.stop);
		if (getenv("FZ_VERBOSE")) {
			fprintf(stderr, "orc: %u frames, %u stacks, stop: %s\n", res.n,
				res.nstacks, res.stop[0] ? res.stop : "-");
			for (i = 0; i < res.n; i++)
				fprintf(stderr, "orc: frame %u pc %llx sp %llx\n", i,
					(unsigned long long)res.frames[i].pc,
					(unsigned long long)res.frames[i].sp);
		}
	} else if (getenv("FZ_VERBOSE")) {
		fprintf(stderr, "orc: %s\n", e.msg);
	}
	vm_unwind_res_free(&res);
	/* a sleeping task's walk starts from its saved frame */
	if (task) {
		req.regs = NULL;
		if (ops->walk(u, &req, &res, &e) == 0)
			sink += res.n;
		vm_unwind_res_free(&res);
	}
	sink += ops->stacks(u, task, req.cpu, areas, VM_UNWIND_MAX_STACKS);
	sink += ops->regs_size(u) + strlen(ops->how(u));
	ops->close(u);
out:
	fz_raw_close(&raw);
out_vi:
	vm_vmcoreinfo_free(vi);
	(void)sink;
	return 0;
}
