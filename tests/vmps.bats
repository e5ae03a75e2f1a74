#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmps (crash's `ps`) on the fixture dumps, field by field against drgn:
#   - the corpus's drgn-ref.txt (PID PPID CPU TASK ST total_vm rss COMM of
#     every task drgn's for_each_task() lists: all but the idle tasks);
#   - tests/ref/SCN/drgn-tasks.txt (tests/ref/make-refs-vmps.sh): the same
#     plus each CPU's idle task, the RSS with the per-task caches summed as
#     vmps.1 documents, last_arrival, start_time, PF_KTHREAD, runqueue curr.
# crash 8.0.2 lists only 3 tasks on these dumps; its rows are checked too.

load helpers

# scenario dump (relative to $FIX/x86_64-6.1)
SCNS="sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy"

setup() {
	need_prog vmps
}

# rest(s, n): s without its first n blank-separated fields (mawk has no
# regex intervals)
AWKLIB='function rest(s, n) { sub(/^ +/, "", s); while (n-- > 0) sub(/^[^ ]+ +/, "", s); return s }'

# vmps's (or crash's) table as "PID PPID CPU TASK ST MEM VSZ RSS ACTIVE
# KTHREAD COMM" (ACTIVE 1 for a '>' task, KTHREAD 1 for a [bracketed] COMM)
norm() {
	awk "$AWKLIB"'
	NR == 1 && $1 == "PID" { next }
	{
		# crash marks a running task with a leading ">", vmps in its
		# ACT column (">" or "-") before COMM
		act = 0; skip = 8
		if ($1 == ">") { act = 1; sub(/^> /, "  ") }
		else if ($9 == ">" || $9 == "-") { act = ($9 == ">"); skip = 9 }
		n = split($0, f, " ")
		comm = rest($0, skip)
		kt = 0
		if (comm ~ /^\[.*\]$/) { kt = 1; comm = substr(comm, 2, length(comm) - 2) }
		print f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], act, kt, comm
	}'
}

# crash's code for drgn's task_state_to_char() letter
letter2code='BEGIN { c["R"] = "RU"; c["S"] = "IN"; c["D"] = "UN"; c["T"] = "ST"; c["t"] = "TR";
	c["X"] = "DE"; c["Z"] = "ZO"; c["P"] = "PA"; c["I"] = "ID" }'

