#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmkmem (crash's `kmem`) on the fixture dumps, against:
#   - crash.txt's `kmem -i` of each scenario (crash 8.0.2, the corpus);
#   - tests/ref/SCN/crash-kmem*.txt: crash 8.0.2's kmem -s, -S, -f, -z, -V, -v
#     and `kmem ADDRESS` for 290-300 addresses per dump, and drgn-kmem.txt:
#     drgn's view of what crash cannot see (every task's stack,
#     vm_committed_as's per-CPU deltas), all made by
#     tests/ref/make-refs-vmkmem.sh with the commands it keeps beside them;
#   - tests/fixtures/x86_64-5.10/crash.txt's kmem -i and kmem -s (crash
#     8.0.2 with the Debian -dbg vmlinux, the kernel-span fixtures);
#   - each guest's own /proc/meminfo and ps (serial.log): arm64 6.1, and
#     the kernel-span fixtures 5.10, 7.2 x86_64 and 7.2 arm64.
# Where crash 8.0.2 is wrong (SLAB and COMMITTED of kmem -i, tasks it does
# not know), the test shows why with crash's own numbers or drgn's.

load helpers

SCNS="sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy"
ARM=arm64-6.1-debian/vmcore.qemu-kdump-zlib

setup() {
	need_prog vmkmem
}

# section REF CMD: the output of CMD in a tests/ref/*/crash-kmem*.txt file
# (each command's output follows an "@@ CMD" line)
section() {
	awk -v c="@@ $2" '$0 == c { on = 1; next } /^@@ / { on = 0 } on' "$1"
}

# The kernel-span fixtures (tests/fixtures/CASE, tests/kernels/): 5.10 has
# crash references like the 6.1 scenarios (tests/ref/x86_64-5.10, made with
# its Debian -dbg vmlinux); 7.2 has only the guest's own ground truth.
KFIX=$ROOT/tests/fixtures

# kfix_dump CASE: the committed dump of a kernel-span case (QEMU's ELF of
# arm64-7.2 unpacked once into the fixture cache), or nothing
kfix_dump() {
	local f out cache=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
	for f in "$KFIX/$1"/vmcore.kdump-*; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	f=$KFIX/$1/vmcore.qemu.elf.zst
	[ -f "$f" ] || return 1
	out=$cache/$(sha256sum "$f" | cut -c1-16)-$1-vmcore.qemu.elf
	if [ ! -s "$out" ]; then
		mkdir -p "$cache" && zstd -qdc "$f" >"$out.tmp.$$" && mv -f "$out.tmp.$$" "$out" || return 1
	fi
	echo "$out"
}

# The x86 dumps with crash references: "SCN DUMP" per line (SCN names
# tests/ref/SCN), the 5.10 one when its fixture is there -- but not with
# "textonly": 5.10's BTF has no variables (no DATASEC), so without data
# symbols its per-CPU areas cannot be found (a test below shows the error)
x86_cases() {
	local s d
	for s in $SCNS; do
		[ -e "$FIX/x86_64-6.1/$s" ] && echo "${s%%/*} $FIX/x86_64-6.1/$s"
	done
	[ "${1:-}" = textonly ] && return 0
	d=$(kfix_dump x86_64-5.10 2>/dev/null) && echo "x86_64-5.10 $d"
	return 0
}

# vmlinux SCN: the DWARF vmlinux of a case, or nothing (it cannot be had)
vmlinux_of() {
	case $1 in
	x86_64-5.10) [ -x "$ROOT/tests/kernels/vmlinux.sh" ] &&
		"$ROOT/tests/kernels/vmlinux.sh" "$1" 2>/dev/null ;;
	*) fixture x86_64-6.1/vmlinux.xz 2>/dev/null ;;
	esac
}

# serial_of SCN: the guest's console log
serial_of() {
	case $1 in
	x86_64-5.10) echo "$KFIX/$1/serial.log" ;;
	*) echo "$FIX/x86_64-6.1/$1/serial.log" ;;
	esac
}

# crash_ref SCN CMD: crash 8.0.2's output of CMD: the kernel-span
# fixture's own crash.txt ("crash> CMD" lines; 5.10 has kmem -i and -s),
# else tests/ref/SCN/crash-kmem.txt (make-refs-vmkmem.sh), else the
# corpus's crash.txt
crash_ref() {
	local f=$KFIX/$1/crash.txt
	if grep -qxF "crash> $2" "$f" 2>/dev/null; then
		awk -v c="crash> $2" '$0 == c { on = 1; next } /^crash> / { on = 0 } on' "$f"
	elif grep -qxF "@@ $2" "$ROOT/tests/ref/$1/crash-kmem.txt" 2>/dev/null; then
		section "$ROOT/tests/ref/$1/crash-kmem.txt" "$2"
	else
		crash_block "x86_64-6.1/$1" "$2"
	fi
}

crash_kmem_i() { crash_ref "$1" 'kmem -i'; }

# each_dump FUNC: FUNC DUMP SCN [-k VMLINUX] for every x86 dump with crash
# references, without and (when the vmlinux can be had) with -k
each_dump() {
	local scn d v n=0
	while read -r scn d; do
		n=$((n + 1))
		"$1" "$d" "$scn" || return 1
		v=$(vmlinux_of "$scn") || v=
		if [ -n "$v" ]; then
			"$1" "$d" "$scn" -k "$v" || return 1
		fi
	done < <(x86_cases)
	[ "$n" -ge 1 ] || skip "no x86 fixture dumps (VMCORE_FIXTURES=$FIX)"
}

# each_dump_textonly FUNC: the same with -o textonly (the dump's kallsyms
# without its data symbols, as Debian's arm64 kernels have it): the nodes,
# the caches, __per_cpu_start and blockdev_superblock are then found by
# what the dump holds, and must give crash's answers all the same
each_dump_textonly() {
	local scn d n=0
	while read -r scn d; do
		n=$((n + 1))
		"$1" "$d" "$scn" -o textonly || return 1
	done < <(x86_cases textonly)
	[ "$n" -ge 1 ] || skip "no x86 fixture dumps (VMCORE_FIXTURES=$FIX)"
}

