// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkprintk FORMAT OUT [DAMAGE]
 *
 * Writes a small ELF64 x86_64 vmcore OUT holding a kernel log in FORMAT,
 * laid out by tests/gen/printk_gen.h the way the kernel's writer does, with
 * a VMCOREINFO note as the kernel writes it, and next to it what
 * `makedumpfile --dump-dmesg` would print for it:
 *   OUT.expected      default output (records the generator kept)
 *   OUT.expected-c    the same with caller ids (formats that have them)
 *   OUT.lost          sequence numbers DAMAGE made unreadable, one a line
 *
 * FORMAT: prb      v5.10+ printk_ringbuffer (v6.1 layout)
 *         log4     v3.5-v5.0 struct printk_log, LOG_ALIGN 4 (x86, arm64)
 *         log4c    the same with caller_id (v5.1+, CONFIG_PRINTK_CALLER)
 *         log8     struct printk_log naturally aligned (LOG_ALIGN 8)
 *         log8c    the same with caller_id
 *         log35    v3.5-v3.10: the struct is called "log"
 *         plain    before v3.5: plain characters rotated at log_end
 * DAMAGE: desc     (prb) one descriptor's id field corrupted
 *         hole     (prb) one page of the text ring left out of the dump
 *         len      (log*) one record's length corrupted
 *         novmci   the VMCOREINFO note's name altered ("VMCOREINFX")
 *
 * The image is mapped at the x86_64 kernel image address 0xffffffff81000000
 * with NUMBER(phys_base)=0, so physical = virtual - 0xffffffff80000000.
 */
#include <elf.h>

#include "printk_gen.h"

static void write_elf(const char *path, struct gmem *g, int novmci)
{
	FILE *f = fopen(path, "wb");
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2 + GEN_MAX_HOLES];
	Elf64_Nhdr nh;
	uint64_t runs_lo[GEN_MAX_HOLES + 1], runs_hi[GEN_MAX_HOLES + 1];
	uint64_t lo = g->base, end = g->base + ((g->brk + 4095) & ~4095ULL);
	uint64_t off, note_off, note_sz;
	int nruns = 0, i, j;
	static const char name[12] = "VMCOREINFO";
	static const char bad[12] = "VMCOREINFX";

	if (!f)
		gen_die("cannot create the output file");
	/* the image minus its holes (holes are sorted by construction) */
	for (i = 0; i <= g->nholes; i++) {
		uint64_t hi = i < g->nholes ? g->hole_lo[i] : end;

		if (hi > lo) {
			runs_lo[nruns] = lo;
			runs_hi[nruns++] = hi;
		}
		if (i < g->nholes)
			lo = g->hole_hi[i];
	}
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)(1 + nruns);

	note_off = sizeof(eh) + (uint64_t)(1 + nruns) * sizeof(Elf64_Phdr);
	note_sz = sizeof(nh) + sizeof(name) + ((g->vlen + 3) & ~3ULL);
	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = note_off;
	ph[0].p_filesz = note_sz;
	off = (note_off + note_sz + 4095) & ~4095ULL;
	for (j = 0; j < nruns; j++) {
		ph[1 + j].p_type = PT_LOAD;
		ph[1 + j].p_flags = PF_R | PF_W | PF_X;
		ph[1 + j].p_offset = off;
		ph[1 + j].p_vaddr = runs_lo[j];
		ph[1 + j].p_paddr = runs_lo[j] - GEN_MAP_BASE;
		ph[1 + j].p_filesz = ph[1 + j].p_memsz = runs_hi[j] - runs_lo[j];
		ph[1 + j].p_align = 4096;
		off += runs_hi[j] - runs_lo[j];
	}
	fwrite(&eh, sizeof(eh), 1, f);
	fwrite(ph, sizeof(Elf64_Phdr), (size_t)(1 + nruns), f);
	nh.n_namesz = 11;
	nh.n_descsz = (Elf64_Word)g->vlen;
	nh.n_type = 0;
	fwrite(&nh, sizeof(nh), 1, f);
	fwrite(novmci ? bad : name, sizeof(name), 1, f);
	fwrite(g->vmci, 1, g->vlen, f);
	for (off = g->vlen; off % 4; off++)
		fputc(0, f);
	for (j = 0; j < nruns; j++) {
		fseek(f, (long)ph[1 + j].p_offset, SEEK_SET);
		fwrite(g->mem + (runs_lo[j] - g->base), 1,
		       runs_hi[j] - runs_lo[j], f);
	}
	if (fclose(f) != 0)
		gen_die("write error");
}

static FILE *open_out(const char *out, const char *suffix)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", out, suffix);
	f = fopen(path, "w");
	if (!f)
		gen_die("cannot create an expectation file");
	return f;
}

static void expectations(const char *out, const struct gen_log *L,
			 int has_caller)
{
	FILE *f = open_out(out, ".expected");
	FILE *fc = has_caller ? open_out(out, ".expected-c") : NULL;
	FILE *fl = open_out(out, ".lost");
	size_t i;

	for (i = 0; i < L->n; i++) {
		const struct gen_msg *m = &L->m[i];

		if (!m->alive)
			continue;
		if (m->damaged || m->reserved) {
			fprintf(fl, "%llu\n", (unsigned long long)m->seq);
			continue;
		}
		if (m->dataless)   /* makedumpfile prints nothing for these */
			continue;
		gen_expect_line(f, m, 0);
		if (fc)
			gen_expect_line(fc, m, 1);
	}
	fclose(f);
	if (fc)
		fclose(fc);
	fclose(fl);
}

static struct gen_msg *newest_with_text(struct gen_log *L, size_t skip)
{
	size_t i;

