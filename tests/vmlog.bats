#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# vmlog: the kernel log, compared byte for byte with makedumpfile --dump-dmesg
# (dmesg.makedumpfile*.txt of each scenario), with crash's `log` (crash.txt,
# and tests/ref/SCN/crash-log-*.txt from tests/ref/make-refs-vmlog.sh), and
# with synthetic dumps of the older formats written by tests/gen/mkprintk
# (records laid out as the kernel's writers do; its .expected files are the
# generator's own account of what survives).

load helpers

SCENARIOS="sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy"
MKPRINTK=

setup() {
	need_prog vmlog
	O=${O:-$ROOT/build}
	MKPRINTK=$O/tests/gen/mkprintk
	[ -x "$MKPRINTK" ] || MKPRINTK=$ROOT/build/tests/gen/mkprintk
}

need_mkprintk() {
	[ -x "$MKPRINTK" ] || skip "tests/gen/mkprintk not built"
}

# check_same SCN_FILE OUT REF: byte-identical, else show the first diff lines
check_same() {
	if ! cmp -s "$2" "$3"; then
		echo "$1: output differs from ${3#"$FIX"/}:" >&2
		diff "$3" "$2" | head -n 20 >&2
		return 1
	fi
}

@test "vmlog = makedumpfile --dump-dmesg on every x86_64 kdump file" {
	local s out=$BATS_TEST_TMPDIR/out
	for s in $SCENARIOS; do
		skip_if_missing "x86_64-6.1/$s"
		vmlog "$FIX/x86_64-6.1/$s" >"$out"
		check_same "$s" "$out" "$FIX/x86_64-6.1/${s%%/*}/dmesg.makedumpfile.txt"
	done
}

@test "vmlog -C = makedumpfile 1.7.9 with caller ids on every x86_64 kdump file" {
	local s out=$BATS_TEST_TMPDIR/out
	for s in $SCENARIOS; do
		skip_if_missing "x86_64-6.1/$s"
		vmlog -C "$FIX/x86_64-6.1/$s" >"$out"
		check_same "$s" "$out" "$FIX/x86_64-6.1/${s%%/*}/dmesg.makedumpfile-caller.txt"
	done
}

@test "vmlog = crash's log in crash.txt, line for line" {
	local s out=$BATS_TEST_TMPDIR/out ref=$BATS_TEST_TMPDIR/ref
	for s in $SCENARIOS; do
		skip_if_missing "x86_64-6.1/$s"
		crash_block "x86_64-6.1/${s%%/*}" log >"$ref"
		[ -s "$ref" ] || fail "no log block in ${s%%/*}/crash.txt"
		vmlog "$FIX/x86_64-6.1/$s" >"$out"
		check_same "$s" "$out" "$ref"
	done
}

@test "vmlog -k vmlinux: the same bytes (VMCOREINFO first, debuginfo unused)" {
	local vmlinux s out=$BATS_TEST_TMPDIR/out
	need_fixture vmlinux x86_64-6.1/vmlinux.xz
	for s in $SCENARIOS; do
		skip_if_missing "x86_64-6.1/$s"
		vmlog -k "$vmlinux" "$FIX/x86_64-6.1/$s" >"$out"
		check_same "$s" "$out" "$FIX/x86_64-6.1/${s%%/*}/dmesg.makedumpfile.txt"
		vmlog -C -k "$vmlinux" "$FIX/x86_64-6.1/$s" >"$out"
		check_same "$s" "$out" "$FIX/x86_64-6.1/${s%%/*}/dmesg.makedumpfile-caller.txt"
	done
}

@test "vmlog on QEMU's unfiltered ELF dump of oops-module" {
	local elf out=$BATS_TEST_TMPDIR/out d=$FIX/x86_64-6.1/oops-module
	need_fixture elf x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	vmlog "$elf" >"$out"
	check_same qemu-elf "$out" "$d/dmesg.makedumpfile.txt"
	vmlog -C "$elf" >"$out"
	check_same qemu-elf "$out" "$d/dmesg.makedumpfile-caller.txt"
}

@test "vmlog on makedumpfile conversions (lzo, uncompressed, flattened)" {
	local k f out=$BATS_TEST_TMPDIR/out
	need_cmd makedumpfile
	for k in lzo raw flat; do
		need_fixture f "derive:$k"
		vmlog "$f" >"$out"
		check_same "derive:$k" "$out" "$FIX/x86_64-6.1/oops-module/dmesg.makedumpfile.txt"
	done
}

