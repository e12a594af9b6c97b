#!/bin/sh
# A short libFuzzer run of attest-bridge's response parsing (tests/fuzz/bridge-response/: HTTP, JSON, JWE fields),
# KEEL_FUZZ_SECONDS (default 15). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_default_secs=15
fuzz_setup bridge-response
check "seed inputs written" sh tests/fuzz/bridge-response/seed.sh "$work/corpus"
fuzz_run bridge-response -max_len=16384
plan
