// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module's own BTF (see modules.h vm_module_btf()).
 *
 * btf_modules (kernel/bpf/btf.c, v5.11+) lists a struct btf_module
 * {list, module, btf, ...} per module that came with BTF; struct btf
 * keeps the raw blob as the module gave it (data, data_size), the split
 * BTF whose ids continue the kernel's.
 */
#include "modules.h"

#include <inttypes.h>
#include <stdlib.h>

#include "list.h"

/* A module's BTF is a few KB; the biggest in-tree modules' a few hundred. */
#define MAX_MODULE_BTF (16u << 20)

int vm_module_btf(struct vm_kernel *k, const struct vm_module *m, uint8_t **data,
		  size_t *len, struct vm_err *e)
{
	struct vm_mem *mem = vm_kernel_mem(k, e);
	uint64_t head, node, off_list, off_mod, off_btf, off_data, off_size, mod, btf, va;
	struct vm_list_walk w;
	uint32_t size;
	int r;

	*data = NULL;
	*len = 0;
	if (!mem)
		return -1;
	if (vm_kernel_offsetof(k, "btf_module", "list", &off_list, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf_module", "module", &off_mod, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf_module", "btf", &off_btf, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf", "data", &off_data, NULL, e) < 0 ||
	    vm_kernel_offsetof(k, "btf", "data_size", &off_size, NULL, e) < 0) {
		vm_err_prefix(e, "module BTF (CONFIG_DEBUG_INFO_BTF_MODULES, v5.11+): ");
		return -1;
	}
	if (vm_kernel_symbol(k, "btf_modules", &head, e) < 0) {
		vm_err_prefix(e, "module BTF: ");
		return -1;
	}
	vm_list_init(&w, mem, head, 8192, VM_LIST_CHECK_PREV);
	while ((r = vm_list_next(&w, &node, e)) == 1) {
		if (vm_kread_u64(mem, node - off_list + off_mod, &mod, e) < 0)
			return -1;
		if (mod == m->addr)
			break;
	}
	if (r < 0) {
		vm_err_prefix(e, "btf_modules: ");
		return -1;
	}
	if (r == 0)
		return vm_fail(e, VM_ENOENT, "module %s has no BTF in btf_modules", m->name);
	if (vm_kread_u64(mem, node - off_list + off_btf, &btf, e) < 0 ||
	    vm_kread_u64(mem, btf + off_data, &va, e) < 0 ||
	    vm_kread_u32(mem, btf + off_size, &size, e) < 0) {
		vm_err_prefix(e, "module %s's struct btf: ", m->name);
		return -1;
	}
	if (!va || !size || size > MAX_MODULE_BTF)
		return vm_fail(e, VM_ECORRUPT, "module %s's BTF at %#" PRIx64 " is %u bytes",
			       m->name, va, size);
	*data = vm_malloc(size, e);
	if (!*data)
		return -1;
	if (vm_kread(mem, va, *data, size, e) < 0) {
		vm_err_prefix(e, "module %s's BTF at %#" PRIx64 ": ", m->name, va);
		free(*data);
		*data = NULL;
		return -1;
	}
	*len = size;
	return 0;
}
