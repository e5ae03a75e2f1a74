#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Copy a QEMU ELF dump with its program headers moved to right after the
ELF header (QEMU 7.2 writes them at e_phoff=192, after two section headers;
makedumpfile assumes offset 64).  Data offsets are unchanged.
usage: phfix.py IN OUT"""
import shutil, struct, sys

src, dst = sys.argv[1:3]
shutil.copyfile(src, dst)
with open(dst, "r+b") as f:
    eh = bytearray(f.read(64))
    phoff = struct.unpack_from("<Q", eh, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", eh, 0x36)
    f.seek(phoff)
    ph = f.read(phentsize * phnum)
    first = min(struct.unpack_from("<Q", ph, 8 + i * phentsize)[0] for i in range(phnum))
    assert 64 + len(ph) <= first, "no room for the program headers at 64"
    struct.pack_into("<QQ", eh, 0x20, 64, 0)     # e_phoff = 64, e_shoff = 0
    struct.pack_into("<H", eh, 0x34, 64)          # e_ehsize
    struct.pack_into("<HHH", eh, 0x3a, 0, 0, 0)   # no section headers
    f.seek(0)
    f.write(eh)
    f.write(ph)
