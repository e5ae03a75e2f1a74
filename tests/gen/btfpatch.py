#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Damage struct task_struct's BTF record in a copy of a dump whose pages
are stored as they are (tests/fixture.sh derive:raw, a QEMU ELF), for the
vmstruct hardening tests (tests/vmstruct.bats).

    btfpatch.py COPY size      set task_struct's size word to 0xffffffff
    btfpatch.py COPY selfnest  make task_struct's first member a task_struct

Every BTF blob in the file is found by its header (magic 0xeb9f, version 1,
24-byte header) and its type section walked record by record, as the BTF
format defines it (include/uapi/linux/btf.h); the blobs that hold a
complete STRUCT named task_struct are patched in place.  Prints how many
were; exit 1 when none.  An independent reader on purpose: the test must
not find its target with the code under test.
"""
import mmap
import struct
import sys

KIND_STRUCT = 4
# bytes after the 12-byte common record, per kind: fixed, or per vlen entry
EXTRA = {1: (4, 0), 2: (0, 0), 3: (12, 0), 4: (0, 12), 5: (0, 12), 6: (0, 8),
         7: (0, 0), 8: (0, 0), 9: (0, 0), 10: (0, 0), 11: (0, 0), 12: (0, 0),
         13: (0, 8), 14: (4, 0), 15: (0, 12), 16: (0, 0), 17: (4, 0),
         18: (0, 0), 19: (0, 12)}


def name_at(m, strs, strs_len, off):
    if off >= strs_len:
        return None
    end = m.find(b'\0', strs + off, strs + strs_len)
    return m[strs + off:end] if end >= 0 else None


def find_task_struct(m, base):
    hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from('<IIIII', m, base + 4)
    types = base + hdr_len + type_off
    strs = base + hdr_len + str_off
    if type_len == 0 or strs + str_len > len(m) or types + type_len > len(m):
        return None
    p, end, tid = types, types + type_len, 1
    while p + 12 <= end:
        name_off, info, size = struct.unpack_from('<III', m, p)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        if kind not in EXTRA:
            return None             # not a whole BTF blob (or not BTF)
        fixed, per = EXTRA[kind]
        if kind == KIND_STRUCT and vlen and name_at(m, strs, str_len, name_off) == b'task_struct':
            return p, tid
        p += 12 + fixed + per * vlen
        tid += 1
    return None


def main():
    path, what = sys.argv[1], sys.argv[2]
    with open(path, 'r+b') as f:
        m = mmap.mmap(f.fileno(), 0)
        patched, pos = 0, 0
        while True:
            i = m.find(b'\x9f\xeb\x01\x00\x18\x00\x00\x00', pos)
            if i < 0:
                break
            pos = i + 1
            found = find_task_struct(m, i)
            if not found:
                continue
            rec, tid = found
            if what == 'size':
                struct.pack_into('<I', m, rec + 8, 0xffffffff)
            elif what == 'selfnest':
                # first member: {name_off, type, offset}; type := task_struct
                struct.pack_into('<I', m, rec + 12 + 4, tid)
            else:
                sys.exit('btfpatch: unknown damage ' + what)
            patched += 1
        m.flush()
    print(patched)
    sys.exit(0 if patched else 1)


main()
