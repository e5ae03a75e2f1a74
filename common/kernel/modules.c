// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module list and module symbols.
 *
 * struct module facts (offsets always come from VMCOREINFO/types):
 *   list, name[MODULE_NAME_LEN];
 *   address ranges: module_core/core_size before v4.5; core_layout
 *   {base, size, ...} v4.5..v6.3 (plus data_layout v6.0..v6.3 where
 *   CONFIG_ARCH_WANTS_MODULES_DATA_IN_VMALLOC); mem[MOD_MEM_NUM_TYPES]
 *   {base, size, ...} since v6.4;
 *   kallsyms -> struct mod_kallsyms {symtab, num_symtab, strtab, typetab}
 *   (with typetab the letters are kept apart; before typetab existed the
 *   loader stored the letter in each Elf_Sym's st_info);
 *   the symtab holds Elf64_Sym (24 bytes, the ELF ABI) whose st_value the
 *   loader already relocated (simplify_symbols()).
 *   sect_attrs -> module_sect_attrs {grp, nsections, attrs[]}, each
 *   module_sect_attr {battr (its attr.name is the section name), address}:
 *   the section addresses `crash mod -s` relocates a .ko's symbols with.
 */
#include "modules.h"

#include "datasyms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../elf/elffile.h"
#include "debuginfo.h"
#include "kofind.h"
#include "list.h"
#include "modko.h"
#include "../rd.h"
#include "sysinfo.h"

#define MAX_MODULES 8192
#define MAX_MOD_SYMS (1u << 20)
#define MAX_MOD_STRTAB (16u << 20)
#define MAX_SECTIONS 4096
#define ELF64_SYM_SIZE 24

struct mod_offsets {
	uint64_t list, name, name_size;
	uint64_t kallsyms, ks_symtab, ks_num, ks_strtab, ks_typetab;
	bool have_typetab;
	/* ranges */
	int layout_kind;        /* 0 none, 1 mem[], 2 core_layout, 3 module_core */
	uint64_t mem, mem_n, mem_stride, mm_base, mm_size;
	uint64_t core, data, init, lay_base, lay_size;
	bool have_data, have_init;
	uint64_t module_core, core_size, module_init, init_size;
	bool have_module_init;
	/* what /proc/modules and crash's mod show besides the ranges */
	uint64_t state, taints, taints_size, build_id, build_id_size, srcversion,
		 version;
	bool have_state, have_taints, have_build_id, have_srcversion, have_version;
	/* notes_attrs -> module_notes_attrs {dir, notes, attrs[]} of
	 * bin_attribute {attr.name, size, private}: the module's SHF_ALLOC
	 * notes, .note.gnu.build-id among them (/sys/module/M/notes) */
	bool have_notes, notes_counted;
	uint64_t notes_attrs, na_notes, na_attrs, na_bin_attrs, battr_size, battr_name,
		 battr_len, battr_private;
	/* sections (-M) */
	bool have_sect;
	uint64_t sect_attrs, sa_nsections, sa_attrs, sattr_size, sattr_address,
		 sattr_name;
};

static const char *const mem_names[] = {
	"text", "data", "rodata", "ro_after_init", "init_text", "init_data", "init_rodata",
};

static int off(struct vm_kernel *k, const char *type, const char *member, uint64_t *o,
	       struct vm_err *e)
{
	return vm_kernel_offsetof(k, type, member, o, NULL, e);
}

static int get_offsets(struct vm_kernel *k, struct mod_offsets *mo, struct vm_err *e)
{
	struct vm_err ie;
	uint64_t sz;

	memset(mo, 0, sizeof(*mo));
	if (off(k, "module", "list", &mo->list, e) < 0 ||
	    vm_kernel_offsetof(k, "module", "name", &mo->name, &mo->name_size, e) < 0 ||
	    off(k, "module", "kallsyms", &mo->kallsyms, e) < 0 ||
	    off(k, "mod_kallsyms", "symtab", &mo->ks_symtab, e) < 0 ||
	    off(k, "mod_kallsyms", "num_symtab", &mo->ks_num, e) < 0 ||
	    off(k, "mod_kallsyms", "strtab", &mo->ks_strtab, e) < 0)
		return -1;
	if (mo->name_size == 0 || mo->name_size > VM_MOD_NAME_MAX)
		mo->name_size = VM_MOD_NAME_MAX;
	mo->have_typetab = off(k, "mod_kallsyms", "typetab", &mo->ks_typetab, &ie) == 0;

	if (vm_kernel_offsetof(k, "module", "mem", &mo->mem, &sz, &ie) == 0 &&
	    vm_kernel_sizeof(k, "module_memory", &mo->mem_stride, &ie) == 0 &&
	    mo->mem_stride && off(k, "module_memory", "base", &mo->mm_base, &ie) == 0 &&
	    off(k, "module_memory", "size", &mo->mm_size, &ie) == 0) {
		mo->layout_kind = 1;
		mo->mem_n = sz / mo->mem_stride;
		if (mo->mem_n > VM_MOD_MAX_REGIONS)
			mo->mem_n = VM_MOD_MAX_REGIONS;
	} else if (off(k, "module", "core_layout", &mo->core, &ie) == 0 &&
		   off(k, "module_layout", "base", &mo->lay_base, &ie) == 0 &&
		   off(k, "module_layout", "size", &mo->lay_size, &ie) == 0) {
		mo->layout_kind = 2;
		mo->have_data = off(k, "module", "data_layout", &mo->data, &ie) == 0;
		mo->have_init = off(k, "module", "init_layout", &mo->init, &ie) == 0;
	} else if (off(k, "module", "module_core", &mo->module_core, &ie) == 0 &&
		   off(k, "module", "core_size", &mo->core_size, &ie) == 0) {
		mo->layout_kind = 3;
		mo->have_module_init = off(k, "module", "module_init", &mo->module_init, &ie) == 0 &&
				       off(k, "module", "init_size", &mo->init_size, &ie) == 0;
	}

	mo->have_state = off(k, "module", "state", &mo->state, &ie) == 0;
	/* unsigned int before v3.? and unsigned long since: read by size */
	mo->have_taints = vm_kernel_offsetof(k, "module", "taints", &mo->taints,
					     &mo->taints_size, &ie) == 0 &&
			  (mo->taints_size == 4 || mo->taints_size == 8);
	/* CONFIG_STACKTRACE_BUILD_ID (v5.14+) */
	mo->have_build_id = vm_kernel_offsetof(k, "module", "build_id", &mo->build_id,
					       &mo->build_id_size, &ie) == 0 &&
			    mo->build_id_size > 0;
	if (mo->build_id_size > VM_MOD_BUILD_ID_MAX)
		mo->build_id_size = VM_MOD_BUILD_ID_MAX;
	/* {dir, notes, attrs[]} until v6.14, then {grp, attrs[]} whose
	 * grp.bin_attrs lists the attrs, NULL-terminated */
	mo->notes_counted = off(k, "module_notes_attrs", "notes", &mo->na_notes, &ie) == 0;
	mo->have_notes = off(k, "module", "notes_attrs", &mo->notes_attrs, &ie) == 0 &&
			 (mo->notes_counted ||
			  off(k, "module_notes_attrs", "grp.bin_attrs", &mo->na_bin_attrs, &ie) == 0) &&
			 off(k, "module_notes_attrs", "attrs", &mo->na_attrs, &ie) == 0 &&
			 vm_kernel_sizeof(k, "bin_attribute", &mo->battr_size, &ie) == 0 &&
			 off(k, "bin_attribute", "attr.name", &mo->battr_name, &ie) == 0 &&
			 off(k, "bin_attribute", "size", &mo->battr_len, &ie) == 0 &&
			 off(k, "bin_attribute", "private", &mo->battr_private, &ie) == 0;
	mo->have_srcversion = off(k, "module", "srcversion", &mo->srcversion, &ie) == 0;
	mo->have_version = off(k, "module", "version", &mo->version, &ie) == 0;

	mo->have_sect = off(k, "module", "sect_attrs", &mo->sect_attrs, &ie) == 0 &&
			off(k, "module_sect_attrs", "nsections", &mo->sa_nsections, &ie) == 0 &&
			off(k, "module_sect_attrs", "attrs", &mo->sa_attrs, &ie) == 0 &&
			vm_kernel_sizeof(k, "module_sect_attr", &mo->sattr_size, &ie) == 0 &&
			off(k, "module_sect_attr", "address", &mo->sattr_address, &ie) == 0 &&
			off(k, "module_sect_attr", "battr.attr.name", &mo->sattr_name, &ie) == 0;
	return 0;
}

static int read_u32(struct vm_mem *m, uint64_t va, uint32_t *v, struct vm_err *e)
{
	return vm_kread_u32(m, va, v, e);
}

static int add_region(struct vm_module *vm, uint64_t base, uint64_t size, const char *what)
{
	if (!base || !size || vm->nr_regions >= VM_MOD_MAX_REGIONS)
		return 0;
	vm->regions[vm->nr_regions++] = (struct vm_mod_region){ base, size, what };
	return 0;
}

static int read_layout(struct vm_mem *m, const struct mod_offsets *mo, uint64_t at,
		       uint64_t *base, uint32_t *size, struct vm_err *e)
{
	return vm_kread_u64(m, at + mo->lay_base, base, e) < 0 ||
	       read_u32(m, at + mo->lay_size, size, e) < 0 ? -1 : 0;
}

/*
 * The module's address ranges, its base and its size as /proc/modules
 * (kernel/module/procfs.c m_show()) reports them: the text base
 * (mem[MOD_TEXT] since v6.4, core_layout v4.5..v6.3, module_core before)
 * and the sum of every region (init_layout + core_layout, + data_layout
 * where it exists, v6.0..v6.3; all of mem[] since v6.4; the init regions
 * are emptied once the module is live).
 */
static int read_ranges(struct vm_mem *m, const struct mod_offsets *mo, uint64_t mod,
		       struct vm_module *vm, struct vm_err *e)
{
	uint64_t base, i, total = 0;
	uint32_t size;

	vm->nr_regions = 0;
	vm->base = vm->size = 0;
	switch (mo->layout_kind) {
	case 1:
		for (i = 0; i < mo->mem_n; i++) {
			uint64_t a = mod + mo->mem + i * mo->mem_stride;

			if (vm_kread_u64(m, a + mo->mm_base, &base, e) < 0 ||
			    read_u32(m, a + mo->mm_size, &size, e) < 0)
				return -1;
			if (i == 0)
				vm->base = base;
			total += size;
			add_region(vm, base, size,
				   i < sizeof(mem_names) / sizeof(mem_names[0]) ? mem_names[i]
										 : "mem");
		}
		break;
	case 2:
		if (read_layout(m, mo, mod + mo->core, &base, &size, e) < 0)
			return -1;
		vm->base = base;
		total = size;
		add_region(vm, base, size, "core");
		if (mo->have_data) {
			if (read_layout(m, mo, mod + mo->data, &base, &size, e) < 0)
				return -1;
			total += size;
			if (base != vm->base)
				add_region(vm, base, size, "data");
		}
		if (mo->have_init) {
			if (read_layout(m, mo, mod + mo->init, &base, &size, e) < 0)
				return -1;
			total += size;
			add_region(vm, base, size, "init");
		}
		break;
	case 3:
		if (vm_kread_u64(m, mod + mo->module_core, &base, e) < 0 ||
		    read_u32(m, mod + mo->core_size, &size, e) < 0)
			return -1;
		vm->base = base;
		total = size;
		add_region(vm, base, size, "core");
		if (mo->have_module_init) {
			if (vm_kread_u64(m, mod + mo->module_init, &base, e) < 0 ||
			    read_u32(m, mod + mo->init_size, &size, e) < 0)
				return -1;
			total += size;
			add_region(vm, base, size, "init");
		}
		break;
	default:
		break;
	}
	vm->size = total;
	return 0;
}

/* A modinfo string (srcversion, version): a pointer to a short string. */
static void read_modinfo(struct vm_mem *m, uint64_t at, char *buf, size_t len)
{
	struct vm_err e;
	uint64_t p;
	size_t i;

	buf[0] = '\0';
	if (vm_kread_u64(m, at, &p, &e) < 0 || !p || vm_kread_str(m, p, buf, len, &e) < 0) {
		buf[0] = '\0';
		return;
	}
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] >= 0x7f) {
			buf[0] = '\0';
			return;
		}
}

