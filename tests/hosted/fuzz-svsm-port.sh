#!/bin/sh
# A short libFuzzer run of keel-hosted's guest-port frame parser
# (tests/fuzz/svsm-port/), KEEL_FUZZ_SECONDS (default 10), from seeds of
# well-formed and refused frames. A crash or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x build/fuzz/svsm-port ]; then
	not_ok "build/fuzz/svsm-port is built"
	plan
	exit 1
fi
mkdir -p "$work/corpus"
# seed NAME HEX: (chunk length - 1 byte, chunk) pairs.
seed() { printf '%s' "$2" | xxd -r -p >"$work/corpus/$1"; }
hdr() { # hdr WINDOW_GPA_LE16HEX WINDOW_LEN_LE8HEX: a request header, RAX = 0:6, RCX = 2 << 32 | 1
	printf '4b5651430100000006000000000000000100000002000000%s%s%s%s00000000' \
		0000000000000000 0000000000000000 0000000000000000 "$1$2"
}
seed query "3f$(hdr 0000000000000000 00000000)"
seed window "3f$(hdr 0010000000000000 04000000)0300010203"
seed two "3f$(hdr 0000000000000000 00000000)3f$(hdr 0000000000000000 00000000)"
seed garbage "0f474554202f20485454502f312e300d0a"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -eq 4 ]
if build/fuzz/svsm-port -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=70000 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz svsm-port: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz svsm-port crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