# check_drgn_ref DUMP SCN: every non-idle task of vmps equals drgn-ref.txt
check_drgn_ref() {
	local ref=$FIX/x86_64-6.1/$2/drgn-ref.txt
	"$VMBIN/vmps" "$1" | norm > "$BATS_TEST_TMPDIR/ps" || return 1
	awk "$AWKLIB $letter2code"'
	FNR == NR {
		if ($0 ~ /^# stack/) stop = 1
		if (stop || $0 !~ /^[0-9]/) next
		comm = rest($0, 7)
		want[$4] = $1 " " $2 " " $3 " " c[$5] " " $6 * 4 " " comm
		rss[$4] = $7; n++; next
	}
	$1 == 0 { next }
	{
		got = $1 " " $2 " " $3 " " $5 " " $7 " " $11
		if (!($4 in want)) { print "extra task: " $0; bad++; next }
		if (got != want[$4]) { print "task " $4 ": vmps \"" got "\" drgn \"" want[$4] "\""; bad++ }
		seen[$4] = 1; m++
	}
	END {
		for (t in want) if (!(t in seen)) { print "missing task " t ": " want[t]; bad++ }
		if (n < 50) { print "only " n " tasks in drgn-ref.txt?"; bad++ }
		printf "%d tasks compared\n", m
		exit bad > 0
	}' "$ref" "$BATS_TEST_TMPDIR/ps"
}

@test "every x86_64 kdump: vmps has drgn's task set with the same PID PPID CPU TASK ST VSZ COMM" {
	for s in $SCNS; do
		skip_if_missing "x86_64-6.1/$s" "x86_64-6.1/${s%%/*}/drgn-ref.txt"
		run check_drgn_ref "$FIX/x86_64-6.1/$s" "${s%%/*}"
		echo "$s: $output"
		assert_success
	done
}

@test "the QEMU ELF of oops-module: the same tasks as drgn-ref.txt" {
	local elf
	need_fixture elf x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	run check_drgn_ref "$elf" oops-module
	echo "$output"
	assert_success
}

@test "derived formats (lzo, raw, flattened): the same tasks as drgn-ref.txt" {
	local d k
	for k in lzo raw flat; do
		need_fixture d "derive:$k"
		run check_drgn_ref "$d" oops-module
		echo "$k: $output"
		assert_success
	done
}

# check_tasks_ref DUMP SCN: idle tasks, markers, brackets, RSS against
# tests/ref/SCN/drgn-tasks.txt
check_tasks_ref() {
	local ref=$ROOT/tests/ref/$2/drgn-tasks.txt
	"$VMBIN/vmps" "$1" | norm > "$BATS_TEST_TMPDIR/ps" || return 1
	awk "$letter2code"'
	FNR == NR {
		if ($0 ~ /^#/) next
		# PID PPID CPU TASK ST TOTAL_VM RSS RSS_MM LAST START KTHREAD ACTIVE COMM
		want[$4] = $1 " " ($1 == 0 ? 0 : $2) " " $3 " " c[$5] " " $6 * 4 " " $7 * 4 " " ($12 >= 0) " " $11
		if ($1 == 0) idle++
		n++; next
	}
	{
		got = $1 " " $2 " " $3 " " $5 " " $7 " " $8 " " $9 " " $10
		if (!($4 in want)) { print "extra task: " $0; bad++; next }
		if (got != want[$4]) { print "task " $4 ": vmps \"" got "\" ref \"" want[$4] "\""; bad++ }
		if ($1 == 0) vidle++
		seen[$4] = 1; m++
	}
	END {
		for (t in want) if (!(t in seen)) { print "missing task " t; bad++ }
		if (idle < 2 || vidle != idle) { print "idle tasks: vmps " vidle ", ref " idle; bad++ }
		printf "%d tasks compared (%d idle)\n", m, vidle
		exit bad > 0
	}' "$ref" "$BATS_TEST_TMPDIR/ps"
}

@test "idle task per CPU, '>' = runqueue curr, [kthread], RSS = mm counters + task caches (drgn-tasks.txt)" {
	for s in $SCNS; do
		skip_if_missing "x86_64-6.1/$s"
		run check_tasks_ref "$FIX/x86_64-6.1/$s" "${s%%/*}"
		echo "$s: $output"
		assert_success
	done
}

@test "RSS equals drgn-ref.txt's mm counters for every task whose caches are empty" {
	local s scn n
	for s in $SCNS; do
		scn=${s%%/*}
		skip_if_missing "x86_64-6.1/$s"
		"$VMBIN/vmps" "$FIX/x86_64-6.1/$s" | norm > "$BATS_TEST_TMPDIR/ps"
		# drgn-tasks.txt: RSS(mm+caches) == RSS_MM means no cached pages
		run awk 'FILENAME ~ /drgn-tasks/ { if ($0 !~ /^#/ && $7 == $8) nocache[$4] = 1; next }
			FILENAME ~ /drgn-ref/ { if ($0 ~ /^# stack/) stop = 1
				if (!stop && $0 ~ /^[0-9]/ && ($4 in nocache)) rss[$4] = $7 * 4; next }
			($4 in rss) { m++; if ($8 != rss[$4]) { print $4 ": " $8 " != " rss[$4]; bad++ } }
			END { print m " tasks"; exit bad > 0 || m < 40 }' \
			"$ROOT/tests/ref/$scn/drgn-tasks.txt" "$FIX/x86_64-6.1/$scn/drgn-ref.txt" "$BATS_TEST_TMPDIR/ps"
		echo "$s: $output"
		assert_success
	done
}

@test "crash's 3 rows (PID PPID CPU TASK ST VSZ COMM, '>') are among vmps's" {
	local s scn
	for s in $SCNS; do
		scn=${s%%/*}
		skip_if_missing "x86_64-6.1/$s"
		crash_block "x86_64-6.1/$scn" ps | norm | awk '{print $1, $2, $3, $4, $5, $7, $9, $10, $11}' > "$BATS_TEST_TMPDIR/crash"
		[ "$(wc -l < "$BATS_TEST_TMPDIR/crash")" -eq 3 ]
		"$VMBIN/vmps" "$FIX/x86_64-6.1/$s" | norm | awk '{print $1, $2, $3, $4, $5, $7, $9, $10, $11}' > "$BATS_TEST_TMPDIR/ours"
		run grep -vxFf "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/crash"
		echo "$s: rows of crash not in vmps: $output"
		assert_failure 1
	done
}

@test "header and row layout as crash prints them" {
	local s=sysrq-c
	skip_if_missing "x86_64-6.1/$s/vmcore.kdump-zstd"
	run "$VMBIN/vmps" "$FIX/x86_64-6.1/$s/vmcore.kdump-zstd"
	assert_success
	# crash's header line, byte for byte, but for the ACT column before COMM
	# (crash's leading '>' of a running task: a column of its own)
	assert_line --index 0 "$(crash_block "x86_64-6.1/$s" ps | head -1 | sed 's/  COMM$/  ACT  COMM/')"
	# swapper/0's row is identical to crash's (no memory counters involved)
	assert_line "$(crash_block "x86_64-6.1/$s" ps | grep -F '[swapper/0]' |
		awk '{ m = "-"; if (sub(/^> /, "  ")) m = ">"; sub(/  \[swapper/, "   " m "   [swapper"); print }')"
}

@test "the same output with -k vmlinux (DWARF + .symtab) as without (BTF + kallsyms)" {
	local v s
	need_fixture v x86_64-6.1/vmlinux.xz
	for s in $SCNS; do
		skip_if_missing "x86_64-6.1/$s"
		"$VMBIN/vmps" "$FIX/x86_64-6.1/$s" > "$BATS_TEST_TMPDIR/btf"
		"$VMBIN/vmps" -k "$v" "$FIX/x86_64-6.1/$s" > "$BATS_TEST_TMPDIR/dwarf"
		run diff "$BATS_TEST_TMPDIR/btf" "$BATS_TEST_TMPDIR/dwarf"
		echo "$s: $output"
		assert_success
		for o in --last-run --times -g --json; do
			"$VMBIN/vmps" $o "$FIX/x86_64-6.1/$s" > "$BATS_TEST_TMPDIR/btf"
			"$VMBIN/vmps" $o -k "$v" "$FIX/x86_64-6.1/$s" > "$BATS_TEST_TMPDIR/dwarf"
			run diff "$BATS_TEST_TMPDIR/btf" "$BATS_TEST_TMPDIR/dwarf"
			echo "$s $o: $output"
			assert_success
		done
	done
}

@test "--last-run: last-run stamps are sched_info.last_arrival, most recent first" {
	local s=oops-module
	skip_if_missing "x86_64-6.1/$s/vmcore.kdump-zlib"
	run "$VMBIN/vmps" --last-run "$FIX/x86_64-6.1/$s/vmcore.kdump-zlib"
	assert_success
	assert_line --regexp '^\[ *[0-9]+\] \[(RU|IN|ID|UN)\]  PID: 1        TASK: [0-9a-f]{16}  CPU: [0-9]    COMMAND: "init"$'
	# stamp, TASK -> compare with drgn's last_arrival
	run awk 'FNR == NR { if ($0 !~ /^#/) want[$4] = $9; next }
		{ gsub(/[][]/, " "); t = $6; if (want[t] != $1) { print t ": " $1 " != " want[t]; bad++ }
		  if (FNR > 1 && $1 > prev) { print "not sorted at " t; bad++ } prev = $1; m++ }
		END { print m " tasks"; exit bad > 0 || m < 50 }' \
		"$ROOT/tests/ref/$s/drgn-tasks.txt" <("$VMBIN/vmps" --last-run "$FIX/x86_64-6.1/$s/vmcore.kdump-zlib")
	echo "$output"
	assert_success
}

@test "--times: START TIME is task_struct.start_time, oldest first" {
	local s=bug-module
	skip_if_missing "x86_64-6.1/$s/vmcore.kdump-snappy"
	run awk 'FNR == NR { if ($0 !~ /^#/) want[$4] = $10; next }
		/^PID:/ { t = $4 }
		/START TIME:/ { m++; if (want[t] != $3) { print t ": " $3 " != " want[t]; bad++ }
			if ($3 < prev) { print "not sorted at " t; bad++ } prev = $3 }
		END { print m " tasks"; exit bad > 0 || m < 50 }' \
		"$ROOT/tests/ref/$s/drgn-tasks.txt" <("$VMBIN/vmps" --times "$FIX/x86_64-6.1/$s/vmcore.kdump-snappy")
	echo "$output"
	assert_success
	run "$VMBIN/vmps" --times "$FIX/x86_64-6.1/$s/vmcore.kdump-snappy" 1
	assert_line --regexp '^    RUN TIME: 00:00:0[0-9]$'
}

# ancestors of PID p from drgn-ref.txt, root first, as "PID"
drgn_chain() { # SCN PID
	awk -v p="$2" '/^# stack/ { exit } /^[0-9]/ { pp[$1] = $2 }
		END { n = 0; while (p != 0 && n < 64) { c[n++] = p; p = pp[p] } c[n++] = 0
		      for (i = n - 1; i >= 0; i--) print c[i] }' "$FIX/x86_64-6.1/$1/drgn-ref.txt"
}

@test "--parents: the chain of parents from the top, indented one more per generation" {
	local s=sysrq-c pid
	skip_if_missing "x86_64-6.1/$s/vmcore.kdump-zstd"
	pid=$(awk '/^# stack/ { exit } /^[0-9]/ && $2 > 2 { p = $1 } END { print p }' "$FIX/x86_64-6.1/$s/drgn-ref.txt")
	run "$VMBIN/vmps" --parents "$pid" "$FIX/x86_64-6.1/$s/vmcore.kdump-zstd"
	assert_success
	[ "$(awk 'NF { sub(/ .*/, "", $2); print $2 }' <<<"$output" | tr '\n' ' ')" = "$(drgn_chain $s "$pid" | tr '\n' ' ')" ]
	assert_line --index 0 --regexp '^PID: 0        TASK: [0-9a-f]{16}  CPU: 0    COMMAND: "swapper/0"$'
	assert_line --index 1 --regexp '^ PID: 1 '
	assert_line --index 2 --regexp '^  PID: '
}

@test "--children: the children of a task are drgn's tasks with that PPID" {
	local s=oops-module p want got
	skip_if_missing "x86_64-6.1/$s/vmcore.kdump-zlib"
	for p in 1 2; do
		want=$(awk -v p=$p '/^# stack/ { exit } /^[0-9]/ && $2 == p { print $1 }' "$FIX/x86_64-6.1/$s/drgn-ref.txt" | sort -n | tr '\n' ' ')
		got=$("$VMBIN/vmps" --children $p "$FIX/x86_64-6.1/$s/vmcore.kdump-zlib" | awk '/^  PID:/ { print $2 }' | sort -n | tr '\n' ' ')
		[ "$got" = "$want" ] || { echo "PID $p: children '$got' != drgn '$want'"; false; }
	done
	run "$VMBIN/vmps" --children 99999 "$FIX/x86_64-6.1/$s/vmcore.kdump-zlib"
	assert_failure 1
}

@test "-K, -u, -G, -a, -S split the tasks as drgn-tasks.txt does" {
	local s=sysrq-c d ref
	d=$FIX/x86_64-6.1/$s/vmcore.kdump-zstd
	ref=$ROOT/tests/ref/$s/drgn-tasks.txt
	skip_if_missing "$d"
	[ "$("$VMBIN/vmps" -H -K "$d" | wc -l)" -eq "$(awk '!/^#/ && $11 == 1' "$ref" | wc -l)" ]
	[ "$("$VMBIN/vmps" -H -u "$d" | wc -l)" -eq "$(awk '!/^#/ && $11 == 0' "$ref" | wc -l)" ]
	[ "$("$VMBIN/vmps" -H -a "$d" | wc -l)" -eq "$(awk '!/^#/ && $12 >= 0' "$ref" | wc -l)" ]
	# single-threaded processes and kthreads: every task leads its group
	[ "$("$VMBIN/vmps" -H -G "$d" | wc -l)" -eq "$(awk '!/^#/' "$ref" | wc -l)" ]
	run "$VMBIN/vmps" -S "$d"
	assert_success
	[ "$(awk '{ n += $2 } END { print n }' <<<"$output")" -eq "$(awk '!/^#/' "$ref" | wc -l)" ]
	run "$VMBIN/vmps" -K -u "$d"
	assert_failure 2
}

@test "-g: each group leader with its threads" {
	local d=$FIX/x86_64-6.1/bug-module/vmcore.kdump-snappy
	skip_if_missing "$d"
	run "$VMBIN/vmps" -g "$d" 1 0
	assert_success
	assert_line --index 0 --regexp '^PID: 0 .*COMMAND: "swapper/0"$'
	assert_line --index 1 --regexp '^  PID: 0 .*COMMAND: "swapper/1"$'
	assert_line --regexp '^PID: 1 .*COMMAND: "init"$'
	assert_line '  (no threads)'
}

@test "arguments select by PID, task address and command; unknown ones exit 1" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib t
	skip_if_missing "$d"
	t=$(awk '$1 == 2 { print $4; exit }' "$FIX/x86_64-6.1/oops-module/drgn-ref.txt")
	run "$VMBIN/vmps" -H "$d" 1 "$t" kthreadd
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	assert_line --partial "  $t  "
	run "$VMBIN/vmps" -H "$d" 0
	[ "${#lines[@]}" -eq 2 ]
	run --separate-stderr "$VMBIN/vmps" "$d" 424242 no-such-command
	assert_failure 1
	[[ $stderr == *"424242: no such task"* ]]
	[[ $stderr == *"no-such-command: no such task"* ]]
}

