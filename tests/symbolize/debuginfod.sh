#!/bin/sh
# debuginfod: a local server on 127.0.0.1 serves the test "kernel" and
# "module"; ktriage finds the module by the build id printed in the log
# ("[test_mod <build id>]"), and the DWARF of a --vmlinux without debug info
# by its build id.  Skips cleanly when debuginfod is not installed or does
# not start.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/symbolize/lib.sh"

for t in debuginfod python3 nm objcopy; do
	if ! command -v $t >>"$TMPD/probe.log" 2>&1; then
		echo "1..0 # SKIP $t not installed (Debian package: debuginfod)"
		exit 0
	fi
done
if ! sym_build >"$TMPD/build.log" 2>&1; then
	echo "1..0 # SKIP cannot build the test ELF files"
	exit 0
fi
B="$TMPD/build"
# the module needs a build id for a lookup by build id: link it -r with one
(cd "$B/src" && $CC -g -O2 -Iinclude -c drivers/mod.c -o "$TMPD/mod.o" &&
 ld -r --build-id -o "$B/mods/test-mod.ko" "$TMPD/mod.o") >>"$TMPD/build.log" 2>&1
mod_id=$(readelf -n "$B/mods/test-mod.ko" 2>/dev/null | sed -n 's/.*Build ID: *//p' | head -n1)
vm_id=$(readelf -n "$B/vmlinux" 2>/dev/null | sed -n 's/.*Build ID: *//p' | head -n1)
if [ -z "$mod_id" ] || [ -z "$vm_id" ]; then
	echo "1..0 # SKIP no build ids in the test files"
	exit 0
fi
mkdir -p "$TMPD/serve"
cp "$B/mods/test-mod.ko" "$B/vmlinux" "$TMPD/serve/"
cp "$B/vmlinux" "$TMPD/vmlinux-nodebug"
strip --strip-debug "$TMPD/vmlinux-nodebug"

port=$((20000 + $$ % 20000))
debuginfod -F -p "$port" -d "$TMPD/db.sqlite" "$TMPD/serve" \
	>"$TMPD/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$TMPD"' EXIT
export DEBUGINFOD_URLS="http://127.0.0.1:$port" DEBUGINFOD_CACHE_PATH="$TMPD/cache"
export DEBUGINFOD_TIMEOUT=10
up=no
for i in $(seq 1 100); do
	if DEBUGINFOD_CACHE_PATH="$TMPD/probe$i" debuginfod-find debuginfo "$mod_id" \
		>>"$TMPD/probe.log" 2>&1; then
		up=yes
		break
	fi
	kill -0 $server 2>/dev/null || break
	sleep 0.2
done
if [ $up != yes ]; then
	echo "1..0 # SKIP debuginfod did not start or index on 127.0.0.1:$port"
	tail -n 3 "$TMPD/server.log" "$TMPD/probe.log" | sed "s/^/# /"
	exit 0
fi

# frames of the module, offsets taken from its symbol table
start=$(nm "$B/mods/test-mod.ko" | awk '$3 == "mod_work" { print $1 }')
size=$(nm -S "$B/mods/test-mod.ko" | awk '$4 == "mod_work" { print $2 }')
kstart=$(nm "$B/vmlinux" | awk '$3 == "kern_a_entry" { print $1 }')
ksize=$(nm -S "$B/vmlinux" | awk '$4 == "kern_a_entry" { print $2 }')
cat >"$TMPD/oops.log" <<LOG
[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000
[    1.000001] Oops: 0002 [#1] PREEMPT SMP NOPTI
[    1.000002] CPU: 0 PID: 1 Comm: sh Not tainted 9.9.9-test #1
[    1.000003] RIP: 0010:mod_work+0x5/0x$(printf %x $((0x$size))) [test_mod $mod_id]
[    1.000004] Call Trace:
[    1.000005]  <TASK>
[    1.000006]  kern_a_entry+0x13/0x$(printf %x $((0x$ksize)))
[    1.000007]  </TASK>
[    1.000008] ---[ end trace 0000000000000000 ]---
LOG
: "$start$kstart"
"$KTRIAGE" --format=json --vmlinux="$TMPD/vmlinux-nodebug" "$TMPD/oops.log" \
	>"$TMPD/out" 2>"$TMPD/err"
rc=$?
if [ $rc -le 1 ] && grep -q '"module":"test_mod"' "$TMPD/out" &&
   python3 - "$TMPD/out" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o['type'] == 'report':
        m = [f for f in o['frames'] if f['module'] == 'test_mod']
        sys.exit(0 if m and m[0]['file'] == 'drivers/mod.c' else 1)
sys.exit(1)
PY
then
	ok "module found by build id through debuginfod"
else
	not_ok "module found by build id through debuginfod (exit $rc)"
	sed 's/^/# /' "$TMPD/err" | head -n 5
	head -c 800 "$TMPD/out" | sed 's/^/# /'
fi
if python3 - "$TMPD/out" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o['type'] == 'report':
        k = [f for f in o['frames'] if f['func'] == 'kern_a_entry']
        sys.exit(0 if k and (k[0]['file'] or '').startswith('kernel/kern-a.c') else 1)
sys.exit(1)
PY
then
	ok "DWARF of a --vmlinux without debug info fetched by build id"
else
	not_ok "DWARF of a --vmlinux without debug info fetched by build id"
	sed 's/^/# /' "$TMPD/err" | head -n 5
fi
done_testing
