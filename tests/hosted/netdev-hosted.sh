#!/bin/sh
# Hosted netdev (apps/netdev/backend_dgram.c) without KEEL_NET_SOCKET: no
# network device, said once at start; net-client's good requests get
# NET_ENODEV, malformed ones NET_EINVAL (the checks come first in both
# builds). The same when KEEL_NET_SOCKET names no socket or KEEL_NET_MAC is
# not a unicast MAC (one line each). The datagram path itself:
# tests/hosted/net-lossy.sh (root).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/netdev-hosted.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
out=$dir/out
timeout 60 build/bin/keel-hosted --manifest tests/hosted/netdev.manifest --state "$dir/state" >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "keel-hosted exits 0" [ "$rc" -eq 0 ]
check "netdev says it has no device hosted" grep -q "netdev: hosted: no network device; every request NET_ENODEV" "$out"
check "net-client: 9 checks passed (ENODEV, EINVAL)" grep -q "net-client: 9 checks, 0 failed" "$out"
check "netdev counted 6 refused requests" grep -q "netdev: client gone after 9 requests (6 refused); no device" "$out"

# no_device LABEL EXPECTED_LINE ENV=VALUE...: netdev refuses its environment, net-client sees ENODEV.
no_device() {
	label=$1 line=$2
	shift 2
	env "$@" timeout 60 build/bin/keel-hosted --manifest tests/hosted/netdev.manifest \
		--state "$dir/state" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	check "$label: keel-hosted exits 0" [ "$rc" -eq 0 ]
	check "$label: netdev says why" grep -qF "$line" "$out"
	check "$label: net-client's 9 checks passed (ENODEV, EINVAL)" grep -q "net-client: 9 checks, 0 failed" "$out"
	check "$label: netdev reports no device" grep -q "(6 refused); no device" "$out"
}
no_device "no socket" "netdev: KEEL_NET_SOCKET=$dir/none: No such file or directory; no device" \
	KEEL_NET_SOCKET="$dir/none"
no_device "multicast MAC" "netdev: KEEL_NET_MAC=03:00:00:00:00:01: not a unicast xx:xx:xx:xx:xx:xx; no device" \
	KEEL_NET_SOCKET="$dir/none" KEEL_NET_MAC=03:00:00:00:00:01
no_device "short MAC" "netdev: KEEL_NET_MAC=02:00:00:00:00: not a unicast xx:xx:xx:xx:xx:xx; no device" \
	KEEL_NET_SOCKET="$dir/none" KEEL_NET_MAC=02:00:00:00:00
no_device "MAC with junk" "netdev: KEEL_NET_MAC=02:00:00:00:00:01x: not a unicast xx:xx:xx:xx:xx:xx; no device" \
	KEEL_NET_SOCKET="$dir/none" KEEL_NET_MAC=02:00:00:00:00:01x
# The datagram path itself, without root: netdev-dgram-peer.py sends each frame back after a
# runt and an oversized datagram.
sed "s/arg=nodev/arg=dgram-echo/" tests/hosted/netdev.manifest >"$dir/echo.manifest"
python3 tests/hosted/netdev-dgram-peer.py "$dir/net.sock" "$dir/peer.ready" >"$dir/peer.log" 2>&1 &
peer=$!
for _ in $(seq 50); do [ -s "$dir/peer.ready" ] && break; sleep 0.1; done
KEEL_NET_SOCKET="$dir/net.sock" timeout 60 build/bin/keel-hosted --manifest "$dir/echo.manifest" \
	--state "$dir/state" >"$out" 2>&1
rc=$?
kill -TERM "$peer" 2>/dev/null
wait "$peer" 2>/dev/null
sed 's/^/# /' "$out" "$dir/peer.log"
check "datagrams: keel-hosted exits 0" [ "$rc" -eq 0 ]
check "datagrams: netdev's start line" \
	grep -qF "netdev: hosted: unix datagrams to $dir/net.sock, mac 02:4b:45:45:4c:01, mtu 1500" "$out"
check "datagrams: net-client's 12 checks passed (INFO, 6 EINVAL, timeout, 2 frames echoed)" \
	grep -q "net-client: 12 checks, 0 failed" "$out"
check "datagrams: netdev counted 2 frames each way and 4 bad datagrams dropped" \
	grep -q "unix datagrams: 2 frames in, 2 frames out, 4 dropped (4 bad in, 0 lost out)" "$out"
check "datagrams: the peer echoed 2 frames" grep -q "peer: 2 frames echoed" "$dir/peer.log"
plan
