#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmps's references from drgn on the fixture dumps.
#
#   tests/ref/make-refs-vmps.sh        (needs python3-drgn, the fixture corpus)
#
# tests/ref/SCENARIO/drgn-tasks.txt: every task including the per-CPU idle
# tasks, with RSS summed the way vmps.1 documents (drgn-tasks.py).  The first
# line names the command that made the file.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
PY=/usr/bin/python3       # Debian's python: python3-drgn lives there
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
"$PY" -c 'import drgn' || { echo "python3-drgn not installed (make deps)" >&2; exit 1; }
ver=$("$PY" -c 'import drgn; print(drgn.__version__)')

for scn in sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy; do
	dir=${scn%%/*}
	out=$here/tests/ref/$dir/drgn-tasks.txt
	mkdir -p "${out%/*}"
	{
		echo "# drgn $ver: /usr/bin/python3 tests/ref/drgn-tasks.py vmlinux x86_64-6.1/$scn"
		"$PY" "$here/tests/ref/drgn-tasks.py" "$vmlinux" "$FIX/x86_64-6.1/$scn"
	} > "$out.tmp"
	mv "$out.tmp" "$out"
	echo "wrote $out"
done
