#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Documentation that runs: every example of every man page's EXAMPLES section
# and every example block of the README is extracted, run on the fixtures and
# checked, so that no example rots; and each program's options are the same
# in its -h, its man page, vmcoreutils(7)'s table and the bash completion.
#
# How an example is written (man: inside .EX/.EE in EXAMPLES; README: a block
# indented by four spaces):
#
#   $ command            a command, as typed at a shell prompt
#   > more               its continuation lines (a loop over several lines)
#   output               what it prints (stdout and stderr, as a terminal
#                        shows them): compared line by line; a line "..."
#                        stands for any number of lines, a line ending in
#                        "..." for any line that starts with the text before
#
# A command without output shown must exit 0, write nothing to stderr and
# print something (unless it is a `cd` or sends its output to /dev/null).
# The commands of one block run in order in one shell, in a sandbox
# directory holding: vmcore (the sample dump), vmlinux (its vmlinux),
# tests/ (this tree's), ../shared/fixtures (the corpus) and /var/crash/*/vmcore
# (a few dumps of the corpus; the text /var/crash is pointed there).  A man
# page example that needs another dump says so in a roff comment inside its
# .EX block, which the reader does not see:
#
#   .\" docs-test: vmcore=tests/fixtures/x86_64-7.2/vmcore.kdump-zstd
#
# binds a name to a fixture (tests/fixture.sh SPEC, a path under this tree,
# or "sample"); a name starting with / is a path the command's text names,
# pointed into the sandbox.

load helpers

setup() {
	BAD=()
}

record() {
	BAD+=("$*")
}

