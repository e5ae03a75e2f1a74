#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Seed corpora for the fuzz harnesses, from the real fixtures.
#
#   O=build tests/fuzz/seeds.sh DEST [NAME...]
#
# Builds the seeds once per machine into the fixture cache
# ($VMCORE_CACHE or ~/.cache/vmcoreutils-fixtures)/fuzz-seeds-KEY/NAME/,
# KEY hashing this script, the generators' sources and the specs; then
# copies each harness's seeds into DEST/NAME/ (libFuzzer's working corpus,
# build-fuzz/corpus/NAME for `make fuzz-smoke`).  Never writes into the
# source tree.  Needs $O/tests/gen/mkdiskdump and $O/tests/gen/fuzzseeds.
# Fixtures that are missing are skipped: the synthetic seeds and the
# bundled tests/data dump are always there.
#
#   dump_kdump   tests/data/dump/kdump-*.spec, split-*.spec (parts of a
#                --split set); the heads of the parts of a real split set
#                (fixture.sh derive:split); the first 64 KiB of each real
#                kdump (header, sub-header, VMCOREINFO, notes, bitmaps, the
#                first descriptors), as is and with the "incomplete" status
#                bit set (so that it opens with its descriptors cut off)
#   dump_elf     elf-*.spec; the first 64 KiB of the QEMU ELF dump (ELF
#                header, program headers after two section headers, notes)
#   dump_flat    flat-*.spec, split-*-flat.spec; the first 64 KiB of the
#                flattened dumps
#   vmcoreinfo   the VMCOREINFO text of every dump
#   printk       tests/gen/fuzzseeds printk (real ring + synthetic rings)
#   kallsyms     tests/gen/fuzzseeds kallsyms
#   orc          tests/gen/fuzzseeds orc (each CPU's registers, stack, ORC)
#   btf          the .BTF section of the vmlinux (full: replayed by
#                tests/fuzz.bats; libFuzzer cuts it at -max_len), BTF that
#                pahole makes for crashmod.ko and for a small object
#   dwarf        crashmod.ko and small objects with DWARF 4 and 5
#   symfile      the head of System.map, crashmod.ko, small objects
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
O=${O:-build}
DEST=${1:?usage: seeds.sh DEST [NAME...]}
shift
CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}
MK=$O/tests/gen/mkdiskdump
GEN=$O/tests/gen/fuzzseeds
for t in "$MK" "$GEN"; do
	[ -x "$t" ] || { echo "seeds.sh: $t not built (make)" >&2; exit 1; }
