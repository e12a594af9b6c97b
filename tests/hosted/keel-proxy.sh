#!/bin/sh
# build/bin/keel-proxy on the host (docs/keel-proxy.md): a Python stand-in
# for QEMU's chardev socket and an echo server (tests/hosted/keel-proxy-drive.py):
# relay exactly, reset lines (whole and split), a partial reset line at the
# end of the VM's bytes (released after a short hold), the peer closing, the peer
# down (a clear error, the proxy stays up), QEMU going away (exit 0); then
# keel-proxy's own errors: bad arguments, no QEMU socket.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/keel-proxy.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
proxy=build/bin/keel-proxy

timeout 60 python3 tests/hosted/keel-proxy-drive.py "$proxy" "$dir" >"$dir/results" 2>"$dir/err"
while read -r st what; do
	if [ "$st" = pass ]; then ok "$what"; else not_ok "$what"; fi
done <"$dir/results"
sed 's/^/# /' "$dir/err" "$dir/proxy.log" 2>/dev/null
check "the driver reported all 19 results" [ "$(wc -l <"$dir/results")" -eq 19 ]

"$proxy" --socket "$dir/x" >/dev/null 2>"$dir/e1"
check "no --connect: usage, exit 2" [ $? -eq 2 ]
"$proxy" --socket "$dir/x" --connect nocolon 2>"$dir/e2"
check "--connect without a port: exit 2" [ $? -eq 2 ]
check "... and says why" grep -q "wants HOST:PORT" "$dir/e2"
"$proxy" --socket "$dir/absent.sock" --connect 127.0.0.1:9 --wait 1 2>"$dir/e3"
check "no QEMU socket after --wait 1: exit 1" [ $? -eq 1 ]
check "... 'cannot connect to QEMU's socket'" grep -q "cannot connect to QEMU's socket $dir/absent.sock" "$dir/e3"
plan
