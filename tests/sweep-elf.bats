#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Truncation sweep, second half: the QEMU ELF, flattened and arm64 dumps
# (and the zstd/snappy kdumps with SWEEP_FULL=1), cut at every structure
# boundary and at sampled pages; what is checked is said in sweep.bats.

load helpers
load robust
load sweep

@test "truncation sweep: QEMU ELF, ELF header, program headers, notes, segments, pages" {
	sweep x86_64-6.1/oops-module/vmcore.qemu.elf.zst 4
}

@test "truncation sweep: flattened, header, record headers, inside records" {
	sweep derive:flat 4
}

@test "truncation sweep: arm64 flattened (QEMU -z)" {
	sweep arm64-6.1-debian/vmcore.qemu-kdump-zlib 2
}

@test "truncation sweep: zstd and snappy kdumps (SWEEP_FULL=1)" {
	[ "${SWEEP_FULL:-0}" = 1 ] || skip "SWEEP_FULL=1 to run"
	sweep x86_64-6.1/sysrq-c/vmcore.kdump-zstd
	sweep x86_64-6.1/bug-module/vmcore.kdump-snappy
}
