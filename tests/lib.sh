# Shared helpers for the shell tests: TAP output and paths.
# Sourced; expects KTRIAGE and top_srcdir from the environment (make check
# sets them), falling back to the build tree.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${KTRIAGE:=$top_builddir/src/ktriage}"
export LC_ALL=C TZ=UTC
unset NO_COLOR
SHARED="${KTRIAGE_SHARED:-$top_srcdir/../shared}"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kt-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

# The ktriage binary itself, even when KTRIAGE is the valgrind wrapper.
KT_BIN=$KTRIAGE
# kt_wrap_valgrind PROGRAM: under 'make check-valgrind' (KT_VALGRIND set),
# print the path of a wrapper that runs PROGRAM under valgrind; otherwise
# print PROGRAM.  The wrapper execs, so its pid is the program's.
kt_wrap_valgrind() {
	if [ -z "${KT_VALGRIND:-}" ]; then
		printf '%s\n' "$1"
		return
	fi
	_w="$TMPD/vg-$(basename "$1")"
	printf '#!/bin/sh\nexec %s '"'"'%s'"'"' "$@"\n' "$KT_VALGRIND" "$1" >"$_w"
	chmod +x "$_w"
	printf '%s\n' "$_w"
}
KTRIAGE=$(kt_wrap_valgrind "$KT_BIN")
# kt_sanitized: true when ktriage was built with --enable-asan/--enable-ubsan
kt_sanitized() {
	"$KT_BIN" --version 2>/dev/null | grep -q '^sanitizers:'
}
# kt_valgrind: true under 'make check-valgrind'
kt_valgrind() {
	[ -n "${KT_VALGRIND:-}" ]
}
# kt_slow: a factor for the timeouts of tests that wait for a live ktriage
# (startup and each line take ~50x longer under valgrind, ~3x under ASan)
kt_slow() {
	if kt_valgrind; then
		echo 40
	elif kt_sanitized; then
		echo 4
	else
		echo 1
	fi
}
# kt_no_rss_limit: why peak-RSS limits cannot be checked here (ASan's shadow
# memory and quarantine, valgrind's own heap), or false when they can
kt_no_rss_limit() {
	if kt_sanitized; then
		echo "sanitized build: ASan shadow memory and quarantine inflate RSS"
	elif kt_valgrind; then
		echo "under valgrind: its own memory inflates RSS"
	else
		return 1
	fi
}
_n=0
_fail=0

ok() {
	_n=$((_n + 1))
	echo "ok $_n - $*"
}

not_ok() {
	_n=$((_n + 1))
	_fail=$((_fail + 1))
	echo "not ok $_n - $*"
}

skip() {
	_n=$((_n + 1))
	echo "ok $_n # SKIP $*"
}

# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	_d=$1
	shift
	if "$@" >"$TMPD/check.out" 2>&1; then
		ok "$_d"
	else
		not_ok "$_d"
		sed 's/^/# /' "$TMPD/check.out" | head -n 40
	fi
}

done_testing() {
	echo "1..$_n"
	[ "$_fail" -eq 0 ]
}
