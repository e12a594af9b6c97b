#!/bin/sh
# A short libFuzzer run of the raw edk2 varstore parser (apps/uefivars/fdstore.c,
# tests/fuzz/uefivars-fdstore/), seeded with Debian's OVMF_VARS_4M.ms.fd cut
# down to its variables. KEEL_FUZZ_SECONDS (default 20). A crash, a variable
# outside the input or a refusal without a message fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/uefivars-fdstore ]; then
	not_ok "build/fuzz/uefivars-fdstore is built (make check-build)"
	plan
	exit 1
fi
mkdir -p "$work/corpus"
for f in OVMF_VARS_4M.ms.fd OVMF_VARS_4M.fd; do
	[ -r "/usr/share/OVMF/$f" ] && python3 tests/fuzz/uefivars-fdstore/mkseed.py "/usr/share/OVMF/$f" "$work/corpus/$f"
done
check "seeds written (package ovmf)" [ -s "$work/corpus/OVMF_VARS_4M.ms.fd" ]
if build/fuzz/uefivars-fdstore -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz uefivars-fdstore: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz uefivars-fdstore crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
fi
plan
