#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmbt against three independent references on the fixture dumps:
#  - crash's bt (tests/ref/SCN/crash-*.txt, made by tests/ref/make-refs-vmbt.sh),
#    with the frames where crash is wrong listed in tests/ref/SCN/vmbt-vs-crash.txt
#    and the evidence for each checked here;
#  - drgn's stack trace of every task (the fixture's drgn-ref.txt);
#  - the kernel's own oops/panic trace (serial.log) and the CPU registers
#    QEMU reported (qemu-info-registers.txt).

load helpers

SCNS="sysrq-c oops-module bug-module"

dump_of() {
	case $1 in
	sysrq-c) echo x86_64-6.1/sysrq-c/vmcore.kdump-zstd ;;
	oops-module) echo x86_64-6.1/oops-module/vmcore.kdump-zlib ;;
	bug-module) echo x86_64-6.1/bug-module/vmcore.kdump-snappy ;;
	esac
}

setup() {
	need_prog vmbt
	need_fixture VMLINUX x86_64-6.1/vmlinux.xz
	T=$BATS_TEST_TMPDIR
}

# vmbt_on SCN ARGS...: vmbt -k vmlinux ARGS on the scenario's kdump file
vmbt_on() {
	local scn=$1 d
	shift
	need_fixture d "$(dump_of "$scn")"
	run --separate-stderr "$VMBIN/vmbt" -k "$VMLINUX" "$@" "$d"
}

# qreg SCN CPU REG: a register QEMU reported for the CPU when it stopped
# the guest (qemu-info-registers.txt has CRLF line ends)
qreg() {
	tr -d '\r' < "$FIX/x86_64-6.1/$1/qemu-info-registers.txt" |
		awk -v c="CPU#$2" '$1 == c {on = 1; next} /^CPU#/ {on = 0} on' |
		grep -o "$3=[0-9a-f]*" | head -1 | cut -d= -f2
}

# a reference without its header line
ref() {
	tail -n +2 "$ROOT/tests/ref/$1/crash-$2.txt"
}

# frame lines without their numbers: "[SLOT] FUNC at PC [MODULE]"
frames() {
	awk '/^ *#[0-9]+ \[/ { sub(/^ *#[0-9]+ /, ""); print }'
}

# the register blocks' lines
reglines() {
	grep -E '^    (\[exception RIP|RIP|RAX|RDX|RBP|R10|R13|ORIG_RAX):'
}

# -f / -F stack words as "ADDRESS WORD" lines (words are 16 columns wide,
# longer symbol names push the next one right)
words() {
	awk '/^    [0-9a-f]+: / {
		a = $1; sub(":", "", a)
		rest = substr($0, index($0, ": ") + 2); n = 0
		while (rest != "") {
			if (!match(rest, /^[^ ]+ */)) break
			w = substr(rest, 1, RLENGTH); rest = substr(rest, RLENGTH + 1)
			sub(/ +$/, "", w); print a, n++, w
		}
	}' | while read -r a i w; do printf '%x %s\n' $((16#$a + 8 * i)) "$w"; done | sort -u
}

