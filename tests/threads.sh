#!/bin/sh
# --threads=2 (crash reports assembled by a second thread that reads each
# file again) prints the same as --threads=1, byte for byte: over corpus/
# and, when present, a sample of ../shared/corpus, in JSON and text, with
# a level filter, in summary mode, with several files in one run and with
# gzip input.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

same() {	# name, then ktriage arguments
	name=$1
	shift
	"$KTRIAGE" --year=2026 --threads=1 "$@" >"$TMPD/one" 2>"$TMPD/one.err"
	echo "exit $?" >>"$TMPD/one"
	"$KTRIAGE" --year=2026 --threads=2 "$@" >"$TMPD/two" 2>"$TMPD/two.err"
	echo "exit $?" >>"$TMPD/two"
	if cmp -s "$TMPD/one" "$TMPD/two" && cmp -s "$TMPD/one.err" "$TMPD/two.err"; then
		ok "$name"
	else
		not_ok "$name"
		diff -u "$TMPD/one" "$TMPD/two" | head -n 30 | sed 's/^/# /'
		diff -u "$TMPD/one.err" "$TMPD/two.err" | head -n 10 | sed 's/^/# /'
	fi
}

files=$(find "$top_srcdir/corpus" -type f ! -name README.md ! -name '*.sh' | sort)
if [ -d "$SHARED/corpus" ]; then
	# the real crashes, and every twentieth syzkaller log
	files="$files $(ls "$SHARED"/corpus/real-debian-6.1/*.log \
		"$SHARED"/corpus/satyr-kerneloopses/* 2>/dev/null)
$(ls "$SHARED"/corpus/syzkaller/* 2>/dev/null | awk 'NR % 20 == 1')"
fi
n=0
for f in $files; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	same "$f (json)" --format=json "$f"
	# the text of a few: the rest only differs by format
	[ $((n % 10)) -eq 1 ] && same "$f (text)" --format=text --color=always "$f"
done
all=$(find "$top_srcdir/corpus" -type f ! -name README.md ! -name '*.sh' | sort)
# shellcheck disable=SC2086
same "all corpus files in one run (json)" --format=json $all
# shellcheck disable=SC2086
same "all corpus files in one run (summary)" --summary --format=json $all
# shellcheck disable=SC2086
same "level filter" --format=json --level=emerg,alert,crit,err,warn $all
# shellcheck disable=SC2086
cat $all | gzip -c >"$TMPD/all.gz"
same "gzip input" --format=json "$TMPD/all.gz"
done_testing
