#!/bin/sh
# A short libFuzzer run of the guest instruction decoder
# (tests/fuzz/guest-decode/), KEEL_FUZZ_SECONDS (default 10), seeded with
# every instruction docs/guest.md says Keel emulates, whole and cut short.
# A crash, a wrong decode or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup guest-decode
# Seeds: first byte = how many bytes are readable at RIP, then the bytes.
fuzz_seed vmgexit 04f30f01d9
fuzz_seed vmgexit-cut 03f30f01d9
fuzz_seed rdmsr 040f3290
fuzz_seed wrmsr 020f30
fuzz_seed hlt 01f4
fuzz_seed in-dx 01ec
fuzz_seed out-dx 01ee
fuzz_seed in-imm 02e4f8
fuzz_seed out-imm-cut 01e6f8
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 9 ]
fuzz_run guest-decode -max_len=16
plan
