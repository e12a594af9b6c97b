#!/bin/sh
# A short libFuzzer run of the guest instruction decoder
# (tests/fuzz/guest-decode/), KEEL_FUZZ_SECONDS (default 10), seeded with
# every instruction docs/guest.md says Keel emulates, whole and cut short.
# A crash, a wrong decode or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/guest-decode ]; then
	not_ok "build/fuzz/guest-decode is built"
	exit 1
fi
mkdir -p "$work/corpus"
# seed NAME HEX: first byte = how many bytes are readable at RIP, then the bytes.
seed() { printf '%s' "$2" | xxd -r -p >"$work/corpus/$1"; }
seed vmgexit 04f30f01d9
seed vmgexit-cut 03f30f01d9
seed rdmsr 040f3290
seed wrmsr 020f30
seed hlt 01f4
seed in-dx 01ec
seed out-dx 01ee
seed in-imm 02e4f8
seed out-imm-cut 01e6f8
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 9 ]
if build/fuzz/guest-decode -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=16 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz guest-decode: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz guest-decode crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