@test "--json: one object per task, fields equal the table" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	need_cmd jq
	"$VMBIN/vmps" --json "$d" | jq -r '[.pid, .ppid, .cpu,
		(.task | ltrimstr("0x")), .state, .vsz_kib, .rss_kib, (if .active then ">" else "-" end),
		(if .kernel_thread then "[" + .comm + "]" else .comm end)] | join(" ")' > "$BATS_TEST_TMPDIR/j"
	# every row has the same fields: %MEM ($6) dropped, the rest as printed
	"$VMBIN/vmps" -H "$d" | awk '{ $6 = ""; print }' | tr -s ' ' | sed 's/^ //' > "$BATS_TEST_TMPDIR/t"
	run diff "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/j"
	echo "$output"
	assert_success
	[ "$("$VMBIN/vmps" --json "$d" | wc -l)" -eq "$(awk '!/^#/' "$ROOT/tests/ref/oops-module/drgn-tasks.txt" | wc -l)" ]
}

# ---- damaged task lists: a copy of the uncompressed (raw kdump) dump with
# pointers overwritten at file offsets build/tests/kvaddr2off finds ----

K2O=${O:-build}
case $K2O in /*) ;; *) K2O=$ROOT/$K2O ;; esac
K2O=${KVADDR2OFF:-$K2O/tests/kvaddr2off}

# poke FILE OFFSET HEX64: store a little-endian 64-bit value
poke() {
	local le
	le=$(printf '%16s' "$3" | tr ' ' 0 | sed 's/../& /g' | awk '{ for (i = NF; i > 0; i--) printf "\\x%s", $i }')
	printf "$le" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

damaged_copy() { # -> $BAD, $REF, $TOFF (offset of task_struct.tasks)
	local raw t41 off val
	[ -x "$K2O" ] || skip "$K2O not built"
	need_fixture raw derive:raw
	REF=$FIX/x86_64-6.1/oops-module/drgn-ref.txt
	BAD=$BATS_TEST_TMPDIR/bad.raw
	cp "$raw" "$BAD"
	t41=$(awk '$1 == 41 { print $4; exit }' "$REF")
	read -r off val < <("$K2O" "$BAD" "$(awk '$1 == 40 { print $4; exit }' "$REF")" task_struct tasks)
	# PID 40's tasks.next is PID 41's tasks node
	TOFF=$(( 0x$val - 0x$t41 ))
	[ "$TOFF" -gt 0 ] && [ "$TOFF" -lt 16384 ]
}

node_of() { # PID -> hex address of its tasks node
	printf '%x' $(( 0x$(awk -v p="$1" '$1 == p { print $4; exit }' "$REF") + TOFF ))
}

file_off() { # PID [MEMBER] -> file offset of that task's tasks.next (or MEMBER)
	"$K2O" "$BAD" "$(awk -v p="$1" '$1 == p { print $4; exit }' "$REF")" task_struct "${2:-tasks}" | cut -d' ' -f1
}

@test "damaged task list: a next pointer turned back ends with a warning, the rest recovered backwards" {
	damaged_copy
	poke "$BAD" "$(file_off 40)" "$(node_of 30)"
	run --separate-stderr timeout 20 "$VMBIN/vmps" -H "$BAD"
	assert_failure 1
	[[ $stderr == *"WARNING: task list damaged"* ]]
	[[ $stderr == *"not linked back"* ]]
	[[ $stderr == *"$(node_of 30)"* ]]
	# every task of drgn-ref.txt plus the idle tasks: the tail came back
	# through the prev pointers
	[ "${#lines[@]}" -eq $(( $(awk '/^# stack/ { exit } /^[0-9]/' "$REF" | wc -l) + 2 )) ]
}

@test "damaged task list: a loop whose closing link checks out is caught where it is entered" {
	damaged_copy
	# 40 -> 30 forward and 30's prev -> 40, so the loop's own links agree;
	# 29 -> 30 no longer does (a loop always has a node with two
	# predecessors).  Without prev checks Brent's cycle detection would
	# stop it: tests/unit/test_list.c.
	poke "$BAD" "$(file_off 40)" "$(node_of 30)"
	poke "$BAD" "$(file_off 30 tasks.prev)" "$(node_of 40)"
	run --separate-stderr timeout 20 "$VMBIN/vmps" -H "$BAD"
	assert_failure 1
	[[ $stderr == *"WARNING: task list damaged"* ]]
	[[ $stderr == *"not linked back"* || $stderr == *"loop"* ]]
	[ "${#lines[@]}" -gt 40 ]
}

@test "damaged task list: a pointer into unmapped memory ends with a warning naming it" {
	damaged_copy
	poke "$BAD" "$(file_off 40)" "ffffdead00000000"
	run --separate-stderr timeout 20 "$VMBIN/vmps" -H "$BAD"
	assert_failure 1
	[[ $stderr == *"WARNING: task list damaged"* ]]
	[[ $stderr == *"ffffdead00000000"* ]]
	[ "${#lines[@]}" -gt 40 ]
}

@test "damaged dump: truncated file, clean error" {
	local d=$FIX/x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	skip_if_missing "$d"
	head -c 300000 "$d" > "$BATS_TEST_TMPDIR/trunc"
	run --separate-stderr timeout 20 "$VMBIN/vmps" "$BATS_TEST_TMPDIR/trunc"
	assert_failure 1
	[[ $stderr == vmps:* ]]
}

@test "arm64 dump, no vmlinux: the tasks serial.log listed before the crash" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib gt=$FIX/arm64-6.1-debian/serial.log
	skip_if_missing "$d" "$gt"
	# Debian's kallsyms has text symbols only: init_task is found by its
	# comm, the per-CPU areas through the runqueues, types from the BTF
	run --separate-stderr "$VMBIN/vmps" -H "$d"
	assert_success
	[ -z "$stderr" ]
	# pid=N ppid=N state=S comm=[...] VmSize=[N kB] VmRSS=[N kB]: every
	# task there is here with its PPID, its comm (the kernel's 15 bytes;
	# /proc adds a kworker's workqueue), VSZ = VmSize, and RSS >= VmRSS
	# (/proc leaves out the per-task counter caches, as vmps(1) says).
	# States moved on since and are not compared.
	run awk '
		function field(k,   v) {
			if (!match($0, " " k "=\\[[^]]*\\]")) return "-"
			v = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 4)
			sub(/ kB$/, "", v); return v }
		FNR == NR { if (match($0, /^pid=[0-9]+ ppid=[0-9]+ /)) {
				split($0, a, /[= ]/); n++
				want[a[2]] = a[4]; comm[a[2]] = field("comm")
				vsz[a[2]] = field("VmSize"); rss[a[2]] = field("VmRSS") }
			next }
		{ sub(/^> /, "  ") }
		($1 in want) { m++
			c = $10; gsub(/^\[|\]$/, "", c)
			if ($2 != want[$1]) { print $1 ": PPID " $2 " != " want[$1]; bad++ }
			if (index(comm[$1], c) != 1) { print $1 ": COMM " c " vs " comm[$1]; bad++ }
			if (vsz[$1] != "-" && $7 + 0 != vsz[$1] + 0) { print $1 ": VSZ " $7 " != " vsz[$1]; bad++ }
			if (rss[$1] != "-" && $8 + 0 < rss[$1] + 0) { print $1 ": RSS " $8 " < " rss[$1]; bad++ } }
		END { print m " of " n " tasks compared"; exit bad > 0 || m != n }' "$gt" <(printf '%s\n' "${lines[@]}")
	echo "$output"
	assert_success
	# the crasher (GT line "crasher pid=758 ppid=1") is CPU 1's active
	# task, as the panic's own "CPU: 1 PID: 758" line says; one idle task
	# per CPU
	read -r crasher < <(sed -n 's/^=== GT crasher pid=\([0-9]*\) .*/\1/p' "$gt")
	read -r cpu < <(sed -n "s/.*\] CPU: \([0-9]*\) PID: $crasher Comm:.*/\1/p" "$gt")
	run "$VMBIN/vmps" "$d"
	assert_line --regexp "^ +$crasher +1 +$cpu +[0-9a-f]{16} +RU .* > +heldout-crash$"
	assert_line --regexp "^ +0 +0 +0 +[0-9a-f]{16} +RU .* [>-] +\[swapper/0\]$"
	assert_line --regexp "^ +0 +0 +1 +[0-9a-f]{16} +RU .* [>-] +\[swapper/1\]$"
	[ "$(awk '$9 == ">"' <<< "$output" | wc -l)" -eq 2 ]
}

