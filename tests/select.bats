#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Task selection (--state, --comm, PID lists: crash's foreach), the state
# summary (vmps -S, crash's ps -S) and manual backtrace starts (vmbt --sp
# / --ip, crash's bt -S / -I), on every fixture, against vmps's own table
# (whose states tests/vmps.bats checks against drgn and the guests' ps)
# and vmbt's own traces (checked against crash and /proc/PID/stack by
# tests/vmbt.bats): a selection must pick exactly the rows the table
# shows, and a trace restarted from frame N's address must be the trace
# from there on.  On the kernel-span fixtures (x86_64 7.2 and 5.10, arm64
# 7.2) selections are also checked against what the guest printed in
# serial.log: its D tasks, its processes' names and PIDs, and the PID and
# Comm of the kernel's panic line.

load helpers

KFIX=$ROOT/tests/fixtures

setup() {
	need_prog vmps
	need_prog vmbt
}

# kspan CASE: a kernel-span fixture's dump: its kdump file, else its QEMU
# ELF dump (arm64 7.2: no makedumpfile reads that kernel) unpacked once
# into the fixture cache, keyed by its sha256, as tests/kernels.bats does
kspan() {
	local f out cache=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
	for f in "$KFIX/$1"/vmcore.kdump-*; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	f=$KFIX/$1/vmcore.qemu.elf.zst
	[ -f "$f" ] || return 1
	out=$cache/$(sha256sum "$f" | cut -c1-16)-$1-vmcore.qemu.elf
	if [ ! -s "$out" ]; then
		mkdir -p "$cache" && zstd -qdc "$f" > "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out" || return 1
	fi
	echo "$out"
}

# every fixture dump: x86 6.1, arm64 6.1, the kernel-span ones
dumps() {
	local f c
	for f in "$FIX"/x86_64-6.1/*/vmcore.kdump-* "$FIX"/arm64-6.1-debian/vmcore.qemu-kdump-zlib; do
		[ -f "$f" ] && echo "$f"
	done
	for c in "$KFIX"/*/; do
		[ -f "$c/serial.log" ] && kspan "$(basename "$c")"
	done
	return 0
}

# vmps rows as "PID CPU TASK ST COMM" (the ACT column dropped)
rows() {
	"$VMBIN/vmps" -H "$@" | awk '{ print $1, $3, $4, $5, $10 }'
}

@test "vmbt --state IN: the tasks vmps shows in IN, each once; vmps --state IN the same rows" {
	local d all n=0
	while read -r d; do
		all=$(rows "$d")
		run diff <(awk '$4 == "IN" { print $1, $3 }' <<< "$all") \
			 <("$VMBIN/vmbt" --state IN "$d" 2>/dev/null | awk '/^PID: / { print $2, $4 }')
		[ "$status" -eq 0 ] || fail "$d: $output"
		run diff <(awk '$4 == "IN"' <<< "$all") <(rows --state IN "$d")
		[ "$status" -eq 0 ] || fail "$d: $output"
		n=$((n + 1))
	done < <(dumps)
	[ "$n" -gt 0 ] || skip "no fixture"
}