	for (i = L->n; i-- > 0;)
		if (L->m[i].alive && !L->m[i].dataless && L->m[i].text_len > 20 &&
		    !L->m[i].committed_only && skip-- == 0)
			return &L->m[i];
	gen_die("no message to damage");
	return NULL;
}

static void make_prb(struct gmem *g, struct gen_log *L, const char *damage)
{
	struct prb_gen R;
	unsigned i;

	prb_init(&R, g, L, 7, 14);
	for (i = 0; i < 700; i++) {
		struct gen_msg *m = gen_new(L);

		gen_text(m, i);
		prb_store(&R, m, i + 1 == 700 ? G_COMMITTED : G_FINALIZED);
	}
	if (!strcmp(damage, "desc")) {
		struct gen_msg *m = newest_with_text(L, 5);

		for (i = 0; i < R.count; i++)
			if (R.msg_of_slot[i] == (size_t)(m - L->m))
				((struct g_prb_desc *)gmem_ptr(g, R.descs_va))[i]
					.state_var ^= 0x10;
		m->damaged = 1;
	} else if (!strcmp(damage, "hole")) {
		/* the text ring's second page; the records with text there
		 * are the expected losses */
		uint64_t lo = R.data_va + 4096, hi = lo + 4096;

		gmem_hole(g, lo, 1);
		for (i = 0; i < R.count; i++) {
			struct g_prb_desc *d = (struct g_prb_desc *)
				gmem_ptr(g, R.descs_va) + i;
			size_t mi = R.msg_of_slot[i];
			uint64_t b;

			if (mi == (size_t)-1 || !L->m[mi].alive || L->m[mi].dataless)
				continue;
			b = R.data_va + (d->text_blk_lpos.begin & (R.size - 1));
			if (DATA_WRAPS(&R, d->text_blk_lpos.begin) !=
			    DATA_WRAPS(&R, d->text_blk_lpos.next))
				b = R.data_va;
			if (b < hi && b + 8 + L->m[mi].text_len > lo)
				L->m[mi].damaged = 1;
		}
	}
	prb_finish(&R, "6.1.0-mkprintk");
}

static void make_log(struct gmem *g, struct gen_log *L, int align8, int caller,
		     const char *name, const char *damage)
{
	struct plog_gen P;
	unsigned i;

	L->cap = 801;
	L->m = calloc(L->cap, sizeof(*L->m));
	plog_init(&P, g, L, 16384, align8, caller, name);
	for (i = 0; i < 800; i++) {
		struct gen_msg *m = gen_new(L);

		gen_text(m, i);
		plog_store(&P, m);
	}
	if (!strcmp(damage, "len")) {
		size_t victim = P.first_msg + (L->n - P.first_msg) / 3, k;
		uint32_t idx = P.first_idx;
		uint16_t bad = 6;

		for (k = P.first_msg; k < victim; k++) {
			if (!plog_len_at(&P, idx))
				idx = 0;
			idx += plog_len_at(&P, idx);
		}
		if (!plog_len_at(&P, idx))
			idx = 0;
		memcpy((uint8_t *)gmem_ptr(g, P.buf_va) + idx + 8, &bad, 2);
		L->m[victim].damaged = 1;
	}
	plog_finish(&P, caller ? "5.4.0-mkprintk" : "4.18.0-mkprintk");
}

static void make_plain(struct gmem *g, struct gen_log *L, const char *out)
{
	struct plain_gen Q;
	FILE *f;
	const char *p, *end, *nl;
	unsigned i;

	plain_init(&Q, g, 8192);
	for (i = 0; i < 300; i++) {
		struct gen_msg *m = gen_new(L);

		gen_text(m, i);
		plain_printk(&Q, m, 1);
	}
	plain_finish(&Q, "2.6.32-mkprintk");
	/* expected: the last log_buf_len characters, line by line, without
	 * the "<N>" prefix, escaped like the other formats */
	f = open_out(out, ".expected");
	end = Q.stream + Q.slen;
	for (p = end - Q.len; p < end; p = nl + 1) {
		size_t n, k;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)(nl - p);
		if (n >= 3 && p[0] == '<' && p[2] == '>') {
			p += 3;
			n -= 3;
		}
		for (k = 0; k < n; k++) {
			unsigned char c = (unsigned char)p[k];

			if ((c >= 0x20 && c < 0x7f) || (c >= 9 && c <= 13))
				fputc(c, f);
			else
				fprintf(f, "\\x%02x", c);
		}
		fputc('\n', f);
	}
	fclose(f);
	fclose(open_out(out, ".lost"));
	free(Q.stream);
	(void)L;
}

int main(int argc, char **argv)
{
	struct gmem g;
	struct gen_log L;
	const char *fmt, *out, *damage;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: mkprintk prb|log4|log4c|log8|log8c|log35|plain "
			"OUT [desc|hole|len|novmci]\n");
		return 2;
	}
	fmt = argv[1];
	out = argv[2];
	damage = argc > 3 ? argv[3] : "";
	gmem_init(&g, 1 << 20);
	memset(&L, 0, sizeof(L));
	if (!strcmp(fmt, "prb")) {
		make_prb(&g, &L, damage);
		expectations(out, &L, 1);
	} else if (!strncmp(fmt, "log", 3)) {
		int caller = strchr(fmt + 3, 'c') != NULL;

		make_log(&g, &L, fmt[3] == '8', caller,
			 !strcmp(fmt, "log35") ? "log" : "printk_log", damage);
		expectations(out, &L, caller);
	} else if (!strcmp(fmt, "plain")) {
		make_plain(&g, &L, out);
	} else {
		fprintf(stderr, "mkprintk: unknown format %s\n", fmt);
		return 2;
	}
	write_elf(out, &g, !strcmp(damage, "novmci"));
	gmem_free(&g);
	free(L.m);
	return 0;
}
