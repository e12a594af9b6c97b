#!/bin/sh
# Hosted netdev (apps/netdev/backend_none.c): no network device, said once
# at start; net-client's good requests get NET_ENODEV, malformed ones
# NET_EINVAL (the checks come first in both builds).
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
plan
