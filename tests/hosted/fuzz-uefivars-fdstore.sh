#!/bin/sh
# A short libFuzzer run of the raw edk2 varstore parser (apps/uefivars/fdstore.c,
# tests/fuzz/uefivars-fdstore/), seeded with Debian's OVMF_VARS_4M.ms.fd cut
# down to its variables. KEEL_FUZZ_SECONDS (default 20). A crash, a variable
# outside the input or a refusal without a message fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
. tests/fuzz/smoke.sh
fuzz_default_secs=20
fuzz_setup uefivars-fdstore
for f in OVMF_VARS_4M.ms.fd OVMF_VARS_4M.fd; do
	[ -r "/usr/share/OVMF/$f" ] && python3 tests/fuzz/uefivars-fdstore/mkseed.py "/usr/share/OVMF/$f" "$work/corpus/$f"
done
check "seeds written (package ovmf)" [ -s "$work/corpus/OVMF_VARS_4M.ms.fd" ]
fuzz_run uefivars-fdstore -max_len=65536
plan
