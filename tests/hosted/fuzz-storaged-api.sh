#!/bin/sh
# A short libFuzzer run of storaged's request handler (tests/fuzz/storaged-api/),
# KEEL_FUZZ_SECONDS (default 15). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in storaged-api storaged-api-seed; do
	if [ ! -x "build/fuzz/$t" ]; then
		not_ok "build/fuzz/$t is built"
		plan
		exit 1
	fi
done
mkdir -p "$work/corpus"
check "seed inputs written" build/fuzz/storaged-api-seed "$work/corpus"
if build/fuzz/storaged-api -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=4096 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz storaged-api: ${runs:-?} runs in ${secs}s, no crash"
else
	not_ok "fuzz storaged-api crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
	done
fi
plan
