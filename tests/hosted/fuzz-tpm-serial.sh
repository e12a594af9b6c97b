#!/bin/sh
# A short libFuzzer run of keel-tpm-serial's guest-response frame parser
# (tests/fuzz/tpm-serial/), KEEL_FUZZ_SECONDS (default 10), from seeds of
# well-formed and malformed COM2 response streams. A crash or sanitizer
# report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/tpm-serial ]; then
	not_ok "build/fuzz/tpm-serial is built"
	exit 1
fi
mkdir -p "$work/corpus"
# seed NAME HEX: (chunk length byte, chunk) pairs; the chunks are what the guest sent.
seed() { printf '%s' "$2" | xxd -r -p >"$work/corpus/$1"; }
startup=80010000000a00000000
random=80010000001c00000000001000112233445566778899aabbccddeeff # GetRandom(16): 28 bytes
seed startup "3f0000000a${startup}"
seed random "3f0000001c${random}"
seed two-frames "070000000a${startup}3f0000001c${random}"
seed one-by-one "$(printf '%s' "0000000a${startup}" | sed 's/../00&/g')"
seed too-big "3f00001000${startup}"
seed too-short "3f00000009800100000009000000"
seed size-mismatch "3f0000000a80010000000b00000000"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 7 ]
if build/fuzz/tpm-serial -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=16384 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz tpm-serial: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz tpm-serial crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
