#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/examples/: programs written the way a third party would write one,
# against common/vmcore.h alone (the Makefile gives them only the public
# headers), built by `make test` and checked against what the dumped
# machines said about themselves.

load helpers

setup() {
	EX=${O:-$ROOT/build}/tests/examples
	case $EX in /*) ;; *) EX=$ROOT/$EX ;; esac
	[ -x "$EX/wchan" ] || fail "tests/examples/wchan.c was not built ($EX/wchan)"
}

# The guest's own view, printed before it crashed (serial.log): every
# task's state (/proc/PID/status, as crash's codes) and, for the tasks it
# listed, the first line of /proc/PID/stack -- the first function outside
# the scheduler, the wait channel.  "PID STATE WCHAN" per task.
guest_wchan() { # SERIAL
	join <(awk '/^--- \/proc\/PID:/ { p = 1; next } /^=== / { p = 0 }
		p && /^pid=/ { split($1, a, "="); split($3, s, "=")
			st = s[2] == "S" ? "IN" : s[2] == "I" ? "ID" : s[2] == "D" ? "UN" : s[2] == "R" ? "RU" : s[2]
			print a[2], st }' "$1" | sort -k1,1) \
	     <(awk '/^=== GT stacks/ { g = 1; next } /^=== / { g = 0 }
		g && /^--- pid=/ { split($2, a, "="); pid = a[2]; first = 1; next }
		g && first && /^\[<0>\]/ { f = $2; sub(/\+.*/, "", f); print pid, f; first = 0 }' "$1" |
		sort -k1,1)
}

@test "wchan (vmcore.h only): state and wait channel of every sleeping task = the arm64 guest's /proc" {
	local d=$FIX/arm64-6.1-debian gt
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib arm64-6.1-debian/serial.log
	gt=$(guest_wchan "$d/serial.log")
	[ "$(wc -l <<<"$gt")" -ge 25 ] || fail "too few tasks in the guest's listing: $gt"
	run --separate-stderr "$EX/wchan" "$d/vmcore.qemu-kdump-zlib" IN ID UN
	assert_success
	[ -z "$stderr" ]
	# every task the guest listed, with its state and wait channel
	run join <(awk '{ print $1, $2, $NF }' <<<"$output" | sort -k1,1) <(sort -k1,1 <<<"$gt")
	[ "${#lines[@]}" -eq "$(wc -l <<<"$gt")" ] || fail "$(join -v2 <(awk '{ print $1 }' <<<"$output" | sort) <(sort -k1,1 <<<"$gt"))"
	run awk '$2 != $4 || $3 != $5 { print "pid " $1 ": " $2 " " $3 ", the guest: " $4 " " $5; bad++ }
		END { exit bad > 0 }' <<<"$output"
	assert_success
}

@test "wchan: no task in the D state on the sample dump, as the guest's drgn listing has none" {
	local ref=$FIX/x86_64-6.1/oops-module/drgn-ref.txt
	skip_if_missing x86_64-6.1/oops-module/drgn-ref.txt
	# the sample is the oops-module crash: drgn's task list holds no D task
	[ "$(awk '/^# stack/ { exit } /^[0-9]/ && $5 == "D"' "$ref" | wc -l)" -eq 0 ]
	[ "$(awk '/^# stack/ { exit } /^[0-9]/ && $5 == "S"' "$ref" | wc -l)" -gt 10 ]
	run --separate-stderr "$EX/wchan" "$SAMPLE"
	assert_success
	assert_output ""
	# and the sleeping ones: as many as drgn lists
	run --separate-stderr "$EX/wchan" "$SAMPLE" IN
	assert_success
	[ "${#lines[@]}" -eq "$(awk '/^# stack/ { exit } /^[0-9]/ && $5 == "S"' "$ref" | wc -l)" ]
}

@test "wchan: usage and an unreadable dump" {
	run "$EX/wchan"
	[ "$status" -eq 2 ]
	run --separate-stderr "$EX/wchan" /nonexistent/vmcore
	[ "$status" -eq 1 ]
	[[ $stderr == "wchan: /nonexistent/vmcore: "?* ]]
}