@test "vmbt -h lists the options the man page documents" {
	run "$VMBIN/vmbt" -h
	assert_success
	# vmbt's own options (the common ones are in vmcoreutils.7)
	for o in $(sed '/^Common options/,$d' <<<"$output" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "${o//-/\\-}" "$ROOT/man/vmbt.1" || fail "$o not in man/vmbt.1"
	done
}

@test "panic task: frame lines equal crash's bt, except the documented crash errors" {
	for scn in $SCNS; do
		vmbt_on "$scn"
		assert_success
		diff <(ref "$scn" bt | frames) <(frames <<<"$output") | grep '^[<>]' > "$T/got" || true
		grep -v '^#' "$ROOT/tests/ref/$scn/vmbt-vs-crash.txt" > "$T/want" || true
		diff -u "$T/want" "$T/got" || fail "$scn: frames differ from crash beyond tests/ref/$scn/vmbt-vs-crash.txt"
	done
}

@test "the frames crash misses are real (drgn, serial.log, same image)" {
	local pc pc2 off rsp slot
	# oops_end: the return address vmbt finds is the one in drgn's trace
	# of PID 1
	vmbt_on oops-module
	assert_success
	pc=$(frames <<<"$output" | awk '$2 == "oops_end.cold" { print $4 }')
	[ -n "$pc" ]
	grep -q "^#[0-9]* $pc oops_end\$" "$FIX/x86_64-6.1/oops-module/drgn-ref.txt"
	# and the same image's in bug-module (no KASLR there): the two differ
	# by the offset the oops-module kernel printed
	off=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\) from .*/\1/p' \
		"$FIX/x86_64-6.1/oops-module/serial.log" | head -1)
	[ -n "$off" ]
	grep -q 'Kernel Offset: disabled' "$FIX/x86_64-6.1/bug-module/serial.log"
	vmbt_on bug-module
	assert_success
	pc2=$(frames <<<"$output" | awk '$2 == "oops_end.cold" { print $4 }')
	[ -n "$pc2" ]
	[ $((0x$pc - off)) -eq $((0x$pc2)) ]
	# the kernel's own trace of the BUG() has crashmod_bug_level1+0x5:
	# vmbt's frame is that function at that offset
	grep -q ' crashmod_bug_level1.constprop.0+0x5/0x5 \[crashmod\]' \
		"$FIX/x86_64-6.1/bug-module/serial.log"
	vmbt_on bug-module -s
	assert_success
	assert_output --regexp ' crashmod_bug_level1\.constprop\.0\+5 at [0-9a-f]+ \[crashmod\]'
	# crash's extra frame lies below the RSP of the exception frame crash
	# itself prints: not on the stack when the CPU trapped
	rsp=$(ref bug-module bt | sed -n 's/^ *RIP: [0-9a-f]*  RSP: \([0-9a-f]*\) .*/\1/p' | head -1)
	slot=$(ref bug-module bt | frames | awk '$2 == "crashmod_bug_level2.constprop.0" { gsub(/[][]/, "", $1); print $1 }')
	[ -n "$rsp" ] && [ -n "$slot" ]
	[ $((0x$slot)) -lt $((0x$rsp)) ]
}

@test "exception frames: every register crash prints, vmbt prints" {
	for scn in $SCNS; do
		vmbt_on "$scn"
		assert_success
		ref "$scn" bt | reglines > "$T/want"
		[ -s "$T/want" ]
		reglines <<<"$output" > "$T/have"
		missing=$(grep -Fxvf "$T/have" "$T/want" || true)
		[ -z "$missing" ] || fail "$scn: not in vmbt: $missing"
	done
	# oops-module's exception frame is inside the module
	vmbt_on oops-module
	assert_line '    [exception RIP: crashmod_level2.constprop.0+19]'
	assert_line --partial ' crashmod_level1 at ffffffffc012c1c8 [crashmod]'
}

@test "panic task starts from the CPU's registers (qemu-info-registers.txt)" {
	for scn in $SCNS; do
		vmbt_on "$scn"
		assert_success
		cpu=$(awk '/^PID: /{print $6; exit}' <<<"$output")
		rip=$(qreg "$scn" "$cpu" RIP)
		rsp=$(qreg "$scn" "$cpu" RSP)
		[ -n "$rip" ] && [ -n "$rsp" ]
		[[ ${lines[2]} == "    RIP: $rip  RSP: $rsp "* ]] || fail "$scn: ${lines[2]} vs RIP=$rip RSP=$rsp"
		[[ ${lines[1]} == "    [exception RIP: delay_tsc+"* ]] || fail "$scn: ${lines[1]}"
	done
}

@test "-f: the stack words equal crash's bt -f" {
	for scn in $SCNS; do
		vmbt_on "$scn" -f
		assert_success
		ref "$scn" bt-f | words > "$T/want"
		words <<<"$output" > "$T/have"
		[ "$(wc -l < "$T/want")" -gt 50 ]
		diff -u "$T/want" "$T/have" || fail "$scn: -f words differ"
	done
}

@test "-F: symbolic words equal crash's bt -F (slab names and .LC labels aside)" {
	for scn in $SCNS; do
		vmbt_on "$scn" -F
		assert_success
		ref "$scn" bt-F | words > "$T/want"
		words <<<"$output" > "$T/have"
		# crash names slab objects ("[kmalloc-2k]") and compiler string
		# labels (".LC0+742"): vmbt prints those words in hex
		join "$T/want" "$T/have" | awk '$2 != $3 && $2 !~ /^(\[|\.LC)/' > "$T/bad"
		[ ! -s "$T/bad" ] || fail "$scn: $(cat "$T/bad")"
		[ "$(join "$T/want" "$T/have" | wc -l)" -eq "$(wc -l < "$T/want")" ]
		grep -q ' [a-z_]*+[0-9]*$' "$T/have"
	done
}

