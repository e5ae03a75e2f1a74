/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plain records libvmcore hands out (vmcore.h): registers, stack
 * frames, symbols, tasks, the system summary.  Defined here once, for the
 * programs and for the layers that fill them; no functions, no handles.
 * Kernel facts in the comments are where each field comes from.
 */
#ifndef VM_VMCORE_TYPES_H
#define VM_VMCORE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* ---- registers (arch layer) ---- */

#define VM_MAX_REGS 40

/* A CPU's registers as saved at the crash (NT_PRSTATUS / QEMU CPU notes) or
 * reconstructed by an unwinder.  Indices are per-arch (see x86_64.h). */
struct vm_regs {
	uint64_t r[VM_MAX_REGS];
	uint64_t valid;          /* bit i set: r[i] is known */
	int32_t pid;             /* pr_pid from NT_PRSTATUS, or -1 */
};

/* ---- stack frames (arch/unwind.h: one walk's frames) ---- */

enum vm_frame_kind {
	VM_FRAME_START,   /* pc/sp are the registers the walk started from */
	VM_FRAME_CALL,    /* pc is a return address read from the stack at slot */
	VM_FRAME_INTR,    /* pc/sp/regs come from an exception frame at regs_addr */
};

/* How a frame was found from the one before it. */
enum vm_unwind_how {
	VM_UNW_REGS = 0,  /* given registers (CPU note) */
	VM_UNW_SAVED,     /* a sleeping task's saved switch frame */
	VM_UNW_TABLE,     /* the kernel's unwind tables (x86_64: ORC) */
	VM_UNW_FP,        /* frame pointers */
	VM_UNW_SCAN,      /* stack scan: a text address found on the stack */
	VM_UNW_MANUAL,    /* where the caller said to start (crash's bt -S/-I) */
};

struct vm_frame {
	uint64_t pc;
	uint64_t sp;              /* stack pointer in this frame */
	uint64_t slot;            /* VM_FRAME_CALL: where pc was read */
	uint64_t regs_addr;       /* VM_FRAME_INTR: where the frame's registers are;
				   * VM_UNW_SAVED: the saved switch frame */
	uint8_t kind;             /* enum vm_frame_kind */
	uint8_t how;              /* enum vm_unwind_how */
	bool user;                /* VM_FRAME_INTR/START in user mode: the last frame */
	bool partial;             /* VM_FRAME_INTR with only the hardware frame */
	bool unreliable;          /* found by a guess (no table entry for pc) */
	int8_t stack;             /* index of the stack it is on (vm_trace_stack), -1 unknown */
	struct vm_regs regs;      /* VM_FRAME_START / VM_FRAME_INTR */
};

/* vm_bt_open: how to unwind */
enum {
	VM_BT_NO_TABLE = 0x1,     /* no unwind tables (x86_64: ORC); frame pointers */
	VM_BT_NO_FP = 0x2,        /* no frame pointers */
	VM_BT_NO_SCAN = 0x4,      /* no stack scan when the rest fails */
	VM_BT_FILE_TABLE = 0x8,   /* the tables of the vmlinux file (-k), not memory */
};

/* vm_btprint_open: what a printed backtrace shows (crash's bt options) */
enum {
	VM_BTP_OFFSETS = 1 << 0,  /* -s: function+offset */
	VM_BTP_LINES = 1 << 1,    /* -l: source file and line (vmlinux DWARF) */
	VM_BTP_FULL = 1 << 2,     /* -f: each frame's stack words */
	VM_BTP_FULLSYM = 1 << 3,  /* -F: the same, as symbols where they are */
	VM_BTP_RAW = 1 << 4,      /* -r: the whole task stack, raw */
	VM_BTP_EFRAMES = 1 << 5,  /* -e: exception frames found on the stacks */
};