# crash's pages_to_size(): "147.8 MB", "126 MB", "768 KB", "0"
AWK_SIZE='function size(p,   t, s) {
	if (p == 0) return "0"
	t = p * 4096
	if (t >= 1073741824) s = sprintf("%.1f GB", t / 1073741824)
	else if (t >= 1048576) s = sprintf("%.1f MB", t / 1048576)
	else s = sprintf("%d KB", t / 1024)
	sub(/\.0 /, " ", s)
	return s
}'

# ---------------------------------------------------------------- kmem -i

check_info() { # DUMP SCN [OPTS]
	local dump=$1 scn=$2
	shift 2
	crash_kmem_i "$scn" >"$BATS_TEST_TMPDIR/crash"
	"$VMBIN/vmkmem" "$@" -i "$dump" >"$BATS_TEST_TMPDIR/ours" || return 1
	[ "$(wc -l <"$BATS_TEST_TMPDIR/crash")" -ge 17 ] || { echo "$scn: no kmem -i in crash.txt"; return 1; }
	# every line but SLAB and COMMITTED, byte for byte (the tests below
	# show why those two differ)
	diff <(grep -vE '^ +(SLAB|COMMITTED) ' "$BATS_TEST_TMPDIR/crash") \
	     <(grep -vE '^ +(SLAB|COMMITTED) ' "$BATS_TEST_TMPDIR/ours") || { echo "$scn $*"; return 1; }
}

@test "-i: every x86 dump, with and without vmlinux: crash's kmem -i line for line (but SLAB, COMMITTED)" {
	run each_dump check_info
	echo "$output"
	assert_success
}

check_slab() { # DUMP SCN [OPTS]
	local dump=$1 scn=$2 ref=$ROOT/tests/ref/$2/crash-kmem.txt crash_slab want flagged
	shift 2
	# crash 8.0.2's SLAB is the number of pages with PG_slab set: one per
	# slab (its head page), i.e. the sum of SLABS in its own kmem -s,
	# not pages: it looks for NR_SLAB_RECLAIMABLE, which v5.9 renamed
	# NR_SLAB_RECLAIMABLE_B (crash 8.0.3 fixed it, 41d4b85ea50e)
	crash_slab=$(crash_kmem_i "$scn" | awk '$1 == "SLAB" { print $2 }')
	[ "$crash_slab" = "$(section "$ref" 'kmem -s' | awk 'NR > 1 { s += $5 } END { print s }')" ] ||
		{ echo "$scn: crash's SLAB $crash_slab is not the sum of its kmem -s SLABS"; return 1; }
	flagged=$("$VMBIN/vmkmem" "$@" --json -i "$dump" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["slab_pages_flagged"])')
	[ "$flagged" = "$crash_slab" ] || { echo "$scn: PG_slab pages $flagged, crash $crash_slab"; return 1; }
	# ours: /proc/meminfo's Slab, the two node counters as crash's own kmem -V
	# prints them
	want=$(section "$ref" 'kmem -V' | awk '$1 ~ /^NR_SLAB_(UN)?RECLAIMABLE_B:$/ { s += $2 } END { print s }')
	"$VMBIN/vmkmem" "$@" -i "$dump" | grep -E '^ +SLAB ' >"$BATS_TEST_TMPDIR/ours"
	awk "$AWK_SIZE"' $1 == "TOTAL" && $2 == "MEM" { t = $3 } END {
		printf "%13s  %7d  %11s  %3d%% of TOTAL MEM\n", "SLAB", '"$want"', size('"$want"'), '"$want"' * 100 / t }' \
		<(crash_kmem_i "$scn" | grep 'TOTAL MEM') >"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours" || { echo "$scn $*"; return 1; }
}

check_info_textonly() { # DUMP SCN -o textonly
	local dump=$1 scn=$2
	shift 2
	crash_kmem_i "$scn" | sed -n 1,7p >"$BATS_TEST_TMPDIR/crash"
	run --separate-stderr "$VMBIN/vmkmem" "$@" -i "$dump"
	# no hstates, swap_info or vm_committed_as without data symbols: those
	# items are unknown (exit 1, each named), the rest is crash's
	[ "$status" -eq 1 ] || { echo "$scn: exit $status"; return 1; }
	[[ $stderr == *"COMMITTED: no symbol named vm_committed_as"* ]] || { echo "$stderr"; return 1; }
	diff "$BATS_TEST_TMPDIR/crash" <(sed -n 1,7p <<<"$output") || { echo "$scn $*"; return 1; }
	grep -qE '^ +TOTAL SWAP +- +- +\(unknown\)$' <<<"$output"
}

@test "-i -o textonly: the nodes from a free page, blockdev_superblock from a bdev_cache object: crash's lines" {
	run each_dump_textonly check_info_textonly
	echo "$output"
	assert_success
}

@test "-i SLAB: NR_SLAB_*_B pages (crash's kmem -V), where crash 8.0.2 counts slabs (its kmem -s SLABS)" {
	run each_dump check_slab
	echo "$output"
	assert_success
}

