// SPDX-License-Identifier: GPL-2.0-or-later
#include "dwarf.h"

#include <dwarf.h>
#include <elf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Views kept open at once; a struct and what it points to are usually in
 * one unit, so few are needed. */
#define MAX_VIEWS 32
/* Units a lazy file was told the bounds of (vm_dwfile_add_unit()): a run
 * that reads line tables touches a few. */
#define MAX_KNOWN 16

struct dwview {
	struct vm_dwfile *f;
	uint64_t start, end;         /* the unit */
	bool ranges;
	Dwarf_Debug dbg;
	Dwarf_Obj_Access_Interface oi;
	uint64_t last_use;
};

struct vm_dwfile {
	struct vm_elffile *img;
	struct vm_dwsecs secs;
	struct vm_dwidx idx;
	bool use_cache;
	bool idx_tried;              /* the index was loaded or built (or failed) */
	struct vm_err idx_err;       /* why not, then */
	struct { uint64_t start, end; } known[MAX_KNOWN];
	unsigned nknown, known_next;
	int info_index;              /* section index of .debug_info */
	struct dwview *views[MAX_VIEWS];
	unsigned nviews;
	uint64_t clock;
	char how[PATH_MAX + 128];
	char cb_err[1100];           /* why a libdwarf callback failed */
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int load_opt(struct vm_elffile *img, const char *name, const uint8_t **d,
		    size_t *n, struct vm_err *e)
{
	int i = vm_elffile_sec_index(img, name);

	*d = NULL;
	*n = 0;
	if (i < 0)
		return 0;
	return vm_elffile_sec_data(img, (unsigned)i, d, n, e);
}

/* The sections the index and libdwarf read, and .debug_info's size. */
static int setup_secs(struct vm_dwfile *f, struct vm_err *e)
{
	struct vm_elffile *img = f->img;
	struct vm_dwsecs *s = &f->secs;
	const char *file = vm_elffile_path(img);
	uint64_t isz;

	s->path = file;
	s->le = vm_elffile_le(img);
	s->file_size = vm_elffile_size(img);
	s->file_mtime_ns = vm_elffile_mtime_ns(img);
	s->info_fd = -1;
	if (load_opt(img, ".debug_abbrev", &s->abbrev, &s->abbrev_size, e) < 0 ||
	    load_opt(img, ".debug_str", &s->str, &s->str_size, e) < 0 ||
	    load_opt(img, ".debug_line_str", &s->line_str, &s->line_str_size, e) < 0 ||
	    load_opt(img, ".debug_str_offsets", &s->str_offsets,
		     &s->str_offsets_size, e) < 0)
		return -1;
	if (!s->abbrev)
		return vm_fail(e, VM_EFORMAT, "%s: .debug_info without .debug_abbrev",
			       file);
	if (vm_elffile_sec_size(img, (unsigned)f->info_index, &isz, e) < 0)
		return -1;
	s->info_size = (size_t)isz;
	return 0;
}

static int setup_index(struct vm_dwfile *f, bool use_cache, struct vm_err *e)
{
	struct vm_elffile *img = f->img;
	struct vm_dwsecs *s = &f->secs;
	const char *file = vm_elffile_path(img);
	uint8_t bid[64];
	size_t bidlen = 0;
	char path[PATH_MAX];
	struct vm_err ce;
	double t0;
	bool have_path;

	vm_elffile_build_id(img, bid, sizeof(bid), &bidlen);
	have_path = use_cache &&
		    vm_dwidx_cache_path(bid, (unsigned)bidlen, file,
					path, sizeof(path)) == 0;
	if (have_path && vm_dwidx_load(&f->idx, path, s, bid,
				       (unsigned)bidlen, &ce) == 1) {
		snprintf(f->how, sizeof(f->how), "name index from cache %s", path);
		return 0;
	}
	t0 = now_ms();
	/* Read .debug_info with pread when it is stored as is: the mapping
	 * would otherwise stay resident (220 MB for a kernel). */
	if (vm_elffile_sec_stored(img, (unsigned)f->info_index, &s->info_foff)) {
		s->info_fd = vm_elffile_fd(img);
	} else if (vm_elffile_sec_data(img, (unsigned)f->info_index, &s->info,
				       &s->info_size, e) < 0) {
		return -1;
	}
	if (vm_dwidx_build(s, bid, (unsigned)bidlen, &f->idx, e) < 0)
		return -1;
	s->info = NULL;
	snprintf(f->how, sizeof(f->how), "name index built in %.0f ms", now_ms() - t0);
	if (have_path) {
		if (vm_dwidx_save(&f->idx, path, &ce) == 0)
			snprintf(f->how + strlen(f->how), sizeof(f->how) - strlen(f->how),
				 ", saved to %s", path);
		else
			snprintf(f->how + strlen(f->how), sizeof(f->how) - strlen(f->how),
				 ", not cached: %s", ce.msg);
	}
	return 0;
}

/* The name index, loaded or built at the first need. */
static int need_index(struct vm_dwfile *f, struct vm_err *e)
{
	if (!f->idx_tried) {
		f->idx_tried = true;
		vm_err_clear(&f->idx_err);
		if (setup_index(f, f->use_cache, &f->idx_err) < 0)
			vm_dwidx_free(&f->idx);
	}
	if (f->idx_err.code) {
		*e = f->idx_err;
		return -1;
	}
	return 0;
}

static struct vm_dwfile *open_elf(struct vm_elffile *elf, bool use_cache, bool lazy,
				  struct vm_err *e)
{
	struct vm_dwfile *f = vm_calloc(1, sizeof(*f), e);