#define MAX_NOTES 64
#define NT_GNU_BUILD_ID 3

/* The build-id note among the module's notes (the kernel keeps every
 * SHF_ALLOC note of the .ko in module memory and lists them for sysfs,
 * v2.6.23+): an Elf_Nhdr {namesz, descsz, type} + "GNU\0" + the id.
 * attrs[] is bounded by the count (notes, or the NULL ending
 * grp.bin_attrs). */
static void read_notes_build_id(struct vm_mem *m, const struct mod_offsets *mo,
				uint64_t mod, struct vm_module *vm)
{
	struct vm_err e;
	uint64_t na, i;
	uint32_t n;

	if (vm_kread_u64(m, mod + mo->notes_attrs, &na, &e) < 0 || !na)
		return;
	if (mo->notes_counted) {
		if (read_u32(m, na + mo->na_notes, &n, &e) < 0 || n > MAX_NOTES)
			return;
	} else {
		uint64_t list, p = 1;

		/* the pointers to attrs[], up to the NULL */
		if (vm_kread_u64(m, na + mo->na_bin_attrs, &list, &e) < 0 || !list)
			return;
		for (n = 0; n < MAX_NOTES; n++)
			if (vm_kread_u64(m, list + 8ull * n, &p, &e) < 0 || !p)
				break;
		if (p)
			return;
	}
	for (i = 0; i < n; i++) {
		uint64_t at = na + mo->na_attrs + i * mo->battr_size, namep, len, note;
		uint8_t nh[16 + VM_MOD_BUILD_ID_MAX];
		char name[32];
		uint32_t namesz, descsz, type;

		if (vm_kread_u64(m, at + mo->battr_name, &namep, &e) < 0 ||
		    vm_kread_str(m, namep, name, sizeof(name), &e) < 0 ||
		    strcmp(name, ".note.gnu.build-id") ||
		    vm_kread_u64(m, at + mo->battr_len, &len, &e) < 0 ||
		    vm_kread_u64(m, at + mo->battr_private, &note, &e) < 0 || len < 16 ||
		    vm_kread(m, note, nh, len < sizeof(nh) ? (size_t)len : sizeof(nh), &e) < 0)
			continue;
		namesz = vm_rd32(nh, true);
		descsz = vm_rd32(nh + 4, true);
		type = vm_rd32(nh + 8, true);
		if (namesz != 4 || memcmp(nh + 12, "GNU", 4) || type != NT_GNU_BUILD_ID ||
		    !descsz || descsz > VM_MOD_BUILD_ID_MAX || 16 + descsz > len)
			continue;
		memcpy(vm->build_id, nh + 16, descsz);
		vm->build_id_len = descsz;
		return;
	}
}

