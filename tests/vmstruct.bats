#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmstruct and the type layer under it (DWARF, vmlinux .BTF, BTF read from
# the dump), against crash's `struct` on the oops-module dump
# (tests/ref/oops-module/: tests/ref/make-refs-vmstruct.sh), pahole on the
# vmlinux, and crashmod.c's own initialisers.

load helpers

setup_file() {
	export CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
	mkdir -p "$CACHE"
}

setup() {
	need_prog vmstruct
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	need_fixture VMLINUX x86_64-6.1/vmlinux.xz
	REF=$ROOT/tests/ref/oops-module
	MODDIR=$FIX/x86_64-6.1
	# a private index cache per test: cold and warm runs are the test's own
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg
}

# The crash reference without its first (command) line.
ref() { tail -n +2 "$REF/$1"; }

# The structures crash described (its "struct NAME -o" files).
ref_types() {
	local f
	for f in "$REF"/struct-o/*.txt; do
		grep -q '^SIZE: ' "$f" || continue
		sed -n '2{s/^\(struct\|union\) \([a-z_0-9]*\) {$/\1 \2/p}' "$f"
	done
}

# every reference layout, printed by one type source: $@ = options
compare_layouts() {
	local n=0 bad=0 t name
	while read -r t; do
		name=${t#* }
		if ! diff -u <(ref "struct-o/$name.txt") \
			<("$VMBIN/vmstruct" "$@" "$DUMP" "$t" -s 2>&1) >"$BATS_TEST_TMPDIR/d"; then
			echo "--- $t differs:"; head -20 "$BATS_TEST_TMPDIR/d"
			bad=$((bad + 1))
		fi
		n=$((n + 1))
	done < <(ref_types)
	echo "$n types, $bad differ"
	[ "$n" -ge 25 ] && [ "$bad" -eq 0 ]
}

@test "-s: offsets and SIZE of every reference type equal crash's struct -o (DWARF)" {
	compare_layouts -k "$VMLINUX"
}

@test "-o: the same from the vmlinux's .BTF (-o nodwarf)" {
	compare_layouts -k "$VMLINUX" -o nodwarf
}

@test "-o: the same from the BTF in the dump's own memory (no vmlinux)" {
	run "$VMBIN/vmstruct" -v "$DUMP" list_head
	assert_success
	assert_output --partial "BTF of the dump's memory"
	compare_layouts
}

@test "definitions without -s equal crash's struct NAME" {
	local f n=0
	for f in "$REF"/struct-def/*.txt; do
		name=$(basename "$f" .txt)
		[ "$name" = crashmod_state ] && continue
		diff -u <(ref "struct-def/$name.txt") <("$VMBIN/vmstruct" -k "$VMLINUX" "$DUMP" "$name")
		n=$((n + 1))
	done
	[ "$n" -ge 4 ]
}

@test "module type: crashmod_state from crashmod.ko (-M) equals crash's struct -o" {
	run "$VMBIN/vmstruct" -k "$VMLINUX" -M "$MODDIR" "$DUMP" crashmod_state -s
	assert_success
	assert_output "$(tail -n +2 "$FIX/x86_64-6.1/oops-module/crash.txt" | sed -n '/^struct crashmod_state {/,/^SIZE:/p')"
}

@test "--flat: DWARF, vmlinux BTF and dump BTF agree on every member of every reference type" {
	local t bad=0
	while read -r t; do
		"$VMBIN/vmstruct" --flat -k "$VMLINUX" "$DUMP" "$t" | cut -f1,2,4 >"$BATS_TEST_TMPDIR/dw"
		"$VMBIN/vmstruct" --flat -k "$VMLINUX" -o nodwarf "$DUMP" "$t" | cut -f1,2,4 >"$BATS_TEST_TMPDIR/btf"
		"$VMBIN/vmstruct" --flat "$DUMP" "$t" | cut -f1,2,4 >"$BATS_TEST_TMPDIR/mem"
		[ -s "$BATS_TEST_TMPDIR/dw" ] || { echo "$t: no output"; bad=$((bad + 1)); continue; }
		cmp -s "$BATS_TEST_TMPDIR/dw" "$BATS_TEST_TMPDIR/btf" || { echo "$t: DWARF != BTF"; bad=$((bad + 1)); }
		cmp -s "$BATS_TEST_TMPDIR/dw" "$BATS_TEST_TMPDIR/mem" || { echo "$t: DWARF != dump BTF"; bad=$((bad + 1)); }
	done < <(ref_types)
	[ "$bad" -eq 0 ]
}

@test "--flat agrees with pahole on every member pahole lists" {
	need_cmd pahole
	local t name bad=0 n=0
	while read -r t; do
		name=${t#* }
		# pahole: "type name; /* OFF SIZE */", bitfields "/* OFF: BIT SIZE */"
		pahole -C "$name" "$VMLINUX" 2>/dev/null | awk '
			/\/\*[ 0-9:]+\*\/$/ && /;/ {
				c = $0; sub(/.*\/\* */, "", c); sub(/ *\*\/$/, "", c)
				split(c, f, /[: ]+/)
				off = f[1] + 0
				if (c ~ /:/) off += int(f[2] / 8)
				d = $0; sub(/;.*/, "", d); gsub(/\t/, " ", d)
				gsub(/ *__attribute__\(\(.*\)\)/, "", d)
				if (d ~ /\(\*/) { sub(/.*\(\*/, "", d); sub(/\).*/, "", d) }
				else { sub(/:[0-9]+$/, "", d); gsub(/\[[0-9]*\]/, "", d); sub(/ +$/, "", d); sub(/.*[ *}]/, "", d) }
				if (d != "") print d, off
			}' | sort -u >"$BATS_TEST_TMPDIR/pahole"
		"$VMBIN/vmstruct" --flat -k "$VMLINUX" "$DUMP" "$t" |
			awk -F'\t' '{ n = $4; sub(/.*\./, "", n); sub(/:[0-9]+$/, "", n); print n, $1 }' |
			sort -u >"$BATS_TEST_TMPDIR/ours"
		[ -s "$BATS_TEST_TMPDIR/pahole" ] || continue
		missing=$(comm -23 "$BATS_TEST_TMPDIR/pahole" "$BATS_TEST_TMPDIR/ours")
		if [ -n "$missing" ]; then echo "$t: pahole has, we do not: $missing"; bad=$((bad + 1)); fi
		n=$((n + 1))
	done < <(ref_types)
	echo "$n types compared"
	[ "$n" -ge 25 ] && [ "$bad" -eq 0 ]
}

