#!/usr/bin/env bats
# vmsys against the `sys` block crash 8.0.2 printed on the same dumps, and
# against what the guests printed before they died (serial.log).

load helpers

setup() {
	need_prog vmsys
	export TZ=UTC
	BAD=()
}

record() {
	BAD+=("$*")
}

verdict() {
	if [ ${#BAD[@]} -gt 0 ]; then
		printf '%s\n' "${BAD[@]}" >&2
		return 1
	fi
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

# The columns vmsys(1) COLUMNS documents, "NAME TYPE" in order.
doc_columns() {
	sed -n '/^\.SH COLUMNS/,/^\.SH /p' "$ROOT/man/vmsys.1" |
		sed -nE 's/^\.BR ([A-Z]+) " \(([a-z]+)\)"$/\1 \2/p'
}

# crash's sys field FIELD of scenario SCN, made raw the way COLUMNS says
crash_raw() { # SCN COLUMN
	local v
	case $2 in
	RELEASE | NODENAME | VERSION) crash_sys "$1" "$2" ;;
	MACHINE) crash_sys "$1" MACHINE | awk '{ print $1 }' ;;
	MHZ) crash_sys "$1" MACHINE | sed -E 's/.*\(([0-9]+) Mhz\)/\1/' ;;
	CPUS) crash_sys "$1" CPUS | awk '{ print $1 }' ;;
	OFFLINE) v=$(crash_sys "$1" CPUS); [[ $v == *OFFLINE:* ]] && sed -E 's/.*OFFLINE: ([0-9]+).*/\1/' <<<"$v" || echo 0 ;;
	DATE) date -u -d "$(crash_sys "$1" DATE)" +%Y-%m-%dT%H:%M:%SZ ;;
	UPTIME) crash_sys "$1" UPTIME | awk -F: '{ print ($1 * 3600 + $2 * 60 + $3) }' ;;
	MEMORY) crash_sys "$1" MEMORY ;;  # "191.5 MB": compared as crash prints it
	PANIC) crash_sys "$1" PANIC | sed -E 's/^"(.*)"( \(check log for details\))?$/\1/' ;;
	# crash's sys leaves the panic task out on these dumps: its bt header
	# (PID: 1  TASK: ff22...  CPU: 0  COMMAND: "init"), drgn's state
	PID) crash_block "$1" bt | awk 'NR == 1 { print $2 }' ;;
	TASK) crash_block "$1" bt | awk 'NR == 1 { print "0x" $4 }' ;;
	CPU) crash_block "$1" bt | awk 'NR == 1 { print $6 }' ;;
	COMMAND) crash_block "$1" bt | sed -nE '1s/.*COMMAND: "(.*)"$/\1/p' ;;
	STATE) v=$(crash_block "$1" bt | awk 'NR == 1 { print $2 }')
	       awk -v p="$v" '/^# stack/ { exit } $1 == p { print $5 == "R" ? "TASK_RUNNING" : $5; exit }' "$FIX/$1/drgn-ref.txt" ;;
	# VMCOREINFO, which a kdump file holds as text
	PAGESIZE) grep -a -m1 -o 'PAGESIZE=[0-9]*' "$(ls "$FIX/$1"/vmcore.kdump-* | head -1)" | cut -d= -f2 ;;
	LOADAVG) crash_sys "$1" "LOAD AVERAGE" | tr -d , ;;
	PARTIAL) crash_sys "$1" DUMPFILE | grep -q 'PARTIAL DUMP' && echo true || echo false ;;
	# crash says [TAINTED] without letters: the guest's last "Tainted:"
	# line, plus D when it died in an oops or BUG (die() adds TAINT_DIE
	# after printing that line), in the kernel's order
	TAINT) v=$(grep -a 'Tainted: ' "$FIX/$1/serial.log" | tail -1 |
		   sed -nE 's/.*Tainted: ([A-Z ]+) [0-9]+\.[0-9].*/\1/p' | tr -d ' G')
	       crash_sys "$1" PANIC | grep -qE '^"(Oops|kernel BUG)' && v+=D
	       taint_order "$v" ;;
	*) return 1 ;;
	esac
}

