#!/bin/sh
# Short libFuzzer runs of the store (tests/fuzz/store-image/), each
# KEEL_FUZZ_SECONDS (default 10): raw fuzzed images from seed images
# keel-state makes with the development key, and crafted images that
# authenticate (fuzz_store_crafted.c, seeds from store-crafted-seed).
# A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
secs=${KEEL_FUZZ_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in fuzz/store-image fuzz/store-crafted fuzz/store-crafted-seed bin/keel-state; do
	if [ ! -x "build/$t" ]; then
		not_ok "build/$t is built"
		exit 1
	fi
done
ks=build/bin/keel-state
c=$work/corpus
mkdir -p "$c"
seeds() {
	$ks create "$c/empty" --dev-key --size 32K &&
		$ks create "$c/small" --dev-key --size 64K &&
		printf 'permanent state' >"$work/a" &&
		$ks put "$c/small" vtpm/permall "$work/a" --dev-key &&
		$ks put "$c/small" uefi/vars "$work/a" --dev-key &&
		head -c 60000 /dev/urandom >"$work/b" &&
		$ks create "$c/multi" --dev-key --size 128K &&
		$ks put "$c/multi" vtpm/nv "$work/b" --dev-key &&
		$ks rm "$c/small" uefi/vars --dev-key &&
		head -c 8192 /dev/zero >"$c/blank" &&
		head -c 8192 /dev/urandom >"$c/random"
}
if seeds >"$work/seeds.log" 2>&1; then
	ok "seed images written by keel-state"
else
	not_ok "seed images written by keel-state"
	sed 's/^/# /' "$work/seeds.log"
fi
# fuzz NAME CORPUS MAXLEN: one run, one TAP line.
fuzz() {
	if build/fuzz/$1 -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len="$3" \
		-artifact_prefix="$work/$1-" "$2" >"$work/$1.log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$work/$1.log" | grep -o '[0-9]*')
		ok "fuzz $1: ${runs:-?} runs in ${secs}s, no crash"
	else
		not_ok "fuzz $1 crashed"
		tail -n 30 "$work/$1.log" | sed 's/^/# /'
	fi
}
fuzz store-image "$c" 131072
mkdir -p "$work/crafted"
check "crafted seeds written" build/fuzz/store-crafted-seed "$work/crafted"
fuzz store-crafted "$work/crafted" 16384
plan
