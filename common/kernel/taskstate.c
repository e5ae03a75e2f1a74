// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Task state bits per kernel version, checked against the dump's own
 * task_state_array[] (see taskstate.h).
 */
#include "taskstate.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t parse_release(const char *s)
{
	unsigned long a = 0, b = 0, c = 0;

	/* "6.1.192", "6.1.0-13-amd64", "6.2-rc1" */
	if (sscanf(s, "%lu.%lu.%lu", &a, &b, &c) < 2 || a == 0 || a > 255 || b > 255)
		return 0;
	return VM_KV(a, b, c);
}

uint32_t vm_kernel_version(struct vm_kernel *k, struct vm_err *e)
{
	const char *rel = k->vi ? vm_vmci_get(k->vi, "OSRELEASE") : NULL;
	struct vm_mem *m;
	uint64_t addr, off = 0;
	char buf[65];
	uint32_t v;

	if (rel && (v = parse_release(rel)))
		return v;
	/* struct new_utsname { sysname[65], nodename[65], release[65], ... }:
	 * the UTS ABI, fixed since v2.6.19's uts namespaces. */
	m = vm_kernel_mem(k, e);
	if (!m)
		return 0;
	if (vm_kernel_symbol(k, "init_uts_ns", &addr, e) < 0)
		return 0;
	if (vm_kernel_offsetof(k, "uts_namespace", "name", &off, NULL, e) < 0)
		return 0;
	if (vm_kread_str(m, addr + off + 2 * 65, buf, sizeof(buf), e) < 0)
		return 0;
	v = parse_release(buf);
	if (!v)
		vm_fail(e, VM_EFORMAT, "init_uts_ns release \"%s\" is not a version", buf);
	return v;
}

static void table_for_version(struct vm_task_states *ts, uint32_t v)
{
	memset(ts, 0, sizeof(*ts));
	ts->interruptible = 0x1;
	ts->uninterruptible = 0x2;
	ts->stopped = 0x4;
	ts->traced = 0x8;
	if (v == 0 || v >= VM_KV(4, 14, 0)) {
		/* v4.14 (8ef9925b02c2) moved TASK_PARKED into TASK_REPORT at
		 * 0x40 and shifted the rest up. */
		ts->exit_dead = 0x10;
		ts->exit_zombie = 0x20;
		ts->parked = 0x40;
		ts->dead = 0x80;
		ts->wakekill = 0x100;
		ts->waking = 0x200;
		ts->noload = 0x400;
		ts->new_ = 0x800;
		if (v == 0 || v >= VM_KV(5, 15, 0))
			ts->rtlock_wait = 0x1000;  /* v5.15 PREEMPT_RT locks */
		if (v == 0 || v >= VM_KV(6, 1, 0)) {
			/* v6.1 freezer rewrite (f5d39b020809) */
			ts->freezable = 0x2000;
			ts->freezable_unsafe = 0x4000;
			ts->frozen = 0x8000;
		}
		return;
	}
	if (v >= VM_KV(3, 15, 0)) {
		/* v3.15 swapped EXIT_ZOMBIE and EXIT_DEAD (ad86622b478e) */
		ts->exit_dead = 0x10;
		ts->exit_zombie = 0x20;
	} else {
		ts->exit_zombie = 0x10;
		ts->exit_dead = 0x20;
	}
	ts->dead = 0x40;
	ts->wakekill = 0x80;
	ts->waking = 0x100;
	if (v >= VM_KV(3, 7, 0))
		ts->parked = 0x200;
	if (v >= VM_KV(4, 2, 0))
		ts->noload = 0x400;
	if (v >= VM_KV(4, 8, 0))
		ts->new_ = 0x800;
}

/* "S (sleeping)": a letter, a space, a parenthesised lower-case word. */
static int state_entry_letter(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 5 || !isalpha((unsigned char)s[0]) || s[1] != ' ' || s[2] != '(' ||
	    s[n - 1] != ')')
		return -1;
	for (i = 3; i < n - 1; i++)
		if (!islower((unsigned char)s[i]) && s[i] != ' ')
			return -1;
	return s[0];
}

/* Overrides from task_state_array[]; returns how many entries were used. */
static int from_state_array(struct vm_kernel *k, struct vm_task_states *ts)
{
	struct vm_mem *m;
	struct vm_err e;
	uint64_t addr, p;
	uint32_t bit;
	char s[32];
	int i, c, used = 0;

	m = vm_kernel_mem(k, &e);
	if (!m || vm_kernel_symbol(k, "task_state_array", &addr, &e) < 0)
		return 0;
	for (i = 0; i < 16; i++) {
		if (vm_kread_u64(m, addr + 8ull * i, &p, &e) < 0 ||
		    vm_kread_str(m, p, s, sizeof(s), &e) < 0)
			break;
		c = state_entry_letter(s);
		if (c < 0 || (i == 0 && c != 'R'))
			break;
		if (i == 0)
			continue;
		bit = 1u << (i - 1);
		switch (c) {
		case 'S': ts->interruptible = bit; break;
		case 'D': ts->uninterruptible = bit; break;
		case 'T': ts->stopped = bit; break;
		case 't': ts->traced = bit; break;
		case 'X': ts->exit_dead = bit; break;
		case 'Z': ts->exit_zombie = bit; break;
		case 'x': ts->dead = bit; break;
		case 'K': ts->wakekill = bit; break;
		case 'W': ts->waking = bit; break;
		case 'P': ts->parked = bit; break;
		case 'N': ts->noload = bit; break;
		case 'n': ts->new_ = bit; break;
		default:
			/* 'I' (v4.14+) is reported past TASK_REPORT, not a bit */
			continue;
		}
		used++;
	}
	return used;
}

