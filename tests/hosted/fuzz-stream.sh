#!/bin/sh
# A short libFuzzer run of consdev's request checks and the reset-line scanner
# (tests/fuzz/stream/), from a few seed requests; KEEL_FUZZ_SECONDS
# (default 10). A crash, a broken promise (abort), a leak or a sanitizer
# report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup stream
# Seeds: requests (op, length, max, timeout, payload), then byte streams with
# whole, cut and repeated reset lines.
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
fuzz_run stream -max_len=70000
plan
