#!/bin/sh
# The example service hosted: keel-hosted runs echo-server and echo-client
# (tests/hosted/echo.manifest, 10,000 round trips with payloads 0..64 KiB,
# every reply verified byte for byte by the client).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

timeout 300 build/bin/keel-hosted --manifest tests/hosted/echo.manifest >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "keel-hosted exits 0" [ "$rc" -eq 0 ]
check "echo-client exited 0" grep -q "^task 'echo-client' exited 0$" "$out"
check "echo-server exited 0 after the client left" grep -q "^task 'echo-server' exited 0$" "$out"
check "10000 round trips, all verified, none mismatched" \
	grep -q "10000 round trips, 10000 verified, 0 mismatched, payloads 0..65536 bytes" "$out"
check "server answered the ping and the 10000 echoes" grep -q "client gone after 10001 requests" "$out"
check "summary line" grep -q "^keel-hosted: 2 tasks, 2 as expected, 0 unexpected$" "$out"
plan
