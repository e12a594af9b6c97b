#!/bin/bash
# keel-tpm-serial against hostile clients (tools/keel-tpm-serial/main.c),
# without booting: a stand-in guest on the COM2 socket passes each KTPM
# frame to a real `swtpm socket --tpm2` and frames its answer, so tpm2-tools
# drive a real TPM through the adapter. A half-sent frame is closed after
# 5 s, an idle client after --idle-timeout (8 s here), and a client that
# sends commands without reading its answers stalls the adapter for at most
# 5 s (16 KiB of answers not taken, or one answer not taken in 5 s, closes
# it): a tpm2-tools client arriving meanwhile gets through
# within 8 s, and the non-reader is closed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tpm-serial-hostile.XXXXXX")
sw_pid= guest_pid= ser_pid= helper=
trap 'kill $ser_pid $guest_pid $sw_pid $helper 2>/dev/null; rm -rf "$tmp"' EXIT

within() { # within SECONDS CMD...: CMD succeeded within SECONDS
	local limit=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	timeout 30 "$@" >/dev/null 2>&1
	rc=$?
	t1=$(date +%s%N)
	echo "# $* took $(((t1 - t0) / 1000000)) ms (rc $rc)"
	[ $rc -eq 0 ] && [ $(((t1 - t0) / 1000000)) -le $((limit * 1000)) ]
}

pick_ports || { not_ok "no free port pair"; echo "1..$n"; exit 1; }
sport=$port
mkdir -p "$tmp/sw"
swtpm socket --tpm2 --tpmstate "dir=$tmp/sw" --server "type=tcp,port=$sport" \
	--ctrl "type=tcp,port=$((sport + 1))" --flags not-need-init >"$tmp/sw.log" 2>&1 &
sw_pid=$!
for i in $(seq 50); do ss -Htln "( sport = :$sport )" | grep -q . && break; sleep 0.1; done

# The stand-in guest: KTPM request frames in, u32 size + response out, via swtpm.
python3 - "$tmp/com2.sock" "$sport" >"$tmp/guest.log" 2>&1 <<'PY' &
import socket, struct, sys
def read(s, n):
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        if not d:
            sys.exit("guest: serial closed")
        b += d
    return b
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
l.bind(sys.argv[1])
l.listen(1)
l.settimeout(30)
ser, _ = l.accept()
ser.settimeout(None)
tpm = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
while True:
    magic, loc, size = struct.unpack(">IBI", read(ser, 9))
    if loc == 0xFF:
        print("guest: exit frame")
        sys.exit(0)
    tpm.sendall(read(ser, size))
    h = read(tpm, 10)
    rsp = h + read(tpm, struct.unpack(">HII", h)[1] - 10)
    ser.sendall(struct.pack(">I", len(rsp)) + rsp)
PY
guest_pid=$!
for i in $(seq 50); do [ -S "$tmp/com2.sock" ] && break; sleep 0.1; done

pick_ports || { not_ok "no free port pair"; echo "1..$n"; exit 1; }
kport=$port
"$root/build/bin/keel-tpm-serial" --serial "$tmp/com2.sock" --port "$kport" --idle-timeout 8 \
	>"$tmp/serial.log" 2>&1 &
ser_pid=$!
for i in $(seq 50); do grep -q "ready" "$tmp/serial.log" && break; sleep 0.1; done
check "keel-tpm-serial is ready (idle timeout 8 s)" grep -q "ready" "$tmp/serial.log"
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$kport"
check "tpm2_startup -c through the adapter" within 5 tpm2_startup -c
check "tpm2_getrandom through the adapter" within 5 tpm2_getrandom 8

# watch PORT MODE SECONDS: connects, behaves per MODE, prints when the adapter closed it ("-" if not).
watch() {
	python3 - "$@" <<'PY'
import socket, struct, sys, time
port, mode, secs = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.socket()
if mode == "non-reader":
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
if mode == "half-sent":
    s.sendall(struct.pack(">IBI", 8, 0, 12) + b"\x80\x01\x00")
if mode == "non-reader":
    s.setblocking(False)
    cmd = struct.pack(">HIIH", 0x8001, 12, 0x17B, 32)
    pending, blocked = b"", None
    frame = struct.pack(">IBI", 8, 0, len(cmd)) + cmd
    while True:
        pending = pending or frame * 64
        try:
            pending = pending[s.send(pending):]
            blocked = None
        except BlockingIOError:
            blocked = blocked or time.monotonic()
            if time.monotonic() - blocked > 1.0:
                break
            time.sleep(0.01)
        except OSError:  # closed by the adapter while we were still sending
            open(sys.argv[4], "w").close()
            print("0.0")
            sys.exit(0)
    open(sys.argv[4], "w").close()
t0 = time.monotonic()
while time.monotonic() - t0 < secs:
    if s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != 1:
        print("%.1f" % (time.monotonic() - t0))
        sys.exit(0)
    time.sleep(0.05)
print("-")
PY
}
in_range() { [ "$1" != - ] && awk -v a="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(a >= lo && a <= hi) }'; }

t=$(watch "$kport" half-sent 10)
check "a half-sent frame on the command port is closed 4-8 s later ($t s)" in_range "$t" 4 8
t=$(watch "$((kport + 1))" idle 12)
check "an idle platform-port client is closed 7-11 s later ($t s)" in_range "$t" 7 11
watch "$kport" non-reader 15 "$tmp/nr-ready" >"$tmp/nr" &
helper=$!
for i in $(seq 200); do [ -e "$tmp/nr-ready" ] && break; sleep 0.1; done
check "a client sending commands without reading its answers is blocked or closed" test -e "$tmp/nr-ready"
check "meanwhile tpm2_getrandom gets through within 8 s" within 8 tpm2_getrandom 8
wait "$helper"
helper=
check "the non-reader was closed ($(cat "$tmp/nr") s)" in_range "$(cat "$tmp/nr")" 0 15
check "afterwards tpm2_getrandom within 3 s" within 3 tpm2_getrandom 8
check "each deadline is logged" sh -c "grep -q 'frame not completed within 5 s' '$tmp/serial.log' &&
	grep -q 'idle for 8 s' '$tmp/serial.log'"
kill -TERM "$ser_pid"
wait "$ser_pid"
st=$?
ser_pid=
wait "$guest_pid"
gst=$?
guest_pid=
check "SIGTERM: keel-tpm-serial exits 0 and sends the guest its exit frame" \
	sh -c "[ $st -eq 0 ] && [ $gst -eq 0 ] && grep -q 'exit frame' '$tmp/guest.log'"
sed 's/^/# /' "$tmp/serial.log" | head -n 12
echo "1..$n"
[ "$fails" -eq 0 ]
