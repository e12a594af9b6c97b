#!/bin/sh
# Hosted netstack (apps/netstack) over hosted netdev, which has no network
# device (NET_ENODEV): netstack says so once, answers every good stream
# request STREAM_ENODEV and malformed ones STREAM_EINVAL (consdev's
# checker comes first), and exits 0 when its client leaves; a bad arg= is
# refused in one line (exit 1).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/netstack-hosted.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
out=$dir/out
env -u KEEL_NET_SOCKET timeout 60 build/bin/keel-hosted --manifest tests/hosted/netstack.manifest \
	--state "$dir/state" >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "keel-hosted exits 0" [ "$rc" -eq 0 ]
check "netstack says netdev has no device" \
	grep -qF "netstack: netdev has no device (NET_ENODEV): every stream request STREAM_ENODEV" "$out"
check "netstack logs its peer" grep -qF "netstack: peer 10.0.2.2:8080" "$out"
check "netstack-client: 8 checks passed (ENODEV, EINVAL)" grep -qF "netstack-client: 8 checks, 0 failed" "$out"
check "netstack counted 8 requests, 5 refused" grep -qF "netstack: client gone after 8 requests (5 refused)" "$out"
check "a bad ip= is refused in one line" grep -qF \
	'netstack: bad configuration (manifest arg=): ip= wants dhcp or A.B.C.D/N (N 1..30, a host address of its subnet): "ip=10.0.2.0/24"' "$out"
plan