# -o textonly hides every data symbol, as a kernel without
# CONFIG_KALLSYMS_ALL (the arm64 fixture's case) lists them; on an x86
# dump whose answers are known the paths that work around it (init_task by
# its comm, per-CPU areas from the runqueues, the panic CPU from the log)
# must give the same tasks, and the same panic task as crash's sys.
@test "-o textonly (no data symbols) on x86: the same tasks, the same panic task" {
	local scn hdr sys
	for scn in oops-module bug-module; do
		need_fixture d "x86_64-6.1/$scn/$(ls "$FIX/x86_64-6.1/$scn" | grep -m1 '^vmcore\.kdump')"
		run --separate-stderr "$VMBIN/vmps" -v -o textonly -o nocache "$d"
		assert_success
		[[ $stderr == *"init_task at 0x"*", found in memory"* ]]
		[[ $stderr == *"per-CPU: the areas of 2 of 2 CPUs, from their runqueues"* ]]
		[[ $stderr == *"%MEM against the dump's RAM pages"* ]]
		# every column but %MEM (the denominator is the dump's RAM there)
		diff <("$VMBIN/vmps" "$d" | awk '{ if ($1 == ">") $7 = ""; else $6 = ""; print }') \
			<(printf '%s\n' "${lines[@]}" | awk '{ if ($1 == ">") $7 = ""; else $6 = ""; print }')
		# crash's bt header: PID: 1  TASK: ff22...  CPU: 0  COMMAND: "init"
		hdr=$(crash_block "x86_64-6.1/$scn" bt | head -1)
		sys=$("$VMBIN/vmsys" -o textonly "$d")
		grep -qx " *PID: $(echo "$hdr" | awk '{print $2}')" <<< "$sys"
		grep -qx " *TASK: $(echo "$hdr" | awk '{print $4}')" <<< "$sys"
		grep -qx " *CPU: $(echo "$hdr" | awk '{print $6}')" <<< "$sys"
		grep -qx " *COMMAND: $(echo "$hdr" | sed 's/.*COMMAND: //')" <<< "$sys"
		grep -qx " *TASKS: $("$VMBIN/vmps" "$d" | tail -n +2 | wc -l)" <<< "$sys"
	done
}