@test "vmlog on the arm64 dump (Debian's stock kernel, no vmlinux)" {
	local d=$FIX/arm64-6.1-debian out=$BATS_TEST_TMPDIR/out
	skip_if_missing arm64-6.1-debian/vmcore.qemu-kdump-zlib
	run --separate-stderr vmlog "$d/vmcore.qemu-kdump-zlib"
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	printf '%s\n' "$output" >"$out"
	check_same arm64 "$out" "$d/dmesg.makedumpfile.txt"
}

@test "-t, -L, -d = crash's log -t, -m, -d" {
	local s o f ref out=$BATS_TEST_TMPDIR/out
	for s in $SCENARIOS; do
		skip_if_missing "x86_64-6.1/$s"
		for o in t m d; do
			ref=$ROOT/tests/ref/${s%%/*}/crash-log-$o.txt
			[ -f "$ref" ] || fail "missing $ref (tests/ref/make-refs-vmlog.sh)"
			# crash's log -m is -L here (-m is System.map in every program)
			f=-$o; [ "$o" = m ] && f=-L
			vmlog "$f" "$FIX/x86_64-6.1/$s" >"$out"
			check_same "$s -$o" "$out" <(tail -n +2 "$ref")
		done
	done
}

@test "-T = crash's log -T (TZ=UTC)" {
	local s ref out=$BATS_TEST_TMPDIR/out
	for s in $SCENARIOS; do
		skip_if_missing "x86_64-6.1/$s"
		ref=$ROOT/tests/ref/${s%%/*}/crash-log-T.txt
		TZ=UTC run --separate-stderr vmlog -T "$FIX/x86_64-6.1/$s"
		[ "$status" -eq 0 ] || fail "exit $status: $stderr"
		# these dumps carry no CRASHTIME and a zero header time: the time
		# comes from the timekeeper (types from the dump's BTF)
		[ -z "$stderr" ] || fail "$s -T: $stderr"
		printf '%s\n' "$output" >"$out"
		check_same "$s -T" "$out" <(tail -n +2 "$ref")
	done
}

@test "--json: one valid object per record, same texts as the default output" {
	local d=$FIX/x86_64-6.1/oops-module
	skip_if_missing x86_64-6.1/oops-module/vmcore.kdump-zlib
	need_cmd python3
	vmlog --json "$d/vmcore.kdump-zlib" >"$BATS_TEST_TMPDIR/j"
	run python3 - "$BATS_TEST_TMPDIR/j" "$d/dmesg.makedumpfile.txt" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ref = open(sys.argv[2]).read().split("\n")[:-1]
# makedumpfile: "[%5d.%06d] " + text, continuation lines indented 15
texts, cur = [], None
for l in ref:
    if l.startswith("["):
        if cur is not None: texts.append(cur)
        cur = l[15:]
    else:
        cur += "\n" + l[15:]
texts.append(cur)
assert len(recs) == len(texts), (len(recs), len(texts))
for r, t in zip(recs, texts):
    assert set(r) >= {"seq", "ts_nsec", "level", "facility", "caller", "text", "dict"}, r
    assert r["text"] == t, (r["text"], t)
seqs = [r["seq"] for r in recs]
assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "seq not consecutive"
assert recs[-1]["level"] == 0 and recs[-1]["caller"] == "T1", recs[-1]
assert any(r["dict"].get("SUBSYSTEM") == "acpi" for r in recs)
print(len(recs))
EOF
	[ "$status" -eq 0 ] || fail "$output"
}

@test "usage errors: -t with -T, two dumps, no dump: exit 2" {
	run vmlog -t -T "$SAMPLE"
	[ "$status" -eq 2 ]
	run vmlog "$SAMPLE" "$SAMPLE"
	[ "$status" -eq 2 ]
	run vmlog -C
	[ "$status" -eq 2 ]
}

# ---------------------------------------------------------- synthetic dumps

@test "synthetic v5.10+ printk_ringbuffer (wrapped, empty messages, committed head)" {
	need_mkprintk
	local g=$BATS_TEST_TMPDIR/prb
	"$MKPRINTK" prb "$g"
	vmlog "$g" >"$g.out"
	check_same prb "$g.out" "$g.expected"
	vmlog -C "$g" >"$g.out"
	check_same prb "$g.out" "$g.expected-c"
}

@test "synthetic v3.5-v5.9 printk_log records: LOG_ALIGN 4/8, with/without caller_id, struct log" {
	need_mkprintk
	local f g
	for f in log4 log4c log8 log8c log35; do
		g=$BATS_TEST_TMPDIR/$f
		"$MKPRINTK" "$f" "$g"
		run --separate-stderr vmlog "$g"
		[ "$status" -eq 0 ] || fail "$f: exit $status: $stderr"
		[ -z "$stderr" ] || fail "$f: stderr: $stderr"
		vmlog "$g" >"$g.out"
		check_same "$f" "$g.out" "$g.expected"
		if [ -f "$g.expected-c" ]; then
			vmlog -C "$g" >"$g.out"
			check_same "$f -c" "$g.out" "$g.expected-c"
		fi
	done
}

@test "synthetic plain log_buf before v3.5 (rotated at log_end)" {
	need_mkprintk
	local g=$BATS_TEST_TMPDIR/plain
	"$MKPRINTK" plain "$g"
	vmlog "$g" >"$g.out"
	check_same plain "$g.out" "$g.expected"
}

# expect_lost G: stderr names exactly the sequence numbers in G.lost
expect_lost() {
	local s n
	for s in $(cat "$1.lost"); do
		n=0
		[[ $stderr == *"record $s lost"* ]] && n=1
		[[ $stderr =~ records\ ([0-9]+)-([0-9]+)\ lost ]] &&
			[ "${BASH_REMATCH[1]}" -le "$s" ] && [ "$s" -le "${BASH_REMATCH[2]}" ] && n=1
		[ "$n" -eq 1 ] || fail "lost record $s not named on stderr: $stderr"
	done
}

@test "damaged ringbuffer: corrupt descriptor -> the others printed, the lost one named, exit 0" {
	need_mkprintk
	local g=$BATS_TEST_TMPDIR/prbdesc
	"$MKPRINTK" prb "$g" desc
	run --separate-stderr vmlog "$g"
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	printf '%s\n' "$output" >"$g.out"
	check_same prb-desc "$g.out" "$g.expected"
	[ -s "$g.lost" ]
	expect_lost "$g"
	[[ $stderr == *"holds id"* ]]
}

@test "damaged ringbuffer: a text page missing from the dump -> its records named" {
	need_mkprintk
	local g=$BATS_TEST_TMPDIR/prbhole
	"$MKPRINTK" prb "$g" hole
	run --separate-stderr vmlog "$g"
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	printf '%s\n' "$output" >"$g.out"
	check_same prb-hole "$g.out" "$g.expected"
	[ -s "$g.lost" ]
	expect_lost "$g"
	[[ $stderr == *"not in the dump"* ]]
}

@test "damaged printk_log: corrupt record length -> records after it resynced" {
	need_mkprintk
	local g=$BATS_TEST_TMPDIR/logbad
	"$MKPRINTK" log4c "$g" len
	run --separate-stderr vmlog "$g"
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	printf '%s\n' "$output" >"$g.out"
	check_same log-len "$g.out" "$g.expected"
	[[ $stderr == *"records lost: record at log_buf+"*"has len 6"* ]]
}

@test "no VMCOREINFO (synthetic ELF, note renamed): exit 1 with a clear message" {
	need_mkprintk
	local g=$BATS_TEST_TMPDIR/novmci
	"$MKPRINTK" prb "$g" novmci
	run --separate-stderr vmlog "$g"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ $stderr == "vmlog: $g: "*VMCOREINFO* ]] || fail "stderr: $stderr"
}

# elf_patch ELF PYTHON: run PYTHON with f (the file opened r+b), loads (list
# of (p_offset, p_paddr, p_filesz)), notes (list of (name_offset, name)),
# vmci (the VMCOREINFO note as a dict) and file_off(pa)
elf_patch() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys
f = open(sys.argv[1], "r+b")
eh = f.read(64)
phoff, = struct.unpack_from("<Q", eh, 32)
phentsize, phnum = struct.unpack_from("<HH", eh, 54)
loads, notes, vmci = [], [], {}
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    p_type, p_flags, off, va, pa, filesz, memsz, align = struct.unpack("<IIQQQQQQ", f.read(56))
    if p_type == 1:
        loads.append((off, pa, filesz))
    elif p_type == 4:
        f.seek(off)
        data = f.read(filesz)
        pos = 0
        while pos + 12 <= len(data):
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            notes.append((off + pos + 12, name))
            if name == b"VMCOREINFO":
                d0 = pos + 12 + (namesz + 3) // 4 * 4
                for kv in data[d0:d0 + descsz].decode().split("\n"):
                    if "=" in kv:
                        vmci[kv.split("=", 1)[0]] = kv.split("=", 1)[1]
            pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
def file_off(pa):
    for off, start, size in loads:
        if start <= pa < start + size:
            return off + pa - start
    raise SystemExit("pa %#x not in the file" % pa)
exec(sys.argv[2])
EOF
}

@test "no VMCOREINFO (QEMU ELF copy, note renamed): exit 1, says so" {
	local elf g=$BATS_TEST_TMPDIR/novmci.elf
	need_fixture elf x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_cmd python3
	cp "$elf" "$g"
	elf_patch "$g" '
n = [o for o, name in notes if name == b"VMCOREINFO"]
assert len(n) == 1, notes
f.seek(n[0] + 9); f.write(b"X")'
	run --separate-stderr env HOME="$BATS_TEST_TMPDIR" XDG_CACHE_HOME="$BATS_TEST_TMPDIR/c" vmlog "$g"
	[ "$status" -eq 1 ] || fail "exit $status"
	[ -z "$output" ]
	[[ $stderr == "vmlog: $g: "*"no VMCOREINFO"* ]] || fail "stderr: $stderr"
}

@test "no VMCOREINFO but -k vmlinux: symbols and layouts from debuginfo, same bytes" {
	local elf vmlinux g=$BATS_TEST_TMPDIR/novmci.elf d=$FIX/x86_64-6.1/oops-module
	need_fixture elf x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_fixture vmlinux x86_64-6.1/vmlinux.xz
	need_cmd python3
	cp "$elf" "$g"
	elf_patch "$g" '
n = [o for o, name in notes if name == b"VMCOREINFO"]
f.seek(n[0] + 9); f.write(b"X")'
	vmlog -k "$vmlinux" "$g" >"$g.out"
	check_same novmci-k "$g.out" "$d/dmesg.makedumpfile.txt"
	vmlog -C -k "$vmlinux" "$g" >"$g.out"
	check_same novmci-k "$g.out" "$d/dmesg.makedumpfile-caller.txt"
	# levels: printk_info.facility from DWARF
	vmlog -L -k "$vmlinux" "$g" >"$g.out"
	check_same novmci-k-m "$g.out" <(tail -n +2 "$ROOT/tests/ref/oops-module/crash-log-m.txt")
}

@test "damaged ring in a real dump: one descriptor's id corrupted in a QEMU ELF copy" {
	local elf g=$BATS_TEST_TMPDIR/baddesc.elf d=$FIX/x86_64-6.1/oops-module
	need_fixture elf x86_64-6.1/oops-module/vmcore.qemu.elf.zst
	need_cmd python3
	skip_if_missing x86_64-6.1/System.map
	cp "$elf" "$g"
	# _printk_rb_static_descs from System.map, slid by VMCOREINFO's
	# KERNELOFFSET, to physical through NUMBER(phys_base): descriptor 100
	# holds record 100, the first record being reserved in the array's
	# first slot (printk_ringbuffer.h, "Req3")
	local descs
	descs=$(awk '$3 == "_printk_rb_static_descs" { print $1 }' "$FIX/x86_64-6.1/System.map")
	[ -n "$descs" ] || fail "no _printk_rb_static_descs in System.map"
	elf_patch "$g" "
va = 0x$descs + int(vmci['KERNELOFFSET'], 16) + 100 * int(vmci['SIZE(prb_desc)'])
pa = va - 0xffffffff80000000 + int(vmci['NUMBER(phys_base)'])
o = file_off(pa) + int(vmci['OFFSET(prb_desc.state_var)'])
f.seek(o); sv = bytearray(f.read(8)); sv[0] ^= 0x40
f.seek(o); f.write(sv)"
	run --separate-stderr vmlog "$g"
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[[ $stderr == *"record 100 lost: descriptor 100 holds id"* ]] || fail "stderr: $stderr"
	# the reference without record 100 (its line 101: no continuation lines
	# before it in this log)
	sed -n 101p "$d/dmesg.makedumpfile.txt" | grep -q '^\[' || fail "reference line 101 is not a record"
	printf '%s\n' "$output" >"$g.out"
	check_same baddesc "$g.out" <(sed 101d "$d/dmesg.makedumpfile.txt")
}