	if (!f) {
		vm_elffile_close(elf);
		return NULL;
	}
	f->img = elf;
	f->use_cache = use_cache;
	f->info_index = vm_elffile_sec_index(f->img, ".debug_info");
	if (f->info_index < 0) {
		vm_fail(e, VM_ENOENT, "%s has no DWARF (.debug_info)",
			vm_elffile_path(elf));
		goto fail;
	}
	if (setup_secs(f, e) < 0 || (!lazy && need_index(f, e) < 0))
		goto fail;
	return f;
fail:
	vm_dwfile_close(f);
	return NULL;
}

struct vm_dwfile *vm_dwfile_open_elf(struct vm_elffile *elf, bool use_cache,
				     struct vm_err *e)
{
	return open_elf(elf, use_cache, false, e);
}

struct vm_dwfile *vm_dwfile_open_elf_lazy(struct vm_elffile *elf, bool use_cache,
					  struct vm_err *e)
{
	return open_elf(elf, use_cache, true, e);
}

int vm_dwfile_add_unit(struct vm_dwfile *f, uint64_t start, uint64_t end,
		       struct vm_err *e)
{
	unsigned i;

	if (start >= end || end > f->secs.info_size)
		return vm_fail(e, VM_EFORMAT, "%s: unit %#llx..%#llx outside .debug_info",
			       vm_elffile_path(f->img), (unsigned long long)start,
			       (unsigned long long)end);
	for (i = 0; i < f->nknown; i++)
		if (f->known[i].start == start)
			return 0;
	i = f->nknown < MAX_KNOWN ? f->nknown++ : f->known_next++ % MAX_KNOWN;
	f->known[i].start = start;
	f->known[i].end = end;
	return 0;
}

struct vm_dwfile *vm_dwfile_open(const char *path, bool use_cache,
				 struct vm_err *e)
{
	struct vm_elffile *elf = vm_elffile_open(path, e);

	return elf ? vm_dwfile_open_elf(elf, use_cache, e) : NULL;
}

static void view_free(struct dwview *v)
{
	Dwarf_Error de = NULL;

	if (!v)
		return;
	if (v->dbg)
		dwarf_object_finish(v->dbg, &de);
	free(v);
}

void vm_dwfile_close(struct vm_dwfile *f)
{
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < f->nviews; i++)
		view_free(f->views[i]);
	vm_dwidx_free(&f->idx);
	vm_elffile_close(f->img);
	free(f);
}

const struct vm_dwidx *vm_dwfile_index(struct vm_dwfile *f)
{
	struct vm_err ie;

	/* one that could not be made finds nothing */
	need_index(f, &ie);
	return &f->idx;
}

struct vm_elffile *vm_dwfile_elf(const struct vm_dwfile *f)
{
	return f->img;
}

