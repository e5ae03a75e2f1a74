#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Corrupted kernel structures: a copy of a real dump whose pages are stored
# as they are (`tests/fixture.sh derive:raw`, the QEMU ELF) gets damaged
# VMCOREINFO, page-table entries, task-list pointers and printk ring
# fields, found by $O/tests/kfind (through the library: symbols, member
# offsets, vm_kvtop, then the page's place in the file).  Every program in
# $VMBIN runs on each damaged copy with its default arguments (and -o
# nocache: the symbols and types cached per build-id would hide damage to
# them, and a damaged copy must not write that cache) and must
# end by itself (`timeout 20`) with status 0 or 1, never a signal or a
# sanitizer report; status 1 comes with a "prog: FILE: reason" line.  The
# program the damage is aimed at must say so on stderr (a marked error or
# warning), not print silently.

load helpers
load robust

setup_file() {
	O=$(robust_o)
	export KFIND=$O/tests/kfind
}

setup() {
	[ -x "$KFIND" ] || skip "kfind not built ($KFIND)"
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg
	unset VMCOREUTILS_CACHE
}

# use SPEC: a private copy of the fixture in $copy, its structures in loc[]
use() {
	local src name off size va
	need_fixture src "$1"
	DIR=$(mktemp -d /dev/shm/vmcorrupt.XXXXXX 2>/dev/null) || DIR=$(mktemp -d "$BATS_TEST_TMPDIR/c.XXXXXX")
	copy=$DIR/vmcore
	orig=$src
	cp "$src" "$copy"
	declare -gA loc=()
	while read -r name off size va; do
		loc[$name]="$off $size"
	done < <("$KFIND" "$src" 2>/dev/null)
	[ -n "${loc[vmcoreinfo]:-}" ] || fail "kfind found nothing in $1"
}

teardown() {
	[ -n "${DIR:-}" ] && rm -rf "$DIR"
	DIR=
}

off_of() { local v=${loc[$1]:?no $1 in kfind output}; echo "${v%% *}"; }
size_of() { local v=${loc[$1]:?no $1 in kfind output}; echo "${v##* }"; }

# poke NAME BYTES...: write hex bytes at NAME's offset (+ optional +N)
poke_at() { # OFFSET HEXBYTES...
	local off=$1 b s=
	shift
	for b in "$@"; do s+="\\x$b"; done
	printf "$s" | dd of="$copy" bs=1M seek="$off" oflag=seek_bytes conv=notrunc status=none
}

# put64 NAME VALUE: store a little-endian u64 at NAME
put64() {
	local v=$2 i bytes=()
	for i in 0 1 2 3 4 5 6 7; do
		bytes+=("$(printf '%02x' $(( (v >> (8 * i)) & 0xff )))")
	done
	poke_at "$(off_of "$1")" "${bytes[@]}"
}

# text NAME STRING: overwrite NAME's bytes with STRING (same length)
text() {
	printf '%s' "$2" | dd of="$copy" bs=1M seek="$(off_of "$1")" oflag=seek_bytes \
		conv=notrunc status=none
}

restore() { # NAME: copy NAME's bytes back from the original
	dd if="$orig" of="$copy" bs=1M skip="$(off_of "$1")" seek="$(off_of "$1")" \
		count="$(size_of "$1")" iflag=skip_bytes,count_bytes oflag=seek_bytes \
		conv=notrunc status=none
}