@test "values: crashmod_state as crash prints it (and crashmod.c set it)" {
	run "$VMBIN/vmstruct" -k "$VMLINUX" -M "$MODDIR" "$DUMP" crashmod_state crashmod_state
	assert_success
	assert_output "$(ref values-crashmod_state.txt)"
	# crashmod.c: magic 0xC0FFEE42, answer 42, "fixture-state", -7, 0xA5
	assert_line '  magic = 3237998146,'
	assert_line '  answer = 42,'
	assert_line '  name = "fixture-state\000\000",'
	assert_line '  small = -7,'
	assert_line "  flags = 165 '\\245',"
	assert_line --partial '  selfp = 0xffffffffc012e020 <crashmod_state>'
	assert_line --partial '"crashmod-label"'
	run "$VMBIN/vmstruct" -x -k "$VMLINUX" -M "$MODDIR" "$DUMP" crashmod_state crashmod_state
	assert_success
	assert_output "$(ref values-crashmod_state-x.txt)"
}

@test "values: the 3-node list behind crashmod_state.nodes" {
	run "$VMBIN/vmstruct" -k "$VMLINUX" -M "$MODDIR" -n 2 "$DUMP" list_head crashmod_nodes
	assert_success
	assert_output "$(ref values-list_head-c2.txt)"
	# nodes.next is crashmod_nodes[0].link: id 101 is 8 bytes before it
	next=$("$VMBIN/vmstruct" -k "$VMLINUX" -M "$MODDIR" --members nodes.next "$DUMP" crashmod_state crashmod_state |
		awk '{print $3}')
	run "$VMBIN/vmstruct" -k "$VMLINUX" -M "$MODDIR" --members id "$DUMP" crashmod_node "$(printf '0x%x' $((next - 8)))"
	assert_success
	assert_output '  id = 101,'
}

@test "values: init_task and the panic task equal crash's struct task_struct ADDR" {
	run "$VMBIN/vmstruct" -k "$VMLINUX" "$DUMP" task_struct init_task
	assert_success
	assert_output "$(ref values-init_task.txt)"
	task=$(sed -n '2s/.*struct task_struct \([0-9a-f]*\)$/\1/p' "$REF/values-panic_task.txt")
	task=$(head -1 "$REF/values-panic_task.txt" | awk '{print $NF}')
	run "$VMBIN/vmstruct" -k "$VMLINUX" "$DUMP" task_struct "$task"
	assert_success
	assert_output "$(ref values-panic_task.txt)"
}

