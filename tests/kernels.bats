#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel-span fixtures (tests/fixtures/CASE, made by
# tests/kernels/make-fixture.sh from Debian's stock kernels): Linux 7.2
# x86_64 (sid, cloud flavour), 7.2 arm64 (sid, stock), 5.10 x86_64
# (bullseye, stock; its VMCOREINFO exports no kallsyms tables).  With no
# option but the dump, every answer is checked against what the guest
# itself printed before the crash (serial.log "=== GT ... ===" sections,
# kallsyms.txt.zst = its /proc/kallsyms) or against makedumpfile.
# The -k tests use the kernel's Debian -dbg package (tests/kernels/vmlinux.sh
# downloads it once into the fixture cache) and crash 8.0.2's output on the
# 5.10 dump (crash.txt, made by tests/kernels/crash-refs.sh).

load helpers

KFIX=$ROOT/tests/fixtures
CASES=${KCASES:-"x86_64-7.2 arm64-7.2 x86_64-5.10"}

# dump CASE: the committed dump of a case; QEMU's ELF dump (arm64 7.2: no
# makedumpfile reads that kernel) is unpacked once into the fixture cache,
# keyed by its sha256, atomically
dump() {
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

# in_cases CASE: skip a test about one case when KCASES leaves it out
in_cases() {
	case " $CASES " in *" $1 "*) ;; *) skip "$1 not among the cases ($CASES)" ;; esac
}

need_case() { # VAR CASE
	local _d
	_d=$(dump "$2") || skip "fixture $2 not made (tests/kernels/make-fixture.sh $2)"
	printf -v "$1" '%s' "$_d"
}

# gt CASE NAME: the lines of one ground-truth section of serial.log
gt() {
	awk -v s="=== GT $2 ===" '
		$0 == s { on = 1; next }
		on && /^=== GT / { exit }
		on' "$KFIX/$1/serial.log"
}

# tasks of the guest: "PID PPID COMM" from the /proc snapshot, those still
# there at its last listing of /proc (the second stack snapshot, right
# before the crash): a short-lived kworker or a sleep may end in between
gt_tasks() {
	local alive
	alive=$(gt "$1" stacks2 | sed -n 's/^--- pid=\([0-9]*\) .*/\1/p')
	gt "$1" ps | sed -n 's/^pid=\([0-9]*\) ppid=\([0-9]*\) state=. comm=\[\(.*\)\] VmSize=.*/\1 \2 \3/p' |
		awk -v a="$alive" 'BEGIN { n = split(a, x, "\n"); for (i = 1; i <= n; i++) ok[x[i]] = 1 } $1 in ok'
}

# vmps's rows as "PID PPID COMM" (brackets of kernel threads dropped;
# COMM follows the ACT column, the 9th)
vmps_tasks() {
	awk 'NR == 1 { next } { c = $0; for (i = 0; i < 9; i++) sub(/^ *[^ ]+/, "", c); sub(/^ +/, "", c)
		if (c ~ /^\[.*\]$/) c = substr(c, 2, length(c) - 2); print $1, $2, c }'
}

# function names of a kernel trace line: "  vpanic+0x133/0x310" -> vpanic
trace_names() {
	sed -n 's/^.*\] *\(? \)\{0,1\}\([A-Za-z0-9_.$]*\)+0x[0-9a-f]*\/0x[0-9a-f]*.*$/\1\2/p'
}

# vmbt's frames as function names, in order ("? " never printed: a
# frame the scan found is "(scan)")
vmbt_names() {
	awk '/^ *#[0-9]+ \[/ { for (i = 1; i <= NF; i++) if ($i == "at") { print $(i - 1); break } }
	     /\[exception RIP: / { s = $0; sub(/.*\[exception RIP: /, "", s); sub(/[+\]].*/, "", s); print s }'
}

# canon CASE: function names on stdin -> one name per function: the first
# of the aliases the guest's kallsyms lists at its address (the kernel
# prints that one, __do_sys_vfork; vmbt prints crash's choice, the first
# global one, __ia32_sys_vfork).  Names that several functions share stay.
canon() {
	awk 'NR == FNR { if (NF != 3) next
			 if (!($1 in first)) first[$1] = $3
			 if (!(($3, "n") in seen)) { seen[$3, "n"] = 1; cnt[$3]++; at[$3] = $1 }
			 else if (at[$3] != $1) cnt[$3]++
			 next }
	     { n = $0; if ((n in cnt) && cnt[n] == 1) n = first[at[n]]; print n }' \
		"$(ksyms "$1")" -
}

