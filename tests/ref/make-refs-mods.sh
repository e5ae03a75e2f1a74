#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate the references of issue 18 (variables, per-CPU variables,
# memory words, container walks, run queues, task members) from Red Hat
# crash on the x86_64 fixture dumps.
#
#   tests/ref/make-refs-mods.sh            (needs crash, the corpus)
#
# One crash session per scenario (crash -s vmlinux SCN/vmcore.kdump-*)
# runs every command of the table below, each redirected by crash itself
# into its own file ("CMD > FILE"), after `mod -s crashmod crashmod.ko`.
# Outputs, each starting with one line naming the crash version, the dump
# and the command:
#   tests/ref/SCN/mods/NAME.txt
# The xarray command needs an address crash cannot compute in the same
# session (&init_pid_ns.idr.idr_rt): a first session prints it.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
ver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')
ko=$FIX/x86_64-6.1/crashmod.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# NAME|crash command
CMDS='p-jiffies_64|p jiffies_64
px-jiffies_64|p/x jiffies_64
p-jiffies|p jiffies
p-init_task.comm|p init_task.comm
px-init_task.pid|p/x init_task.pid
p-init_uts_ns.name.release|p init_uts_ns.name.release
p-cpu_number|p cpu_number
p-cpu_number-a|p cpu_number:a
p-irq_stat-a|p irq_stat:a
p-irq_stat-1|p irq_stat:1
p-runqueues-1|p runqueues:1
p-crashmod_state|p crashmod_state
px-crashmod_state|p/x crashmod_state
p-crashmod_state.answer|p crashmod_state.answer
rd-jiffies_64-3|rd jiffies_64 3
rd-s-init_task-8|rd -s init_task 8
rd-crashmod_state-9|rd crashmod_state 9
list-modules|list module.list -H modules -s module.name
list-crashmod_nodes|list crashmod_node.link -H crashmod_state+48 -s crashmod_node.id
list-o-crashmod_nodes|list -o crashmod_node.link -H crashmod_state+48
tree-vmap_area_root|tree -t rbtree -l -o vmap_area.rb_node vmap_area_root
tree-irq_desc_tree|tree -t xarray irq_desc_tree
task-R-thread.sp-1|task -R thread.sp 1
task-R-pid,comm,prio-1|task -R pid,comm,prio 1
runq|runq
runq-t|runq -t
runq-m|runq -m'

for scn in oops-module bug-module sysrq-c; do
	dump=$(ls "$FIX/x86_64-6.1/$scn"/vmcore.kdump-* | head -1)
	out=$here/tests/ref/$scn/mods
	mkdir -p "$out"
	# pass 1: addresses crash cannot take as expressions
	printf 'p &init_pid_ns.idr.idr_rt\nq\n' > "$tmp/cmds1"
	crash -s "$vmlinux" "$dump" < "$tmp/cmds1" > "$tmp/pass1" 2>&1 || true
	idr=$(sed -n 's/.*(struct xarray \*) \(0x[0-9a-f]*\).*/\1/p' "$tmp/pass1" | head -1)
	cmds="$CMDS"
	[ -n "$idr" ] && cmds="$cmds
tree-init_pid_ns.idr|tree -t xarray $idr
tree-s-init_pid_ns.idr|tree -t xarray -s pid.level $idr"
	: > "$tmp/cmds"; : > "$tmp/map"
	echo "mod -s crashmod $ko" >> "$tmp/cmds"
	i=0
	while IFS='|' read -r name cmd; do
		i=$((i + 1))
		echo "$cmd > $tmp/$i.out" >> "$tmp/cmds"
		echo "$i|$cmd|$out/$name.txt" >> "$tmp/map"
	done <<< "$cmds"
	echo q >> "$tmp/cmds"
	crash -s "$vmlinux" "$dump" < "$tmp/cmds" > "$tmp/session.log" 2>&1 || true
	while IFS='|' read -r n cmd file; do
		[ -s "$tmp/$n.out" ] || { echo "$scn: no output for: $cmd" >&2; continue; }
		{
			echo "# crash $ver: crash -s vmlinux x86_64-6.1/$scn/${dump##*/}, mod -s crashmod crashmod.ko; $cmd"
			cat "$tmp/$n.out"
		} > "$file"
	done < "$tmp/map"
	echo "$scn: $(wc -l < "$tmp/map") reference files under $out"
done
