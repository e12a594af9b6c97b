#!/bin/sh
# A short libFuzzer run of netdev's request check (tests/fuzz/net-request/),
# from a few seed requests; KEEL_FUZZ_SECONDS (default 10). A crash, a
# broken promise (abort), a leak or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup net-request
# Seeds: SEND of a 60-byte frame, RECV, INFO, a SEND one byte too short.
python3 - "$work/corpus" <<'PY'
import struct, sys
d = sys.argv[1]
def req(op, tmo, payload=b"", reserved=0):
    return struct.pack("<IIII", op, 8 + len(payload), tmo, reserved) + payload
seeds = [req(0x100, 0, b"\xff" * 60), req(0x101, 100), req(0x102, 0), req(0x100, 0, b"\0" * 13)]
for i, s in enumerate(seeds):
    open("%s/seed%d" % (d, i), "wb").write(s)
PY
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 4 ]
fuzz_run net-request -max_len=70000
plan
