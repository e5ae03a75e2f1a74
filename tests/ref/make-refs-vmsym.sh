#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmsym's and the address translation's references from Red Hat
# crash on the fixture dumps.
#
#   tests/ref/make-refs-vmsym.sh        (needs crash, python3, the corpus)
#
# Per scenario, two crash sessions:
#   1. discovery: p/x page_offset_base, p/x max_pfn, mod, kmem -v
#      -> the bases and ranges the addresses below are drawn from;
#   2. every `sym` and `vtop` command in one batch (crash takes ~6 s to
#      start; one session per scenario keeps this under a minute).
# Outputs, each starting with a line naming the command that made it:
#   tests/ref/SCN/crash-sym.txt   `sym NAME` / `sym ADDRESS` outputs, one
#       "@@ QUERY" line before each (raw crash output otherwise)
#   tests/ref/SCN/crash-vtop.txt  1000 addresses (250 each: kernel image,
#       direct map, vmalloc, module), condensed from crash's `vtop` to
#       "VA PA" or "VA unmapped" (crash's walk shows an entry "=> 0" or a
#       non-present PTE; its PHYSICAL column is garbage then)
# The addresses and symbols are drawn with a fixed seed from System.map,
# crashmod.ko's symbol table and session 1's output, so a rerun on the same
# corpus reproduces the files.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
ver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')
map=$FIX/x86_64-6.1/System.map
ko=$FIX/x86_64-6.1/crashmod.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for scn in sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy; do
	dir=${scn%%/*}
	dump=$FIX/x86_64-6.1/$scn
	out=$here/tests/ref/$dir
	mkdir -p "$out"
	# the KASLR slide as the kernel printed it ("Kernel Offset: disabled" = 0)
	slide=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\) from.*/\1/p' "$FIX/x86_64-6.1/$dir/serial.log")
	slide=${slide:-0x0}

	printf 'p/x page_offset_base\np/x max_pfn\nmod\nkmem -v\nq\n' |
		crash -s "$vmlinux" "$dump" >"$tmp/disc.txt" 2>&1

	python3 - "$map" "$ko" "$slide" "$tmp/disc.txt" "$tmp" <<'EOF'
import random, subprocess, sys
mapf, ko, slide, disc, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3], 16), sys.argv[4], sys.argv[5]
rnd = random.Random(20240605)
syms = []
for line in open(mapf):
    a, t, n = line.split()
    syms.append((int(a, 16), t, n))
byname = {}
for a, t, n in syms:
    byname.setdefault(n, []).append((a, t))
pcpu_end = byname['__per_cpu_end'][0][0]
def slid(a):
    return a + slide if a >= 0xffffffff80000000 else a
# --- symbols: unique names of each kind, spread over the map
want = {'T': 20, 't': 10, 'D': 8, 'd': 6, 'B': 5, 'b': 5, 'R': 2, 'r': 4, 'W': 3}
names = []
for kind, cnt in want.items():
    cands = [n for a, t, n in syms if t == kind and len(byname[n]) == 1
             and a >= 0xffffffff81000000 and not n.startswith('__')]
    names += rnd.sample(cands, cnt)
pcpu = [n for a, t, n in syms if 0 < a < pcpu_end and len(byname[n]) == 1]
names += rnd.sample(pcpu, 8) + ['runqueues', 'schedule', '_stext', 'init_task', 'jiffies_64']
dups = [n for n, v in byname.items() if len(v) > 1 and v[0][1] in 'tT']
names += rnd.sample(sorted(dups), 3)
nm = subprocess.run(['nm', ko], capture_output=True, text=True).stdout.split('\n')
modsyms = [l.split()[2] for l in nm if len(l.split()) == 3 and l.split()[1] in 'tTdDbB'
           and not l.split()[2].startswith('__')]
names += modsyms
# addresses inside symbols (name+offset), vmlinux text and data
addrs = []
for n in rnd.sample([n for a, t, n in syms if t in 'Tt' and len(byname[n]) == 1
                     and a >= 0xffffffff81000000], 20):
    addrs.append(slid(byname[n][0][0]) + rnd.randrange(0, 16))
with open(tmp + '/sym.cmds', 'w') as f:
    for n in names:
        f.write('echo @@ %s\nsym %s\n' % (n, n))
    for a in addrs:
        f.write('echo @@ %x\nsym %x\n' % (a, a))
