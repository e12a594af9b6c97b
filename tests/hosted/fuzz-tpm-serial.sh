#!/bin/sh
# A short libFuzzer run of keel-tpm-serial's guest-response frame parser
# (tests/fuzz/tpm-serial/), KEEL_FUZZ_SECONDS (default 10), from seeds of
# well-formed and malformed COM2 response streams. A crash or sanitizer
# report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup tpm-serial
# Seeds: (chunk length byte, chunk) pairs; the chunks are what the guest sent.
startup=80010000000a00000000
random=80010000001c00000000001000112233445566778899aabbccddeeff # GetRandom(16): 28 bytes
fuzz_seed startup "3f0000000a${startup}"
fuzz_seed random "3f0000001c${random}"
fuzz_seed two-frames "070000000a${startup}3f0000001c${random}"
fuzz_seed one-by-one "$(printf '%s' "0000000a${startup}" | sed 's/../00&/g')"
fuzz_seed too-big "3f00001000${startup}"
fuzz_seed too-short "3f00000009800100000009000000"
fuzz_seed size-mismatch "3f0000000a80010000000b00000000"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 7 ]
fuzz_run tpm-serial -max_len=16384
plan
