#!/bin/sh
# Short libFuzzer run of the IGVM parser + SNP measurement (tests/fuzz/igvm/)
# over seeds written by igvm-build (--native-only and both platforms) from the loader test
# kernel. KEEL_FUZZ_RUNS (default 20000). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_runs=${KEEL_FUZZ_RUNS:-20000}
kernel=build/tests/fixtures/loader/test-kernel.elf
fuzz_setup igvm build/bin/igvm-build "$kernel"

mkdir -p "$work/bin"
printf 'task a binary=a memory=1M\ntask b binary=b memory=1M\nchannel a:1 b:1\n' >"$work/m"
head -c 5000 /dev/zero | tr '\0' 'a' >"$work/bin/a"
printf 'bbbb' >"$work/bin/b"
check "seed: igvm-build native" build/bin/igvm-build --kernel "$kernel" --manifest "$work/m" \
	--bin-dir "$work/bin" --native-only -o "$work/corpus/native.igvm"
check "seed: igvm-build --snp" build/bin/igvm-build --kernel "$kernel" --manifest "$work/m" \
	--bin-dir "$work/bin" --snp -o "$work/corpus/snp.igvm"

fuzz_run igvm -max_len=131072
plan
