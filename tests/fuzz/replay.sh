#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Replay every saved fuzz input (tests/fuzz/<target>/: seeds and the
# reproducer of every bug the fuzzers found) through its harness.  In the
# normal build the harnesses link replay-main.c; in an --enable-fuzzing
# build they are libFuzzer binaries, which run each file given and exit.
# TAP output; a harness that crashes or reports a sanitizer error fails.
: "${top_srcdir:=.}" "${top_builddir:=.}"
targets="prefix kmsg frame rules pipeline symbolize"
n=0
echo "1..6"
for t in $targets; do
	n=$((n + 1))
	bin="$top_builddir/tests/fuzz/fuzz-$t"
	dir="$top_srcdir/tests/fuzz/$t"
	if [ ! -x "$bin" ]; then
		echo "not ok $n - $t: $bin not built"
		continue
	fi
	files=$(find "$dir" -type f | LC_ALL=C sort)
	count=$(printf '%s\n' "$files" | grep -c .)
	if [ "$count" -eq 0 ]; then
		echo "ok $n - $t # SKIP no saved inputs in $dir"
		continue
	fi
	log="$top_builddir/tests/fuzz/replay-$t.log"
	# shellcheck disable=SC2086 # one argument per file name (no spaces)
	if "$bin" $files >"$log" 2>&1; then
		echo "ok $n - $t: $count inputs"
	else
		echo "not ok $n - $t: see $log"
		sed 's/^/# /' "$log" | tail -n 40
	fi
done
