#!/bin/sh
# A short libFuzzer run of keel-hosted's TPM frame parsers
# (tests/fuzz/tpm-frames/), KEEL_FUZZ_SECONDS (default 10), from seeds of
# well-formed frames of all four ports. A crash or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/tpm-frames ]; then
	not_ok "build/fuzz/tpm-frames is built"
	exit 1
fi
mkdir -p "$work/corpus"
# seed NAME HEX: port byte, then (chunk length byte, chunk) pairs of at most 64 bytes.
seed() { printf '%s' "$2" | xxd -r -p >"$work/corpus/$1"; }
getrandom=80010000000c0000017b0008
seed mssim-send "003f0000000800000000$(printf '%02x' 12)${getrandom}0300000014"
seed mssim-handshake "00070000000f00000001"
seed mssim-platform "01070000000100000002"
seed swtpm-data "020b${getrandom}"
seed swtpm-ctrl "0308000000050000000011"
# QEMU's padded forms (ptm_loc: u8 + 3 zero bytes; ptm_getinfo: + u32 pad), CMD_SET_DATAFD, then the next op
seed swtpm-ctrl-padded "030c000000050300000000000004"
seed swtpm-ctrl-getinfo "03140000001200000000000000010000000000000000"
seed swtpm-ctrl-datafd "03080000001000000001"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 8 ]
if build/fuzz/tpm-frames -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=16384 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz tpm-frames: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz tpm-frames crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
