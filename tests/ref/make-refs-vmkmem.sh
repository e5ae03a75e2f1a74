#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmkmem's references from Red Hat crash (and drgn, for what crash
# cannot see) on the x86_64 fixture dumps.
#
#   tests/ref/make-refs-vmkmem.sh [SCENARIO...]   (needs crash, python3-drgn,
#                                  the corpus; a few minutes per scenario)
#
# Per scenario (tests/ref/SCN/):
#   drgn-kmem.txt      drgn 0.0.22: every task's kernel stack (pid comm task
#                      stack THREAD_SIZE), each CPU's IRQ stack (cpu lo hi),
#                      vm_committed_as (count, per-CPU deltas, their sum),
#                      NR_SLAB_*_B
#   crash-kmem.txt     crash session 1: kmem -s, kmem -f, kmem -z, kmem -V,
#                      kmem -v, and the bases the addresses are drawn from
#                      (p/x page_offset_base, vmemmap_base, max_pfn; mod)
#   kmem-S.cmds        session 2's commands: kmem -S for 12 caches drawn from
#                      session 1's kmem -s (those with objects), task_struct
#                      among them
#   crash-kmem-S.txt   its output
#   kmem-addr.cmds     session 3's commands: "echo @@ KIND ADDRESS" then
#                      "kmem ADDRESS" for 60 addresses of each KIND:
#                        slab     an object of session 2's -S lists (allocated,
#                                 free and CPU-cached ones) plus an offset
#                                 inside it
#                        page     30 direct-map addresses (page_offset_base +
#                                 a random byte below max_pfn pages) and 30
#                                 struct page addresses (vmemmap_base + pfn *
#                                 64 + an offset inside it)
#                        vmalloc  an address in a kmem -v area that is no
#                                 task's stack
#                        stack    an address in a task's stack (drgn-kmem.txt:
#                                 every task; crash 8.0.2 knows 3 of them)
#                        symbol   a System.map symbol (text, data, bss,
#                                 rodata; slid by the KASLR offset the kernel
#                                 printed) or a crashmod symbol (crash's
#                                 "sym -m crashmod"), plus an offset below the
#                                 next symbol
#   crash-kmem-addr.txt  its output
# Every address is drawn with a fixed seed from the dump's own lists, so a
# rerun on the same corpus reproduces the files.  Each output file starts
# with a line naming the command that made it.
#
# Cases: the three 6.1 scenarios of the corpus (vmlinux from it, symbols
# from its System.map) and x86_64-5.10 of tests/fixtures (KFIX; vmlinux from
# Debian's -dbg package, tests/kernels/vmlinux.sh, or $VMLINUX_510; symbols
# from `nm -n` of it, filtered as System.map is; session 1 also runs kmem -i: its crash.txt has no
# "@@" markers).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
KFIX=${KFIX:-$here/tests/fixtures}
PY=/usr/bin/python3       # Debian's python: python3-drgn lives there
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
"$PY" -c 'import drgn' || { echo "python3-drgn not installed (make deps)" >&2; exit 1; }
cver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')
dver=$("$PY" -c 'import drgn; print(drgn.__version__)')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

crash_run() { # DUMP CMDFILE OUT
	{ cat "$2"; echo q; } | crash -s "$vmlinux" "$1" >"$3" 2>&1
}

all="sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy
     x86_64-5.10/vmcore.kdump-zlib"
