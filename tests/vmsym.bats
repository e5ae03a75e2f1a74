#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmsym and the layers under it (address translation, the three symbol
# sources, modules), against crash's `sym` and `vtop` on the same dumps
# (tests/ref/SCN/crash-sym.txt, crash-vtop.txt: tests/ref/make-refs-vmsym.sh)
# and against System.map shifted by the `Kernel Offset:` in serial.log.

load helpers

SCNS="sysrq-c:vmcore.kdump-zstd oops-module:vmcore.kdump-zlib bug-module:vmcore.kdump-snappy"

setup_file() {
	export CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
	mkdir -p "$CACHE"
}

setup() {
	need_prog vmsym
	skip_if_missing x86_64-6.1/System.map
}

# The unit-test drivers of this build (build/tests or build-san/tests).
testbin() {
	if [ "$VMBIN" = "$ROOT/bin" ]; then echo "$ROOT/build/tests/$1"; else echo "${VMBIN%/bin}/tests/$1"; fi
}

dump_of() { # SCN -> dump path
	local s
	for s in $SCNS; do
		if [ "${s%%:*}" = "$1" ]; then echo "$FIX/x86_64-6.1/$1/${s#*:}"; return 0; fi
	done
	return 1
}

slide_of() { # SCN -> KASLR offset the kernel printed (0 for "disabled")
	local v
	v=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\) from.*/\1/p' "$FIX/x86_64-6.1/$1/serial.log")
	echo "${v:-0x0}"
}

# crash-sym.txt: "@@ QUERY" then crash's lines; print the queries crash
# answered (hex ones when $2 = addr, names otherwise), one a line.
ref_queries() { # SCN name|addr
	awk -v want="$2" '
		/^@@ / { q = $2; next }
		q != "" && /^[0-9a-f]+ \(.\) / {
			isaddr = (q ~ /^[0-9a-f]+$/ && length(q) == 16)
			if ((want == "addr") == isaddr && !(q in seen)) { seen[q]; print q }
		}' "$ROOT/tests/ref/$1/crash-sym.txt"
}

# crash's answers in query order, without the file:line crash appends and
# without its trailing blanks.  crash 8.0.2 prints '?' as the type of a
# module's local data symbols; the module's own typetab (kernel
# elf_type()) says d/b/r: those lines are compared without the letter
# (through modq below).
ref_answers() { # SCN name|addr
	awk -v want="$2" '
		/^@@ / { q = $2; next }
		q != "" && /^[0-9a-f]+ \(.\) / {
			isaddr = (q ~ /^[0-9a-f]+$/ && length(q) == 16)
			if ((want == "addr") != isaddr) next
			line = $0
			sub(/ \/[^ ]*: [0-9]+ *$/, "", line); sub(/ +$/, "", line)
			print line
		}' "$ROOT/tests/ref/$1/crash-sym.txt"
}

# Our output with a module's local data type letters as crash prints them.
modq() { sed -E 's/^([0-9a-f]+) \([dbr]\) (.* \[[^]]+\])$/\1 (?) \2/'; }

# System.map's lines for NAMEs (stdin), shifted by the slide, as vmsym
# prints them: "ADDRESS (TYPE) NAME" in address order per name.
map_answers() { # SLIDE < names
	awk -v slide="$1" '
		function hex2num(h,   i, n, c) { n = 0; h = tolower(h)
			for (i = 1; i <= length(h); i++) { c = index("0123456789abcdef", substr(h, i, 1)) - 1; n = n * 16 + c }
			return n }
		NR == FNR { order[++nq] = $1; want[$1]; next }
		($3 in want) { a = $1
			# the image moves by the slide; per-CPU offsets and absolute
			# values below it do not (strtonum-free: compare as text)
			if (a >= "ffffffff80000000") {
				lo = hex2num(substr(a, 9)) + hex2num(substr(slide, 3))
				a = sprintf("ffffffff%08x", lo)
			} else { sub(/^0+/, "", a); if (a == "") a = "0" }
			out[$3] = out[$3] a " (" $2 ") " $3 "\n" }
		END { for (i = 1; i <= nq; i++) printf "%s", out[order[i]] }' - "$FIX/x86_64-6.1/System.map"
}

