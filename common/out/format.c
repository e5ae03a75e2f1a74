// SPDX-License-Identifier: GPL-2.0-or-later
#include "format.h"

#include "../kernel/tasks.h"
#include "../symbols/symbols.h"

#include <inttypes.h>
#include <string.h>

/* a symbol of unknown size (kallsyms, System.map) covers at most this much */
#define UNSIZED_SPAN 0x10000

const struct vm_sym *vm_sym_format(struct vm_symtab *st, uint64_t addr, unsigned flags,
				   char *buf, size_t len, uint64_t *off)
{
	bool ret = flags & VM_SYMF_RET;
	const struct vm_sym *s;
	uint64_t o = 0;

	if (len)
		buf[0] = '\0';
	if (!st)
		return NULL;
	s = vm_sym_by_addr(st, ret ? addr - 1 : addr, &o);
	if (!s)
		return NULL;
	if (ret)
		o++;
	if ((flags & VM_SYMF_INSIDE) &&
	    (s->size ? o > s->size || (o == s->size && !(flags & VM_SYMF_END_OK))
		     : o >= UNSIZED_SPAN))
		return NULL;
	if ((flags & VM_SYMF_NO_MARKERS) && !s->size && !s->module &&
	    vm_symtab_source(st) == VM_SYMSRC_VMLINUX)
		return NULL;
	if (off)
		*off = o;
	vm_format_symoff(s->name, o, flags, buf, len);
	return s;
}

void vm_format_symoff(const char *name, uint64_t off, unsigned flags, char *buf,
		      size_t len)
{
	if ((flags & VM_SYMF_OFF) && off)
		snprintf(buf, len, (flags & VM_SYMF_HEX) ? "%s+0x%" PRIx64 : "%s+%" PRIu64,
			 name, off);
	else
		snprintf(buf, len, "%s", name);
}

void vm_format_duration(uint64_t ns, char *buf, size_t len)
{
	uint64_t s = ns / 1000000000u, d = s / 86400;

	s %= 86400;
	if (d)
		snprintf(buf, len, "%" PRIu64 " days, %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 d, s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 s / 3600, s / 60 % 60, s % 60);
}

void vm_format_size(uint64_t bytes, char *buf, size_t len)
{
	const double kib = 1024.0, mib = kib * 1024, gib = mib * 1024;
	double t = (double)bytes;
	char *p;

	if (!bytes)
		snprintf(buf, len, "0");
	else if (t >= gib)
		snprintf(buf, len, "%.1f GB", t / gib);
	else if (t >= mib)
		snprintf(buf, len, "%.1f MB", t / mib);
	else
		snprintf(buf, len, "%lu KB", (unsigned long)(t / kib));
	/* whole numbers read "4 GB", not "4.0 GB" */
	p = strstr(buf, ".0 ");
	if (p)
		memmove(p, p + 2, strlen(p + 2) + 1);
}

void vm_format_taint(uint64_t mask, char *buf, size_t len)
{
	/* kernel/panic.c taint_flags[], bit order; 'G' stands for a clear
	 * bit 0 only in the kernel's long form, not here. */
	static const char letters[] = "PFSRMBUDAWCIOELKXTN";
	size_t i, n = 0;

	for (i = 0; i < sizeof(letters) - 1 && n + 1 < len; i++)
		if (mask & (1ULL << i))
			buf[n++] = letters[i];
	if (len)
		buf[n < len ? n : len - 1] = '\0';
}

const char *vm_format_cpu(int cpu, char *buf, size_t len)
{
	if (cpu < 0)
		return "-";
	snprintf(buf, len, "%d", cpu);
	return buf;
}

void vm_out_task_header(FILE *f, const struct vm_task_info *t, const char *indent)
{
	char cb[16];

	fprintf(f, "%sPID: %-7" PRId32 "  TASK: %-16" PRIx64 "  CPU: %-3s  COMMAND: \"%s\"\n",
		indent, t->pid, t->task, vm_format_cpu(t->cpu, cb, sizeof(cb)), t->comm);
}