const char *vm_dwfile_how(const struct vm_dwfile *f)
{
	return f->how;
}

/* ---- libdwarf object access over a view ---- */

static bool shown(const struct dwview *v, const struct vm_elfsec *s)
{
	const char *n = s->dwarf_name;

	if (strncmp(n, ".debug_", 7))
		return false;
	if (!strcmp(n, ".debug_loclists") || !strcmp(n, ".debug_loc"))
		return false;
	if (!strcmp(n, ".debug_rnglists") || !strcmp(n, ".debug_ranges"))
		return v->ranges;
	/* types and line tables never need these, and libdwarf walks them */
	return strcmp(n, ".debug_frame") && strcmp(n, ".debug_aranges") &&
	       strcmp(n, ".debug_pubnames") && strcmp(n, ".debug_pubtypes");
}

static int m_section_info(void *obj, Dwarf_Half i, Dwarf_Obj_Access_Section *r,
			  int *err)
{
	struct dwview *v = obj;
	struct vm_elffile *img = v->f->img;
	const struct vm_elfsec *s = vm_elffile_sec(img, i);
	struct vm_err e;
	uint64_t size;

	if (!s)
		return DW_DLV_NO_ENTRY;
	memset(r, 0, sizeof(*r));
	r->type = SHT_PROGBITS;
	if (i == 0 || !shown(v, s)) {
		r->name = i == 0 ? "" : ".vmc.hidden";
		r->type = i == 0 ? SHT_NULL : SHT_PROGBITS;
		return DW_DLV_OK;
	}
	r->name = s->dwarf_name;
	if ((int)i == v->f->info_index) {
		r->size = v->end - v->start;
		return DW_DLV_OK;
	}
	if (vm_elffile_sec_size(img, i, &size, &e) < 0) {
		snprintf(v->f->cb_err, sizeof(v->f->cb_err), "%s", e.msg);
		*err = DW_DLE_SECTION_SIZE_ERROR;
		return DW_DLV_ERROR;
	}
	r->size = size;
	return DW_DLV_OK;
}

static Dwarf_Endianness m_byte_order(void *obj)
{
	struct dwview *v = obj;

	return vm_elffile_le(v->f->img) ? DW_OBJECT_LSB : DW_OBJECT_MSB;
}

static Dwarf_Small m_length_size(void *obj)
{
	return 4;
}

static Dwarf_Small m_pointer_size(void *obj)
{
	struct dwview *v = obj;

	return vm_elffile_is64(v->f->img) ? 8 : 4;
}

static Dwarf_Unsigned m_section_count(void *obj)
{
	struct dwview *v = obj;

	return vm_elffile_nsec(v->f->img);
}

static int m_load_section(void *obj, Dwarf_Half i, Dwarf_Small **data, int *err)
{
	struct dwview *v = obj;
	struct vm_elffile *img = v->f->img;
	const struct vm_elfsec *s = vm_elffile_sec(img, i);
	const uint8_t *p;
	size_t n;
	struct vm_err e;

	if (!s || i == 0 || !shown(v, s))
		return DW_DLV_NO_ENTRY;
	if (vm_elffile_sec_data(img, i, &p, &n, &e) < 0) {
		snprintf(v->f->cb_err, sizeof(v->f->cb_err), "%s", e.msg);
		*err = DW_DLE_ELF_SECT_ERR;
		return DW_DLV_ERROR;
	}
	if ((int)i == v->f->info_index) {
		if (v->end > n) {
			snprintf(v->f->cb_err, sizeof(v->f->cb_err),
				 "unit %#llx..%#llx outside .debug_info (%zu bytes)",
				 (unsigned long long)v->start,
				 (unsigned long long)v->end, n);
			*err = DW_DLE_ELF_SECT_ERR;
			return DW_DLV_ERROR;
		}
		p += v->start;
	}
	*data = (Dwarf_Small *)p;
	return DW_DLV_OK;
}

static const Dwarf_Obj_Access_Methods methods = {
	m_section_info, m_byte_order, m_length_size, m_pointer_size,
	m_section_count, m_load_section, NULL,
};

