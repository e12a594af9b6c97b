#!/bin/sh
# A short libFuzzer run of attest-bridge's response parsing (tests/fuzz/bridge-response/: HTTP, JSON, JWE fields),
# KEEL_FUZZ_SECONDS (default 15). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in bridge-response; do
	if [ ! -x "build/fuzz/$t" ]; then
		not_ok "build/fuzz/$t is built"
		plan
		exit 1
	fi
done
mkdir -p "$work/corpus"
check "seed inputs written" sh tests/fuzz/bridge-response/seed.sh "$work/corpus"
if build/fuzz/bridge-response -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=16384 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz bridge-response: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz bridge-response crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