check_committed() { # DUMP SCN [OPTS]
	local dump=$1 scn=$2 ref=$ROOT/tests/ref/$2/drgn-kmem.txt count sum crash_c limit json
	shift 2
	count=$(awk '$1 == "committed_count" { print $2 }' "$ref")
	sum=$(awk '$1 == "committed_sum" { print $2 }' "$ref")
	# crash 8.0.2 prints vm_committed_as.count alone, which stays 0 (or a
	# few pages) until the per-CPU deltas pass percpu_counter_batch; the
	# kernel's Committed_AS is percpu_counter_sum(): count + every delta
	crash_c=$(crash_kmem_i "$scn" | awk '$1 == "COMMITTED" { print $2 }')
	[ "$crash_c" = "$count" ] || { echo "$scn: crash COMMITTED $crash_c, drgn's count $count"; return 1; }
	[ "$sum" -gt "$count" ] || { echo "$scn: the deltas add nothing here?"; return 1; }
	json=$("$VMBIN/vmkmem" "$@" --json -i "$dump")
	[ "$("$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["committed"], d["committed_count"])' "$json")" = "$sum $count" ] ||
		{ echo "$scn: $json"; return 1; }
	limit=$(crash_kmem_i "$scn" | awk '$1 == "COMMIT" { print $3 }')
	"$VMBIN/vmkmem" "$@" -i "$dump" | grep -E '^ +COMMITTED ' >"$BATS_TEST_TMPDIR/ours"
	awk "$AWK_SIZE"' BEGIN { printf "%13s  %7d  %11s  %3d%% of TOTAL LIMIT\n", "COMMITTED", '"$sum"', size('"$sum"'), '"$sum"' * 100 / '"$limit"' }' \
		>"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/ours" || { echo "$scn $*"; return 1; }
}

@test "-i COMMITTED: vm_committed_as count + per-CPU deltas (drgn), where crash 8.0.2 shows the count alone" {
	run each_dump check_committed
	echo "$output"
	assert_success
}

# ---------------------------------------------------------------- kmem -s -S -f -z -V

check_same() { # DUMP SCN [OPTS] -- compare OPTION with crash's CMD (globals)
	local dump=$1 scn=$2
	shift 2
	crash_ref "$scn" "$CMD" >"$BATS_TEST_TMPDIR/crash"
	[ -s "$BATS_TEST_TMPDIR/crash" ] || { echo "$scn: no '$CMD' reference"; return 1; }
	# shellcheck disable=SC2086
	"$VMBIN/vmkmem" "$@" $OPT "$dump" >"$BATS_TEST_TMPDIR/ours" || { echo "$scn $*: exit $?"; return 1; }
	diff "$BATS_TEST_TMPDIR/crash" "$BATS_TEST_TMPDIR/ours" || { echo "$scn $*"; return 1; }
}

@test "--slabs: crash's kmem -s, byte for byte (every cache, counts summed over CPUs and nodes)" {
	CMD='kmem -s' OPT=--slabs run each_dump check_same
	echo "$output"
	assert_success
}

@test "--free: crash's kmem -f (every free list walked, nr_free_pages verified)" {
	CMD='kmem -f' OPT=--free run each_dump check_same
	echo "$output"
	assert_success
}

@test "-z: crash's kmem -z" {
	CMD='kmem -z' OPT=-z run each_dump check_same
	echo "$output"
	assert_success
}

@test "--counters: crash's kmem -V (zone, node and event counters by name)" {
	CMD='kmem -V' OPT=--counters run each_dump check_same
	echo "$output"
	assert_success
}