@test "values: --members pid,comm,__state,flags,prio,mm,se.load like crash's struct task_struct.a,b" {
	run "$VMBIN/vmstruct" -k "$VMLINUX" --members pid,comm,__state,flags,prio,mm,se.load "$DUMP" task_struct init_task
	assert_success
	assert_output "$(ref values-init_task-members.txt)"
	run "$VMBIN/vmstruct" -k "$VMLINUX" "$DUMP" task_struct.pid,comm,__state,flags,prio,mm,se.load init_task
	assert_output "$(ref values-init_task-members.txt)"
}

@test "values: BTF from the dump (no vmlinux) gives crash's pid, comm, state, flags, prio, mm" {
	task=$(head -1 "$REF/values-panic_task.txt" | awk '{print $NF}')
	for a in init_task "$task"; do
		f=values-init_task.txt
		[ "$a" = init_task ] || f=values-panic_task.txt
		run "$VMBIN/vmstruct" --members pid,comm,__state,flags,prio,mm "$DUMP" task_struct "$a"
		assert_success
		for m in pid comm __state flags prio mm; do
			assert_line "$(ref "$f" | grep -m1 "^  $m = ")"
		done
	done
}

@test "--json values parse and hold crashmod.c's values" {
	run "$VMBIN/vmstruct" --json -k "$VMLINUX" -M "$MODDIR" "$DUMP" crashmod_state crashmod_state
	assert_success
	echo "$output" | /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
v = r["value"]
assert r["type"] == "struct crashmod_state", r
assert v["magic"] == 0xC0FFEE42 and v["answer"] == 42 and v["small"] == -7, v
assert v["name"] == "fixture-state" and v["flags"] == 0xA5, v
assert v["selfp"] == r["address"], v'
	run "$VMBIN/vmstruct" --json -k "$VMLINUX" "$DUMP" task_struct
	assert_success
	echo "$output" | /usr/bin/python3 -c '
import json, sys
m = [json.loads(l) for l in sys.stdin]
d = {x["name"]: x for x in m}
assert d["comm"]["type"] == "char [16]" and d["se.vruntime"]["size"] == 8, d["comm"]'
}

@test "unknown struct: exit 1, no struct named ..." {
	run --separate-stderr "$VMBIN/vmstruct" -k "$VMLINUX" "$DUMP" no_such_struct_xyz
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no struct named no_such_struct_xyz"* ]]
	run --separate-stderr "$VMBIN/vmstruct" "$DUMP" no_such_struct_xyz
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no struct named no_such_struct_xyz"* ]]
	run --separate-stderr "$VMBIN/vmstruct" -k "$VMLINUX" --members no_such_member "$DUMP" task_struct init_task
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"has no member no_such_member"* ]]
}

@test "usage errors: exit 2" {
	run "$VMBIN/vmstruct" "$DUMP"
	[ "$status" -eq 2 ]
	run "$VMBIN/vmstruct" -n 2 "$DUMP" task_struct
	[ "$status" -eq 2 ]
	run "$VMBIN/vmstruct" --flat "$DUMP" task_struct init_task
	[ "$status" -eq 2 ]
	run "$VMBIN/vmstruct" -n 0 "$DUMP" task_struct init_task
	[ "$status" -eq 2 ]
}

@test "the name index: built cold, loaded warm, rebuilt when damaged, absent with -o nocache" {
	"$VMBIN/vmstruct" -o nocache -k "$VMLINUX" "$DUMP" task_struct -s >"$BATS_TEST_TMPDIR/none"
	[ -z "$(ls "$XDG_CACHE_HOME/vmcoreutils" 2>/dev/null)" ]
	run "$VMBIN/vmstruct" -v -k "$VMLINUX" "$DUMP" task_struct -s
	assert_success
	assert_output --partial "name index built"
	idx=$(ls "$XDG_CACHE_HOME"/vmcoreutils/dwarf-*.idx)
	[ -s "$idx" ]
	run "$VMBIN/vmstruct" -v -k "$VMLINUX" "$DUMP" task_struct -s
	assert_output --partial "name index from cache"
	printf 'garbage' | dd of="$idx" bs=1 seek=4096 conv=notrunc 2>/dev/null
	run "$VMBIN/vmstruct" -v -k "$VMLINUX" "$DUMP" task_struct -s
	assert_success
	assert_output --partial "name index built"
	"$VMBIN/vmstruct" -k "$VMLINUX" "$DUMP" task_struct -s | cmp - "$BATS_TEST_TMPDIR/none"
}

