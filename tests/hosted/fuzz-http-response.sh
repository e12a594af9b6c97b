#!/bin/sh
# A short libFuzzer run of attest-bridge's HTTP response parser and client
# (tests/fuzz/http-response/): responses arriving in pieces of fuzzed
# sizes; the verdict must not depend on the split, nothing may be read past
# the input. KEEL_FUZZ_SECONDS (default 10). A crash, a broken invariant
# (abort), a leak or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup http-response
check "seed inputs written" [ "$(sh tests/fuzz/http-response/seed.sh "$work/corpus")" -ge 11 ]
# The seeds run first: the reproducer of the split-dependent chunk-size
# limit (fixed in http_parse.c) among them.
fuzz_run http-response -max_len=16384
plan
