#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Task selection (--state, --comm, PID lists: crash's foreach), the state
# summary (vmps -S, crash's ps -S) and manual backtrace starts (vmbt --sp
# / --ip, crash's bt -S / -I), on every fixture, against vmps's own table
# (whose states tests/vmps.bats checks against drgn and the guests' ps)
# and vmbt's own traces (checked against crash and /proc/PID/stack by
# tests/vmbt.bats): a selection must pick exactly the rows the table
# shows, and a trace restarted from frame N's address must be the trace
# from there on.

load helpers

KFIX=$ROOT/tests/fixtures

setup() {
	need_prog vmps
	need_prog vmbt
}

# every fixture dump we can read without unpacking a QEMU ELF: x86 6.1,
# arm64 6.1, the kernel-span kdump files
dumps() {
	local f
	for f in "$FIX"/x86_64-6.1/*/vmcore.kdump-* "$FIX"/arm64-6.1-debian/vmcore.qemu-kdump-zlib \
		 "$KFIX"/*/vmcore.kdump-*; do
		[ -f "$f" ] && echo "$f"
	done
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
