#!/bin/sh
# A short libFuzzer run of blkdev's request checks and fault-spec parser
# (tests/fuzz/blk-request/), from a few seed requests; KEEL_FUZZ_SECONDS
# (default 10). A crash, a broken promise (abort), a leak or a sanitizer
# report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup blk-request
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
fuzz_run blk-request -max_len=70000
plan