@test "vmsym: 80+ names per dump (text, data, per-CPU, module) equal crash's sym (default source: the dump's kallsyms)" {
	for s in $SCNS; do
		scn=${s%%:*}
		mapfile -t q < <(ref_queries "$scn" name)
		[ "${#q[@]}" -ge 80 ]
		run -0 vmsym "$(dump_of "$scn")" "${q[@]}"
		# the kernel's kallsyms marks per-CPU symbols 'A' (scripts/kallsyms.c,
		# --absolute-percpu); crash takes the vmlinux's 'D'/'d'
		diff <(ref_answers "$scn" name | sed -E 's/^([0-9a-f]{1,15}) \(.\)/\1 (A)/') \
			<(printf '%s\n' "$output" | modq)
	done
}

@test "vmsym -k: names equal crash's sym on every dump" {
	need_fixture V x86_64-6.1/vmlinux.xz
	for s in $SCNS; do
		scn=${s%%:*}
		mapfile -t q < <(ref_queries "$scn" name)
		run -0 vmsym -k "$V" "$(dump_of "$scn")" "${q[@]}"
		diff <(ref_answers "$scn" name) <(printf '%s\n' "$output" | modq)
	done
}

@test "vmsym -m System.map: names equal crash's sym on every dump" {
	for s in $SCNS; do
		scn=${s%%:*}
		mapfile -t q < <(ref_queries "$scn" name)
		run -0 vmsym -m "$FIX/x86_64-6.1/System.map" "$(dump_of "$scn")" "${q[@]}"
		diff <(ref_answers "$scn" name) <(printf '%s\n' "$output" | modq)
	done
}

@test "vmsym: vmlinux names equal System.map shifted by serial.log's Kernel Offset, all three sources" {
	need_fixture V x86_64-6.1/vmlinux.xz
	for s in $SCNS; do
		scn=${s%%:*}
		# names crash found that are in System.map (not module ones)
		mapfile -t q < <(ref_queries "$scn" name | awk 'NR == FNR { m[$3]; next } ($1 in m)' \
			"$FIX/x86_64-6.1/System.map" -)
		[ "${#q[@]}" -ge 50 ]
		expect=$(printf '%s\n' "${q[@]}" | map_answers "$(slide_of "$scn")")
		run -0 vmsym -k "$V" "$(dump_of "$scn")" "${q[@]}"
		diff <(echo "$expect") <(echo "$output")
		run -0 vmsym -m "$FIX/x86_64-6.1/System.map" "$(dump_of "$scn")" "${q[@]}"
		diff <(echo "$expect") <(echo "$output")
		run -0 vmsym "$(dump_of "$scn")" "${q[@]}"
		diff <(echo "$expect" | sed -E 's/^([0-9a-f]{1,15}) \(.\)/\1 (A)/') <(echo "$output")
	done
}

@test "vmsym ADDRESS: NAME+OFFSET equals crash's sym ADDRESS (decimal offsets); -x prints hex" {
	for s in $SCNS; do
		scn=${s%%:*}
		mapfile -t q < <(ref_queries "$scn" addr)
		[ "${#q[@]}" -ge 20 ]
		run -0 vmsym "$(dump_of "$scn")" "${q[@]}"
		diff <(ref_answers "$scn" addr) <(printf '%s\n' "$output")
	done
	run -0 vmsym -x "$(dump_of oops-module)" ffffffffbd9bede5
	assert_output "ffffffffbd9bede5 (T) schedule+0x5"
}

@test "vmsym: module symbols, addresses and --module equal crash (oops-module)" {
	d=$(dump_of oops-module)
	# crash.txt: "sym crashmod_level2" offers crashmod_level2.constprop.0
	want=$(crash_block x86_64-6.1/oops-module 'sym crashmod_level2' | sed -n 's/^ *\([0-9a-f]* (.) crashmod_level2\.constprop\.0 \[crashmod\]\).*/\1/p' | head -1)
	[ -n "$want" ]
	run -0 vmsym "$d" crashmod_level2.constprop.0
	assert_output "$want"
	run -1 vmsym "$d" crashmod_level2
	assert_output --partial "possible alternatives"
	assert_output --partial "$want"
	# crash's `mod`: BASE of crashmod; every symbol of -s lies in the module
	base=$(crash_block x86_64-6.1/oops-module mod | awk '$2 == "crashmod" { print $3; exit }')
	run -0 vmsym --module crashmod "$d"
	[ "${#lines[@]}" -ge 10 ]
	for l in "${lines[@]}"; do
		[[ $l == *"	[crashmod]" ]]
		[[ ${l%% *} > "$base" || ${l%% *} == "$base" ]]
	done
	# the .ko (-M) agrees with the dump's module symbols
	run -0 vmsym -v -M "$FIX/x86_64-6.1" "$d" crashmod_level1
	assert_output --partial "checked against the dump"
	refute_output --partial "does not match"
	run -1 vmsym --module nosuchmod "$d"
	assert_output --partial "no module nosuchmod"
}

