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
}
no_device "no socket" "netdev: KEEL_NET_SOCKET=$dir/none: No such file or directory; no device" \
	KEEL_NET_SOCKET="$dir/none"
no_device "multicast MAC" "netdev: KEEL_NET_MAC=03:00:00:00:00:01: not a unicast xx:xx:xx:xx:xx:xx; no device" \
	KEEL_NET_SOCKET="$dir/none" KEEL_NET_MAC=03:00:00:00:00:01
no_device "short MAC" "netdev: KEEL_NET_MAC=02:00:00:00:00: not a unicast xx:xx:xx:xx:xx:xx; no device" \
	KEEL_NET_SOCKET="$dir/none" KEEL_NET_MAC=02:00:00:00:00
no_device "MAC with junk" "netdev: KEEL_NET_MAC=02:00:00:00:00:01x: not a unicast xx:xx:xx:xx:xx:xx; no device" \
	KEEL_NET_SOCKET="$dir/none" KEEL_NET_MAC=02:00:00:00:00:01x
plan