done
key=$(cat tests/fuzz/seeds.sh tests/gen/fuzzseeds.c tests/gen/mkdiskdump.c \
	tests/data/dump/*.spec | sha256sum | cut -c1-12)
S=$CACHE/fuzz-seeds-$key

fix() { # SPEC -> path, or nothing when the fixture is unavailable
	tests/fixture.sh "$1" 2>/dev/null || true
}

name() { # SPEC -> a file name for its seeds
	case $1 in
	"$here"/*) echo sample ;;
	*) echo "$1" | sed 's|^x86_64-6.1/||; s|/vmcore||; s|[/:]|-|g' ;;
	esac
}

head64k() { # FILE OUT
	head -c 65536 "$1" > "$2"
}

build() {
	rm -rf "$S.tmp"
	mkdir -p "$S.tmp"
	T=$S.tmp
	for n in dump_kdump dump_elf dump_flat vmcoreinfo printk kallsyms btf dwarf; do
		mkdir -p "$T/$n"
	done

	# synthetic dumps from the readable specs
	for s in tests/data/dump/*.spec; do
		b=$(basename "$s" .spec)
		case $b in
		split-*-flat) d=dump_flat ;;
		kdump-*|split-*) d=dump_kdump ;; elf-*) d=dump_elf ;; flat-*) d=dump_flat ;; *) continue ;;
		esac
		"$MK" "$s" "$T/$d/$b" >/dev/null 2>&1 || rm -f "$T/$d/$b"
	done

	# heads of the real dumps
	sample=tests/data/vmcore.kdump-zlib
	for spec in "$here/$sample" x86_64-6.1/sysrq-c/vmcore.kdump-zstd \
		    x86_64-6.1/bug-module/vmcore.kdump-snappy derive:lzo derive:raw; do
		case $spec in /*) f=$spec ;; *) f=$(fix "$spec") ;; esac
		[ -n "$f" ] && [ -f "$f" ] || continue
		b=$(name "$spec")
		head64k "$f" "$T/dump_kdump/$b.head"
		# status |= DUMP_DH_COMPRESSED_INCOMPLETE (0x8), offset 424
		cp "$T/dump_kdump/$b.head" "$T/dump_kdump/$b.head-incomplete"
		st=$(od -An -tu1 -j424 -N1 "$f" | tr -d ' ')
		printf "$(printf '\\%03o' $((st | 8)))" |
			dd of="$T/dump_kdump/$b.head-incomplete" bs=1 seek=424 conv=notrunc 2>/dev/null
	done
	# the parts of a makedumpfile --split set of the sample: each alone
	# (a part's headers, its range, its descriptors)
	sp=$(fix derive:split)
	for p in p1 p2 p3; do
		[ -n "$sp" ] && [ -f "$sp/$p" ] || continue
		head64k "$sp/$p" "$T/dump_kdump/split-$p.head"
	done
	for spec in x86_64-6.1/oops-module/vmcore.qemu.elf.zst; do
		f=$(fix "$spec")
		[ -n "$f" ] && [ -f "$f" ] || continue
		head64k "$f" "$T/dump_elf/$(name "$spec").head"
	done
	for spec in derive:flat arm64-6.1-debian/vmcore.qemu-kdump-zlib; do
		f=$(fix "$spec")
		[ -n "$f" ] && [ -f "$f" ] || continue
		head64k "$f" "$T/dump_flat/$(name "$spec").head"
	done

	# VMCOREINFO of every dump, printk rings and kallsyms tables
	for spec in "$here/$sample" x86_64-6.1/sysrq-c/vmcore.kdump-zstd \
		    x86_64-6.1/bug-module/vmcore.kdump-snappy \
		    x86_64-6.1/oops-module/vmcore.qemu.elf.zst \
		    arm64-6.1-debian/vmcore.qemu-kdump-zlib; do
		case $spec in /*) f=$spec ;; *) f=$(fix "$spec") ;; esac
		[ -n "$f" ] && [ -f "$f" ] || continue
		b=$(name "$spec")
		"$GEN" vmcoreinfo "$f" "$T/vmcoreinfo/$b" 2>/dev/null || rm -f "$T/vmcoreinfo/$b"
	done
	"$GEN" printk "$sample" "$T/printk" 2>/dev/null
	f=$(fix x86_64-6.1/sysrq-c/vmcore.kdump-zstd)
	if [ -n "$f" ]; then
		mkdir -p "$T/printk-sysrq"
		"$GEN" printk "$f" "$T/printk-sysrq" 2>/dev/null &&
			mv "$T/printk-sysrq/rb-real" "$T/printk/rb-real-sysrq-c"
		rm -rf "$T/printk-sysrq"
	fi
	"$GEN" kallsyms "$sample" "$T/kallsyms" 2>/dev/null
	mkdir -p "$T/orc"
	"$GEN" orc "$sample" "$T/orc" 2>/dev/null || true

	# BTF: the vmlinux's .BTF, and BTF that pahole encodes for small objects
	vmlinux=$(fix x86_64-6.1/vmlinux.xz)
	if [ -n "$vmlinux" ] && command -v objcopy >/dev/null; then
		objcopy --dump-section .BTF="$T/btf/vmlinux.BTF" "$vmlinux" /dev/null 2>/dev/null ||
			rm -f "$T/btf/vmlinux.BTF"
	fi
	if command -v cc >/dev/null; then
		cat > "$T/small.c" <<-'EOF'
		struct list_head { struct list_head *next, *prev; };
		enum state { RUNNING, SLEEPING = 4, DEAD = -1 };
		typedef unsigned long long u64;
		union val { int i; float f; char c[4]; };
		struct task {
			volatile long state;
			struct list_head tasks;
			char comm[16];
			unsigned flags:3, prio:5;
			const struct task *parent;
			union val v;
			enum state st;
			u64 ts;
			int (*fn)(struct task *, ...);
			char tail[];
		};
		struct task t;
		int f(struct task *p, ...) { return p->prio; }
		EOF
		for v in 4 5; do
			cc -c -g -gdwarf-$v -O0 -o "$T/dwarf/small-dwarf$v.o" "$T/small.c" 2>/dev/null ||
				rm -f "$T/dwarf/small-dwarf$v.o"
		done
		if command -v pahole >/dev/null && [ -f "$T/dwarf/small-dwarf5.o" ]; then
			cp "$T/dwarf/small-dwarf5.o" "$T/small-btf.o"
			pahole -J "$T/small-btf.o" 2>/dev/null &&
				objcopy --dump-section .BTF="$T/btf/small.BTF" "$T/small-btf.o" /dev/null 2>/dev/null ||
				rm -f "$T/btf/small.BTF"
		fi
		rm -f "$T/small.c" "$T/small-btf.o"
	fi
	# symbol files: System.map (its head), objects with a .symtab
	mkdir -p "$T/symfile"
	f=$(fix x86_64-6.1/System.map)
	[ -n "$f" ] && [ -f "$f" ] && head -c 32768 "$f" > "$T/symfile/System.map.head"
	for o in "$T"/dwarf/small-dwarf*.o; do
		[ -f "$o" ] && cp "$o" "$T/symfile/"
	done
	ko=$(fix x86_64-6.1/crashmod.ko)
	if [ -n "$ko" ] && [ -f "$ko" ]; then
		cp "$ko" "$T/symfile/crashmod.ko"
		cp "$ko" "$T/dwarf/crashmod.ko"
		chmod u+w "$T/dwarf/crashmod.ko"
		# BTF of the module's types (task_struct, list_head ... as the
		# kernel's own BTF has them), small enough to mutate quickly
		if command -v pahole >/dev/null; then
			cp "$T/dwarf/crashmod.ko" "$T/cm.ko"
			pahole -J "$T/cm.ko" 2>/dev/null &&
				objcopy --dump-section .BTF="$T/btf/crashmod.BTF" "$T/cm.ko" /dev/null 2>/dev/null ||
				rm -f "$T/btf/crashmod.BTF"
			rm -f "$T/cm.ko"
		fi
	fi
	find "$T" -type f -empty -delete
	rm -rf "$S"
	mv "$T" "$S"
}

if [ ! -d "$S" ]; then
	build
	# seeds of older versions of the generators
	for d in "$CACHE"/fuzz-seeds-*; do
		[ "$d" = "$S" ] || rm -rf "$d"
	done
fi
[ $# -gt 0 ] || set -- $(ls "$S")
for n in "$@"; do
	mkdir -p "$DEST/$n"
	[ -d "$S/$n" ] || continue
	# libFuzzer names corpus files by content hash: copy under the seed's
	# own name, once
	for f in "$S/$n"/*; do
		[ -f "$f" ] || continue
		[ -e "$DEST/$n/seed-${f##*/}" ] || cp "$f" "$DEST/$n/seed-${f##*/}"
	done
	echo "seeds: $n: $(ls "$S/$n" | wc -l) seeds in $DEST/$n"
done
