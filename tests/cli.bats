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

# ------------------------------------------------------------ the contract
# (issues 14, 19, 21: write errors, one option table, -o keys, JSON)

# Output modes of each program on the sample dump, one a line, as
# "OPTIONS|OPERANDS" (what goes before and after DUMP): every mode a program
# has that writes something different to stdout.
modes() {
	case $1 in
	vmsys) printf '%s\n' "|" "--json|" "-1|" "-1 --header|" ;;
	vmlog) printf '%s\n' "|" "--json|" "-t|" "-T|" "-C|" "-L|" "-d|" ;;
	vmps) printf '%s\n' "|" "--json|" "-H|" "--parents 98|" "--children 1|" "-g|" \
		"--times|" "--last-run|" "-S|" "-S --json|" "-a|" ;;
	vmbt) printf '%s\n' "|" "--json|" "-A|" "-A --json|" "-a|" "-c 1|" "-s|" "-f|" "-F|" \
		"-r|" "-e|" ;;
	vmsym) printf '%s\n' "|schedule" "--json|schedule" "-x|0xffffffffbd95e7da" "--list|" \
		"-q sched|" "--module crashmod|" ;;
	vmstruct) printf '%s\n' "|task_struct" "-s|task_struct" "--flat|task_struct" \
		"--json|task_struct" "|task_struct init_task" \
		"--json|task_struct init_task" "-x|task_struct.pid,comm init_task" ;;
	*) printf '%s\n' "|$(prog_args "$1")" ;;
	esac
}

@test "write errors: every program and output mode on /dev/full: exit 1, 'PROG: write error: REASON'" {
	local p opts ops err=$BATS_TEST_TMPDIR/err rc
	[ -w /dev/full ] || skip "no /dev/full"
	for p in $PROGS; do
		while IFS='|' read -r opts ops; do
			rc=0
			# shellcheck disable=SC2086
			"$VMBIN/$p" -o nocache $opts "$SAMPLE" $ops >/dev/full 2>"$err" || rc=$?
			[ "$rc" -eq 1 ] || record "$p" "$opts DUMP $ops > /dev/full: exit $rc (want 1)"
			grep -qx "$p: write error: No space left on device" "$err" ||
				record "$p" "$opts DUMP $ops > /dev/full: no '$p: write error: No space left on device' line: $(head -c 300 "$err")"
		done < <(modes "$p")
		for opts in -h -V; do
			rc=0
			"$VMBIN/$p" $opts >/dev/full 2>"$err" || rc=$?
			[ "$rc" -eq 1 ] && grep -qx "$p: write error: No space left on device" "$err" ||
				record "$p" "$opts > /dev/full: exit $rc, $(head -c 300 "$err")"
		done
	done
	verdict
}

@test "a closed pipe ends a program quietly (SIGPIPE), not with an error" {
	local p out
	for p in vmlog vmbt; do
		[ -x "$VMBIN/$p" ] || continue
		out=$( { "$VMBIN/$p" -A "$SAMPLE" 2>&1 >&3 3>&- | cat >/dev/null; } 3>&1 | head -c 1 >/dev/null; echo done) || true
		[[ $out != *"write error"* ]] || record "$p" "wrote '$out' on a closed pipe"
	done
	verdict
}

# "-k" -> "--vmlinux", from the option lines of a -h text
letters_of() {
	grep -oE '^  -[A-Za-z0-9], --[a-z][a-z0-9-]*' | sed -E 's/^  (-.), (--.*)/\1 \2/'
}

@test "one option table: a letter and a long name mean the same in every program" {
	local p l n seen_l=() k
	declare -A by_letter=() by_name=() where=()
	for p in $PROGS; do
		while read -r l n; do
			if [ -n "${by_letter[$l]:-}" ] && [ "${by_letter[$l]}" != "$n" ]; then
				record "$p" "$l is $n here but ${by_letter[$l]} in ${where[$l]}"
			fi
			if [ -n "${by_name[$n]:-}" ] && [ "${by_name[$n]}" != "$l" ]; then
				record "$p" "$n is $l here but ${by_name[$n]} in ${where[$n]}"
			fi
			by_letter[$l]=$n; by_name[$n]=$l; where[$l]=$p; where[$n]=$p
		done < <("$VMBIN/$p" -h | letters_of)
		# the help lists no letter twice
		k=$("$VMBIN/$p" -h | letters_of | awk '{ print $1 }' | sort | uniq -d)
		[ -z "$k" ] || record "$p" "-h lists $k more than once"
	done
	[ "${#by_letter[@]}" -gt 10 ] || record all "only ${#by_letter[@]} letters found in -h"
	# and vmcoreutils(7) (COMMON OPTIONS, OPTIONS) lists each pairing
	k=$(LC_ALL=C groff -man -Tascii -P-cbou "$ROOT/man/vmcoreutils.7" 2>/dev/null)
	for l in "${!by_letter[@]}"; do
		grep -qF -- "$l, ${by_letter[$l]}" <<<"$k" ||
			record vmcoreutils.7 "no '$l, ${by_letter[$l]}' in it"
	done
	verdict
}

