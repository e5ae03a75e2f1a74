#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The test helpers themselves: crash_block must cut every scenario's
# crash.txt into the blocks fixtures/make/crash-cmds.in ran, and the bundled
# sample must be the dump its README says.

load helpers

SCENARIOS="x86_64-6.1/sysrq-c x86_64-6.1/oops-module x86_64-6.1/bug-module"

@test "crash_block's table follows fixtures/make/crash-cmds.in" {
	skip_if_missing make/crash-cmds.in
	local want have i=0
	# "struct task_struct -o | head -40" -> "struct task_struct -o";
	# "mod -s crashmod @CRASHMOD@" -> "mod -s crashmod"
	want=$(sed -e 's/ *|.*//' -e 's/ *@[A-Z]*@//' -e '/^q$/d' "$FIX/make/crash-cmds.in")
	have=$(for ((i = 0; i < ${#CRASH_CMDS[@]}; i += 2)); do echo "${CRASH_CMDS[i]}"; done)
	assert_equal "$have" "$want"
}

@test "crash_block finds every command's output in every scenario" {
	local s i c out bad=()
	for s in $SCENARIOS "$ROOT/tests/data"; do
		[ -f "$(_crash_txt "$s")" ] || continue
		for ((i = 0; i < ${#CRASH_CMDS[@]}; i += 2)); do
			c=${CRASH_CMDS[i]}
			out=$(crash_block "$s" "$c")
			[ -n "$out" ] || bad+=("$s: '$c' empty")
		done
		# the blocks put together are the whole file but for crash's
		# start-up warnings before `sys`
		[ "$(for ((i = 0; i < ${#CRASH_CMDS[@]}; i += 2)); do crash_block "$s" "${CRASH_CMDS[i]}"; done)" = \
		  "$(sed -n '/^      KERNEL: /,$p' "$(_crash_txt "$s")")" ] || bad+=("$s: blocks do not add up to the file")
	done
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

@test "crash_block cuts where the commands change" {
	local s=$ROOT/tests/data
	run crash_block "$s" sys
	assert_line --index 0 --regexp '^ +KERNEL: '
	assert_line --index 12 --regexp '^ +PANIC: '
	run crash_block "$s" ps
	assert_line --index 0 --regexp '^ +PID +PPID +CPU +TASK'
	assert_equal "${#lines[@]}" 4
	run crash_block "$s" 'struct task_struct -o'
	assert_equal "${#lines[@]}" 40
	run crash_block "$s" 'dis -l schedule 10'
	[ "$(grep -c '^0x' <<<"$output")" -eq 10 ]
	run crash_block "$s" 'mod -s crashmod'
	assert_line --index 1 --partial 'crashmod.ko'
	run crash_block "$s" 'no such command'
	assert_failure
}

@test "crash_sys reads fields of the sys block" {
	run crash_sys "$ROOT/tests/data" RELEASE
	assert_output 6.1.192
	run crash_sys "$ROOT/tests/data" 'LOAD AVERAGE'
	assert_output '0.00, 0.00, 0.00'
	run crash_sys "$ROOT/tests/data" DUMPFILE
	assert_output 'vmcore.kdump-zlib  [PARTIAL DUMP]'
	run crash_sys "$ROOT/tests/data" NOSUCHFIELD
	assert_failure
}

@test "crash_sys works on every scenario of the corpus" {
	local s
	for s in $SCENARIOS; do
		skip_if_missing "$s/crash.txt"
		run crash_sys "$s" MACHINE
		assert_output --regexp '^x86_64 '
		run crash_sys "$s" MEMORY
		assert_output '191.5 MB'
	done
}

@test "the bundled sample matches tests/data/SHA256SUMS" {
	cd "$ROOT/tests/data"
	run sha256sum --quiet -c SHA256SUMS
	assert_success
}

@test "the bundled sample is the corpus's oops-module dump" {
	skip_if_missing x86_64-6.1/SHA256SUMS
	local want
	want=$(awk '$2 == "./oops-module/vmcore.kdump-zlib" { print $1 }' "$FIX/x86_64-6.1/SHA256SUMS")
	assert_equal "$(awk '$2 == "vmcore.kdump-zlib" { print $1 }' "$ROOT/tests/data/SHA256SUMS")" "$want"
}

@test "fixture and need_fixture" {
	skip_if_missing x86_64-6.1/System.map
	run fixture x86_64-6.1/System.map
	assert_success
	assert_output "$FIX/x86_64-6.1/System.map"
	run fixture x86_64-6.1/no-such-file
	assert_failure
	need_fixture MAP x86_64-6.1/System.map
	assert_equal "$MAP" "$FIX/x86_64-6.1/System.map"
}

@test "VMBIN is absolute and first in PATH" {
	[[ $VMBIN == /* ]]
	[[ $PATH == "$VMBIN:"* ]]
}
