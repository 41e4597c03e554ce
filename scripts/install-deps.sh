#!/bin/sh
# Install the Debian 12 packages needed to build and test ktriage.
# Idempotent: packages already present are skipped. Runs apt-get as root,
# through sudo otherwise.
set -eu

PKGS="build-essential autoconf automake libtool pkg-config
libpcre2-dev libdw-dev libelf-dev libcyaml-dev zlib1g-dev libcmocka-dev
python3 gzip libjansson-dev libsystemd-dev systemd-journal-remote rsyslog bsdutils
elfutils binutils xz-utils debuginfod rsyslog bsdutils valgrind"
# Optional, not installed here: ./configure --enable-fuzzing (tests/fuzz,
# README "Fuzzing") needs clang and libFuzzer: clang libclang-rt-14-dev.

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
else
	SUDO="sudo"
fi

echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
