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
row() {	# name seconds
	printf '%-52s %8.3f s %9.1f MB/s\n' "$1" "$2" "$(echo "$size / 1048576 / $2" | bc -l)"
}

printf 'input: %s, %.1f MB, %d lines\n\n' "$big" "$(echo "$size/1048576" | bc -l)" "$lines"
row "wc -l" "$(best wc -l "$big")"
row "grep -c -E 'error|warn|fail'" "$(best grep -c -E 'error|warn|fail' "$big")"
row "ktriage --format=json > /dev/null (parse only)" "$(best "$K" --format=json "$big")"
row "ktriage --format=text > /dev/null" "$(best "$K" --format=text --color=never "$big")"
if "$K" --help | grep -q -- '--summary'; then
	union='usb|ata[0-9]|I/O error|EXT4-fs error|Out of memory|soft lockup|hung_task|rcu.*stall|NETDEV WATCHDOG|segfault at|AER:|mce:|EDAC|Call Trace|BUG:|WARNING:|Oops|Kernel panic|UFW BLOCK|apparmor'
	row "grep -c -E (20-pattern union)" "$(best grep -c -E "$union" "$big")"
	row "ktriage --summary (rules on)" "$(best "$K" --summary "$big")"
fi
echo
printf 'peak RSS, ktriage --format=json, 10 MB input: %6d KiB\n' "$(rss_kb "$K" --format=json "$small")"
printf 'peak RSS, ktriage --format=json, %d MB input: %6d KiB\n' "$MB" "$(rss_kb "$K" --format=json "$big")"