/* vm_sym_format: how a symbol+offset reads */
enum {
	VM_SYMF_RET = 1 << 0,      /* a return address: name the call (addr - 1) */
	VM_SYMF_OFF = 1 << 1,      /* "+OFF" after the name when OFF is not 0 */
	VM_SYMF_HEX = 1 << 2,      /* OFF as 0x1c (the kernel's %pS), not 28 (crash) */
	VM_SYMF_INSIDE = 1 << 3,   /* only within the symbol's size (64 KiB when
				    * it has none) */
	VM_SYMF_END_OK = 1 << 4,   /* with INSIDE: also just past its end (a return
				    * address after a call that never returns) */
	VM_SYMF_NO_MARKERS = 1 << 5,   /* not a size-0 vmlinux symbol (a linker
					* marker: _sdata, __end_rodata) */
};

/* vm_printk_open_kernel: what to decode */
enum {
	/* Accepted for compatibility: levels are always decoded now (from
	 * debuginfo when the layout came from there, else from the
	 * definition, never by loading debuginfo just for them). */
	VM_PRINTK_WANT_LEVEL = 1 << 0,
	/* Look up the first sequence number of a printk_log buffer
	 * (log_first_seq is not in VMCOREINFO: needs debuginfo, which this
	 * may load). */
	VM_PRINTK_WANT_SEQ = 1 << 1,
};

/* vm_out_layout: how a type's layout prints */
enum vm_layout {
	VM_LAYOUT_DEF,            /* the definition, as crash's struct NAME */
	VM_LAYOUT_OFFSETS,        /* with [offset] and SIZE (crash's struct -o) */
	VM_LAYOUT_FLAT,           /* OFFSET SIZE TYPE NAME per member, tab-separated */
};

/* ---- symbols (symbols layer) ---- */

struct vm_sym {
	uint64_t addr;
	uint64_t size;        /* 0 if unknown (System.map, kallsyms) */
	char type;            /* nm-style: 'T' 't' 'D' 'd' 'B' 'b' 'R' 'r' 'A' 'W' ... */
	const char *name;
	const char *module;   /* NULL for vmlinux */
};

enum vm_sym_source {
	VM_SYMSRC_NONE = 0,
	VM_SYMSRC_VMLINUX,
	VM_SYMSRC_SYSMAP,
	VM_SYMSRC_KALLSYMS,
};

/* ---- a command-line argument, resolved (kernel/resolve.c) ---- */

enum vm_arg_kind {
	VM_ARG_PID = 1 << 0,      /* a task's PID (decimal) */
	VM_ARG_TASK = 1 << 1,     /* a task_struct address (hex, 0x optional) */
	VM_ARG_COMM = 1 << 2,     /* a command name; a leading \ keeps one that
				   * looks like a number a name */
	VM_ARG_ADDR = 1 << 3,     /* a kernel address (hex, 0x optional)[+OFF] */
	VM_ARG_SYMBOL = 1 << 4,   /* SYMBOL[+OFF] */
	/* with VM_ARG_SYMBOL: decide that it is a name, do not look it up */
	VM_ARG_NAME_ONLY = 1 << 8,
};

struct vm_arg {
	unsigned kind;            /* one of VM_ARG_PID ... VM_ARG_SYMBOL */
	int32_t pid;              /* PID */
	uint64_t addr;            /* TASK; ADDR and SYMBOL: the address + off */
	uint64_t off;             /* ADDR, SYMBOL: the +OFF (decimal or 0x hex) */
	const char *name;         /* COMM, SYMBOL: points into the argument */
	unsigned name_len;        /* SYMBOL: the name's length (before '+') */
};

/* ---- tasks (kernel/tasks.h: the task list as crash's `ps` sees it) ---- */

#define VM_TASK_COMM_LEN 16
#define VM_MM_COUNTERS_MAX 8

enum {
	VM_TASKS_NOMEM = 0x1,        /* vm_tasks_open: skip mm counters (faster) */
};

