#!/bin/bash
# The ABI, booted: the conformance tasks of tests/tasks/hosted-abi
# (abi.manifest, the manifest tests/hosted/hosted-abi.sh runs under
# keel-hosted) in one boot. Every PASS/FAIL line becomes one TAP line; then
# the count must be ABI_CHECKS (tests/tasks/hosted-abi/checks.sh), the same
# as hosted, and the checks must be the very ones a keel-hosted run of the
# same manifest reports (names compared one for one, per-mode suffixes
# aside); the faulting server is a fault, and every outcome as expected.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/hosted-abi/checks.sh"
manifest=$KEEL_ROOT/tests/tasks/hosted-abi/abi.manifest
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BIN/keel-hosted" \
	"$KEEL_BUILD/tasks/abi-client" "$KEEL_BUILD/tasks/abi-server" \
	"$KEEL_BUILD/hosted/abi-client" "$KEEL_BUILD/hosted/abi-server"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}
log=$TMP/abi.serial.log
build_manifest_igvm "$manifest" "$TMP/abi.igvm" || { plan; exit 1; }
boot_igvm "$log" "$TMP/abi.igvm"
cp "$log" "$KEEL_BUILD/test-logs/abi-booted.serial.log" 2>/dev/null

abi_tap "$log"
check "booted: $ABI_CHECKS checks, as hosted (got $abi_count)" [ "$abi_count" -eq "$ABI_CHECKS" ]
check "booted: the server that dies holding a call is a fault, as expected" \
	outcome_is "$log" death-server "fault"
check "booted: 14 tasks, 14 as expected" kernel_says "$log" "keel: 14 tasks, 14 as expected, 0 unexpected"
check "booted: crossing calls both wait for good, neither returns" abi_crossed "$log"
check "booted: keel-qemu exits 0 (status $BOOT_STATUS)" [ "$BOOT_STATUS" = 0 ]

# The same manifest hosted: the same checks, one for one.
timeout 120 "$KEEL_BIN/keel-hosted" --manifest "$manifest" --bin-dir "$KEEL_BUILD/hosted" \
	</dev/null >"$TMP/hosted.log" 2>&1
abi_names "$log" >"$TMP/booted.names"
abi_names "$TMP/hosted.log" >"$TMP/hosted.names"
check "hosted: $ABI_CHECKS checks too ($(wc -l <"$TMP/hosted.names"))" \
	[ "$(wc -l <"$TMP/hosted.names")" -eq "$ABI_CHECKS" ]
check "booted and hosted report the same checks" cmp -s "$TMP/booted.names" "$TMP/hosted.names"
check "hosted: crossing calls both wait for good too" abi_crossed "$TMP/hosted.log"
cmp -s "$TMP/booted.names" "$TMP/hosted.names" ||
	diff "$TMP/booted.names" "$TMP/hosted.names" | sed 's/^/# /'
[ "$BOOT_STATUS" = 0 ] && [ "$abi_count" -eq "$ABI_CHECKS" ] || tr -d '\r\000' <"$log" | grep -v '] PASS ' | tail -n 40 | sed 's/^/# /'
plan
