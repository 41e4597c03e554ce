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