/* State, taints, build-id, srcversion: what `mod` and /proc/modules show
 * besides the ranges. */
static int read_info(struct vm_mem *m, const struct mod_offsets *mo, uint64_t mod,
		     struct vm_module *vm, struct vm_err *e)
{
	uint32_t v32;
	uint64_t v64;
	unsigned i;
	bool any = false;

	vm->state = -1;
	if (mo->have_state) {
		if (read_u32(m, mod + mo->state, &v32, e) < 0)
			return -1;
		vm->state = v32 <= VM_MODULE_UNFORMED ? (int)v32 : -1;
	}
	if (mo->have_taints) {
		if (mo->taints_size == 8 ? vm_kread_u64(m, mod + mo->taints, &v64, e) < 0
					 : read_u32(m, mod + mo->taints, &v32, e) < 0)
			return -1;
		vm->taints = mo->taints_size == 8 ? v64 : v32;
		vm->have_taints = true;
	}
	if (mo->have_build_id) {
		if (vm_kread(m, mod + mo->build_id, vm->build_id, mo->build_id_size, e) < 0)
			return -1;
		for (i = 0; i < mo->build_id_size; i++)
			any |= vm->build_id[i] != 0;
		/* a module built without a build-id note keeps zeros */
		vm->build_id_len = any ? (unsigned)mo->build_id_size : 0;
	}
	if (!vm->build_id_len && mo->have_notes)
		read_notes_build_id(m, mo, mod, vm);
	if (mo->have_srcversion)
		read_modinfo(m, mod + mo->srcversion, vm->srcversion, sizeof(vm->srcversion));
	if (mo->have_version)
		read_modinfo(m, mod + mo->version, vm->version, sizeof(vm->version));
	return 0;
}

