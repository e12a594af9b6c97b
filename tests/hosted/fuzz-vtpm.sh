#!/bin/sh
# A short libFuzzer run of the vtpm request parser (tests/fuzz/vtpm-request/),
# KEEL_FUZZ_SECONDS (default 10). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup vtpm-request vtpm-request-seed
check "seed inputs written" build/fuzz/vtpm-request-seed "$work/corpus"
fuzz_run vtpm-request -max_len=8192
plan
