#!/bin/sh
# A short libFuzzer run of guest attestation (SVSM protocol 1): the
# router's rcx-desc buffer decoding and attest-bridge's handler
# (tests/fuzz/guest-attest/), KEEL_FUZZ_SECONDS (default 10), from seeds
# of good, too-small and hostile requests. A crash or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup guest-attest
# pair GPA_OFFSET_LE16HEX SIZE_LE8HEX: one {u64 gpa, u32 size, 4 reserved} (guest-relative gpa)
pair() { printf '%s%s00000000' "$1" "$2"; }
vtpm_guid=ebf176c42301a5459641b4e7dde5bfe3
good="$(pair 00f0000000000000 00100000)$(pair 0020000000000000 40000000)$(pair 0030000000000000 00100000)$(pair 0000000000000000 00000000)"
fuzz_seed services "00${good}${vtpm_guid}0000000000000000"
fuzz_seed single "01${good}${vtpm_guid}0000000000000000"
small="$(pair 00f0000000000000 00010000)$(pair 0020000000000000 40000000)$(pair 0030000000000000 10000000)$(pair 0000000000000000 00000000)"
fuzz_seed small "00${small}${vtpm_guid}0000000000000000"
overlap="$(pair 00f0000000000000 00100000)$(pair 00f0000000000000 40000000)$(pair 0030000000000000 00100000)$(pair 0000000000000000 00000000)"
fuzz_seed overlap "00${overlap}${vtpm_guid}0000000000000000"
fuzz_seed raw-gpas "02${good}${vtpm_guid}0000000000000000"
fuzz_seed message "04030000002800000000000000000000"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 6 ]
fuzz_run guest-attest -max_len=70000
plan
