#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmstruct's (and the line tables') references from Red Hat crash
# on the oops-module fixture dump.
#
#   tests/ref/make-refs-vmstruct.sh        (needs crash, the corpus)
#
# One crash session (crash -s vmlinux oops-module/vmcore.kdump-zlib) runs
# every command below, each redirected by crash itself into its own file
# ("CMD > FILE"; piping crash's stdout interleaves gdb's and crash's output
# for ptype-style commands).  Outputs, each file starting with one line
# naming the crash command and dump that made it:
#   tests/ref/oops-module/struct-o/NAME.txt   `struct NAME -o` (union NAME -o)
#   tests/ref/oops-module/struct-def/NAME.txt `struct NAME` (no offsets)
#   tests/ref/oops-module/values-*.txt        `struct TYPE ADDRESS` values:
#       init_task, the panic task (the TASK of crash.txt's `bt`), and
#       crashmod_state after `mod -s crashmod crashmod.ko`
#   tests/ref/oops-module/dis-l-FUNC.txt      `dis -l FUNC N`: source lines
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
ver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')
scn=oops-module
dump=$FIX/x86_64-6.1/$scn/vmcore.kdump-zlib
ko=$FIX/x86_64-6.1/crashmod.ko
out=$here/tests/ref/$scn
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 40 structures (and two unions) the kernel uses everywhere
STRUCTS="task_struct mm_struct super_block vm_struct page list_head module file
inode dentry hlist_head hlist_node rb_node rb_root vm_area_struct cred
files_struct fs_struct nsproxy signal_struct sighand_struct address_space
kobject timer_list work_struct mutex pid sched_entity thread_struct pt_regs
kmem_cache zone pglist_data printk_ringbuffer prb_desc printk_info device
sk_buff socket restart_block callback_head qspinlock"
UNIONS="rcu_special"
DEFS="list_head crashmod_state restart_block callback_head rb_root_cached kref"
FUNCS="schedule:40 panic:60 do_exit:40 __handle_sysrq:40 crashmod_level2.constprop.0:12"

# the panic task as crash's own `bt` in the corpus named it
panic_task=$(awk '/^PID: .*TASK: /{print $4; exit}' "$FIX/x86_64-6.1/$scn/crash.txt")

mkdir -p "$out/struct-o" "$out/struct-def"
cmds=$tmp/cmds
: > "$cmds"
i=0
emit() { # CMD FILE
	i=$((i + 1))
	echo "$1 > $tmp/$i.out" >> "$cmds"
	echo "$i|$1|$2" >> "$tmp/map"
}
: > "$tmp/map"
echo "mod -s crashmod $ko" >> "$cmds"
for s in $STRUCTS; do emit "struct $s -o" "$out/struct-o/$s.txt"; done
for s in $UNIONS; do emit "union $s -o" "$out/struct-o/$s.txt"; done
for s in $DEFS; do emit "struct $s" "$out/struct-def/$s.txt"; done
emit "struct task_struct init_task" "$out/values-init_task.txt"
emit "struct task_struct $panic_task" "$out/values-panic_task.txt"
emit "struct task_struct.pid,comm,__state,flags,prio,mm,se.load init_task" "$out/values-init_task-members.txt"
emit "struct crashmod_state crashmod_state" "$out/values-crashmod_state.txt"
emit "struct crashmod_state -x crashmod_state" "$out/values-crashmod_state-x.txt"
emit "struct list_head -c 2 crashmod_nodes" "$out/values-list_head-c2.txt"
for f in $FUNCS; do emit "dis -l ${f%%:*} ${f##*:}" "$out/dis-l-${f%%:*}.txt"; done
echo q >> "$cmds"

crash -s "$vmlinux" "$dump" < "$cmds" > "$tmp/session.log" 2>&1 || true
while IFS='|' read -r n cmd file; do
	[ -s "$tmp/$n.out" ] || { echo "no output for: $cmd" >&2; continue; }
	{
		echo "# crash $ver: crash -s vmlinux x86_64-6.1/$scn/vmcore.kdump-zlib, mod -s crashmod crashmod.ko; $cmd"
		cat "$tmp/$n.out"
	} > "$file"
done < "$tmp/map"
echo "wrote $(wc -l < "$tmp/map") reference files under $out"
