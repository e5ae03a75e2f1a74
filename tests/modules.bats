#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The loaded modules (vmsym --lsmod, crash's mod), SYMBOL+OFFSET, the
# symbols found in memory on a text-only kallsyms, and module types from
# the dump alone -- with no option but the dump, against:
#   - crash's `mod` line in x86_64-6.1/SCN/crash.txt (MODULE NAME BASE
#     SIZE), the oops's "Modules linked in: crashmod(O)", readelf -n on the
#     fixture's crashmod.ko (build-id), "FIXTURE-MARKER-4 crashmod loaded"
#     (printed after insmod returned: Live);
#   - the guest's /proc/modules ("=== GT modules ===" in serial.log) of
#     every fixture that has it: the arm64 one and the kernel-span ones
#     under tests/fixtures (each module's name, size, state, base, taints,
#     and no other module);
#   - crash's `struct crashmod_state -o` and `p crashmod_state` in
#     crash.txt (made with the .ko's DWARF), for the types the module's
#     own BTF in the dump gives;
#   - vmbt's own frames for SYMBOL+OFFSET, vmps's PID 0 for init_task.
# Damage: the module list broken in a copy of the dump.

load helpers

X86="oops-module:vmcore.kdump-zlib bug-module:vmcore.kdump-snappy sysrq-c:vmcore.kdump-zstd"
KFIX=$ROOT/tests/fixtures

setup() {
	need_prog vmsym
}

