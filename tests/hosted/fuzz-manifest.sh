#!/bin/sh
# Short libFuzzer runs of the manifest and bundle parsers (tests/fuzz/manifest/).
# KEEL_FUZZ_SECONDS (default 20) per target. A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_default_secs=20
fuzz_setup manifest bundle seed-bundle

mkdir -p "$work/manifest" "$work/bundle"
cp tests/fuzz/manifest/corpus-manifest/* "$work/manifest/"
build/fuzz/seed-bundle "$work/bundle/seed" || not_ok "seed bundle written"

fuzz_run manifest -dict=tests/fuzz/manifest/manifest.dict "$work/manifest"
fuzz_run bundle "$work/bundle"
plan