/* Add the module's in-memory kallsyms. */
static int add_mod_syms(struct vm_kernel *k, struct vm_symtab *st,
			const struct mod_offsets *mo, uint64_t mod, struct vm_module *vm,
			struct vm_err *e)
{
	struct vm_mem *m = k->mem;
	uint64_t ks, symtab, strtab, typetab = 0;
	uint32_t num, i;
	uint8_t *syms = NULL, *types = NULL;
	char *strs = NULL;
	uint64_t strsz = 0;
	int ret = -1;

	if (vm_kread_u64(m, mod + mo->kallsyms, &ks, e) < 0)
		return -1;
	if (!ks)
		return 0;
	if (vm_kread_u64(m, ks + mo->ks_symtab, &symtab, e) < 0 ||
	    read_u32(m, ks + mo->ks_num, &num, e) < 0 ||
	    vm_kread_u64(m, ks + mo->ks_strtab, &strtab, e) < 0 ||
	    (mo->have_typetab && vm_kread_u64(m, ks + mo->ks_typetab, &typetab, e) < 0))
		return -1;
	if (num > MAX_MOD_SYMS)
		return vm_fail(e, VM_ECORRUPT, "module %s: num_symtab %u", vm->name, num);
	if (!num)
		return 0;
	syms = vm_malloc((size_t)num * ELF64_SYM_SIZE, e);
	if (!syms)
		goto out;
	if (vm_kread(m, symtab, syms, (size_t)num * ELF64_SYM_SIZE, e) < 0)
		goto out;
	if (typetab) {
		types = vm_malloc(num, e);
		if (!types || vm_kread(m, typetab, types, num, e) < 0)
			goto out;
	}
	/* strtab size is not recorded: it ends where the highest st_name's
	 * string ends */
	for (i = 0; i < num; i++) {
		const uint8_t *s = syms + (size_t)i * ELF64_SYM_SIZE;
		uint32_t nm = vm_le32(s);

		if (nm >= strsz)
			strsz = (uint64_t)nm + 1;
	}
	if (strsz > MAX_MOD_STRTAB) {
		vm_fail(e, VM_ECORRUPT, "module %s: symbol name offset %" PRIu64,
			vm->name, strsz);
		goto out;
	}
	strsz += 512;    /* room for the last name */
	strs = vm_malloc(strsz + 1, e);
	if (!strs)
		goto out;
	/* the last bytes may run onto an unmapped page: shrink until it reads */
	while (vm_kread(m, strtab, strs, strsz, e) < 0) {
		if (strsz <= 512)
			goto out;
		strsz -= 256;
	}
	strs[strsz] = '\0';
	for (i = 1; i < num; i++) {
		const uint8_t *s = syms + (size_t)i * ELF64_SYM_SIZE;
		/* Elf64_Sym in the target's (little-endian) order */
		uint32_t nm = vm_le32(s);
		uint8_t info = s[4];
		uint16_t shndx = vm_le16(s + 6);
		uint64_t value = vm_le64(s + 8), size = vm_le64(s + 16);
		char type;
		if (nm >= strsz || !strs[nm] || shndx == 0 /* SHN_UNDEF */)
			continue;
		/* typetab has the kernel's elf_type(), always lower case; nm
		 * (and System.map, crash) show global symbols in upper case */
		type = types ? (char)types[i] : (char)info;
		if (type < 'A' || (type > 'Z' && type < 'a') || type > 'z')
			type = '?';
		else if (types && type >= 'a' && ((info >> 4) == 1 /* STB_GLOBAL */ ||
						  (info >> 4) == 2 /* STB_WEAK */))
			type = (char)(type - 'a' + 'A');
		if (vm_symtab_add(st, value, size, type, strs + nm, vm->name, e) < 0)
			goto out;
		vm->nr_syms++;
	}
	ret = 0;
out:
	free(syms);
	free(types);
	free(strs);
	return ret;
}

