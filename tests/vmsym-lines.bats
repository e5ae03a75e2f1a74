#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmsym -l: source lines from the vmlinux's DWARF line tables
# (common/types/lines.c), against crash on the oops-module dump: the
# "FILE: LINE" crash's sym appends (tests/ref/oops-module/crash-sym.txt) and
# crash's dis -l (tests/ref/oops-module/dis-l-*.txt).

load helpers

setup() {
	need_prog vmsym
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	need_fixture VMLINUX x86_64-6.1/vmlinux.xz
	REF=$ROOT/tests/ref/oops-module
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg
}

@test "vmsym -l: every FILE: LINE crash's sym printed, for names and addresses" {
	[ -s "$REF/crash-sym.txt" ] || skip "no crash-sym.txt"
	# crash's answers that carry a line (vmlinux code), per query
	awk '/^@@ /{q = $2; next} q != "" && / \(.\) / && /: [0-9]+ *$/ && !/\[/ {
		sub(/ +$/, ""); print q "\t" $0 }' "$REF/crash-sym.txt" >"$BATS_TEST_TMPDIR/want"
	n=$(wc -l <"$BATS_TEST_TMPDIR/want")
	[ "$n" -ge 20 ]
	cut -f1 "$BATS_TEST_TMPDIR/want" | sort -u |
		xargs "$VMBIN/vmsym" -l -k "$VMLINUX" "$DUMP" >"$BATS_TEST_TMPDIR/ours"
	bad=0
	while IFS=$'\t' read -r q line; do
		grep -qxF "$line" "$BATS_TEST_TMPDIR/ours" || { echo "crash: $line"; bad=$((bad + 1)); }
	done <"$BATS_TEST_TMPDIR/want"
	echo "$n lines, $bad missing"
	[ "$bad" -eq 0 ]
}

@test "vmsym -l ADDRESS: the line of every instruction of crash's dis -l" {
	local f total=0 bad=0
	for f in "$REF"/dis-l-*.txt; do
		case $f in *crashmod*) continue ;; esac
		# crash: "/path: N" heads the instructions at that line
		awk '/^\// { sub(/: /, ":"); cur = $0; next }
		     /^0x[0-9a-f]+ </ && cur != "" { print $1, cur }' "$f"
	done >"$BATS_TEST_TMPDIR/want"
	total=$(wc -l <"$BATS_TEST_TMPDIR/want")
	[ "$total" -ge 20 ]
	cut -d' ' -f1 "$BATS_TEST_TMPDIR/want" |
		xargs "$VMBIN/vmsym" -l -k "$VMLINUX" "$DUMP" |
		awk '{ print "0x" $1, $(NF - 1) $NF }' >"$BATS_TEST_TMPDIR/ours"
	run diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours"
	echo "$total addresses"
	assert_success
}

@test "vmsym --source DIR: the source line's text" {
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src/arch/x86/include/asm"
	seq -f 'text of line %g' 1 40 >"$src/arch/x86/include/asm/current.h"
	run "$VMBIN/vmsym" --source "$src" -k "$VMLINUX" "$DUMP" schedule
	assert_success
	assert_line --index 0 --regexp ' schedule /.*/arch/x86/include/asm/current.h: 15$'
	assert_line --index 1 "$(printf '15\ttext of line 15')"
}

@test "vmsym -l --json: file and line keys; data symbols have none" {
	run "$VMBIN/vmsym" -l --json -k "$VMLINUX" "$DUMP" schedule init_task
	assert_success
	echo "$output" | /usr/bin/python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert r[0]["name"] == "schedule" and r[0]["line"] == 15 and r[0]["file"].endswith("asm/current.h"), r[0]
assert r[1]["name"] == "init_task" and "line" not in r[1], r[1]'
}

@test "vmsym -l without any vmlinux: the symbol still, and why there is no line" {
	run --separate-stderr "$VMBIN/vmsym" -l "$DUMP" schedule
	assert_success
	assert_output --regexp '^[0-9a-f]+ \(T\) schedule$'
	[[ "$stderr" == *"no source lines"* ]]
}