# all WHAT [TARGET]: every program on $copy; TARGET must complain on stderr
all() {
	local what=$1 target=${2:-} p rc rc2 err bad=
	for p in $(built_programs); do
		rc=0
		# shellcheck disable=SC2046
		timeout -k 5 20 "$VMBIN/$p" -o nocache "$copy" $(sweep_args "$p") \
			>"$DIR/out" 2>"$DIR/err" </dev/null || rc=$?
		err=$(head -c 4000 "$DIR/err")
		case $rc in
		0|1) ;;
		124|137) bad+="$p ($what): still running after 20 s"$'\n'; continue ;;
		86) bad+="$p ($what): sanitizer report: $(grep -m1 -E 'ERROR|runtime error' <<<"$err")"$'\n'; continue ;;
		*) bad+="$p ($what): status $rc: $(head -n 1 <<<"$err")"$'\n'; continue ;;
		esac
		if [ "$rc" = 1 ] && ! grep -q "^$p: $copy: ." <<<"$err"; then
			bad+="$p ($what): status 1 without a '$p: FILE: ...' line: $(head -n 1 <<<"$err")"$'\n'
		fi
		if [ "$p" = "$target" ] && ! grep -q "^$p: " <<<"$err"; then
			bad+="$p ($what): the damage went unreported (status $rc, nothing on stderr)"$'\n'
		fi
		# the cache on: the same answer (under the sanitizers, several
		# times slower, for the program the damage is aimed at)
		[ "${VM_SAN:-0}" = 1 ] && [ "$p" != "${target:-vmsym}" ] && continue
		rc2=0
		# shellcheck disable=SC2046
		timeout -k 5 20 "$VMBIN/$p" "$copy" $(sweep_args "$p") \
			>"$DIR/out.cache" 2>"$DIR/err.cache" </dev/null || rc2=$?
		if [ "$rc2" != "$rc" ] || ! cmp -s "$DIR/out" "$DIR/out.cache"; then
			bad+="$p ($what): with the cache on: status $rc2 (not $rc), output $(cmp "$DIR/out" "$DIR/out.cache" 2>&1 | head -1): $(head -n 1 "$DIR/err.cache")"$'\n'
		fi
	done
	[ -z "$bad" ] || fail "$bad"
}

need() { # PROGRAM: skip unless built
	[ -x "$VMBIN/$1" ] || skip "$1 not built"
}

# ---------------------------------------------------------------- VMCOREINFO

@test "VMCOREINFO: printk ring symbol and layout damaged" {
	need vmlog
	use derive:raw
	text "vmci.SYMBOL(prb)" "ffffffff00000000"
	all "SYMBOL(prb) unmapped" vmlog
	restore "vmci.SYMBOL(prb)"
	text "vmci.OFFSET(printk_info.text_len)" "99"
	all "OFFSET(printk_info.text_len)=99" vmlog
	restore "vmci.OFFSET(printk_info.text_len)"
	text "vmci.SIZE(prb_desc)" "00"
	all "SIZE(prb_desc)=0" vmlog
	restore "vmci.SIZE(prb_desc)"
	text "vmci.OFFSET(prb_desc_ring.count_bits)" "9"
	all "OFFSET(prb_desc_ring.count_bits)=9" vmlog
}

@test "VMCOREINFO: address translation keys damaged" {
	use derive:raw
	text "vmci.SYMBOL(init_top_pgt)" "ffffffff00000000"
	all "SYMBOL(init_top_pgt) unmapped"
	restore "vmci.SYMBOL(init_top_pgt)"
	text "vmci.KERNELOFFSET" "0bc00000"
	all "KERNELOFFSET wrong"
	restore "vmci.KERNELOFFSET"
	text "vmci.NUMBER(phys_base)" "+935329792"
	all "NUMBER(phys_base) sign flipped"
	restore "vmci.NUMBER(phys_base)"
	text "vmci.NUMBER(pgtable_l5_enabled)" "0"
	all "4-level paging claimed on a 5-level dump"
	restore "vmci.NUMBER(pgtable_l5_enabled)"
	text "vmci.SYMBOL(kallsyms_num_syms)" "ffffffffbdfcb6e4"
	all "SYMBOL(kallsyms_num_syms) off by 4"
}