/* ---- .ko files (-M DIR, or found: kofind.h) ---- */

struct ko_ctx {
	struct vm_symtab *st;
	struct vm_module *vm;
	struct vm_mod_section *sects;
	unsigned nsects;
	unsigned mismatched, checked;
	char first[128];        /* the first symbol at another address */
	uint64_t first_ko, first_dump;
	bool dry;               /* first pass: only compare with kallsyms */
	struct vm_err *e;
};

static const struct vm_mod_section *find_sect(const struct ko_ctx *c, const char *name)
{
	unsigned i;

	for (i = 0; i < c->nsects; i++)
		if (!strcmp(c->sects[i].name, name))
			return &c->sects[i];
	return NULL;
}

static int ko_sym(void *arg, const char *name, uint64_t value, uint64_t size, char type,
		  unsigned shndx, const char *secname)
{
	struct ko_ctx *c = arg;
	const struct vm_mod_section *s;
	const struct vm_sym *have;
	uint64_t addr;

	if (shndx == 0 || shndx >= 0xff00 || !secname[0] || strchr("aNUwnv?", type))
		return 0;
	/* .init sections are freed once the module is live */
	if (!strncmp(secname, ".init", 5))
		return 0;
	s = find_sect(c, secname);
	if (!s)
		return 0;
	addr = s->addr + value;
	have = vm_sym_by_name(c->st, name, c->vm->name);
	if (c->dry) {
		if (have) {
			c->checked++;
			if (have->addr != addr && !c->mismatched++) {
				snprintf(c->first, sizeof(c->first), "%s", name);
				c->first_ko = addr;
				c->first_dump = have->addr;
			}
		}
		return 0;
	}
	if (have && have->addr == addr)
		return 0;
	if (vm_symtab_add(c->st, addr, size, type, name, c->vm->name, c->e) < 0)
		return -1;
	c->vm->nr_ko_syms++;
	return 0;
}

