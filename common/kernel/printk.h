/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log (printk buffer) of a dump, as records in sequence order.
 *
 * Three formats, told apart by which symbols the kernel exported:
 *   - SYMBOL(prb): the lockless printk_ringbuffer, since v5.10
 *     (kernel/printk/printk_ringbuffer.[ch]): a descriptor ring plus a text
 *     data ring, records in the finalized or committed state.
 *   - SYMBOL(log_first_idx): variable-length `struct printk_log` records in
 *     log_buf, v3.5 (7ff9554bb578) to v5.9.  RHEL 8 (4.18) uses this.
 *   - SYMBOL(log_end): the plain character buffer before v3.5, rotated at
 *     log_end; each line may start with a "<N>" level prefix.
 *
 * Layouts come from VMCOREINFO (SYMBOL/SIZE/OFFSET/LENGTH), then from
 * debuginfo through the lookup callbacks; nothing is assumed about one
 * kernel's layout.  When VMCOREINFO names the format, it is taken as the
 * complete description (optional members it lacks do not exist), so a
 * plain read never loads debuginfo.  The decoder reads memory through a small callback
 * interface (struct vm_printk_src) so that tests can feed it synthetic
 * memory laid out the way the kernel's own writer does.
 *
 * Reading is eager: vm_printk_open() reads the buffers (in as few reads as
 * the layout allows) and indexes every readable record; the iterator then
 * only walks that index.  Records that exist but cannot be read (excluded
 * pages, corrupt descriptors) are skipped and accounted in the "lost" list.
 */
#ifndef VM_PRINTK_H
#define VM_PRINTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../err.h"
#include "../vmcore_types.h"
#include "../vmcoreinfo/vmcoreinfo.h"

struct vm_kernel;

enum vm_printk_format {
	VM_PRINTK_NONE = 0,
	VM_PRINTK_RINGBUFFER,  /* v5.10+ printk_ringbuffer */
	VM_PRINTK_STRUCTURED,  /* v3.5 - v5.9 struct printk_log records */
	VM_PRINTK_PLAIN,       /* before v3.5: plain log_buf characters */
};

/* The caller id's top bit says "CPU number", else a task's pid (v5.1+). */
#define VM_PRINTK_CALLER_CPU 0x80000000u

/* vm_printk_rec.rflags */
enum {
	VM_PRINTK_R_HAS_LEVEL = 1 << 0,    /* level/facility/flags known */
	VM_PRINTK_R_HAS_CALLER = 1 << 1,   /* caller_id known */
	VM_PRINTK_R_HAS_TS = 1 << 2,       /* ts_nsec known */
	VM_PRINTK_R_TRUNCATED = 1 << 3,    /* text shorter than text_len said */
	VM_PRINTK_R_COMMITTED = 1 << 4,    /* ringbuffer: committed, not yet
	                                      finalized (the newest record) */
	VM_PRINTK_R_DATALESS = 1 << 5,     /* ringbuffer: record has no text
	                                      block (empty message) */
	VM_PRINTK_R_TS_IN_TEXT = 1 << 6,   /* plain log_buf: ts_nsec was
	                                      parsed from a "[ s.us] " prefix
	                                      that text still starts with */
};

struct vm_printk_rec {
	uint64_t seq;          /* sequence number (see vm_printk_seq_exact) */
	uint64_t ts_nsec;      /* local_clock() at the printk, nanoseconds */
	uint8_t level;         /* 0 (emerg) .. 7 (debug) */
	uint8_t facility;      /* syslog facility (0 = kernel) */
	uint8_t flags;         /* the kernel's 5 record flags bits */
	uint32_t caller_id;    /* pid, or VM_PRINTK_CALLER_CPU | cpu */
	unsigned rflags;       /* VM_PRINTK_R_* */
	const char *text;      /* not NUL-terminated; valid until close */
	size_t text_len;
	/* dev_info (v5.10+): NUL-terminated, "" if none */
	const char *subsystem;
	const char *device;
	/* printk_log dictionary (v3.5-v5.9): "KEY=VALUE" pairs separated by
	 * NUL bytes, not NUL-terminated; dict_len 0 if none */
	const char *dict;
	size_t dict_len;
};

/* A run of records that exist but could not be read. */
struct vm_printk_lost {
	uint64_t first_seq, last_seq;   /* inclusive */
	bool seq_known;                 /* false: only `count` is meaningful */
	uint64_t count;
	char why[320];                  /* "text block at 0x... belongs to id ..." */
};

