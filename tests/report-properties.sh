#!/bin/sh
# report-properties.sh - property table of the reports found in the shared
# corpora satyr-kerneloopses and real-debian-6.1 (TAP).  Per file: report
# count, kinds, titles, first frame of each report; compared with
# tests/reports.tsv.  Also checks that clean boot logs yield no report.
# Regenerate deliberately with: tests/report-properties.sh --update
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
shared="$top_srcdir/../shared/corpus"
bin=${KT_REPORT_BIN:-$top_builddir/tests/report-driver}
table="$top_srcdir/tests/reports.tsv"
echo "1..2"
if [ ! -d "$shared/satyr-kerneloopses" ] || ! command -v python3 >/dev/null 2>&1; then
	echo "ok 1 # SKIP no shared corpus at $shared"
	echo "ok 2 # SKIP no shared corpus at $shared"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
if [ -n "${KT_VALGRIND:-}" ]; then	# make check-valgrind: the driver under valgrind
	printf '#!/bin/sh\nexec %s '"'"'%s'"'"' "$@"\n' "$KT_VALGRIND" "$bin" >"$tmp/vg-driver"
	chmod +x "$tmp/vg-driver"
	bin=$tmp/vg-driver
fi
for dir in satyr-kerneloopses real-debian-6.1; do
	for f in "$shared/$dir"/*; do
		case "$f" in *.md|*.tsv) continue ;; esac
		[ -f "$f" ] || continue
		"$bin" --format=json "$f" 2>/dev/null | python3 -c '
import json, sys
name = sys.argv[1]
rs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
rs = [r for r in rs if r.get("type") == "report"]
def first(r):
    for f in r["frames"]:
        if f.get("func"):
            return f["func"]
    return "-"
print("\t".join([name, str(len(rs)),
                 ",".join(r["kind"] for r in rs) or "-",
                 " | ".join(r["title"] for r in rs) or "-",
                 ",".join(first(r) for r in rs) or "-"]))
' "$dir/$(basename "$f")"
	done
done > "$tmp/now.tsv"
if [ "$1" = "--update" ]; then
	{ printf '# file\tcount\tkinds\ttitles\tfirst-frames\n'; cat "$tmp/now.tsv"; } > "$table"
	echo "ok 1 - regenerated $table"
else
	grep -v '^#' "$table" > "$tmp/want.tsv"
	if diff -u "$tmp/want.tsv" "$tmp/now.tsv" > "$tmp/diff"; then
		echo "ok 1 - report properties match tests/reports.tsv"
	else
		sed 's/^/# /' "$tmp/diff"
		echo "not ok 1 - report properties differ from tests/reports.tsv"
	fi
fi
# clean boot: the part of each real-debian log before its first report
# trigger, and the survive logs up to their first lkdtm message
bad=0
for f in "$shared"/real-debian-6.1/*.log; do
	awk '/lkdtm|sysrq|Kernel panic|invoked oom-killer|blocked for more than|soft lockup|Call Trace/ { exit } { print }' \
		"$f" > "$tmp/boot.log"
	n=$("$bin" --format=json "$tmp/boot.log" | grep -c '"type":"report"')
	if [ "$n" != 0 ]; then
		echo "# $(basename "$f"): boot part yields $n report(s)"
		bad=1
	fi
done
if [ -r /proc/kmsg ] && command -v dmesg >/dev/null 2>&1 && dmesg >/dev/null 2>&1; then
	dmesg > "$tmp/dmesg.log" 2>/dev/null
	n=$("$bin" --format=json "$tmp/dmesg.log" | grep -c '"type":"report"')
	[ "$n" = 0 ] || echo "# this machine's dmesg yields $n report(s) (not failed: it may hold real ones)"
fi
if [ $bad = 0 ]; then
	echo "ok 2 - clean boot logs yield no report"
else
	echo "not ok 2 - a clean boot log yielded a report"
fi