@test "renamed crash letters: one message, pointing to the new spelling" {
	run --separate-stderr "$VMBIN/vmps" -p 98 "$SAMPLE"
	[ "$status" -eq 2 ] || record vmps "-p: exit $status"
	[ "${#stderr_lines[@]}" -eq 1 ] || record vmps "-p: ${#stderr_lines[@]} lines on stderr"
	[[ $stderr == "vmps: unknown option -p; crash's -p is --parents here"* ]] || record vmps "-p: '$stderr'"
	run --separate-stderr "$VMBIN/vmstruct" -o "$SAMPLE" list_head
	[ "$status" -eq 2 ] || record vmstruct "-o DUMP: exit $status"
	[[ $stderr == *"crash's -o is -s/--offsets here"* ]] || record vmstruct "-o DUMP: '$stderr'"
	# vmstruct --sysmap FILE is the System.map (it was taken for -m's member
	# list): a layout is the same with it as without
	if [ -f "$FIX/x86_64-6.1/System.map" ]; then
		run --separate-stderr "$VMBIN/vmstruct" --sysmap "$FIX/x86_64-6.1/System.map" "$SAMPLE" list_head
		[ "$status" -eq 0 ] || record vmstruct "--sysmap: exit $status: $stderr"
		[ "$output" = "$("$VMBIN/vmstruct" "$SAMPLE" list_head)" ] || record vmstruct "--sysmap changed the layout"
	fi
	verdict
}

@test "usage errors are one line on stderr" {
	local p o
	for p in $PROGS; do
		for o in --no-such-option -@ "-o kasrl=1"; do
			# shellcheck disable=SC2086
			run --separate-stderr "$VMBIN/$p" $o "$SAMPLE" $(prog_args "$p")
			[ "$status" -eq 2 ] || record "$p" "$o: exit $status"
			[ "${#stderr_lines[@]}" -eq 1 ] || record "$p" "$o: ${#stderr_lines[@]} lines: $stderr"
		done
	done
	verdict
}

@test "-v lines name the program, not 'note:'" {
	for p in $PROGS; do
		run --separate-stderr "$VMBIN/$p" -v "$SAMPLE" $(prog_args "$p")
		[ -n "$stderr" ] || { record "$p" "-v said nothing"; continue; }
		grep -v "^$p: " <<<"$stderr" | grep -q . && record "$p" "-v line without '$p: ': $(grep -v "^$p: " <<<"$stderr" | head -1)"
	done
	verdict
}

# the -o keys a program's -h lists: "kaslr=OFFSET" or "nocache"
override_keys() {
	sed -n '/^  -o, --override/,/^  -v, --verbose/p' | sed -n 's/^      \([a-z_][a-z_]*\(=[A-Z]*\)\{0,1\}\).*/\1/p'
}

# a well-formed value for a key's kind, as -h names it
value_for() {
	case $1 in
	*=BITS) echo "${1%=*}=48" ;;
	*=*) echo "${1%=*}=0x0" ;;
	*) echo "$1" ;;
	esac
}

@test "-o: every key any program's -h lists is accepted by every program (never exit 2)" {
	local p q k keys=""
	for p in $PROGS; do
		keys+=$("$VMBIN/$p" -h | override_keys)$'\n'
	done
	keys=$(sort -u <<<"$keys" | grep .)
	[ "$(wc -l <<<"$keys")" -ge 10 ] || fail "too few keys in -h: $keys"
	for p in $PROGS; do
		[ "$(("$VMBIN/$p" -h | override_keys) | sort -u)" = "$keys" ] ||
			record "$p" "-h lists other keys than the other programs"
		for k in $keys; do
			run --separate-stderr timeout 60 "$VMBIN/$p" -o nocache -o "$(value_for "$k")" "$SAMPLE" $(prog_args "$p")
			case $status in
			0|1) ;;
			*) record "$p" "-o $(value_for "$k"): exit $status: ${stderr:0:200}" ;;
			esac
		done
		# and vmcoreutils(7) documents each
	done
	for k in $keys; do
		in_man "${k%%=*}" "$ROOT/man/vmcoreutils.7" || record vmcoreutils.7 "-o ${k%%=*} not documented"
	done
	verdict
}

@test "-o: unknown keys and malformed values are usage errors (exit 2) in every program" {
	local p o
	for p in $PROGS; do
		for o in kasrl=0x1 kaslr=zz kaslr= kaslr kaslr=0x vabits=99 vabits=-48 \
			 "kaslr=1 2" nocache=1 textonly=yes =1 "" KASLR=0x1; do
			run --separate-stderr "$VMBIN/$p" -o "$o" "$SAMPLE" $(prog_args "$p")
			[ "$status" -eq 2 ] || record "$p" "-o '$o': exit $status (want 2)"
			[[ $stderr == "$p: -o "* ]] || record "$p" "-o '$o': stderr '$stderr'"
		done
	done
	verdict
}

# ------------------------------------------------------------ JSON