@test "VMCOREINFO: every 7th byte flipped, then all bytes 0xff" {
	use derive:raw
	local off len
	off=$(off_of vmcoreinfo) len=$(size_of vmcoreinfo)
	# deterministic damage: case of every 7th byte flipped (0x20)
	dd if="$orig" bs=1M skip="$off" count="$len" iflag=skip_bytes,count_bytes status=none |
		od -An -v -tu1 | tr -s ' ' '\n' | sed '/^$/d' |
		awk '{ b = $1; if (NR % 7 == 0) b += int(b / 32) % 2 ? -32 : 32; printf "%c", b }' > "$DIR/vi"
	dd if="$DIR/vi" of="$copy" bs=1M seek="$off" oflag=seek_bytes conv=notrunc status=none
	all "VMCOREINFO: every 7th byte flipped"
	head -c "$len" /dev/zero | tr '\0' '\377' |
		dd of="$copy" bs=1M seek="$off" oflag=seek_bytes conv=notrunc status=none
	all "VMCOREINFO: all 0xff" vmlog
}

# ---------------------------------------------------------------- page tables

@test "page tables: kernel image entries cleared, looped, pointed outside the dump" {
	need vmlog
	use derive:raw
	put64 pt.pmd.descs 0
	all "PMD entry of the kernel image cleared" vmlog
	restore pt.pmd.descs
	# a huge-page entry far beyond the dump's memory
	put64 pt.pud.descs $(( 0x7ffff00000 | 0x80 | 0x63 ))
	all "PUD entry: 1 GiB page beyond RAM" vmlog
	restore pt.pud.descs
	# the P4D entry pointing at physical page 0 (the real-mode IVT)
	put64 pt.p4d.descs $(( 0x63 ))
	all "P4D entry pointing at page 0"
	restore pt.p4d.descs
	put64 pt.pgd.descs 0
	all "PGD entry of the kernel half cleared" vmlog
}

@test "page tables: direct-map entries damaged" {
	need vmps
	use derive:raw
	put64 pt.pmd.task1 0
	all "PMD entry of the direct map cleared" vmps
	restore pt.pmd.task1
	put64 pt.pud.task1 $(( 0xfffff000 | 0x63 ))
	all "PUD entry of the direct map to a non-RAM table"
}

# ---------------------------------------------------------------- task list

@test "task list: loops, poison and unmapped pointers" {
	need vmps
	use derive:raw
	local t1 t2
	t1=$(( $(kfind_va task.1.tasks_next) ))
	t2=$(( $(kfind_va task.2.tasks_next) ))
	# task 2 -> task 1: a loop that never returns to init_task
	put64 task.2.tasks_next "$t1"
	all "task list loop not through init_task" vmps
	restore task.2.tasks_next
	# a node pointing at itself
	put64 task.1.tasks_next "$t1"
	all "task list node pointing at itself" vmps
	restore task.1.tasks_next
	put64 task.1.tasks_next $(( 0xdead000000000100 ))
	all "LIST_POISON1 in tasks.next" vmps
	restore task.1.tasks_next
	put64 task.1.tasks_next $(( 0x1000 ))
	all "user address in tasks.next" vmps
	restore task.1.tasks_next
	put64 task.0.tasks_next "$t2"
	all "init_task skips a task"
}

kfind_va() { # NAME -> VA column
	"$KFIND" "$orig" 2>/dev/null | awk -v n="$1" '$1 == n { print $4 }'
}

# ---------------------------------------------------------------- printk

@test "printk ring: header fields damaged" {
	need vmlog
	use derive:raw
	poke_at "$(off_of prb.count_bits)" 7f 00 00 00
	all "count_bits 127" vmlog
	restore prb.count_bits
	put64 prb.descs $(( 0xffffffff00000000 ))
	all "descriptor array unmapped" vmlog
	restore prb.descs
	put64 prb.text_data 0
	all "text data ring at NULL" vmlog
	restore prb.text_data
	put64 prb.head_id $(( 0x3fffffffffffff00 ))
	all "head_id far from tail_id" vmlog
	restore prb.head_id
	put64 prb.tail_id $(( $(od -An -tu8 -j "$(off_of prb.head_id)" -N8 "$orig") + 1 ))
	all "tail_id past head_id" vmlog
}