static int read_sections(struct vm_kernel *k, const struct mod_offsets *mo, uint64_t mod,
			 struct vm_mod_section **out, unsigned *n, struct vm_err *e)
{
	struct vm_mem *m = k->mem;
	uint64_t sa, i;
	uint32_t ns;
	struct vm_mod_section *s;

	*out = NULL;
	*n = 0;
	if (vm_kread_u64(m, mod + mo->sect_attrs, &sa, e) < 0)
		return -1;
	if (!sa)
		return vm_fail(e, VM_ENOENT, "no section attributes (sect_attrs is NULL)");
	if (read_u32(m, sa + mo->sa_nsections, &ns, e) < 0)
		return -1;
	if (ns > MAX_SECTIONS)
		return vm_fail(e, VM_ECORRUPT, "sect_attrs.nsections is %u", ns);
	s = vm_calloc(ns ? ns : 1, sizeof(*s), e);
	if (!s)
		return -1;
	for (i = 0; i < ns; i++) {
		uint64_t at = sa + mo->sa_attrs + i * mo->sattr_size, namep;

		if (vm_kread_u64(m, at + mo->sattr_address, &s[i].addr, e) < 0 ||
		    vm_kread_u64(m, at + mo->sattr_name, &namep, e) < 0 ||
		    vm_kread_str(m, namep, s[i].name, sizeof(s[i].name), e) < 0) {
			free(s);
			return -1;
		}
	}
	*out = s;
	*n = ns;
	return 0;
}

/* One candidate file: 1 its symbols were added, 0 not (another build's:
 * why in refused when that is the first such file). */
