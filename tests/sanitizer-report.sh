#!/bin/sh
# sanitizer-report.sh DIR - run by 'make check' after the tests.
# ASan, LeakSanitizer and UBSan write a file DIR/asan.PID or DIR/ubsan.PID
# only when they report something: print each one and fail.
# valgrind (make check-valgrind) writes DIR/valgrind.PID for every run: sum
# the runs, memcheck errors and definitely lost bytes; fail on any error or
# definite leak, and print the logs that have them.
dir=$1
[ -d "$dir" ] || exit 0
bad=0
for f in "$dir"/asan.* "$dir"/ubsan.*; do
	[ -f "$f" ] || continue
	bad=$((bad + 1))
	echo "=== sanitizer report: $f"
	cat "$f"
done
[ "$bad" -gt 0 ] && echo "sanitizer-report: $bad sanitizer report(s) above"

runs=0 errors=0 lost=0 unfinished=0
for f in "$dir"/valgrind.*; do
	[ -f "$f" ] || continue
	runs=$((runs + 1))
	e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) error.*/\1/p' "$f" | tr -d , | tail -n 1)
	l=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$f" | tr -d , | tail -n 1)
	if [ -z "$e" ]; then
		# killed before valgrind could summarise (SIGKILL by a test)
		unfinished=$((unfinished + 1))
		continue
	fi
	errors=$((errors + e))
	lost=$((lost + ${l:-0}))
	if [ "$e" -gt 0 ] || [ "${l:-0}" -gt 0 ]; then
		bad=$((bad + 1))
		echo "=== valgrind: $f"
		cat "$f"
	fi
done
if [ "$runs" -gt 0 ]; then
	echo "valgrind: $runs runs, $errors errors, $lost bytes definitely lost" \
		"($unfinished runs killed before their summary)"
fi
[ "$bad" -eq 0 ]