verdict() {
	if [ ${#BAD[@]} -gt 0 ]; then
		printf '%s\n' "${BAD[@]}" >&2
		return 1
	fi
}

# ---------------------------------------------------------------- extraction
# Records on stdout, one a line: "B WHERE" a block begins, "D NAME=SPEC" a
# binding, "C TEXT" a command, "K TEXT" a continuation line, "O TEXT" a line
# of output, "E" the block ends.

# man_examples PAGE: the EXAMPLES section's .EX blocks as groff renders them
# (what `man` shows, escapes resolved), found by markers put around them.
man_examples() {
	sed -e '/^\.SH EXAMPLES/,/^\.SH /{
		s/^\.EX$/&\n@@BEGIN@@/
		s/^\.EE$/@@END@@\n&/
		s/^\.\\" docs-test: \(.*\)$/@@BIND \1@@/
	}' "$1" | LC_ALL=C groff -man -Tascii -P-cbou -rLL=400n 2>/dev/null |
	awk -v where="${1##*/}" '
		/^ *@@BEGIN@@$/ { inb = 1; match($0, /^ */); ind = RLENGTH
			print "B " where " block " ++n; next }
		/^ *@@END@@$/ { inb = 0; print "E"; next }
		!inb { next }
		{ l = substr($0, ind + 1) }
		l ~ /^@@BIND .*@@$/ { sub(/^@@BIND /, "", l); sub(/@@$/, "", l); print "D " l; next }
		l ~ /^\$ / { print "C " substr(l, 3); next }
		l ~ /^> / { print "K " substr(l, 3); next }
		{ print "O " l }'
}

# readme_examples README: indented blocks that start with "$ ".  A blank line
# belongs to the block when the block goes on after it.  A program run shown
# in an indented block without "$ " is reported as "X LINE" (an example the
# test would not see).
readme_examples() {
	awk '
		function flushblanks() { for (; blanks > 0; blanks--) print "O " }
		/^    / {
			l = substr($0, 5)
			if (!inb && l ~ /^\$ /) { inb = 1; print "B README line " NR }
			if (!inb) {
				if (l ~ /^vm[a-z]+ .*(vmcore|tests\/data|fixtures)/) print "X " NR ": " l
				next
			}
			flushblanks()
			if (l ~ /^\$ /) print "C " substr(l, 3)
			else if (l ~ /^> /) print "K " substr(l, 3)
			else print "O " l
			next
		}
		/^[ \t]*$/ { if (inb) blanks++; next }
		{ if (inb) { print "E"; inb = 0 }; blanks = 0 }
		END { if (inb) print "E" }' "$1"
}

# ---------------------------------------------------------------- running
# resolve SPEC: the path a binding names (fixture.sh hashes what it
# unpacks: each SPEC is looked up once per run, in $BATS_FILE_TMPDIR)
resolve() {
	local memo=$BATS_FILE_TMPDIR/resolved.${1//\//_} p
	if [ -f "$memo" ]; then
		cat "$memo"
		return
	fi
	case $1 in
	sample) p=$SAMPLE ;;
	tests/*) [ -e "$ROOT/$1" ] && p=$ROOT/$1 ;;
	*) p=$(fixture "$1" 2>/dev/null) ;;
	esac
	echo "${p:-}" | tee "$memo"
}

# sandbox DIR: the names the examples use (see the top of this file)
sandbox() {
	local sb=$1 vml d spec
	vml=$(resolve x86_64-6.1/vmlinux.xz)
	[ -n "$vml" ] || skip "fixture x86_64-6.1/vmlinux.xz not available (VMCORE_FIXTURES=$FIX)"
	skip_if_missing x86_64-6.1/oops-module/vmcore.kdump-zlib
	mkdir -p "$sb/w" "$sb/shared" "$sb/root/var/crash"
	ln -s "$FIX" "$sb/shared/fixtures"
	ln -s "$ROOT/tests" "$sb/w/tests"
	ln -s "$SAMPLE" "$sb/w/vmcore"
	ln -s "$vml" "$sb/w/vmlinux"
	for spec in x86_64-6.1/oops-module/vmcore.kdump-zlib x86_64-6.1/sysrq-c/vmcore.kdump-zstd \
		    arm64-6.1-debian/vmcore.qemu-kdump-zlib tests/fixtures/x86_64-7.2/vmcore.kdump-zstd; do
		d=$(resolve "$spec")
		[ -n "$d" ] || continue
		mkdir -p "$sb/root/var/crash/${spec//\//_}"
		ln -s "$d" "$sb/root/var/crash/${spec//\//_}/vmcore"
	done
}

# match EXPECTED ACTUAL: the shown output (with "..." lines) against what
# ran; prints the first difference and fails.
match() {
	awk '
		FNR == NR { e[ne++] = $0; next }
		{ a[na++] = $0 }
		function same(x, y,   p) {
			sub(/[ \t]+$/, "", x); sub(/[ \t]+$/, "", y)
			if (x ~ /\.\.\.$/ && x !~ /^[ \t]*\.\.\.$/) {
				p = substr(x, 1, length(x) - 3)
				return substr(y, 1, length(p)) == p
			}
			return x == y
		}
		END {
			# trailing blank lines are not output
			while (ne > 0 && e[ne - 1] ~ /^[ \t]*$/) ne--
			while (na > 0 && a[na - 1] ~ /^[ \t]*$/) na--
			j = 0
			for (i = 0; i < ne; i++) {
				if (e[i] ~ /^[ \t]*\.\.\.$/) {
					# skip to the next line that matches what follows
					if (i + 1 == ne) { j = na; continue }
					while (j < na && !same(e[i + 1], a[j])) j++
					continue
				}
				if (j >= na) { printf "missing line: %s\n", e[i]; exit 1 }
				if (!same(e[i], a[j])) { printf "line %d: want: %s\n         got:  %s\n", j + 1, e[i], a[j]; exit 1 }
				j++
			}
			if (j < na) { printf "extra line %d: %s\n", j + 1, a[j]; exit 1 }
		}' "$1" "$2"
}

# run_examples: the records on stdin, each block in a fresh sandbox; every
# failure is recorded.  Sets NCMD to the number of commands run.
run_examples() {
	local kind text where n=0 sb script res i cmd rc diff
	local -a cmds=() exps=() binds=()
	NCMD=0
	while IFS= read -r rec; do
		kind=${rec%% *} text=${rec#? }
		[ "$rec" = E ] && kind=E
		case $kind in
		B) where=$text cmds=() exps=() binds=() n=-1 ;;
		D) binds+=("$text") ;;
		C) n=$((n + 1)); cmds[n]=$text; exps[n]= ;;
		K) # "> " goes on a command only while the command is incomplete
		   # (vmps's output lines start with ">" too)
		   if [ "$n" -ge 0 ] && [ -z "${exps[n]}" ] && ! bash -n <<<"${cmds[n]}" 2>/dev/null; then
			   cmds[n]+=$'\n'$text
		   else
			   exps[n]+="> $text"$'\n'
		   fi ;;
		O) [ "$n" -ge 0 ] || { record "$where: output before any command: $text"; continue; }
		   exps[n]+=$text$'\n' ;;
		X) record "README line $text: a program run in a block that is not an example (\$ lines)" ;;
		E)
			sb=$(mktemp -d "$BATS_TEST_TMPDIR/sb.XXXXXX") res=$sb/res
			mkdir -p "$res"
			sandbox "$sb"
			script="set -u; cd \"$sb/w\" || exit 99"$'\n'
			for i in "${!cmds[@]}"; do
				cmd=${cmds[i]//\/var\/crash/$sb/root/var/crash}
				local bnd name path
				for bnd in "${binds[@]}"; do
					name=${bnd%%=*}
					path=$(resolve "${bnd#*=}")
					[ -n "$path" ] || skip "fixture ${bnd#*=} (bound in $where) not available"
					case $name in
					/*) mkdir -p "$sb/root${name%/*}"; ln -sfn "$path" "$sb/root$name"
					    cmd=${cmd//"$name"/$sb/root$name} ;;
					*) ln -sfn "$path" "$sb/w/$name" ;;
					esac
				done
				cmds[i]=$cmd
				printf '%s\n' "${exps[i]}" >"$res/$i.want"
				if [ -n "${exps[i]}" ]; then
					script+="t0=\$EPOCHREALTIME; { $cmd"$'\n'"} >\"$res/$i.out\" 2>&1; echo \$? >\"$res/$i.rc\""$'\n'
				else
					script+="t0=\$EPOCHREALTIME; { $cmd"$'\n'"} >\"$res/$i.out\" 2>\"$res/$i.err\"; echo \$? >\"$res/$i.rc\""$'\n'
				fi
				# how long each command took, for DOCS_TIMES
				script+="echo \"\$EPOCHREALTIME \$t0\" >\"$res/$i.time\""$'\n'
			done
			timeout 600 bash -c "$script" </dev/null
			for i in "${!cmds[@]}"; do
				NCMD=$((NCMD + 1))
				[ -n "${DOCS_TIMES:-}" ] && awk -v c="${cmds[i]%%$'\n'*}" '{ printf "# %6.2f s  %s\n", $1 - $2, c }' "$res/$i.time" >&3
				cmd=${cmds[i]} rc=$(cat "$res/$i.rc" 2>/dev/null || echo "none (the block stopped)")
				if [ -n "${exps[i]}" ]; then
					# the sandbox's paths as the example names them
					sed -i "s|$sb/root||g" "$res/$i.out"
					diff=$(match "$res/$i.want" "$res/$i.out") ||
						record "$where: \$ ${cmds[i]}"$'\n'"$diff"
					continue
				fi
				[ "$rc" = 0 ] || record "$where: \$ $cmd: exit $rc: $(head -c 400 "$res/$i.err")"
				[ -s "$res/$i.err" ] && [ "$rc" = 0 ] && record "$where: \$ $cmd: stderr: $(head -c 400 "$res/$i.err")"
				case $cmd in
				"cd "* | *">/dev/null"*) ;;
				*) [ -s "$res/$i.out" ] || record "$where: \$ $cmd: printed nothing" ;;
				esac
			done
			;;
		esac
	done
}

@test "every example of every man page's EXAMPLES section runs and prints what it shows" {
	local page recs total=0
	for page in "$ROOT"/man/*.[1-8]; do
		recs=$(man_examples "$page")
		grep -q '^C ' <<<"$recs" || { record "${page##*/}: no example (\$ lines in .EX in EXAMPLES)"; continue; }
		run_examples <<<"$recs"
		total=$((total + NCMD))
	done
	echo "# $total commands" >&3
	verdict
}