@test "vmsym: crash's unanswered queries (freed __init symbols) are not found here either" {
	d=$(dump_of oops-module)
	run -1 vmsym "$d" crashmod_init
	assert_output --partial "symbol not found: crashmod_init"
}

@test "vmsym --list with -k and -m is System.map shifted by the Kernel Offset, line for line" {
	need_fixture V x86_64-6.1/vmlinux.xz
	for scn in oops-module bug-module; do
		d=$(dump_of "$scn")
		slide=$(slide_of "$scn")
		expect=$BATS_TEST_TMPDIR/map.$scn
		awk -v s="$slide" '
			function hex2num(h,   i, n) { n = 0; h = tolower(h)
				for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
				return n }
			{ a = $1
			  if (a >= "ffffffff80000000") a = sprintf("ffffffff%08x", hex2num(substr(a, 9)) + hex2num(substr(s, 3)))
			  print a, $2, $3 }' "$FIX/x86_64-6.1/System.map" >"$expect"
		vmsym --list -k "$V" "$d" 2>/dev/null | grep -v '	\[' >"$BATS_TEST_TMPDIR/k"
		cmp "$expect" "$BATS_TEST_TMPDIR/k"
		vmsym --list -m "$FIX/x86_64-6.1/System.map" "$d" 2>/dev/null | grep -v '	\[' >"$BATS_TEST_TMPDIR/m"
		cmp "$expect" "$BATS_TEST_TMPDIR/m"
	done
}

@test "vmsym --list: the dump's kallsyms give the vmlinux's symbols at the same addresses" {
	need_fixture V x86_64-6.1/vmlinux.xz
	d=$(dump_of sysrq-c)
	vmsym --list "$d" 2>/dev/null | grep -v '	\[' | awk '{ print $1, $3 }' | sort >"$BATS_TEST_TMPDIR/ks"
	vmsym --list -k "$V" "$d" 2>/dev/null | grep -v '	\[' | awk '{ print $1, $3 }' | sort >"$BATS_TEST_TMPDIR/k"
	n=$(wc -l <"$BATS_TEST_TMPDIR/ks")
	[ "$n" -ge 100000 ]
	# every kallsyms symbol is in the vmlinux at the same address
	[ "$(comm -23 "$BATS_TEST_TMPDIR/ks" "$BATS_TEST_TMPDIR/k" | wc -l)" -eq 0 ]
	# and kallsyms lacks only its own tables and absolute symbols
	missing=$(comm -13 "$BATS_TEST_TMPDIR/ks" "$BATS_TEST_TMPDIR/k" | awk '{ print $2 }')
	[ "$(echo "$missing" | grep -cv -e '^kallsyms_' -e '^phys_startup_64$' -e '^text_size$' \
		-e '^init_per_cpu__' -e '^kexec_control_code_size$')" -eq 0 ]
}

@test "vmsym -q: substring search; --json records" {
	d=$(dump_of oops-module)
	run -0 vmsym -q crashmod_level "$d"
	assert_line --regexp '^[0-9a-f]+ \(t\) crashmod_level1 \[crashmod\]$'
	assert_line --regexp '^[0-9a-f]+ \(t\) crashmod_level2\.constprop\.0 \[crashmod\]$'
	run -0 vmsym --json "$d" schedule
	assert_output --regexp '^\{"query":"schedule","address":"0xffffffffbd9bede0","type":"T","name":"schedule",.*"module":null\}$'
	run -1 vmsym -q no_such_symbol_anywhere "$d"
}

@test "vmsym: usage errors exit 2, unknown symbol exits 1 but prints the others" {
	run -2 vmsym
	run -2 vmsym "$(dump_of oops-module)"
	run -2 vmsym --list -q x "$(dump_of oops-module)"
	run -1 vmsym "$(dump_of oops-module)" schedule no_such_symbol
	assert_line --index 0 "ffffffffbd9bede0 (T) schedule"
	assert_output --partial "symbol not found: no_such_symbol"
}