void vm_task_states_init(struct vm_kernel *k, struct vm_task_states *ts)
{
	struct vm_err e;
	uint32_t v = vm_kernel_version(k, &e);
	int used;

	table_for_version(ts, v);
	ts->version = v;
	used = from_state_array(k, ts);
	if (used && ts->parked == 0x40 && ts->dead != 0x80) {
		/* The array shows the v4.14 layout the version did not predict:
		 * the states past TASK_REPORT follow TASK_PARKED there. */
		ts->dead = 0x80;
		ts->wakekill = 0x100;
		ts->waking = 0x200;
		ts->noload = 0x400;
		ts->new_ = 0x800;
	}
	if (!v)
		ts->source = used ? "task_state_array of the dump (version unknown)"
				  : "v4.14+ layout assumed (version and task_state_array unknown)";
	else
		ts->source = used ? "kernel version table, checked against task_state_array"
				  : "kernel version table (task_state_array not readable)";
}

const char *vm_task_state_code(const struct vm_task_states *ts, uint32_t state,
			       uint32_t exit_state, char buf[3])
{
	uint32_t s = (state | exit_state) & ~(ts->freezable | ts->freezable_unsafe);
	const char *c = NULL;
	int main_state = 0;

	/* Later rules win, as in crash: a stopped task has WAKEKILL too, a
	 * zombie's __state is TASK_DEAD. */
	if (s == 0)
		c = "RU";
	if (s & ts->interruptible)
		c = "IN", main_state = 1;
	if (s & ts->uninterruptible)
		c = ts->noload && (s & ts->noload) ? "ID" : "UN", main_state = 1;
	if (s & ts->exit_zombie)
		c = "ZO", main_state = 1;
	if (s & ts->stopped)
		c = "ST", main_state = 1;
	if (s & ts->traced)
		c = "TR", main_state = 1;
	if ((s & (ts->exit_dead | ts->dead)) && !main_state)
		c = "DE";
	if (ts->parked && s == ts->parked)
		c = "PA";
	if (ts->waking && s == ts->waking)
		c = "WA";
	if (ts->new_ && s == ts->new_)
		c = "NE";
	/* The kernel reports these as D in /proc (v5.15 rtlock, v6.1 frozen);
	 * crash has no code for them. */
	if (!c && (s & (ts->rtlock_wait | ts->frozen)))
		c = "UN";
	memcpy(buf, c ? c : "??", 3);
	return buf;
}

void vm_task_state_name(const struct vm_task_states *ts, uint32_t state,
			uint32_t exit_state, char *buf, size_t len)
{
	const struct { uint32_t bit; const char *name; } n[] = {
		{ ts->interruptible, "TASK_INTERRUPTIBLE" },
		{ ts->uninterruptible, "TASK_UNINTERRUPTIBLE" },
		{ ts->stopped, "TASK_STOPPED" },
		{ ts->traced, "TASK_TRACED" },
		{ ts->exit_dead, "EXIT_DEAD" },
		{ ts->exit_zombie, "EXIT_ZOMBIE" },
		{ ts->parked, "TASK_PARKED" },
		{ ts->dead, "TASK_DEAD" },
		{ ts->wakekill, "TASK_WAKEKILL" },
		{ ts->waking, "TASK_WAKING" },
		{ ts->noload, "TASK_NOLOAD" },
		{ ts->new_, "TASK_NEW" },
		{ ts->rtlock_wait, "TASK_RTLOCK_WAIT" },
		{ ts->freezable, "TASK_FREEZABLE" },
		{ ts->freezable_unsafe, "__TASK_FREEZABLE_UNSAFE" },
		{ ts->frozen, "TASK_FROZEN" },
	};
	uint32_t s = state | exit_state, known = 0;
	size_t i, o = 0;

	if (!len)
		return;
	buf[0] = '\0';
	if (s == 0) {
		snprintf(buf, len, "TASK_RUNNING");
		return;
	}
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		if (!n[i].bit || !(s & n[i].bit) || (known & n[i].bit))
			continue;
		known |= n[i].bit;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "|" : "",
					      n[i].name);
	}
	if ((s & ~known) && o < len)
		snprintf(buf + o, len - o, "%s0x%" PRIx32, o ? "|" : "", s & ~known);
}
