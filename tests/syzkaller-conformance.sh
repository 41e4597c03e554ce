#!/bin/sh
# syzkaller-conformance.sh - titles of the first report of every file in
# ../shared/corpus/syzkaller against syzkaller's expectations (TAP).
# Targets (issue 4): exact title >= 95% of files, detection 100%,
# corrupted flag right on >= 90% of crash files.
# KT_REPORT_BIN overrides the program (default: the report test driver;
# any program taking "--format=json -" works, e.g. src/ktriage).
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
corpus="$top_srcdir/../shared/corpus/syzkaller"
bin=${KT_REPORT_BIN:-$top_builddir/tests/report-driver}
echo "1..1"
if [ ! -d "$corpus" ]; then
	echo "ok 1 # SKIP no shared corpus at $corpus"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "ok 1 # SKIP python3 not found"
	exit 0
fi
eval_py="$top_srcdir/../shared/tools/eval-syzkaller.py"
if [ ! -f "$eval_py" ]; then
	echo "ok 1 # SKIP no $eval_py"
	exit 0
fi
if [ -n "${KT_VALGRIND:-}" ]; then
	# make check-valgrind: memcheck over the whole corpus in one run (a
	# valgrind run per file would take an hour); the titles are then
	# checked with the plain driver. Its errors and leaks fail make
	# check-valgrind through tests/sanitizer-report.sh.
	# shellcheck disable=SC2086 # KT_VALGRIND is a command line
	cat "$corpus"/* | $KT_VALGRIND "$bin" --format=json - >/dev/null 2>&1
	echo "# valgrind: the driver over all of $corpus in one run: exit $?"
fi
out=$(python3 "$eval_py" "$bin" "$corpus" --show 1000 2>&1)
echo "$out" | sed 's/^/# /'
title=$(echo "$out" | sed -n 's/^exact title \([0-9.]*\)%.*/\1/p')
det=$(echo "$out" | sed -n 's/^detection \([0-9.]*\)%.*/\1/p')
corr=$(echo "$out" | sed -n 's/.*corrupted-flag right on \([0-9.]*\)%.*/\1/p')
if [ -z "$title" ] || [ -z "$det" ] || [ -z "$corr" ]; then
	echo "not ok 1 - eval did not run"
	exit 0
fi
if awk -v t="$title" -v d="$det" -v c="$corr" \
	'BEGIN { exit !(t >= 95 && d >= 100 && c >= 90) }'; then
	echo "ok 1 - title $title% detection $det% corrupted $corr%"
else
	echo "not ok 1 - below targets: title $title% (95) detection $det% (100) corrupted $corr% (90)"
fi
