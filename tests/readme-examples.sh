#!/bin/sh
# Every command between the examples markers of README.md runs as written
# (from the top of the tree, with the built ktriage) and succeeds.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
cd "$top_srcdir" || exit 99
sed -n '/<!-- examples:begin -->/,/<!-- examples:end -->/p' README.md |
	sed -n 's/^    //p' >"$TMPD/cmds"
n=$(wc -l <"$TMPD/cmds")
check "README has examples ($n)" test "$n" -ge 5
while IFS= read -r cmd; do
	# run with this build's binary wherever the README says ./src/ktriage
	c=$(printf '%s' "$cmd" | sed "s|\./src/ktriage|\"$KTRIAGE\"|g")
	if sh -c "$c" >"$TMPD/out" 2>"$TMPD/err" && [ -s "$TMPD/out" ]; then
		ok "$cmd"
	else
		not_ok "$cmd"
		sed 's/^/# /' "$TMPD/err" | head -n 5
	fi
done <"$TMPD/cmds"
done_testing
