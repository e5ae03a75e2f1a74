/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvmcore: the one header a program includes.
 *
 * A program opens a dump (vm_kernel_open), asks the library (tasks,
 * backtraces, the log, symbols, types, the system summary) and prints the
 * answer with the printers below, or its own way from the records of
 * vmcore_types.h.  Handles are opaque: everything about them is asked
 * through the functions here.  This header and the ones it includes
 * (vmcore_types.h, err.h, opts.h, caps.h, out/json.h, out/cli.h) are the
 * whole public face: the programs in bin/ and tests/examples/ are built
 * with only these on their include path (Makefile, PUBLIC_HDRS).
 *
 * Conventions (DESIGN.md): a function returns 0 / -1, or a pointer /
 * NULL, and leaves the reason in the caller's struct vm_err; the library
 * never prints on its own (the printers print where they are told).
 * Pointers a function hands out live as long as the handle they came
 * from.  What a call may cost is said where it is more than a lookup.
 *
 * A small program in full (tests/examples/wchan.c is another):
 *
 *	struct vm_err e;
 *	struct vm_kernel *k = vm_kernel_open("vmcore", NULL, &e);
 *	struct vm_tasklist *tl = k ? vm_tasks_open(k, VM_TASKS_NOMEM, &e) : NULL;
 *
 *	for (size_t i = 0; tl && i < vm_tasks_n(tl); i++)
 *		printf("%d %s\n", vm_tasks_at(tl, i)->pid, vm_tasks_at(tl, i)->comm);
 *	vm_tasks_close(tl);
 *	vm_kernel_close(k);
 */
#ifndef VM_VMCORE_H
#define VM_VMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "caps.h"
#include "err.h"
#include "opts.h"
#include "out/cli.h"
#include "out/json.h"
#include "vmcore_types.h"
#include "vmcore_code.h"

/* ---- handles ---- */

struct vm_kernel;      /* a dump and the kernel in it */
struct vm_mem;         /* the kernel's virtual memory, through the dump */
struct vm_symtab;      /* the symbol table: kernel, then modules */
struct vm_types;       /* the kernel's types (DWARF or BTF) */
struct vm_type;        /* one type */
struct vm_tasklist;    /* the tasks, collected once */
struct vm_bt;          /* the stack unwinder, set up once for many walks */
struct vm_trace;       /* one walk's frames */
struct vm_printk;      /* the kernel log, decoded */
struct vm_printk_rec;  /* one log record (print it with vm_logprint_rec) */
struct vm_printk_lost; /* a run of records that could not be read */
struct vm_btprint;     /* a backtrace printer */
struct vm_logprint;    /* a log printer */
struct vm_symprint;    /* a symbol printer */

/* ---- the kernel ---- */

/* Opens the dump at path (format by content) and what can be had without
 * debuginfo: VMCOREINFO, the arch view of memory.  o may be NULL.  Fails
 * only when the dump itself cannot be opened. */
struct vm_kernel *vm_kernel_open(const char *path, const struct vm_opts *o,
				 struct vm_err *e);
