#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Peer check against libkdumpfile: its own dump-format test files, read by
# it and by us.
#
#   O=build tests/peer/libkdumpfile.sh
#
# 1. Debian's source package of libkdumpfile, through apt with a private
#    sources list (deb-src lines made from the machine's own apt sources:
#    the same mirror, never an edit of the machine's configuration), for
#    the release the installed reference library comes from first
#    (bookworm: 0.5.1), then later ones when the mirror lacks it.  Only
#    the upstream tarball is fetched (apt checks it against the signed
#    Sources index) and kept in the fixture cache.
# 2. Its test generators (tests/mk*.c and the helpers they link) built with
#    cc, and its dump-format test scripts (diskdump-*, elf-*, lkcd-*,
#    sadump-*, ...) run to make their dumps; their own checks, which need
#    libkdumpfile built from source, are replaced by no-ops.
# 3. Each dump (the parts of a split set together) read by libkdumpfile
#    (Debian's libkdumpfile-dev, through tests/peer/lkdf_pages.c) and by
#    the dump layer (dumpcheck -P), and compared:
#      - formats we do not read (LKCD, sadump, Xen, ELF32, big-endian,
#        32-bit kdump-compressed, as libkdumpfile's attributes name them)
#        must be refused with that name;
#      - every other dump must open, and every page both readers return
#        must be byte-identical;
#      - flattened files, which the bookworm library does not read, are
#        read by it after `makedumpfile -R` rebuilt them.
# Prints "ok CASE: ..." or "not ok CASE: ..." per case; exit 0 all ok,
# 1 something failed, 77 skipped (the reason on the last line: no source
# package, no compiler, no reference library).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$here/$O ;; esac
DUMPCHECK=$O/tests/dumpcheck
CACHE=${VMCORE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmcoreutils-fixtures}/libkdumpfile-peer
mkdir -p "$CACHE" || exit 1

skip() { echo "skip: $*"; exit 77; }

[ -x "$DUMPCHECK" ] || skip "$DUMPCHECK not built"
command -v cc >/dev/null || skip "no C compiler"
command -v python3 >/dev/null || skip "no python3"
[ -r /usr/include/libkdumpfile/kdumpfile.h ] ||
	skip "the reference reader needs libkdumpfile-dev (make deps)"

# ---------------------------------------------------------------- source
# The machine's apt sources turned into deb-src entries for SUITE, in a
# private list: the first "deb" entry of the main archive (not -security
# or -updates) gives the mirror and its key.
private_sources() { # SUITE OUT
	{
		cat /etc/apt/sources.list 2>/dev/null |
			awk '$1 == "deb" { print "@line", $0 }'
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] && cat "$f" && echo
		done
	} | awk -v suite="$1" '
		function main_archive(list,   n, i, s) {
			# a suite without a dash: the release itself, not its
			# -security or -updates companions
			n = split(list, s, " ")
			for (i = 1; i <= n; i++)
				if (s[i] !~ /-/)
					return 1
			return 0
		}
		function flush() {
			if (types ~ /(^| )deb( |$)/ && uris != "" && main_archive(suites) && !done) {
				split(uris, u, " ")
				printf "deb-src%s %s %s main\n", (key != "" ? " [signed-by=" key "]" : ""), u[1], suite
				done = 1
			}
			types = uris = suites = key = ""
		}
		/^@line / { if (!done && main_archive($4 " " $5)) {
				line = $0; sub(/^@line deb /, "", line)
				n = split(line, f, " "); opt = ""; i = 1
				if (f[1] ~ /^\[/) { opt = f[1] " "; i = 2 }
				printf "deb-src %s%s %s main\n", opt, f[i], suite; done = 1 }
			next }
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
		/^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
		/^Signed-By:/ { sub(/^Signed-By:[ \t]*/, ""); key = $0 }
		END { flush() }' > "$2"
	[ -s "$2" ]
}

# The upstream tarball of libkdumpfile from SUITE into $CACHE; prints it.
fetch_source() { # SUITE
	local d=$CACHE/apt-$1 t
	t=$(ls "$CACHE"/libkdumpfile_*.orig.tar.* 2>/dev/null | head -1)
	[ -n "$t" ] && { echo "$t"; return 0; }
	command -v apt-get >/dev/null || return 1
	rm -rf "$d"
	mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/dl"
	private_sources "$1" "$d/sources.list" || return 1
	set -- -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache::archives="$d/archives" \
		-o Debug::NoLocking=1 -q
	apt-get "$@" update >"$d/log" 2>&1 || return 1
	(cd "$d/dl" && apt-get "$@" source --download-only --tar-only libkdumpfile) >>"$d/log" 2>&1
	t=$(ls "$d"/dl/libkdumpfile_*.orig.tar.* 2>/dev/null | head -1)
	[ -n "$t" ] || return 1
	mv "$t" "$CACHE/" && echo "$CACHE/${t##*/}"
}

