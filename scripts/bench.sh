#!/usr/bin/env bash
# ktriage benchmark: builds a ~1 GB log by repeating corpus samples and
# prints, in one run, ktriage's figures next to reference commands on the
# same file.  Usage: scripts/bench.sh [KTRIAGE]   (BENCH_MB=1024 by default)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
K=${1:-$top/src/ktriage}
MB=${BENCH_MB:-1024}
data=${BENCH_DIR:-$top/bench-data}
shared=$top/../shared/corpus
mkdir -p "$data"
export LC_ALL=C TZ=UTC

seed=$data/seed.log
big=$data/big-${MB}M.log
small=$data/small-10M.log
if [ ! -s "$big" ]; then
	# real logs: this project's samples and, when present, the shared
	# corpus's serial consoles and syzkaller logs (thousands of reports)
	{
		cat "$top"/corpus/formats/dmesg-default.txt "$top"/corpus/formats/dmesg-raw.txt
		if [ -d "$shared" ]; then
			cat "$shared"/real-debian-6.1/*.log
			for f in "$shared"/syzkaller/[0-9]*; do sed '1,/^$/d' "$f"; done
			cat "$shared"/formats/dmesg-default.txt "$shared"/formats/kern-log-rsyslog-3164.txt
		fi
	} >"$seed"
	seedsz=$(stat -c %s "$seed")
	reps=$(( MB * 1024 * 1024 / seedsz + 1 ))
	: >"$big"
	for ((i = 0; i < reps; i++)); do cat "$seed"; done >>"$big"
	head -c $((10 * 1024 * 1024)) "$big" >"$small"
fi
size=$(stat -c %s "$big")
lines=$(wc -l <"$big")
cat "$big" >/dev/null	# warm the page cache

# seconds for a command, best of 3.  Output goes to a file, not /dev/null:
# GNU grep stops at the first match when it sees its output is /dev/null.
best() {
	local b=999999 t s e out=/dev/null
	case $1 in grep|wc) out=$data/ref.out ;; esac
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >"$out" 2>&1 || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		b=$(echo "if ($t < $b) $t else $b" | bc -l)
	done
	echo "$b"
}
rss_kb() {
	python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
reports_in() {	# file: the crash reports ktriage finds in it
	"$K" --summary --format=json "$1" |
		python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin if "\"summary\"" in l][0]["reports"])'
}
row() {	# name seconds
	printf '%-52s %8.3f s %9.1f MB/s\n' "$1" "$2" "$(echo "$size / 1048576 / $2" | bc -l)"
}

printf 'input: %s, %.1f MB, %d lines\n\n' "$big" "$(echo "$size/1048576" | bc -l)" "$lines"
row "wc -l" "$(best wc -l "$big")"
row "grep -c -E 'error|warn|fail'" "$(best grep -c -E 'error|warn|fail' "$big")"
P="--no-rules --no-reports"
row "ktriage --format=json > /dev/null (parse only)" "$(best "$K" $P --format=json "$big")"
row "ktriage --format=text > /dev/null (parse only)" "$(best "$K" $P --format=text --color=never "$big")"
union='usb [0-9]|ata[0-9]+|I/O error|EXT4-fs error|Out of memory|soft lockup|blocked for more than|rcu.*stall|NETDEV WATCHDOG|segfault at|AER:|mce:|EDAC|Call Trace|BUG:|WARNING:|Oops|Kernel panic|UFW BLOCK|apparmor='
row "grep -c -E (20-pattern union)" "$(best grep -c -E "$union" "$big")"
row "ktriage --summary --no-reports (all rules)" "$(best "$K" --summary --no-reports "$big")"
# the default --threads=auto next to each fixed way: which one is faster
# depends on whether the two cores share a cache (see ktriage(1))
row "  same, --threads=1" "$(best "$K" --threads=1 --summary --no-reports "$big")"
row "  same, --threads=2" "$(best "$K" --threads=2 --summary --no-reports "$big")"
row "ktriage --summary (all rules + report assembly)" "$(best "$K" --summary "$big")"
row "  same, --threads=1" "$(best "$K" --threads=1 --summary "$big")"
row "  same, --threads=2" "$(best "$K" --threads=2 --summary "$big")"
printf '  (reports found in the file: %s)\n' "$(reports_in "$big")"
# the same rows on a log with an eighth of the reports (the big log is 80%
# syzkaller crash logs, ~240,000 reports per GB): the real-debian logs (boots
# with a crash or two each), one syzkaller log in eight, and 40 copies of
# the clean text-format samples, repeated to the same size
sparse=$data/sparse-${MB}M.log
if [ ! -s "$sparse" ] && [ -d "$shared" ]; then
	sseed=$data/sparse-seed.log
	{
		cat "$shared"/real-debian-6.1/*.log
		i=0
		for f in "$shared"/syzkaller/[0-9]*; do
			i=$((i + 1))
			[ $((i % 8)) -eq 0 ] && sed '1,/^$/d' "$f"
		done
		for ((i = 0; i < 40; i++)); do
			cat "$top"/corpus/formats/dmesg-default.txt "$shared"/formats/dmesg-*.txt \
				"$shared"/formats/kern-log-rsyslog-*.txt "$shared"/formats/journalctl-short*.txt
		done
	} >"$sseed"
	reps=$(( MB * 1024 * 1024 / $(stat -c %s "$sseed") + 1 ))
	for ((i = 0; i < reps; i++)); do cat "$sseed"; done >"$sparse"
fi
if [ -s "$sparse" ]; then
	cat "$sparse" >/dev/null
	size=$(stat -c %s "$sparse")
	printf '\nsparse log: %s, %.1f MB, %s reports\n' "$sparse" \
		"$(echo "$(stat -c %s "$sparse")/1048576" | bc -l)" \
		"$(reports_in "$sparse")"
	row "grep -c -E (20-pattern union)" "$(best grep -c -E "$union" "$sparse")"
	row "ktriage --summary --no-reports (all rules)" "$(best "$K" --summary --no-reports "$sparse")"
	row "ktriage --summary (all rules + report assembly)" "$(best "$K" --summary "$sparse")"
fi
echo
# loading a large rule set: 10,000 generated rules, loaded and compiled
# (--why on one line: no input file, every rule tried once)
many=$data/many-rules.yaml
[ -s "$many" ] || python3 -c '
for i in range(10000):
    print("  - id: gen.r%d\n    category: gen\n    severity: info\n"
          "    match: \"^generated message %d: (?<v>\\\\d+)\"\n    explain: \"v={v}\"\n"
          "    examples:\n      - match: \"generated message %d: 1\"" % (i, i, i))
' | sed '1i rules:' >"$many"
printf '%-52s %8.3f s\n' "10,000 rules: load + compile (--why, one line)" \
	"$(best "$K" --no-default-rules --rules="$many" --why 'generated message 9999: 1')"
echo
printf 'peak RSS, ktriage --format=json, 10 MB input: %6d KiB\n' "$(rss_kb "$K" --format=json "$small")"
printf 'peak RSS, ktriage --format=json, %d MB input: %6d KiB\n' "$MB" "$(rss_kb "$K" --format=json "$big")"

# ============================================================================
# --- symbolization (issue 5) ------------------------------------------------
# survive-kaslr.log against Debian's 6.1.0-56-cloud-amd64 debug vmlinux
# (scripts/get-debian-vmlinux.sh; skipped when absent).  ktriage's whole run
# (read the log, find the reports, open the vmlinux, resolve every frame with
# its inline chain) next to llvm-symbolizer --inlines on the same addresses,
# pre-resolved from answers.tsv, and decode_stacktrace.sh once if available
# (DECODE_STACKTRACE=path/to/scripts/decode_stacktrace.sh).
sym_log=$shared/real-debian-6.1/survive-kaslr.log
sym_vm=${KTRIAGE_VMLINUX:-$("$top"/scripts/get-debian-vmlinux.sh --print 2>/dev/null || true)}
echo
if [ ! -f "$sym_log" ] || [ -z "$sym_vm" ] || [ ! -f "$sym_vm" ]; then
	echo "symbolization: skipped (no $sym_log or no debug vmlinux; run scripts/get-debian-vmlinux.sh)"
else
	sym_addrs=$data/survive-kaslr.addrs
	# the link-time address of every frame of the log (faulting frames at pc,
	# return addresses at pc-1, as ktriage looks them up)
	"$K" --format=json --no-symbolize "$sym_log" | python3 -c '
import json, sys
ans = {}
for l in open(sys.argv[1]):
    c = l.rstrip("\n").split("\t")
    if len(c) >= 9 and not l.startswith("#") and c[5].startswith("0x") and not c[1]:
        ans[c[0]] = (int(c[5], 16), c[2])
n = 0
for l in sys.stdin:
    o = json.loads(l)
    if o["type"] != "report":
        continue
    for f in o["frames"]:
        a = ans.get("%s+%s/%s" % (f["func"], f["offset"], f["size"]))
        if a and not f["module"]:
            print("0x%x" % (a[0] if "trace" not in a[1] else a[0] - 1))
' "$shared/real-debian-6.1/answers.tsv" >"$sym_addrs"
	nframes=$(wc -l <"$sym_addrs")
	ndistinct=$(sort -u "$sym_addrs" | wc -l)
	printf 'symbolization: %s (%d vmlinux frames, %d distinct), %s (%d MB)\n' \
		"$(basename "$sym_log")" "$nframes" "$ndistinct" "$sym_vm" \
		$(( $(stat -c %s "$sym_vm") / 1048576 ))
	srow() {
		printf '%-52s %8.3f s   peak RSS %7d KiB\n' "$1" "$2" "$3"
	}
	cat "$sym_vm" >/dev/null	# warm the page cache
	srow "ktriage --vmlinux (whole run from the raw log)" \
		"$(best "$K" --format=text --color=never --vmlinux="$sym_vm" "$sym_log")" \
		"$(rss_kb "$K" --format=text --color=never --vmlinux="$sym_vm" "$sym_log")"
	llvm=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)
	if [ -n "$llvm" ]; then
		srow "llvm-symbolizer --inlines (pre-resolved addresses)" \
			"$(best sh -c '"$0" --inlines --obj="$1" <"$2"' "$llvm" "$sym_vm" "$sym_addrs")" \
			"$(rss_kb sh -c '"$0" --inlines --obj="$1" <"$2"' "$llvm" "$sym_vm" "$sym_addrs")"
	else
		echo "llvm-symbolizer: not installed (Debian package llvm)"
	fi
	if command -v eu-addr2line >/dev/null 2>&1; then
		srow "eu-addr2line -i -f (pre-resolved addresses)" \
			"$(best sh -c 'eu-addr2line -i -f -e "$0" <"$1"' "$sym_vm" "$sym_addrs")" \
			"$(rss_kb sh -c 'eu-addr2line -i -f -e "$0" <"$1"' "$sym_vm" "$sym_addrs")"
	fi
	dst=${DECODE_STACKTRACE:-$(ls /usr/src/linux-source-*/scripts/decode_stacktrace.sh 2>/dev/null | head -n1 || true)}
	if [ -n "$dst" ] && [ -x "$dst" ]; then
		s=$(date +%s.%N)
		"$dst" "$sym_vm" <"$sym_log" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		srow "decode_stacktrace.sh (once)" "$(echo "$e - $s" | bc -l)" 0
	else
		echo "decode_stacktrace.sh: not found (set DECODE_STACKTRACE=...; 144 s measured once here)"
	fi
fi