@test "-o textonly (no data symbols): --slabs, --free, -z, --counters still crash's, byte for byte" {
	local c
	for c in "kmem -s:--slabs" "kmem -f:--free" "kmem -z:-z" "kmem -V:--counters"; do
		CMD=${c%%:*} OPT=${c#*:} run each_dump_textonly check_same
		echo "$c: $output"
		assert_success
	done
}

@test "-o textonly on the kernel-span dumps: 7.2 as with data symbols; 5.10 (BTF without variables) names what it lacks" {
	local d n=0
	# 7.2 x86_64: __per_cpu_start is a kernel address (no zero-based
	# per-CPU section since v6.15) and later chunks' pointers lie anywhere
	# below it; the caches without sheaves share the static bootstrap_sheaf
	if d=$(kfix_dump x86_64-7.2); then
		diff <("$VMBIN/vmkmem" --slabs "$d") <("$VMBIN/vmkmem" -o textonly --slabs "$d")
		diff <("$VMBIN/vmkmem" --free "$d") <("$VMBIN/vmkmem" -o textonly --free "$d")
		n=$((n + 1))
	fi
	if d=$(kfix_dump arm64-7.2); then
		diff <("$VMBIN/vmkmem" --slabs "$d") <("$VMBIN/vmkmem" -o textonly --slabs "$d")
		n=$((n + 1))
	fi
	if d=$(kfix_dump x86_64-5.10); then
		run --separate-stderr "$VMBIN/vmkmem" -o textonly --slab kmem_cache "$d"
		assert_failure 1
		[[ $stderr == *"per-CPU offsets unknown (per-CPU areas from the runqueues: no data section record of variable runqueues): CPU slabs cannot be read"* ]]
		n=$((n + 1))
	fi
	[ "$n" -ge 1 ] || skip "no kernel-span fixtures (tests/fixtures)"
}

check_S() { # DUMP SCN [OPTS]
	local dump=$1 scn=$2 ref=$ROOT/tests/ref/$2/crash-kmem-S.txt c n=0 max=99
	shift 2
	# with -k or -o textonly only the first 4 caches: what those change
	# (symbols, types, __per_cpu_start) is one per kernel, not per cache
	[ $# -gt 0 ] && max=4
	for c in $(awk '/^@@ kmem -S /{ print $4 }' "$ref" | head -"$max"); do
		section "$ref" "kmem -S $c" >"$BATS_TEST_TMPDIR/crash"
		"$VMBIN/vmkmem" "$@" --slab "$c" "$dump" >"$BATS_TEST_TMPDIR/ours" || { echo "$scn $c: exit $?"; return 1; }
		diff "$BATS_TEST_TMPDIR/crash" "$BATS_TEST_TMPDIR/ours" || { echo "$scn $c $*"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 12 ] || [ "$n" -ge "$max" ] || { echo "$scn: only $n caches"; return 1; }
}

@test "--slab NAME: crash's kmem -S for 12 caches per dump (every CPU and partial slab, each object free or allocated)" {
	run each_dump check_S
	echo "$output"
	assert_success
	# and without data symbols: __per_cpu_start found by the caches' CPU
	# slabs (0 here: x86_64 links .data..percpu at 0)
	run each_dump_textonly check_S
	echo "$output"
	assert_success
}

check_S_json() { # DUMP SCN: --slab --json's objects are crash's (one Python
	# run per dump; the -k and textonly runs of the text test cover those)
	local dump=$1 scn=$2 ref=$ROOT/tests/ref/$2/crash-kmem-S.txt c
	[ $# -eq 2 ] || return 0
	for c in $(awk '/^@@ kmem -S /{ print $4 }' "$ref"); do
		section "$ref" "kmem -S $c" >"$BATS_TEST_TMPDIR/crash.$c"
		"$VMBIN/vmkmem" --json --slab "$c" "$dump" >"$BATS_TEST_TMPDIR/ours.$c" || { echo "$scn $c: exit $?"; return 1; }
	done
	"$PY" - "$BATS_TEST_TMPDIR" "$scn" $(awk '/^@@ kmem -S /{ print $4 }' "$ref") <<'PY' || return 1
import json, re, sys
d, scn = sys.argv[1], sys.argv[2]
for c in sys.argv[3:]:
    want = set()
    for l in open('%s/crash.%s' % (d, c)):
        m = re.match(r'^  (\[| )([0-9a-f]+)\]? *(\(cpu \d+ cache\))?$', l.rstrip('\n'))
        if m:
            want.add((int(m.group(2), 16), m.group(1) == ' '))
    got = set()
    for l in open('%s/ours.%s' % (d, c)):
        r = json.loads(l)
        assert r['allocated'] + r['free'] == r['total'], r
        for o in r.get('objects', []):
            got.add((int(o['addr'], 16), o['free']))
    if got != want:
        sys.exit('%s %s: objects differ: %s' % (scn, c, sorted(got ^ want)[:5]))
PY
}

@test "--slab NAME --json: one record per slab, the CPU slabs' objects free or allocated as crash lists them" {
	run each_dump check_S_json
	echo "$output"
	assert_success
}

@test "--slabs --sort: orders by the key, numbers largest first; --json has the same counts" {
	local d
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	run "$VMBIN/vmkmem" --slabs -H --sort memory "$d"
	assert_success
	awk '{ v = $5 * $6; if (NR > 1 && v > last) { print "not sorted at " NR; exit 1 } last = v }' <<<"$output"
	run "$VMBIN/vmkmem" --slabs -H --sort name "$d"
	assert_success
	diff <(awk '{ print $7 }' <<<"$output") <(awk '{ print $7 }' <<<"$output" | LC_ALL=C sort)
	diff <("$VMBIN/vmkmem" --slabs -H "$d" | awk '{ print $1, $2, $3, $4, $5, $7 }') \
	     <("$VMBIN/vmkmem" --slabs --json "$d" | "$PY" -c '
import json, sys
for l in sys.stdin:
    c = json.loads(l)
    print(c["cache"][2:], c["objsize"], c["allocated"], c["total"], c["slabs"], c["name"])')
	run "$VMBIN/vmkmem" --slabs --sort bogus "$d"
	assert_failure 2
}

# ---------------------------------------------------------------- addresses

# check_addrs DUMP SCN [OPTS]: vmkmem --json on every address of
# kmem-addr.cmds, each answer against crash's `kmem ADDRESS` (and drgn's
# stacks where crash does not know the task)
check_addrs() {
	local dump=$1 scn=$2 ref=$ROOT/tests/ref/$2
	shift 2
	awk '/^kmem /{ print $2 }' "$ref/kmem-addr.cmds" >"$BATS_TEST_TMPDIR/addrs"
	# shellcheck disable=SC2046
	"$VMBIN/vmkmem" "$@" --json "$dump" $(cat "$BATS_TEST_TMPDIR/addrs") >"$BATS_TEST_TMPDIR/ours" ||
		{ echo "$scn $*: exit $?"; return 1; }
	# names that share an address: System.map (the 6.1 corpus, slid by the
	# kernel's own Kernel Offset line), or the guest's /proc/kallsyms
	if [ -f "$KFIX/$scn/kallsyms.txt.zst" ]; then
		zstd -qdc "$KFIX/$scn/kallsyms.txt.zst" | awk 'NF >= 3 { print $1, $2, $3 }' >"$BATS_TEST_TMPDIR/map"
		slide=0x0
	else
		cp "$FIX/x86_64-6.1/System.map" "$BATS_TEST_TMPDIR/map"
		slide=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\) from.*/\1/p' "$(serial_of "$scn")")
	fi
	"$PY" - "$ref" "$BATS_TEST_TMPDIR/ours" "$scn $*" "$BATS_TEST_TMPDIR/map" "${slide:-0x0}" <<'PY'
import json, re, sys
ref, ours, label, sysmap, slide = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5], 16)
answers = [json.loads(l) for l in open(ours)]
blocks, cur = [], None
for l in open(ref + '/crash-kmem-addr.txt'):
    l = l.rstrip('\n')
    if l.startswith('@@ '):
        _, kind, a = l.split()
        cur = {'kind': kind, 'addr': int(a, 16), 'lines': []}
        blocks.append(cur)
    elif cur:
        cur['lines'].append(l)
areas = []          # crash's kmem -v
sect = None
for l in open(ref + '/crash-kmem.txt'):
    if l.startswith('@@ '):
        sect = l[3:].strip()
        continue
    p = l.split()
    if sect == 'kmem -v' and len(p) == 6 and p[3] == '-':
        areas.append([int(x, 16) for x in (p[0], p[1], p[2], p[4])])
alias = {}          # names that share an address: crash's sym -m, System.map
for l in open(ref + '/crash-kmem.txt'):
    p = l.split()
    if len(p) == 3 and p[1].startswith('(') and len(p[0]) == 16:
        alias.setdefault(p[2], set()).add(int(p[0], 16))
for l in open(sysmap):
    a, t, n = l.split()
    a = int(a, 16)
    alias.setdefault(n, set()).add(a + slide if a >= 0xffffffff80000000 else a)
def same_name(mine, theirs, off):
    # crash and vmkmem may pick different names of one address
    return mine == theirs or bool(alias.get(mine, set()) & alias.get(theirs, set()))
stacks, irq = [], []    # drgn: every task's stack, every CPU's IRQ stack
for l in open(ref + '/drgn-kmem.txt'):
    p = l.split()
    if p and p[0] == 'stack':
        lo = int(p[4], 16)
        stacks.append((lo, lo + int(p[5]), int(p[1])))
    if p and p[0] == 'irqstack':
        irq.append((int(p[2], 16), int(p[3], 16), int(p[1])))
H = lambda s: int(s, 16)
bad, good = [], {}
if len(answers) != len(blocks):
    sys.exit('%s: %d answers for %d addresses' % (label, len(answers), len(blocks)))
for b, o in zip(blocks, answers):
    a, L, why = b['addr'], b['lines'], []
    if H(o['addr']) != a:
        why.append('answer for %s' % o['addr'])
    text = '\n'.join(L)
    sym = re.match(r'^([0-9a-f]+) \((.)\) (\S+?)(?:\+(\d+))?(?: \[(\S+)\])?(?: |$)', L[0]) if L else None
    page = vmap = cache = obj = pid = None
    for i, l in enumerate(L):
        if re.match(r'^ +PAGE +PHYSICAL', l) and i + 1 < len(L):
            page = L[i + 1].split()
        if re.match(r'^ +VMAP_AREA', l):
            vmap = [H(x) for x in L[i + 1].split()[0:3] + [L[i + 1].split()[4]]]
        if l.startswith('CACHE '):
            cache = L[i + 1].split()[-1]
        if re.match(r'^  (\[[0-9a-f]+\]| [0-9a-f]+ )', l):
            obj = l
        m = re.match(r'^ +PID: (\d+)', l)
        if m:
            pid = int(m.group(1))
    def page_same():
        if not page or 'page' not in o:
            return 'no page (crash %s, ours %s)' % (page, o.get('page'))
        want = (H(page[0]), H(page[1]), H(page[2]), int(page[4]), H(page[5]))
        got = (H(o['page']), H(o['phys']) & ~0xfff, H(o['mapping']), o['count'], H(o['flags']))
        return None if want == got else 'page %s, crash %s' % (
            tuple(hex(x) for x in got), tuple(hex(x) for x in want))
    if sym:
        # crash names a symbol
        if o['kind'] != 'symbol':
            why.append('kind %s, crash: symbol %s' % (o['kind'], sym.group(3)))
        elif not same_name(o['symbol'], sym.group(3), o['offset']) or \
             (o['offset'], o.get('module')) != (int(sym.group(4) or 0), sym.group(5)):
            why.append('%s+%d %s, crash %s' % (o['symbol'], o['offset'], o.get('module'), L[0]))
        elif page_same():
            why.append(page_same())
    elif cache:
        m = re.match(r'^  (\[| )([0-9a-f]+)\]? *(\(cpu (\d+) cache\))?', obj or '')
        if o['kind'] != 'slab' or not m:
            why.append('kind %s, crash: slab %s %s' % (o['kind'], cache, obj))
        else:
            want = (cache, H(m.group(2)), m.group(1) == ' ', int(m.group(4)) if m.group(4) else None)
            got = (o['cache'], H(o['object']), o['free'], o.get('free_cpu'))
            if want != got:
                why.append('slab %s, crash %s' % (got, want))
    elif vmap or b['kind'] in ('stack', 'vmalloc'):
        owner = [s for s in stacks if s[0] <= a < s[1]]
        if b['kind'] == 'stack':
            # every task's stack, crash's 3 tasks or not: the owner is
            # drgn's, and crash's PID where it has one
            if o['kind'] != 'stack' or len(owner) != 1 or o.get('pid') != owner[0][2]:
                why.append('kind %s pid %s, drgn: pid %s' % (o['kind'], o.get('pid'), owner))
            if pid is not None and o.get('pid') != pid:
                why.append('pid %s, crash %s' % (o.get('pid'), pid))
        elif o['kind'] == 'stack' and o.get('stack') == 'IRQ':
            # crash shows the vmap area of a CPU's IRQ stack; ours also
            # says whose, which drgn confirms
            cpus = [c for lo, hi, c in irq if lo <= a < hi]
            if cpus != [o.get('cpu')]:
                why.append('IRQ stack of CPU %s, drgn: %s' % (o.get('cpu'), cpus))
        elif o['kind'] != 'vmalloc':
            why.append('kind %s, crash: vmalloc area' % o['kind'])
        if vmap:
            got = [H(o.get(k, '0x0')) for k in ('vmap_area', 'vm_struct', 'start', 'end')]
            if got != vmap:
                why.append('vmap %s, crash %s' % ([hex(x) for x in got], [hex(x) for x in vmap]))
            if page and page_same():
                why.append(page_same())
        else:
            # crash could not translate the address, so it names no area
            # ("cannot make virtual-to-physical translation"): the area
            # comes from crash's own kmem -v, the page must be unmapped
            area = [x for x in areas if x[2] <= a < x[3]]
            got = [H(o.get(k, '0x0')) for k in ('vmap_area', 'vm_struct', 'start', 'end')]
            if 'cannot make virtual-to-physical' not in text or len(area) != 1 or \
               got != area[0] or 'page' in o or o['kind'] not in ('vmalloc', 'stack'):
                why.append('untranslatable: ours %s %s, crash kmem -v %s' % (o['kind'], got, area))
    elif page and o['kind'] == 'mem_map' and H(o['page']) != a:
        # inside a struct page: crash translates the address and shows the
        # page that holds it; ours names the struct page it is in (and is
        # checked to be that one) and says which page holds it
        if not (H(o['page']) <= a < H(o['page']) + 64) or \
           (H(o.get('backing_page', '0')), H(o.get('backing_phys', '0')) & ~0xfff) != (H(page[0]), H(page[1])):
            why.append('struct page %s backing %s %s, crash %s' % (o['page'], o.get('backing_page'),
                                                              o.get('backing_phys'), page[:2]))
    elif page:
        if o['kind'] not in ('page', 'mem_map'):
            why.append('kind %s, crash: page' % o['kind'])
        elif page_same():
            why.append(page_same())
    else:
        why.append('crash answered nothing we compare: %s' % L[:2])
    if why:
        bad.append('%s %x: %s' % (b['kind'], a, '; '.join(why)))
    else:
        good[b['kind']] = good.get(b['kind'], 0) + 1
print('%s: %s' % (label, ' '.join('%s %d' % kv for kv in sorted(good.items()))))
for k in ('slab', 'page', 'vmalloc', 'stack', 'symbol'):
    if good.get(k, 0) < 50:
        bad.append('only %d %s addresses agree' % (good.get(k, 0), k))
if bad:
    sys.exit('\n'.join(bad))
PY
}

@test "ADDRESS: 60 of each kind (slab, page, vmalloc, stack, symbol) name what crash's kmem ADDRESS names" {
	run each_dump check_addrs
	echo "$output"
	assert_success
}

@test "ADDRESS -P: a physical address is its page, and what its linear-map address is" {
	local d
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	# the task_struct of PID 1 (crash's ps) at its physical address
	run "$VMBIN/vmkmem" --json -P "$d" 1128100 1000
	assert_success
	"$PY" -c '
import json, sys
a, b = [json.loads(l) for l in sys.argv[1].split("\n")]
assert (a["kind"], a["cache"], a["object"], a["free"]) == ("slab", "task_struct", "0xff22284481128000", False), a
assert (b["kind"], b["page"], b["flag_names"]) == ("page", "0xffabc55580000040", "reserved"), b
' "$output"
}

# ---------------------------------------------------------------- arm64

# The dumps whose guest printed its own /proc/meminfo and ps before the
# crash (serial.log's "=== GT" sections): "CASE DUMP SERIAL" per line. The
# arm64 6.1 corpus dump (text-only kallsyms) and the kernel-span cases
# (5.10, 7.2 x86_64, 7.2 arm64 with page types and SLUB sheaves), each read
# from the dump alone.
gt_cases() {
	local c d
	[ -e "$FIX/$ARM" ] && echo "arm64-6.1 $FIX/$ARM $FIX/arm64-6.1-debian/serial.log"
	for c in x86_64-5.10 x86_64-7.2 arm64-7.2; do
		d=$(kfix_dump "$c" 2>/dev/null) && echo "$c $d $KFIX/$c/serial.log"
	done
	return 0
}

# meminfo SERIAL KEY: the guest's /proc/meminfo value (kB)
meminfo() {
	awk -v k="$2:" '/^=== GT meminfo ===/ { on = 1; next } /^=== GT / { on = 0 }
		on && $1 == k { print $2; exit }' "$1"
}

# near A B PERCENT: A within PERCENT% of B
near() {
	"$PY" -c 'import sys; a, b, p = map(int, sys.argv[1:]); sys.exit(abs(a - b) * 100 > b * p)' "$@" ||
		{ echo "$1 not within $3% of $2"; return 1; }
}

check_gt_info() { # CASE DUMP SERIAL
	local scn=$1 dump=$2 serial=$3 json k v want
	[ -n "$(meminfo "$serial" MemTotal)" ] || { echo "$scn: no GT meminfo"; return 1; }
	json=$("$VMBIN/vmkmem" --json -i "$dump" | head -1)
	[ -n "$json" ] || { echo "$scn: no record"; return 1; }
	# kB of each item (absent when the dump does not say)
	declare -A kb
	while read -r k v; do kb[$k]=$v; done < <("$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
for k, v in d.items():
    if isinstance(v, int) and k != "page_size":
        print(k, v * d["page_size"] // 1024)' "$json")
	# the counters the kernel keeps still (totalram_pages, buffers,
	# CommitLimit): equal; what moves between the guest's meminfo and the
	# crash (its ps, its stack dump, the panic): FREE and CACHED within 2%,
	# SLAB and COMMITTED within 10%
	[ "${kb[total_mem]}" = "$(meminfo "$serial" MemTotal)" ] || { echo "$scn: TOTAL MEM ${kb[total_mem]} kB, MemTotal $(meminfo "$serial" MemTotal)"; return 1; }
	[ "${kb[buffers]}" = "$(meminfo "$serial" Buffers)" ] || { echo "$scn: BUFFERS ${kb[buffers]} kB"; return 1; }
	near "${kb[free]}" "$(meminfo "$serial" MemFree)" 2 || { echo "$scn: FREE"; return 1; }
	near "${kb[cached]}" "$(meminfo "$serial" Cached)" 2 || { echo "$scn: CACHED"; return 1; }
	near "${kb[slab]}" "$(meminfo "$serial" Slab)" 10 || { echo "$scn: SLAB"; return 1; }
	for k in total_swap:SwapTotal commit_limit:CommitLimit; do
		[ -z "${kb[${k%%:*}]}" ] && continue    # text-only kallsyms
		want=$(meminfo "$serial" "${k#*:}")
		[ "${kb[${k%%:*}]}" = "$want" ] || { echo "$scn: $k ${kb[${k%%:*}]} kB, guest $want"; return 1; }
	done
	if [ -n "${kb[committed]}" ]; then
		near "${kb[committed]}" "$(meminfo "$serial" Committed_AS)" 10 || { echo "$scn: COMMITTED"; return 1; }
	fi
	echo "$scn: MemTotal ${kb[total_mem]} kB, free ${kb[free]} (guest $(meminfo "$serial" MemFree)), slab ${kb[slab]} (guest $(meminfo "$serial" Slab))"
}

@test "dump alone vs the guest's /proc/meminfo (arm64 6.1, 5.10, 7.2 x86_64 and arm64): TOTAL MEM = MemTotal, FREE within 2%" {
	local scn d s n=0
	while read -r scn d s; do
		run check_gt_info "$scn" "$d" "$s"
		echo "$output"
		assert_success
		n=$((n + 1))
	done < <(gt_cases)
	[ "$n" -ge 1 ] || skip "no dump with the guest's meminfo"
}

@test "arm64 6.1 (text-only kallsyms): BUFFERS from a bdev_cache object; what needs data symbols is unknown and named" {
	local d
	need_fixture d "$ARM"
	run --separate-stderr "$VMBIN/vmkmem" --json "$d"
	# no data symbols: vm_committed_as, swap_info, hstates cannot be found,
	# and say so
	assert_failure 1
	[[ $stderr == *"COMMITTED: no symbol named vm_committed_as"* ]]
	# the record, then one error record per unknown item
	[ "$(grep -c '"error"' <<<"$output")" -eq 7 ]
	run check_gt_info arm64-6.1 "$d" "$FIX/arm64-6.1-debian/serial.log"
	echo "$output"
	assert_success
}

check_gt_tasks() { # CASE DUMP SERIAL
	local scn=$1 dump=$2 serial=$3 gt n out
	# the guest's own ps: PIDs; vmps gives each PID's task_struct address
	# (vmps.bats and kernels.bats check its PIDs against the same ps)
	gt=$(awk '/^=== GT ps ===/ { on = 1; next } /^=== GT / { on = 0 } on && $1 ~ /^[0-9]+$/ { print $1 }' \
		"$serial" | sort -un)
	[ "$(wc -l <<<"$gt")" -gt 40 ] || { echo "$scn: GT ps?"; return 1; }
	"$VMBIN/vmps" --json "$dump" | "$PY" -c '
import json, sys
want = set(int(p) for p in sys.argv[1].split())
for l in sys.stdin:
    t = json.loads(l)
    if t["pid"] in want and t["pid"] > 0:
        print(t["task"][2:], "%x" % (int(t["task"], 16) + 100))' "$gt" >"$BATS_TEST_TMPDIR/tasks"
	n=$(wc -l <"$BATS_TEST_TMPDIR/tasks")
	# all but the guest's ps itself (and what exited after it)
	[ "$n" -gt $(($(wc -l <<<"$gt") - 4)) ] || { echo "$scn: $n of $(wc -l <<<"$gt") tasks"; return 1; }
	# shellcheck disable=SC2046
	out=$("$VMBIN/vmkmem" --json "$dump" $(cat "$BATS_TEST_TMPDIR/tasks")) || { echo "$scn: exit $?"; return 1; }
	"$PY" -c '
import json, sys
rows = [json.loads(l) for l in sys.argv[1].split("\n")]
assert len(rows) == 2 * int(sys.argv[2]), len(rows)
for i in range(0, len(rows), 2):
    a, b = rows[i], rows[i + 1]
    for r in (a, b):
        assert (r["kind"], r["cache"], r["free"], r["in_object"]) == ("slab", "task_struct", False, True), r
        assert r["object"] == a["addr"], (r, a)
' "$out" "$n" || { echo "$scn"; return 1; }
	out=$("$VMBIN/vmkmem" --slabs "$dump") || { echo "$scn: --slabs exit $?"; return 1; }
	# as many task_struct objects allocated as the guest had tasks, at least
	awk -v n="$n" '$7 == "task_struct" { found = 1; if ($3 < n) exit 1 } END { exit !found }' <<<"$out" ||
		{ echo "$scn: task_struct cache: $(grep task_struct <<<"$out")"; return 1; }
	# every free list walked: what they hold is nr_free_pages, but for the
	# per-CPU deltas not yet folded in (x86_64-7.2: DMA32's vm_stat_diff
	# holds -4, drgn with its -dbg vmlinux says; crash prints "found" too)
	out=$("$VMBIN/vmkmem" --free "$dump" | grep '^nr_free_pages: ') || { echo "$scn: --free"; return 1; }
	[[ $out =~ ^nr_free_pages:\ ([0-9]+)\ +\((verified|found\ ([0-9]+))\)$ ]] &&
		{ [ -z "${BASH_REMATCH[3]}" ] || near "${BASH_REMATCH[3]}" "${BASH_REMATCH[1]}" 1; } ||
		{ echo "$scn: $out"; return 1; }
	"$VMBIN/vmkmem" -z "$dump" >/dev/null || { echo "$scn: -z"; return 1; }
	"$VMBIN/vmkmem" --counters "$dump" | grep -qE '^ +NR_FREE_PAGES: [0-9]+$' || { echo "$scn: --counters"; return 1; }
	echo "$scn: $n task_structs"
}

@test "dump alone: every task_struct of the guest's ps is an allocated task_struct object; --slabs, --free, -z, --counters answer" {
	local scn d s n=0
	while read -r scn d s; do
		run check_gt_tasks "$scn" "$d" "$s"
		echo "$output"
		assert_success
		n=$((n + 1))
	done < <(gt_cases)
	[ "$n" -ge 1 ] || skip "no dump with the guest's ps"
}

# ---------------------------------------------------------------- bad input

@test "ADDRESS: unmapped and non-canonical addresses get one line each and exit 1; garbage is a usage error" {
	local d
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	run --separate-stderr "$VMBIN/vmkmem" "$d" 8000000000000000 fffffe0000100000 ff22284481128000
	assert_failure 1
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} =~ ^8000000000000000\ +unmapped\ +.*canonical ]]
	[[ ${lines[1]} =~ ^fffffe0000100000\ +unmapped\ +va\ 0xfffffe0000100000\ not\ mapped ]]
	[[ ${lines[2]} =~ ^ff22284481128000\ +slab\ +task_struct ]]
	[[ $stderr == *"2 of 3 addresses not answered"* ]]
	run "$VMBIN/vmkmem" "$d" not-an-address
	assert_failure 2
	run "$VMBIN/vmkmem" -P "$d" fffffffffffff000
	assert_failure 1
	assert_output --partial "in no present memory section"
}