# The fixtures whose serial.log has the guest's /proc/modules, one dump
# path a line; packed QEMU dumps are unpacked once into the fixture cache.
gt_dumps() {
	local dir f out cache=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
	for dir in "$FIX"/*/ "$FIX"/*/*/ "$KFIX"/*/; do
		[ -f "$dir/serial.log" ] && grep -q '^=== GT modules ===' "$dir/serial.log" || continue
		for f in "$dir"vmcore*; do
			[ -f "$f" ] || continue
			case $f in
			*.zst)
				out=$cache/$(sha256sum "$f" | cut -c1-16)-$(basename "$(dirname "$f")")-vmcore.qemu.elf
				if [ ! -s "$out" ]; then
					mkdir -p "$cache" && zstd -qdc "$f" > "$out.tmp.$$" &&
						mv -f "$out.tmp.$$" "$out" || continue
				fi
				echo "$dir $out" ;;
			*.xz) ;;
			*) echo "$dir $f" ;;
			esac
		done
	done
}

@test "vmsym --lsmod: crashmod as crash's mod (MODULE NAME BASE SIZE), Live, taints O, the .ko's build-id" {
	local s scn d want bid n=0 a b c sz st tn id obj
	bid=$(readelf -n "$FIX/x86_64-6.1/crashmod.ko" 2>/dev/null | sed -n 's/.*Build ID: *//p')
	[ -n "$bid" ] || skip "readelf or crashmod.ko missing"
	for s in $X86; do
		scn=${s%%:*} d=$FIX/x86_64-6.1/$scn/${s#*:}
		[ -f "$d" ] || continue
		want=$(crash_block "x86_64-6.1/$scn" mod | awk '/^[0-9a-f]+ +crashmod /{print $1, $2, $3, $4; exit}')
		[ -n "$want" ] || fail "$scn: no mod line in crash.txt"
		grep -q 'FIXTURE-MARKER-4 crashmod loaded' "$FIX/x86_64-6.1/$scn/serial.log" ||
			fail "$scn: the module was not loaded when the dump was taken"
		run --separate-stderr "$VMBIN/vmsym" --lsmod "$d"
		assert_success
		[[ ${lines[0]} == *MODULE*NAME*BASE*SIZE*STATE*TAINTS*BUILD-ID*"OBJECT FILE" ]]
		[ "${#lines[@]}" -eq 2 ] || fail "$scn: $output"
		read -r a b c sz st tn id obj <<< "${lines[1]}"
		[ "$a $b $c $sz" = "$want" ] || fail "$scn: '$a $b $c $sz', crash: '$want'"
		[ "$st $tn $id $obj" = "Live O $bid -" ] || fail "$scn: ${lines[1]}"
		# the oops's own word for the taints, where the oops printed it
		if grep -q 'Modules linked in: crashmod(O)' "$FIX/x86_64-6.1/$scn/serial.log"; then
			[ "$tn" = O ]
		fi
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || skip "no x86 fixture"
}

@test "vmsym --lsmod: every fixture's modules as the guest's /proc/modules (name, size, state, base, taints)" {
	local line dir d n=0
	while read -r dir d; do
		run --separate-stderr "$VMBIN/vmsym" --lsmod -H "$d"
		assert_success
		# /proc/modules: name size refcnt deps state address [(taints)]
		run diff <(awk '/^=== GT modules ===/ { on = 1; next } on && /^=== / { exit }
				on { t = $7; gsub(/[()]/, "", t); print $1, $2, $5, $6, (t == "" ? "-" : t) }' \
				"$dir/serial.log" | sort) \
			 <(printf '%s\n' "${lines[@]}" | awk '{ print $2, $4, $5, "0x" $3, $6 }' | sort)
		[ "$status" -eq 0 ] || fail "$d: $output"
		n=$((n + 1))
	done < <(gt_dumps)
	[ "$n" -gt 0 ] || skip "no fixture with the guest's /proc/modules"
}

@test "vmsym --lsmod on the 5.10 fixture: every module of crash's mod there (MODULE NAME BASE SIZE)" {
	local dir=$KFIX/x86_64-5.10
	skip_if_missing "$dir/vmcore.kdump-zlib" "$dir/crash.txt"
	run -0 "$VMBIN/vmsym" --lsmod -H "$dir/vmcore.kdump-zlib"
	run diff <(awk '/^crash> mod$/ { on = 1; next } on && /^crash> / { exit }
			on && /^[0-9a-f]+ / { print $1, $2, $3, $4 }' "$dir/crash.txt" | sort) \
		 <(printf '%s\n' "${lines[@]}" | awk '{ print $1, $2, $3, $4 }' | sort)
	[ "$status" -eq 0 ] || fail "$output"
}

@test "vmsym --lsmod --json: one record per module, the same values" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	need_cmd jq
	run --separate-stderr "$VMBIN/vmsym" --lsmod --json "$d"
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r '[.name, .base, .size, .state, .taints, (.regions | length)] | @tsv' <<< "$output")" = \
	  "$(printf 'crashmod\t0xffffffffc012c000\t16384\tLive\tO\t1')" ]
}

@test "vmsym --lsmod -o textonly: the module list found in memory gives the same table" {
	local s d
	for s in $X86; do
		d=$FIX/x86_64-6.1/${s%%:*}/${s#*:}
		[ -f "$d" ] || continue
		run -0 "$VMBIN/vmsym" --lsmod "$d"
		local want=$output
		run -0 "$VMBIN/vmsym" --lsmod -o textonly -o nocache "$d"
		[ "$output" = "$want" ] || fail "$d: $output"
	done
}

@test "vmsym SYMBOL+OFFSET: every frame of the panic task's vmbt -s line as its address" {
	local s d frames n=0
	need_prog vmbt
	for s in $X86; do
		d=$FIX/x86_64-6.1/${s%%:*}/${s#*:}
		[ -f "$d" ] || continue
		# one vmsym for all frames, each line's ADDRESS in order (its name
		# may differ: a return address past a noreturn call's function is
		# named by vmbt after the call, by vmsym after the address)
		frames=$("$VMBIN/vmbt" -s "$d" | awk '/^ *#[0-9]+ \[/ && $3 ~ /\+/ { print $3, $5 }')
		run -0 "$VMBIN/vmsym" "$d" $(awk '{ print $1 }' <<< "$frames")
		run diff <(printf '%s\n' "${lines[@]}" | awk '{ print $1 }') <(awk '{ print $2 }' <<< "$frames")
		[ "$status" -eq 0 ] || fail "$d: $output"
		n=$((n + $(wc -l <<< "$frames")))
	done
	[ "$n" -gt 5 ] || skip "no x86 fixture"
}

@test "vmsym SYMBOL+OFFSET: bad offsets and unknown symbols, exit 1 with the reason" {
	local d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$d"
	run --separate-stderr "$VMBIN/vmsym" "$d" schedule+x
	assert_failure 1
	[[ $stderr == *"schedule+x: bad offset"* ]]
	run --separate-stderr "$VMBIN/vmsym" "$d" no_such_symbol_here+4
	assert_failure 1
	[[ $stderr == *"no_such_symbol_here"* ]]
}

@test "arm64, text-only kallsyms: init_task, modules, runqueues '(derived)', init_task = vmps's swapper/0" {
	local d=$FIX/arm64-6.1-debian/vmcore.qemu-kdump-zlib
	skip_if_missing "$d"
	need_prog vmps
	run -0 "$VMBIN/vmsym" "$d" init_task modules runqueues
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} == *" (D) init_task (derived)" ]]
	[[ ${lines[1]} == *" (D) modules (derived)" ]]
	[[ ${lines[2]} == *" (d) runqueues (derived)" ]]
	[ "${lines[0]%% *}" = "$("$VMBIN/vmps" -H "$d" | sed 's/^>/ /' | awk '$1 == 0 && $3 == 0 { print $4; exit }')" ]
	run -0 "$VMBIN/vmsym" --list "$d"
	[ "$(grep -c ' (derived)$' <<< "$output")" -eq 4 ]
}

