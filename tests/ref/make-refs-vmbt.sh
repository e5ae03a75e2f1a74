#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmbt's references from Red Hat crash on the fixture dumps.
#
#   tests/ref/make-refs-vmbt.sh        (needs crash, the fixture corpus)
#
# One crash session per scenario; every command's output goes to its own
# file tests/ref/SCENARIO/crash-NAME.txt whose first line names the exact
# command that made it.  crash prints no prompts, so the session echoes a
# marker line before each command and the output is split on those markers.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
ver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')

# name:command pairs (name is the file suffix)
CMDS='bt:bt
bt-f:bt -f
bt-F:bt -F
bt-l:bt -l
bt-s:bt -s
bt-e:bt -e
bt-a:bt -a
foreach-bt:foreach bt'

for scn in sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy; do
	dir=${scn%%/*}
	dump=$FIX/x86_64-6.1/$scn
	[ -f "$dump" ] || { echo "missing $dump" >&2; exit 1; }
	out=$here/tests/ref/$dir
	mkdir -p "$out"
	cmds=$CMDS
	# one raw stack dump is enough (56 KB each)
	[ "$dir" = oops-module ] && cmds=$(printf '%s\nbt-r:bt -r' "$CMDS")
	script=$(echo "$cmds" | while IFS=: read -r name cmd; do
		printf 'echo @@REF@@ %s\n%s\n' "$name" "$cmd"
	done; echo q)
	raw=$(echo "$script" | crash -s "$vmlinux" "$dump" 2>&1)
	echo "$cmds" | while IFS=: read -r name cmd; do
		{
			printf '# crash %s: echo "%s" | crash -s vmlinux %s\n' "$ver" "$cmd" "${scn#*/}"
			printf '%s\n' "$raw" | awk -v n="$name" '
				/^@@REF@@ / { on = ($2 == n); next }
				on'
		} > "$out/crash-$name.txt"
	done
	# The tasks whose trace crash's `bt -a` could not give: their stack
	# base, so that vmbt's frames for them can be checked to lie on it.
	tasks=$(awk '/^PID: /{t=$4} /^bt: read of stack/ && t {print t; t=""}' "$out/crash-bt-a.txt")
	{
		printf '# crash %s: echo "struct task_struct.stack,thread_info TASK" | crash -s vmlinux %s, for each TASK whose `bt -a` failed\n' \
			"$ver" "${scn#*/}"
		for t in $tasks; do
			printf 'TASK %s\n' "$t"
			printf 'struct task_struct.stack,thread_info %s\nq\n' "$t" |
				crash -s "$vmlinux" "$dump" 2>&1 | grep -v '^WARNING: active task'
		done
	} > "$out/crash-failed-task-stack.txt"
	# The source line of each call: crash's `dis -l` of the byte before
	# each return address of the panic task's bt (vmbt -l prints those;
	# crash's own bt -l prints the line of the return address itself).
	pcs=$(awk '/^ *#[0-9]+ \[/ {print $5}' "$out/crash-bt.txt")
	{
		printf '# crash %s: echo "dis -l ADDR 1" | crash -s vmlinux %s, ADDR = each return address in crash-bt.txt - 1\n' \
			"$ver" "${scn#*/}"
		for pc in $pcs; do
			printf 'dis -l 0x%x 1\n' $((16#$pc - 1))
		done | { cat; echo q; } | crash -s "$vmlinux" "$dump" 2>&1 |
			grep -v '^WARNING: active task' | grep .
	} > "$out/crash-dis-l-callsites.txt"
	echo "$out: $(ls "$out" | wc -l) files"
done
