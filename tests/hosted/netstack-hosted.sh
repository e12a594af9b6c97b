#!/bin/sh
# Hosted netstack (apps/netstack) over hosted netdev, which has no network
# device (NET_ENODEV): netstack says so once, answers every good stream
# request STREAM_ENODEV and malformed ones STREAM_EINVAL (consdev's
# checker comes first), and exits 0 when its client leaves; a bad arg= is
# refused in one line (exit 1). Then behind tests/tasks/netdev-void: no
# DHCP lease (RESET STREAM_EIO, the no-lease line after 15 s), nobody
# answering a static address (STREAM_ETIMEDOUT), a driver breaking the
# frame protocol (STREAM_EIO, logged).
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

# Behind tests/tasks/netdev-void (a wire where nobody answers; a broken driver).
out=$dir/void
env -u KEEL_NET_SOCKET timeout 90 build/bin/keel-hosted --manifest tests/hosted/netstack-void.manifest \
	--state "$dir/state2" >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "void: keel-hosted exits 0" [ "$rc" -eq 0 ]
check "void-dhcp: the client's 3 checks passed (RESET EIO without a lease)" grep -qF "[cl-dhcp] netstack-client: 3 checks, 0 failed" "$out"
check "void-dhcp: netstack said it has no lease after 15 s" \
	grep -qF "[ns-dhcp] netstack: no DHCP lease after 15 s (still asking; connections wait for an address)" "$out"
check "void-dhcp: netstack said why the RESET failed" grep -qF "[ns-dhcp] netstack: connect: no address yet" "$out"
check "void-dhcp: lwIP's DHCP client kept asking (DISCOVERs sent)" grep -q "\[void-a\] netdev-void: [3-9][0-9]* frames sent" "$out"
check "void-static: the client's 3 checks passed (ETIMEDOUT)" grep -qF "[cl-static] netstack-client: 3 checks, 0 failed" "$out"
check "void-static: netstack logged the static address" \
	grep -qF "[ns-static] netstack: address 192.168.7.2/24 gateway 192.168.7.1 (static)" "$out"
check "void-static: netstack logged the timeouts" grep -qF "[ns-static] netstack: connect to the peer: timed out" "$out"
check "broken: the client's 7 checks passed (EIO, EINVAL)" grep -qF "[cl-broken] netstack-client: 7 checks, 0 failed" "$out"
check "broken: netstack said the network is down" \
	grep -qF "[ns-broken] netstack: netdev sent a malformed reply" "$out"
plan