int vm_dwfile_err(struct vm_dwfile *f, Dwarf_Debug dbg, Dwarf_Error de,
		  const char *what, uint64_t off, struct vm_err *e)
{
	const char *msg = de ? dwarf_errmsg(de) : "no entry";

	if (f->cb_err[0]) {
		vm_fail(e, VM_EFORMAT, "%s: %s at .debug_info %#llx: %s",
			vm_elffile_path(f->img), what, (unsigned long long)off, f->cb_err);
		f->cb_err[0] = 0;
	} else {
		vm_fail(e, VM_EFORMAT, "%s: %s at .debug_info %#llx: %s",
			vm_elffile_path(f->img), what, (unsigned long long)off, msg);
	}
	/* errors of a failed dwarf_object_init_b() have no dbg; libdwarf
	 * frees those with a NULL dbg too */
	if (de)
		dwarf_dealloc_error(dbg, de);
	return -1;
}

Dwarf_Debug vm_dwfile_view(struct vm_dwfile *f, uint64_t off, bool ranges,
			   uint64_t *base, struct vm_err *e)
{
	uint64_t start, end;
	struct dwview *v;
	Dwarf_Error de = NULL;
	unsigned i, victim = 0;
	int rc;

	for (i = 0; i < f->nknown; i++)
		if (off >= f->known[i].start && off < f->known[i].end)
			break;
	if (i < f->nknown) {
		start = f->known[i].start;
		end = f->known[i].end;
	} else if (need_index(f, e) < 0) {
		return NULL;
	} else if (vm_dwidx_unit(&f->idx, off, f->secs.info_size, &start, &end) < 0) {
		vm_fail(e, VM_EFORMAT, "%s: .debug_info offset %#llx is in no unit",
			vm_elffile_path(f->img), (unsigned long long)off);
		return NULL;
	}
	for (i = 0; i < f->nviews; i++) {
		v = f->views[i];
		if (v->start == start && v->ranges == ranges) {
			v->last_use = ++f->clock;
			*base = start;
			return v->dbg;
		}
		if (v->last_use < f->views[victim]->last_use)
			victim = i;
	}
	v = vm_calloc(1, sizeof(*v), e);
	if (!v)
		return NULL;
	v->f = f;
	v->start = start;
	v->end = end;
	v->ranges = ranges;
	v->oi.object = v;
	v->oi.methods = &methods;
	f->cb_err[0] = 0;
	/* libdwarf's tracking of its allocations stays on (the default, set
	 * again here as this handle's rule): every caller here deallocates
	 * what it gets, but libdwarf 20210528 itself drops Dwarf_Errors it
	 * makes inside dwarf_attr() on a corrupt attribute form (fuzz-smoke:
	 * tests/fuzz/regress/dwarf/attr-error-leak), which only
	 * dwarf_object_finish() frees.  No measurable cost: vmdis -l -k 34-36 ms
	 * either way. */
	dwarf_set_de_alloc_flag(1);
	rc = dwarf_object_init_b(&v->oi, NULL, NULL, DW_GROUPNUMBER_ANY, &v->dbg, &de);
	if (rc != DW_DLV_OK) {
		if (rc == DW_DLV_NO_ENTRY)
			vm_fail(e, VM_EFORMAT, "%s: libdwarf found no DWARF", vm_elffile_path(f->img));
		else
			vm_dwfile_err(f, NULL, de, "opening unit", start, e);
		v->dbg = NULL;
		free(v);
		return NULL;
	}
	v->last_use = ++f->clock;
	if (f->nviews < MAX_VIEWS) {
		f->views[f->nviews++] = v;
	} else {
		view_free(f->views[victim]);
		f->views[victim] = v;
	}
	*base = start;
	return v->dbg;
}

Dwarf_Die vm_dwfile_die(struct vm_dwfile *f, uint64_t off, bool ranges,
			uint64_t *base, struct vm_err *e)
{
	Dwarf_Debug dbg = vm_dwfile_view(f, off, ranges, base, e);
	Dwarf_Error de = NULL;
	Dwarf_Die die = NULL;
	int rc;

	if (!dbg)
		return NULL;
	rc = dwarf_offdie_b(dbg, off - *base, 1, &die, &de);
	if (rc != DW_DLV_OK) {
		vm_dwfile_err(f, dbg, de, "reading DIE", off, e);
		return NULL;
	}
	return die;
}
