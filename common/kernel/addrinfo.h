/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a kernel address is, as crash's `kmem ADDRESS` answers it.
 *
 * In this order:
 *   user       below the kernel half of the address space;
 *   stack      on a task's kernel stack (task_struct.stack, THREAD_SIZE;
 *              vmalloc'd with VMAP_STACK) or on a CPU's IRQ/exception
 *              stacks: whose (task, PID, command) or which CPU;
 *   symbol     in the kernel image (up to _end) or a module's memory:
 *              name+offset, type, module;
 *   slab       in a slab page of the linear map: cache, object, size,
 *              allocated or free (and on which CPU's free list);
 *   page       elsewhere in the linear map: the page's struct page;
 *   mem_map    inside the mem_map: the struct page it belongs to;
 *   vmalloc    in a busy vmap area: range, size, caller;
 *   mapped     mapped by the kernel page tables, none of the above
 *              (fixmap, cpu_entry_area ...);
 * and when none holds: excluded (the page tables or the page itself are
 * not in the dump) or unmapped.  The struct page is given for every
 * answer that has one.  A physical address is looked up as its page and,
 * where the linear map has it, as that virtual address.
 */
#ifndef VM_KERNEL_ADDRINFO_H
#define VM_KERNEL_ADDRINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "page.h"
#include "slab.h"
#include "vmalloc.h"

enum vm_addr_kind {
	VM_ADDR_USER,
	VM_ADDR_STACK,
	VM_ADDR_SYMBOL,
	VM_ADDR_SLAB,
	VM_ADDR_PAGE,
	VM_ADDR_MEMMAP,
	VM_ADDR_VMALLOC,
	VM_ADDR_MAPPED,
	VM_ADDR_EXCLUDED,
	VM_ADDR_UNMAPPED,
};

struct vm_addr_info {
	uint64_t addr;                  /* as given */
	bool phys_given;
	enum vm_addr_kind kind;
	uint64_t vaddr;                 /* the virtual address classified */
	bool have_phys;
	uint64_t phys;
	bool in_dump;                   /* the page's contents are in the dump */
	/* symbol */
	char sym[128];
	uint64_t sym_off;
	char sym_type;
	char module[64];
	bool past_size;                 /* beyond the symbol's size (modules) */
	/* stack */
	char stack_kind[16];            /* "task", "IRQ", "NMI" ... */
	uint64_t stack_lo, stack_hi;
	int32_t pid;                    /* task stacks */
	char comm[17];
	uint64_t task;
	int cpu;                        /* CPU stacks; -1 */
	/* the struct page */
	bool have_page;
	struct vm_page_info page;
	char page_flags[256];           /* "slab,head" */
	const char *page_type;          /* "buddy" ... or NULL */
	/* mem_map: page above is the struct page the address is in; this is
	 * the page of memory that holds that struct page */
	bool have_backing;
	uint64_t backing_phys;
	uint64_t backing_page;
	/* slab */
	bool have_slab;
	struct vm_slab_hit slab;
	/* vmalloc (also for vmalloc'd stacks) */
	bool have_vmap;
	struct vm_vmap_area vmap;
	char caller[160];               /* "alloc_thread_stack_node+83" */
	/* why there is no better answer (excluded, unmapped, partial) */
	char why[1200];
};

struct vm_addrinfo;

struct vm_addrinfo *vm_addrinfo_open(struct vm_kernel *k, struct vm_err *e);
void vm_addrinfo_close(struct vm_addrinfo *ai);

/* 0: answered (kind USER..MAPPED); 1: not answered (EXCLUDED, UNMAPPED;
 * info->why says why); -1: an error reading what should be there (e). */
int vm_addrinfo_lookup(struct vm_addrinfo *ai, uint64_t addr, bool phys,
		       struct vm_addr_info *info, struct vm_err *e);

const char *vm_addr_kind_name(enum vm_addr_kind k);

#endif