for scn in $all; do
	dir=${scn%%/*}
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$dir"; then
		continue
	fi
	extra=
	case $dir in
	x86_64-5.10)
		dump=$KFIX/$scn serial=$KFIX/$dir/serial.log
		vmlinux=${VMLINUX_510:-$("$here/tests/kernels/vmlinux.sh" "$dir")}
		map=$tmp/map
		# System.map's own filter (scripts/mksysmap): no assembler
		# locals (.LC2: the guest's kallsyms and crash list them,
		# a System.map and our vmlinux symbols do not)
		nm -n "$vmlinux" | awk 'NF == 3 && $2 !~ /^[aNUwnv]$/ && $3 !~ /^(\.L|\$|__crc_|__kstrtab)/' >"$map"
		extra='kmem -i' ;;
	*)
		dump=$FIX/x86_64-6.1/$scn serial=$FIX/x86_64-6.1/$dir/serial.log
		vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
		map=$FIX/x86_64-6.1/System.map ;;
	esac
	out=$here/tests/ref/$dir
	mkdir -p "$out"
	slide=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\) from.*/\1/p' "$serial")
	slide=${slide:-0x0}

	# ---- drgn: stacks, vm_committed_as, slab counters
	{
		echo "# drgn $dver: tests/ref/make-refs-vmkmem.sh on $scn with its vmlinux"
		"$PY" - "$vmlinux" "$dump" <<'PY'
import sys, drgn
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.percpu import per_cpu_ptr
prog = drgn.Program()
prog.set_core_dump(sys.argv[2])
prog.load_debug_info([sys.argv[1]])
from drgn.helpers.linux.percpu import per_cpu
# THREAD_SIZE: the linker script puts __end_init_task THREAD_SIZE past init_stack
tsz = prog.symbol('__end_init_task').address - prog.symbol('init_stack').address
tasks = {t.value_(): t for t in for_each_task(prog)}
for cpu in for_each_possible_cpu(prog):    # the idle tasks for_each_task leaves out
    idle = per_cpu(prog['runqueues'], cpu).idle
    tasks.setdefault(idle.value_(), idle)
for t in sorted(tasks.values(), key=lambda t: (t.pid.value_(), t.value_())):
    print('stack', t.pid.value_(), t.comm.string_().decode(), '%x' % t.value_(),
          '%x' % t.stack.value_(), tsz)
for cpu in for_each_possible_cpu(prog):    # IRQ stacks: hardirq_stack_ptr is the top - 8
    top = per_cpu(prog['hardirq_stack_ptr'], cpu).value_() + 8
    print('irqstack', cpu, '%x' % (top - drgn.sizeof(prog.type('struct irq_stack'))), '%x' % top)
c = prog['vm_committed_as']
s = c.count.value_()
print('committed_count', s)
for cpu in for_each_possible_cpu(prog):
    d = per_cpu_ptr(c.counters, cpu)[0].value_()
    print('committed_cpu', cpu, d)
    s += d
print('committed_sum', s)
ns = prog['vm_node_stat']
for name in ('NR_SLAB_RECLAIMABLE_B', 'NR_SLAB_UNRECLAIMABLE_B'):
    print('node_stat', name, ns[prog.constant(name)].counter.value_())
PY
	} >"$out/drgn-kmem.txt"

	# ---- crash session 1: the tables, and what the addresses come from
	printf '%s\n' 'echo @@ kmem -s' 'kmem -s' 'echo @@ kmem -f' 'kmem -f' 'echo @@ kmem -z' \
		'kmem -z' 'echo @@ kmem -V' 'kmem -V' 'echo @@ kmem -v' 'kmem -v' \
		'echo @@ bases' 'p/x page_offset_base' 'p/x vmemmap_base' 'p/x max_pfn' \
		'echo @@ sym -m crashmod' 'sym -m crashmod' >"$tmp/s1.cmds"
	[ -z "$extra" ] || printf 'echo @@ %s\n%s\n' "$extra" "$extra" >>"$tmp/s1.cmds"
	crash_run "$dump" "$tmp/s1.cmds" "$tmp/s1.txt"
	{
		printf '# crash %s: crash -s vmlinux %s < COMMANDS; each command follows an "@@ COMMAND" line\n' "$cver" "${scn#*/}"
		sed -n '/^@@ /,$p' "$tmp/s1.txt"
	} >"$out/crash-kmem.txt"

	# ---- choose caches, then addresses
	"$PY" - caches "$out/crash-kmem.txt" >"$out/kmem-S.cmds" <<'PY'
import random, sys
rnd = random.Random(20261206)
lines = open(sys.argv[2]).read().split('\n')
i = lines.index('@@ kmem -s')
caches = []
for l in lines[i + 2:]:
    p = l.split()
    if len(p) != 7 or not p[0].startswith('ff'):
        break
    if int(p[2]) > 0 and p[6] != 'task_struct':
        caches.append(p[6])
for c in ['task_struct'] + sorted(rnd.sample(caches, 11)):
    print('echo @@ kmem -S %s' % c)
    print('kmem -S %s' % c)
PY
	crash_run "$dump" "$out/kmem-S.cmds" "$tmp/s2.txt"
	{
		printf '# crash %s: crash -s vmlinux %s < kmem-S.cmds\n' "$cver" "${scn#*/}"
		sed -n '/^@@ /,$p' "$tmp/s2.txt"
	} >"$out/crash-kmem-S.txt"

	"$PY" - addrs "$out" "$map" "$slide" >"$out/kmem-addr.cmds" <<'PY'
import bisect, random, sys
out, mapf, slide = sys.argv[2], sys.argv[3], int(sys.argv[4], 16)
rnd = random.Random(20261207)
N = 60
disc = open(out + '/crash-kmem.txt').read().split('\n')
sect = {}
cur = None
for l in disc:
    if l.startswith('@@ '):
        cur = l[3:]
        sect[cur] = []
    elif cur:
        sect[cur].append(l)
base = {}
for l in sect['bases']:
    if l.startswith('$'):
        base[len(base)] = int(l.split('=')[1], 16)
pob, vmemmap, maxpfn = base[0], base[1], base[2]
# tasks' stacks (drgn: every task)
stacks = []
for l in open(out + '/drgn-kmem.txt'):
    p = l.split()
    if p and p[0] == 'stack':
        stacks.append((int(p[4], 16), int(p[4], 16) + int(p[5])))
def on_stack(a):
    return any(lo <= a < hi for lo, hi in stacks)
picks = []
# slab objects from the -S lists: "  [ADDR]" allocated, "   ADDR  " free
objs = []
cache = None
size = {}
for l in open(out + '/crash-kmem-S.txt'):
    p = l.split()
    if l.startswith('@@ kmem -S '):
        cache = p[-1]
    elif len(p) == 7 and p[0].startswith('ff') and p[6] == cache:
        size[cache] = int(p[1])
    elif l.startswith('  [') or (l.startswith('   ff') and len(p) >= 1):
        a = int(p[0].strip('[]'), 16)
        objs.append((cache, a))
for cache, a in rnd.sample(objs, N):
    picks.append(('slab', a + rnd.randrange(0, size[cache])))
# pages: direct map and struct page addresses
for _ in range(N // 2):
    picks.append(('page', pob + rnd.randrange(0, maxpfn * 4096)))
for _ in range(N // 2):
    picks.append(('page', vmemmap + rnd.randrange(0, maxpfn) * 64 + rnd.randrange(0, 64)))
# vmalloc areas (kmem -v) that are no task's stack
areas = []
for l in sect['kmem -v']:
    p = l.split()
    if len(p) == 6 and p[3] == '-':
        areas.append((int(p[2], 16), int(p[4], 16)))
n = 0
while n < N:
    lo, hi = rnd.choice(areas)
    a = rnd.randrange(lo, hi)
    if on_stack(a):
        continue
    picks.append(('vmalloc', a))
    n += 1
# stacks
for _ in range(N):
    lo, hi = rnd.choice(stacks)
    picks.append(('stack', rnd.randrange(lo, hi)))
# symbols: System.map (slid) and crashmod's
syms = []
for l in open(mapf):
    a, t, name = l.split()
    a = int(a, 16)
    if a >= 0xffffffff80000000:
        a += slide
    syms.append((a, t, name))
syms.sort()
addrs = [s[0] for s in syms]
want = [s for s in syms if s[1] in 'TtDdBbRr' and not s[2].startswith('__')
        and s[0] >= 0xffffffff81000000 + slide]
mods = []
for l in sect.get('sym -m crashmod', []):
    p = l.split()
    if len(p) == 3 and p[1].strip('()') in 'tTdDbBrR' and not p[2].startswith('__'):
        mods.append(int(p[0], 16))
mods = sorted(set(mods))
for a, t, name in rnd.sample(want, N - 10):
    i = bisect.bisect_right(addrs, a)
    nxt = addrs[i] if i < len(addrs) else a + 1
    picks.append(('symbol', a + rnd.randrange(0, max(1, min(16, nxt - a)))))
for a in rnd.sample(mods, min(10, len(mods))):
    picks.append(('symbol', a))
for kind, a in picks:
    print('echo @@ %s %x' % (kind, a))
    print('kmem %x' % a)
PY
	crash_run "$dump" "$out/kmem-addr.cmds" "$tmp/s3.txt"
	{
		printf '# crash %s: crash -s vmlinux %s < kmem-addr.cmds\n' "$cver" "${scn#*/}"
		sed -n '/^@@ /,$p' "$tmp/s3.txt"
	} >"$out/crash-kmem-addr.txt"
	echo "$out: $(grep -c '^@@' "$out/crash-kmem-addr.txt") addresses, $(grep -c '^@@' "$out/crash-kmem-S.txt") caches"
done