wrong_vmlinux() { # KIND (buildid|banner) -> path of a vmlinux copy altered so
	# (stripped of DWARF to keep the cache small; .symtab and .notes stay)
	local V out tmp
	V=$(fixture x86_64-6.1/vmlinux.xz)
	out=$CACHE/vmsym-wrong-$1-vmlinux
	if [ ! -s "$out" ]; then
		tmp=$out.tmp.$$
		objcopy --strip-debug "$V" "$tmp"
		if [ "$1" = buildid ]; then
			# flip the first byte of the NT_GNU_BUILD_ID descriptor
			off=$(readelf -W -S "$tmp" | sed -n 's/.* \.notes  *NOTE  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
			[ -n "$off" ] || return 1
			off=$((16#$off))
			b=$(od -An -tx1 -j $((off + 16)) -N1 "$tmp" | tr -d ' ')
			printf "\\x$(printf %02x $((0x$b ^ 0xff)))" | dd of="$tmp" bs=1 seek=$((off + 16)) conv=notrunc status=none
		else
			# another release in every banner ("6.1.192" -> "6.1.193")
			offs=$(grep -obUa 'Linux version 6\.1\.192 (' "$tmp" | cut -d: -f1)
			[ -n "$offs" ] || return 1
			for off in $offs; do
				printf 3 | dd of="$tmp" bs=1 seek=$((off + 20)) conv=notrunc status=none
			done
		fi
		mv -f "$tmp" "$out"
	fi
	echo "$out"
}

@test "vmsym -k with a vmlinux of another build: clear refusal, exit 1" {
	need_cmd objcopy
	W=$(wrong_vmlinux buildid)
	run -1 vmsym -k "$W" "$(dump_of oops-module)" schedule
	assert_output --regexp "does not belong to this dump: its build-id is [0-9a-f]+, the dump's kernel has c9de8b73bde740e2c3222290d6f236152834fdf0"
	refute_output --partial "(T) schedule"
	# crashmod.ko is no vmlinux either
	run -1 vmsym -k "$FIX/x86_64-6.1/crashmod.ko" "$(dump_of oops-module)" schedule
	assert_output --partial "does not belong to this dump"
}

@test "vmsym -k without VMCOREINFO: KASLR found from linux_banner; a wrong banner is refused" {
	need_cmd objcopy
	need_fixture Q x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_fixture V x86_64-6.1/vmlinux.xz
	run -0 vmsym -v -o novmcoreinfo -k "$V" "$Q" schedule
	assert_line "ffffffffbd9bede0 (T) schedule"
	assert_output --partial "slide 0x3bc00000 found from linux_banner"
	run -0 vmsym -o novmcoreinfo -m "$FIX/x86_64-6.1/System.map" "$Q" schedule
	assert_line "ffffffffbd9bede0 (T) schedule"
	W=$(wrong_vmlinux banner)
	run -1 vmsym -o novmcoreinfo -k "$W" "$Q" schedule
	assert_output --partial "does not belong to this dump"
	assert_output --partial "linux_banner"
	# -o kaslr= overrides when nothing else says it
	run -0 vmsym -o novmcoreinfo -o kaslr=0x3bc00000 -m "$FIX/x86_64-6.1/System.map" "$Q" schedule
	assert_line "ffffffffbd9bede0 (T) schedule"
}

@test "vmsym: a vmlinux next to the dump is found; a wrong one there is skipped" {
	need_fixture V x86_64-6.1/vmlinux.xz
	dir=$BATS_TEST_TMPDIR/d
	mkdir -p "$dir"
	ln -s "$(dump_of oops-module)" "$dir/vmcore"
	ln -s "$V" "$dir/vmlinux"
	run -0 vmsym -v "$dir/vmcore" schedule
	assert_output --partial "vmlinux: $dir/vmlinux (found; build-id c9de8b73"
	assert_line "ffffffffbd9bede0 (T) schedule"
	need_cmd objcopy
	rm "$dir/vmlinux"
	ln -s "$(wrong_vmlinux buildid)" "$dir/vmlinux"
	run -0 vmsym -v "$dir/vmcore" schedule
	assert_output --partial "skipped: $dir/vmlinux does not belong to this dump"
	assert_output --partial "symbols: kallsyms from the dump"
	assert_line "ffffffffbd9bede0 (T) schedule"
}

@test "address translation: 1000 addresses per dump equal crash's vtop (image, direct map, vmalloc, module)" {
	vt=$(testbin vtopcheck)
	[ -x "$vt" ] || skip "vtopcheck not built"
	for s in $SCNS; do
		scn=${s%%:*}
		ref=$ROOT/tests/ref/$scn/crash-vtop.txt
		[ "$(grep -vc '^#' "$ref")" -eq 1000 ]
		diff <(grep -v '^#' "$ref") <("$vt" "$(dump_of "$scn")" <"$ref" 2>/dev/null)
	done
}

@test "address translation: the QEMU ELF, with and without VMCOREINFO (CR3 walk), equals crash's vtop" {
	vt=$(testbin vtopcheck)
	[ -x "$vt" ] || skip "vtopcheck not built"
	need_fixture Q x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	ref=$ROOT/tests/ref/oops-module/crash-vtop.txt
	diff <(grep -v '^#' "$ref") <("$vt" "$Q" <"$ref" 2>/dev/null)
	run "$vt" "$Q" novmcoreinfo <"$ref"
	assert_output --partial "CR3 in the QEMU CPU note"
	diff <(grep -v '^#' "$ref") <("$vt" "$Q" novmcoreinfo <"$ref" 2>/dev/null)
}

@test "registers: NT_PRSTATUS + QEMU notes equal qemu-info-registers.txt" {
	vt=$(testbin vtopcheck)
	[ -x "$vt" ] || skip "vtopcheck not built"
	for s in $SCNS; do
		scn=${s%%:*}
		info=$FIX/x86_64-6.1/$scn/qemu-info-registers.txt
		run -0 "$vt" "$(dump_of "$scn")" regs </dev/null
		for cpu in 0 1; do
			for r in RIP RSP RBP RAX CR3; do
				want=$(awk -v c="CPU#$cpu" -v r="$r" '
					{ sub(/\r$/, "") }
					$0 == c { on = 1; next } /^CPU#/ { on = 0 }
					on { for (i = 1; i <= NF; i++) if (index($i, r "=") == 1) { v = substr($i, length(r) + 2); sub(/^0+/, "", v); print (v == "" ? "0" : v); exit } }' "$info")
				[ -n "$want" ]
				assert_line --regexp "^cpu $cpu .* $(echo "$r" | tr A-Z a-z)=$want( |\$)"
			done
		done
	done
}

@test "vmsym --list on the arm64 dump (kallsyms only: no vmlinux exists) equals its live /proc/kallsyms" {
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib arm64-6.1-debian/kallsyms.full.txt.zst
	need_cmd zstd
	A=$FIX/arm64-6.1-debian
	# the kernel's own symbols (module lines end in "[module]"; a symbol the
	# library found in memory is marked "(derived)", not a kallsyms line)
	zstd -dc "$A/kallsyms.full.txt.zst" | awk '!/\[/ { print $1, $2, $3 }' | sort >"$BATS_TEST_TMPDIR/ref"
	vmsym --list "$A/vmcore.qemu-kdump-zlib" 2>/dev/null | grep -v '	\[' | grep -v ' (derived)$' | sort >"$BATS_TEST_TMPDIR/ours"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/ref")" -ge 50000 ]
	cmp "$BATS_TEST_TMPDIR/ref" "$BATS_TEST_TMPDIR/ours"
	# serial.log's ground truth: schedule
	want=$(awk '/=== GT kallsyms ===/ { on = 1; next } on && $3 == "schedule" { print $1; exit }' "$A/serial.log")
	run -0 vmsym "$A/vmcore.qemu-kdump-zlib" schedule
	assert_output "$want (T) schedule"
}

@test "user addresses: each task's arguments through its mm's page table (QEMU ELF) name its comm" {
	vt=$(testbin vtopcheck)
	[ -x "$vt" ] || skip "vtopcheck not built"
	need_fixture Q x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	ref=$ROOT/tests/ref/oops-module/drgn-user.txt
	[ "$(grep -vc '^#' "$ref")" -ge 5 ]
	run -0 --separate-stderr "$vt" "$Q" < <(grep -v "^#" "$ref" | awk "{ print \"u\", \$3, \$4, \$5 }")
	n=0
	while read -r pid comm pgd va len; do
		[[ $pid == \#* ]] && continue
		line=${lines[n]}
		n=$((n + 1))
		[ "${line%% *}" = "$va" ]
		# the comm is the base name of argv[0], or of argv[1] for a script
		args=${line#* }
		found=0
		for a in $args; do [ "${a##*/}" = "$comm" ] && found=1; done
		[ "$found" = 1 ] || { echo "pid $pid: comm $comm not in args '$args'"; false; }
	done <"$ref"
}