@test "vmstruct: crashmod's types from its own BTF in the dump, no .ko: crash's struct -o and p" {
	local s scn d want
	need_prog vmstruct
	for s in $X86; do
		scn=${s%%:*} d=$FIX/x86_64-6.1/$scn/${s#*:}
		[ -f "$d" ] || continue
		run -0 "$VMBIN/vmstruct" -s "$d" crashmod_state
		want=$(awk '/^struct crashmod_state \{$/ { on = 1 } on { print } on && /^SIZE:/ { exit }' \
			"$FIX/x86_64-6.1/$scn/crash.txt")
		[ "$output" = "$want" ] || fail "$scn: $output"
		# the value: crash's "crashmod_state = $1 = {" block, ours after
		# "struct crashmod_state "
		run -0 "$VMBIN/vmstruct" "$d" crashmod_state crashmod_state
		want=$(awk '/^crashmod_state = \$[0-9]+ = \{$/ { on = 1; print "{"; next }
			on { print } on && /^\}$/ { exit }' "$FIX/x86_64-6.1/$scn/crash.txt")
		[ "${output#struct crashmod_state }" = "$want" ] || fail "$scn: $output"
	done
}

# ---- module source lines (-M DIR): the .ko placed where it was loaded ----

# FILE:LINE addr2line gives for FUNCTION+OFF of the .ko (its symbol's
# section-relative value plus OFF, in that section)
ko_line() { # KO FUNCTION OFF
	local val ndx sec
	read -r val ndx < <(readelf -sW "$1" | awk -v f="$2" '$8 == f && $4 == "FUNC" { print $2, $7; exit }')
	[ -n "$val" ] || return 1
	sec=$(readelf -SW "$1" | sed 's/^ *\[ *//' | awk -v n="$ndx]" '$1 == n { print $2 }')
	addr2line -e "$1" -j "$sec" "$(printf '0x%x' $((0x$val + $3)))"
}

# "FUNCTION OFF RET FILE:LINE" for each crashmod frame of vmbt -s -l
# output (the exception RIP's too: RET 0, its own line), FILE:LINE "-"
# when none followed
mod_frames() {
	awk 'function flush() { if (pend != "") print pend, "-"; pend = "" }
	/^ *#[0-9]+ \[/ { flush(); if ($NF == "[crashmod]") { split($3, a, "+"); pend = a[1] " " a[2] " 1" }; next }
	/^    \[exception [A-Z]+: crashmod/ { flush(); f = $3; sub(/\]$/, "", f); split(f, a, "+"); pend = a[1] " " a[2] " 0"; next }
	/^    \/.*: [0-9]+$/ { if (pend != "") { sub(/^ +/, ""); sub(/: /, ":"); print pend, $0; pend = "" } }
	END { flush() }'
}

@test "vmbt -l -M: under every crashmod frame the line addr2line gives on the .ko at the frame's offset (the call's, pc - 1)" {
	local ko=$FIX/x86_64-6.1/crashmod.ko s d fn off ret got want n=0
	skip_if_missing "$ko"
	need_cmd addr2line
	need_prog vmbt
	for s in $X86; do
		d=$FIX/x86_64-6.1/${s%%:*}/${s#*:}
		[ -f "$d" ] || continue
		while read -r fn off ret got; do
			want=$(ko_line "$ko" "$fn" $((off - ret)))
			[ "$got" = "$want" ] || fail "$d: $fn+$off: '$got', addr2line: '$want'"
			n=$((n + 1))
		done < <("$VMBIN/vmbt" -s -l -M "$FIX/x86_64-6.1" "$d" 2>/dev/null | mod_frames)
	done
	# oops-module and bug-module: level2's RIP, level1, crashmod_write(.cold)
	[ "$n" -ge 4 ] || fail "only $n crashmod frames"
}

@test "vmsym -l -M: SYMBOL+OFF of crashmod as addr2line on the .ko; without the .ko no line and one warning" {
	local ko=$FIX/x86_64-6.1/crashmod.ko d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib q fn off
	skip_if_missing "$ko" "$d"
	need_cmd addr2line
	for q in crashmod_level1+4 crashmod_write.cold+8 crashmod_level2.constprop.0+19; do
		fn=${q%+*} off=${q##*+}
		run -0 "$VMBIN/vmsym" -l -M "$FIX/x86_64-6.1" "$d" "$q"
		[ "${output##* }" = "$(ko_line "$ko" "$fn" "$off" | sed 's/:/: /' | awk '{ print $2 }')" ] &&
			[[ $output == *" $(ko_line "$ko" "$fn" "$off" | sed 's/:.*//'):"* ]] || fail "$q: $output"
	done
	run --separate-stderr "$VMBIN/vmsym" -l -M "$BATS_TEST_TMPDIR" "$d" crashmod_level1+4 crashmod_level1
	assert_success
	[ "${#lines[@]}" -eq 2 ] && [[ ${lines[0]} == *"crashmod_level1+4 [crashmod]" ]] || fail "$output"
	[ "$(grep -c 'no crashmod.ko' <<< "$stderr")" -eq 1 ] || fail "$stderr"
}

# flipped_ko DIR: DIR/crashmod.ko, the fixture's with its build-id's last
# byte flipped (the note: 12 bytes of header, "GNU\0", then the id); BID
# is set to the real one, the loaded module's
flipped_ko() {
	local ko=$FIX/x86_64-6.1/crashmod.ko off
	BID=$(readelf -n "$ko" | sed -n 's/.*Build ID: *//p')
	[ -n "$BID" ]
	mkdir -p "$1"
	cp "$ko" "$1/crashmod.ko"
	off=$(readelf -SW "$ko" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == ".note.gnu.build-id" { print $4 }')
	[ -n "$off" ]
	off=$((0x$off + 16))
	printf "\\x$(printf '%02x' $(( 0x${BID: -2} ^ 0xff )))" |
		dd of="$1/crashmod.ko" bs=1 seek=$((off + ${#BID} / 2 - 1)) conv=notrunc status=none
}

@test "vmbt -l -M: a crashmod.ko whose build-id is not the loaded module's is refused, said once, no module lines" {
	local ko=$FIX/x86_64-6.1/crashmod.ko d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	skip_if_missing "$ko" "$d"
	flipped_ko "$BATS_TEST_TMPDIR/m"
	run --separate-stderr "$VMBIN/vmbt" -s -l -M "$BATS_TEST_TMPDIR/m" "$d"
	[ "$(grep -c "build-id .*the loaded crashmod has $BID" <<< "$stderr")" -eq 1 ] || fail "$stderr"
	[ "$(mod_frames <<< "$output" | wc -l)" -ge 3 ] || fail "$output"
	[ -z "$(mod_frames <<< "$output" | awk '$4 != "-"')" ] || fail "$output"
}

@test "vmstruct -M: the .ko's DWARF types only when it is the loaded module; a changed build-id is refused once, the types from the module's BTF (crash's struct -o)" {
	local ko=$FIX/x86_64-6.1/crashmod.ko d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib want
	skip_if_missing "$ko" "$d"
	need_prog vmstruct
	want=$(awk '/^struct crashmod_state \{$/ { on = 1 } on { print } on && /^SIZE:/ { exit }' \
		"$FIX/x86_64-6.1/oops-module/crash.txt")
	# the right file: its DWARF gives the type
	run --separate-stderr "$VMBIN/vmstruct" -v -s -M "$FIX/x86_64-6.1" "$d" crashmod_state
	assert_success
	[ "$output" = "$want" ] || fail "$output"
	[[ $stderr == *"types: DWARF of $ko "*"(build-id $(readelf -n "$ko" | sed -n 's/.*Build ID: *//p'))"* ]] ||
		fail "$stderr"
	# compressed as distributions ship modules: the same DWARF, read out
	# of the .ko.xz / .ko.zst (not the module's BTF)
	local z
	for z in xz zst; do
		mkdir -p "$BATS_TEST_TMPDIR/$z"
		case $z in
		xz) xz -c "$ko" > "$BATS_TEST_TMPDIR/$z/crashmod.ko.xz" ;;
		zst) zstd -q -c "$ko" > "$BATS_TEST_TMPDIR/$z/crashmod.ko.zst" ;;
		esac
		run --separate-stderr "$VMBIN/vmstruct" -v -s -M "$BATS_TEST_TMPDIR/$z" "$d" crashmod_state
		assert_success
		[ "$output" = "$want" ] || fail "$z: $output"
		[[ $stderr == *"types: DWARF of $BATS_TEST_TMPDIR/$z/crashmod.ko.$z "* ]] || fail "$z: $stderr"
	done
	# another build-id: refused, said once, not read for types
	flipped_ko "$BATS_TEST_TMPDIR/m"
	run --separate-stderr "$VMBIN/vmstruct" -v -s -M "$BATS_TEST_TMPDIR/m" "$d" crashmod_state
	assert_success
	[ "$output" = "$want" ] || fail "$output"
	[ "$(grep -c "$BATS_TEST_TMPDIR/m/crashmod.ko: build-id [0-9a-f]*, the loaded crashmod has $BID; not used" <<< "$stderr")" -eq 1 ] ||
		fail "$stderr"
	[[ $stderr != *"DWARF of $BATS_TEST_TMPDIR/m/crashmod.ko"* ]] || fail "$stderr"
	[[ $stderr == *"types: BTF of module crashmod"* ]] || fail "$stderr"
	# without -v the refusal alone
	run --separate-stderr "$VMBIN/vmstruct" -M "$BATS_TEST_TMPDIR/m" "$d" crashmod_state crashmod_state
	assert_success
	[ "${#stderr_lines[@]}" -eq 1 ] && [[ ${stderr_lines[0]} == "vmstruct: module crashmod: "*"the loaded crashmod has $BID; not used" ]] ||
		fail "$stderr"
}

@test "without -M: crashmod.ko found under VMCOREUTILS_DEBUG_ROOT's usr/lib/debug/lib/modules/R before lib/modules/R's stripped copy: vmbt -l lines as addr2line, vmstruct its DWARF" {
	local ko=$FIX/x86_64-6.1/crashmod.ko d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
	local R=$BATS_TEST_TMPDIR/root rel fn off ret got want n=0
	skip_if_missing "$ko" "$d"
	need_cmd addr2line
	need_cmd strip
	need_prog vmstruct
	rel=$(strings "$d" | sed -n 's/^OSRELEASE=//p' | head -1)
	[ -n "$rel" ]
	# as distributions install them: the stripped module (no DWARF, same
	# build-id) and the debug package's
	mkdir -p "$R/lib/modules/$rel/updates" "$R/usr/lib/debug/lib/modules/$rel/extra/misc"
	strip --strip-debug -o "$R/lib/modules/$rel/updates/crashmod.ko" "$ko"
	! readelf -SW "$R/lib/modules/$rel/updates/crashmod.ko" | grep -q debug_line
	cp "$ko" "$R/usr/lib/debug/lib/modules/$rel/extra/misc/crashmod.ko"
	export VMCOREUTILS_DEBUG_ROOT=$R
	while read -r fn off ret got; do
		want=$(ko_line "$ko" "$fn" $((off - ret)))
		[ "$got" = "$want" ] || fail "$fn+$off: '$got', addr2line: '$want'"
		n=$((n + 1))
	done < <("$VMBIN/vmbt" -s -l "$d" 2>/dev/null | mod_frames)
	[ "$n" -ge 3 ] || fail "only $n crashmod frames with lines"
	run --separate-stderr "$VMBIN/vmstruct" -v -s "$d" crashmod_state
	assert_success
	[[ $stderr == *"types: DWARF of $R/usr/lib/debug/lib/modules/$rel/extra/misc/crashmod.ko "* ]] ||
		fail "$stderr"
	# the stripped copy alone: found, but no line table in it
	rm "$R/usr/lib/debug/lib/modules/$rel/extra/misc/crashmod.ko"
	run --separate-stderr "$VMBIN/vmbt" -s -l "$d"
	[ -z "$(mod_frames <<< "$output" | awk '$4 != "-"')" ] || fail "$output"
	[[ $stderr == *"$R/lib/modules/$rel/updates/crashmod.ko"* ]] || fail "$stderr"
	# nothing under the root: the directories searched are named
	rm "$R/lib/modules/$rel/updates/crashmod.ko"
	run --separate-stderr "$VMBIN/vmsym" -l "$d" crashmod_level1+4
	assert_success
	[[ $stderr == *"no crashmod.ko (or .ko.xz, .ko.zst, .ko.gz) under $R/usr/lib/debug/lib/modules/$rel or $R/lib/modules/$rel"* ]] ||
		fail "$stderr"
}

@test "-M DIR: links to directories are not followed (loops; /lib/modules/R/build points out of the tree), the .ko nearest the top is taken" {
	local ko=$FIX/x86_64-6.1/crashmod.ko d=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib m=$BATS_TEST_TMPDIR/m i
	skip_if_missing "$ko" "$d"
	need_cmd addr2line
	# the same file deeper down, loops to the top beside it
	mkdir -p "$m/kernel/extra"
	cp "$ko" "$m/kernel/extra/crashmod.ko"
	cp "$ko" "$m/crashmod.ko"
	BID=$(readelf -n "$ko" | sed -n 's/.*Build ID: *//p')
	for i in 1 2 3 4 5 6; do ln -s .. "$m/kernel/loop$i"; done
	ln -s "$m" "$m/build"
	run --separate-stderr "$VMBIN/vmsym" -v -l -M "$m" "$d" crashmod_level1+4
	assert_success
	[ "${output##* }" = "$(ko_line "$ko" crashmod_level1 4 | sed 's/.*://')" ] || fail "$output"
	[[ $stderr == *"modules: crashmod: $m/crashmod.ko (build-id $BID)"* ]] || fail "$stderr"
	[[ $stderr != *loop* && $stderr != *"$m/build"* ]] || fail "$stderr"
}

# ---- damage: a copy of the uncompressed (raw kdump) dump with crashmod's
# list pointer overwritten at the file offset build/tests/kvaddr2off finds

K2O=${O:-build}
case $K2O in /*) ;; *) K2O=$ROOT/$K2O ;; esac
K2O=${KVADDR2OFF:-$K2O/tests/kvaddr2off}

poke() { # FILE OFFSET HEX64
	local le
	le=$(printf '%16s' "$3" | tr ' ' 0 | sed 's/../& /g' | awk '{ for (i = NF; i > 0; i--) printf "\\x%s", $i }')
	printf "$le" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

@test "damaged module list: a list pointer into unmapped memory is an error naming it; symbols still answer" {
	local raw bad off val mod
	[ -x "$K2O" ] || skip "$K2O not built"
	need_fixture raw derive:raw
	bad=$BATS_TEST_TMPDIR/bad.raw
	cp "$raw" "$bad"
	mod=$("$VMBIN/vmsym" --lsmod -H "$raw" | awk '{ print $1; exit }')
	[ -n "$mod" ]
	read -r off val < <("$K2O" "$bad" "$mod" module list)
	poke "$bad" "$off" ffffdead00000000
	run --separate-stderr timeout 20 "$VMBIN/vmsym" --lsmod "$bad"
	assert_failure 1
	[[ $stderr == *"module list"* && $stderr == *"ffffdead00000000"* ]] || fail "$stderr"
	run --separate-stderr timeout 20 "$VMBIN/vmsym" "$bad" schedule
	assert_success
	# textonly: the list is looked for in memory and not taken broken
	run --separate-stderr timeout 20 "$VMBIN/vmsym" --lsmod -o textonly -o nocache "$bad"
	assert_failure 1
	[[ $stderr == *"no list of modules"* ]] || fail "$stderr"
}