void vm_kernel_close(struct vm_kernel *k);
/* A -v note through o->note (nothing without one). */
void vm_kernel_note(struct vm_kernel *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The vmlinux used: -k, else one searched by build-id and release and
 * checked against the dump (the first call searches).  NULL when none. */
const char *vm_kernel_vmlinux(struct vm_kernel *k, struct vm_err *e);

/* Address of a kernel symbol: VMCOREINFO first, then the kernel's symbol
 * table (loaded at the first call: a vmlinux, or the dump's kallsyms
 * decoded), then, only for a name the kernel lacks, the modules' symbols
 * (a walk of the module list, which needs the types). */
int vm_kernel_symbol(struct vm_kernel *k, const char *name, uint64_t *addr,
		     struct vm_err *e);

/* The kernel's virtual memory (page tables, KASLR); NULL with the reason
 * when the dump gives no way to translate addresses. */
struct vm_mem *vm_kernel_mem(struct vm_kernel *k, struct vm_err *e);
/* Reads of kernel virtual memory; a page the dump left out is VM_ENOPAGE,
 * an unmapped address VM_ENOMAP. */
int vm_kread(struct vm_mem *m, uint64_t va, void *buf, size_t len, struct vm_err *e);
int vm_kread_u32(struct vm_mem *m, uint64_t va, uint32_t *v, struct vm_err *e);
int vm_kread_u64(struct vm_mem *m, uint64_t va, uint64_t *v, struct vm_err *e);
/* A NUL-terminated string of at most bufsz - 1 bytes; its length. */
long vm_kread_str(struct vm_mem *m, uint64_t va, char *buf, size_t bufsz,
		  struct vm_err *e);

/* ---- symbols ---- */

/* The kernel's own symbols (a vmlinux's .symtab, a System.map, or the
 * dump's kallsyms; loaded at the first call). */
struct vm_symtab *vm_kernel_symtab_core(struct vm_kernel *k, struct vm_err *e);
/* The same with every loaded module's symbols (walks the module list once:
 * needs the types). */
struct vm_symtab *vm_kernel_symtab(struct vm_kernel *k, struct vm_err *e);
/* Add the modules' symbols to the table now (once); -1 with the reason. */
int vm_kernel_load_modules(struct vm_kernel *k, struct vm_err *e);
/* A module of that name is loaded (walks the module list once). */
bool vm_kernel_has_module(struct vm_kernel *k, const char *name);

size_t vm_symtab_count(const struct vm_symtab *st);
/* i-th symbol in address order */
const struct vm_sym *vm_symtab_at(struct vm_symtab *st, size_t i);
enum vm_sym_source vm_symtab_source(const struct vm_symtab *st);
/* Exact name; module NULL = any (the kernel's preferred). */
const struct vm_sym *vm_sym_by_name(struct vm_symtab *st, const char *name,
				    const char *module);
/* Every symbol of that name, up to max, in address order; how many in all. */
size_t vm_sym_by_name_all(struct vm_symtab *st, const char *name, const char *module,
			  const struct vm_sym **out, size_t max);
/* The symbol holding addr; *off = addr - its address. */
const struct vm_sym *vm_sym_by_addr(struct vm_symtab *st, uint64_t addr, uint64_t *off);
/* The same as "name" or "name+OFF" (flags VM_SYMF_*); NULL and "" if none. */
const struct vm_sym *vm_sym_format(struct vm_symtab *st, uint64_t addr, unsigned flags,
				   char *buf, size_t len, uint64_t *off);

/* ---- arguments ---- */

/* What a command-line argument names, one reading for every program
 * (kernel/resolve.c has the rules): a PID, a task address, a command, an
 * address or SYMBOL[+OFF].  vm_arg_kinds: the kinds its spelling allows
 * (a usage error when 0); vm_arg_resolve: the one it is (tl, may be NULL,
 * tells PIDs from task addresses). */
unsigned vm_arg_kinds(const char *arg, unsigned accept);
int vm_arg_resolve(struct vm_kernel *k, const struct vm_tasklist *tl, const char *arg,
		   unsigned accept, struct vm_arg *out, struct vm_err *e);

/* ---- tasks ---- */

/* Every task: the task lists, each thread group, each CPU's idle task
 * (flags VM_TASKS_*).  NULL only when no task can be listed; a walk cut
 * short keeps what it read and says why in vm_tasks_damage. */
struct vm_tasklist *vm_tasks_open(struct vm_kernel *k, unsigned flags, struct vm_err *e);
void vm_tasks_close(struct vm_tasklist *tl);
size_t vm_tasks_n(const struct vm_tasklist *tl);
const struct vm_task_info *vm_tasks_at(const struct vm_tasklist *tl, size_t i);
const struct vm_task_info *vm_tasklist_by_pid(const struct vm_tasklist *tl, int32_t pid);
const struct vm_task_info *vm_tasklist_by_task(const struct vm_tasklist *tl, uint64_t task);
/* What CPU cpu ran at the crash; NULL unknown. */
const struct vm_task_info *vm_tasks_on_cpu(const struct vm_tasklist *tl, unsigned cpu);
unsigned vm_tasks_nr_cpus(const struct vm_tasklist *tl);
const char *vm_tasks_damage(const struct vm_tasklist *tl);
const char *vm_tasks_state_source(const struct vm_tasklist *tl);
const char *vm_tasks_mem_source(const struct vm_tasklist *tl, uint64_t *pages);
/* The tasks the selectors (none: all) and filters (VM_PICK_*) choose, in
 * list order; marks the selectors that matched.  free() the array. */
const struct vm_task_info **vm_tasks_pick(const struct vm_tasklist *tl,
					  struct vm_task_sel *sel, size_t nsel,
					  unsigned filter, size_t *n, struct vm_err *e);
/* One task by address, without walking the lists. */
int vm_task_read(struct vm_kernel *k, uint64_t task, struct vm_task_info *out,
		 struct vm_err *e);
/* The task that panicked (its active_cpu the panicking CPU). */
int vm_panic_task(struct vm_kernel *k, struct vm_task_info *out, struct vm_err *e);

/* ---- backtraces ---- */

/* The unwinder for this dump (flags VM_BT_*): finds the unwind tables and
 * the CPUs' stacks once. */
struct vm_bt *vm_bt_open(struct vm_kernel *k, unsigned flags, struct vm_err *e);
void vm_bt_close(struct vm_bt *b);
/* -v: the tables and stacks it found */
const char *vm_bt_how(struct vm_bt *b);

/* Task t's stack, from its CPU's registers when it was running (and the
 * dump has them), else from the frame it saved.  NULL when no walk could
 * start; a walk that stopped early keeps its frames (vm_trace_stopped). */
struct vm_trace *vm_trace_task(struct vm_bt *b, const struct vm_task_info *t,
			       struct vm_err *e);
void vm_trace_free(struct vm_trace *tr);
unsigned vm_trace_n(const struct vm_trace *tr);
/* Frame i, innermost first (VM_FRAME_START: the registers it began from). */
const struct vm_frame *vm_trace_frame(const struct vm_trace *tr, unsigned i);
/* The name of the stack frame i is on ("task", "IRQ", ...), or NULL. */
const char *vm_trace_stack(const struct vm_trace *tr, unsigned i);
/* Why the walk stopped before the bottom of the stack, or NULL. */
const char *vm_trace_stopped(const struct vm_trace *tr);

/* ---- the log ---- */

/* The printk buffer decoded, every format (flags VM_PRINTK_WANT_*).  NULL
 * only when no record at all can be had. */
struct vm_printk *vm_printk_open_kernel(struct vm_kernel *k, unsigned flags,
					struct vm_err *e);
void vm_printk_close(struct vm_printk *p);
/* "5.10+ printk_ringbuffer" and the like, for -v */
const char *vm_printk_kind(const struct vm_printk *p);
size_t vm_printk_count(const struct vm_printk *p);
/* Iterator: *pos starts at 0; NULL at the end. */
const struct vm_printk_rec *vm_printk_next(const struct vm_printk *p, size_t *pos);
size_t vm_printk_nr_lost(const struct vm_printk *p);
const struct vm_printk_lost *vm_printk_lost(const struct vm_printk *p, size_t i);
/* The newest record's timestamp (ns): the uptime the log tells. */
int vm_printk_uptime(const struct vm_printk *p, uint64_t *ns);

/* ---- the system ---- */

/* crash's `sys` fields; never fails (what cannot be had stays unset,
 * si->why says why).  Costs what each field costs: the log, the tasks. */
void vm_sysinfo_collect(struct vm_kernel *k, struct vm_sysinfo *si);
/* The crash time (seconds since the epoch) and where it came from. */
int vm_crash_time(struct vm_kernel *k, int64_t *t, const char **src, struct vm_err *e);

/* ---- types and values ---- */

/* The kernel's types: the vmlinux's DWARF, else its .BTF, else the BTF in
 * the dump's memory (loaded at the first call; the DWARF name index is
 * built once per vmlinux and cached). */
struct vm_types *vm_kernel_types(struct vm_kernel *k, struct vm_err *e);
/* "task_struct", "struct page", "union x", "enum y", a typedef, a base type */
const struct vm_type *vm_types_find(struct vm_types *ts, const char *name,
				    struct vm_err *e);
/* C spelling of t ("struct list_head *"), decl after it; like snprintf. */
int vm_type_name(struct vm_types *ts, const struct vm_type *t, const char *decl,
		 char *buf, size_t n, struct vm_err *e);

/* ---- printers (text as crash prints it, or JSON records) ---- */

/* Formatters (out/format.c) */
void vm_format_duration(uint64_t ns, char *buf, size_t len);
void vm_format_size(uint64_t bytes, char *buf, size_t len);
void vm_format_taint(uint64_t mask, char *buf, size_t len);
/* crash's task header: "PID: 1  TASK: ...  CPU: 0  COMMAND: "init"" */
void vm_out_task_header(FILE *f, const struct vm_task_info *t, const char *indent);

/* Backtraces (out/bt.c): flags VM_BTP_*; j: JSON records, else text to f.
 * vm_btprint_task: 0 the trace reached the bottom, 1 it stopped early or
 * could not start (said in the output). */
struct vm_btprint *vm_btprint_open(struct vm_kernel *k, struct vm_bt *b, unsigned flags,
				   FILE *f, struct vm_json *j, struct vm_err *e);
void vm_btprint_close(struct vm_btprint *p);
const char *vm_btprint_note(const struct vm_btprint *p);
int vm_btprint_task(struct vm_btprint *p, const struct vm_task_info *t, bool blank);
/* What the printer could not say in its output (-l: a line table that
 * cannot be opened, once per table) goes to warn. */
void vm_btprint_on_warn(struct vm_btprint *p, void (*warn)(void *ctx, const char *msg),
			void *ctx);
/* A manual start (crash's bt -S/-I): the next traces begin at stack
 * address sp (and pc ip, 0 for the return address found there) instead of
 * the task's registers; sp 0 goes back to those. */
void vm_btprint_start(struct vm_btprint *p, uint64_t sp, uint64_t ip);

/* Task views (out/ps.c): crash's ps layouts of the tasks v[0..n). */
int vm_out_ps(FILE *f, struct vm_json *j, const struct vm_tasklist *tl,
	      enum vm_ps_view view, const struct vm_task_info **v, size_t n,
	      unsigned flags, struct vm_err *e);

/* The log (out/log.c): flags VM_LOGP_*, boot_sec the wall clock at
 * timestamp 0 for VM_LOGP_CTIME. */
struct vm_logprint *vm_logprint_open(FILE *f, struct vm_json *j, unsigned flags,
				     int64_t boot_sec, struct vm_err *e);
void vm_logprint_rec(struct vm_logprint *p, const struct vm_printk_rec *r);
void vm_logprint_close(struct vm_logprint *p);
void vm_out_log_lost(const struct vm_printk_lost *l, char *buf, size_t len);
void vm_out_log_lost_json(struct vm_json *j, const struct vm_printk_lost *l);

/* Symbols (out/sym.c): flags VM_SYMP_*; warn hears what is missing. */
struct vm_symprint *vm_symprint_open(struct vm_kernel *k, FILE *f, struct vm_json *j,
				     unsigned flags, const char *srcdir,
				     void (*warn)(void *ctx, const char *msg), void *ctx,
				     struct vm_err *e);
void vm_symprint_close(struct vm_symprint *p);
void vm_out_sym(struct vm_symprint *p, const struct vm_sym *s, uint64_t addr,
		uint64_t off, const char *query);
void vm_out_sym_map(struct vm_symprint *p, const struct vm_sym *s);
/* A data symbol a kallsyms-only dump lacks but the library found in memory
 * (init_task, modules, runqueues ...), marked "(derived)"; -1 none. */
int vm_out_sym_derived(struct vm_symprint *p, const char *name);
/* System.map lines of st (only module's, when given), the derived symbols
 * among them. */
void vm_out_sym_list(struct vm_symprint *p, struct vm_symtab *st, const char *module);

/* The system summary (out/sys.c) */
void vm_out_sys_text(FILE *f, const struct vm_sysinfo *si, const char *dump);
/* The machine view: one tab-separated line, or one JSON object, of the
 * same raw fields (vmsys(1) COLUMNS); the -1 header line; the line of a
 * dump that could not be opened (ERROR holds why, the other fields "-"). */
void vm_out_sys_oneline(FILE *f, const struct vm_sysinfo *si, const char *dump);
void vm_out_sys_header(FILE *f);
void vm_out_sys_oneline_failed(FILE *f, const char *dump, const char *error);
void vm_out_sys_json(struct vm_json *j, const struct vm_sysinfo *si, const char *dump);

/* Types and values (out/value.c): a layout, and count values of t at addr
 * (only the members listed, when nmembers; flags VM_VALUE_*). */
int vm_out_layout(struct vm_types *ts, const struct vm_type *t, enum vm_layout how,
		  FILE *f, struct vm_json *j, struct vm_err *e);
int vm_out_values(struct vm_kernel *k, struct vm_types *ts, const struct vm_type *t,
		  uint64_t addr, uint64_t count, char *const *members, unsigned nmembers,
		  unsigned flags, FILE *f, struct vm_json *j, struct vm_err *e);

/* ---- task selection (kernel/tasksel.c): crash's foreach / ps -S ---- */

/* States (crash's codes "UN,RU"), a command regex, PIDs ("1,93-98"): a
 * task is chosen when every criterion given holds (any value of one). */
struct vm_tasksel;
struct vm_tasksel *vm_tasksel_new(struct vm_err *e);
void vm_tasksel_close(struct vm_tasksel *s);
/* Each adds a criterion; VM_EINVAL with what is wrong in the argument. */
int vm_tasksel_states(struct vm_tasksel *s, const char *list, struct vm_err *e);
int vm_tasksel_comm(struct vm_tasksel *s, const char *re, struct vm_err *e);
int vm_tasksel_pids(struct vm_tasksel *s, const char *list, struct vm_err *e);
/* Nothing was asked: every task is chosen. */
bool vm_tasksel_any(const struct vm_tasksel *s);
bool vm_tasksel_match(const struct vm_tasksel *s, const struct vm_task_info *t);

/* ---- run queues, modules, variables, memory, walks (out/mods.c) ---- */

/* crash's runq: each CPU's run queue (view VM_RUNQ_*), text or JSON on
 * c's stdout, a CPU whose queue could not be read on stderr; the exit
 * status (walks runqueues through the per-CPU areas). */
int vm_out_runqueues(struct vm_kernel *k, struct vm_cli *c, enum vm_runq_view view);
/* crash's mod: the loaded modules (a walk of the module list). */
int vm_out_lsmod(struct vm_kernel *k, FILE *f, struct vm_json *j, bool header,
		 struct vm_err *e);
/* crash's p: VARIABLE[.member...] with its own type (flags VM_VALUE_*); a
 * per-CPU one's copy on CPU cpu, or VM_VAR_ALL_CPUS, or VM_VAR_NO_CPU for
 * its addresses.  0 printed; 1 no such variable (e says why); -1 it could
 * not be printed. */
int vm_out_variable(struct vm_kernel *k, const char *expr, int cpu, unsigned flags,
		    FILE *f, struct vm_json *j, struct vm_err *e);
/* crash's rd: count words at an address or SYMBOL+OFF (syms: a word
 * pointing into a symbol as the symbol). */
int vm_out_memwords(struct vm_kernel *k, const char *addr_arg, uint64_t count, bool syms,
		    FILE *f, struct vm_json *j, struct vm_err *e);
/* crash's list -H / tree: the TYPE entries of the list, hlist, rbtree
 * (link: the member that links them) or XArray (link "xarray") at head
 * (an address, SYMBOL+OFF or VARIABLE.member), each printed whole or only
 * the members given.  Walks are bounded (caps.h). */
int vm_out_walk(struct vm_kernel *k, const char *link, const char *type, const char *head,
		char *const *members, unsigned nmembers, unsigned flags, FILE *f,
		struct vm_json *j, struct vm_err *e);

/* ---- vmkmem: crash's kmem (common/out/kmem.c) ---- */

enum vm_kmem_mode {
	VM_KMEM_INFO,      /* kmem -i */
	VM_KMEM_SLABS,     /* kmem -s (sorted by sort: name, objsize, ... memory) */
	VM_KMEM_SLAB,      /* kmem -S slab */
	VM_KMEM_FREE,      /* kmem -f */
	VM_KMEM_ZONES,     /* kmem -z */
	VM_KMEM_COUNTERS,  /* kmem -V */
	VM_KMEM_ADDR,      /* kmem ADDRESS... (hex; phys: physical) */
};

struct vm_kmem_args {
	const char *slab, *sort;
	bool phys, no_header;
	char *const *addrs;
	int naddrs;
};

/* A --sort key vmkmem knows. */
int vm_out_kmem_sort_key_ok(const char *key);
/* Answers one question on c's stdout (text, or JSON records with
 * --json), what it could not answer on stderr; walks slab caches, the
 * mem_map or free lists as asked.  The exit status: 0, or 1 when anything
 * was not answered. */
int vm_out_kmem(struct vm_kernel *k, struct vm_cli *c, enum vm_kmem_mode mode,
		const struct vm_kmem_args *a);

#endif
