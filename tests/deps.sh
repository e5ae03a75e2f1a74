#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages vmcoreutils needs to build and test, and only
# the missing ones.  Idempotent; when everything is present it returns after
# one dpkg-query call.  Root installs directly; otherwise passwordless (or,
# on a terminal, interactive) sudo is used, and failing that we say what to
# run and exit 1.
#
#   tests/deps.sh          install what is missing
#   tests/deps.sh -n       only list what is missing (exit 1 if anything is)
set -eu

# Every package a build, `make test`, `make demo`, `make bench` or
# `make fuzz` uses.  Tests must not use a tool that is not listed here.
PKGS="
build-essential pkg-config
libelf-dev libdwarf-dev zlib1g-dev liblzo2-dev libsnappy-dev libzstd-dev
libcapstone-dev liblzma-dev
bats bats-assert bats-support
makedumpfile crash python3-drgn pahole
xz-utils zstd linux-source-6.1
clang libclang-rt-14-dev
hyperfine time binutils file man-db groff-base jq strace parallel
libkdumpfile-dev
"

missing=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' $PKGS 2>/dev/null |
	awk -v want="$PKGS" '
		$2 ~ /^ii/ { ok[$1] = 1 }
		END { n = split(want, w, /[ \n]+/)
		      for (i = 1; i <= n; i++) if (w[i] != "" && !ok[w[i]]) printf "%s ", w[i] }')
[ -z "$missing" ] && exit 0

if [ "${1:-}" = -n ]; then
	echo "deps: missing: $missing"
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
	SUDO=sudo
else
	cat >&2 <<EOF
deps: these Debian packages are missing: $missing
deps: installing them needs root; run one of:
        sudo make deps
        sudo apt-get install $missing
EOF
	exit 1
fi

echo "deps: installing: $missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
	{ echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086 # word splitting of the list is wanted
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends $missing ||
	{ echo "deps: apt-get install failed for: $missing" >&2; exit 1; }
echo "deps: done"
