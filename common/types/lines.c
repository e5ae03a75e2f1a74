// SPDX-License-Identifier: GPL-2.0-or-later
#include "lines.h"

#include <dwarf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "../rd.h"

/* Decoded line tables kept at once (a backtrace touches a few units). */
#define MAX_UNITS 16
#define MAX_INLINE_DEPTH 64
/* rows of one unit: the biggest kernel unit has ~100k */
#define MAX_ROWS (1u << 24)

struct arange {
	uint64_t lo, hi, unit;   /* unit: .debug_info offset of its header */
};

struct unit_lines {
	uint64_t unit;
	struct vm_line *rows;
	size_t n;
	uint64_t used;
};

struct strnode {
	struct strnode *next;
	char s[];
};

struct vm_lines {
	struct vm_dwfile *f;
	struct arange *ar;
	size_t nar;
	bool ar_loaded;
	struct unit_lines units[MAX_UNITS];
	unsigned nunits;
	uint64_t clock;
	struct strnode *strs;
	const uint8_t *info;     /* for unit headers */
	size_t info_size;
	const uint8_t *line;     /* .debug_line */
	size_t line_size;
};

static const char *keep(struct vm_lines *l, const char *s, struct vm_err *e)
{
	size_t n = strlen(s) + 1;
	struct strnode *x;

	/* the same name often comes twice in a row */
	if (l->strs && !strcmp(l->strs->s, s))
		return l->strs->s;
	x = vm_malloc(sizeof(*x) + n, e);
	if (!x)
		return NULL;
	memcpy(x->s, s, n);
	x->next = l->strs;
	l->strs = x;
	return x->s;
}

struct vm_lines *vm_lines_open_elf(struct vm_elffile *elf, bool use_cache,
				   struct vm_err *e)
{
	struct vm_lines *l = vm_calloc(1, sizeof(*l), e);

	if (!l) {
		vm_elffile_close(elf);
		return NULL;
	}
	/* units come from .debug_aranges: the name index is needed only for
	 * a function by name (vm_lines_function()) */
	l->f = vm_dwfile_open_elf_lazy(elf, use_cache, e);
	if (!l->f) {
		free(l);
		return NULL;
	}
	return l;
}

struct vm_lines *vm_lines_open(const char *path, bool use_cache, struct vm_err *e)
{
	struct vm_elffile *elf = vm_elffile_open(path, e);

	return elf ? vm_lines_open_elf(elf, use_cache, e) : NULL;
}

void vm_lines_close(struct vm_lines *l)
{
	struct strnode *x, *n;
	unsigned i;

	if (!l)
		return;
	for (i = 0; i < l->nunits; i++)
		free(l->units[i].rows);
	for (x = l->strs; x; x = n) {
		n = x->next;
		free(x);
	}
	free(l->ar);
	vm_dwfile_close(l->f);
	free(l);
}

/* ---- .debug_aranges: address -> unit ---- */