@test "compressed debug sections (objcopy --compress-debug-sections=zlib): same answers" {
	command -v objcopy >/dev/null || skip "objcopy not installed"
	z=$CACHE/$(basename "$VMLINUX").zdebug
	if [ ! -s "$z" ]; then
		objcopy --compress-debug-sections=zlib "$VMLINUX" "$z.tmp.$$" && mv -f "$z.tmp.$$" "$z"
	fi
	readelf -SW "$z" | grep -q ' \.debug_info .* C '
	run "$VMBIN/vmstruct" -k "$z" "$DUMP" task_struct -s
	assert_success
	assert_output "$(ref struct-o/task_struct.txt)"
	run "$VMBIN/vmstruct" -k "$z" "$DUMP" task_struct init_task
	assert_success
	assert_output "$(ref values-init_task.txt)"
}

@test "damaged .debug_info and .BTF: clean errors, the next source answers" {
	bad=$BATS_TEST_TMPDIR/vmlinux.bad
	cp "$VMLINUX" "$bad"
	info=$(readelf -SW "$bad" | awk '$2 == ".debug_info" {print $5}')
	btf=$(readelf -SW "$bad" | awk '$2 == ".BTF" {print $5}')
	# a unit length far past the section, and a BTF magic that is not
	printf '\360\377\377\177' | dd of="$bad" bs=1 seek=$((16#$info)) conv=notrunc 2>/dev/null
	run --separate-stderr "$VMBIN/vmstruct" -v -o nocache -k "$bad" "$DUMP" list_head -s
	assert_success
	[[ "$stderr" == *"corrupt .debug_info at offset 0"* ]]
	[[ "$stderr" == *"types: BTF of $bad .BTF"* ]]
	assert_output "$(ref struct-o/list_head.txt)"
	printf 'XX' | dd of="$bad" bs=1 seek=$((16#$btf)) conv=notrunc 2>/dev/null
	run --separate-stderr "$VMBIN/vmstruct" -v -o nocache -k "$bad" "$DUMP" list_head -s
	assert_success
	[[ "$stderr" == *"bad BTF magic"* ]]
	[[ "$stderr" == *"BTF of the dump's memory"* ]]
	assert_output "$(ref struct-o/list_head.txt)"
}

@test "every option in -h is in the man page" {
	local opt
	for opt in $("$VMBIN/vmstruct" -h | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "${opt//-/\\\\-}" "$ROOT/man/vmstruct.1" || grep -q -- "$opt" "$ROOT/man/vmstruct.1" ||
			{ echo "man page lacks $opt"; false; }
	done
}

# Debian's arm64 kernel lists text symbols only: no __start_BTF.  The BTF
# header is found in .rodata (btf_scan.c), and what the dump itself says
# of the layouts (VMCOREINFO's SIZE() and OFFSET() lines, written by the
# kernel's own compiler) must agree with it, every line.
@test "arm64 dump, no vmlinux: BTF found without __start_BTF, equal to every VMCOREINFO SIZE and OFFSET" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib key val t m got n=0 bad=0
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib
	run --separate-stderr "$VMBIN/vmstruct" -v -o nocache "$d" list_head -s
	assert_success
	[[ $stderr == *"types: BTF of the dump's memory (BTF header found at 0x"* ]]
	assert_line "SIZE: 16"
	while IFS='=' read -r key val; do
		case $key in
		SIZE\(*\))
			t=${key#SIZE(}; t=${t%)}
			got=$("$VMBIN/vmstruct" "$d" "$t" -s | sed -n 's/^SIZE: //p') ;;
		OFFSET\(*\))
			t=${key#OFFSET(}; t=${t%)}; m=${t#*.}; t=${t%%.*}
			got=$("$VMBIN/vmstruct" --flat "$d" "$t" |
				awk -F'\t' -v m="$m" '$4 == m { print $1; exit }') ;;
		*) continue ;;
		esac
		n=$((n + 1))
		[ "$got" = "$val" ] || { echo "$key: VMCOREINFO $val, BTF '${got}'"; bad=$((bad + 1)); }
	done < <("$O/tests/dumpcheck" -V "$d")
	echo "$n lines compared, $bad differ"
	[ "$n" -ge 50 ] && [ "$bad" -eq 0 ]
}

# ------------------------------------------------------------ hardening
# (issues 14 and 21: values from the dump's own type words, 128-bit integers)

@test "arm64: the whole task_struct of the panicking task, 128-bit vregs included (text and JSON)" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib t pid off lo hi want
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib arm64-6.1-debian/serial.log
	need_cmd jq
	# the task the guest's oops names ("CPU: 1 PID: 758 Comm: heldout-crash")
	pid=$(sed -n 's/.*CPU: [0-9]* PID: \([0-9]*\) Comm: .*/\1/p' "$FIX/arm64-6.1-debian/serial.log" | head -1)
	t=$("$VMBIN/vmps" --json "$d" | jq -r --argjson p "$pid" 'select(.pid == $p) | .task')
	[ -n "$t" ]
	run --separate-stderr "$VMBIN/vmstruct" "$d" task_struct "$t"
	assert_success
	[ "${lines[-1]}" = "}" ]
	assert_line --regexp "^  pid = $pid,\$"
	assert_line --regexp '^        vregs = \{[0-9]+(, [0-9]+){31}\},$'
	run --separate-stderr "$VMBIN/vmstruct" --json "$d" task_struct "$t"
	assert_success
	[ "$(jq -r '.value.pid' <<<"$output")" = "$pid" ]
	[ "$(jq -r '.value.thread.uw.fpsimd_state.vregs | length' <<<"$output")" = 32 ]
	# vregs[0] is the two little-endian u64 at its offset: read them as such
	off=$("$VMBIN/vmstruct" --flat "$d" task_struct | awk -F'\t' '$4 == "thread.uw.fpsimd_state.vregs" { print $1 }')
	lo=$("$VMBIN/vmstruct" -x "$d" "unsigned long" "$(printf '0x%x' $((t + off)))" | sed 's/.* //')
	hi=$("$VMBIN/vmstruct" -x "$d" "unsigned long" "$(printf '0x%x' $((t + off + 8)))" | sed 's/.* //')
	want=$(python3 -c "print($hi * 2**64 + $lo)")
	[ "$(jq -r '.value.thread.uw.fpsimd_state.vregs[0]' <<<"$output")" = "$want" ]
}

# a private copy of the raw oops-module dump (pages stored as they are),
# with task_struct's BTF record damaged by tests/gen/btfpatch.py
btf_damaged() { # DAMAGE -> $COPY
	local raw
	need_fixture raw derive:raw
	COPY=$BATS_TEST_TMPDIR/vmcore.raw
	cp "$raw" "$COPY"
	run python3 "$ROOT/tests/gen/btfpatch.py" "$COPY" "$1"
	assert_success
	[ "$output" -ge 1 ]
}

@test "BTF says task_struct is 0xffffffff bytes: refused by name and size, no big allocation" {
	local rss
	btf_damaged size
	# the dump's own BTF (no -k), not a cached copy of the genuine one
	run --separate-stderr "$VMBIN/vmstruct" -o nocache "$COPY" task_struct init_task
	assert_failure 1
	[[ $stderr == *"struct task_struct is 4294967295 bytes by its type information"* ]]
	run --separate-stderr "$VMBIN/vmstruct" -o nocache --json "$COPY" task_struct init_task
	assert_failure 1
	jq -e 'select(has("error"))' <<<"$output" >/dev/null
	# memory: bounded by what is printed, not by the type's word
	if [ "$VM_SAN" = 0 ]; then
		run --separate-stderr bash -c "ulimit -v 1048576; exec \"$VMBIN/vmstruct\" -o nocache \"$COPY\" task_struct init_task"
		[[ $stderr == *"by its type information"* ]]
		/usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" \
			"$VMBIN/vmstruct" -o nocache "$COPY" task_struct init_task >/dev/null 2>&1 || true
		rss=$(tail -1 "$BATS_TEST_TMPDIR/rss")
		[ "$rss" -lt 200000 ] || fail "peak RSS $rss KiB"
	fi
}

@test "BTF makes task_struct's first member a task_struct: an error record, never half a JSON line" {
	btf_damaged selfnest
	run --separate-stderr "$VMBIN/vmstruct" -o nocache --json "$COPY" task_struct init_task
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	jq -e '.error == "values nest deeper than 48" and .type == "struct task_struct"' <<<"$output"
	[[ $stderr == *"values nest deeper than 48"* ]]
	run --separate-stderr "$VMBIN/vmstruct" -o nocache "$COPY" task_struct init_task
	assert_failure 1
	[[ $stderr == *"values nest deeper than 48"* ]]
	# the layout walks stop the same way
	run --separate-stderr "$VMBIN/vmstruct" -o nocache --json "$COPY" task_struct
	[ "$status" -le 1 ]
	jq -c . <<<"$output" >/dev/null
}