tarball=
codename=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-bookworm}")
for suite in "$codename" trixie sid; do
	tarball=$(fetch_source "$suite") && break
	tarball=
done
[ -n "$tarball" ] || skip "libkdumpfile's source package could not be had through apt (logs in $CACHE/apt-*)"
ver=${tarball##*/libkdumpfile_}
ver=${ver%.orig.tar.*}

# ---------------------------------------------------------------- generators
B=$CACHE/build-$ver
if [ ! -x "$B/mkdiskdump" ]; then
	rm -rf "$B.tmp"
	mkdir -p "$B.tmp/src"
	tar -xf "$tarball" -C "$B.tmp/src" --strip-components=1 ||
		skip "cannot unpack $tarball"
	T=$B.tmp/src/tests
	: > "$B.tmp/config.h"
	CF="-O1 -w -I$B.tmp -I$T -DUSE_ZLIB=1 -DUSE_LZO=1 -DUSE_SNAPPY=1 -DUSE_ZSTD=1 -I/usr/include/lzo"
	ok=1
	for f in data param rle slurp; do
		cc $CF -c "$T/$f.c" -o "$B.tmp/$f.o" 2>>"$B.tmp/log" || ok=0
	done
	for g in mkdiskdump mkelf mklkcd mksadump mkbinary; do
		[ $ok = 1 ] && cc $CF "$T/$g.c" "$B.tmp"/data.o "$B.tmp"/param.o \
			"$B.tmp"/rle.o "$B.tmp"/slurp.o -o "$B.tmp/$g" \
			-lz -llzo2 -lsnappy -lzstd 2>>"$B.tmp/log" || ok=0
	done
	[ $ok = 1 ] || skip "cannot build libkdumpfile $ver's test generators: $(tail -3 "$B.tmp/log" | tr '\n' ' ')"
	rm -rf "$B"
	mv "$B.tmp" "$B"
fi
cc -O2 -Wall -o "$B/lkdf_pages" "$here/tests/peer/lkdf_pages.c" -lkdumpfile 2>"$B/lkdf.log" ||
	skip "cannot build the reference reader against libkdumpfile-dev: $(head -2 "$B/lkdf.log" | tr '\n' ' ')"

# ---------------------------------------------------------------- dumps
# Its dump-format test scripts, as its tests/Makefile.am lists them, run
# in a scratch directory holding the generators and no-op stand-ins for
# its checkers (dumpdata, checkattr ... and diff).
W=$(mktemp -d "${TMPDIR:-/tmp}/lkdf.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/run" "$W/stub" "$W/pg"
for g in mkdiskdump mkelf mklkcd mksadump mkbinary; do cp "$B/$g" "$W/run/"; done
for s in dumpdata checkattr multiread multixlat elf-prstatus-mod-x86_64; do
	printf '#!/bin/sh\nexit 0\n' > "$W/run/$s"
	chmod +x "$W/run/$s"
done
printf '#!/bin/sh\nexit 0\n' > "$W/stub/diff"
chmod +x "$W/stub/diff"
S=$B/src/tests
cases=$(awk '/^test_scripts = /, /^$/' "$S/Makefile.am" | tr -d '\\' |
	tr -s ' \t' '\n' | grep -E '^(diskdump|elf|lkcd|sadump|early-version-code|multixlat|zero-size)')
n=0
for c in $cases; do
	n=$((n + 1))
	(cd "$W/run" && srcdir=$S SIZEOF_OFF_T=8 PATH=$W/stub:$PATH sh "$S/$c" >"$W/$c.log" 2>&1 </dev/null)
done
echo "# libkdumpfile $ver: $n dump-format test scripts run"

# ---------------------------------------------------------------- compare
is_flat() { [ "$(head -c 12 "$1")" = makedumpfile ]; }

fail=0
for f in "$W"/run/out/*.dump "$W"/run/out/*.dump.1; do
	[ -e "$f" ] || continue
	name=${f##*/}
	name=${name%.dump*}
	case $f in
	*.dump.1) parts=$(ls "$W"/run/out/"$name".dump.* | sort -t. -k3 -n) ;;
	*) parts=$f ;;
	esac
	ours=$(echo $parts | tr ' ' ',')
	# the reference reads flattened files rebuilt by makedumpfile -R
	refparts=
	for p in $parts; do
		if is_flat "$p"; then
			command -v makedumpfile >/dev/null || { echo "ok $name: skipped (flattened; makedumpfile -R needed)"; continue 2; }
			makedumpfile -R "$p.rebuilt" < "$p" >/dev/null 2>&1
			refparts="$refparts $p.rebuilt"
		else
			refparts="$refparts $p"
		fi
	done
	# shellcheck disable=SC2086
	ref=$("$B/lkdf_pages" "$W/pg/$name.ref" $refparts 2>&1)
	our=$("$DUMPCHECK" -P "$W/pg/$name.ours" "$ours" 2>&1)
	our_rc=$?
	our=$(echo "$our" | sed "s|$W/run/out/||g")
	field() { echo "$ref" | awk -v k="$1:" '$1 == k { print $2 }'; }
	format=$(field format) order=$(field byte_order) ptr=$(field ptr_size)
	# shellcheck disable=SC2086
	set -- $parts
	xen=$(field xen_type) class=$(od -An -tu1 -j4 -N1 "$1" 2>/dev/null | tr -d ' ')
	want=
	case $format in
	lkcd) want="an LKCD dump" ;;
	sadump) want="a Fujitsu sadump" ;;
	xc_core*) want="a Xen xc_core dump" ;;
	esac
	if [ -z "$want" ] && [ "$xen" = 1 ]; then want="a Xen host dump"; fi
	if [ -z "$want" ] && [ "$order" = 0 ]; then want="big-endian"; fi
	if [ -z "$want" ] && [ "$ptr" = 4 ]; then
		case $format in
		diskdump) want="a 32-bit kdump-compressed dump" ;;
		elf) [ "$class" = 1 ] && want="an ELF32" ;;
		esac
	fi
	if [ -n "$want" ]; then
		case $our in
		*"$want"*"(not supported)"*)
			[ "$our_rc" = 1 ] && echo "ok $name: $format (libkdumpfile: byte order $order, pointer size $ptr, xen $xen) refused: ${our#*dumpcheck: }" && continue ;;
		esac
		echo "not ok $name: libkdumpfile reads it as $format (byte order $order, pointer size $ptr, xen $xen); we should refuse it naming \"$want\"; we said: $our"
		fail=1
		continue
	fi
	case $ref in
	open:*)
		if [ "$our_rc" != 0 ]; then
			echo "ok $name: both refuse it (libkdumpfile: ${ref#open: }; ours: ${our#*: })"
		else
			echo "not ok $name: libkdumpfile cannot open it (${ref#open: }), we read it: $our"
			fail=1
		fi
		continue ;;
	esac
	res=$(python3 - "$W/pg/$name.ref" "$W/pg/$name.ours" <<-'EOF'
	import sys
	def load(path):
	    d = {}
	    try:
	        b = open(path, 'rb').read()
	    except OSError:
	        return d
	    if not b:
	        return d
	    return b
	ref, ours = load(sys.argv[1]), load(sys.argv[2])
	def pages(b, size):
	    d = {}
	    for i in range(0, len(b), size + 8):
	        d[int.from_bytes(b[i:i + 8], 'little')] = b[i + 8:i + 8 + size]
	    return d
	# the page size is whatever makes both files whole records
	size = 0
	for ps in (4096, 65536, 16384, 8192, 2048, 1024, 512):
	    if all(not b or len(b) % (ps + 8) == 0 for b in (ref, ours)):
	        size = ps
	        break
	if not size:
	    print("bad 0 0 0 0 record files of no common page size")
	    sys.exit()
	r, o = pages(ref or b'', size), pages(ours or b'', size)
	both = sorted(set(r) & set(o))
	diff = [p for p in both if r[p] != o[p]]
	print("%s %d %d %d %d %s" % ("bad" if diff else "good", len(both),
	      len(set(r) - set(o)), len(set(o) - set(r)), size,
	      ",".join(hex(p) for p in diff[:5])))
	EOF
	)
	set -- $res
	if [ "$our_rc" != 0 ]; then
		if [ "$(field pages)" = 0 ]; then
			echo "ok $name: libkdumpfile reads no page; we refuse it: ${our#*dumpcheck: }"
		else
			echo "not ok $name: libkdumpfile reads $(field pages) pages, we cannot open it: $our"
			fail=1
		fi
	elif [ "$1" = good ]; then
		echo "ok $name: $2 pages identical (pages only libkdumpfile reads: $3, only we read: $4)"
	else
		echo "not ok $name: pages differ: ${6:-$*}"
		fail=1
	fi
done
exit $fail
