#!/bin/bash
# keel_attest_report hosted (tests/hosted/attest-report-hosted.sh) (docs/attestation-report.md, "Hosted"): the task
# asks keel-hosted, which holds the emulated key, over its signer socket;
# the report verifies as the booted one does (tests/system/attest-lib.sh),
# with the measurement given by --launch-digest (here: the booted image's
# igvm-measure digest), else zero. The task itself never has the key: its
# binary and its environment are checked for the scalar.
. "$(dirname "$0")/../system/lib.sh"
. "$KEEL_ROOT/tests/system/attest-lib.sh"
cd "$KEEL_ROOT" || exit 1
for f in "$KEEL_BIN/keel-hosted" "$KEEL_BUILD/hosted/attest" "$KEEL_BIN/igvm-measure"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
manifest=tests/system/attest.manifest
digest=$(for i in $(seq 1 48); do printf '%02x' $(((i * 13) & 255)); done)
timeout 60 "$KEEL_BIN/keel-hosted" --manifest "$manifest" --bin-dir "$KEEL_BUILD/hosted" \
	--launch-digest "$digest" </dev/null >"$TMP/hosted.log" 2>&1
st=$?
check "hosted: keel-hosted exits 0 (status $st)" [ "$st" = 0 ]
check "hosted: the task's checks passed" serial_has "$TMP/hosted.log" "attest: PASSED, 0 failed checks"
attest_verify "$TMP/hosted.log" "$digest" hosted
[ "$st" = 0 ] || tail -n 30 "$TMP/hosted.log" | sed 's/^/# /'

timeout 60 "$KEEL_BIN/keel-hosted" --manifest "$manifest" --bin-dir "$KEEL_BUILD/hosted" \
	</dev/null >"$TMP/zero.log" 2>&1
zero=$(printf '0%.0s' $(seq 1 96))
tr -d '\r' <"$TMP/zero.log" | sed -n 's/.*attest report: \([0-9]*\) \([0-9a-f]*\)$/\1 \2/p' |
	sort -n | cut -d' ' -f2 | tr -d '\n' | xxd -r -p >"$TMP/zero.bin"
check "hosted without --launch-digest: measurement is zero" \
	[ "$(report_hex_at "$TMP/zero.bin" $((0x90)) 48)" = "$zero" ]
key_hex=$(grep -o '0x[0-9a-f][0-9a-f]' kernel/platform/native/emulated_vcek_key.c | tr -d '\n' | sed 's/0x//g')
check "hosted: the task binary does not contain the emulated key" \
	bash -c "! xxd -p '$KEEL_BUILD/hosted/attest' | tr -d '\n' | grep -q '$key_hex'"
check "hosted: keel-hosted rejects a malformed --launch-digest" \
	bash -c "! '$KEEL_BIN/keel-hosted' --manifest $manifest --launch-digest abc </dev/null >/dev/null 2>&1"
plan
