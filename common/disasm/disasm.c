// SPDX-License-Identifier: GPL-2.0-or-later
#include "disasm_impl.h"
#include "../rd.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dis_put(struct dis_buf *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (s->len + 1 >= s->n)
		return;
	va_start(ap, fmt);
	r = vsnprintf(s->p + s->len, s->n - s->len, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	s->len += (size_t)r;
	if (s->len >= s->n)
		s->len = s->n - 1;
}

struct vm_dis *vm_dis_open(uint16_t e_machine, enum vm_dis_syntax syntax,
			   struct vm_err *e)
{
	struct vm_dis *d;
	cs_arch arch;
	cs_mode mode;
	cs_err ce;

	switch (e_machine) {
	case EM_X86_64:
		arch = CS_ARCH_X86;
		mode = CS_MODE_64;
		break;
	case EM_AARCH64:
		arch = CS_ARCH_ARM64;
		mode = CS_MODE_LITTLE_ENDIAN;
		break;
	default:
		vm_fail(e, VM_EUNSUP, "no disassembler for ELF machine %u", e_machine);
		return NULL;
	}
	d = vm_calloc(1, sizeof(*d), e);
	if (!d)
		return NULL;
	d->machine = e_machine;
	d->syntax = syntax;
	ce = cs_open(arch, mode, &d->h);
	if (ce != CS_ERR_OK) {
		vm_fail(e, VM_EUNSUP, "capstone: %s", cs_strerror(ce));
		free(d);
		return NULL;
	}
	/* Operands are always read from the details, in Intel order on x86
	 * (capstone's AT&T mode drops implicit operands from them). */
	cs_option(d->h, CS_OPT_DETAIL, CS_OPT_ON);
	d->ci = cs_malloc(d->h);
	if (!d->ci) {
		vm_fail(e, VM_ENOMEM, "capstone: no memory for an instruction");
		cs_close(&d->h);
		free(d);
		return NULL;
	}
	if (e_machine == EM_X86_64) {
		d->format = vm_dis_x86_format;
		d->special = vm_dis_x86_special;
		d->min_len = 1;
		d->max_len = 15;
	} else {
		d->format = vm_dis_arm64_format;
		d->min_len = 4;
		d->max_len = 4;
	}
	return d;
}

void vm_dis_close(struct vm_dis *d)
{
	if (!d)
		return;
	cs_free(d->ci, 1);
	cs_close(&d->h);
	free(d);
}

unsigned vm_dis_max_len(const struct vm_dis *d)
{
	return d->max_len;
}

unsigned vm_dis_min_len(const struct vm_dis *d)
{
	return d->min_len;
}

static unsigned bad(const struct vm_dis *d, const uint8_t *code, size_t len, uint64_t addr,
		    struct vm_insn *out)
{
	unsigned n = d->min_len;

	memset(out, 0, sizeof(*out));
	out->addr = addr;
	if (n > len)
		n = len ? (unsigned)len : 1;
	out->len = n;
	if (len)
		memcpy(out->bytes, code, n < len ? n : len);
	out->bad = true;
	out->flow = VM_FLOW_STOP;
	/* gdb's words for it; arm64 objdump says ".inst 0x..." with the
	 * word, which tells more */
	if (d->machine == EM_AARCH64 && len >= 4) {
		snprintf(out->mnemonic, sizeof(out->mnemonic), ".inst");
		snprintf(out->operands, sizeof(out->operands), "0x%08x",
			 (unsigned)vm_le32(code));
	} else {
		snprintf(out->mnemonic, sizeof(out->mnemonic), "(bad)");
	}
	return n;
}

unsigned vm_dis_one(struct vm_dis *d, const uint8_t *code, size_t len, uint64_t addr,
		    struct vm_insn *out)
{
	const uint8_t *p = code;
	size_t n = len;
	uint64_t a = addr;

	memset(out, 0, sizeof(*out));
	out->addr = addr;
	if (len && d->special && d->special(d, code, len, out))
		return out->len;
	if (!len || !cs_disasm_iter(d->h, &p, &n, &a, d->ci) ||
	    d->ci->size == 0 || d->ci->size > VM_INSN_MAX)
		return bad(d, code, len, addr, out);
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	out->len = d->ci->size;
	memcpy(out->bytes, code, out->len);
	if (!d->format(d, d->ci, code, len, out))
		return bad(d, code, len, addr, out);
	return out->len;
}

void vm_insn_text(const struct vm_dis *d, const struct vm_insn *i,
		  vm_dis_symbolizer sym, void *arg, char *buf, size_t n)
{
	struct dis_buf s;
	char name[512];
	enum vm_dis_use use = !i->has_target ? VM_USE_REF
			      : i->flow == VM_FLOW_CALL ? VM_USE_CALL : VM_USE_JUMP;

	dis_buf_init(&s, buf, n);
	if (d->machine == EM_AARCH64) {
		/* objdump/gdb: mnemonic, a tab, operands */
		dis_put(&s, "%s", i->mnemonic);
		if (i->operands[0])
			dis_put(&s, "\t%s", i->operands);
		if ((i->has_target || i->has_ref) && sym &&
		    sym(arg, i->has_target ? i->target : i->ref, use, name, sizeof(name)))
			dis_put(&s, " <%s>", name);
		return;
	}
	/* binutils: mnemonic padded to 6, then one space, always */
	dis_put(&s, "%-6s %s", i->mnemonic, i->operands);
	if (i->has_target && sym && sym(arg, i->target, use, name, sizeof(name)))
		dis_put(&s, " <%s>", name);
	if (i->has_ref) {
		dis_put(&s, "        # 0x%llx", (unsigned long long)i->ref);
		if (sym && sym(arg, i->ref, VM_USE_REF, name, sizeof(name)))
			dis_put(&s, " <%s>", name);
	}
}