# --- addresses for vtop
d = open(disc).read().split('\n')
pob = next(int(l.split('=')[1], 16) for l in d if l.startswith('$1 ='))
maxpfn = next(int(l.split('=')[1], 16) for l in d if l.startswith('$2 ='))
mods, vmaps = [], []
for l in d:
    p = l.split()
    if len(p) >= 4 and p[3].isdigit() and len(p[0]) == 16 and p[2].startswith('ffffffffc'):
        mods.append((int(p[2], 16), int(p[3])))
    if len(p) == 6 and p[3] == '-':
        vmaps.append((int(p[2], 16), int(p[4], 16)))
stext = slid(byname['_stext'][0][0]); end = slid(byname['_end'][0][0])
va = []
va += [rnd.randrange(stext, end) for _ in range(250)]
va += [pob + rnd.randrange(0, maxpfn * 4096) for _ in range(250)]
vm = [r for r in vmaps if r[0] < 0xffffffff80000000]
for _ in range(250):
    s, e = rnd.choice(vm)
    va.append(rnd.randrange(s, e))
for _ in range(250):
    b, sz = rnd.choice(mods)
    va.append(b + rnd.randrange(0, sz + 8192))   # a little past the end too
with open(tmp + '/vtop.cmds', 'w') as f:
    for a in va:
        f.write('vtop %x\n' % a)
EOF
	{ cat "$tmp/sym.cmds" "$tmp/vtop.cmds"; echo q; } |
		crash -s "$vmlinux" "$dump" >"$tmp/raw.txt" 2>&1

	{
		printf '# crash %s: crash -s vmlinux %s < COMMANDS, COMMANDS = "echo @@ Q; sym Q" for each query Q below\n' "$ver" "${scn#*/}"
		awk '/^@@ /{on=1} /^VIRTUAL +PHYSICAL/{exit} on' "$tmp/raw.txt"
	} >"$out/crash-sym.txt"

	{
		printf '# crash %s: crash -s vmlinux %s < "vtop VA" for each VA below; condensed by make-refs-vmsym.sh to "VA PA" or "VA unmapped"\n' "$ver" "${scn#*/}"
		awk '
			function flush() { if (va != "") print va, (bad ? "unmapped" : pa); va = "" }
			/^VIRTUAL +PHYSICAL/ { flush(); getline; va = $1; pa = $2; bad = ($2 !~ /^[0-9a-f]+$/); next }
			va != "" && /=> 0$/ { bad = 1 }
			va != "" && /not mapped|invalid/ { bad = 1 }
			va != "" && /^ +PTE: .* => [0-9a-f]+$/ { e = $NF; if (e !~ /[13579bdf]$/) bad = 1 }
			END { flush() }' "$tmp/raw.txt"
	} >"$out/crash-vtop.txt"
	echo "$out: $(grep -c '^@@' "$out/crash-sym.txt") sym queries, $(($(wc -l <"$out/crash-vtop.txt") - 1)) vtop addresses"
done

# User address translation: crash 8.0.2's `vtop -u` fails on 6.1 (no
# mm_struct.mmap), so the reference comes from drgn on the kdump file: per
# user task its pid, comm, the physical address of mm->pgd and the argument
# area (mm->arg_start, its length).  The test reads the arguments through
# that page table in the QEMU ELF of the same crash (the kdump files lack
# user pages: -d 31) and expects the comm the kernel recorded as the base
# name of one of them (argv[1] for a script: "/bin/sh /init").
dump=$FIX/x86_64-6.1/oops-module/vmcore.kdump-zlib
ver=$(/usr/bin/python3 -c 'import drgn; print(drgn.__version__)')
{
	printf '# drgn %s: tests/ref/make-refs-vmsym.sh (per task with an mm: pid comm pgd_pa arg_start arg_len) on vmcore.kdump-zlib\n' "$ver"
	/usr/bin/python3 - "$vmlinux" "$dump" <<'PY'
import sys, drgn
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.mm import virt_to_phys
prog = drgn.Program()
prog.set_core_dump(sys.argv[2])
prog.load_debug_info([sys.argv[1]])
for t in sorted(for_each_task(prog), key=lambda t: t.pid.value_()):
    if not t.mm:
        continue
    pgd = virt_to_phys(prog, t.mm.pgd.value_())
    pgd = pgd.value_() if hasattr(pgd, 'value_') else pgd
    a, b = t.mm.arg_start.value_(), t.mm.arg_end.value_()
    print(t.pid.value_(), t.comm.string_().decode(), '%x' % pgd, '%x' % a, '%x' % (b - a))
PY
} >"$here/tests/ref/oops-module/drgn-user.txt"
echo "$here/tests/ref/oops-module/drgn-user.txt: $(grep -vc '^#' "$here/tests/ref/oops-module/drgn-user.txt") user tasks"