@test "ADDRESS: page tables the dump left out give 'excluded' with the page that is missing" {
	local d
	need_fixture d x86_64-6.1/oops-module/vmcore.kdump-zlib
	# the kernel's top-level table taken from a free page -d 31 dropped
	# (pfn 0x9000: buddy, "not in the dump" in the test above)
	run "$VMBIN/vmkmem" "$d" ff22284489000000
	assert_output --partial "type buddy  (not in the dump)"
	run --separate-stderr "$VMBIN/vmkmem" -o pgd=0x9000000 "$d" fffffe0000001000
	assert_failure 1
	assert_output --regexp '^fffffe0000001000  excluded  va 0xfffffe0000001000: reading PGD entry 511 at pa 0x9000ff8: .*excluded from the dump$'
	[[ $stderr == *"1 of 1 addresses not answered"* ]]
}

# damage FILE VA [TYPE MEMBER] VALUE: store VALUE (u64) at VA (+ the member)
# in the dump copy FILE, located through $O/tests/kvaddr2off
damage() {
	local f=$1 va=$2 off v i bytes=()
	shift 2
	v=${*: -1}
	read -r off _ < <("$KV" "$f" "$va" "${@:1:$#-1}") || return 1
	for i in 0 1 2 3 4 5 6 7; do
		bytes+=("$(printf '\\x%02x' $(( (v >> (8 * i)) & 0xff )))")
	done
	printf "$(printf '%s' "${bytes[@]}")" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# value FILE VA [TYPE MEMBER]: the u64 stored there
value() {
	"$KV" "$@" | awk '{ print "0x" $2 }'
}

setup_copy() {
	local src o
	need_fixture src derive:raw
	o=${O:-$ROOT/build}
	case $VMBIN in */build-san/bin) o=${VMBIN%/bin} ;; esac
	KV=$o/tests/kvaddr2off
	[ -x "$KV" ] || skip "kvaddr2off not built ($KV)"
	COPY=$(mktemp /dev/shm/vmkmem.XXXXXX 2>/dev/null) || COPY=$BATS_TEST_TMPDIR/copy
	cp "$src" "$COPY"
}

