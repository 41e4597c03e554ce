#!/bin/sh
# Golden tests: every file under corpus/<family>/ in text and JSON output,
# compared with tests/golden/<family>/<file>.{txt,json} (diff -u on failure).
# Regenerate with 'make golden-update' -- a deliberate, reviewed step.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

update=no
[ "${1:-}" = "--update" ] && update=yes
cd "$top_srcdir/corpus" || exit 99

for f in */*; do
	case $f in
	*/README.md|*.sh) continue ;;
	esac
	[ -f "$f" ] || continue
	for mode in txt json; do
		exp="$top_srcdir/tests/golden/$f.$mode"
		if [ "$mode" = json ]; then
			args="--format=json"
		else
			args="--format=text --color=never"
		fi
		# shellcheck disable=SC2086
		"$KTRIAGE" --year=2026 $args "$f" >"$TMPD/out" 2>"$TMPD/err"
		echo "exit $?" >>"$TMPD/out"
		sed 's/^/stderr: /' "$TMPD/err" >>"$TMPD/out"
		if [ $update = yes ]; then
			mkdir -p "$(dirname "$exp")"
			cp "$TMPD/out" "$exp"
			continue
		fi
		if [ ! -f "$exp" ]; then
			not_ok "$f ($mode): no expected output $exp"
		elif diff -u "$exp" "$TMPD/out" >"$TMPD/diff"; then
			ok "$f ($mode)"
		else
			not_ok "$f ($mode)"
			head -n 60 "$TMPD/diff" | sed 's/^/# /'
		fi
		if [ "$mode" = json ] && ! python3 -c '
import json, sys
for n, l in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if l.startswith("exit ") or l.startswith("stderr: "): continue
    json.loads(l)
' "$TMPD/out" 2>"$TMPD/jerr"; then
			not_ok "$f: JSON output is not valid NDJSON"
			sed 's/^/# /' "$TMPD/jerr" | tail -n 3
		fi
	done
done
[ $update = yes ] && { echo "golden files updated"; exit 0; }
done_testing
