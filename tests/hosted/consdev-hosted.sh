#!/bin/sh
# Hosted consdev (apps/consdev/backend_none.c): no stream device, said once
# at start; stream-client's good requests get STREAM_ENODEV, malformed ones
# STREAM_EINVAL (the checks come first in both builds).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/consdev-hosted.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
out=$dir/out
timeout 60 build/bin/keel-hosted --manifest tests/hosted/consdev.manifest --state "$dir/state" >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "keel-hosted exits 0" [ "$rc" -eq 0 ]
check "consdev says it has no device hosted" grep -q "consdev: hosted: no stream device (attest-bridge uses TCP hosted); every request STREAM_ENODEV" "$out"
check "stream-client: 12 checks passed (ENODEV, EINVAL)" grep -q "stream-client: 12 checks, 0 failed" "$out"
check "consdev counted 9 refused requests" grep -q "consdev: client gone after 12 requests (9 refused); no device" "$out"
plan
