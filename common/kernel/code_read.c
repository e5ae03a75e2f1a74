// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Code bytes (the dump's memory, the vmlinux, a module's relocated .ko),
 * one instruction at a time, with its symbol and source line.
 */
#include "code_impl.h"

#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

/* ---- the vmlinux's bytes ---- */

static struct vm_elffile *vmimg(struct vm_code *c, struct vm_err *e);

struct vm_elffile *vm_code_vmimg_if_open(struct vm_code *c)
{
	struct vm_err ie;

	/* only a vmlinux the user named: no search for this */
	if (!c->vmimg_tried && c->k->opts && c->k->opts->vmlinux)
		return vmimg(c, &ie);
	return c->vmimg;
}

static struct vm_elffile *vmimg(struct vm_code *c, struct vm_err *e)
{
	const char *path;

	if (!c->vmimg_tried) {
		c->vmimg_tried = true;
		path = vm_code_vmlinux(c, &c->vmimg_err);
		if (path)
			c->vmimg = vm_elffile_open(path, &c->vmimg_err);
	}
	if (!c->vmimg)
		*e = c->vmimg_err;
	return c->vmimg;
}

/* The vmlinux's bytes at link-time address link into b (zero where no
 * section holds any); false if none did. */
static int file_bytes(struct vm_elffile *img, uint64_t link, uint8_t *b, size_t len,
		      bool *any, struct vm_err *e)
{
	unsigned i, nsec = vm_elffile_nsec(img);

	memset(b, 0, len);
	*any = false;
	for (i = 1; i < nsec; i++) {
		const struct vm_elfsec *s = vm_elffile_sec(img, i);
		uint64_t lo, hi;
		const uint8_t *d;
		size_t n;

		if (!(s->flags & SHF_ALLOC) || s->type == SHT_NOBITS || !s->addr ||
		    s->addr >= link + len || s->addr + s->size <= link)
			continue;
		if (vm_elffile_sec_data(img, i, &d, &n, e) < 0)
			return -1;
		lo = s->addr > link ? s->addr : link;
		hi = s->addr + n < link + len ? s->addr + n : link + len;
		if (hi > lo) {
			memcpy(b + (lo - link), d + (lo - s->addr), hi - lo);
			*any = true;
		}
	}
	return 0;
}

bool vm_code_in_vmlinux(struct vm_code *c, uint64_t addr)
{
	struct vm_elffile *img = vm_code_vmimg_if_open(c);
	uint64_t link = addr - c->slide;
	unsigned i, nsec;

	if (!img)
		return false;
	nsec = vm_elffile_nsec(img);
	for (i = 1; i < nsec; i++) {
		const struct vm_elfsec *s = vm_elffile_sec(img, i);

		if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS && s->addr &&
		    link >= s->addr && link - s->addr < s->size)
			return true;
	}
	return false;
}

/* A page of the vmlinux at run-time address base, relocated as the boot
 * code relocated the kernel (kreloc.h) when the file tells how. */
static int file_page_vmlinux(struct vm_code *c, uint64_t base, uint8_t *b, struct vm_err *e)
{
	struct vm_elffile *img = vmimg(c, e);
	uint64_t link = base - c->slide;
	uint8_t wide[PAGE + 16];
	bool any;

	if (!img)
		return -1;
	if (!c->kreloc_tried) {
		c->kreloc_tried = true;
		if (c->slide)
			c->kreloc = vm_kreloc_open(img, &c->kreloc_err);
		if (c->kreloc)
			vm_kernel_note(c->k, "--file: %zu boot relocations for KASLR from %s",
				       vm_kreloc_count(c->kreloc), vm_elffile_path(img));
		else if (c->slide)
			vm_kernel_note(c->k, "--file: the vmlinux's code is not relocated for "
				       "KASLR: %s", c->kreloc_err.msg);
	}
	/* 8 bytes either side: relocated fields across the page's edges */
	if (file_bytes(img, link - 8, wide, sizeof(wide), &any, e) < 0)
		return -1;
	if (!any)
		return vm_fail(e, VM_ENOENT, "%s holds nothing at 0x%" PRIx64 " (0x%" PRIx64
			       " before KASLR)", vm_elffile_path(img), base, link);
	if (c->kreloc)
		vm_kreloc_apply(c->kreloc, link - 8, wide, sizeof(wide), c->slide);
	memcpy(b, wide + 8, PAGE);
	return 0;
}