/*
 * Where the decoder gets memory and layout facts.  Layout lookups go to vi
 * (VMCOREINFO) first and then to the optional fallback callbacks
 * (debuginfo); a callback returns 0 and sets *out, or -1 when it does not
 * know.  offset(): "member" is a plain member name of struct "type".
 */
struct vm_printk_src {
	void *ctx;
	int (*read)(void *ctx, uint64_t va, void *buf, size_t len,
		    struct vm_err *e);
	const struct vm_vmcoreinfo *vi;     /* may be NULL */
	void *lctx;
	int (*symbol)(void *lctx, const char *name, uint64_t *out);
	int (*offset)(void *lctx, const char *type, const char *member,
		      uint64_t *out);
	int (*size)(void *lctx, const char *type, uint64_t *out);
	unsigned ptr_size;     /* sizeof(void *) of the kernel: 4 or 8 */
	bool big_endian;
	uint32_t page_size;    /* unit for reading around holes; 0 = 4096 */
};

/* vm_printk_open() flags */

struct vm_printk;

/*
 * Decode the log.  Fails (NULL) only when no record at all can be had:
 * no printk symbols, a layout that cannot be resolved, or unreadable ring
 * headers.  A partly readable log opens and reports its losses.
 */
struct vm_printk *vm_printk_open(const struct vm_printk_src *src,
				 unsigned flags, struct vm_err *e);
/* The same, on a dump: VMCOREINFO first, then the symbols/types layers. */
struct vm_printk *vm_printk_open_kernel(struct vm_kernel *k, unsigned flags,
					struct vm_err *e);
void vm_printk_close(struct vm_printk *p);

enum vm_printk_format vm_printk_format(const struct vm_printk *p);
const char *vm_printk_format_name(enum vm_printk_format f);

size_t vm_printk_count(const struct vm_printk *p);
/* i-th readable record in sequence order; NULL past the end. */
const struct vm_printk_rec *vm_printk_at(const struct vm_printk *p, size_t i);

/* Iterator: *pos starts at 0; returns NULL at the end. */
const struct vm_printk_rec *vm_printk_next(const struct vm_printk *p,
					   size_t *pos);

/* false when sequence numbers are relative to the oldest record kept
 * (printk_log without log_first_seq, plain log_buf lines). */
bool vm_printk_seq_exact(const struct vm_printk *p);
/* Whether the kernel records caller ids (v5.1+ with CONFIG_PRINTK_CALLER;
 * always in the ringbuffer) and levels. */
bool vm_printk_has_caller(const struct vm_printk *p);
bool vm_printk_has_level(const struct vm_printk *p);

size_t vm_printk_nr_lost(const struct vm_printk *p);
const struct vm_printk_lost *vm_printk_lost(const struct vm_printk *p,
					    size_t i);

/*
 * The panic/oops/BUG line, chosen the way crash 8.0.2's get_panicmsg()
 * does for its PANIC: field (the message in the log when the kernel has no
 * `panicmsg` variable): every record is split into lines and searched,
 * tier by tier, for the first line containing one of
 *   1. "general protection fault: ", "double fault: ", "divide error: ",
 *      "stack segment: "
 *   2. "SysRq : Netdump", "SysRq : Crash", "SysRq : Trigger a crash"
 *   3. "Oops: ", "Kernel BUG at", "kernel BUG at",
 *      "Unable to handle kernel paging request",
 *      "Unable to handle kernel NULL pointer dereference",
 *      "BUG: unable to handle kernel "
 *   4. "Kernel panic: ", "Kernel panic - "
 *   5. "[Hardware Error]: "
 *   6. "Bad mode in "
 * The whole line is returned (pointer into the record's text, no newline).
 * Returns 1 found, 0 none.  crash prints it in quotes and appends
 * " (check log for details)" when the line contains "Oops: ".
 */
int vm_printk_panic_line(const struct vm_printk *p, const char **line,
			 size_t *len);

/* The CPU and PID that panicked, as the log tells it: the "CPU: N PID: P
 * Comm:" header of the stack dump that follows the last "Kernel panic -
 * not syncing" (or precedes it: the oops that led there).  For kernels
 * whose panic_cpu cannot be located.  Returns 1 found, 0 none. */
int vm_printk_panic_cpu(const struct vm_printk *p, int *cpu, int *pid);

/* Uptime as the log tells it: the newest record's timestamp.  Returns 0 and
 * sets *ns, or -1 if no record has a timestamp. */
int vm_printk_uptime(const struct vm_printk *p, uint64_t *ns);

#endif
