#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmdis against crash 8.0.2's dis on the x86 fixtures (crash.txt, and
# tests/ref/SCN/crash-dis.txt from tests/ref/make-refs-vmdis.sh), against
# the kernel's own Call Trace and Code: lines in serial.log (x86 and arm64),
# and against objdump of the vmlinux for --diff's file side.

load helpers

SCNS="sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy"

setup() {
	need_prog vmdis
	# fixtures stay in the shared cache; the programs' caches are the test's
	export VMCORE_CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg
}

# The kernel tree of the fixtures' release (Debian's linux-source-6.1, as
# the fixtures' make/generate.sh built them from), unpacked once into the
# fixture cache: the parts the listings read.
linux_tree() {
	local tb=/usr/src/linux-source-6.1.tar.xz dir tmp
	[ -f "$tb" ] || { echo "no $tb (apt-get install linux-source-6.1, or make deps)"; return 1; }
	dir=$VMCORE_CACHE/linux-source-6.1-$(stat -c %s-%Y "$tb")
	if [ ! -e "$dir/.unpacked" ]; then
		tmp=$dir.tmp.$$
		mkdir -p "$tmp"
		tar -C "$tmp" -xf "$tb" linux-source-6.1/kernel linux-source-6.1/arch/x86 \
			linux-source-6.1/include linux-source-6.1/drivers/tty ||
			{ rm -rf "$tmp"; echo "cannot unpack $tb"; return 1; }
		touch "$tmp/linux-source-6.1/.unpacked"
		mv -T "$tmp/linux-source-6.1" "$dir" 2>/dev/null || true
		rm -rf "$tmp"
	fi
	echo "$dir"
}

need_vmlinux() {
	need_fixture VMLINUX x86_64-6.1/vmlinux.xz
	skip_if_missing x86_64-6.1/crashmod.ko
	MODDIR=$FIX/x86_64-6.1
}

# whitespace as crash.txt has it does not count: tabs, runs, trailing
norm() {
	sed -e 's/[[:space:]]\+/ /g' -e 's/ $//'
}

# The block of crash command CMD in tests/ref/SCN/crash-dis.txt.
crash_dis() { # SCN CMD
	awk -v c="@@ $2" '/^@@ / { on = ($0 == c); next } on' "$ROOT/tests/ref/$1/crash-dis.txt"
}

# The crash commands of crash-dis.txt that a vmdis command line answers,
# as "CMD|OPTIONS|TARGET [COUNT]"; the Intel block gets -M intel.
dis_commands() { # SCN
	awk '/^@@ gdb set disassembly-flavor intel/ { intel = 1 }
	     /^@@ gdb set disassembly-flavor att/ { intel = 0 }
	     /^@@ dis / {
		cmd = substr($0, 4); n = split(cmd, w, " "); opts = intel ? "-M intel" : ""; pos = ""
		# crash letters the one option table spells out
		map["-r"] = "--reverse"; map["-f"] = "--forward"; map["-l"] = "-l"
		for (i = 2; i <= n; i++)
			if (w[i] ~ /^-/) opts = opts " " (w[i] in map ? map[w[i]] : w[i]); else pos = pos " " w[i]
		if (cmd ~ /^dis -s/) next
		print cmd "|" opts "|" pos
	     }' "$ROOT/tests/ref/$1/crash-dis.txt"
}

# The kernel-span fixtures (tests/fixtures/CASE, tests/kernels.bats): the
# committed dump of CASE, QEMU's zstd-packed ELF dump unpacked once into
# the fixture cache under the same name kernels.bats's dump() gives it.
KFIX=$ROOT/tests/fixtures
need_kcase() { # VAR CASE
	local f out
	for f in "$KFIX/$2"/vmcore.kdump-*; do
		[ -f "$f" ] && { printf -v "$1" '%s' "$f"; return 0; }
	done
	f=$KFIX/$2/vmcore.qemu.elf.zst
	[ -f "$f" ] || skip "fixture $2 not made (tests/kernels/make-fixture.sh $2)"
	out=$VMCORE_CACHE/$(sha256sum "$f" | cut -c1-16)-$2-vmcore.qemu.elf
	if [ ! -s "$out" ]; then
		mkdir -p "$VMCORE_CACHE" && zstd -qdc "$f" >"$out.tmp.$$" && mv -f "$out.tmp.$$" "$out" ||
			skip "cannot unpack $f"
	fi
	printf -v "$1" '%s' "$out"
}

