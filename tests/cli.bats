#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The command-line contract every program shares (DESIGN.md, vmcoreutils(7)):
# -h/-V, exit 2 on usage errors, exit 1 with "prog: DUMP: cause" when the dump
# cannot be used, options of -h documented in man/PROG.1, and a clean run on
# the bundled sample dump.  Each test walks every program bin/*.c defines and
# lists all offenders at once.

load helpers

# Positional arguments after DUMP that a program needs to get as far as
# opening the dump (the same defaults tests/demo.sh uses).
prog_args() {
	case $1 in
	vmsym | vmdis) echo schedule ;;
	vmstruct) echo task_struct ;;
	esac
}

setup() {
	PROGS=$(programs)
	[ -n "$PROGS" ] || skip "no programs in bin/ yet"
	BAD=()
}

# record PROG MSG: one offender; the test fails at the end listing them all.
record() {
	BAD+=("$1: $2")
}

verdict() {
	if [ ${#BAD[@]} -gt 0 ]; then
		printf '%s\n' "${BAD[@]}" >&2
		return 1
	fi
}

@test "every program in bin/*.c is built" {
	for p in $PROGS; do
		[ -x "$VMBIN/$p" ] || record "$p" "missing $VMBIN/$p"
	done
	verdict
}

@test "-h and --help: usage on stdout, exit 0" {
	for p in $PROGS; do
		for o in -h --help; do
			run --separate-stderr "$VMBIN/$p" "$o"
			[ "$status" -eq 0 ] || record "$p" "$o exit $status"
			grep -qi 'usage' <<<"$output" || record "$p" "$o: no 'usage' in stdout"
			grep -q "$p" <<<"$output" || record "$p" "$o: program name not in stdout"
			grep -q 'DUMP' <<<"$output" || record "$p" "$o: DUMP not in usage"
			[ -z "$stderr" ] || record "$p" "$o wrote to stderr: $stderr"
		done
	done
	verdict
}

@test "-V and --version: 'PROG (vmcoreutils) VERSION', exit 0" {
	for p in $PROGS; do
		for o in -V --version; do
			run "$VMBIN/$p" "$o"
			[ "$status" -eq 0 ] || record "$p" "$o exit $status"
			[[ ${lines[0]:-} =~ ^$p\ \(vmcoreutils\)\ [0-9] ]] || record "$p" "$o printed '${lines[0]:-}'"
		done
	done
	verdict
}

@test "unknown option: exit 2 with a message naming the program" {
	for p in $PROGS; do
		for o in --no-such-option -@; do
			run --separate-stderr "$VMBIN/$p" "$o" "$SAMPLE"
			[ "$status" -eq 2 ] || record "$p" "$o exit $status (want 2)"
			# getopt's own message names argv[0], which may be a path
			[[ $stderr =~ ^(.*/)?$p:\  ]] || record "$p" "$o: stderr '$stderr' does not start with '$p: '"
			[ -z "$output" ] || record "$p" "$o wrote to stdout"
		done
	done
	verdict
}

@test "missing DUMP: exit 2" {
	for p in $PROGS; do
		run --separate-stderr "$VMBIN/$p"
		[ "$status" -eq 2 ] || record "$p" "no arguments: exit $status (want 2)"
		[[ $stderr == "$p: "* ]] || record "$p" "no arguments: stderr '$stderr'"
	done
	verdict
}

@test "malformed -o: exit 2" {
	for p in $PROGS; do
		run --separate-stderr "$VMBIN/$p" -o =1 "$SAMPLE" $(prog_args "$p")
		[ "$status" -eq 2 ] || record "$p" "-o =1: exit $status (want 2)"
	done
	verdict
}

@test "nonexistent dump: exit 1, 'PROG: PATH: cause'" {
	local d=/nonexistent-dir/vmcore
	for p in $PROGS; do
		run --separate-stderr "$VMBIN/$p" "$d" $(prog_args "$p")
		[ "$status" -eq 1 ] || record "$p" "exit $status (want 1)"
		[[ $stderr == "$p: $d: "?* ]] || record "$p" "stderr '$stderr' (want '$p: $d: cause')"
		[ -z "$output" ] || record "$p" "wrote to stdout: $output"
	done
	verdict
}

@test "empty file and directory as DUMP: exit 1 with a message" {
	local empty=$BATS_TEST_TMPDIR/empty
	: >"$empty"
	for p in $PROGS; do
		for d in "$empty" "$BATS_TEST_TMPDIR"; do
			run --separate-stderr "$VMBIN/$p" "$d" $(prog_args "$p")
			[ "$status" -eq 1 ] || record "$p" "$d: exit $status (want 1)"
			[[ $stderr == "$p: $d: "?* ]] || record "$p" "$d: stderr '$stderr'"
		done
	done
	verdict
}

# Plain text of a man page's source: roff escapes for '-' and fonts removed.
man_text() {
	sed -e 's/\\-/-/g' -e 's/\\(en/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' \
	    -e 's/\\f\[[^]]*\]//g' -e 's/\\&//g' "$1"
}

# Option tokens (-k, --json) in a usage text.
opts_of() {
	grep -oE '(^|[][[:space:],(|])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[][[:space:],(|]+//' | sort -u
}

# in_man OPT PAGE: OPT appears as a whole token in the page
in_man() {
	man_text "$2" | grep -qE -- "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|\$)"
}

@test "every option -h lists appears in man/PROG.1 (shared ones: or in vmcoreutils(7))" {
	local n=0 help own common o page seven=$ROOT/man/vmcoreutils.7
	for p in $PROGS; do
		page=$ROOT/man/$p.1
		[ -f "$page" ] || continue
		n=$((n + 1))
		help=$("$VMBIN/$p" -h)
		# vm_cli_common_usage starts with "Common options:"
		own=$(sed '/^Common options:/,$d' <<<"$help" | opts_of)
		common=$(sed -n '/^Common options:/,$p' <<<"$help" | opts_of)
		[ -n "$own$common" ] || record "$p" "no options found in -h"
		for o in $own; do
			in_man "$o" "$page" || record "$p" "option $o (from -h) not in man/$p.1"
		done
		for o in $common; do
			in_man "$o" "$page" && continue
			if grep -q 'vmcoreutils *(7)' <(man_text "$page") && in_man "$o" "$seven"; then
				continue
			fi
			record "$p" "shared option $o (from -h) neither in man/$p.1 nor in vmcoreutils(7) (referred to from it)"
		done
	done
	[ "$n" -gt 0 ] || skip "no man/PROG.1 pages yet"
	verdict
}

@test "man pages render without groff warnings" {
	local f warn n=0
	need_cmd groff
	for f in "$ROOT"/man/*.[1-8]; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		warn=$(LC_ALL=C groff -man -Tutf8 -ww -z "$f" 2>&1)
		[ -z "$warn" ] || record "${f##*/}" "$warn"
		grep -q "^\.TH " "$f" || record "${f##*/}" "no .TH line"
	done
	[ "$n" -gt 0 ] || skip "no man pages yet"
	verdict
}

@test "man/PROG.1 (where it exists) is section 1 of PROG; vmcoreutils(7) names PROG" {
	for p in $PROGS; do
		grep -qw "$p" "$ROOT/man/vmcoreutils.7" || record "$p" "not in man/vmcoreutils.7"
		[ -f "$ROOT/man/$p.1" ] || continue
		grep -qiE "^\.TH \"?$p\"? \"?1\"?" "$ROOT/man/$p.1" ||
			record "$p" "man/$p.1 has no '.TH $p 1'"
	done
	verdict
}

@test "every program answers on the bundled sample dump with no other file" {
	[ -f "$SAMPLE" ] || fail "bundled sample dump $SAMPLE is missing"
	for p in $PROGS; do
		# HOME and XDG_CACHE_HOME elsewhere: no cached or installed debuginfo
		# may help; the dump alone has to do.
		run --separate-stderr env HOME="$BATS_TEST_TMPDIR" XDG_CACHE_HOME="$BATS_TEST_TMPDIR/cache" \
			"$VMBIN/$p" "$SAMPLE" $(prog_args "$p")
		[ "$status" -eq 0 ] || record "$p" "exit $status: $stderr"
		[ -n "$output" ] || record "$p" "no output"
	done
	verdict
}

@test "--json: JSON lines (or exit 2 where a program has no JSON output)" {
	for p in $PROGS; do
		run --separate-stderr env HOME="$BATS_TEST_TMPDIR" XDG_CACHE_HOME="$BATS_TEST_TMPDIR/cache" \
			"$VMBIN/$p" --json "$SAMPLE" $(prog_args "$p")
		[ "$status" -eq 2 ] && continue
		[ "$status" -eq 0 ] || { record "$p" "--json: exit $status: $stderr"; continue; }
		[ -n "$output" ] || { record "$p" "--json: no output"; continue; }
		"$PY" -c '
import json, sys
for n, line in enumerate(sys.stdin, 1):
    if line.strip():
        try:
            json.loads(line)
        except ValueError as e:
            sys.exit("line %d: %s: %s" % (n, e, line[:100]))
' <<<"$output" 2>"$BATS_TEST_TMPDIR/json.err" || record "$p" "--json: $(cat "$BATS_TEST_TMPDIR/json.err")"
	done
	verdict
}