static int ko_file_syms(struct vm_kernel *k, struct ko_ctx *c, const char *path,
			char *refused, size_t refused_size)
{
	struct vm_module *vm = c->vm;
	struct vm_elffile *ef = vm_modko_file_open(path, c->e);
	int r = 0;

	if (!ef) {
		vm_kernel_note(k, "modules: %s", c->e->msg);
		return 0;
	}
	/* A .ko from another build names the same functions at other
	 * offsets: check against the symbols the dump has first. */
	c->dry = true;
	c->mismatched = c->checked = 0;
	if (vm_elffile_each_symbol(ef, ko_sym, c, c->e) < 0 || c->mismatched) {
		vm_kernel_note(k, "modules: %s does not match the loaded %s (%u of %u "
			       "symbols at other addresses); not used", path, vm->name,
			       c->mismatched, c->checked);
		if (c->mismatched && !refused[0])
			snprintf(refused, refused_size,
				 "%s does not belong to this dump: %s is at 0x%" PRIx64
				 " in it (with the module's section addresses), at 0x%" PRIx64
				 " in the dump (module %s; %u of %u symbols differ)", path,
				 c->first, c->first_ko, c->first_dump, vm->name, c->mismatched,
				 c->checked);
		goto out;
	}
	c->dry = false;
	if (vm_elffile_each_symbol(ef, ko_sym, c, c->e) < 0) {
		vm_kernel_note(k, "modules: %s: %s", path, c->e->msg);
		goto out;
	}
	vm->ko_path = vm_strdup(path, c->e);
	vm_kernel_note(k, "modules: %s: %zu symbols from %s (%u checked against the dump)",
		       vm->name, vm->nr_ko_syms, path, c->checked);
	r = 1;
out:
	vm_elffile_close(ef);
	return r;
}

/* The symbols of the module's .ko that its kallsyms lacks, from the first
 * candidate (best first: kofind.h) whose symbols are where the dump has
 * them. */
static void add_ko_syms(struct vm_kernel *k, struct vm_symtab *st,
			const struct mod_offsets *mo, uint64_t mod, struct vm_module *vm)
{
	struct ko_ctx c = { 0 };
	struct vm_kofiles f;
	struct vm_err ie;
	char refused[sizeof(vm->ko_refused)] = "";
	unsigned i;

	if (vm_kofind(k, vm->name, &f, &ie) < 0) {
		vm_kernel_note(k, "modules: %s", ie.msg);
		return;
	}
	if (!mo->have_sect) {
		vm_kernel_note(k, "modules: %s: the kernel's types lack module section "
			       "attributes; .ko symbols not added", vm->name);
		return;
	}
	if (read_sections(k, mo, mod, &c.sects, &c.nsects, &ie) < 0) {
		vm_kernel_note(k, "modules: %s: section addresses: %s", vm->name, ie.msg);
		return;
	}
	c.st = st;
	c.vm = vm;
	c.e = &ie;
	for (i = 0; i < f.n; i++)
		if (ko_file_syms(k, &c, f.path[i], refused, sizeof(refused)))
			break;
	/* -M named the file: the kernel refuses it (debuginfo.c); a searched
	 * one is only skipped */
	if (i == f.n && refused[0] && vm_kofind_given(k))
		memcpy(vm->ko_refused, refused, sizeof(refused));
	free(c.sects);
}

void vm_modlist_free(struct vm_modlist *ml)
{
	size_t i;

	if (!ml)
		return;
	for (i = 0; i < ml->n; i++)
		free(ml->mods[i].ko_path);
	free(ml->mods);
	free(ml);
}

