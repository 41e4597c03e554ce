#!/bin/sh
# The rsyslog recipe (contrib/rsyslog-ktriage.conf) against a real
# rsyslogd -n on 127.0.0.1: kernel lines sent with logger reach ktriage
# through omprog, and its findings come back through syslog into a file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
if [ ! -x "$RSYSLOGD" ] || ! command -v logger >/dev/null; then
	skip "rsyslogd or logger not installed (Debian packages rsyslog, bsdutils)"
	done_testing
	exit 0
fi
port=$((20000 + $$ % 20000))
mkdir -p "$TMPD/work"
cat >"$TMPD/kt-wrapper" <<EOF
#!/bin/sh
KTRIAGE_SYSLOG_SOCKET="$TMPD/log" KTRIAGE_RULES_DIR="$top_srcdir/rules" exec "$KTRIAGE" "\$@"
EOF
chmod +x "$TMPD/kt-wrapper"
sed -e "s|binary=\"/usr/bin/ktriage |binary=\"$TMPD/kt-wrapper |" \
    -e "s|/var/log/ktriage.log|$TMPD/ktriage.log|" \
    "$top_srcdir/contrib/rsyslog-ktriage.conf" >"$TMPD/recipe.conf"
cat >"$TMPD/rsyslog.conf" <<EOF
global(workDirectory="$TMPD/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$TMPD/log" CreatePath="on")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$port")
include(file="$TMPD/recipe.conf")
EOF
"$RSYSLOGD" -N1 -f "$TMPD/rsyslog.conf" >"$TMPD/check.out" 2>&1
check "the recipe passes rsyslogd -N1" test $? -eq 0
"$RSYSLOGD" -n -f "$TMPD/rsyslog.conf" -i "$TMPD/rsyslog.pid" >"$TMPD/rsyslogd.out" 2>&1 &
rpid=$!
trap 'kill $rpid 2>/dev/null; rm -rf "$TMPD"' EXIT
sleep 1
# logger maps the kern facility to user (util-linux will not fake kernel
# messages), so kernel lines go out as the same RFC 3164 datagram logger
# would send, with a kern priority; other facilities use logger itself.
send() {
	case $1 in
	kern.*)
		python3 -c '
import socket, sys, time
pri = {"err": 3, "warn": 4, "info": 6}[sys.argv[2].split(".")[1]]
msg = "<%d>%s vm kernel: %s" % (pri, time.strftime("%b %e %H:%M:%S"), sys.argv[3])
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(msg.encode(), ("127.0.0.1", int(sys.argv[1])))
' "$port" "$1" "$2" ;;
	*) logger -n 127.0.0.1 -P "$port" -d -p "$1" -t test -- "$2" ;;
	esac
}
send kern.err 'ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen'
send kern.info 'usb 2-1: New USB device found, idVendor=0781, idProduct=5567'
send kern.warn 'BUG: kernel NULL pointer dereference, address: 0000000000000000'
send kern.warn 'RIP: 0010:lkdtm_ACCESS_NULL+0x5/0x20'
send kern.warn 'Call Trace:'
send kern.warn ' direct_entry+0x18/0x24'
send kern.warn ' vfs_write+0xc7/0x3f0'
send kern.warn '---[ end trace 0000000000000000 ]---'
send user.err 'a user-space message that must not reach ktriage'
ok_=no
for i in $(seq 1 50); do
	if grep -q 'rule="ata.exception"' "$TMPD/ktriage.log" 2>/dev/null &&
	   grep -q 'report kind="BUG"' "$TMPD/ktriage.log" 2>/dev/null; then
		ok_=yes
		break
	fi
	sleep 0.2
done
[ $ok_ = no ] && { sed 's/^/# /' "$TMPD/rsyslogd.out"; sed 's/^/# log: /' "$TMPD/ktriage.log" 2>/dev/null; }
check "a finding and a crash report come back through syslog" test $ok_ = yes
check "findings below the sink level are not sent (usb info)" \
	sh -c "! grep -q 'usb' '$TMPD/ktriage.log'"
check "findings are tagged ktriage with greppable key=value" \
	grep -q 'ktriage\[[0-9]*\]: finding rule="ata.exception" category="ata" severity="err"' \
	"$TMPD/ktriage.log"
# SIGPIPE / restart: kill the filter, rsyslog restarts it, findings go on
pkill -f "$TMPD/kt-wrapper" 2>/dev/null || pkill -f -- "--to-syslog=local5" 2>/dev/null
sleep 0.5
send kern.err 'EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0'
ok_=no
for i in $(seq 1 50); do
	grep -q 'category="filesystem"' "$TMPD/ktriage.log" 2>/dev/null && { ok_=yes; break; }
	sleep 0.2
done
check "after the filter is killed rsyslog restarts it and findings go on" test $ok_ = yes
kill $rpid 2>/dev/null
wait $rpid 2>/dev/null
done_testing
