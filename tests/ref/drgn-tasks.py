# SPDX-License-Identifier: GPL-2.0-or-later
# vmps reference facts from drgn (python3-drgn 0.0.22) on one dump: every task
# including each CPU's idle task, with the RSS rule vmps documents (the mm's
# counters plus the unsynced per-task caches of every task using that mm,
# each counter clamped at 0).  Written by tests/ref/make-refs-vmps.sh.
#
#   /usr/bin/python3 drgn-tasks.py VMLINUX DUMP
import sys
from drgn import Program
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.sched import task_state_to_char, task_cpu
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.percpu import per_cpu

prog = Program()
prog.set_core_dump(sys.argv[2])
prog.load_debug_info([sys.argv[1]])

tasks = {}
for t in for_each_task(prog):
    tasks[t.value_()] = t
curr = {}
for cpu in for_each_possible_cpu(prog):
    rq = per_cpu(prog["runqueues"], cpu)
    idle = rq.idle
    tasks.setdefault(idle.value_(), idle)
    curr[rq.curr.value_()] = cpu

PF_KTHREAD = 0x00200000
COUNTERS = (0, 1, 3)    # MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES
cache = {}              # mm -> summed task caches per counter
for t in tasks.values():
    mm = t.mm.value_()
    if mm:
        c = cache.setdefault(mm, [0, 0, 0, 0])
        for i in COUNTERS:
            c[i] += t.rss_stat.count[i].value_()

print("# PID PPID CPU TASK ST TOTAL_VM RSS(mm+caches, pages) RSS_MM(pages) "
      "LAST_ARRIVAL START_TIME KTHREAD ACTIVE_CPU COMM")
for t in sorted(tasks.values(), key=lambda t: (t.pid.value_(), task_cpu(t))):
    mm = t.mm
    tv = rss = rss_mm = 0
    if mm:
        tv = mm.total_vm.value_()
        for i in COUNTERS:
            v = mm.rss_stat.count[i].counter.value_()
            rss_mm += v
            rss += max(0, v + cache[mm.value_()][i])
    pid = t.pid.value_()
    ppid = t.real_parent.pid.value_()
    print("%d %d %d %x %s %d %d %d %d %d %d %d %s" % (
        pid, ppid, task_cpu(t), t.value_(), task_state_to_char(t), tv, rss,
        rss_mm, t.sched_info.last_arrival.value_(), t.start_time.value_(),
        1 if t.flags.value_() & PF_KTHREAD else 0, curr.get(t.value_(), -1),
        t.comm.string_().decode(errors="replace")))