int vm_kernel_load_modules(struct vm_kernel *k, struct vm_err *e)
{
	struct vm_symtab *st;
	struct mod_offsets mo;
	struct vm_list_walk w;
	struct vm_modlist *ml = NULL;
	uint64_t head, node;
	size_t cap = 0;
	bool derived = false;
	int r;

	if (k->modules_loaded) {
		if (!k->modlist) {
			*e = k->modules_err;
			return -1;
		}
		return 0;
	}
	k->modules_loaded = true;
	vm_err_clear(&k->modules_err);
	st = vm_kernel_symtab_core(k, &k->modules_err);
	if (!st)
		goto fail;
	if (!k->mem) {
		vm_fail(&k->modules_err, VM_EUNSUP, "no kernel memory view: %s", k->mem_err.msg);
		goto fail;
	}
	/* on a text-only kallsyms, found in memory (derived.c) */
	derived = vm_kernel_text_only(k);
	if (vm_kernel_symbol(k, "modules", &head, &k->modules_err) < 0) {
		if (derived)
			vm_err_prefix(&k->modules_err, "the module list (kallsyms has text "
				      "symbols only, `modules` was looked for in memory): ");
		goto fail;
	}
	if (derived)
		vm_kernel_note(k, "modules: the list head at %#" PRIx64 ", found in memory "
			       "(kallsyms has text symbols only)", head);
	if (get_offsets(k, &mo, &k->modules_err) < 0) {
		vm_err_prefix(&k->modules_err, "struct module layout: ");
		goto fail;
	}
	ml = vm_calloc(1, sizeof(*ml), &k->modules_err);
	if (!ml)
		goto fail;
	ml->head = head;
	ml->head_derived = derived;
	vm_list_init(&w, k->mem, head, MAX_MODULES, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, &k->modules_err)) == 1) {
		struct vm_module *vm;
		uint64_t mod = node - mo.list;
		struct vm_err me;

		if (ml->n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct vm_module *nm = vm_realloc_array(ml->mods, ncap, sizeof(*nm),
								&k->modules_err);

			if (!nm)
				goto fail;
			ml->mods = nm;
			cap = ncap;
		}
		vm = &ml->mods[ml->n];
		memset(vm, 0, sizeof(*vm));
		vm->addr = mod;
		vm->state = -1;
		if (vm_kread(k->mem, mod + mo.name, vm->name, mo.name_size, &me) < 0)
			vm->name[0] = '\0';
		vm->name[mo.name_size - 1] = '\0';
		vm->name[VM_MOD_NAME_MAX - 1] = '\0';
		if (!vm->name[0])
			snprintf(vm->name, sizeof(vm->name), "module@%" PRIx64, mod);
		ml->n++;
		/* one damaged module must not hide the others */
		if (read_ranges(k->mem, &mo, mod, vm, &me) < 0 ||
		    read_info(k->mem, &mo, mod, vm, &me) < 0 ||
		    add_mod_syms(k, st, &mo, mod, vm, &me) < 0) {
			snprintf(vm->err, sizeof(vm->err), "%.*s", (int)sizeof(vm->err) - 1,
				 me.msg);
			vm_kernel_note(k, "modules: %s at 0x%" PRIx64 ": %s", vm->name, mod,
				       me.msg);
		}
		add_ko_syms(k, st, &mo, mod, vm);
	}
	if (r < 0) {
		vm_err_prefix(&k->modules_err, "module list at 0x%" PRIx64 ": ", head);
		goto fail;
	}
	vm_symtab_finish(st);
	k->modlist = ml;
	vm_kernel_note(k, "modules: %zu loaded", ml->n);
	return 0;
fail:
	vm_modlist_free(ml);
	*e = k->modules_err;
	return -1;
}

const struct vm_modlist *vm_kernel_modules(struct vm_kernel *k, struct vm_err *e)
{
	if (vm_kernel_load_modules(k, e) < 0)
		return NULL;
	return k->modlist;
}

int vm_kernel_module_sections(struct vm_kernel *k, const struct vm_module *m,
			      struct vm_mod_section **out, unsigned *n,
			      struct vm_err *e)
{
	struct mod_offsets mo;

	if (!k->mem)
		return vm_fail(e, VM_EUNSUP, "no kernel memory view: %s", k->mem_err.msg);
	if (get_offsets(k, &mo, e) < 0)
		return -1;
	if (!mo.have_sect)
		return vm_fail(e, VM_ENOENT, "the kernel's types lack module section "
			       "attributes (struct module_sect_attrs)");
	if (read_sections(k, &mo, m->addr, out, n, e) < 0) {
		vm_err_prefix(e, "module %s: section addresses: ", m->name);
		return -1;
	}
	return 0;
}

const struct vm_module *vm_kernel_module_by_addr(struct vm_kernel *k, uint64_t addr)
{
	struct vm_err ie;
	size_t i;
	unsigned j;

	if (vm_kernel_load_modules(k, &ie) < 0)
		return NULL;
	for (i = 0; i < k->modlist->n; i++) {
		const struct vm_module *vm = &k->modlist->mods[i];

		for (j = 0; j < vm->nr_regions; j++)
			if (addr >= vm->regions[j].base &&
			    addr - vm->regions[j].base < vm->regions[j].size)
				return vm;
	}
	return NULL;
}

const char *vm_module_state_name(int state)
{
	switch (state) {
	case VM_MODULE_LIVE: return "Live";
	case VM_MODULE_COMING: return "Loading";
	case VM_MODULE_GOING: return "Unloading";
	case VM_MODULE_UNFORMED: return "Unformed";
	default: return "?";
	}
}
