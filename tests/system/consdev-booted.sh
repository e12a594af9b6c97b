#!/bin/bash
# The booted stream driver (apps/consdev: virtio-console over virtio-mmio,
# waits by interrupt) behind build/bin/keel-proxy and an echo server on
# loopback (tests/system/stream-echo.py): stream-client (tests/system/consdev.manifest)
# sends malformed requests (STREAM_EINVAL), READs with nothing there
# (STREAM_ETIMEDOUT after its 300 ms), sends 1, 5000, 16384 and 777 bytes
# and reads each back byte for byte, RESETs twice; the server must see three
# connections carrying exactly those bytes. Then consdev without a
# virtio-console device (every request STREAM_ENODEV), and with one but no
# relay (RESET: STREAM_ETIMEDOUT).
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/keel-proxy" \
	"$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/consdev" "$KEEL_BUILD/tasks/stream-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

python3 "$KEEL_ROOT/tests/system/stream-echo.py" "$TMP/port" "$TMP/conns" &
pids+=($!)
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
port=$(cat "$TMP/port" 2>/dev/null)
check "echo server listening (port ${port:-none})" [ -n "$port" ]

build_manifest_igvm "$KEEL_ROOT/tests/system/consdev.manifest" "$TMP/c.igvm" || { plan; exit 1; }
"$KEEL_BIN/keel-proxy" --socket "$TMP/proxy.sock" --connect "127.0.0.1:$port" 2>"$TMP/proxy.log" &
proxy=$!
pids+=($proxy)
boot_igvm "$TMP/serial.log" "$TMP/c.igvm" --proxy-socket "$TMP/proxy.sock"
wait "$proxy"
proxy_rc=$?
mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/serial.log" "$KEEL_BUILD/test-logs/consdev-booted.serial.log"
tr -d '\r' <"$TMP/serial.log" | grep -a "consdev\|stream-client: [0-9]\|FAIL\|keel: task" | sed 's/^/# /'
sed 's/^/# proxy: /' "$TMP/proxy.log"
sed 's/^/# server: /' "$TMP/conns" 2>/dev/null
check "boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "consdev found virtio-console, waits by interrupt" \
	has "$TMP/serial.log" "consdev: virtio-console: port 0, receive buffer 4096 bytes, waits by interrupt"
check "stream-client: all 19 checks passed" has "$TMP/serial.log" "stream-client: 19 checks, 0 failed"
check "kernel: stream-client exit 0" outcome_is "$TMP/serial.log" stream-client "exit 0"
check "kernel: consdev exit 0 (the client left)" outcome_is "$TMP/serial.log" consdev "exit 0"
check "consdev refused the 9 malformed requests" has "$TMP/serial.log" "(9 refused)"
counters=$(tr -d '\r' <"$TMP/serial.log" | grep -ao "virtio-console: [0-9]* notifies, [0-9]* interrupts, [0-9]* polls, [0-9]* bytes in, [0-9]* bytes out, [0-9]* resets")
echo "# $counters"
set -- $counters
check "waits ended by interrupt (interrupts ${4:-?} > 0)" [ "${4:-0}" -gt 0 ]
check "no polling" [ "${6:-1}" -eq 0 ]
# in: the echoes (1+5000+16384+777 + 3000 + 100) and two reset acknowledgements of 18 bytes
check "bytes in: 25262 echoed + 2 x 18 reset lines" [ "${8:-0}" -eq 25298 ]
check "bytes out: 25262 + 2 x 18 reset lines" [ "${11:-0}" -eq 25298 ]
check "two resets" [ "${14:-0}" -eq 2 ]
check "server: connection 1 carried 22162 bytes (1+5000+16384+777)" grep -qx "conn 1 closed 22162" "$TMP/conns"
check "server: a RESET opened connection 2 (3000 bytes)" grep -qx "conn 2 closed 3000" "$TMP/conns"
check "server: the second RESET opened connection 3 (100 bytes)" grep -qx "conn 3 closed 100" "$TMP/conns"
check "server: exactly 3 connections" [ "$(grep -c open "$TMP/conns")" -eq 3 ]
check "keel-proxy logged both resets" [ "$(grep -c "closed: reset line from the VM" "$TMP/proxy.log")" -eq 2 ]
check "keel-proxy exited 0 when QEMU went away" [ "$proxy_rc" -eq 0 ]
check "keel-proxy said why it exited" grep -q "QEMU closed the socket; 3 connections, 2 resets; exiting" "$TMP/proxy.log"

# No virtio-console on the machine: every good request is STREAM_ENODEV, bad ones still EINVAL.
build_manifest_igvm "$KEEL_ROOT/tests/system/consdev-nodev.manifest" "$TMP/n.igvm" || { plan; exit 1; }
boot_igvm "$TMP/nodev.log" "$TMP/n.igvm"
tr -d '\r' <"$TMP/nodev.log" | grep -a "consdev\|stream-client: [0-9]\|FAIL" | sed 's/^/# /'
check "nodev: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "nodev: consdev said there is no device" has "$TMP/nodev.log" "consdev: no virtio-console device (keel_mmio_map:"
check "nodev: stream-client's 12 checks passed (ENODEV, EINVAL)" has "$TMP/nodev.log" "stream-client: 12 checks, 0 failed"

# A device but no keel-proxy on its socket: a RESET is not answered.
build_manifest_igvm "$KEEL_ROOT/tests/system/consdev-norelay.manifest" "$TMP/r.igvm" || { plan; exit 1; }
boot_igvm "$TMP/norelay.log" "$TMP/r.igvm" --proxy-socket "$TMP/nobody.sock"
tr -d '\r' <"$TMP/norelay.log" | grep -a "consdev\|stream-client: [0-9]\|FAIL" | sed 's/^/# /'
check "norelay: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "norelay: WRITE completes, RESET times out after 500 ms (3 checks)" \
	has "$TMP/norelay.log" "stream-client: 3 checks, 0 failed"
plan
