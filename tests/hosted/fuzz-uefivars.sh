#!/bin/sh
# A short libFuzzer run of the UEFI variable service's MM entry point
# (tests/fuzz/uefivars-mm/: uv_mm_request on a memory-only store, several
# requests per input), KEEL_FUZZ_SECONDS (default 10: the whole script,
# vectors included, stays under 30 s), from the seeds uefivars-mm-seed
# writes (variables, append/delete, LockVariable and the phases, every
# policy command, varadmin, an authenticated write, a big buffer,
# malformed buffers, Secure Boot enrollment with real vectors).
# A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
. tests/fuzz/smoke.sh
fuzz_setup uefivars-mm uefivars-mm-seed
mkdir -p "$work/vectors"
# Real Secure Boot vectors (efitools, sbsigntool, openssl) as the auth
# tests make them: PK/KEK/db enrollment, a wrong signer, append, delete.
if sh tests/unit/uefivars-auth/mkvectors.sh "$work/vectors" >"$work/vectors.log" 2>&1; then
	check "seed inputs written (with Secure Boot vectors)" \
		build/fuzz/uefivars-mm-seed "$work/corpus" "$work/vectors"
	want=9
else
	echo "# no Secure Boot vectors (tools missing?):"
	tail -n 5 "$work/vectors.log" | sed 's/^/# /'
	check "seed inputs written" build/fuzz/uefivars-mm-seed "$work/corpus"
	want=8
fi
check "$want seed scenarios" [ "$(ls "$work/corpus" | wc -l)" -eq "$want" ]
# The seeds alone first: every scenario runs clean before any mutation.
if build/fuzz/uefivars-mm -runs=0 -rss_limit_mb=2048 -artifact_prefix="$work/seed-" "$work/corpus" >"$work/seeds.log" 2>&1; then
	ok "seed scenarios run clean"
else
	not_ok "seed scenarios run clean"
	tail -n 30 "$work/seeds.log" | sed 's/^/# /'
fi
if ! fuzz_run uefivars-mm -rss_limit_mb=2048 -max_len=70000; then
	# Kept for a rerun: build/fuzz/uefivars-mm build/fuzz/uefivars-mm-artifacts/FILE
	mkdir -p build/fuzz/uefivars-mm-artifacts
	for a in "$work"/uefivars-mm-crash-* "$work"/uefivars-mm-leak-* "$work"/uefivars-mm-timeout-* \
		"$work"/uefivars-mm-oom-*; do
		[ -f "$a" ] && cp "$a" build/fuzz/uefivars-mm-artifacts/
	done
fi
plan
