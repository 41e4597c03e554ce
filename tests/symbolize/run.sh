#!/bin/sh
# Symbolizer tests on a small "kernel" and "module" built here with gcc -g -O2:
# every frame compared with addr2line -i / eu-addr2line -i on the same
# addresses (check.py), then bad vmlinux files (bad-vmlinux cases below).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/symbolize/lib.sh"

for t in python3 nm objdump addr2line; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done
if ! sym_build >"$TMPD/build.log" 2>&1; then
	echo "1..0 # SKIP cannot build the test ELF files with $CC"
	sed 's/^/# /' "$TMPD/build.log"
	exit 0
fi
python3 "$SYMDIR/check.py" "$KTRIAGE" "$TMPD/build" >"$TMPD/tap" 2>&1
rc=$?
grep -v '^1\.\.' "$TMPD/tap" >"$TMPD/tap2"
# renumber into this script's TAP stream
while IFS= read -r l; do
	case $l in
	"ok "*) ok "${l#ok * - }" ;;
	"not ok "*) not_ok "${l#not ok * - }" ;;
	*) echo "$l" ;;
	esac
done <"$TMPD/tap2"
[ $rc -le 1 ] || not_ok "check.py crashed (exit $rc)"

# Bad vmlinux files: one clear message each, exit 2, no crash, no hang.
B="$TMPD/build"
LOG="$B/oops.log"
bad_vmlinux() {
	_what=$1
	_file=$2
	_want=$3
	timeout 20 "$KTRIAGE" --format=text --color=never --vmlinux="$_file" "$LOG" \
		>"$TMPD/out" 2>"$TMPD/err"
	_rc=$?
	if [ $_rc -eq 2 ] && grep -q "$_want" "$TMPD/err" && grep -q "Call Trace\|frames:" "$TMPD/out"; then
		ok "bad vmlinux: $_what"
	else
		not_ok "bad vmlinux: $_what (exit $_rc)"
		sed 's/^/# /' "$TMPD/err" | head -n 5
	fi
}
printf 'this is not an ELF file\n' >"$TMPD/notelf"
head -c 3000 "$B/vmlinux" >"$TMPD/truncated"
mkfifo "$TMPD/fifo" 2>/dev/null
bad_vmlinux "not ELF" "$TMPD/notelf" "not an ELF file"
bad_vmlinux "truncated ELF" "$TMPD/truncated" "truncated ELF file"
bad_vmlinux "missing file" "$TMPD/nonexistent" "No such file"
bad_vmlinux "/dev/zero" /dev/zero "not a regular file"
bad_vmlinux "a directory" "$TMPD" "is a directory"
if [ -p "$TMPD/fifo" ]; then
	bad_vmlinux "a FIFO" "$TMPD/fifo" "not a regular file (a FIFO)"
fi
: >"$TMPD/empty"
bad_vmlinux "empty file" "$TMPD/empty" "empty file"
cp "$B/vmlinux" "$TMPD/stripped"
strip -s "$TMPD/stripped" 2>/dev/null
bad_vmlinux "stripped" "$TMPD/stripped" "no symbol table"

# No debug info: names resolve, no file:line, said once; not an error.
cp "$B/vmlinux" "$TMPD/nodebug"
strip --strip-debug "$TMPD/nodebug"
"$KTRIAGE" --format=json --vmlinux="$TMPD/nodebug" "$LOG" >"$TMPD/out" 2>"$TMPD/err"
rc=$?
if [ $rc -le 1 ] && grep -q "no debug info" "$TMPD/out" && grep -q '"func":"kern_a_entry"' "$TMPD/out" &&
   ! grep -q '"file":"kernel' "$TMPD/out"; then
	ok "vmlinux without debug info: said so, names only"
else
	not_ok "vmlinux without debug info (exit $rc)"
	head -c 600 "$TMPD/out" | sed 's/^/# /'
fi

# A 32-bit ARM log against the x86-64 test vmlinux: messages, no crash.
cat >"$TMPD/arm.log" <<'ARM'
[    1.000000] Unable to handle kernel NULL pointer dereference at virtual address 00000000
[    1.000001] Internal error: Oops: 817 [#1] SMP ARM
[    1.000002] CPU: 0 PID: 1 Comm: sh Not tainted 5.10.0-arm #1
[    1.000003] PC is at lkdtm_do_action+0x1c/0x24
[    1.000004] LR is at direct_entry+0x130/0x17c
[    1.000005] [<c0123456>] (lkdtm_do_action) from [<c0124567>] (direct_entry+0x130/0x17c)
[    1.000006] [<c0124567>] (direct_entry) from [<c0345678>] (full_proxy_write+0x5c/0x80)
[    1.000007] [<c0345678>] (full_proxy_write) from [<c0234567>] (vfs_write+0xb4/0x3c0)
[    1.000008] [<c0234567>] (vfs_write) from [<c0234999>] (ksys_write+0x6c/0xe4)
[    1.000009] ---[ end trace 0000000000000000 ]---
ARM
timeout 20 "$KTRIAGE" --format=text --color=never --vmlinux="$B/vmlinux" "$TMPD/arm.log" \
	>"$TMPD/out" 2>"$TMPD/err"
rc=$?
if [ $rc -le 1 ] && grep -q "5.10.0-arm" "$TMPD/err"; then
	ok "32-bit ARM log against an x86-64 vmlinux: release mismatch said, no crash"
else
	not_ok "32-bit ARM log against an x86-64 vmlinux (exit $rc)"
	sed 's/^/# /' "$TMPD/err" | head -n 5
fi
done_testing
