#!/bin/bash
# The booted network driver (apps/netdev: virtio-net over virtio-mmio, waits
# by interrupt) on QEMU user networking (keel-qemu --net, slirp, restrict=on):
# net-client (tests/system/netdev.manifest) reads the MAC and MTU, sends
# malformed requests (NET_EINVAL), RECVs with nothing there (NET_ETIMEDOUT),
# asks ARP for 10.0.2.2 (slirp answers) and sends a hand-built DHCPDISCOVER
# (slirp offers 10.0.2.15). With keel-qemu --net-host-loopback, a TCP SYN to
# 10.0.2.2:PORT reaches a listener on the host's 127.0.0.1:PORT
# (tests/system/tcp-accept-count.py). A burst of 64 ARP requests read only
# afterwards: netdev's 32-frame client queue, the rest dropped and counted.
# Then netdev without a virtio-net device: every good request NET_ENODEV.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" \
	"$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/netdev" "$KEEL_BUILD/tasks/net-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# ipv6=off: slirp then sends nothing unasked (no router advertisements), so
# the RECV that must time out sees no frame.
build_manifest_igvm "$KEEL_ROOT/tests/system/netdev.manifest" "$TMP/n.igvm" || { plan; exit 1; }
boot_igvm "$TMP/serial.log" "$TMP/n.igvm" --net ipv6=off
mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/serial.log" "$KEEL_BUILD/test-logs/netdev-booted.serial.log"
tr -d '\r' <"$TMP/serial.log" | grep -a "netdev\|net-client: [0-9a-z]\|FAIL\|keel: task" | sed 's/^/# /'
check "boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "netdev found virtio-net: QEMU's MAC, MTU 1500, link up, waits by interrupt" \
	has "$TMP/serial.log" "netdev: virtio-net: mac 52:54:00:12:34:56, mtu 1500, link up, waits by interrupt"
check "net-client: all 16 checks passed" has "$TMP/serial.log" "net-client: 16 checks, 0 failed"
check "slirp answered ARP for 10.0.2.2" has "$TMP/serial.log" "net-client: 10.0.2.2 is at 52:55:0a:00:02:02"
check "slirp offered 10.0.2.15" has "$TMP/serial.log" "net-client: offer yiaddr 10.0.2.15"
check "kernel: net-client exit 0" outcome_is "$TMP/serial.log" net-client "exit 0"
check "kernel: netdev exit 0 (the client left)" outcome_is "$TMP/serial.log" netdev "exit 0"
check "netdev refused the 6 malformed requests" has "$TMP/serial.log" "(6 refused)"
counters=$(tr -d '\r' <"$TMP/serial.log" | grep -ao "virtio-net: [0-9]* notifies, [0-9]* interrupts, [0-9]* polls, [0-9]* frames in, [0-9]* frames out, [0-9]* dropped")
echo "# $counters"
set -- $counters
# slirp answers while QEMU handles the notify, so with 32 receive buffers posted the ARP
# reply and the OFFER are there before netdev looks: waiting (by interrupt) is shown in the
# burst below, where QEMU hands on its queued frames later.
check "no polling" [ "${6:-1}" -eq 0 ]
check "frames out: ARP + DHCPDISCOVER" [ "${11:-0}" -eq 2 ]
check "frames in: at least the ARP reply and the OFFER (${8:-?})" [ "${8:-0}" -ge 2 ]

# --net-host-loopback: 10.0.2.2 is the host's loopback; the listener counts the SYN's connection.
python3 "$KEEL_ROOT/tests/system/tcp-accept-count.py" "$TMP/port" "$TMP/conns" &
pids+=($!)
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
port=$(cat "$TMP/port" 2>/dev/null)
check "loopback: listener on 127.0.0.1 (port ${port:-none})" [ -n "$port" ]
sed "s/arg=basic/arg=loopback:${port:-1}/" "$KEEL_ROOT/tests/system/netdev.manifest" >"$TMP/lb.manifest"
build_manifest_igvm "$TMP/lb.manifest" "$TMP/lb.igvm" || { plan; exit 1; }
boot_igvm "$TMP/lb.log" "$TMP/lb.igvm" --net-host-loopback --net ipv6=off
tr -d '\r' <"$TMP/lb.log" | grep -a "SYN\|RST\|net-client: [0-9]\|FAIL" | sed 's/^/# /'
check "loopback: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "loopback: net-client's 19 checks passed (SYN answered by SYN-ACK)" has "$TMP/lb.log" "net-client: 19 checks, 0 failed"
for _ in $(seq 20); do [ -s "$TMP/conns" ] && break; sleep 0.1; done
check "loopback: the host's listener accepted the guest's connection" grep -qx "conn 1" "$TMP/conns"

# A burst: 64 ARP requests, no reading until all are sent; netdev queues 32 frames for its
# client and drops the rest, counted and logged (apps/netdev/frame_queue.c).
sed "s/arg=basic/arg=burst/" "$KEEL_ROOT/tests/system/netdev.manifest" >"$TMP/burst.manifest"
build_manifest_igvm "$TMP/burst.manifest" "$TMP/burst.igvm" || { plan; exit 1; }
boot_igvm "$TMP/burst.log" "$TMP/burst.igvm" --net ipv6=off
tr -d '\r' <"$TMP/burst.log" | grep -a "netdev\|net-client: [0-9a-z]\|FAIL" | grep -v ": ok:" | sed 's/^/# /'
check "burst: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "burst: net-client's 3 checks passed" has "$TMP/burst.log" "net-client: 3 checks, 0 failed"
replies=$(tr -d '\r' <"$TMP/burst.log" | sed -n 's/.*burst: 64 ARP requests sent, \([0-9]*\) replies.*/\1/p')
full=$(tr -d '\r' <"$TMP/burst.log" | sed -n 's/.*dropped ([0-9]* short, \([0-9]*\) client queue full).*/\1/p')
check "burst: netdev dropped some for a full client queue (${full:-?})" [ "${full:-0}" -gt 0 ]
check "burst: replies read + dropped = 64 (${replies:-?} + ${full:-?})" [ $((${replies:-0} + ${full:-0})) -eq 64 ]
check "burst: the full queue was logged" has "$TMP/burst.log" "netdev: virtio-net: client queue full (32 frames):"
counters=$(tr -d '\r' <"$TMP/burst.log" | grep -ao "virtio-net: [0-9]* notifies, [0-9]* interrupts, [0-9]* polls")
set -- $counters
check "burst: waits ended by interrupt (interrupts ${4:-?} > 0)" [ "${4:-0}" -gt 0 ]
check "burst: no polling" [ "${6:-1}" -eq 0 ]

# No virtio-net on the machine: every good request is NET_ENODEV, bad ones still EINVAL.
build_manifest_igvm "$KEEL_ROOT/tests/system/netdev-nodev.manifest" "$TMP/d.igvm" || { plan; exit 1; }
boot_igvm "$TMP/nodev.log" "$TMP/d.igvm"
tr -d '\r' <"$TMP/nodev.log" | grep -a "netdev\|net-client: [0-9]\|FAIL" | sed 's/^/# /'
check "nodev: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "nodev: netdev said there is no device" has "$TMP/nodev.log" "netdev: no virtio-net device (keel_mmio_map:"
check "nodev: net-client's 9 checks passed (ENODEV, EINVAL)" has "$TMP/nodev.log" "net-client: 9 checks, 0 failed"
plan