@test "printk ring: descriptors, infos and text damaged" {
	need vmlog
	use derive:raw
	local d
	for d in 204 407; do
		put64 "desc.$d.state_var" $(( 0x8000000000000000 | 12345 ))
		all "descriptor $d holds another id" vmlog
		restore "desc.$d.state_var"
		poke_at "$(off_of "desc.$d.text_blk_lpos")" ff ff ff ff ff ff ff 7f 01 00 00 00 00 00 00 00
		all "descriptor $d: text lpos garbage" vmlog
		restore "desc.$d.text_blk_lpos"
		# shown as far as the block holds it (as makedumpfile does)
		poke_at "$(off_of "info.$d.text_len")" ff ff
		all "printk_info $d: text_len 65535"
		restore "info.$d.text_len"
	done
	# the text itself: the id word and the bytes after it
	poke_at "$(off_of text.204)" 00 00 00 00 00 00 00 00 ff fe 00 1b
	all "text block 204: wrong id" vmlog
}

# ---------------------------------------------------------------- modules

@test "module symbol table: names past the string table" {
	use derive:raw
	[ -n "${loc[modsym.crashmod.2.st_name]:-}" ] || fail "kfind found no module symbol table"
	# 16 MB into a string table of a few KB: the reader shrinks its read
	poke_at "$(off_of modsym.crashmod.2.st_name)" f0 ff ff 00
	all "module symbol name offset 16M"
	poke_at "$(off_of modsym.crashmod.3.st_name)" ff ff ff ff
	all "module symbol name offsets 16M and 4G"
}

# ---------------------------------------------------------------- stacks

# page_of_words WORD...: 4096 bytes of little-endian u64 words, the list
# repeated
page_of_words() {
	local w b one words=() out= i
	for w in "$@"; do
		one=
		for b in 0 1 2 3 4 5 6 7; do
			one+=$(printf '\\x%02x' $(( (w >> (8 * b)) & 0xff )))
		done
		words+=("$one")
	done
	for ((i = 0; i < 512; i++)); do
		out+=${words[i % ${#words[@]}]}
	done
	printf "$out"
}

fill() { # NAME FILE: NAME's bytes from FILE
	dd if="$2" of="$copy" bs=1M seek="$(off_of "$1")" oflag=seek_bytes conv=notrunc \
		status=none
}

@test "kernel stacks: garbage, frames pointing at themselves, kernel text addresses" {
	need vmbt
	use derive:raw
	local s va cpu t
	# vmbt shows the panic task by default: the CPU crash's bt names
	cpu=$(crash_block x86_64-6.1/oops-module bt | sed -n '1s/.* CPU: \([0-9]*\) .*/\1/p')
	for s in stack.cpu0.page0 stack.cpu1.page0; do
		[ -n "${loc[$s]:-}" ] || continue
		t=
		[ "$s" = "stack.cpu$cpu.page0" ] && t=vmbt
		va=$(kfind_va "$s")
		head -c 4096 /dev/zero | tr '\0' '\377' > "$DIR/page"
		fill "$s" "$DIR/page"
		all "$s: all 0xff" $t
		# every word the address of the page's start: each saved frame
		# pointer leads back to the same frame
		page_of_words "$va" > "$DIR/page"
		fill "$s" "$DIR/page"
		all "$s: frame pointers looping" $t
		# return addresses everywhere (_stext of this kernel), frame
		# pointers to the page's middle
		page_of_words $(( va + 2048 )) 0xffffffffbcc00000 > "$DIR/page"
		fill "$s" "$DIR/page"
		all "$s: frames of kernel text addresses" $t
		head -c 4096 /dev/zero > "$DIR/page"
		fill "$s" "$DIR/page"
		all "$s: zeroed" $t
		restore "$s"
	done
}

@test "QEMU ELF: VMCOREINFO, page table and task list damaged" {
	need vmps
	use x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	text "vmci.SYMBOL(prb)" "0000000000000000"
	all "ELF: SYMBOL(prb)=0" vmlog
	restore "vmci.SYMBOL(prb)"
	put64 pt.pmd.descs 0
	all "ELF: PMD entry of the kernel image cleared" vmlog
	restore pt.pmd.descs
	put64 task.2.tasks_next "$(( $(kfind_va task.1.tasks_next) ))"
	all "ELF: task list loop" vmps
}
