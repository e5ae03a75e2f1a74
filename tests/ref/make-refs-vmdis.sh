#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate vmdis's references from Red Hat crash on the x86 fixture dumps.
#
#   tests/ref/make-refs-vmdis.sh     (needs crash, the corpus, and Debian's
#                                     linux-source-6.1 for the source listings:
#                                     apt-get install linux-source-6.1)
#
# One crash session per scenario runs tests/ref/vmdis-cmds.in with
# "echo @@ COMMAND" before each command (@KO@, @SRC@, @MODSRC@ filled in:
# crashmod.ko, the unpacked kernel tree, the crashmod source directory), and
# writes tests/ref/SCN/crash-dis.txt: the raw crash output, each command's
# block after its "@@ COMMAND" line.
#
# The functions were picked (vmdis --diff on oops-module) for what the
# kernel rewrote in them after loading, so that the comparison covers code
# as it ran, not as it was linked:
#   alternatives: lapic_next_deadline is_vmalloc_addr __nr_to_section
#                 update_spec_ctrl_cond copy_user_generic_string
#   jump labels (static keys): native_write_cr0 random_poll
#                 lapic_next_deadline update_spec_ctrl_cond
#   static calls: mutex_lock_io lock_sock_nested arch_tlbbatch_flush
#   paravirt:     pit_next_event arch_tlbbatch_flush
#   indirect calls through retpoline thunks, which this CPU keeps (they
#                 stay as linked): dma_free_attrs mempool_free
#   return thunks (ret; int3 for jmp __x86_return_thunk): nearly all
#   the panic paths of the three crashes, and crashmod's functions.
# This kernel has CONFIG_FUNCTION_TRACER off: there are no ftrace call
# sites on x86 here (the arm64 fixture has them, and no vmlinux for crash).
# Not here: functions whose symbol has no size (assembly such as
# __x86_indirect_thunk_r12).  crash ends them where gdb's function range
# ends, and that changes within one session once gdb has read the
# unit's line table (next symbol at first, the next sized symbol later).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
FIX=${VMCORE_FIXTURES:-$here/../shared/fixtures}
vmlinux=$("$here/tests/fixture.sh" x86_64-6.1/vmlinux.xz)
command -v crash >/dev/null || { echo "crash not installed (make deps)" >&2; exit 1; }
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || { echo "no $tarball (apt-get install linux-source-6.1)" >&2; exit 1; }
ver=$(crash -v 2>/dev/null | awk '/^crash /{print $2; exit}')
ko=$FIX/x86_64-6.1/crashmod.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the parts of the kernel tree the listings below touch
tar -C "$tmp" -xf "$tarball" linux-source-6.1/kernel linux-source-6.1/arch/x86 \
	linux-source-6.1/include linux-source-6.1/drivers/tty
src=$tmp/linux-source-6.1

for scn in sysrq-c/vmcore.kdump-zstd oops-module/vmcore.kdump-zlib bug-module/vmcore.kdump-snappy; do
	dir=${scn%%/*}
	dump=$FIX/x86_64-6.1/$scn
	out=$here/tests/ref/$dir
	mkdir -p "$out"
	sed -e "s#@KO@#$ko#g" -e "s#@SRC@#$src#g" -e "s#@MODSRC@#$FIX/make/crashmod#g" \
		"$here/tests/ref/vmdis-cmds.in" |
		awk '/^#/ || !NF { next } { print "echo @@ " $0; print } END { print "q" }' \
		>"$tmp/cmds"
	crash -s "$vmlinux" "$dump" <"$tmp/cmds" >"$tmp/raw.txt" 2>&1 || true
	{
		printf '# crash %s: crash -s vmlinux %s < tests/ref/vmdis-cmds.in (each command after "echo @@ COMMAND"), by tests/ref/make-refs-vmdis.sh\n' \
			"$ver" "$scn"
		# paths of this machine out: the tree and module source were temporary
		awk '/^@@ /{on=1} on' "$tmp/raw.txt" |
			sed -e "s#$src#@SRC@#g" -e "s#$FIX/make/crashmod#@MODSRC@#g" -e "s#$ko#@KO@#g"
	} >"$out/crash-dis.txt"
	echo "$out/crash-dis.txt: $(grep -c '^@@ ' "$out/crash-dis.txt") commands"
done