@test "awk-safe rows: the same fields on every row; \$5 == \"UN\" gives the guest's D tasks, \$8 sums RSS" {
	local d=$ROOT/tests/fixtures/x86_64-7.2/vmcore.kdump-zstd gt
	skip_if_missing "$d"
	need_cmd jq
	# the guest's own ps, printed before the crash: its D-state tasks
	gt=$(sed -n 's/^pid=\([0-9]*\) .* state=D .*/\1/p' "$ROOT/tests/fixtures/x86_64-7.2/serial.log" | sort -n)
	[ -n "$gt" ] || fail "no D task in the guest's listing"
	run -0 vmps "$d"
	# 10 fields on every row (COMM of these tasks has no blank), ACT > or -
	awk 'NR > 1 && (NF != 10 || ($9 != ">" && $9 != "-")) { print "row " NR ": " $0; bad = 1 } END { exit bad }' <<<"$output"
	assert_equal "$(awk '$5 == "UN" { print $1 }' <<<"$output" | sort -n)" "$gt"
	# the running tasks: one per CPU, the panic task among them
	[ "$(awk '$9 == ">"' <<<"$output" | wc -l)" -eq 2 ]
	awk -v p="$(vmsys -1 "$d" | cut -f10)" '$9 == ">" && $1 == p { f = 1 } END { exit !f }' <<<"$output"
	# RSS is $8 on every row, running ones too (the issue's sum was off by them)
	assert_equal "$(vmps -u -H "$d" | awk '{ s += $8 } END { print s }')" \
		"$(vmps -u --json "$d" | jq -s 'map(.rss_kib) | add')"
}
