#!/bin/sh
# A short libFuzzer run of keel-hosted's guest-port frame parser
# (tests/fuzz/svsm-port/), KEEL_FUZZ_SECONDS (default 10), from seeds of
# well-formed and refused frames. A crash or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup svsm-port
# Seeds: (chunk length - 1 byte, chunk) pairs.
hdr() { # hdr WINDOW_GPA_LE16HEX WINDOW_LEN_LE8HEX: a request header, RAX = 0:6, RCX = 2 << 32 | 1
	printf '4b5651430100000006000000000000000100000002000000%s%s%s%s00000000' \
		0000000000000000 0000000000000000 0000000000000000 "$1$2"
}
fuzz_seed query "3f$(hdr 0000000000000000 00000000)"
fuzz_seed window "3f$(hdr 0010000000000000 04000000)0300010203"
fuzz_seed two "3f$(hdr 0000000000000000 00000000)3f$(hdr 0000000000000000 00000000)"
fuzz_seed garbage "0f474554202f20485454502f312e300d0a"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 4 ]
fuzz_run svsm-port -max_len=70000
plan
