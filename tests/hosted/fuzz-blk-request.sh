#!/bin/sh
# A short libFuzzer run of blkdev's request checks and fault-spec parser
# (tests/fuzz/blk-request/), from a few seed requests; KEEL_FUZZ_SECONDS
# (default 10). A crash, a broken promise (abort), a leak or a sanitizer
# report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/blk-request ]; then
	not_ok "build/fuzz/blk-request is built (make check-build)"
	plan
	exit 1
fi
mkdir -p "$work/corpus"
# Seeds: device (blocks=256 le64, flags, status 0, small), then a request.
python3 - "$work/corpus" <<'PY'
import struct, sys
d = sys.argv[1]
dev = struct.pack("<QBBB5x", 256, 1, 0, 1)
def req(op, block, count, payload=b"", reserved=0):
    body = struct.pack("<QII", block, count, reserved) + payload
    return struct.pack("<II", op, len(body)) + body
seeds = [req(0x100, 0, 0), req(0x101, 1, 2), req(0x102, 3, 1, b"\xab" * 4096),
         req(0x103, 0, 0), req(0x101, 255, 2), b"after=5,tear=100", b"after=0"]
for i, s in enumerate(seeds):
    open("%s/seed%d" % (d, i), "wb").write(dev + s)
PY
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 7 ]
if build/fuzz/blk-request -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=70000 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz blk-request: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz blk-request crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