# The Debian -dbg vmlinux of a kernel-span fixture (downloaded once by
# tests/kernels/vmlinux.sh into the fixture cache).
need_kvmlinux() { # VAR CASE
	local _v
	_v=$("$ROOT/tests/kernels/vmlinux.sh" "$2" 2>&1) || skip "no vmlinux for $2: $_v"
	printf -v "$1" '%s' "$_v"
}

# crash's output of COMMAND in a kernel-span fixture's crash.txt
kcrash_block() { # CASE COMMAND
	awk -v c="crash> $2" '$0 == c { on = 1; next } /^crash> / { on = 0 } on' "$KFIX/$1/crash.txt"
}

@test "vmdis -l -k vmlinux DUMP schedule 10 = crash's dis -l schedule 10 in crash.txt, every x86 fixture" {
	need_vmlinux
	local scn n=0
	for scn in $SCNS; do
		need_fixture DUMP "x86_64-6.1/$scn"
		crash_block "x86_64-6.1/${scn%%/*}" 'dis -l schedule 10' | norm >"$BATS_TEST_TMPDIR/want"
		[ "$(grep -c '^0x' "$BATS_TEST_TMPDIR/want")" -eq 10 ]
		"$VMBIN/vmdis" -l -k "$VMLINUX" "$DUMP" schedule 10 | norm >"$BATS_TEST_TMPDIR/ours"
		diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours"
		n=$((n + 1))
	done
	[ "$n" -eq 3 ]
}

@test "x86_64-5.10 (Debian's kernel, its -dbg vmlinux): vmdis -l = every dis -l of crash 8.0.2 in crash.txt" {
	local dump vml cmd n=0
	need_kcase dump x86_64-5.10
	need_kvmlinux vml x86_64-5.10
	while read -r cmd; do
		kcrash_block x86_64-5.10 "$cmd" | norm >"$BATS_TEST_TMPDIR/want"
		# shellcheck disable=SC2086
		"$VMBIN/vmdis" -k "$vml" -l "$dump" ${cmd#dis -l } | norm >"$BATS_TEST_TMPDIR/ours"
		echo "$cmd: $(grep -c '^0x' "$BATS_TEST_TMPDIR/want") instructions"
		[ "$(grep -c '^0x' "$BATS_TEST_TMPDIR/want")" -ge 10 ]
		diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours"
		n=$((n + 1))
	done < <(sed -n 's/^crash> \(dis -l .*\)/\1/p' "$KFIX/x86_64-5.10/crash.txt")
	[ "$n" -ge 3 ]
}

# The three 6.1 dumps run one vmlinux: its functions are compared on the
# first, the module's on every one (VMDIS_ALL=1: everything everywhere).
@test "every dis command of crash-dis.txt: vmdis prints the same lines (dis -l, counts, -r, -f, Intel; kernel and module)" {
	need_vmlinux
	local scn cmd opts pos total=0 bad=0 funcs first=1
	for scn in $SCNS; do
		need_fixture DUMP "x86_64-6.1/$scn"
		[ -s "$ROOT/tests/ref/${scn%%/*}/crash-dis.txt" ] || skip "no crash-dis.txt"
		while IFS='|' read -r cmd opts pos; do
			[ "$first" = 1 ] || [ "${VMDIS_ALL:-0}" = 1 ] || [[ $pos == *crashmod* ]] || continue
			crash_dis "${scn%%/*}" "$cmd" | norm >"$BATS_TEST_TMPDIR/want"
			[ -s "$BATS_TEST_TMPDIR/want" ] || { echo "crash printed nothing for $cmd"; bad=$((bad + 1)); continue; }
			# shellcheck disable=SC2086
			"$VMBIN/vmdis" -k "$VMLINUX" -M "$MODDIR" $opts "$DUMP" $pos 2>&1 | norm >"$BATS_TEST_TMPDIR/ours" || true
			total=$((total + 1))
			if ! diff -q "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours" >/dev/null; then
				echo "${scn%%/*}: $cmd"
				diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours" | head -6
				bad=$((bad + 1))
			fi
		done < <(dis_commands "${scn%%/*}")
		first=0
	done
	funcs=$(dis_commands sysrq-c | awk -F'|' '$1 ~ /^dis -l [^ ]+$/' | wc -l)
	echo "$total commands, $bad differ; $funcs whole functions per dump"
	[ "$funcs" -ge 16 ]
	[ "$bad" -eq 0 ]
}

@test "vmdis --list = crash's l *ADDR; --function-source = crash's dis -s (kernel tree from linux-source-6.1)" {
	need_vmlinux
	local src scn cmd opts args total=0 bad=0
	src=$(linux_tree) || skip "$src"
	for scn in $SCNS; do
		need_fixture DUMP "x86_64-6.1/$scn"
		while read -r cmd; do
			case $cmd in
			"l *"*) opts=--list; args=${cmd#l \*}; args=${args//\'/} ;;
			"dis -s "*) opts=--function-source; args=${cmd#dis -s } ;;
			*) continue ;;
			esac
			crash_dis "${scn%%/*}" "$cmd" | norm >"$BATS_TEST_TMPDIR/want"
			# shellcheck disable=SC2086
			"$VMBIN/vmdis" -k "$VMLINUX" -M "$MODDIR" --source "$src" --source "$FIX/make/crashmod" \
				$opts "$DUMP" $args 2>&1 |
				norm >"$BATS_TEST_TMPDIR/ours" || true
			total=$((total + 1))
			if ! diff -q "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours" >/dev/null; then
				echo "${scn%%/*}: $cmd"
				diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours" | head -6
				bad=$((bad + 1))
			fi
		done < <(sed -n 's/^@@ //p' "$ROOT/tests/ref/${scn%%/*}/crash-dis.txt")
	done
	echo "$total listings, $bad differ"
	[ "$total" -ge 12 ]
	[ "$bad" -eq 0 ]
}

