#!/bin/sh
# A short libFuzzer run of consdev's request checks and the reset-line scanner
# (tests/fuzz/stream/), from a few seed requests; KEEL_FUZZ_SECONDS
# (default 10). A crash, a broken promise (abort), a leak or a sanitizer
# report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/stream ]; then
	not_ok "build/fuzz/stream is built (make check-build)"
	plan
	exit 1
fi
mkdir -p "$work/corpus"
# Seeds: device (blocks=256 le64, flags, status 0, small), then a request.
python3 - "$work/corpus" <<'PY'
import struct, sys
d = sys.argv[1]
def req(op, mx, tmo, payload=b""):
    return struct.pack("<IIII", op, 8 + len(payload), mx, tmo) + payload
R = b"\0KEEL-PROXY-RESET\n"
seeds = [req(0x100, 0, 10, b"hello"), req(0x101, 4096, 100), req(0x102, 0, 1000),
         b"GET / HTTP/1.1\r\n" + R + b"x", R[:9] + R, R + R + b"\0\0KEEL"]
for i, s in enumerate(seeds):
    open("%s/seed%d" % (d, i), "wb").write(s)
PY
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 6 ]
if build/fuzz/stream -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=70000 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz stream: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz stream crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