struct vm_task_info {
	uint64_t task;               /* task_struct address */
	int32_t pid, tgid, ppid;
	uint64_t parent;             /* real_parent */
	int cpu;                     /* task_cpu(); -1 unknown */
	uint32_t state, exit_state;  /* raw __state (or state) and exit_state */
	char st[3];                  /* crash's code: "RU", "IN", ... */
	char state_name[96];         /* "TASK_INTERRUPTIBLE|TASK_FREEZABLE" */
	char comm[VM_TASK_COMM_LEN + 1];
	uint64_t flags;              /* PF_* */
	uint64_t mm, active_mm;
	bool kthread;                /* PF_KTHREAD (or no mm before v2.6.27) */
	bool idle;                   /* a CPU's idle task */
	int active_cpu;              /* CPU whose curr it is at the crash; -1 */
	bool have_mem;               /* total_vm/rss read */
	uint64_t total_vm;           /* pages */
	uint64_t rss;                /* pages (see above) */
	bool have_last_run;
	uint64_t last_run;           /* ns: sched_info.last_arrival, else se.exec_start */
	bool have_times;
	uint64_t start_time, utime, stime;   /* ns */
	/* unsynced per-task RSS deltas (SPLIT_RSS_COUNTING), summed into rss */
	int32_t rss_cache[VM_MM_COUNTERS_MAX];
	bool have_rss_cache;
};

/* vm_tasks_pick: a selector (a resolved argument) and whether it matched */
struct vm_task_sel {
	const char *arg;          /* as given, for messages */
	struct vm_arg a;          /* VM_ARG_PID, VM_ARG_TASK or VM_ARG_COMM */
	bool matched;
};

/* vm_tasks_pick: which tasks */
enum {
	VM_PICK_KTHREADS = 1 << 0,   /* kernel threads only */
	VM_PICK_USER = 1 << 1,       /* user tasks only */
	VM_PICK_LEADERS = 1 << 2,    /* thread group leaders (a selected thread
				      * stands for its leader) */
	VM_PICK_ACTIVE = 1 << 3,     /* the tasks running on a CPU */
};

/* vm_logprint_open: how log records print (crash's log options) */
enum {
	VM_LOGP_NO_TIME = 1 << 0,   /* -t: no timestamps */
	VM_LOGP_CTIME = 1 << 1,     /* -T: wall-clock timestamps */
	VM_LOGP_LEVEL = 1 << 2,     /* -L: <N> levels */
	VM_LOGP_CALLER = 1 << 3,    /* -C: caller ids */
	VM_LOGP_DICT = 1 << 4,      /* -d: dictionary lines */
};

/* vm_symprint_open: how symbols print (crash's sym) */
enum {
	VM_SYMP_HEX = 1 << 0,     /* -x: offsets as +0x1c (the kernel's %pS) */
	VM_SYMP_LINES = 1 << 1,   /* -l: source file and line (vmlinux DWARF) */
};

/* vm_out_values: how typed values print (crash's struct -x / -d) */
enum {
	VM_VALUE_HEX = 1 << 0,    /* integers in hex */
	VM_VALUE_DEC = 1 << 1,    /* pointers in decimal too */
};

/* vm_out_ps: the views of crash's ps */
enum vm_ps_view {
	VM_PS_TABLE,       /* the task table */
	VM_PS_PARENTS,     /* each task and its parents, from the top */
	VM_PS_CHILDREN,    /* each task and its children */
	VM_PS_THREADS,     /* thread groups */
	VM_PS_TIMES,       /* run, start, user, system times, oldest first */
	VM_PS_LASTRUN,     /* last-run stamps, most recent first */
	VM_PS_SUMMARY,     /* tasks per state */
};
enum {
	VM_PSO_NO_HEADER = 1 << 0,   /* the table without its header line */
	VM_PSO_SELECTED = 1 << 1,    /* the tasks were chosen by selectors */
};

/* ---- the system summary (kernel/sysinfo.h: crash's `sys`) ---- */

#define VM_SI_STR 160

