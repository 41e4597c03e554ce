#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# get-debian-vmlinux.sh - fetch and unpack the debug vmlinux that matches the
# real crash logs in corpus/real-debian-6.1 (Debian linux-image-6.1.0-56-cloud-amd64
# 6.1.192-2).  Uses `apt-get download` + `dpkg -x`; needs no root.
#
# usage: scripts/get-debian-vmlinux.sh [--print] [CACHE_DIR]
#   CACHE_DIR defaults to $KTRIAGE_CACHE or $HOME/.cache/ktriage.
#   --print: only print the vmlinux path if it is already unpacked (exit 1 if not).
# Prints the path of the unpacked vmlinux on stdout.  The package is 283 MB,
# the unpacked vmlinux 590 MB; the .deb is deleted after unpacking.
set -eu

PKG=linux-image-6.1.0-56-cloud-amd64-dbg
VER=6.1.192-2
REL=6.1.0-56-cloud-amd64
BUILD_ID=3b43fad5034874490492495d552c0af6a5fab235

print_only=0
if [ "${1:-}" = "--print" ]; then
	print_only=1
	shift
fi
cache=${1:-${KTRIAGE_CACHE:-${HOME:-/tmp}/.cache/ktriage}}
root=$cache/$PKG-$VER
vmlinux=$root/usr/lib/debug/boot/vmlinux-$REL

if [ -s "$vmlinux" ] && [ -e "$root/.complete" ]; then
	echo "$vmlinux"
	exit 0
fi
[ "$print_only" = 1 ] && exit 1

command -v apt-get >/dev/null 2>&1 || { echo "get-debian-vmlinux: apt-get not found" >&2; exit 2; }
command -v dpkg >/dev/null 2>&1 || { echo "get-debian-vmlinux: dpkg not found" >&2; exit 2; }

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/dl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "get-debian-vmlinux: downloading $PKG=$VER (283 MB) ..." >&2
(cd "$tmp" && apt-get download "$PKG=$VER" >&2) || {
	echo "get-debian-vmlinux: cannot download $PKG=$VER (is bookworm-security in the apt sources? try 'apt-get update')" >&2
	exit 2
}
deb=$(ls "$tmp"/*.deb)
rm -rf "$root"
mkdir -p "$root"
echo "get-debian-vmlinux: unpacking into $root ..." >&2
dpkg -x "$deb" "$root"
[ -s "$vmlinux" ] || { echo "get-debian-vmlinux: $vmlinux missing from the package" >&2; exit 2; }
if command -v readelf >/dev/null 2>&1; then
	id=$(readelf -n "$vmlinux" 2>/dev/null | sed -n 's/.*Build ID: *//p' | head -n1)
	if [ -n "$id" ] && [ "$id" != "$BUILD_ID" ]; then
		echo "get-debian-vmlinux: warning: build id $id, expected $BUILD_ID" >&2
	fi
fi
: > "$root/.complete"
echo "$vmlinux"