@test "every example block of the README runs and prints what it shows" {
	local recs
	need_cmd makedumpfile
	recs=$(readme_examples "$ROOT/README")
	[ "$(grep -c '^B ' <<<"$recs")" -ge 10 ] || fail "too few example blocks found in README: $recs"
	run_examples <<<"$recs"
	echo "# $NCMD commands" >&3
	verdict
}

@test "an EXAMPLES section holds its program runs in .EX blocks, where the test finds them" {
	local page l
	for page in "$ROOT"/man/*.[1-8]; do
		while IFS= read -r l; do
			record "${page##*/}: a program run outside .EX: $l"
		done < <(sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$page" | awk '
			/^\.EX/ { ex = 1; next } /^\.EE/ { ex = 0; next }
			!ex && /(^|[ "])vm[a-z]+ .*vmcore/')
	done
	verdict
}

@test "the example matcher: '...' lines and prefixes, differences found" {
	local w=$BATS_TEST_TMPDIR/w a=$BATS_TEST_TMPDIR/a
	printf 'a\n...\nd\ne f...\n\n' >"$w"
	printf 'a\nb\nc\nd\ne f g\n' >"$a"
	run match "$w" "$a"
	assert_success
	printf 'a\nd\ne fg\n' >"$a"
	run match "$w" "$a"
	assert_success
	printf 'a\nd\nx\n' >"$a"
	run match "$w" "$a"
	assert_failure
	printf 'a\nb\n' >"$a"
	run match "$w" "$a"
	assert_failure
	printf 'x\n' >"$w"
	printf 'x\ny\n' >"$a"
	run match "$w" "$a"
	assert_failure
}

# ---------------------------------------------------------------- options
# Plain text of a man page's source: roff escapes for '-' and fonts removed.
man_text() {
	sed -e 's/\\-/-/g' -e 's/\\(en/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' \
	    -e 's/\\f\[[^]]*\]//g' -e 's/\\&//g' "$1"
}

# option tokens (-k, --json) in text
opt_tokens() {
	grep -oE '(^|[ ",(|])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[ ",(|]+//' | sort -u
}

# man_tags PAGE SECTION: "TAG<TAB>first line of its text" for each .TP of the
# section
man_tags() {
	man_text "$1" | awk -v sec="$2" '
		/^\.SH/ { s = $0; sub(/^\.SH +/, "", s); gsub(/"/, "", s); p = (s == sec); t = 0; next }
		p && /^\.TP/ { t = 1; next }
		p && t == 1 { tag = $0; t = 2; next }
		p && t == 2 { print tag "\t" $0; t = 0 }'
}

# help_opts PROG own|common|all: the options -h lists
help_opts() {
	local h
	h=$("$VMBIN/$1" -h) || return 1
	case $2 in
	own) h=$(sed '/^Common options:/,$d' <<<"$h") ;;
	common) h=$(sed -n '/^Common options:/,$p' <<<"$h") ;;
	esac
	# the option column only, not "(crash's ps -k)" in a help text
	grep -oE '^ +(-[A-Za-z0-9], )?--[a-z0-9][a-z0-9-]*' <<<"$h" | opt_tokens
}

# set_of NAME WORDS...: the associative array NAME holds WORDS
set_of() {
	local -n _s=$1
	local w
	shift
	for w in "$@"; do _s[$w]=1; done
}

@test "each program's options: the same in -h, in man/PROG.1 (or vmcoreutils(7)) and in vmcoreutils(7)'s table" {
	local p o q n=0 tag text ps
	local -A seven=() tab=() all own common doc
	set_of seven $(man_tags "$ROOT/man/vmcoreutils.7" "COMMON OPTIONS" | cut -f1 | opt_tokens)
	[ ${#seven[@]} -gt 0 ] || fail "no COMMON OPTIONS in vmcoreutils(7)"
	# "OPTION PROG" for each program the OPTIONS table names after an option
	while IFS=$'\t' read -r tag text; do
		ps=$(sed -nE 's/.*\(([^;)]*)(;[^)]*)?\)[ .]*$/\1/p' <<<"$text" | tr ',' ' ')
		[ -n "$ps" ] || record "vmcoreutils.7 OPTIONS: $tag: no programs named in: $text"
		for o in $(opt_tokens <<<"$tag"); do
			for q in $ps; do tab["$o $q"]=1; done
		done
	done < <(man_tags "$ROOT/man/vmcoreutils.7" OPTIONS)
	for p in $(programs); do
		[ -x "$VMBIN/$p" ] || { record "$p: not built"; continue; }
		[ -f "$ROOT/man/$p.1" ] || { record "$p: no man/$p.1"; continue; }
		n=$((n + 1))
		all=() own=() common=() doc=()
		set_of own $(help_opts "$p" own)
		set_of common $(help_opts "$p" common)
		set_of all "${!own[@]}" "${!common[@]}"
		set_of doc $(man_tags "$ROOT/man/$p.1" OPTIONS | cut -f1 | opt_tokens)
		for o in "${!doc[@]}"; do
			[ -n "${all[$o]-}" ] || record "$p: man/$p.1 documents $o, $p -h does not have it"
		done
		for o in "${!own[@]}"; do
			[ -n "${doc[$o]-}" ] || record "$p: $p -h has $o, man/$p.1 OPTIONS does not"
			[ -n "${tab[$o $p]-}" ] || record "$p: $p -h has $o, vmcoreutils(7) OPTIONS does not name $p for it"
		done
		for o in "${!common[@]}"; do
			[ -n "${doc[$o]-}${seven[$o]-}" ] || record "$p: $p -h has $o, neither man/$p.1 nor vmcoreutils(7) COMMON OPTIONS"
		done
		for o in "${!seven[@]}"; do
			[ -n "${common[$o]-}" ] || record "$p: vmcoreutils(7) COMMON OPTIONS has $o, $p -h does not"
		done
		for o in "${!tab[@]}"; do
			q=${o#* } o=${o% *}
			[ "$q" = "$p" ] || continue
			[ -n "${own[$o]-}" ] || record "vmcoreutils.7 OPTIONS names $p for $o, $p -h does not have it"
		done
	done
	[ "$n" -gt 0 ] || fail "no programs"
	verdict
}

# ---------------------------------------------------------------- completion
# complete CMD WORDS...: what bash-completion/vmcoreutils offers for the last
# word, one a line
complete_words() {
	bash -c 'source "$1/bash-completion/vmcoreutils"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vmcoreutils
		printf "%s\n" "${COMPREPLY[@]}"' complete_words "$ROOT" "$@"
}

@test "bash completion: registered for every program, its options are each program's -h" {
	local p got want
	run bash -c "source '$ROOT/bash-completion/vmcoreutils'; complete -p vmbt"
	assert_success
	assert_output "complete -F _vmcoreutils vmbt"
	for p in $(programs); do
		bash -c "source '$ROOT/bash-completion/vmcoreutils'; complete -p $p" >/dev/null 2>&1 ||
			record "$p: no completion registered"
		[ -x "$VMBIN/$p" ] || continue
		want=$(help_opts "$p" all)
		got=$(complete_words "$p" - | sort -u)
		[ "$got" = "$want" ] || record "$p: completion offers"$'\n'"$(diff <(echo "$want") <(echo "$got"))"
	done
	verdict
}

@test "bash completion: option arguments, -o keys, the DUMP and the dump's symbols" {
	local keys
	cd "$ROOT"
	run complete_words vmbt -k tests/data/vmcore.kdump-z
	assert_output tests/data/vmcore.kdump-zlib
	run complete_words vmps --vmlinux=tests/data/vmcore.kdump-z
	assert_output tests/data/vmcore.kdump-zlib
	run complete_words vmlog -M tests/da
	assert_output tests/data
	run complete_words vmps tests/data/vmcore.kdump-z
	assert_output tests/data/vmcore.kdump-zlib
	# -o: the keys -h lists under -o (KEY= for those that take a value)
	keys=$(vmsys -h | sed -n '/^  -o, --override/,/^  -v, --verbose/p' |
		sed -nE 's/^      ([a-z][a-z0-9_]*)(=[A-Z]+)?( .*|$)/\1\2/p' | sed 's/=.*/=/' | sort)
	[ "$(wc -l <<<"$keys")" -ge 5 ] || fail "too few -o keys in vmsys -h: $keys"
	run complete_words vmsys -o ''
	assert_equal "$(sort <<<"$output")" "$keys"
	# an option taking a number: nothing to offer
	run complete_words vmbt -c ''
	assert_output ""
	# vmsym, vmstruct: names of the dump's symbols (System.map of this kernel)
	skip_if_missing x86_64-6.1/System.map
	run complete_words vmsym "$SAMPLE" init_ta
	assert_line init_task
	assert_equal "$(sort <<<"$output")" "$(awk '$3 ~ /^init_ta/ { print $3 }' "$FIX/x86_64-6.1/System.map" | sort -u)"
	run complete_words vmstruct "$SAMPLE" task_struct jiffies_6
	assert_line jiffies_64
}

@test "make install: stripped programs (STRIP= keeps the symbols), man pages, completion per program" {
	local d=$BATS_TEST_TMPDIR/inst p
	need_cmd readelf
	run make -s -C "$ROOT" --no-print-directory install DESTDIR="$d" PREFIX=/usr SAN="${VM_SAN#0}"
	assert_success
	for p in $(programs); do
		[ -x "$d/usr/bin/$p" ] || record "$p: not installed"
		readelf -S "$d/usr/bin/$p" | grep -q '\.symtab' && record "$p: installed with its .symtab"
		[ -f "$d/usr/share/man/man1/$p.1" ] || record "$p: man page not installed"
		bash -c "source '$d/usr/share/bash-completion/completions/$p'; complete -p $p" >/dev/null 2>&1 ||
			record "$p: completions/$p does not register $p"
	done
	[ -f "$d/usr/share/man/man7/vmcoreutils.7" ] || record "vmcoreutils.7 not installed"
	run make -s -C "$ROOT" --no-print-directory install DESTDIR="$d.keep" PREFIX=/usr STRIP= SAN="${VM_SAN#0}"
	assert_success
	readelf -S "$d.keep/usr/bin/vmsys" | grep -q '\.symtab' || record "STRIP=: vmsys lost its .symtab"
	verdict
}

# ---------------------------------------------------------------- JSON
@test "every key a program's --json writes is documented in its man page" {
	local p args keys k page
	need_cmd jq
	while IFS='|' read -r p args; do
		page=$ROOT/man/$p.1
		[ -x "$VMBIN/$p" ] && [ -f "$page" ] || continue
		# shellcheck disable=SC2086
		keys=$("$VMBIN/$p" --json $args 2>/dev/null | jq -r 'select(type == "object") | keys[]' | sort -u)
		[ -n "$keys" ] || { record "$p --json $args: no objects"; continue; }
		for k in $keys; do
			# (vmsys(1) names its keys as the upper-case -1 columns)
			man_text "$page" | grep -qiw -- "$k" || record "$p: --json key $k not in man/$p.1"
		done
	done <<EOT
vmsys|$SAMPLE /nonexistent
vmlog|-d $SAMPLE
vmps|$SAMPLE
vmps|--parents 98 $SAMPLE
vmbt|-a $SAMPLE
vmsym|-l $SAMPLE schedule no_such_symbol
vmstruct|$SAMPLE list_head -s
vmstruct|$SAMPLE task_struct init_task --members pid,comm
EOT
	verdict
}