struct vm_sysinfo {
	/* the dump */
	char format[512];         /* "kdump-compressed (zlib)", "X in flattened", a
				   * split set's parts (vm_dump_describe) */
	bool partial;             /* pages were left out (makedumpfile -d) */
	const char *vmlinux;      /* the vmlinux used; NULL: the dump alone */
	/* the kernel */
	char release[66], version[66], machine[66], nodename[66];
	bool have_release, have_version, have_machine, have_nodename;
	int cpus;                 /* present CPUs, or the dump's CPU count; -1 */
	int cpus_online;          /* -1 if unknown */
	int64_t crash_time;       /* seconds since the epoch; have_time */
	bool have_time;
	const char *time_source;  /* "VMCOREINFO CRASHTIME", "kdump header", ... */
	uint64_t memory_bytes;    /* RAM size as crash rounds it; 0 unknown */
	uint32_t page_size;
	uint64_t mhz;             /* 0 unknown */
	uint64_t taint;           /* tainted_mask */
	bool have_taint;
	uint64_t loadavg[3];      /* avenrun[], FSHIFT fixed point */
	bool have_loadavg;
	uint64_t uptime_ns;       /* from the log's last timestamp */
	bool have_uptime;
	char panic[VM_SI_STR];    /* panic/oops/BUG message from the log */
	bool have_panic;
	uint64_t tasks;           /* crash's TASKS: threads + one idle per CPU */
	uint64_t tasks_listed;    /* threads on the task lists (drgn's count) */
	bool have_tasks;
	/* the task that panicked */
	bool have_ptask;
	int32_t ptask_pid;
	char ptask_comm[17];
	uint64_t ptask;
	int ptask_cpu;
	char ptask_state[96];
	char why[1024];           /* -v: reasons fields are missing, "; "-joined */
};

/* ---- code (vmdis: disasm/disasm.h, types/lines.h, kernel/code.h) ---- */

enum vm_dis_syntax {
	VM_DIS_ATT,      /* x86: GNU AT&T (crash's default); ignored on arm64 */
	VM_DIS_INTEL,    /* x86: GNU Intel (gdb's "set disassembly-flavor intel") */
};

/* What an instruction does to the flow of control. */
enum vm_insn_flow {
	VM_FLOW_NEXT = 0,   /* falls through */
	VM_FLOW_CALL,       /* call, bl, blr */
	VM_FLOW_JUMP,       /* unconditional jump */
	VM_FLOW_BRANCH,     /* conditional jump */
	VM_FLOW_RET,        /* return */
	VM_FLOW_STOP,       /* ud2, brk, hlt: does not fall through */
};

#define VM_INSN_MAX 16

struct vm_insn {
	uint64_t addr;
	unsigned len;                  /* bytes */
	uint8_t bytes[VM_INSN_MAX];
	char mnemonic[48];             /* prefixes included: "lock cmpxchg" */
	char operands[224];            /* without the annotations below */
	enum vm_insn_flow flow;
	bool indirect;                 /* call/jump through a register or memory */
	bool bad;                      /* not an instruction: "(bad)" */
	/* a direct branch or call: "<sym+off>" follows the operands */
	bool has_target;
	uint64_t target;
	/* an address the instruction computes (x86 RIP-relative memory
	 * operand, arm64 adr/adrp): x86 prints "        # 0xADDR <sym+off>"
	 * after the operands, arm64 " <sym+off>" after the address */
	bool has_ref;
	uint64_t ref;
};

/* One row of a DWARF line table. */
struct vm_line {
	uint64_t addr;           /* start of the row */
	uint64_t end;            /* next row's address (exclusive) */
	const char *file;        /* full path as the DWARF has it */
	const char *rel;         /* file relative to the unit's build directory
	                            ("kernel/sched/core.c"), for comparing
	                            across machines; file itself if outside */
	unsigned line, column;
	bool is_stmt;
};

/* One function of the chain of inlined calls at an address. */
struct vm_inline_frame {
	const char *func;
	const char *call_file;   /* NULL for the outermost frame */
	unsigned call_line;
};

/* vm_out_runqueues: crash's runq (QUEUES), runq -t (STAMPS), runq -m (SINCE) */
enum vm_runq_view {
	VM_RUNQ_QUEUES,
	VM_RUNQ_STAMPS,
	VM_RUNQ_SINCE,
};

/* vm_out_variable: which CPU's copy of a per-CPU variable */
#define VM_VAR_NO_CPU (-1)       /* a per-CPU variable: its type and addresses */
#define VM_VAR_ALL_CPUS (-2)     /* every CPU whose area is known */

#endif