@test "vmps -S: each state's count equals the ST column of vmps, in the order states first occur" {
	local d
	while read -r d; do
		run diff <(rows "$d" | awk '{ if (!($4 in n)) o[++k] = $4; n[$4]++ }
				END { for (i = 1; i <= k; i++) printf "  %s: %d\n", o[i], n[o[i]] }') \
			 <("$VMBIN/vmps" -S "$d")
		[ "$status" -eq 0 ] || fail "$d: $output"
	done < <(dumps)
}

@test "vmps --state/--comm/PID list: the rows of vmps that match, every combination tried here" {
	local d all
	while read -r d; do
		all=$(rows "$d")
		run diff <(awk '$4 == "UN" || $4 == "RU" || $4 == "ID"' <<< "$all") <(rows --state un,RU,id "$d")
		[ "$status" -eq 0 ] || fail "$d --state: $output"
		run diff <(awk '$5 ~ /^\[?kworker\//' <<< "$all") <(rows --comm '^kworker/' "$d")
		[ "$status" -eq 0 ] || fail "$d --comm: $output"
		run diff <(awk '($1 >= 2 && $1 <= 20 || $1 == 1) && $4 == "ID"' <<< "$all") \
			 <(rows --state ID "$d" 1,2-20)
		[ "$status" -eq 0 ] || fail "$d PID list: $output"
		run diff <(awk '$4 == "IN" || $4 == "ID"' <<< "$all" | awk '{ if (!($4 in n)) o[++k] = $4; n[$4]++ }
				END { for (i = 1; i <= k; i++) printf "  %s: %d\n", o[i], n[o[i]] }') \
			 <("$VMBIN/vmps" -S --state IN,ID "$d")
		[ "$status" -eq 0 ] || fail "$d -S --state: $output"
	done < <(dumps)
}

@test "vmbt --comm and a -p list select as vmps does" {
	local d
	while read -r d; do
		run diff <(rows --comm '^(init|sleep)$' "$d" | awk '{ print $1, $3 }') \
			 <("$VMBIN/vmbt" --comm '^(init|sleep)$' "$d" 2>/dev/null | awk '/^PID: / { print $2, $4 }')
		[ "$status" -eq 0 ] || fail "$d --comm: $output"
		run diff <(rows "$d" 1-3,7 | awk '{ print $1, $3 }') \
			 <("$VMBIN/vmbt" -p 1-3,7 "$d" 2>/dev/null | awk '/^PID: / { print $2, $4 }')
		[ "$status" -eq 0 ] || fail "$d -p list: $output"
	done < <(dumps)
}

# gt CASE NAME: one ground-truth section of a kernel-span fixture's
# serial.log (what the guest printed before it crashed)
gt() {
	awk -v s="=== GT $2 ===" '$0 == s { on = 1; next } on && /^=== GT / { exit } on' \
		"$KFIX/$1/serial.log"
}

@test "selection on the kernel-span fixtures as the guest saw it (serial.log): --state UN its D tasks, --comm its processes by name, -p the panicking PID" {
	local c d alive want pid comm n=0
	for c in "$KFIX"/*/; do
		c=$(basename "$c")
		grep -q '^=== GT ps ===' "$KFIX/$c/serial.log" 2>/dev/null || continue
		d=$(kspan "$c") || continue
		# the guest's "pid= ppid= state= comm=[]" of the tasks still there
		# at its last listing of /proc, right before the crash
		alive=$(gt "$c" stacks2 | sed -n 's/^--- pid=\([0-9]*\) .*/\1/p')
		gtps() {
			gt "$c" ps | sed -n 's/^pid=\([0-9]*\) ppid=\([0-9]*\) state=\(.\) comm=\[\(.*\)\] VmSize=.*/\1 \2 \3 \4/p' |
				awk -v a="$alive" 'BEGIN { n = split(a, x, "\n"); for (i = 1; i <= n; i++) ok[x[i]] = 1 } $1 in ok'
		}
		# D (uninterruptible) in the guest: exactly the UN selection
		want=$(gtps | awk '$3 == "D" { print $1 }' | sort -n)
		[ -n "$want" ] || fail "$c: the guest has no D task"
		[ "$(rows --state UN "$d" | awk '{ print $1 }' | sort -n)" = "$want" ] || fail "$c: vmps --state UN"
		[ "$("$VMBIN/vmbt" --state UN "$d" 2>/dev/null | awk '/^PID: / { print $2 }' | sort -n)" = "$want" ] ||
			fail "$c: vmbt --state UN"
		# its processes (no kernel thread: not kthreadd's children) by their
		# names: --comm selects exactly their PIDs
		want=$(gtps | awk '$1 != 2 && $2 != 2 { print $1, $4 }' | sort -n)
		[ "$(wc -l <<< "$want")" -ge 5 ] || fail "$c: too few processes in the guest's list"
		[ "$(rows --comm "^($(awk '{ print $2 }' <<< "$want" | sort -u | paste -sd '|'))\$" "$d" |
			awk '{ print $1, $5 }' | sort -n)" = "$want" ] || fail "$c: vmps --comm"
		# the task the kernel named in its panic (CPU: N ... PID: P Comm: C)
		read -r pid comm < <(sed -n 's/.* PID: \([0-9]*\) Comm: \([^ ]*\) .*/\1 \2/p' \
			"$KFIX/$c/serial.log" | tail -1)
		[ -n "$pid" ] || fail "$c: no panic line"
		[ "$(rows --comm "^$comm\$" "$d" | awk '{ print $1, $5 }')" = "$pid $comm" ] || fail "$c: --comm $comm"
		[ "$(rows "$d" "1,$pid" | awk '{ print $1, $5 }')" = "1 init
$pid $comm" ] || fail "$c: PID list 1,$pid"
		[ "$("$VMBIN/vmbt" -p "1,$pid" "$d" 2>/dev/null | awk '/^PID: / { print $2 }' | paste -sd ' ')" = "1 $pid" ] ||
			fail "$c: vmbt -p 1,$pid"
		n=$((n + 1))
	done
	# the arm64 7.2 one among them (the cases of tests/kernels)
	[ "$n" -ge 3 ] || fail "only $n kernel-span fixtures"
}

@test "selection: bad states, PID lists and regexes are usage errors (exit 2), one line" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	for args in "--state XX" "--state UN," "--comm (" ; do
		run --separate-stderr "$VMBIN/vmps" $args "$d"
		[ "$status" -eq 2 ] || fail "vmps $args: exit $status"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "vmps $args: $stderr"
		run --separate-stderr "$VMBIN/vmbt" $args "$d"
		[ "$status" -eq 2 ] || fail "vmbt $args: exit $status"
	done
	run --separate-stderr "$VMBIN/vmbt" -p 5-2 "$d"
	[ "$status" -eq 2 ]
	run --separate-stderr "$VMBIN/vmps" "$d" 1,x
	[ "$status" -eq 1 ]      # not a PID list: a command name nobody has
	run --separate-stderr "$VMBIN/vmps" "$d" 7-3
	[ "$status" -eq 2 ]
}

# ---- manual starts ----

# PIDs to restart traces of: the task each CPU ran that is no idle task,
# the first task in IN and the first in ID
sample_pids() {
	"$VMBIN/vmps" -H "$1" | awk '/^>/ && $2 > 0 { print $2 }
		{ sub(/^>/, " ") } $5 == "IN" && !i++ { print $1 } $5 == "ID" && !d++ { print $1 }'
}

# "PC FUNCTION" per frame line of a vmbt trace, from the frame whose
# bracket is $2 on (the whole trace without $2)
frames_from() {
	awk -v from="$1" '/^ *#[0-9]+ \[/ { b = $2; gsub(/[][]/, "", b)
		if (from == "" || b == from) on = 1
		if (on) print $5, $3 }'
}

# Every third frame of the sampled tasks (test_manual_bt restarts every
# frame of every task in C; here the program's options and layout).
@test "vmbt --sp [slot of frame N]: frames N.. of the normal trace, on sampled tasks of every fixture" {
	local d pid slot full want n=0
	need_cmd jq
	while read -r d; do
		# the running tasks, the first sleeping task and the first idle
		# worker of each dump, to keep it quick
		while read -r pid; do
			full=$("$VMBIN/vmbt" "$d" "$pid" 2>/dev/null)
			while read -r slot; do
				want=$(frames_from "$slot" <<< "$full")
				[ -n "$want" ] || continue
				run --separate-stderr "$VMBIN/vmbt" --sp "$slot" "$d" "$pid"
				[ "$(frames_from "" <<< "$output")" = "$want" ] ||
					fail "$d PID $pid --sp $slot: $output"
				n=$((n + 1))
			done < <("$VMBIN/vmbt" --json "$d" "$pid" 2>/dev/null |
				 jq -r 'select(.kind == "call" and .how != "saved") | .slot' |
				 sed 's/^0x//' | awk 'NR % 3 == 1')
		done < <(sample_pids "$d")
	done < <(dumps)
	[ "$n" -gt 20 ] || fail "only $n frames tried"
}

@test "vmbt --sp SP --ip PC of frame N: a first frame at PC, then frames N+1.. (x86_64: ORC from the pc)" {
	local d pid pc sp frames want got n=0
	need_cmd jq
	while read -r d; do
		[[ $d == *x86_64* ]] || continue
		while read -r pid; do
			frames=$("$VMBIN/vmbt" --json "$d" "$pid" 2>/dev/null |
				 jq -r 'select(.kind == "call" or .kind == "exception") | [.pc, .function, .kind, .sp] | @tsv')
			while read -r pc sp; do
				# the normal trace after the frame whose pc is pc
				want=$(awk -F'\t' -v pc="$pc" 'f { print $1 "\t" $2 } $1 "" == pc "" { f = 1 }' <<< "$frames")
				got=$("$VMBIN/vmbt" --json --sp "$sp" --ip "$pc" "$d" "$pid" 2>/dev/null |
				      jq -r 'select(.kind == "call" or .kind == "exception") | [.pc, .function] | @tsv')
				[ "$got" = "$want" ] || fail "$d PID $pid --sp $sp --ip $pc:"$'\n'"$got"$'\n'"want:"$'\n'"$want"
				n=$((n + 1))
			done < <(awk -F'\t' '$3 == "call" { print $1, $4 }' <<< "$frames" | awk 'NR % 3 == 1')
		done < <(sample_pids "$d")
	done < <(dumps)
	[ "$n" -gt 10 ] || fail "only $n frames tried"
}

@test "vmbt --sp/--ip: usage (--ip alone, crash's -S), a stack address on no stack of the task" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	run --separate-stderr "$VMBIN/vmbt" --ip ffffffff81000000 "$d" 1
	[ "$status" -eq 2 ]
	run --separate-stderr "$VMBIN/vmbt" -S ff2d700d00013e18 "$d" 1
	[ "$status" -eq 2 ]
	[[ $stderr == *"crash's -S is --sp here"* ]]
	run --separate-stderr "$VMBIN/vmbt" --sp 1000 "$d" 1
	assert_failure 1
	[[ $output == *"unwinding stopped: stack pointer 1000 is on none of the task's stacks"* ]]
}
