#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot a fixture kernel in QEMU (TCG), wait for the panic on the serial
console, stop the guest and save its memory with QMP dump-guest-memory
(QEMU's ELF, unfiltered), plus `info registers -a`.

usage: capture.py ARCH(amd64|arm64) WORKDIR KERNEL INITRD CPU MEM TIMEOUT_S
Writes WORKDIR/{serial.log,kallsyms-port.log,dump.elf,qemu.log,...}.
"""
import json, os, socket, subprocess, sys, time

arch, work, kernel, initrd, cpu, mem, tmo = sys.argv[1:8]
serial = os.path.join(work, "serial.log")
sock = os.path.join(work, "qmp.sock")
qlog = open(os.path.join(work, "qemu.log"), "w")

def log(*a):
    m = " ".join(str(x) for x in a)
    print(m, flush=True); qlog.write(m + "\n"); qlog.flush()

for p in (serial, sock, os.path.join(work, "kallsyms-port.log")):
    if os.path.exists(p):
        os.unlink(p)
append = "panic=0 oops=panic loglevel=8"
if arch == "amd64":
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", cpu, "-machine", "pc",
           "-serial", "file:" + serial,
           "-serial", "file:" + os.path.join(work, "kallsyms-port.log")]
    # no_timer_check: under TCG on a busy host the IO-APIC timer check can
    # fail and panic the boot ("IO-APIC + timer doesn't work!")
    append = "console=ttyS0,115200 no_timer_check " + append
else:
    cmd = ["qemu-system-aarch64", "-accel", "tcg", "-M", "virt", "-cpu", cpu,
           "-serial", "file:" + serial]
    append = "console=ttyAMA0 " + append
cmd += ["-m", mem, "-smp", "2", "-device", "vmcoreinfo", "-no-reboot",
        "-display", "none", "-nodefaults", "-monitor", "none",
        "-qmp", "unix:%s,server=on,wait=off" % sock,
        "-kernel", kernel, "-initrd", initrd, "-append", append]
open(os.path.join(work, "qemu-cmdline.txt"), "w").write(" ".join(cmd) + "\n")
log("qemu:", " ".join(cmd))
proc = subprocess.Popen(cmd, stdout=qlog, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

class QMP:
    def __init__(self, path):
        for _ in range(300):
            try:
                self.s = socket.socket(socket.AF_UNIX); self.s.connect(path); break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("no QMP socket")
        self.f = self.s.makefile("rw")
        log("QMP greeting:", self.f.readline().strip())
        self.cmd("qmp_capabilities")
    def cmd(self, execute, **args):
        req = {"execute": execute}
        if args:
            req["arguments"] = args
        self.f.write(json.dumps(req) + "\n"); self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "event" in r:
                log("QMP event:", json.dumps(r)); continue
            log("QMP", execute, json.dumps(args), "->", json.dumps(r)[:300])
            return r

q = QMP(sock)
deadline = time.time() + float(tmo)
seen = False
while time.time() < deadline:
    if proc.poll() is not None:
        log("qemu exited early rc", proc.returncode); break
    try:
        txt = open(serial, errors="replace").read()
    except FileNotFoundError:
        txt = ""
    if "---[ end Kernel panic" in txt:
        if "=== GT crasher" not in txt:
            log("ERROR: the kernel panicked before the ground truth was out")
            proc.kill(); sys.exit(1)
        seen = True; break
    time.sleep(1)
if not seen:
    log("ERROR: no panic seen"); proc.kill(); sys.exit(1)
time.sleep(3)   # panic=0: the panicking CPU spins; let the console settle
q.cmd("stop")
r = q.cmd("human-monitor-command", **{"command-line": "info registers -a"})
open(os.path.join(work, "qemu-info-registers.txt"), "w").write(r.get("return", ""))
path = os.path.abspath(os.path.join(work, "dump.elf"))
t0 = time.time()
q.cmd("dump-guest-memory", paging=False, protocol="file:" + path)
while q.cmd("query-dump")["return"]["status"] == "active":
    time.sleep(0.5)
log("dump elf %.1fs size=%d" % (time.time() - t0, os.path.getsize(path)))
q.cmd("quit")
proc.wait(timeout=60)
log("qemu exit", proc.returncode)
