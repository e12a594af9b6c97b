#!/bin/sh
# A short libFuzzer run of keel-hosted's TPM frame parsers
# (tests/fuzz/tpm-frames/), KEEL_FUZZ_SECONDS (default 10), from seeds of
# well-formed frames of all four ports. A crash or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup tpm-frames
# Seeds: port byte, then (chunk length byte, chunk) pairs of at most 64 bytes.
getrandom=80010000000c0000017b0008
fuzz_seed mssim-send "003f0000000800000000$(printf '%02x' 12)${getrandom}0300000014"
fuzz_seed mssim-handshake "00070000000f00000001"
fuzz_seed mssim-platform "01070000000100000002"
fuzz_seed swtpm-data "020b${getrandom}"
fuzz_seed swtpm-ctrl "0308000000050000000011"
# QEMU's padded forms (ptm_loc: u8 + 3 zero bytes; ptm_getinfo: + u32 pad), CMD_SET_DATAFD, then the next op
fuzz_seed swtpm-ctrl-padded "030c000000050300000000000004"
fuzz_seed swtpm-ctrl-getinfo "03140000001200000000000000010000000000000000"
fuzz_seed swtpm-ctrl-datafd "03080000001000000001"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 8 ]
fuzz_run tpm-frames -max_len=16384
plan
