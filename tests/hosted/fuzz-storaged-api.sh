#!/bin/sh
# A short libFuzzer run of storaged's request handler (tests/fuzz/storaged-api/),
# KEEL_FUZZ_SECONDS (default 15). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_default_secs=15
fuzz_setup storaged-api storaged-api-seed
check "seed inputs written" build/fuzz/storaged-api-seed "$work/corpus"
fuzz_run storaged-api -max_len=4096
plan
