#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmps --runq (crash's runq): against crash 8.0.2's runq, runq -t and runq
# -m on the x86 dumps (tests/ref/SCN/mods/runq*.txt, made by
# tests/ref/make-refs-mods.sh), and on every fixture against what the dump
# proves by itself: every task vmps shows RU that no CPU was running is
# queued on exactly one run queue, its CPU's, every queued task is RU,
# and each CPU's current task is the one vmps marks running there.
# Damage: a CFS tree broken in a copy of the dump.

load helpers

X86="oops-module:vmcore.kdump-zlib bug-module:vmcore.kdump-snappy sysrq-c:vmcore.kdump-zstd"
KFIX=$ROOT/tests/fixtures

setup() {
	need_prog vmps
}

ref() { # SCN NAME
	local f=$ROOT/tests/ref/$1/mods/$2.txt
	[ -f "$f" ] || fail "no reference $f (tests/ref/make-refs-mods.sh)"
	sed 1d "$f"
}

@test "vmps --runq, --runq --last-run, --runq --times: crash's runq, runq -t, runq -m" {
	local s scn d n=0
	for s in $X86; do
		scn=${s%%:*} d=$FIX/x86_64-6.1/$scn/${s#*:}
		[ -f "$d" ] || continue
		run -0 "$VMBIN/vmps" --runq "$d"
		[ "$output" = "$(ref "$scn" runq)" ] || fail "$scn runq: $output"
		run -0 "$VMBIN/vmps" --runq --last-run "$d"
		[ "$output" = "$(ref "$scn" runq-t)" ] || fail "$scn runq -t: $output"
		run -0 "$VMBIN/vmps" --runq --times "$d"
		[ "$output" = "$(ref "$scn" runq-m)" ] || fail "$scn runq -m: $output"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || skip "no x86 fixture"
}

@test "vmps --runq on every fixture: the queued tasks are the RU tasks not running, each on its CPU" {
	local d n=0
	need_cmd jq
	for d in "$FIX"/x86_64-6.1/*/vmcore.kdump-* "$FIX"/arm64-6.1-debian/vmcore.qemu-kdump-zlib \
		 "$KFIX"/*/vmcore.kdump-*; do
		[ -f "$d" ] || continue
		run -0 "$VMBIN/vmps" --runq --json "$d"
		local q=$output
		# queued: "PID CPU"; current: "PID CPU"
		run diff <("$VMBIN/vmps" -H "$d" | awk '$9 != ">" && $5 == "RU" && $2 != 0 { print $1, $3 }' | sort) \
			 <(jq -r '.cpu as $c | .queued[] | "\(.pid) \($c)"' <<< "$q" | sort)
		[ "$status" -eq 0 ] || fail "$d queued: $output"
		run diff <("$VMBIN/vmps" -H "$d" | awk '$9 == ">" { print $1, $3 }' | sort) \
			 <(jq -r '"\(.curr_pid) \(.cpu)"' <<< "$q" | sort)
		[ "$status" -eq 0 ] || fail "$d current: $output"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || skip "no fixture"
}

@test "vmps --runq: no task selection with it, one usage line" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	run --separate-stderr "$VMBIN/vmps" --runq --state UN "$d"
	[ "$status" -eq 2 ] && [ "${#stderr_lines[@]}" -eq 1 ]
	run --separate-stderr "$VMBIN/vmps" --runq -g "$d"
	[ "$status" -eq 2 ]
}

# ---- damage: a copy of the uncompressed (raw kdump) dump with CPU 0's
# CFS root pointer overwritten at the file offset build/tests/kvaddr2off
# finds

K2O=${O:-build}
case $K2O in /*) ;; *) K2O=$ROOT/$K2O ;; esac
K2O=${KVADDR2OFF:-$K2O/tests/kvaddr2off}

poke() { # FILE OFFSET HEX64
	local le
	le=$(printf '%16s' "$3" | tr ' ' 0 | sed 's/../& /g' | awk '{ for (i = NF; i > 0; i--) printf "\\x%s", $i }')
	printf "$le" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

@test "damaged run queue: a CFS root into unmapped memory names CPU 0's tree; CPU 1 still shown" {
	local raw bad root off val
	[ -x "$K2O" ] || skip "$K2O not built"
	need_fixture raw derive:raw
	need_cmd jq
	bad=$BATS_TEST_TMPDIR/bad.raw
	cp "$raw" "$bad"
	root=$("$VMBIN/vmps" --runq --json "$raw" | jq -r 'select(.cpu == 0) | .cfs_rb_root' | sed 's/^0x//')
	read -r off val < <("$K2O" "$bad" "$root")
	poke "$bad" "$off" ffffdead00000000
	run --separate-stderr timeout 20 "$VMBIN/vmps" --runq "$bad"
	assert_failure 1
	[[ $stderr == *"CPU 0's run queue: CFS tree: rbtree at 0x$root"* ]] || fail "$stderr"
	[[ $output == *"CPU 1 RUNQUEUE"* ]]
}
