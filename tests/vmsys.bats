#!/usr/bin/env bats
# vmsys against the `sys` block crash 8.0.2 printed on the same dumps, and
# against what the guests printed before they died (serial.log).

load helpers

setup() {
	need_prog vmsys
	export TZ=UTC
}

# Field FIELD of our text output for DUMP (extra args before DUMP)
ours() { # FIELD ARGS...
	local k=$1
	shift
	"$VMBIN/vmsys" "$@" | awk -v k="$k" '
		{ line = $0; sub(/^ +/, "", line) }
		index(line, k ": ") == 1 { print substr(line, length(k) + 3); exit }'
}

# crash 8.0.2 counts 3 tasks on these dumps (README: its PID hash walk
# fails).  TASKS counts like crash does on a healthy dump: every thread on
# the task lists (drgn's for_each_task, listed in drgn-ref.txt) plus one idle
# task per CPU.  The panic task is the one crash's `bt` shows first.
check_tasks() { # SCN DUMP ARGS...
	local scn=$1 dump=$2 drgn ncpu hdr
	shift 2
	[[ $scn == /* ]] && drgn=$scn/drgn-ref.txt || drgn=$FIX/$scn/drgn-ref.txt
	ncpu=$(ours CPUS "$@" "$dump" | awk '{print $1}')
	want=$(( $(awk '/^# stack/{exit} /^[0-9]/{n++} END{print n}' "$drgn") + ncpu ))
	[ "$(ours TASKS "$@" "$dump")" = "$want" ] || { echo "TASKS $(ours TASKS "$@" "$dump") want $want"; return 1; }
	# crash bt header: PID: 1        TASK: ff22...  CPU: 0    COMMAND: "init"
	hdr=$(crash_block "$scn" bt | head -1)
	[ "$(ours PID "$@" "$dump")" = "$(echo "$hdr" | awk '{print $2}')" ]
	[ "$(ours TASK "$@" "$dump")" = "$(echo "$hdr" | awk '{print $4}')" ]
	[ "$(ours CPU "$@" "$dump")" = "$(echo "$hdr" | awk '{print $6}')" ]
	[ "$(ours COMMAND "$@" "$dump")" = "$(echo "$hdr" | sed 's/.*COMMAND: //')" ]
	[ "$(ours STATE "$@" "$dump")" = "TASK_RUNNING (PANIC)" ]
}

check_scenario() { # SCN DUMP ARGS...
	local scn=$1 dump=$2 f want got
	shift 2
	skip_if_missing "$scn/crash.txt"
	for f in RELEASE VERSION NODENAME MACHINE MEMORY CPUS DATE UPTIME "LOAD AVERAGE" PANIC; do
		want=$(crash_sys "$scn" "$f")
		got=$(ours "$f" "$@" "$dump")
		[ "$got" = "$want" ] || { echo "$scn $f: ours '$got' crash '$want'"; return 1; }
	done
	check_tasks "$scn" "$dump" "$@"
	# crash: "vmcore.kdump-zlib  [PARTIAL DUMP]" for a makedumpfile -d 31 dump
	ours DUMPFILE "$@" "$dump" | grep -q '  \[PARTIAL DUMP\]$'
	crash_sys "$scn" KERNEL | grep -q TAINTED
	ours KERNEL "$@" "$dump" | grep -q 'TAINTED'
}

@test "sysrq-c (zstd kdump): fields equal crash's sys" {
	need_fixture d x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	check_scenario x86_64-6.1/sysrq-c "$d"
}

@test "oops-module (zlib kdump): fields equal crash's sys" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	check_scenario x86_64-6.1/oops-module "$d"
}

@test "bug-module (snappy kdump, no KASLR): fields equal crash's sys" {
	need_fixture d x86_64-6.1/bug-module/vmcore.kdump-snappy
	check_scenario x86_64-6.1/bug-module "$d"
}

@test "oops-module with -k vmlinux: same fields" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	need_fixture k x86_64-6.1/vmlinux.xz
	check_scenario x86_64-6.1/oops-module "$d" -k "$k"
	run "$VMBIN/vmsys" -k "$k" "$d"
	assert_line --partial "KERNEL: $k"
}

@test "bundled sample dump: fields equal its crash.txt" {
	check_scenario "$ROOT/tests/data" "$SAMPLE"
}

@test "QEMU ELF of the oops: same kernel facts as crash saw in the kdump" {
	need_fixture d x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	local f
	for f in RELEASE VERSION MACHINE MEMORY CPUS DATE PANIC; do
		[ "$(ours "$f" "$d")" = "$(crash_sys x86_64-6.1/oops-module "$f")" ] ||
			{ echo "$f: $(ours "$f" "$d")"; return 1; }
	done
	run "$VMBIN/vmsys" "$d"
	assert_line "      FORMAT: ELF64 vmcore"
	refute_line --partial "PARTIAL DUMP"
}

@test "formats and compression are named" {
	need_fixture z x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	need_fixture s x86_64-6.1/bug-module/vmcore.kdump-snappy
	need_fixture l derive:lzo
	need_fixture r derive:raw
	need_fixture f derive:flat
	[ "$(ours FORMAT "$z")" = "kdump-compressed (zstd)" ]
	[ "$(ours FORMAT "$s")" = "kdump-compressed (snappy)" ]
	[ "$(ours FORMAT "$l")" = "kdump-compressed (lzo)" ]
	[ "$(ours FORMAT "$r")" = "kdump-compressed (uncompressed)" ]
	[ "$(ours FORMAT "$f")" = "kdump-compressed in flattened (zlib)" ]
	[ "$(ours FORMAT "$SAMPLE")" = "kdump-compressed (zlib)" ]
}

@test "arm64 Debian stock kernel: release and machine from the dump alone" {
	skip_if_missing arm64-6.1-debian/serial.log
	need_fixture d arm64-6.1-debian/vmcore.qemu-kdump-zlib
	# uname -a the guest printed: "Linux NODE RELEASE VERSION... MACHINE GNU/Linux"
	local uname
	uname=$(sed -n '/^=== GT uname ===/{n;p;q}' "$FIX/arm64-6.1-debian/serial.log")
	[ "$(ours RELEASE "$d")" = "$(echo "$uname" | awk '{print $3}')" ]
	[ "$(ours MACHINE "$d" | awk '{print $1}')" = aarch64 ]
	[ "$(ours PAGESIZE "$d")" = 4096 ]
	[ "$(ours CPUS "$d" | awk '{print $1}')" = 2 ]
}

@test "arm64 Debian stock kernel: the panic task and TASKS without data symbols" {
	local gt=$FIX/arm64-6.1-debian/serial.log line
	skip_if_missing arm64-6.1-debian/serial.log
	need_fixture d arm64-6.1-debian/vmcore.qemu-kdump-zlib
	# the guest's own console: "CPU: 1 PID: 758 Comm: heldout-crash ..."
	# right after "Kernel panic - not syncing"
	line=$(grep -A3 'Kernel panic - not syncing' "$gt" | grep -m1 -o 'CPU: [0-9]* PID: [0-9]* Comm: [^ ]*')
	[ -n "$line" ]
	[ "$(ours PID "$d")" = "$(echo "$line" | awk '{print $4}')" ]
	[ "$(ours CPU "$d")" = "$(echo "$line" | awk '{print $2}')" ]
	[ "$(ours COMMAND "$d")" = "\"$(echo "$line" | awk '{print $6}')\"" ]
	[ "$(ours STATE "$d")" = "TASK_RUNNING (PANIC)" ]
	# TASKS from the guest's own listing (make/debian-stock.sh prints it
	# before the crash): every task of /proc ("pid=" lines), the crasher
	# started after it ("=== GT crasher pid=N"), for each task then waiting
	# in do_wait the child it waited for (heldout-worker's `sleep 1`, too
	# short-lived to be listed), and one idle task per CPU of cpuinfo
	local listed crasher waiting cpus
	listed=$(awk '/^=== GT ps ===/ { on = 1; next } /^=== GT / { on = 0 } on && /^pid=/' "$gt" | wc -l)
	crasher=$(grep -c '^=== GT crasher pid=[0-9]' "$gt")
	waiting=$(awk '/^=== GT ps ===/ { on = 1; next } /^=== GT / { on = 0 } on && /^pid=.* wchan=\[do_wait\]/' "$gt" | wc -l)
	cpus=$(awk '/^=== GT cpuinfo ===/ { on = 1; next } /^=== GT / { on = 0 } on && /^processor/' "$gt" | wc -l)
	[ "$listed" -gt 40 ] && [ "$cpus" -ge 1 ]
	[ "$(ours TASKS "$d")" = $((listed + crasher + waiting + cpus)) ]
}

@test "-1 prints one tab-separated line with the same values" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	run "$VMBIN/vmsys" -1 "$d"
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	# -H is --no-header in every program; a header is --header
	run "$VMBIN/vmsys" -1 -H "$d"
	[ "${#lines[@]}" -eq 1 ]
	run "$VMBIN/vmsys" -1 --header "$d"
	[ "${#lines[@]}" -eq 2 ]
	local hdr=${lines[0]} val=${lines[1]} i n
	IFS=$'\t' read -r -a H <<<"$hdr"
	IFS=$'\t' read -r -a V <<<"$val"
	[ "${#H[@]}" -eq "${#V[@]}" ]
	for ((i = 0; i < ${#H[@]}; i++)); do
		[ "${V[i]}" = - ] && continue
		n=$(ours "${H[i]}" "$d")
		[ "$n" = "${V[i]}" ] || { echo "${H[i]}: '$n' vs '${V[i]}'"; return 1; }
	done
}

@test "--json is one valid object with the crash fields" {
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	run "$VMBIN/vmsys" --json "$d"
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	echo "$output" | python3 -c '
import json, sys
o = json.load(sys.stdin)
assert o["release"] == "6.1.192", o
assert o["nr_cpus"] == 2 and o["partial"] is True, o
assert o["panic_message"].startswith("Oops: "), o
'
}

@test "not a dump: one-line error, exit 1" {
	local t=$BATS_TEST_TMPDIR
	: >"$t/empty"
	run "$VMBIN/vmsys" "$t/empty"
	assert_failure 1
	assert_output --regexp "^vmsys: $t/empty: .+"
	[ "${#lines[@]}" -eq 1 ]
	head -c 5000 /etc/services >"$t/text"
	run "$VMBIN/vmsys" "$t/text"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
}
