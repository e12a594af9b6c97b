#!/bin/sh
# Short libFuzzer runs of the manifest and bundle parsers (tests/fuzz/manifest/).
# KEEL_FUZZ_SECONDS (default 20) per target. A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for t in manifest bundle seed-bundle; do
	if [ ! -x "build/fuzz/$t" ]; then
		not_ok "build/fuzz/$t is built (make check-build)"
		exit 1
	fi
done

mkdir -p "$work/manifest" "$work/bundle"
cp tests/fuzz/manifest/corpus-manifest/* "$work/manifest/"
build/fuzz/seed-bundle "$work/bundle/seed" || not_ok "seed bundle written"

run_fuzz() { # name extra-args...
	name=$1; shift
	if "build/fuzz/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$work/" "$@" "$work/$name" >"$work/$name.log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$work/$name.log" | grep -o '[0-9]*')
		ok "fuzz $name: ${runs:-?} runs in ${secs}s, no crash"
	else
		not_ok "fuzz $name crashed"
		tail -n 30 "$work/$name.log" | sed 's/^/# /'
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
			[ -f "$a" ] && echo "# artifact (hex):" && od -An -tx1 "$a" | head -8 | sed 's/^/# /'
		done
	fi
}

run_fuzz manifest -dict=tests/fuzz/manifest/manifest.dict
run_fuzz bundle
plan
