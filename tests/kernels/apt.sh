#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's archive through a private apt list, so the fixture scripts never
# touch the machine's sources or its architecture list:
#   tests/kernels/apt.sh DIR update
#   tests/kernels/apt.sh DIR download PKG[:ARCH][=VERSION]...   (into $PWD)
#   tests/kernels/apt.sh DIR show PKG...
# DIR keeps the lists; it is refreshed by "update" when older than a day.
set -eu
dir=$1; cmd=$2; shift 2
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
cat > "$dir/sources.list.tmp" <<'LIST'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg arch=amd64,arm64] http://deb.debian.org/debian sid main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg arch=amd64,arm64] http://deb.debian.org/debian bullseye main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg arch=amd64,arm64] http://deb.debian.org/debian-security bullseye-security main
LIST
mv -f "$dir/sources.list.tmp" "$dir/sources.list"
# (paths without blanks: the options are split on them)
opts="-o Dir::Etc::sourcelist=$dir/sources.list -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists=$dir/lists -o Dir::Cache=$dir/cache
	-o APT::Architectures::=amd64 -o APT::Architectures::=arm64
	-o APT::Sandbox::User=root -o Debug::NoLocking=1"
case $cmd in
update)
	if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
		apt-get -q $opts update >&2
	fi ;;
download) apt-get -q $opts download "$@" >&2 ;;
show) apt-cache $opts show "$@" ;;
*) echo "apt.sh: unknown command $cmd" >&2; exit 2 ;;
esac