static int cmp_ar(const void *a, const void *b)
{
	const struct arange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int load_aranges(struct vm_lines *l, struct vm_err *e)
{
	struct vm_elffile *img = vm_dwfile_elf(l->f);
	const char *path = vm_elffile_path(img);
	const uint8_t *d, *p, *end;
	size_t n, cap = 0;
	bool le = vm_elffile_le(img);

	if (l->ar_loaded)
		return 0;
	l->ar_loaded = true;
	if (vm_elffile_sec_index(img, ".debug_aranges") < 0)
		return vm_fail(e, VM_ENOENT, "%s has no .debug_aranges (address to unit map)",
			       path);
	if (vm_elffile_sec_data_named(img, ".debug_aranges", &d, &n, e) < 0)
		return -1;
	/* an empty (or SHT_NOBITS) section has no data pointer: no ranges
	 * (d + 0 on NULL is undefined; a fuzz finding) */
	if (!n || !d)
		return 0;
	p = d;
	end = d + n;
	while (end - p >= 4) {
		const uint8_t *set = p, *send, *q;
		uint64_t len, unit;
		unsigned offsz = 4, asz;

		len = vm_rd32(p, le);
		p += 4;
		if (len == 0xffffffff) {
			if (end - p < 8)
				break;
			len = vm_rd64(p, le);
			p += 8;
			offsz = 8;
		}
		if (len > (uint64_t)(end - p) || len < 4 + offsz)
			return vm_fail(e, VM_EFORMAT, "%s: .debug_aranges set at %#zx: length %#llx past the section",
				       path, (size_t)(set - d), (unsigned long long)len);
		send = p + len;
		unit = vm_rdn(p + 2, offsz, le);
		asz = p[2 + offsz];
		if (asz != 4 && asz != 8) {
			p = send;
			continue;
		}
		/* tuples start at a multiple of twice the address size */
		q = p + 2 + offsz + 2;
		q = set + (((size_t)(q - set) + 2 * asz - 1) / (2 * asz)) * (2 * asz);
		for (; send - q >= 2 * (long)asz; q += 2 * asz) {
			uint64_t lo = vm_rdn(q, asz, le), sz = vm_rdn(q + asz, asz, le);

			if (!lo && !sz)
				break;
			if (!sz)
				continue;
			if (l->nar == cap) {
				size_t nc = cap ? 2 * cap : 4096;
				void *np = vm_realloc_array(l->ar, nc, sizeof(*l->ar), e);

				if (!np)
					return -1;
				l->ar = np;
				cap = nc;
			}
			l->ar[l->nar++] = (struct arange){ lo, lo + sz, unit };
		}
		p = send;
	}
	/* no ranges: l->ar is NULL, which qsort may not be given */
	if (l->nar > 1)
		qsort(l->ar, l->nar, sizeof(*l->ar), cmp_ar);
	return 0;
}

static int unit_of(struct vm_lines *l, uint64_t addr, uint64_t *unit)
{
	size_t lo = 0, hi = l->nar;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->ar[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ranges of different units do not overlap; check a few back for
	 * zero-length or nested leftovers */
	for (size_t i = lo; i-- > 0 && lo - i <= 4;)
		if (addr >= l->ar[i].lo && addr < l->ar[i].hi) {
			*unit = l->ar[i].unit;
			return 1;
		}
	return 0;
}

/* ---- one unit's line table ---- */

/* .debug_info offset of the unit DIE of the unit at off. */
static int unit_die_offset(struct vm_lines *l, uint64_t off, uint64_t *die,
			   struct vm_err *e)
{
	struct vm_elffile *img = vm_dwfile_elf(l->f);
	bool le = vm_elffile_le(img);
	const uint8_t *p;
	unsigned offsz = 4, ver;
	size_t hdr = 4;
	uint64_t len, end;

	if (!l->info && vm_elffile_sec_data_named(img, ".debug_info", &l->info,
						  &l->info_size, e) < 0)
		return -1;
	if (off > l->info_size || l->info_size - off < 24)
		return vm_fail(e, VM_EFORMAT, "%s: unit at %#llx outside .debug_info",
			       vm_elffile_path(img), (unsigned long long)off);
	p = l->info + off;
	len = vm_rd32(p, le);
	if (len == 0xffffffff) {
		offsz = 8;
		hdr = 12;
		len = vm_rd64(p + 4, le);
	}
	/* the unit's extent, so that its view needs no name index */
	end = len <= l->info_size - off - hdr ? off + hdr + len : UINT64_MAX;
	if (vm_dwfile_add_unit(l->f, off, end, e) < 0)
		return -1;
	ver = vm_rd16(p + hdr, le);
	if (ver >= 5) {
		unsigned ut = p[hdr + 2];

		hdr += 2 + 2 + offsz;
		if (ut == DW_UT_skeleton || ut == DW_UT_split_compile)
			hdr += 8;
		else if (ut == DW_UT_type || ut == DW_UT_split_type)
			hdr += 8 + offsz;
	} else {
		hdr += 2 + offsz + 1;
	}
	*die = off + hdr;
	return 0;
}

struct irow {
	struct vm_line r;
	size_t i;
};

/* by address, then by position in the line program (stable) */
static int cmp_row(const void *a, const void *b)
{
	const struct irow *x = a, *y = b;

	if (x->r.addr != y->r.addr)
		return x->r.addr < y->r.addr ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static const char *relative(const char *file, const char *comp_dir)
{
	size_t n = comp_dir ? strlen(comp_dir) : 0;

	if (n && !strncmp(file, comp_dir, n) && file[n] == '/')
		file += n + 1;
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return file;
}

/* The names of a unit's files, kept for the life of l, indexed by the
 * file number its line program uses. */
struct files {
	char **src;
	Dwarf_Signed n;
	const char **kept;
	unsigned base;          /* 0: DWARF 5 numbers files from 0, else 1 */
};

static const char *file_name(struct vm_lines *l, struct files *f, Dwarf_Unsigned no,
			     struct vm_err *e)
{
	Dwarf_Signed i = (Dwarf_Signed)no - (Dwarf_Signed)f->base;

	if (i < 0 || i >= f->n)
		return "??";
	if (!f->kept[i])
		f->kept[i] = keep(l, f->src[i], e);
	return f->kept[i];
}

static bool gnu_producer(Dwarf_Debug dbg, Dwarf_Die die)
{
	Dwarf_Error de = NULL;
	Dwarf_Attribute a;
	char *p = NULL;
	bool gnu = false;

	if (dwarf_attr(die, DW_AT_producer, &a, &de) != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(dbg, de);
		return false;
	}
	if (dwarf_formstring(a, &p, &de) == DW_DLV_OK)
		gnu = !strncmp(p, "GNU ", 4);
	else if (de)
		dwarf_dealloc_error(dbg, de);
	dwarf_dealloc_attribute(a);
	return gnu;
}

/*
 * Rows are kept the way gdb 10 records them (dwarf2/read.c
 * lnp_state_machine::record_line() and dwarf_record_line_p(), which is
 * what crash 8.0.2's dis -l shows):
 *  - a row with line 0 is dropped;
 *  - so is a row that is not a statement, switches to another file, and
 *    is at an address where a statement row was just seen;
 *  - a switch to another file at an address drops the rows of the old
 *    file there;
 *  - a row for the same file and line as the row before it is dropped
 *    when that line had a non-zero discriminator (GCC writes them for
 *    the basic blocks of a line).
 * Of the rows left at one address the last one is in effect, or if it is
 * not a statement, the last statement row before it there (gdb's
 * find_pc_sect_line()).
 */
/* ---- a line program (DWARF 2-5, 6.2), decoded here: libdwarf's
 * dwarf_srclines_b() allocates and tracks every row, most of a -l run's
 * time for a unit the size of kernel/sched/core.c ---- */

struct lrow {
	uint64_t addr, line, col, file, discr;
	bool stmt, endseq;
};

struct lprog {
	const uint8_t *p, *end;      /* the program */
	unsigned ver, min_inst, max_ops, line_range, opcode_base;
	int line_base;
	bool default_stmt, le;
	const uint8_t *std_len;      /* operands of opcodes 1..opcode_base-1 */
	struct lrow r;               /* the state machine's registers */
	uint64_t op_index;
	const char *path;
	uint64_t off;                /* the program's header in .debug_line */
};

static void lp_reset(struct lprog *lp)
{
	memset(&lp->r, 0, sizeof(lp->r));
	/* libdwarf 20210528 starts DWARF 5 sequences at file 0 (see
	 * gcc5 in decode_unit()) */
	lp->r.file = lp->ver >= 5 ? 0 : 1;
	lp->r.line = 1;
	lp->r.stmt = lp->default_stmt;
	lp->op_index = 0;
}

static int lp_bad(const struct lprog *lp, const char *what, struct vm_err *e)
{
	return vm_fail(e, VM_EFORMAT, "%s: line program at .debug_line %#llx: %s",
		       lp->path, (unsigned long long)lp->off, what);
}

/* The header of the program at .debug_line offset off. */
static int lp_open(struct lprog *lp, const uint8_t *d, size_t size, uint64_t off,
		   bool le, const char *path, struct vm_err *e)
{
	const uint8_t *p, *end, *hend;
	uint64_t len, hlen;
	unsigned offsz = 4;

	memset(lp, 0, sizeof(*lp));
	lp->path = path;
	lp->off = off;
	lp->le = le;
	if (off > size || size - off < 4)
		return lp_bad(lp, "outside the section", e);
	p = d + off;
	end = d + size;
	len = vm_rd32(p, le);
	p += 4;
	if (len == 0xffffffff) {
		if (end - p < 8)
			return lp_bad(lp, "cut short", e);
		len = vm_rd64(p, le);
		p += 8;
		offsz = 8;
	}
	if (len > (uint64_t)(end - p))
		return lp_bad(lp, "longer than the section", e);
	end = p + len;
	if (end - p < 2)
		return lp_bad(lp, "cut short", e);
	lp->ver = vm_rd16(p, le);
	p += 2;
	if (lp->ver < 2 || lp->ver > 5)
		return lp_bad(lp, "not DWARF 2-5", e);
	/* DWARF 5's address_size and segment_selector_size: the operand of
	 * DW_LNE_set_address says its size */
	if (lp->ver >= 5) {
		if (end - p < 2)
			return lp_bad(lp, "cut short", e);
		p += 2;
	}
	if ((size_t)(end - p) < offsz)
		return lp_bad(lp, "cut short", e);
	hlen = vm_rdn(p, offsz, le);
	p += offsz;
	if (hlen > (uint64_t)(end - p))
		return lp_bad(lp, "header past the program's end", e);
	hend = p + hlen;
	if (hend - p < (lp->ver >= 4 ? 6 : 5))
		return lp_bad(lp, "cut short", e);
	lp->min_inst = *p++;
	lp->max_ops = lp->ver >= 4 ? *p++ : 1;
	lp->default_stmt = *p++ != 0;
	lp->line_base = (int8_t)*p++;
	lp->line_range = *p++;
	lp->opcode_base = *p++;
	if (!lp->line_range || !lp->max_ops || !lp->opcode_base)
		return lp_bad(lp, "line_range, maximum_operations_per_instruction or "
			      "opcode_base 0", e);
	if ((size_t)(hend - p) < lp->opcode_base - 1u)
		return lp_bad(lp, "cut short", e);
	lp->std_len = p;
	lp->p = hend;
	lp->end = end;
	lp_reset(lp);
	return 0;
}

static void lp_advance(struct lprog *lp, uint64_t adv)
{
	uint64_t o = lp->op_index + adv;

	lp->r.addr += lp->min_inst * (o / lp->max_ops);
	lp->op_index = o % lp->max_ops;
}

/* The next row into *out: 1, 0 at the program's end, -1. */
static int lp_next(struct lprog *lp, struct lrow *out, struct vm_err *e)
{
	while (lp->p < lp->end) {
		unsigned op = *lp->p++;
		uint64_t u;
		int64_t sv;

		if (op >= lp->opcode_base) {
			unsigned adj = op - lp->opcode_base;

			lp_advance(lp, adj / lp->line_range);
			lp->r.line += (uint64_t)(int64_t)(lp->line_base + (int)(adj % lp->line_range));
			goto emit;
		}
		switch (op) {
		case 0: {
			const uint8_t *q;

			if (vm_uleb128(&lp->p, lp->end, &u) != 0 || u == 0 ||
			    u > (uint64_t)(lp->end - lp->p))
				return lp_bad(lp, "bad extended opcode length", e);
			q = lp->p;
			lp->p += u;
			switch (q[0]) {
			case DW_LNE_end_sequence:
				lp->r.endseq = true;
				*out = lp->r;
				lp_reset(lp);
				return 1;
			case DW_LNE_set_address:
				if (u - 1 != 4 && u - 1 != 8)
					return lp_bad(lp, "bad DW_LNE_set_address size", e);
				lp->r.addr = vm_rdn(q + 1, (unsigned)(u - 1), lp->le);
				lp->op_index = 0;
				break;
			case DW_LNE_set_discriminator:
				q++;
				if (vm_uleb128(&q, lp->p, &lp->r.discr) != 0)
					return lp_bad(lp, "bad discriminator", e);
				break;
			default:
				/* DW_LNE_define_file and vendor ones: the file
				 * names are dwarf_srcfiles()' */
				break;
			}
			continue;
		}
		case DW_LNS_copy:
			goto emit;
		case DW_LNS_advance_pc:
			if (vm_uleb128(&lp->p, lp->end, &u) < 0)
				return lp_bad(lp, "cut short", e);
			lp_advance(lp, u);
			continue;
		case DW_LNS_advance_line:
			if (vm_sleb128(&lp->p, lp->end, &sv) < 0)
				return lp_bad(lp, "cut short", e);
			lp->r.line += (uint64_t)sv;
			continue;
		case DW_LNS_set_file:
			if (vm_uleb128(&lp->p, lp->end, &lp->r.file) < 0)
				return lp_bad(lp, "cut short", e);
			continue;
		case DW_LNS_set_column:
			if (vm_uleb128(&lp->p, lp->end, &lp->r.col) < 0)
				return lp_bad(lp, "cut short", e);
			continue;
		case DW_LNS_negate_stmt:
			lp->r.stmt = !lp->r.stmt;
			continue;
		case DW_LNS_const_add_pc:
			lp_advance(lp, (255u - lp->opcode_base) / lp->line_range);
			continue;
		case DW_LNS_fixed_advance_pc:
			if (lp->end - lp->p < 2)
				return lp_bad(lp, "cut short", e);
			lp->r.addr += vm_rd16(lp->p, lp->le);
			lp->p += 2;
			lp->op_index = 0;
			continue;
		default: {
			/* basic_block, prologue_end, epilogue_begin, isa, and
			 * opcodes this decoder does not know: their operands
			 * (as many as the header says) skipped; op is below
			 * opcode_base here */
			unsigned k, nargs = lp->std_len[op - 1];

			for (k = 0; k < nargs; k++)
				if (vm_uleb128(&lp->p, lp->end, &u) < 0)
					return lp_bad(lp, "cut short", e);
			continue;
		}
		}
emit:
		*out = lp->r;
		lp->r.discr = 0;
		return 1;
	}
	return 0;
}

static int decode_unit(struct vm_lines *l, uint64_t unit, struct unit_lines *ul,
		       struct vm_err *e)
{
	struct vm_elffile *img = vm_dwfile_elf(l->f);
	Dwarf_Debug dbg;
	Dwarf_Die die;
	Dwarf_Error de = NULL;
	Dwarf_Attribute a;
	Dwarf_Off stmt_off = 0;
	uint64_t base, die_off, last_addr = 0;
	const char *comp_dir = NULL, *last_file = NULL;
	struct files files = { 0 };
	struct lprog lp;
	struct lrow lr = { 0 };
	bool gcc5 = false, stmt_at_addr = false, have_last = false, discr = false;
	unsigned last_line = 0, prev_line = 0;
	char *cd = NULL;
	size_t n = 0, cap = 0, k;
	int rc;

	if (unit_die_offset(l, unit, &die_off, e) < 0)
		return -1;
	/* the unit DIE's comp_dir, stmt_list and producer: a view without
	 * the range lists (libdwarf reads every list header on loading) */
	die = vm_dwfile_die(l->f, die_off, false, &base, e);
	if (!die)
		return -1;
	dbg = vm_dwfile_view(l->f, die_off, false, &base, e);
	if (dwarf_attr(die, DW_AT_comp_dir, &a, &de) == DW_DLV_OK) {
		if (dwarf_formstring(a, &cd, &de) == DW_DLV_OK)
			comp_dir = cd;
		dwarf_dealloc_attribute(a);
	}
	if (de) {
		dwarf_dealloc_error(dbg, de);
		de = NULL;
	}
	rc = dwarf_attr(die, DW_AT_stmt_list, &a, &de);
	if (rc == DW_DLV_NO_ENTRY) {
		dwarf_dealloc_die(die);
		ul->rows = NULL;
		ul->n = 0;
		return 0;
	}
	if (rc == DW_DLV_OK) {
		rc = dwarf_global_formref(a, &stmt_off, &de);
		if (rc != DW_DLV_OK) {
			Dwarf_Unsigned u = 0;

			if (de)
				dwarf_dealloc_error(dbg, de);
			de = NULL;
			/* DWARF 2/3: a constant form */
			rc = dwarf_formudata(a, &u, &de);
			stmt_off = u;
		}
		dwarf_dealloc_attribute(a);
	}
	if (rc != DW_DLV_OK) {
		dwarf_dealloc_die(die);
		return vm_dwfile_err(l->f, dbg, de, "reading line table", die_off, e);
	}
	if (!l->line && vm_elffile_sec_data_named(img, ".debug_line", &l->line,
						  &l->line_size, e) < 0) {
		dwarf_dealloc_die(die);
		return -1;
	}
	if (lp_open(&lp, l->line, l->line_size, stmt_off, vm_elffile_le(img),
		    vm_elffile_path(img), e) < 0) {
		dwarf_dealloc_die(die);
		return -1;
	}
	if (dwarf_srcfiles(die, &files.src, &files.n, &de) != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(dbg, de);
		de = NULL;
		files.src = NULL;
		files.n = 0;
	}
	files.base = lp.ver >= 5 ? 0 : 1;
	prev_line = 1;
	/* libdwarf 20210528 starts a DWARF 5 sequence with the file register
	 * at 0, not the 1 the standard says (6.2.2); GCC and gas never name
	 * file 0 in a row, so for their units a 0 is that default (lp_reset()
	 * keeps libdwarf's numbering, with which these rows were checked
	 * against gdb) */
	gcc5 = lp.ver >= 5 && gnu_producer(dbg, die);
	files.kept = vm_calloc(files.n > 0 ? (size_t)files.n : 1, sizeof(*files.kept), e);
	if (!files.kept)
		goto fail;
	while ((rc = lp_next(&lp, &lr, e)) == 1) {
		uint64_t addr = lr.addr, lno, fno;
		const char *file;
		struct vm_line *r;
		bool ignore, stmt = lr.stmt;

		if (n + 1 >= cap) {
			size_t nc = cap ? 2 * cap : 4096;
			void *np;

			if (nc > MAX_ROWS) {
				vm_fail(e, VM_EFORMAT, "%s: more than %u line rows in unit %#llx",
					vm_elffile_path(img), MAX_ROWS, (unsigned long long)unit);
				goto fail;
			}
			np = vm_realloc_array(ul->rows, nc, sizeof(*ul->rows), e);
			if (!np)
				goto fail;
			ul->rows = np;
			cap = nc;
		}
		if (lr.endseq) {
			/* closes the sequence: the previous row ends here */
			if (n && ul->rows[n - 1].end == 0)
				ul->rows[n - 1].end = addr;
			/* gdb starts a state machine per sequence */
			last_file = NULL;
			stmt_at_addr = have_last = discr = false;
			last_line = 0;
			prev_line = 1;
			continue;
		}
		lno = (unsigned)lr.line;
		fno = lr.file;
		/* gdb's m_line_has_non_zero_discriminator: a new line starts
		 * it afresh */
		if ((unsigned)lno != prev_line)
			discr = false;
		discr |= lr.discr != 0;
		prev_line = (unsigned)lno;
		if (gcc5 && fno == 0)
			fno = 1;
		file = file_name(l, &files, fno, e);
		if (!file)
			goto fail;
		ignore = lno == 0 ||
			 (last_file && strcmp(file, last_file) && have_last && addr == last_addr &&
			  !stmt && stmt_at_addr);
		if (!have_last || addr != last_addr) {
			stmt_at_addr = false;
			last_addr = addr;
			have_last = true;
		}
		stmt_at_addr |= stmt;
		if (ignore)
			continue;
		if (last_file && strcmp(file, last_file)) {
			/* the old file's rows at this address go */
			while (n && ul->rows[n - 1].addr == addr && ul->rows[n - 1].file == last_file)
				n--;
		} else if (last_file && (unsigned)lno == last_line && discr) {
			last_line = (unsigned)lno;
			continue;
		}
		last_file = file;
		last_line = (unsigned)lno;
		if (n && ul->rows[n - 1].end == 0)
			ul->rows[n - 1].end = addr;
		r = &ul->rows[n];
		r->addr = addr;
		r->end = 0;
		r->line = (unsigned)lno;
		r->column = (unsigned)lr.col;
		r->is_stmt = stmt;
		r->file = file;
		r->rel = relative(r->file, comp_dir);
		n++;
	}
	if (rc < 0)
		goto fail;
	for (k = 0; k < (size_t)files.n; k++)
		dwarf_dealloc(dbg, files.src[k], DW_DLA_STRING);
	if (files.src)
		dwarf_dealloc(dbg, files.src, DW_DLA_LIST);
	free(files.kept);
	dwarf_dealloc_die(die);
	/* rows of a sequence that never ended cover nothing */
	for (k = 0; k < n; k++)
		if (ul->rows[k].end < ul->rows[k].addr)
			ul->rows[k].end = ul->rows[k].addr;
	/* by address; of several rows at one address the last one */
	{
		struct irow *tmp = vm_calloc(n ? n : 1, sizeof(*tmp), e);
		size_t w = 0, j;

		if (!tmp) {
			free(ul->rows);
			ul->rows = NULL;
			return -1;
		}
		for (k = 0; k < n; k++) {
			tmp[k].r = ul->rows[k];
			tmp[k].i = k;
		}
		qsort(tmp, n, sizeof(*tmp), cmp_row);
		for (k = 0; k < n; k = j) {
			size_t pick;

			/* rows before the last at one address end where they
			 * start; the last one's end is the run's */
			for (j = k; j < n && tmp[j].r.addr == tmp[k].r.addr; j++)
				;
			if (tmp[j - 1].r.end == tmp[k].r.addr)
				continue;
			for (pick = j - 1; pick > k && !tmp[pick].r.is_stmt; pick--)
				;
			if (!tmp[pick].r.is_stmt)
				pick = j - 1;
			ul->rows[w] = tmp[pick].r;
			ul->rows[w++].end = tmp[j - 1].r.end;
		}
		free(tmp);
		n = w;
	}
	ul->n = n;
	return 0;
fail:
	for (k = 0; k < (size_t)(files.n > 0 ? files.n : 0); k++)
		dwarf_dealloc(dbg, files.src[k], DW_DLA_STRING);
	if (files.src)
		dwarf_dealloc(dbg, files.src, DW_DLA_LIST);
	free(files.kept);
	dwarf_dealloc_die(die);
	free(ul->rows);
	ul->rows = NULL;
	return -1;
}

static struct unit_lines *unit_lines(struct vm_lines *l, uint64_t unit,
				     struct vm_err *e)
{
	struct unit_lines *ul;
	unsigned i, victim = 0;

	for (i = 0; i < l->nunits; i++) {
		if (l->units[i].unit == unit) {
			l->units[i].used = ++l->clock;
			return &l->units[i];
		}
		if (l->units[i].used < l->units[victim].used)
			victim = i;
	}
	if (l->nunits < MAX_UNITS) {
		ul = &l->units[l->nunits];
	} else {
		ul = &l->units[victim];
		free(ul->rows);
	}
	memset(ul, 0, sizeof(*ul));
	if (decode_unit(l, unit, ul, e) < 0) {
		if (ul != &l->units[l->nunits]) {
			/* the evicted slot is now empty */
			ul->unit = UINT64_MAX;
		}
		return NULL;
	}
	ul->unit = unit;
	ul->used = ++l->clock;
	if (ul == &l->units[l->nunits])
		l->nunits++;
	return ul;
}

static const struct vm_line *row_at(const struct unit_lines *ul, uint64_t addr)
{
	size_t lo = 0, hi = ul->n;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2;

		if (ul->rows[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (addr >= ul->rows[lo - 1].end)
		return NULL;
	return &ul->rows[lo - 1];
}

int vm_lines_addr(struct vm_lines *l, uint64_t addr, struct vm_line *out,
		  struct vm_err *e)
{
	const struct unit_lines *ul;
	const struct vm_line *r;
	uint64_t unit;

	if (load_aranges(l, e) < 0)
		return -1;
	if (!unit_of(l, addr, &unit))
		return 0;
	ul = unit_lines(l, unit, e);
	if (!ul)
		return -1;
	r = row_at(ul, addr);
	if (!r)
		return 0;
	*out = *r;
	return 1;
}

int vm_lines_range(struct vm_lines *l, uint64_t lo, uint64_t hi,
		   struct vm_line **rows, size_t *n, struct vm_err *e)
{
	const struct unit_lines *ul;
	uint64_t unit;
	size_t i, cnt = 0;

	*rows = NULL;
	*n = 0;
	if (load_aranges(l, e) < 0)
		return -1;
	if (!unit_of(l, lo, &unit))
		return 0;
	ul = unit_lines(l, unit, e);
	if (!ul)
		return -1;
	for (i = 0; i < ul->n; i++)
		if (ul->rows[i].end > lo && ul->rows[i].addr < hi)
			cnt++;
	if (!cnt)
		return 0;
	*rows = vm_calloc(cnt, sizeof(**rows), e);
	if (!*rows)
		return -1;
	for (i = 0; i < ul->n; i++)
		if (ul->rows[i].end > lo && ul->rows[i].addr < hi)
			(*rows)[(*n)++] = ul->rows[i];
	return 0;
}

/* ---- DIE address ranges ---- */

/* DW_AT_low_pc/high_pc, or DW_AT_ranges (DWARF 5 .debug_rnglists by
 * offset, DWARF 4 .debug_ranges): 1 if addr is inside, 0 if not or no
 * ranges, -1 on error.  cu_base is the unit's DW_AT_low_pc. */
static int die_contains(struct vm_lines *l, Dwarf_Debug dbg, Dwarf_Die die,
			uint64_t addr, uint64_t cu_base, unsigned ver,
			uint64_t *lo_out, struct vm_err *e)
{
	struct vm_elffile *img = vm_dwfile_elf(l->f);
	bool le = vm_elffile_le(img);
	Dwarf_Error de = NULL;
	Dwarf_Addr lo = 0, hi = 0;
	Dwarf_Half form = 0;
	enum Dwarf_Form_Class cls;
	Dwarf_Attribute a;
	Dwarf_Unsigned off = 0;
	const uint8_t *d, *p, *end;
	size_t n;
	uint64_t base = cu_base;

	if (dwarf_lowpc(die, &lo, &de) == DW_DLV_OK) {
		if (dwarf_highpc_b(die, &hi, &form, &cls, &de) != DW_DLV_OK) {
			if (de)
				dwarf_dealloc_error(dbg, de);
			return 0;
		}
		if (cls == DW_FORM_CLASS_CONSTANT)
			hi += lo;
		if (lo_out)
			*lo_out = lo;
		return addr >= lo && addr < hi;
	}
	if (de) {
		dwarf_dealloc_error(dbg, de);
		de = NULL;
	}
	if (dwarf_attr(die, DW_AT_ranges, &a, &de) != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(dbg, de);
		return 0;
	}
	if (dwarf_whatform(a, &form, &de) != DW_DLV_OK ||
	    (form != DW_FORM_sec_offset && form != DW_FORM_data4 && form != DW_FORM_data8) ||
	    dwarf_global_formref(a, &off, &de) != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(dbg, de);
		de = NULL;
		if (dwarf_formudata(a, &off, &de) != DW_DLV_OK) {
			if (de)
				dwarf_dealloc_error(dbg, de);
			dwarf_dealloc_attribute(a);
			return 0;   /* rnglistx and friends: not handled */
		}
	}
	dwarf_dealloc_attribute(a);
	if (vm_elffile_sec_data_named(img, ver >= 5 ? ".debug_rnglists" : ".debug_ranges",
				 &d, &n, e) < 0)
		return -1;
	if (off >= n)
		return vm_fail(e, VM_EFORMAT, "%s: range list offset %#llx past the section",
			       vm_elffile_path(img), (unsigned long long)off);
	p = d + off;
	end = d + n;
	if (ver < 5) {
		for (; end - p >= 16; p += 16) {
			uint64_t x = vm_rd64(p, le), y = vm_rd64(p + 8, le);

			if (!x && !y)
				break;
			if (x == UINT64_MAX) {
				base = y;
				continue;
			}
			if (addr >= base + x && addr < base + y) {
				if (lo_out)
					*lo_out = base + x;
				return 1;
			}
		}
		return 0;
	}
	while (p < end) {
		unsigned kind = *p++;
		uint64_t x = 0, y = 0;

		switch (kind) {
		case DW_RLE_end_of_list:
			return 0;
		case DW_RLE_base_address:
			if (end - p < 8)
				return 0;
			base = vm_rd64(p, le);
			p += 8;
			continue;
		case DW_RLE_offset_pair:
			/* a list cut short, like the fixed-size cases below,
			 * covers nothing more */
			if (vm_uleb128(&p, end, &x) < 0 || vm_uleb128(&p, end, &y) < 0)
				return 0;
			x += base;
			y += base;
			break;
		case DW_RLE_start_end:
			if (end - p < 16)
				return 0;
			x = vm_rd64(p, le);
			y = vm_rd64(p + 8, le);
			p += 16;
			break;
		case DW_RLE_start_length:
			if (end - p < 8)
				return 0;
			x = vm_rd64(p, le);
			p += 8;
			if (vm_uleb128(&p, end, &y) < 0)
				return 0;
			y += x;
			break;
		default:
			/* indexed forms need .debug_addr: not for split DWARF */
			return 0;
		}
		if (addr >= x && addr < y) {
			if (lo_out)
				*lo_out = x;
			return 1;
		}
	}
	return 0;
}

int vm_lines_function(struct vm_lines *l, const char *name, uint64_t *lo,
		      uint64_t *hi, struct vm_err *e)
{
	Dwarf_Debug dbg;
	Dwarf_Die die;
	Dwarf_Error de = NULL;
	Dwarf_Addr a = 0, b = 0;
	Dwarf_Half form = 0;
	enum Dwarf_Form_Class cls;
	uint64_t off, base;
	int rc = 0;

	/* 8: VM_TK_FUNC in the name index */
	if (!vm_dwidx_lookup(vm_dwfile_index(l->f), name, 8, &off))
		return 0;
	die = vm_dwfile_die(l->f, off, true, &base, e);
	if (!die)
		return -1;
	dbg = vm_dwfile_view(l->f, off, true, &base, e);
	if (dwarf_lowpc(die, &a, &de) == DW_DLV_OK &&
	    dwarf_highpc_b(die, &b, &form, &cls, &de) == DW_DLV_OK) {
		*lo = a;
		*hi = cls == DW_FORM_CLASS_CONSTANT ? a + b : b;
		rc = 1;
	} else if (de) {
		dwarf_dealloc_error(dbg, de);
	}
	dwarf_dealloc_die(die);
	return rc;
}

/* ---- inlined calls ---- */

struct inl_ctx {
	struct vm_lines *l;
	Dwarf_Debug dbg;
	uint64_t addr, base, cu_base;
	unsigned ver;
	char **files;
	Dwarf_Signed nfiles;
	struct vm_inline_frame chain[MAX_INLINE_DEPTH];
	size_t n;
	struct vm_err *e;
};

static const char *die_func_name(struct inl_ctx *c, Dwarf_Die die)
{
	Dwarf_Error de = NULL;
	Dwarf_Attribute a;
	Dwarf_Off off;
	Dwarf_Die o;
	char *name = NULL;
	const char *kept = NULL;
	int hops;

	for (hops = 0; hops < 4 && die; hops++) {
		if (dwarf_diename(die, &name, &de) == DW_DLV_OK) {
			kept = keep(c->l, name, c->e);
			break;
		}
		if (de) {
			dwarf_dealloc_error(c->dbg, de);
			de = NULL;
		}
		if (dwarf_attr(die, DW_AT_abstract_origin, &a, &de) != DW_DLV_OK &&
		    dwarf_attr(die, DW_AT_specification, &a, &de) != DW_DLV_OK)
			break;
		if (dwarf_global_formref(a, &off, &de) != DW_DLV_OK) {
			dwarf_dealloc_attribute(a);
			break;
		}
		dwarf_dealloc_attribute(a);
		if (dwarf_offdie_b(c->dbg, off, 1, &o, &de) != DW_DLV_OK)
			break;
		if (hops)
			dwarf_dealloc_die(die);
		die = o;
	}
	if (hops && die)
		dwarf_dealloc_die(die);
	if (de)
		dwarf_dealloc_error(c->dbg, de);
	return kept ? kept : "??";
}

static unsigned attr_u(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Half at)
{
	Dwarf_Error de = NULL;
	Dwarf_Attribute a;
	Dwarf_Unsigned v = 0;

	if (dwarf_attr(die, at, &a, &de) != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(dbg, de);
		return 0;
	}
	if (dwarf_formudata(a, &v, &de) != DW_DLV_OK && de)
		dwarf_dealloc_error(dbg, de);
	dwarf_dealloc_attribute(a);
	return (unsigned)v;
}

/* Walk the children of die for the scope holding addr, depth first. */
static int walk(struct inl_ctx *c, Dwarf_Die die, int depth)
{
	Dwarf_Error de = NULL;
	Dwarf_Die ch = NULL, next;
	int rc;

	if (depth > MAX_INLINE_DEPTH)
		return 0;
	rc = dwarf_child(die, &ch, &de);
	if (rc != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(c->dbg, de);
		return 0;
	}
	while (ch) {
		Dwarf_Half tag = 0;
		int in = 0;

		if (dwarf_tag(ch, &tag, &de) == DW_DLV_OK &&
		    (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
		     tag == DW_TAG_lexical_block)) {
			in = die_contains(c->l, c->dbg, ch, c->addr, c->cu_base, c->ver,
					  NULL, c->e);
			if (in < 0) {
				dwarf_dealloc_die(ch);
				return -1;
			}
		}
		if (in > 0) {
			if (tag != DW_TAG_lexical_block && c->n < MAX_INLINE_DEPTH) {
				struct vm_inline_frame *f = &c->chain[c->n++];
				unsigned cf = attr_u(c->dbg, ch, DW_AT_call_file);

				f->func = die_func_name(c, ch);
				f->call_file = NULL;
				f->call_line = 0;
				if (tag == DW_TAG_inlined_subroutine) {
					/* DWARF 5 numbers files from 0, earlier from 1 */
					Dwarf_Signed idx = c->ver >= 5 ? (Dwarf_Signed)cf
								      : (Dwarf_Signed)cf - 1;

					f->call_file = idx >= 0 && idx < c->nfiles
						? keep(c->l, c->files[idx], c->e) : "??";
					f->call_line = attr_u(c->dbg, ch, DW_AT_call_line);
				}
			}
			rc = walk(c, ch, depth + 1);
			dwarf_dealloc_die(ch);
			return rc;
		}
		next = NULL;
		rc = dwarf_siblingof_b(c->dbg, ch, 1, &next, &de);
		dwarf_dealloc_die(ch);
		if (rc != DW_DLV_OK) {
			if (de)
				dwarf_dealloc_error(c->dbg, de);
			return 0;
		}
		ch = next;
	}
	return 0;
}

int vm_lines_inlines(struct vm_lines *l, uint64_t addr,
		     struct vm_inline_frame *out, size_t max, struct vm_err *e)
{
	struct inl_ctx c;
	Dwarf_Die cu;
	Dwarf_Error de = NULL;
	Dwarf_Addr cb = 0;
	Dwarf_Half ver = 0, osz = 0;
	uint64_t unit, die_off;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.l = l;
	c.addr = addr;
	c.e = e;
	if (load_aranges(l, e) < 0)
		return -1;
	if (!unit_of(l, addr, &unit))
		return 0;
	if (unit_die_offset(l, unit, &die_off, e) < 0)
		return -1;
	cu = vm_dwfile_die(l->f, die_off, true, &c.base, e);
	if (!cu)
		return -1;
	c.dbg = vm_dwfile_view(l->f, die_off, true, &c.base, e);
	if (dwarf_get_version_of_die(cu, &ver, &osz) == DW_DLV_OK)
		c.ver = ver;
	if (dwarf_lowpc(cu, &cb, &de) == DW_DLV_OK)
		c.cu_base = cb;
	else if (de)
		dwarf_dealloc_error(c.dbg, de);
	de = NULL;
	if (dwarf_srcfiles(cu, &c.files, &c.nfiles, &de) != DW_DLV_OK) {
		if (de)
			dwarf_dealloc_error(c.dbg, de);
		c.files = NULL;
		c.nfiles = 0;
	}
	rc = walk(&c, cu, 0);
	for (i = 0; i < (size_t)c.nfiles; i++)
		dwarf_dealloc(c.dbg, c.files[i], DW_DLA_STRING);
	if (c.files)
		dwarf_dealloc(c.dbg, c.files, DW_DLA_LIST);
	dwarf_dealloc_die(cu);
	if (rc < 0)
		return -1;
	/* the walk found outermost first; callers want innermost first,
	 * each frame with the call site that put it in its caller */
	for (i = 0; i < c.n && i < max; i++) {
		size_t j = c.n - 1 - i;

		out[i].func = c.chain[j].func;
		out[i].call_file = c.chain[j].call_file;
		out[i].call_line = c.chain[j].call_line;
	}
	return (int)(c.n < max ? c.n : max);
}
