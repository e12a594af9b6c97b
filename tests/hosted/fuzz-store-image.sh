#!/bin/sh
# Short libFuzzer runs of the store (tests/fuzz/store-image/), each
# KEEL_FUZZ_SECONDS (default 10): raw fuzzed images from seed images
# keel-state makes with the development key, and crafted images that
# authenticate (fuzz_store_crafted.c, seeds from store-crafted-seed).
# A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup store-image store-crafted store-crafted-seed build/bin/keel-state
ks=build/bin/keel-state
c=$work/corpus
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
fuzz_run store-image -max_len=131072
mkdir -p "$work/crafted"
check "crafted seeds written" build/fuzz/store-crafted-seed "$work/crafted"
fuzz_run store-crafted -max_len=16384 "$work/crafted"
plan