# ksyms CASE: the guest's /proc/kallsyms, unpacked once per run of this file
ksyms() {
	local f=$BATS_FILE_TMPDIR/$1.kallsyms
	[ -s "$f" ] || zstd -qdc "$KFIX/$1/kallsyms.txt.zst" > "$f"
	echo "$f"
}

# comm_ok GT VM: the COMM vmps shows is the task's comm (15 characters at
# most); the guest's /proc shows a workqueue worker's as "COMM-WORKQUEUE"
# (fs/proc/array.c proc_task_name, wq_worker_comm)
comm_ok() {
	[ "$1" = "$2" ] && return 0
	case $1 in "$2"-*) return 0 ;; esac
	[ ${#2} -eq 15 ] && [ "${1:0:15}" = "$2" ]
}

# is_run NEEDLE HAYSTACK: every line of NEEDLE, in order, contiguous, in HAYSTACK
is_run() {
	awk -v n="$1" 'BEGIN { k = split(n, want, "\n") }
		{ h[++m] = $0 }
		END {
			for (s = 1; s + k - 1 <= m; s++) {
				for (j = 1; j <= k && h[s + j - 1] == want[j]; j++) ;
				if (j > k) exit 0
			}
			exit 1
		}' <<<"$2"
}

# is_subseq NEEDLE HAYSTACK: every line of NEEDLE, in order (gaps allowed)
is_subseq() {
	awk -v n="$1" 'BEGIN { k = split(n, want, "\n"); j = 1 }
		j <= k && $0 == want[j] { j++ }
		END { exit !(j > k) }' <<<"$2"
}

@test "kernels: vmlog equals makedumpfile --dump-dmesg byte for byte" {
	local c d
	for c in $CASES; do
		need_case d "$c"
		# arm64 7.2: no makedumpfile reads it (make-fixture.sh); below
		[ -f "$KFIX/$c/dmesg.makedumpfile.txt" ] || continue
		run vmlog "$d"
		assert_success
		# makedumpfile 1.7.8 prints each record's caller id, as vmlog -C
		if head -n1 "$KFIX/$c/dmesg.makedumpfile.txt" | grep -qE '^\[ *[0-9]+\.[0-9]+\] \[ *[TC][0-9]+\] '; then
			cmp <(vmlog -C "$d") "$KFIX/$c/dmesg.makedumpfile.txt" || fail "$c: vmlog -C differs from makedumpfile 1.7.8"
		else
			cmp <(vmlog "$d") "$KFIX/$c/dmesg.makedumpfile.txt" || fail "$c: vmlog differs from makedumpfile"
		fi
		# and Debian 12's makedumpfile (1.7.2) without caller ids
		if [ -f "$KFIX/$c/dmesg.makedumpfile-1.7.2.txt" ]; then
			cmp <(vmlog "$d") "$KFIX/$c/dmesg.makedumpfile-1.7.2.txt" || fail "$c: vmlog differs from makedumpfile 1.7.2"
		fi
	done
}

# Where no makedumpfile reads the kernel, the guest's own dmesg (taken a
# little before the crash) is the reference: each of its lines is a line
# of vmlog's.
@test "kernels: vmlog holds every line of the guest's dmesg" {
	local c d want missing
	for c in $CASES; do
		need_case d "$c"
		run vmlog "$d"
		assert_success
		want=$(gt "$c" dmesg | grep '^\[ *[0-9]*\.[0-9]*\] ')
		[ "$(grep -c . <<<"$want")" -ge 100 ] || fail "$c: no dmesg in the ground truth"
		# the syslog interface repeats a record's stamp on each of its
		# lines; makedumpfile and vmlog indent the continuation lines
		missing=$(grep -vxF -f <(awk '/^\[/ { s = substr($0, 1, index($0, "]") + 1); print; next }
					      { print s substr($0, length(s) + 1) }' <<<"$output") <<<"$want" || true)
		[ -z "$missing" ] || fail "$c: lines of the guest's dmesg not in vmlog: $(head -5 <<<"$missing")"
	done
}

# 100 symbols of the guest's /proc/kallsyms with unique names, text and
# data, spread over the table; vmsym must give each the same address and
# type letter.
@test "kernels: vmsym on 100 symbols equals the guest's /proc/kallsyms" {
	local c d want names got
	for c in $CASES; do
		need_case d "$c"
		want=$(awk 'NF == 3 && $2 ~ /^[TtDdBbRr]$/ { n[$3]++; l[$3] = $0; o[NR] = $3 }
			END { for (i = 1; i <= NR; i++) if ((i in o) && n[o[i]] == 1) u[++k] = l[o[i]]
			      step = int(k / 100); for (i = 1; i <= 100; i++) print u[i * step] }' "$(ksyms "$c")")
		[ "$(grep -c . <<<"$want")" -eq 100 ] || fail "$c: could not pick 100 symbols"
		grep -q ' [Dd] ' <<<"$want" || fail "$c: no data symbol picked"
		grep -q ' [Tt] ' <<<"$want" || fail "$c: no text symbol picked"
		names=$(awk '{ print $3 }' <<<"$want")
		run vmsym "$d" $names
		assert_success
		got=$(awk '{ t = $2; gsub(/[()]/, "", t); print $1, t, $3 }' <<<"$output")
		[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") | head -20; fail "$c: vmsym differs from /proc/kallsyms"; }
	done
}

@test "kernels: vmsym on 5.10 finds the kallsyms tables by content (VMCOREINFO has none)" {
	local d
	in_cases x86_64-5.10
	need_case d x86_64-5.10
	# the fact: this kernel's VMCOREINFO (stored plain in the kdump header)
	# names no kallsyms table
	run grep -ac 'SYMBOL(kallsyms_' "$d"
	[ "$output" = 0 ]
	run vmsym "$d" _stext
	assert_success
	assert_output "$(zstd -dc "$KFIX/x86_64-5.10/kallsyms.txt.zst" | awk '$3 == "_stext" { print $1, "(" $2 ")", $3 }')"
}

@test "kernels: vmps lists every task of the guest with its PID, PPID and COMM" {
	local c d want got missing
	for c in $CASES; do
		need_case d "$c"
		want=$(gt_tasks "$c" | sort)
		[ "$(grep -c . <<<"$want")" -gt 30 ] || fail "$c: ground truth has too few tasks"
		run vmps "$d"
		assert_success
		got=$(vmps_tasks <<<"$output")
		missing=""
		while read -r pid ppid comm; do
			row=$(awk -v p="$pid" '$1 == p' <<<"$got")
			vppid=$(awk '{ print $2 }' <<<"$row")
			vcomm=$(cut -d' ' -f3- <<<"$row")
			[ -n "$row" ] && [ "$vppid" = "$ppid" ] && comm_ok "$comm" "$vcomm" ||
				missing+="[$pid $ppid $comm -> ${row:-none}] "
		done <<<"$want"
		[ -z "$missing" ] || fail "$c: tasks of the guest missing or different in vmps: $missing"
	done
}

@test "kernels: vmps shows the guest's D-state tasks as UN" {
	local c d pid
	for c in $CASES; do
		need_case d "$c"
		run vmps "$d"
		assert_success
		for pid in $(gt "$c" ps | sed -n 's/^pid=\([0-9]*\) .* state=D .*/\1/p'); do
			awk -v p="$pid" '$1 == p && $5 == "UN" { f = 1 } END { exit !f }' <<<"$output" ||
				fail "$c: PID $pid is D in the guest, not UN in vmps"
		done
	done
}

@test "kernels: vmsys shows TASKS, the panic PID and its CPU" {
	local c d pid cpu n
	for c in $CASES; do
		need_case d "$c"
		pid=$(sed -n 's/^=== GT crasher pid=\([0-9]*\) .*/\1/p' "$KFIX/$c/serial.log")
		# "CPU: 1 UID: 0 PID: 1312 Comm: fx-crash" (7.x) / "CPU: 1 PID: 958 Comm: ..." (5.10)
		cpu=$(grep -a -m1 -E "CPU: [0-9]+ (UID: [0-9]+ )?PID: $pid Comm" "$KFIX/$c/serial.log" | sed 's/.*CPU: \([0-9]*\) .*/\1/')
		[ -n "$pid" ] && [ -n "$cpu" ] || fail "$c: no crasher PID/CPU in serial.log"
		n=$(gt_tasks "$c" | grep -c .)
		run vmsys "$d"
		assert_success
		assert_line --regexp "^ +TASKS: [0-9]+$"
		# the guest's tasks, plus the crasher, plus the idle tasks of the
		# CPUs the guest had (/proc lists none of them)
		tasks=$(sed -n 's/^ *TASKS: //p' <<<"$output")
		[ "$tasks" -ge "$n" ] || fail "$c: TASKS $tasks < $n tasks the guest listed"
		assert_line --regexp "^ +PID: $pid$"
		assert_line --regexp "^ +CPU: $cpu$"
		assert_line --regexp '^ +COMMAND: "fx-crash"$'
	done
}

# The kernel's own trace of the panic (the one after "Kernel panic - not
# syncing"), frames it did not mark "?", must be vmbt's frames in order.
# Its first frames are the printing itself (dump_stack_lvl, show_stack):
# they had returned when the dump was taken, so they are not expected.
@test "kernels: vmbt's panic trace contains the kernel's own Call Trace, no frame from the scan" {
	local c d want got
	for c in $CASES; do
		need_case d "$c"
		want=$(awk '/Kernel panic - not syncing/ { p = 1 } p && /Call trace:|Call Trace:/ { t = 1; next }
			    t && /(---\[ end|Kernel Offset|SMP: stopping|<\/TASK>)/ { exit } t' "$KFIX/$c/serial.log" |
			trace_names | grep -v '^? ' | grep -v -E '^(dump_stack_lvl|dump_stack|show_stack|dump_backtrace)$' | canon "$c")
		[ "$(grep -c . <<<"$want")" -ge 5 ] || fail "$c: no Call Trace in serial.log"
		run vmbt "$d"
		assert_success
		refute_output --partial "(scan)"
		refute_output --partial "unwinding failed"
		got=$(vmbt_names <<<"$output" | canon "$c")
		is_subseq "$want" "$got" || { echo "want:"; echo "$want"; echo "got:"; echo "$got"; fail "$c: kernel trace not in vmbt's"; }
	done
}

# /proc/PID/stack of every task the guest printed the same in both
# snapshots (a task whose stack changed between them was running): a
# contiguous run of vmbt's frames for that task (vmbt -A: every task).
@test "kernels: every task's /proc/PID/stack is a contiguous run of vmbt's frames" {
	local c d pid s1 s2 got n g1 g2 gv
	for c in $CASES; do
		need_case d "$c"
		run vmbt -A "$d"
		assert_success
		refute_output --partial "(scan)"
		# "PID NAME" lines, names made canonical in one pass each
		g1=$(gt "$c" stacks | awk '/^--- pid=/ { split($2, a, "="); p = a[2]; next } { print p, $0 }')
		g2=$(gt "$c" stacks2 | awk '/^--- pid=/ { split($2, a, "="); p = a[2]; next } { print p, $0 }')
		g1=$(pidnames <<<"$g1" | canon2 "$c")
		g2=$(pidnames <<<"$g2" | canon2 "$c")
		gv=$(awk '/^PID: / { p = $2 } { print p, $0 }' <<<"$output" | vmbt_pidnames | canon2 "$c")
		n=0
		for pid in $(gt "$c" stacks | sed -n 's/^--- pid=\([0-9]*\) .*/\1/p'); do
			s1=$(awk -v p="$pid" '$1 == p { print $2 }' <<<"$g1")
			s2=$(awk -v p="$pid" '$1 == p { print $2 }' <<<"$g2")
			[ -n "$s1" ] && [ "$s1" = "$s2" ] || continue
			got=$(awk -v p="$pid" '$1 == p { print $2 }' <<<"$gv")
			is_run "$s1" "$got" || { echo "/proc/$pid/stack:"; echo "$s1"; echo "vmbt:"; echo "$got"; fail "$c: PID $pid"; }
			n=$((n + 1))
		done
		[ "$n" -ge 10 ] || fail "$c: only $n stable stacks to compare"
	done
}

# "PID LINE" -> "PID NAME" for kernel trace lines
pidnames() {
	sed -n 's/^\([0-9]*\) .*\] *\(? \)\{0,1\}\([A-Za-z0-9_.$]*\)+0x[0-9a-f]*\/0x[0-9a-f]*.*$/\1 \2\3/p'
}

# "PID LINE" -> "PID NAME" for vmbt's frame lines (as vmbt_names)
vmbt_pidnames() {
	awk '$2 ~ /^#[0-9]+$/ && $3 ~ /^\[/ { for (i = 3; i <= NF; i++) if ($i == "at") { print $1, $(i - 1); break } next }
	     /\[exception RIP: / { s = $0; sub(/.*\[exception RIP: /, "", s); sub(/[+\]].*/, "", s); print $1, s }'
}

# canon2 CASE: as canon, on the second field of "PID NAME" lines
canon2() {
	awk 'NR == FNR { if (NF != 3) next
			 if (!($1 in first)) first[$1] = $3
			 if (!($3 in cnt)) { cnt[$3] = 1; at[$3] = $1 }
			 else if (at[$3] != $1) cnt[$3]++
			 next }
	     { n = $2; if ((n in cnt) && cnt[n] == 1) n = first[at[n]]; print $1, n }' "$(ksyms "$1")" -
}

# ---- damaged copies: the kallsyms tables, the ORC header ----
# A plain ELF copy of a dump (build/tests/dump2elf), whose bytes at a kernel
# address build/tests/kvaddr2off finds; -o nocache: the cache of the
# genuine dump must neither hide the damage nor take it in.

HELP_O=${O:-build}
case $HELP_O in /*) ;; *) HELP_O=$ROOT/$HELP_O ;; esac

# elfcopy CASE: a fresh writable ELF copy of the case's dump in $copy
elfcopy() {
	local d src
	need_case d "$1"
	[ -x "$HELP_O/tests/dump2elf" ] && [ -x "$HELP_O/tests/kvaddr2off" ] || skip "test helpers not built"
	src=$BATS_FILE_TMPDIR/$1.elf
	[ -s "$src" ] || "$HELP_O/tests/dump2elf" "$d" "$src" || fail "dump2elf $d"
	copy=$BATS_TEST_TMPDIR/vmcore.elf
	cp "$src" "$copy"
}

# poke ADDR HEXBYTE: overwrite one byte of the copy at kernel address ADDR
poke() {
	local off
	off=$("$HELP_O/tests/kvaddr2off" "$copy" "$1" | cut -d' ' -f1) || fail "no file offset for $1"
	printf "\\x$2" | dd of="$copy" bs=1 seek="$off" conv=notrunc status=none
}

vmci_sym() { # NAME: SYMBOL(NAME) of the copy's VMCOREINFO
	grep -a -m1 -o "SYMBOL($1)=[0-9a-f]*" "$copy" | cut -d= -f2
}

@test "kernels: a damaged kallsyms token table is an error, never wrong names" {
	local c tt p lo hi
	for c in x86_64-7.2 x86_64-5.10; do
		case " $CASES " in *" $c "*) ;; *) continue ;; esac
		elfcopy "$c"
		# 7.2: where VMCOREINFO says.  5.10: nothing names it; the digit
		# tokens "0\0".."9\0" lie inside it, in the image's read-only data
		# (between _stext and init_uts_ns, whose places the guest's
		# kallsyms gives): a byte 8 before them is overwritten
		tt=$(vmci_sym kallsyms_token_table)
		if [ -z "$tt" ]; then
			lo=$("$HELP_O/tests/kvaddr2off" "$copy" "$(awk '$3 == "_stext" { print $1 }' "$(ksyms "$c")")" | cut -d' ' -f1)
			hi=$("$HELP_O/tests/kvaddr2off" "$copy" "$(awk '$3 == "init_uts_ns" { print $1 }' "$(ksyms "$c")")" | cut -d' ' -f1)
			p=$(grep -a -b -o -P '0\x001\x002\x003\x004\x005\x006\x007\x008\x009\x00' "$copy" |
				cut -d: -f1 | awk -v lo="$lo" -v hi="$hi" '$1 > lo && $1 < hi' | tail -n1)
			[ -n "$p" ] || fail "$c: no token table in the image"
			printf '~' | dd of="$copy" bs=1 seek=$((p - 8)) conv=notrunc status=none
		else
			poke "$tt" 7e      # '~': no symbol has it, so no token either
		fi
		run -1 vmsym -o nocache "$copy" schedule
		assert_output --partial "kallsyms"
		refute_output --regexp '^[0-9a-f]+ \(.\) '
		run -1 vmps -o nocache "$copy"
		assert_output --partial "kallsyms"
	done
}

@test "kernels: a damaged .orc_header: vmbt says ORC is not used and marks the frames it scanned" {
	local h
	in_cases x86_64-7.2
	elfcopy x86_64-7.2
	h=$(awk '$3 == "__start_orc_header" { print $1 }' "$(ksyms x86_64-7.2)")
	poke "$h" ff
	run -1 vmbt -o nocache "$copy"
	assert_output --partial "ORC tables not used: unknown .orc_header hash ff"
	# every frame below the start is the scan's, and says so
	run bash -c "grep -E '^ *#[0-9]+ \\[' <<<\"\$0\" | grep -vc '(scan)\$'" "$output"
	assert_output 0
}

# ---- types ----

@test "kernels: vmstruct reads init_task from the dump's own BTF" {
	local c d
	for c in $CASES; do
		need_case d "$c"
		run vmstruct "$d" task_struct.pid,comm init_task
		assert_success
		assert_line --regexp '^ +pid = 0,$'
		assert_line --regexp '^ +comm = "swapper/0(\\000)*",$'
	done
}

# ---- with the kernel's DWARF (-k): the -dbg package's vmlinux ----

# need_vmlinux VAR CASE: the case's DWARF vmlinux (tests/kernels/vmlinux.sh
# downloads its Debian -dbg package once); skip when it cannot be had
need_vmlinux() {
	local _v
	_v=$("$ROOT/tests/kernels/vmlinux.sh" "$2" 2>"$BATS_TEST_TMPDIR/vmlinux.err") ||
		skip "needs the $2 -dbg vmlinux, which cannot be had here: $(cat "$BATS_TEST_TMPDIR/vmlinux.err")"
	printf -v "$1" '%s' "$_v"
}

# crash_ref CASE CMD: crash 8.0.2's output of CMD (tests/kernels/crash-refs.sh)
crash_ref() {
	[ -f "$KFIX/$1/crash.txt" ] || fail "no $KFIX/$1/crash.txt (tests/kernels/crash-refs.sh)"
	awk -v c="crash> $2" '$0 == c { on = 1; next } /^crash> / { on = 0 } on' "$KFIX/$1/crash.txt"
}

@test "kernels -k: vmstruct's task_struct from DWARF equals the one from the dump's BTF" {
	local c d v ran=
	for c in x86_64-7.2 x86_64-5.10; do
		case " $CASES " in *" $c "*) ;; *) continue ;; esac
		need_case d "$c"
		need_vmlinux v "$c"
		ran=1
		run vmstruct -k "$v" "$d" task_struct -s
		assert_success
		[ "$output" = "$(vmstruct "$d" task_struct -s)" ] || fail "$c: DWARF and BTF layouts differ"
	done
	[ -n "$ran" ] || skip "no x86_64 case among the cases ($CASES)"
}

@test "kernels -k: vmstruct -k on 5.10 equals crash's struct (task_struct, list_head)" {
	local d v
	in_cases x86_64-5.10
	need_case d x86_64-5.10
	need_vmlinux v x86_64-5.10
	for t in task_struct list_head; do
		run vmstruct -k "$v" "$d" "$t" -s
		assert_success
		diff <(crash_ref x86_64-5.10 "struct $t -o" | sed '/^$/d') <(echo "$output" | sed '/^$/d') ||
			fail "vmstruct $t -s differs from crash"
	done
}

@test "kernels -k: vmps -k on 5.10 equals crash's ps (PID PPID CPU TASK ST COMM)" {
	local d v want got
	in_cases x86_64-5.10
	need_case d x86_64-5.10
	need_vmlinux v x86_64-5.10
	want=$(crash_ref x86_64-5.10 ps | awk 'NR > 1 { a = ($1 == ">"); if (a) $1 = ""; $0 = $0; print a, $1, $2, $3, $4, $5, $NF }')
	[ "$(grep -c . <<<"$want")" -gt 30 ] || fail "no ps in crash.txt"
	run vmps -k "$v" "$d"
	assert_success
	# ours: crash's leading ">" is the ACT column ($9)
	got=$(awk 'NR > 1 { print ($9 == ">"), $1, $2, $3, $4, $5, $NF }' <<<"$output")
	diff <(echo "$want") <(echo "$got") || fail "vmps -k differs from crash's ps"
}

@test "kernels -k: vmbt -k on 5.10 has crash's bt frames, in order" {
	local d v want got
	in_cases x86_64-5.10
	need_case d x86_64-5.10
	need_vmlinux v x86_64-5.10
	want=$(crash_ref x86_64-5.10 bt | sed -n 's/^ *#[0-9]* \[[0-9a-f]*\] \(.*\) at \([0-9a-f]*\).*/\1 \2/p')
	[ "$(grep -c . <<<"$want")" -ge 5 ] || fail "no bt in crash.txt"
	run vmbt -k "$v" "$d"
	assert_success
	got=$(sed -n 's/^ *#[0-9]* \[[0-9a-f]*\] \(.*\) at \([0-9a-f]*\).*/\1 \2/p' <<<"$output")
	is_subseq "$want" "$got" || { diff <(echo "$want") <(echo "$got"); fail "vmbt -k lacks crash's frames"; }
}