static int file_page_module(struct vm_code *c, struct code_mod *cm, uint64_t base,
			    uint8_t *b, struct vm_err *e)
{
	struct vm_modko *ko = vm_code_modko(c, cm, e);
	struct vm_elffile *img;
	unsigned i, nsec;
	bool any = false;

	if (!ko)
		return -1;
	img = vm_modko_elf(ko);
	nsec = vm_elffile_nsec(img);
	memset(b, 0, PAGE);
	/* sections of a module need not fill the page: take what they hold */
	for (i = 1; i < nsec; i++) {
		const struct vm_elfsec *s = vm_elffile_sec(img, i);
		uint64_t at = vm_modko_section_addr(ko, i), lo, hi;
		const uint8_t *d;
		size_t n;

		if (!(s->flags & SHF_ALLOC) || s->type == SHT_NOBITS || !at ||
		    at >= base + PAGE || at + s->size <= base)
			continue;
		d = vm_modko_section_data(ko, i, &n, e);
		if (!d)
			return -1;
		lo = at > base ? at : base;
		hi = at + n < base + PAGE ? at + n : base + PAGE;
		if (hi > lo) {
			memcpy(b + (lo - base), d + (lo - at), hi - lo);
			any = true;
		}
	}
	if (!any)
		return vm_fail(e, VM_ENOENT, "%s: no loaded section holds 0x%" PRIx64,
			       vm_modko_path(ko), base);
	return 0;
}

static struct code_page *page(struct vm_code *c, enum vm_code_src src, uint64_t base)
{
	unsigned set = src == VM_CODE_FILE ? 2 : 0, i;
	struct code_page *p;

	for (i = 0; i < 2; i++)
		if (c->page[set + i].base == base)
			return &c->page[set + i];
	p = &c->page[set + c->page_next[src == VM_CODE_FILE]];
	c->page_next[src == VM_CODE_FILE] ^= 1;
	p->base = base;
	vm_err_clear(&p->err);
	if (src == VM_CODE_MEMORY) {
		p->ok = vm_kread(c->mem, base, p->b, PAGE, &p->err) == 0;
	} else {
		/* (the kernel's own code: no module walk for it) */
		struct code_mod *cm = vm_code_in_vmlinux(c, base) ? NULL : vm_code_mod(c, base);

		p->ok = (cm ? file_page_module(c, cm, base, p->b, &p->err)
			    : file_page_vmlinux(c, base, p->b, &p->err)) == 0;
	}
	return p;
}

long vm_code_bytes(struct vm_code *c, enum vm_code_src src, uint64_t addr, uint8_t *buf,
		   size_t len, struct vm_err *e)
{
	size_t got = 0;

	while (got < len) {
		uint64_t a = addr + got, base = a & ~(uint64_t)(PAGE - 1);
		struct code_page *p = page(c, src, base);
		size_t n = PAGE - (a - base);

		if (!p->ok) {
			if (!got) {
				uint8_t b;

				/* the reason for this address, not the page's */
				if (src != VM_CODE_MEMORY || vm_kread(c->mem, a, &b, 1, e) == 0)
					*e = p->err;
				vm_err_prefix(e, "code at 0x%" PRIx64 ": ", a);
				return -1;
			}
			break;
		}
		if (n > len - got)
			n = len - got;
		memcpy(buf + got, p->b + (a - base), n);
		got += n;
		if (a + n < a)
			break;   /* the top of the address space */
	}
	return (long)got;
}

/* ---- one instruction ---- */

static bool symbolizer(void *arg, uint64_t addr, enum vm_dis_use use, char *buf, size_t n)
{
	return vm_code_symbolize(arg, addr, use, buf, n);
}

bool vm_code_is_padding(const struct vm_code *c, const struct vm_insn *in)
{
	const char *m = in->mnemonic;

	if (vm_mem_arch(c->mem)->e_machine != EM_X86_64)
		return false;
	while (!strncmp(m, "data16 ", 7) || !strncmp(m, "cs ", 3))
		m += m[0] == 'd' ? 7 : 3;
	return !strncmp(m, "nop", 3) ||
	       (!strcmp(m, "xchg") && (!strcmp(in->operands, "%ax,%ax") ||
				       !strcmp(in->operands, "ax,ax")));
}

static struct vm_lines *lines_for(struct vm_code *c, uint64_t addr, uint64_t *slide,
				  struct vm_err *e)
{
	struct code_mod *cm = NULL;
	struct vm_modko *ko;
	const char *path;