# the kernel's taint letters of a tainted_mask (kernel/panic.c taint_flags[],
# bit 0 up), as crash prints them
taint_letters() {
	local m=$1 i l="PFSRMBUDAWCIOELKXTN" out=""
	for ((i = 0; i < ${#l}; i++)); do
		(( (m >> i) & 1 )) && out+=${l:i:1}
	done
	echo "$out"
}

# letters in the order of the kernel's taint_flags[]
taint_order() {
	local l="PFSRMBUDAWCIOELKXTN" i out=""
	for ((i = 0; i < ${#l}; i++)); do
		[[ $1 == *"${l:i:1}"* ]] && out+=${l:i:1}
	done
	echo "$out"
}

@test "-1 --header over every fixture dump in one call: one line each, fixed columns, raw values by cut -f" {
	local -a scns=(x86_64-6.1/sysrq-c x86_64-6.1/oops-module x86_64-6.1/bug-module) dumps=() cols=()
	local scn d i c t v want n checked="" out
	for scn in "${scns[@]}"; do
		d=$(ls "$FIX/$scn"/vmcore.kdump-* 2>/dev/null | head -1)
		[ -n "$d" ] || skip "fixture $scn not available"
		dumps+=("$d")
	done
	# dumps without a crash reference: still one line each
	for d in "$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib" "$ROOT"/tests/fixtures/*/vmcore.kdump-*; do
		[ -f "$d" ] && dumps+=("$d")
	done
	mapfile -t cols < <(doc_columns)
	[ "${#cols[@]}" -ge 20 ] || fail "vmsys.1 COLUMNS lists ${#cols[@]} columns"
	run --separate-stderr "$VMBIN/vmsys" -1 --header "${dumps[@]}" /nonexistent/vmcore "$SAMPLE"
	# one dump could not be read: exit 1, named on stderr, the others answered
	[ "$status" -eq 1 ] || fail "exit $status"
	[[ $stderr == "vmsys: /nonexistent/vmcore: "* ]] || fail "stderr: $stderr"
	out=$output
	n=$(( ${#dumps[@]} + 3 ))
	[ "$(wc -l <<<"$out")" -eq "$n" ] || fail "$(wc -l <<<"$out") lines, want $n: $out"
	# the header is the documented column list; every line has all columns
	[ "$(head -1 <<<"$out")" = "$(printf '%s\n' "${cols[@]}" | cut -d' ' -f1 | paste -sd '\t')" ] ||
		fail "header: $(head -1 <<<"$out")"
	awk -F'\t' -v n="${#cols[@]}" 'NF != n { print "line " NR ": " NF " fields"; bad = 1 } END { exit bad }' <<<"$out"
	# each column by cut -f, against crash's sys on the same dump
	for ((i = 0; i < ${#scns[@]}; i++)); do
		scn=${scns[i]}
		[ "$(sed -n "$((i + 2))p" <<<"$out" | cut -f1)" = "${dumps[i]}" ] || fail "line $((i + 2)) is not ${dumps[i]}"
		for ((c = 0; c < ${#cols[@]}; c++)); do
			t=${cols[c]#* } name=${cols[c]% *}
			v=$(sed -n "$((i + 2))p" <<<"$out" | cut -f$((c + 1)))
			# the type COLUMNS gives
			case $t in
			number) [[ $v =~ ^-?[0-9]+$ || $v == - ]] ;;
			hex) [[ $v =~ ^0x[0-9a-f]+$ || $v == - ]] ;;
			boolean) [[ $v == true || $v == false || $v == - ]] ;;
			string) [[ $v != *'  ['* && $v != '"'* ]] ;;
			*) false ;;
			esac || record "$scn $name: '$v' is no $t"
			want=$(crash_raw "$scn" "$name") || continue
			case $name in
			MEMORY) v=$(awk -v b="$v" 'BEGIN { printf "%.1f MB", b / 1048576 }') ;;
			TAINT) v=$(taint_letters "$((v))") ;;
			esac
			[ "$v" = "$want" ] || record "$scn $name: '$v', crash: '$want'"
			checked+=" $name"
		done
	done
	# the columns crash has no word for
	for ((i = 0; i < ${#scns[@]}; i++)); do
		v=$(sed -n "$((i + 2))p" <<<"$out")
		[ "$(cut -f1 <<<"$v")" = "${dumps[i]}" ] && checked+=" DUMPFILE"
		c=${dumps[i]##*kdump-}
		[ "$(cut -f15 <<<"$v")" = "kdump-compressed ($c)" ] && checked+=" FORMAT" || record "${scns[i]}: FORMAT $(cut -f15 <<<"$v")"
		[ "$(cut -f20 <<<"$v")" = - ] && checked+=" KERNEL" || record "${scns[i]}: KERNEL $(cut -f20 <<<"$v") without -k"
		[ "$(cut -f25 <<<"$v")" = - ] && checked+=" ERROR"
		# TASKS: every thread drgn lists plus one idle task per CPU
		want=$(( $(awk '/^# stack/{exit} /^[0-9]/{n++} END{print n}' "$FIX/${scns[i]}/drgn-ref.txt") + $(cut -f4 <<<"$v") ))
		[ "$(cut -f7 <<<"$v")" = "$want" ] && checked+=" TASKS" || record "${scns[i]}: TASKS $(cut -f7 <<<"$v"), want $want"
	done
	v=$(grep '^/nonexistent/vmcore' <<<"$out")
	[ "$(cut -f25 <<<"$v")" = "cannot open: No such file or directory" ] || record "unreadable dump: $v"
	[ "$(cut -f2-24 <<<"$v" | tr -d '\t-')" = "" ] || record "unreadable dump has values: $v"
	for ((c = 0; c < ${#cols[@]}; c++)); do
		[[ " $checked " == *" ${cols[c]% *} "* ]] || record "column ${cols[c]% *} never checked against a reference"
	done
	# -H is --no-header in every program
	run "$VMBIN/vmsys" -1 -H "$SAMPLE"
	[ "${#lines[@]}" -eq 1 ]
	verdict
}

@test "--json: one object per dump, the COLUMNS fields with their types, the -1 values" {
	local d line tsv json c t name i
	need_cmd jq
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	run --separate-stderr "$VMBIN/vmsys" --json "$d" /nonexistent "$SAMPLE"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	assert_equal "$(jq -c . <<<"${lines[1]}")" '{"error":"cannot open: No such file or directory","dump":"/nonexistent"}'
	json=${lines[0]}
	tsv=$("$VMBIN/vmsys" -1 "$d")
	i=0
	while read -r name t; do
		i=$((i + 1))
		c=$(tr A-Z a-z <<<"$name")
		v=$(cut -f$i <<<"$tsv")
		if [ "$v" = - ]; then
			jq -e --arg k "$c" 'has($k) | not' <<<"$json" >/dev/null || record "$c: in JSON, '-' in -1"
			continue
		fi
		case $t in
		number) jq -e --arg k "$c" --argjson v "$v" '.[$k] == $v' <<<"$json" >/dev/null ;;
		boolean) jq -e --arg k "$c" --argjson v "$v" '.[$k] == $v' <<<"$json" >/dev/null ;;
		hex) jq -e --arg k "$c" --arg v "$v" '.[$k] == $v and (.[$k] | test("^0x[0-9a-f]+$"))' <<<"$json" >/dev/null ;;
		string) jq -e --arg k "$c" --arg v "$v" '.[$k] == $v' <<<"$json" >/dev/null ;;
		esac || record "$c ($t): JSON $(jq -c --arg k "$c" '.[$k]' <<<"$json"), -1 '$v'"
	done < <(doc_columns)
	# nothing in the JSON that COLUMNS does not document
	for c in $(jq -r 'keys[]' <<<"$json"); do
		doc_columns | grep -qi "^$c " || record "JSON key $c not in vmsys.1 COLUMNS"
	done
	verdict
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