# Every dump the JSON test runs on: the sample, the x86 kdump files and the
# arm64 dump of the corpus, the kernel-span fixtures' kdump files (those
# present).
json_dumps() {
	echo "$SAMPLE"
	local f
	for f in x86_64-6.1/sysrq-c/vmcore.kdump-zstd x86_64-6.1/oops-module/vmcore.kdump-zlib \
		 x86_64-6.1/bug-module/vmcore.kdump-snappy arm64-6.1-debian/vmcore.qemu-kdump-zlib; do
		[ -f "$FIX/$f" ] && echo "$FIX/$f"
	done
	for f in "$ROOT"/tests/fixtures/*/vmcore.kdump-*; do
		[ -f "$f" ] && echo "$f"
	done
}

# check_json WHAT FILE: every line parses (jq), no number above 2^53 in
# magnitude, no half record
check_json() {
	local what=$1 f=$2 big
	[ -s "$f" ] || { record "$what" "no output"; return; }
	if ! jq -c . "$f" >/dev/null 2>"$BATS_TEST_TMPDIR/jq.err"; then
		record "$what" "not JSON lines: $(head -c 300 "$BATS_TEST_TMPDIR/jq.err")"
		return
	fi
	big=$(jq -c '[paths(numbers) as $p | getpath($p) as $v
		| select($v > 9007199254740992 or $v < -9007199254740992) | $p] | select(length > 0)' "$f" | head -3)
	[ -z "$big" ] || record "$what" "numbers above 2^53 at $big"
	jq -e 'type == "object"' "$f" >/dev/null || record "$what" "a line is not an object"
}

# json_cases PROG PANIC_TASK: "OPTIONS|OPERANDS" a line, the runs to check
json_cases() {
	case $1 in
	vmbt) printf '%s\n' "|" "-A|" ;;
	vmsym) printf '%s\n' "|schedule sched_clock_cpu panic" ;;
	vmstruct) printf '%s\n' "|task_struct" "|task_struct $2" ;;
	*) printf '%s\n' "|$(prog_args "$1")" ;;
	esac
}

@test "--json of every program on every fixture: JSON lines, no number a consumer could round" {
	local d p c opts ops out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err ptask rc what
	need_cmd jq
	while IFS= read -r d; do
		ptask=$("$VMBIN/vmsys" --json "$d" 2>/dev/null | jq -r '.task // empty')
		[ -n "$ptask" ] || record vmsys "--json ${d##*/}: no task (the panic task)"
		for p in $PROGS; do
			while IFS='|' read -r opts ops; do
				what="$p --json $opts ${d#"$FIX"/} $ops"
				rc=0
				# shellcheck disable=SC2086
				"$VMBIN/$p" --json $opts "$d" $ops >"$out" 2>"$err" || rc=$?
				check_json "$what" "$out"
				case $rc in
				0) ;;
				1) jq -e 'select(has("error"))' "$out" >/dev/null 2>&1 ||
					record "$p" "$what: exit 1 without an error record" ;;
				*) record "$p" "$what: exit $rc: $(head -c 200 "$err")" ;;
				esac
			done < <(json_cases "$p" "${ptask:-init_task}")
		done
	done < <(json_dumps)
	verdict
}

# ------------------------------------------------------------ leaks
# The error paths of every program free what they opened: LeakSanitizer
# (the SAN=1 build) finds nothing on a dump cut to 100 bytes or on the
# arm64 dump with its VMCOREINFO ignored.  In the plain build the same runs
# must end with status 1 and a message.
@test "error paths free what they opened (LSan in the SAN=1 build): cut dump, -o novmcoreinfo" {
	local cut=$BATS_TEST_TMPDIR/cut100 p d
	head -c 100 "$SAMPLE" >"$cut"
	for p in $PROGS; do
		for d in "$cut" "$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib"; do
			[ -f "$d" ] || continue
			run --separate-stderr env ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
				"$VMBIN/$p" -o nocache -o novmcoreinfo "$d" $(prog_args "$p")
			case $status in
			0|1) ;;
			*) record "$p" "${d##*/} -o novmcoreinfo: exit $status: $(grep -m3 -E 'ERROR|leak|SUMMARY' <<<"$stderr")" ;;
			esac
			if [ "$status" = 1 ] && [[ $stderr != "$p: $d: "?* ]]; then
				record "$p" "${d##*/}: exit 1 without '$p: $d: cause': ${stderr:0:200}"
			fi
		done
	done
	verdict
}

@test "vmbt --json on arm64: every register of the arch in the start frame (user_pt_regs: x0-x30, sp, pc, pstate)" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib want
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib
	need_cmd jq
	run --separate-stderr "$VMBIN/vmbt" --json "$d"
	assert_success
	# NT_PRSTATUS pr_reg on arm64 is struct user_pt_regs
	# (arch/arm64/include/uapi/asm/ptrace.h): regs[31] (x29 = fp, x30 = lr), sp, pc, pstate
	want=$( (seq -f 'x%g' 0 28; printf '%s\n' fp lr sp pc pstate) | sort | tr '\n' ' ')
	[ "$(jq -r 'select(.kind == "start") | .regs | keys[]' <<<"$output" | sort | tr '\n' ' ')" = "$want" ]
}