	/* a vmlinux symbol needs no module walk */
	{
		uint64_t off;
		const struct vm_sym *s = vm_sym_by_addr(c->st, addr, &off);

		if (!s || s->module)
			cm = vm_code_mod(c, addr);
	}
	if (cm) {
		ko = vm_code_modko(c, cm, e);
		if (!ko)
			return NULL;
		*slide = 0;
		return vm_modko_lines(ko, e);
	}
	if (!c->lines_tried) {
		c->lines_tried = true;
		path = vm_code_vmlinux(c, &c->lines_err);
		if (path)
			c->lines = vm_lines_open(path, !vm_opt_has(c->k->opts, "nocache"),
						 &c->lines_err);
	}
	if (!c->lines)
		*e = c->lines_err;
	*slide = c->slide;
	return c->lines;
}

int vm_code_line(struct vm_code *c, uint64_t addr, struct vm_line *line,
		 struct vm_inline_frame *inl, unsigned *ninl, struct vm_err *e)
{
	struct vm_lines *l;
	struct vm_err ie;
	uint64_t slide = 0;
	int r, n;

	l = lines_for(c, addr, &slide, e);
	if (!l)
		return -1;
	r = vm_lines_addr(l, addr - slide, line, e);
	if (r < 0)
		return -1;
	if (inl) {
		n = vm_lines_inlines(l, addr - slide, inl, VM_CODE_MAX_INLINE, &ie);
		*ninl = n > 0 ? (unsigned)n : 0;
	}
	return r;
}

static void add_line(struct vm_code *c, struct vm_code_insn *out)
{
	struct vm_err ie;
	int r;

	vm_err_clear(&ie);
	r = vm_code_line(c, out->in.addr, &out->line, c->o.inlines ? out->inl : NULL,
			 &out->ninl, &ie);
	out->has_line = r == 1;
	/* a line table that could not be read: vm_code_lines_problem() says so */
	if (r < 0)
		c->line_err = ie;
}

const char *vm_code_lines_problem(struct vm_code *c, uint64_t addr)
{
	struct vm_err ie;
	uint64_t slide;

	if (lines_for(c, addr, &slide, &ie)) {
		if (!c->line_err.code)
			return NULL;
		ie = c->line_err;
	}
	snprintf(c->why, sizeof(c->why), "%s", ie.msg);
	return c->why;
}

int vm_code_decode(struct vm_code *c, enum vm_code_src src, uint64_t addr,
		   struct vm_code_insn *out, struct vm_err *e)
{
	uint8_t b[VM_INSN_MAX];
	long n;
	uint64_t off;
	const struct vm_sym *s;

	memset(out, 0, sizeof(*out));
	n = vm_code_bytes(c, src, addr, b, vm_dis_max_len(c->dis), e);
	if (n < 0)
		return -1;
	vm_dis_one(c->dis, b, (size_t)n, addr, &out->in);
	if (out->in.bad && (size_t)n < vm_dis_max_len(c->dis)) {
		/* cut short by an unreadable page: say which */
		vm_code_bytes(c, src, addr + (uint64_t)n, b, 1, e);
		if (e->code)
			return -1;
	}
	vm_insn_text(c->dis, &out->in, symbolizer, c, out->text, sizeof(out->text));
	s = vm_code_sym_at(c, addr, &off);
	if (s) {
		out->sym = s->name;
		out->off = off;
		out->module = s->module;
		vm_code_label(c, addr, out->label, sizeof(out->label));
	}
	/* crash marks the 5-byte nop ftrace leaves at a function's start */
	if (s && !off && !strcmp(out->in.mnemonic, "nopl") &&
	    !strcmp(out->in.operands, "0x0(%rax,%rax,1)")) {
		size_t l = strlen(out->text);

		snprintf(out->text + l, sizeof(out->text) - l, " [FTRACE NOP]");
	}
	return 0;
}

int vm_code_next(struct vm_code *c, struct vm_code_span *sp, struct vm_code_insn *out,
		 struct vm_err *e)
{
	vm_err_clear(e);
	if (sp->finished || sp->pos >= sp->end || (sp->count && sp->done >= sp->count))
		return 0;
	if (vm_code_decode(c, c->o.src, sp->pos, out, e) < 0) {
		sp->finished = true;
		return -1;
	}
	if (c->o.lines)
		add_line(c, out);
	if (sp->stop && sp->pos + out->in.len > sp->stop)
		sp->finished = true;
	if (sp->pos + out->in.len < sp->pos)
		sp->finished = true;
	sp->pos += out->in.len;
	sp->done++;
	return 1;
}