teardown() {
	[ -n "${COPY:-}" ] && rm -f "$COPY"
	COPY=
}

@test "damaged slab_caches list, free list and node partial list: clear errors, the rest still counted, no hang" {
	local head first slab mem
	setup_copy
	head=$("$VMBIN/vmsym" "$COPY" slab_caches | awk '{ print $1 }')
	first=$(value "$COPY" "$head")
	# the first cache's list.next pointing at itself
	damage "$COPY" "${first#0x}" "$first"
	run --separate-stderr timeout 20 "$VMBIN/vmkmem" --slabs "$COPY"
	assert_failure 1
	[[ $stderr == *"slab cache list: list at 0x${head}"*"loop"* || $stderr == *"slab cache list"*"not linked back"* ]]
	cp "$(fixture derive:raw)" "$COPY"
	# task_struct's CPU 0 slab with a garbage free list: that cache shows
	# "?", every other cache its counts
	read -r slab mem < <("$VMBIN/vmkmem" --slab task_struct "$COPY" | awk '/^CPU 0 SLAB:/ { getline; getline; print $1, $2; exit }')
	damage "$COPY" "$slab" slab freelist 0x4141414141414141
	run --separate-stderr timeout 20 "$VMBIN/vmkmem" --slabs "$COPY"
	assert_failure 1
	assert_line --regexp '^ff[0-9a-f]+ +5960 +\? +\? +\? +32k  task_struct$'
	assert_line --regexp ' dentry$'
	[[ $stderr == *": task_struct: free object 0x"*"is not an object of slab memory"* ]]
	# an object of that slab cannot be told free or allocated
	run --separate-stderr timeout 20 "$VMBIN/vmkmem" "$COPY" "$mem"
	assert_failure 1
	[[ $stderr == *"free object 0x"* ]]
}

