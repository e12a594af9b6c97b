#!/bin/sh
# Short libFuzzer run of the IGVM parser + SNP measurement (tests/fuzz/igvm/)
# over seeds written by igvm-build (--native-only and both platforms) from the loader test
# kernel. KEEL_FUZZ_RUNS (default 20000). A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
runs=${KEEL_FUZZ_RUNS:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kernel=build/tests/fixtures/loader/test-kernel.elf

for f in build/fuzz/igvm build/bin/igvm-build "$kernel"; do
	if [ ! -e "$f" ]; then
		not_ok "$f is built (make check-build)"
		exit 1
	fi
done

mkdir -p "$work/corpus" "$work/bin"
printf 'task a binary=a memory=1M\ntask b binary=b memory=1M\nchannel a:1 b:1\n' >"$work/m"
head -c 5000 /dev/zero | tr '\0' 'a' >"$work/bin/a"
printf 'bbbb' >"$work/bin/b"
check "seed: igvm-build native" build/bin/igvm-build --kernel "$kernel" --manifest "$work/m" \
	--bin-dir "$work/bin" --native-only -o "$work/corpus/native.igvm"
check "seed: igvm-build --snp" build/bin/igvm-build --kernel "$kernel" --manifest "$work/m" \
	--bin-dir "$work/bin" --snp -o "$work/corpus/snp.igvm"

if build/fuzz/igvm -runs="$runs" -max_len=131072 -timeout=10 -rss_limit_mb=1024 \
	-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	done_runs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
	ok "fuzz igvm: ${done_runs:-?} runs, no crash"
else
	not_ok "fuzz igvm crashed"
	tail -n 30 "$work/log" | sed 's/^/# /'
fi
plan
