#!/bin/sh
# A short libFuzzer run of guest attestation (SVSM protocol 1): the
# router's rcx-desc buffer decoding and attest-bridge's handler
# (tests/fuzz/guest-attest/), KEEL_FUZZ_SECONDS (default 10), from seeds
# of good, too-small and hostile requests. A crash or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/guest-attest ]; then
	not_ok "build/fuzz/guest-attest is built"
	plan
	exit 1
fi
mkdir -p "$work/corpus"
seed() { printf '%s' "$2" | xxd -r -p >"$work/corpus/$1"; }
# pair GPA_OFFSET_LE16HEX SIZE_LE8HEX: one {u64 gpa, u32 size, 4 reserved} (guest-relative gpa)
pair() { printf '%s%s00000000' "$1" "$2"; }
vtpm_guid=ebf176c42301a5459641b4e7dde5bfe3
good="$(pair 00f0000000000000 00100000)$(pair 0020000000000000 40000000)$(pair 0030000000000000 00100000)$(pair 0000000000000000 00000000)"
seed services "00${good}${vtpm_guid}0000000000000000"
seed single "01${good}${vtpm_guid}0000000000000000"
small="$(pair 00f0000000000000 00010000)$(pair 0020000000000000 40000000)$(pair 0030000000000000 10000000)$(pair 0000000000000000 00000000)"
seed small "00${small}${vtpm_guid}0000000000000000"
overlap="$(pair 00f0000000000000 00100000)$(pair 00f0000000000000 40000000)$(pair 0030000000000000 00100000)$(pair 0000000000000000 00000000)"
seed overlap "00${overlap}${vtpm_guid}0000000000000000"
seed raw-gpas "02${good}${vtpm_guid}0000000000000000"
seed message "04030000002800000000000000000000"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 6 ]
if build/fuzz/guest-attest -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=70000 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1)
	ok "fuzz guest-attest: ${runs:-?} runs in ${secs}s, ${cov:-cov ?}, no crash"
else
	not_ok "fuzz guest-attest crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