# The kernel's own "Call Trace:" frames (not "?" ones, not +0x0 after a
# noreturn call): each return address follows a call.
call_trace() { # serial.log -> FUNC+0xOFF per line
	tr -d '\r' <"$1" | awk '/Call [Tt]race:/ { on = 1; next }
	     on && /Kernel Offset|---\[ end|<\/TASK>|^RIP: |SMP: stopping/ { on = 0 }
	     on' | sed -e 's/^\[ *[0-9.]*\] //' -e 's/^ *//' |
		grep -v -e '^?' -e '^<' -e '^RIP' | awk '{ print $1 }' |
		grep -E '^[A-Za-z_.0-9]+\+0x[0-9a-f]+/0x[0-9a-f]+$' | grep -v '+0x0/' | cut -d/ -f1
}

check_frames() { # DUMP serial.log call-regex
	local f n=0 out last prev want start
	local -a l
	while read -r f; do
		n=$((n + 1))
		out=$("$VMBIN/vmdis" --reverse "$1" "$f") || { echo "$f: vmdis failed"; return 1; }
		# (bash's own words: no process per line looked at)
		mapfile -t l <<<"$out"
		[ "${#l[@]}" -ge 2 ] || { echo "$f: $out"; return 1; }
		last=${l[-1]}
		prev=${l[-2]}
		# FUNC+OFF: OFF past the first line's address (the function's
		# start); a return address after a noreturn call at a function's
		# end is the next function's first instruction
		start=${l[0]%% *}
		printf -v want '0x%x' $((start + 16#${f##*+0x}))
		[[ ${l[0]} == *" <${f%+*}>:"* ]] || { echo "$f: starts: ${l[0]}"; return 1; }
		[[ $last == "$want "* ]] || { echo "$f ($want): ends at: $last"; return 1; }
		[[ $prev =~ $3 ]] || { echo "$f: no call before it: $prev"; return 1; }
	done < <(call_trace "$2")
	echo "$n frames"
	[ "$n" -ge 5 ]
}

@test "x86: every Call Trace frame in serial.log is a return address after a call (vmdis --reverse, the dump alone)" {
	local scn
	for scn in $SCNS; do
		need_fixture DUMP "x86_64-6.1/$scn"
		check_frames "$DUMP" "$FIX/x86_64-6.1/${scn%%/*}/serial.log" \
			$'>:\t(cs )?call +0x[0-9a-f]+'
	done
}

@test "arm64: every Call trace frame in serial.log is a return address after bl/blr (the dump alone)" {
	need_fixture DUMP arm64-6.1-debian/vmcore.qemu-kdump-zlib
	check_frames "$DUMP" "$FIX/arm64-6.1-debian/serial.log" $'>:\t(bl|blr)\t'
}

@test "kernel-span fixtures (7.2 x86_64, 5.10 x86_64, 7.2 arm64): every Call Trace frame follows a call / bl / blr (the dump alone)" {
	local dump
	need_kcase dump x86_64-7.2
	check_frames "$dump" "$KFIX/x86_64-7.2/serial.log" $'>:\t(cs )?call +0x[0-9a-f]+'
	need_kcase dump x86_64-5.10
	check_frames "$dump" "$KFIX/x86_64-5.10/serial.log" $'>:\t(cs )?call +0x[0-9a-f]+'
	need_kcase dump arm64-7.2
	check_frames "$dump" "$KFIX/arm64-7.2/serial.log" $'>:\t(bl|blr)\t'
}

@test "vmdis --reverse at the faulting RIP stops at it, and its bytes are the <..> bytes of serial.log's Code: line" {
	local scn rip code want got
	for scn in oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy; do
		need_fixture DUMP "x86_64-6.1/$scn"
		log=$FIX/x86_64-6.1/${scn%%/*}/serial.log
		rip=$(tr -d '\r' <"$log" | sed -n 's/.*RIP: 0010:\([^ /]*\)\/.*/\1/p' | head -n 1)
		code=$(tr -d '\r' <"$log" | grep -m1 'Code: .*<' | sed 's/.*Code: //')
		[ -n "$rip" ] && [ -n "$code" ]
		run "$VMBIN/vmdis" --json --reverse "$DUMP" "$rip"
		assert_success
		# the last instruction: at RIP, its bytes from the <..> byte on
		got=$(tail -n 1 <<<"$output" | "$PY" -c '
import json, sys
r = json.loads(sys.stdin.read())
print(r["symbol"] + "+" + hex(r["offset"]), r["bytes"])')
		want=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^</) { s = i; break }
			      b = ""; for (i = s; i <= NF; i++) { x = $i; gsub(/[<>]/, "", x); b = b x }
			      print b }' <<<"$code")
		echo "$scn: RIP $rip, vmdis: $got, Code: $want"
		[ "${got%% *}" = "$rip" ]
		[ -n "${got##* }" ]
		[[ $want == "${got##* }"* ]]
	done
}

# objdump of the vmlinux at the link-time addresses of [lo, hi) run-time,
# as "ADDRESS<tab>instruction" with 16 hex digits (compared as strings)
objdump_at() { # VMLINUX SLIDE LO HI
	objdump -d --no-show-raw-insn --start-address=$(($3 - $2)) --stop-address=$(($4 - $2)) "$1" |
		awk -F'\t' '/^ *[0-9a-f]+:\t/ { a = $1; sub(/^ */, "", a); sub(/:$/, "", a); print a "\t" $2 }'
}

@test "--diff: the kernel's rewritten code, named; file side = objdump of the vmlinux, memory side = crash's dis" {
	need_vmlinux
	need_cmd objdump
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	slide=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\) from.*/\1/p' "$FIX/x86_64-6.1/oops-module/serial.log")
	for f in schedule lapic_next_deadline native_write_cr0 pit_next_event mutex_lock_io is_vmalloc_addr; do
		run "$VMBIN/vmdis" --diff -k "$VMLINUX" "$DUMP" "$f"
		assert_success
		echo "$output" >"$BATS_TEST_TMPDIR/diff.$f"
		echo "$output" | grep '^@@' | head -3
		# every place named by one of the kernel's tables
		! grep -q 'not in the kernel' <<<"$output"
		grep -q '^@@ ' <<<"$output"
		# each hunk: "-" lines are objdump's instructions there (one
		# objdump over all of them), "+" lines crash's
		lo=$(awk '/^@@ / { print $2; exit }' <<<"$output")
		hi=$(awk '/^@@ / { e = $2 " " $4 } END { print e }' <<<"$output")
		objdump_at "$VMLINUX" "$slide" "$lo" $((${hi% *} + ${hi#* })) >"$BATS_TEST_TMPDIR/od.all"
		while read -r at len; do
			awk -F'\t' -v lo="$(printf '%016x' $((at - slide)))" -v hi="$(printf '%016x' $((at + len - slide)))" \
				'$1 >= lo && $1 < hi { print $2 }' "$BATS_TEST_TMPDIR/od.all" | awk '{ print $1 }' >"$BATS_TEST_TMPDIR/od"
			# (as strings: awk takes "0x..." for numbers, and doubles
			# cannot tell kernel addresses apart)
			awk -v a="$at" '/^@@ / { on = ($2 "" == a ""); next } on && /^-/' <<<"$output" |
				cut -f2 | awk '{ print $1 }' >"$BATS_TEST_TMPDIR/file"
			# objdump of binutils 2.40 says "jmp" where gdb says "jmp": mnemonics only
			head -n "$(wc -l <"$BATS_TEST_TMPDIR/file")" "$BATS_TEST_TMPDIR/od" | diff - "$BATS_TEST_TMPDIR/file"
		done < <(awk '/^@@ / { print $2, $4 }' <<<"$output")
		crash_dis oops-module "dis -l $f" | grep '^0x' | norm >"$BATS_TEST_TMPDIR/crash"
		grep '^+' <<<"$output" | cut -c2- | norm | while read -r line; do
			grep -qxF "$line" "$BATS_TEST_TMPDIR/crash" || { echo "memory side not in crash's dis: $line"; exit 1; }
		done
	done
	grep -q 'return thunk (.return_sites)' "$BATS_TEST_TMPDIR/diff.schedule"
	grep -q 'alternative (.altinstructions)' "$BATS_TEST_TMPDIR/diff.lapic_next_deadline"
	grep -q 'jump label (__jump_table)' "$BATS_TEST_TMPDIR/diff.native_write_cr0"
	grep -q 'paravirt patch (.parainstructions)' "$BATS_TEST_TMPDIR/diff.pit_next_event"
	grep -q 'static call (.static_call_sites)' "$BATS_TEST_TMPDIR/diff.mutex_lock_io"
}

@test "--diff of the whole kernel: every difference is in one of the kernel's tables" {
	[ "$VM_SAN" = 1 ] && skip "whole-kernel scan: plain build only"
	need_vmlinux
	need_fixture DUMP x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	"$VMBIN/vmdis" --diff -k "$VMLINUX" "$DUMP" | grep '^@@ ' |
		sed 's/.*bytes: //' | sort | uniq -c | sort -rn >"$BATS_TEST_TMPDIR/kinds"
	cat "$BATS_TEST_TMPDIR/kinds"
	! grep -q 'not in the kernel' "$BATS_TEST_TMPDIR/kinds"
	# (retpolines: this CPU runs with them, the thunk calls stay as linked)
	for k in alternative 'jump label' 'paravirt patch' 'return thunk' 'static call'; do
		grep -q " $k (" "$BATS_TEST_TMPDIR/kinds"
	done
}

@test "--diff on Debian's 5.10 and 7.2: ftrace NOPs, alternatives, paravirt, IBT seals named; memory side = crash's dis" {
	local dump vml
	need_kcase dump x86_64-5.10
	need_kvmlinux vml x86_64-5.10
	# 5.10 on QEMU's CPU: the ftrace NOP is K8's 66 66 66 66 90, the
	# first line of crash's dis -l schedule
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" schedule
	assert_success
	assert_line --index 0 --regexp '^@@ 0x[0-9a-f]+ <schedule> 5 bytes: ftrace call site \(__mcount_loc\)$'
	assert_line --index 1 --regexp '^-0x[0-9a-f]+ <schedule>:	call +0x[0-9a-f]+ <__fentry__>$'
	assert_line --index 2 "+$(kcrash_block x86_64-5.10 'dis -l schedule 12' | grep -m1 '^0x')"
	! grep -q 'not in the kernel' <<<"$output"
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" lapic_next_deadline
	assert_success
	assert_line --partial 'alternative (.altinstructions)'
	assert_line --partial 'paravirt patch (.parainstructions)'
	# the last entry of .parainstructions (no padding after it)
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" relocate_restore_code
	assert_success
	! grep -q 'not in the kernel' <<<"$output"
	assert_line --partial 'paravirt patch (.parainstructions)'
	# 7.2: its -dbg vmlinux has no relocation sections, so the KASLR
	# slide in address fields is recognised, not reported; an endbr64
	# sealed by IBT and a runtime constant are named
	need_kcase dump x86_64-7.2
	need_kvmlinux vml x86_64-7.2
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" schedule
	assert_success
	assert_line --index 0 --regexp '^@@ 0x[0-9a-f]+ <schedule\+4> 5 bytes: ftrace call site \(__mcount_loc\)$'
	assert_line --index 2 --regexp '^\+0x[0-9a-f]+ <schedule\+4>:	nopl +0x0\(%rax,%rax,1\)$'
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" print_cpu_info
	assert_success
	assert_line --index 0 --regexp '<print_cpu_info> 4 bytes: IBT endbr seal \(.ibt_endbr_seal\)$'
	assert_line --index 2 --regexp '<print_cpu_info>:	nopl +-0x2a\(%rax\)$'
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" __emulate_vsyscall
	assert_success
	assert_line --regexp 'runtime constant \(runtime_ptr_\*, runtime_shift_\*\)$'
	assert_line --regexp '^-.*movabs +\$0x123456789abcdef,'
	! grep -q 'not in the kernel' <<<"$output"
	# relocated addresses: register_ftrace_graph's cmpq has two
	run "$VMBIN/vmdis" --diff -k "$vml" "$dump" register_ftrace_graph
	assert_success
	! grep -q 'not in the kernel' <<<"$output"
}

@test "--diff and --file on a module: its .ko relocated to the load address, the loader's patches named" {
	need_vmlinux
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	run "$VMBIN/vmdis" --diff -k "$VMLINUX" -M "$MODDIR" "$DUMP" crashmod_write
	assert_success
	assert_line --regexp '^@@ 0x[0-9a-f]+ <crashmod_write\+[0-9]+> 5 bytes: return thunk \(.return_sites\)$'
	! grep -q 'not in the kernel' <<<"$output"
	# the file's text, relocated: the call to _printk goes where memory's does
	run "$VMBIN/vmdis" --file -k "$VMLINUX" -M "$MODDIR" "$DUMP" crashmod_level2.constprop.0
	assert_success
	assert_line --index 4 --regexp 'call +0x[0-9a-f]+ <_printk>$'
	mem=$("$VMBIN/vmdis" -k "$VMLINUX" "$DUMP" crashmod_level2.constprop.0 | sed -n 5p)
	assert_line --index 4 "$mem"
}

@test "module .ko: refused when its build-id is another's; found compressed (xz, zstd)" {
	need_vmlinux
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	d=$BATS_TEST_TMPDIR/mods
	mkdir -p "$d/xz" "$d/zst" "$d/other"
	xz -c "$MODDIR/crashmod.ko" >"$d/xz/crashmod.ko.xz"
	zstd -q -c "$MODDIR/crashmod.ko" >"$d/zst/crashmod.ko.zst"
	for sub in xz zst; do
		run "$VMBIN/vmdis" -l -k "$VMLINUX" -M "$d/$sub" "$DUMP" crashmod_level2.constprop.0 3
		assert_success
		assert_line --index 0 '/usr/src/crashmod/crashmod.c: 60'
	done
	# the same file with one byte of its build-id changed
	cp "$MODDIR/crashmod.ko" "$d/other/crashmod.ko"
	off=$("$PY" -c '
import sys
d = open(sys.argv[1], "rb").read()
i = d.find(bytes.fromhex("751dd315adb52a533c301f09ed674c6baf34939b"))
assert i > 0
print(i)' "$d/other/crashmod.ko")
	printf '\x00' | dd of="$d/other/crashmod.ko" bs=1 seek="$off" conv=notrunc status=none
	run --separate-stderr "$VMBIN/vmdis" -l -k "$VMLINUX" -M "$d/other" "$DUMP" crashmod_level2.constprop.0 3
	assert_success
	[[ $stderr == *"no source lines"*"build-id 001dd315adb52a533c301f09ed674c6baf34939b, the loaded crashmod has 751dd315adb52a533c301f09ed674c6baf34939b"* ]]
	refute_line --partial 'crashmod.c'
}

@test "bad module files: garbage, cut short, corrupt xz, bad line program headers: said, never a crash" {
	need_vmlinux
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	d=$BATS_TEST_TMPDIR/bad
	mkdir -p "$d/garbage" "$d/short" "$d/xz" "$d/big" "$d/bigsaid"
	head -c 4096 /dev/urandom >"$d/garbage/crashmod.ko"
	head -c 3000 "$MODDIR/crashmod.ko" >"$d/short/crashmod.ko"
	xz -c "$MODDIR/crashmod.ko" | head -c 20000 >"$d/xz/crashmod.ko.xz"
	# a zstd stream of 600 MB of zeros (4800 RLE blocks of 128 KiB): more
	# than any module; big without its size in the frame header (stopped
	# while decompressing), bigsaid with it (refused at once)
	for said in 0 1; do
		"$PY" -c '
import sys
n, said = 4800, int(sys.argv[1])
out = bytearray(b"\x28\xb5\x2f\xfd" + (b"\xc0\x38" + (n << 17).to_bytes(8, "little") if said else b"\x00\x38"))
for i in range(n):
    out += ((131072 << 3) | (1 << 1) | (i == n - 1)).to_bytes(3, "little") + b"\0"
sys.stdout.buffer.write(out)' "$said" >"$d/$([ "$said" = 1 ] && echo bigsaid || echo big)/crashmod.ko.zst"
	done
	# line programs (.debug_line) with a bad header: lengths past the
	# section, a version not 2-5, a line_range of 0
	mkdir -p "$d/linelen" "$d/linever" "$d/linerange"
	"$PY" -c '
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
shoff, = struct.unpack_from("<Q", d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3a)
sh = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize) for i in range(shnum)]
names = sh[shstrndx][4]
off = [s[4] for s in sh if d[names + s[0]:].split(b"\0")[0] == b".debug_line"][0]
ver, = struct.unpack_from("<H", d, off + 4)
fixed = off + 4 + 2 + (2 if ver >= 5 else 0) + 4
for sub, at, val in (("linelen", off, b"\xf0\xff\xff\x0f"), ("linever", off + 4, b"\x09\x00"),
                     ("linerange", fixed + (4 if ver >= 4 else 3), b"\x00")):
    x = bytearray(d)
    x[at:at + len(val)] = val
    open(sys.argv[2] + "/" + sub + "/crashmod.ko", "wb").write(x)' "$MODDIR/crashmod.ko" "$d"
	declare -A why=([garbage]="not an ELF file" [short]="" [xz]="corrupt xz data" [big]="decompresses to more than 512 MB"
		[bigsaid]="decompresses to more than 512 MB (629145600 bytes, its zstd frame says)"
		[linelen]="line program at .debug_line 0: longer than the section"
		[linever]="line program at .debug_line 0: not DWARF 2-5"
		[linerange]="line program at .debug_line 0: line_range, maximum_operations_per_instruction or opcode_base 0")
	for sub in garbage short xz big bigsaid linelen linever linerange; do
		run --separate-stderr "$VMBIN/vmdis" -l -k "$VMLINUX" -M "$d/$sub" "$DUMP" crashmod_level1
		assert_success
		assert_line --index 0 --regexp '^0x[0-9a-f]+ <crashmod_level1>:'
		echo "$sub: $stderr"
		[[ $stderr == *"no source lines: "*"${why[$sub]}"* ]]
		# (the 512 MB that big decompresses to: once is enough)
		[[ $sub == line* || $sub == big ]] && continue
		run --separate-stderr "$VMBIN/vmdis" --file -k "$VMLINUX" -M "$d/$sub" "$DUMP" crashmod_level1
		assert_failure 1
		[ "$(wc -l <<<"$stderr")" -eq 1 ]
	done
}

@test "a source tree that is not this kernel's: said, not a wrong listing" {
	need_vmlinux
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	mkdir -p "$BATS_TEST_TMPDIR/src/kernel/sched"
	seq -f 'line %g' 1 100 >"$BATS_TEST_TMPDIR/src/kernel/sched/core.c"
	run --separate-stderr "$VMBIN/vmdis" --list -k "$VMLINUX" --source "$BATS_TEST_TMPDIR/src" "$DUMP" schedule+0x20
	assert_failure 1
	[[ $stderr == *"has 100 lines, the DWARF names line 6624: not the source of this kernel" ]]
	run --separate-stderr "$VMBIN/vmdis" --list -k "$VMLINUX" --source "$BATS_TEST_TMPDIR/none" "$DUMP" schedule+0x20
	assert_failure 1
	[[ $stderr == *"kernel/sched/core.c"* ]]
}

@test "bad input: one clear line and exit 1 (unknown symbol, data, no function, user space, excluded page)" {
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" no_such_function
	assert_failure 1
	[ "$stderr" = "vmdis: $DUMP: symbol not found: no_such_function" ]
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" crashmod_level2
	assert_failure 1
	[ "$stderr" = "vmdis: $DUMP: symbol not found: crashmod_level2 (possible alternatives: crashmod_level2.constprop.0 [crashmod])" ]
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" init_task
	assert_failure 1
	[[ $stderr == "vmdis: $DUMP: init_task is not a function (D at 0x"* ]]
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" 0x400000
	assert_failure 1
	[ "$stderr" = "vmdis: $DUMP: 0x400000 is a user-space address" ]
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" 0xffffffffc0800000
	assert_failure 1
	[ "$stderr" = "vmdis: $DUMP: 0xffffffffc0800000 is in no function (no symbol at or below it)" ]
	# init code is freed after boot: its pages are free, and -d 31 left them out
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" start_kernel
	assert_failure 1
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	[[ $stderr == *"page at physical address 0x"*" was excluded from the dump" ]]
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" schedule+bad
	assert_failure 1
	run --separate-stderr "$VMBIN/vmdis" "$DUMP" schedule 0
	assert_failure 2
	run --separate-stderr "$VMBIN/vmdis" "$DUMP"
	assert_failure 2
	run --separate-stderr "$VMBIN/vmdis" --list --diff "$DUMP" schedule
	assert_failure 2
}

@test "without a vmlinux: the dump's kallsyms; -l says why there are no lines; --file says there is no file" {
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	run --separate-stderr "$VMBIN/vmdis" -l "$DUMP" schedule 3
	assert_success
	assert_line --index 0 --regexp '^0x[0-9a-f]+ <schedule>:	push   %rbp$'
	[[ $stderr == *"no source lines: "* ]]
	run --separate-stderr "$VMBIN/vmdis" --file "$DUMP" schedule
	assert_failure 1
	[[ $stderr == *"no vmlinux"* ]]
	# the module's code from its own kallsyms, a call into the kernel named
	run "$VMBIN/vmdis" "$DUMP" crashmod_level2.constprop.0
	assert_success
	assert_line --regexp 'call +0x[0-9a-f]+ <_printk>$'
}

@test "--json: one object per instruction with address, symbol, offset, bytes, mnemonic, operands, file, line" {
	need_vmlinux
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	run "$VMBIN/vmdis" --json -l -k "$VMLINUX" "$DUMP" schedule 10
	assert_success
	echo "$output" | "$PY" -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert len(r) == 10, len(r)
for k in ("address", "symbol", "offset", "bytes", "mnemonic", "operands", "file", "line"):
    assert all(k in x for x in r), k
assert r[0]["symbol"] == "schedule" and r[0]["offset"] == 0 and r[0]["bytes"] == "55"
assert r[0]["mnemonic"] == "push" and r[0]["operands"] == "%rbp"
assert r[3]["file"].endswith("kernel/sched/core.c") and r[3]["line"] == 6614, r[3]
assert any(x.get("inlined") for x in r), "inlined calls"'
}

@test "-l -i: the inlined calls each line is in, innermost first" {
	need_vmlinux
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	run "$VMBIN/vmdis" -l --inlines -k "$VMLINUX" "$DUMP" schedule 4
	assert_success
	assert_line --index 0 '/usr/src/linux/./arch/x86/include/asm/current.h: 15'
	# schedule+11 is sched_submit_work()'s "if (task_is_running(tsk))",
	# inlined where schedule() calls it (kernel/sched/core.c, v6.1)
	assert_line --index 4 '/usr/src/linux/kernel/sched/core.c: 6614'
	assert_line --index 5 '    inlined sched_submit_work() into schedule() at /usr/src/linux/kernel/sched/core.c: 6657'
	src=$(linux_tree) || skip "$src"
	[ "$(sed -n 6657p "$src/kernel/sched/core.c")" = "	sched_submit_work(tsk);" ]
}

@test "crash's dis letters: one message naming the spelling here; -M intel is the syntax" {
	need_fixture DUMP x86_64-6.1/oops-module/vmcore.kdump-zlib
	for l in r:--reverse f:--forward s:--function-source S:--source; do
		run --separate-stderr "$VMBIN/vmdis" "-${l%%:*}" "$DUMP" schedule
		assert_failure 2
		[[ $stderr == "vmdis: unknown option -${l%%:*}; crash's -${l%%:*} is ${l#*:} here"* ]]
	done
	run "$VMBIN/vmdis" -M intel "$DUMP" schedule 1
	assert_success
	assert_output --regexp '<schedule>:	push   rbp$'
	run "$VMBIN/vmdis" --syntax att "$DUMP" schedule 1
	assert_output --regexp '<schedule>:	push   %rbp$'
	run --separate-stderr "$VMBIN/vmdis" --syntax arm "$DUMP" schedule 1
	assert_failure 2
}

@test "-h lists every option the man page documents, and the other way round" {
	[ -f "$ROOT/man/vmdis.1" ] || skip "no man page"
	run "$VMBIN/vmdis" -h
	assert_success
	sed 's/\\-/-/g; s/\\f[BIR]//g' "$ROOT/man/vmdis.1" >"$BATS_TEST_TMPDIR/man"
	# the options the page documents: the tags of its .TP paragraphs
	for o in $(awk 'prev == ".TP" && /^\.[BI]R? +-/ { print } { prev = $0 }' "$BATS_TEST_TMPDIR/man" |
			grep -o -- '-[-a-zA-Z]*' | sort -u); do
		grep -q -- "$o" <<<"$output" || { echo "man page option $o missing in -h"; return 1; }
	done
	for o in $(grep -o -- ' --\?[a-zA-Z][-a-z]*' <<<"$output" | sort -u); do
		grep -q -- "$o" "$BATS_TEST_TMPDIR/man" || { echo "$o missing in man page"; return 1; }
	done
}