@test "-s: function+offset as crash's bt -s" {
	for scn in $SCNS; do
		vmbt_on "$scn" -s
		assert_success
		frames <<<"$output" > "$T/have"
		# crash's lines, less the frames listed as crash errors
		ref "$scn" bt-s | frames | while read -r slot rest; do
			grep -q "^< \\$slot" "$ROOT/tests/ref/$scn/vmbt-vs-crash.txt" ||
				printf '%s %s\n' "$slot" "$rest"
		done > "$T/want"
		missing=$(grep -Fxvf "$T/have" "$T/want" || true)
		[ -z "$missing" ] || fail "$scn: $missing"
	done
}

@test "-a: the CPU crash cannot unwind gets its full trace" {
	for scn in $SCNS; do
		# crash fails on it
		ref "$scn" bt-a | grep -q '^bt: read of stack at fffffe'
		task=$(awk '/^PID: /{t=$4} /^bt: read of stack/ && t {print t; exit}' \
			<(ref "$scn" bt-a))
		base=$(awk '/stack = 0x/ {sub(/,$/, "", $3); print $3; exit}' \
			"$ROOT/tests/ref/$scn/crash-failed-task-stack.txt")
		[ -n "$task" ] && [ -n "$base" ]
		vmbt_on "$scn" -a
		assert_success
		awk -v t="$task" '/^PID: /{on = ($4 == t)} on' <<<"$output" > "$T/cpu"
		cpu=$(awk '{print $6; exit}' "$T/cpu")
		rip=$(qreg "$scn" "$cpu" RIP)
		[ -n "$rip" ]
		# starts at the CPU's RIP, leaves the IRQ stack, ends at the
		# bottom of the idle task's stack, without stopping early
		grep -q "^    RIP: $rip " "$T/cpu" || fail "$scn: no RIP $rip"
		grep -qx -- '--- <IRQ stack> ---' "$T/cpu"
		grep -q ' secondary_startup_64_no_verify at ' "$T/cpu"
		! grep -q 'unwinding\|(scan)\|(guess)' "$T/cpu"
		# the frames after the switch lie on that task's stack (crash's
		# task_struct.stack), and every return address is real text
		awk '/^--- <IRQ stack>/ {on=1; next} on && /^ *#[0-9]+ \[/ {print $2}' "$T/cpu" |
			tr -d '[]' | while read -r s; do
				[ $((16#$s)) -ge $((base)) ] && [ $((16#$s)) -lt $((base + 16384)) ] ||
					{ echo "$scn: slot $s outside $base" >&2; exit 1; }
			done
		[ "$(grep -c ' at ' "$T/cpu")" -ge 7 ]
	done
}

@test "-A: sleeping tasks as crash's foreach bt (swapper/0)" {
	for scn in sysrq-c oops-module; do
		vmbt_on "$scn" -A
		assert_success
		task=$(awk '/COMMAND: "swapper\/0"/ {print $4; exit}' <(ref "$scn" foreach-bt))
		awk -v t="$task" '/^PID: /{on = ($4 == t)} on' <(ref "$scn" foreach-bt) | frames > "$T/want"
		awk -v t="$task" '/^PID: /{on = ($4 == t)} on' <<<"$output" | frames > "$T/have"
		[ -s "$T/want" ]
		diff -u "$T/want" "$T/have"
	done
}

# drgn_frames DRGN_REF: "PID N PC FUNC", one line per distinct pc, FUNC the
# outermost function drgn names for it (inlined calls come first), with
# GCC's .cold/.constprop.N/.isra.N/.part.N suffixes dropped.
NORM='function norm(s) { while (match(s, /\.(cold|constprop|isra|part|llvm)(\.[0-9]+)?$/)) s = substr(s, 1, RSTART - 1); return s }'
drgn_frames() {
	awk "$NORM"'
		/^# stack traces/ { on = 1; next }
		!on { next }
		/^## PID / { pid = $3; last = ""; next }
		/^#[0-9]+ / { if ($2 == last) { name[k] = $3; next }
			k++; p[k] = pid; pc[k] = $2; name[k] = $3; last = $2 }
		END { for (i = 1; i <= k; i++) print p[i], i, "0x" pc[i], norm(name[i]) }' "$1"
}
# the same from vmbt --json
vmbt_frames() {
	awk "$NORM"'
		{ pid = ""; pc = ""; fn = "?"
		  if (match($0, /"pid":-?[0-9]+/)) pid = substr($0, RSTART + 6, RLENGTH - 6)
		  if (match($0, /"pc":"0x[0-9a-f]+"/)) pc = substr($0, RSTART + 6, RLENGTH - 7)
		  if (match($0, /"function":"[^"]*"/)) fn = norm(substr($0, RSTART + 12, RLENGTH - 13))
		  if (pid != "" && pc != "") print pid, ++k, pc, fn }'
}

@test "every task's frames equal drgn's stack trace" {
	for scn in $SCNS; do
		drgn=$FIX/x86_64-6.1/$scn/drgn-ref.txt
		vmbt_on "$scn" -A --json
		assert_success
		drgn_frames "$drgn" > "$T/d"
		vmbt_frames <<<"$output" > "$T/v"
		# drgn matches CPU notes to tasks by pr_pid, which QEMU sets to the
		# vCPU index + 1: it unwinds sleeping PID 2 (and in bug-module PID
		# 1) from a CPU's registers.  Those traces start at a CPU's RIP
		# while drgn-ref.txt says the task was not running (state != R).
		rips=$(tr -d '\r' < "$FIX/x86_64-6.1/$scn/qemu-info-registers.txt" |
			grep -o 'RIP=[0-9a-f]*' | cut -d= -f2 | tr '\n' ' ')
		skip_pids=$(awk -v rips=" $rips " '
			/^# tasks/ { t = 1; next } /^# stack/ { t = 0; s = 1; next }
			t { st[$1] = $5 }
			s && /^## PID / { pid = $3; first = 1; next }
			s && first && /^#0 / { if (($2 == "0") || (index(rips, " " $2 " ") && st[pid] != "R")) print pid; first = 0 }
		' "$drgn")
		n=0
		for pid in $(awk '{print $1}' "$T/d" | sort -un); do
			[[ " $(echo $skip_pids) " == *" $pid "* ]] && continue
			a=$(awk -v p="$pid" '$1 == p {print $3, $4}' "$T/d")
			b=$(awk -v p="$pid" '$1 == p {print $3, $4}' "$T/v")
			# an ELF label inside a function counts as the function
			# (entry_SYSCALL_64_after_hwframe in entry_SYSCALL_64)
			bad=$(paste -d' ' <(echo "$a") <(echo "$b") | awk '
				NF != 4 || $1 != $3 || ($2 != $4 && index($4, $2 "_") != 1)')
			[ -z "$bad" ] || fail "$scn PID $pid: drgn vs vmbt: $bad"
			n=$((n + 1))
		done
		[ "$n" -ge 50 ] || fail "$scn: only $n tasks compared"
		echo "# $scn: $n tasks equal; left out (drgn used a CPU note of another task, or failed): $(echo $skip_pids)" >&3
	done
}

# kernel_trace SERIAL: the kernel's first call trace as "func+0xoff" lines,
# reliable entries only (no "? ").  A trace panic() printed starts with its
# own call to dump_stack(), which had returned by the time of the dump:
# entries up to panic's are dropped.
kernel_trace() {
	awk '/Call Trace:/ && !done {on = 1; next}
	     on && /<\/TASK>|^\[ *[0-9.]+\] RIP: 0033/ {on = 0; done = 1}
	     on && $3 != "?" && $3 ~ /\+0x/ {split($3, a, "/"); e[++n] = a[1]; if (a[1] ~ /^panic\+/) p = n}
	     END {for (i = p + 1; i <= n; i++) print e[i]}' "$1"
}
# vmbt's call frames as "func+0xoff"
vmbt_calls() {
	awk '/^ *#[0-9]+ \[/ {print $3 " " $5}' | while read -r fn pc; do
		printf '%s\n' "$fn"
	done
}

@test "the kernel's own trace (serial.log) is a subsequence of vmbt's" {
	for scn in $SCNS; do
		vmbt_on "$scn" -s
		assert_success
		kernel_trace "$FIX/x86_64-6.1/$scn/serial.log" | while read -r e; do
			printf '%s+%d\n' "${e%+0x*}" "$((16#${e##*+0x}))"
		done > "$T/k"
		[ "$(wc -l < "$T/k")" -ge 6 ]
		awk '/^ *#[0-9]+ \[/ {print $3}' <<<"$output" > "$T/v"
		# in order, each kernel entry found after the previous one
		awk 'NR == FNR {k[++n] = $0; next} i < n && $0 == k[i + 1] {i++}
		     END {if (i < n) {print "missing: " k[i + 1]; exit 1}}' "$T/k" "$T/v"
	done
}

@test "QEMU ELF dump (crash: 'cannot determine starting stack frame'): full trace, as the oops log says" {
	need_fixture q x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	run --separate-stderr "$VMBIN/vmbt" -s -k "$VMLINUX" "$q"
	assert_success
	serial=$FIX/x86_64-6.1/oops-module/serial.log
	# from the CPU inside panic() ...
	assert_line --index 1 --partial '    [exception RIP: delay_tsc+'
	assert_line --regexp '^ #0 \[[0-9a-f]+\] panic\+[0-9]+ at '
	# ... through the oops's exception frame, as the kernel printed it
	rip=$(grep -m1 -o 'RIP: 0010:[^/]*' "$serial" | cut -d: -f3)
	assert_line "    [exception RIP: ${rip%+0x*}+$((16#${rip##*+0x}))]"
	grep -m1 -o 'RSP: 0018:[0-9a-f]*' "$serial" | cut -d: -f3 > "$T/rsp"
	assert_output --partial "RSP: $(cat "$T/rsp")"
	# ... every entry of its call trace, in order ...
	kernel_trace "$serial" | while read -r e; do
		printf '%s+%d\n' "${e%+0x*}" "$((16#${e##*+0x}))"
	done > "$T/k"
	awk '/^ *#[0-9]+ \[/ {print $3}' <<<"$output" > "$T/v"
	awk 'NR == FNR {k[++n] = $0; next} i < n && $0 == k[i + 1] {i++}
	     END {if (i < n) {print "missing: " k[i + 1]; exit 1}}' "$T/k" "$T/v"
	# ... down to the system call entry and the user registers
	assert_line --regexp ' entry_SYSCALL_64_after_hwframe\+[0-9]+ at '
	urip=$(grep -m1 -o 'RIP: 0033:0x[0-9a-f]*' "$serial" | cut -d: -f3)
	ursp=$(grep -m1 -o 'RSP: 002b:[0-9a-f]*' "$serial" | cut -d: -f3)
	assert_line --regexp "^    RIP: 0*${urip#0x}  RSP: $ursp "
	refute_output --partial 'unwinding'
}

@test "--json: one object per frame, the same frames as the text" {
	local text
	vmbt_on oops-module
	assert_success
	text=$output
	vmbt_on oops-module --json
	assert_success
	refute_output --partial '"error"'
	# every call frame of the text, in order, is a "call" object with the
	# same stack slot, function, pc and module
	frames <<<"$text" | awk '{ gsub(/[][]/, "", $1); m = "-"; if ($5 != "") { m = $5; gsub(/[][]/, "", m) } print $1, $2, $4, m }' >"$T/text"
	grep '"kind":"call"' <<<"$output" | while read -r l; do
		pc=$(grep -o '"pc":"0x[0-9a-f]*"' <<<"$l" | cut -d'"' -f4)
		sl=$(grep -o '"slot":"0x[0-9a-f]*"' <<<"$l" | cut -d'"' -f4)
		fn=$(grep -o '"function":"[^"]*"' <<<"$l" | cut -d'"' -f4)
		md=$(grep -o '"module":"[^"]*"' <<<"$l" | cut -d'"' -f4)
		echo "${sl#0x} $fn ${pc#0x} ${md:--}"
	done >"$T/json"
	[ -s "$T/text" ]
	diff -u "$T/text" "$T/json"
	# the text's register blocks: the start (the panic CPU's registers,
	# shown as an exception RIP) and the exception frames; one user-mode
	# return
	[ "$(grep -c '"kind":"start"' <<<"$output")" -eq 1 ]
	[ $(( $(grep -c '"kind":"exception"' <<<"$output") + 1 )) -eq "$(grep -c '^    \[exception RIP' <<<"$text")" ]
	[ "$(grep -c '"kind":"user"' <<<"$output")" -eq "$(grep -c '^    RIP: 0000' <<<"$text")" ]
}

@test "-e: the exception frames crash's bt -e finds" {
	for scn in $SCNS; do
		vmbt_on "$scn" -e
		assert_success
		ref "$scn" bt-e | grep -v '^PID' > "$T/want"
		# the task stack's part (CPU stacks follow under their own header)
		awk '/^  CPU [0-9]+ .* STACK:/ {exit} !/^PID/' <<<"$output" > "$T/have"
		diff -u "$T/want" "$T/have"
	done
}

@test "-r: the raw stack equals crash's bt -r (slab names and .LC labels aside)" {
	vmbt_on oops-module -r
	assert_success
	ref oops-module bt-r | tail -n +2 > "$T/want"
	tail -n +2 <<<"$output" > "$T/have"
	[ "$(wc -l < "$T/want")" -eq 1024 ]
	[ "$(wc -l < "$T/have")" -eq 1024 ]
	paste -d'|' "$T/want" "$T/have" | awk -F'|' '
		{ n = split($1, a, / +/); split($2, b, / +/)
		  for (i = 1; i <= n; i++) if (a[i] != b[i] && a[i] !~ /^(\[|\.LC)/ && b[i] !~ /^[0-9a-f]{16}$/) { print; bad = 1 } }
		END { exit bad }'
}

@test "--orc-file (tables from vmlinux) and memory tables agree" {
	vmbt_on oops-module -A
	assert_success
	mem=$output
	vmbt_on oops-module -A --orc-file
	assert_success
	[ "$output" = "$mem" ]
	vmbt_on oops-module -v --orc-file
	[[ $stderr == *"from vmlinux sections"* ]]
}

@test "--no-orc: frame pointers off in this kernel, the scan is marked and ends" {
	vmbt_on sysrq-c --no-orc
	[ "$status" -eq 1 ]
	assert_output --partial 'frames below found by scanning the stack'
	assert_output --regexp ' at ffffffff[0-9a-f]+ \(scan\)'
	[[ $stderr == *"stopped before the bottom"* ]]
}

@test "the dump alone (kallsyms, BTF, ORC from memory) gives the same trace" {
	need_fixture d "$(dump_of oops-module)"
	run --separate-stderr "$VMBIN/vmbt" "$d"
	assert_success
	plain=$output
	vmbt_on oops-module
	[ "$output" = "$plain" ]
}

@test "selection: PID, task address, CPU; unknown ones fail cleanly" {
	vmbt_on sysrq-c -p 2 -p 0xff4eb3bfc1128000
	assert_success
	assert_line --partial 'PID: 2        TASK: ff4eb3bfc1129780'
	assert_line --partial ' kthreadd at '
	assert_line --partial 'PID: 1        TASK: ff4eb3bfc1128000'
	vmbt_on sysrq-c -c 1
	assert_success
	assert_line --partial 'COMMAND: "swapper/1"'
	vmbt_on sysrq-c -p 99999
	[ "$status" -eq 1 ]
	[[ $stderr == *"99999: no such task"* ]]
	vmbt_on sysrq-c -p 0xffffffff00000000
	[ "$status" -eq 1 ]
	run "$VMBIN/vmbt" -a -A "$SAMPLE"
	[ "$status" -eq 2 ]
	run "$VMBIN/vmbt" -p nonsense "$SAMPLE"
	[ "$status" -eq 2 ]
}

# ---- damaged stacks: a copy of the uncompressed (raw kdump) dump with words
# overwritten at file offsets build/tests/kvaddr2off finds.  Every trace must
# end, quickly, in a marked line and exit 1. ----

K2O=${O:-build}
case $K2O in /*) ;; *) K2O=$ROOT/$K2O ;; esac
K2O=${KVADDR2OFF:-$K2O/tests/kvaddr2off}

# poke FILE OFFSET HEX64: store a little-endian 64-bit value
poke() {
	local le
	le=$(printf '%16s' "$3" | tr ' ' 0 | sed 's/../& /g' | awk '{ for (i = NF; i > 0; i--) printf "\\x%s", $i }')
	printf "$le" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# damage ADDR [TYPE MEMBER] HEX64: overwrite a word of $BAD
damage() {
	local off val v=${*: -1}
	read -r off val < <("$K2O" "$BAD" "${@:1:$#-1}")
	[ -n "$off" ] || fail "kvaddr2off $*: no offset"
	poke "$BAD" "$off" "$v"
}

damaged_copy() {
	local raw
	[ -x "$K2O" ] || skip "$K2O not built"
	need_fixture raw derive:raw
	BAD=$BATS_TEST_TMPDIR/bad.raw
	cp "$raw" "$BAD"
	REF=$FIX/x86_64-6.1/oops-module/drgn-ref.txt
}

task_of() { # PID -> task_struct address
	awk -v p="$1" '$1 == p { print $4; exit }' "$REF"
}

bt_bad() { # ARGS...: vmbt on the damaged copy, bounded in time
	run --separate-stderr timeout 20 "$VMBIN/vmbt" -k "$VMLINUX" "$@" "$BAD"
}

@test "damaged stack: a garbage return address ends in a marked stack scan" {
	damaged_copy
	# vfs_write's return address on PID 1's stack (crash-bt.txt #7)
	damage ff2d700d00013e68 4141414141414141
	bt_bad
	[ "$status" -eq 1 ]
	assert_line --partial '[unwinding failed: '
	assert_line --regexp ' ksys_write at [0-9a-f]+ \(scan\)$'
	# the scan still reaches the user-mode registers at the top
	assert_line --regexp '^    RIP: 000000000047b7a0  RSP: '
	[[ $stderr == *"stopped before the bottom of the stack"* ]]
}

@test "damaged stack: a saved stack pointer off the stack is refused" {
	damaged_copy
	damage "$(task_of 2)" task_struct thread.sp dead000000000000
	bt_bad -p 2
	[ "$status" -eq 1 ]
	assert_line --partial '[unwinding stopped: saved stack pointer dead000000000000 is outside the task'
}

@test "damaged stack: a frame-pointer loop and bogus return addresses end" {
	damaged_copy
	t3=$(task_of 3) t4=$(task_of 4) t5=$(task_of 5)
	read -r _ sp3 < <("$K2O" "$BAD" "$t3" task_struct thread.sp)
	read -r _ sp4 < <("$K2O" "$BAD" "$t4" task_struct thread.sp)
	read -r _ sp5 < <("$K2O" "$BAD" "$t5" task_struct thread.sp)
	# PID 3: inactive_task_frame.bp (5th word) points at itself
	damage "$(printf '%x' $((16#$sp3 + 40)))" "$(printf '%x' $((16#$sp3 + 40)))"
	# PID 4: the saved return address is 0 (a call through NULL)
	damage "$(printf '%x' $((16#$sp4 + 48)))" 0
	# PID 5: the saved return address is the kernel's first byte
	damage "$(printf '%x' $((16#$sp5 + 48)))" ffffffffbcc00000
	for a in "--no-orc -p 3" "-p 4" "-p 5" "-A" "-A --no-orc"; do
		bt_bad $a
		[ "$status" -le 1 ] || fail "$a: status $status"
	done
	bt_bad --no-orc -p 3
	[ "$status" -eq 1 ]
	assert_output --regexp 'unwinding (failed|stopped): (stack going in the wrong direction|frame pointer)'
	# every trace of -A ended (a header for each of the dump's 59 tasks)
	bt_bad -A
	[ "$(grep -c '^PID: ' <<<"$output")" -eq 59 ]
}

@test "-l: each frame's line is its call's, as crash's dis -l says" {
	for scn in $SCNS; do
		vmbt_on "$scn" -l
		assert_success
		# crash: "FILE: LINE" then "0xADDR <sym>: insn"; ADDR + 1 is the pc
		ref "$scn" dis-l-callsites | awk '
			/^\// { l = $0; next }
			/^0x/ { a = substr($1, 3); if (l != "") print a, l; l = "" }' |
			while read -r a l; do printf '%x %s\n' $((16#$a + 1)) "$l"; done > "$T/want"
		[ "$(wc -l < "$T/want")" -ge 7 ]
		awk '/^ *#[0-9]+ \[/ { pc = $5; next }
		     pc != "" && /^    \// { sub(/^    /, ""); print pc, $0 }
		     { pc = "" }' <<<"$output" > "$T/have"
		diff -u "$T/want" <(grep -Ff <(cut -d' ' -f1 "$T/want") "$T/have")
	done
}

# ------------------------------------------------------------------ arm64
# Debian's stock arm64 kernel, no vmlinux: frame records, kallsyms (text
# only) and the dump's BTF.  The guest printed every task's
# /proc/PID/stack ("[<0>] func+0xoff/0xsize", scheduler functions left
# out) before the crash, and the panic's own "Call trace:".  Each becomes
# addresses (vmsym on the same dump) that must stand, in order and
# contiguous, among the return addresses vmbt finds for that task.

# frames_of FILE: "PID ADDR" per frame of vmbt output
arm64_frames() {
	awk '/^PID: / { pid = $2 } /^ *#[0-9]+ \[/ { print pid, $NF }' "$1"
}

# gt_addrs SERIAL VMSYM_OUT: "KEY ADDR" per frame of the guest's traces
# (KEY = pid=N, or panic for the Call trace after panic's own frame);
# 64-bit sums in bash, awk's numbers are doubles
gt_addrs() {
	local key name off
	awk 'FNR == NR { a[$3] = $1; next }
		/^--- pid=/ { key = $2; next }
		/^=== / { key = "" }
		/Call trace:/ { key = "trace"; next }
		key == "trace" && / panic\+/ { key = "panic"; next }
		key == "trace" { next }
		key == "panic" && !/^\[ *[0-9.]+\]  [A-Za-z_]/ { key = ""; next }
		key != "" && match($0, /[A-Za-z_.0-9]+\+0x[0-9a-f]+\//) {
			s = substr($0, RSTART, RLENGTH - 1); split(s, p, "+")
			if (!(p[1] in a)) { print "unresolved " p[1] > "/dev/stderr"; next }
			print key, a[p[1]], p[2] }' "$2" "$1" |
	while read -r key name off; do
		printf '%s %x\n' "$key" $((0x$name + off))
	done
}

@test "arm64 dump, no vmlinux: every task's stack holds the guest's /proc/PID/stack and the panic's Call trace" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib gt=$FIX/arm64-6.1-debian/serial.log
	local t=$BATS_TEST_TMPDIR
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib arm64-6.1-debian/serial.log
	run --separate-stderr "$VMBIN/vmbt" -A "$d"
	assert_success
	[ -z "$stderr" ]
	printf '%s\n' "${lines[@]}" > "$t/all"
	[ "$(grep -c '^PID: ' "$t/all")" -eq "$("$VMBIN/vmps" -H "$d" | wc -l)" ]
	! grep -q 'unwinding stopped' "$t/all"
	"$VMBIN/vmbt" "$d" > "$t/panic"
	arm64_frames "$t/all" > "$t/ours"
	arm64_frames "$t/panic" | sed 's/^[0-9]* /panic /' >> "$t/ours"
	sed -n 's/^\[ *[0-9.]*\]  *\([A-Za-z_][A-Za-z_.0-9]*\)+0x.*/\1/p; s/^\[<0>\] \([^+]*\)+.*/\1/p' "$gt" |
		sort -u > "$t/names"
	"$VMBIN/vmsym" "$d" $(cat "$t/names") > "$t/syms"
	gt_addrs "$gt" "$t/syms" 2> "$t/unresolved" | sed 's/^pid=//' > "$t/want"
	[ ! -s "$t/unresolved" ]
	[ "$(grep -c '^panic ' "$t/want")" -ge 10 ]
	[ "$(cut -d' ' -f1 "$t/want" | sort -u | wc -l)" -ge 30 ]
	# each key's addresses must be a contiguous run of that key's frames
	run awk 'FNR == NR { n[$1]++; ours[$1, n[$1]] = $2; next }
		{ if (!($1 in w)) keys[++k] = $1; w[$1]++; want[$1, w[$1]] = $2 }
		END {
			for (i = 1; i <= k; i++) { key = keys[i]; ok = 0
				for (s = 1; s + w[key] - 1 <= n[key] && !ok; s++) {
					ok = 1
					for (j = 1; j <= w[key]; j++)
						if (ours[key, s + j - 1] != want[key, j]) { ok = 0; break } }
				if (!ok) { print key ": " w[key] " frames not found in order"; bad++ }
				else good++ }
			print good " traces found in full, " bad + 0 " not"; exit bad > 0 }' "$t/ours" "$t/want"
	echo "$output"
	assert_success
}

@test "arm64 dump: the idle CPU's walk crosses from the IRQ stack through the exception frame" {
	need_fixture d arm64-6.1-debian/vmcore.qemu-kdump-zlib
	run "$VMBIN/vmbt" -c 0 "$d"
	assert_success
	assert_line "--- <IRQ stack> ---"
	assert_line --regexp '^    \[exception PC: [a-z_]+\+[0-9]+\]$'
	# the idle task ends where the boot CPU started it
	assert_line --regexp '^#?[ 0-9]+\[[0-9a-f]+\] (start_kernel|__primary_switched) at '
	refute_output --partial "unwinding stopped"
}

@test "crash's order, vmbt vmlinux vmcore: 'did you mean -k vmlinux?', exit 2, in every program" {
	local v p
	need_fixture v x86_64-6.1/vmlinux.xz
	run --separate-stderr vmbt "$v" "$SAMPLE"
	assert_failure 2
	[ -z "$output" ]
	[[ $stderr == "vmbt: $v is a kernel image, not a dump: did you mean -k $v?"* ]] || fail "stderr: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ]
	# a module is no dump either; and every program says it the same way
	for p in $(programs); do
		run --separate-stderr "$VMBIN/$p" "$FIX/x86_64-6.1/crashmod.ko" "$SAMPLE"
		[ "$status" -eq 2 ] && [[ $stderr == *"is a kernel image, not a dump: did you mean -k "* ]] ||
			fail "$p: exit $status: $stderr"
	done
	# the right order still works, and a dump followed by a file is no hint
	run -0 vmbt -k "$v" "$SAMPLE"
	run --separate-stderr vmsym "$SAMPLE" "$v"
	[[ $stderr != *"kernel image"* ]]
}

@test "- as DUMP: standard input when it is the dump file, a clear refusal for a pipe" {
	run --separate-stderr vmbt - <"$SAMPLE"
	assert_success
	assert_line --index 0 --partial 'PID: 1 '
	run --separate-stderr bash -c 'cat "$1" | vmbt -' _ "$SAMPLE"
	assert_failure 1
	[[ $stderr == "vmbt: -: standard input is a pipe; unsupported: a dump needs a seekable file"* ]] || fail "$stderr"
}