@test "damaged free lists and mem_map: --free says which list broke, -i which item it lacks" {
	local head first roots
	setup_copy
	# a zone's free list: its first free page's lru.next pointing at itself
	head=$("$VMBIN/vmkmem" --free "$COPY" | awk '$2 == "4096k" && $4 > 0 { print $3; exit }')
	[ -n "$head" ]
	first=$(value "$COPY" "$head")
	damage "$COPY" "${first#0x}" "$first"
	run --separate-stderr timeout 20 "$VMBIN/vmkmem" --free "$COPY"
	assert_failure 1
	[[ $stderr == *"free_list"*"list at 0x${head}"* ]]
	assert_line --partial "nr_free_pages: "
	cp "$(fixture derive:raw)" "$COPY"
	# mem_section's first root pointing nowhere: SHARED cannot be counted,
	# the counters are still there
	roots=$(strings -n 8 "$COPY" | sed -n 's/^SYMBOL(mem_section)=//p' | head -n 1)
	damage "$COPY" "$roots" 0x4141414141414000
	run --separate-stderr timeout 20 "$VMBIN/vmkmem" -i "$COPY"
	assert_failure 1
	assert_line --regexp '^ +SHARED +- +- +\(unknown\)$'
	assert_line --regexp '^ +TOTAL MEM +37847 '
	[[ $stderr == *"SHARED: mem_map: mem_section"* ]]
}
