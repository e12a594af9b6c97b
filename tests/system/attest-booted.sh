#!/bin/bash
# keel_attest_report booted (docs/attestation-report.md): a task with
# cap=attest gets the kernel's emulated SEV-SNP report and prints it; the
# host verifies it with openssl against the committed emulated chain, and
# its measurement must be igvm-measure's digest of the booted image (which
# keel-qemu handed to the kernel through fw_cfg). Then a boot with
# --launch-digest none: measurement zero. EPERM/EFAULT: tests/system/bounds-booted.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attest-lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/igvm-measure" "$KEEL_BUILD/tasks/attest"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
igvm=$TMP/attest.igvm log=$TMP/serial.log
build_manifest_igvm "$KEEL_ROOT/tests/system/attest.manifest" "$igvm" || { plan; exit 1; }
digest=$("$KEEL_BIN/igvm-measure" "$igvm" 2>/dev/null)
boot_igvm "$log" "$igvm"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/attest-booted.serial.log"
check "booted: keel-qemu exits 0 (status $BOOT_STATUS)" [ "$BOOT_STATUS" = 0 ]
check "booted: the task's checks passed" serial_has "$log" "attest: PASSED, 0 failed checks"
check "booted: task 'attest' exits as expected" outcome_is "$log" attest "exit 0"
attest_verify "$log" "$digest" booted
[ "$BOOT_STATUS" = 0 ] || tr -d '\r' <"$log" | tail -n 30 | sed 's/^/# /'

boot_igvm "$log" "$igvm" --launch-digest none
attest_verify_zero() {
	local z
	z=$(printf '0%.0s' $(seq 1 96))
	tr -d '\r' <"$log" | sed -n 's/.*attest report: \([0-9]*\) \([0-9a-f]*\)$/\1 \2/p' |
		sort -n | cut -d' ' -f2 | tr -d '\n' | xxd -r -p >"$TMP/r0.bin"
	[ "$(xxd -p -s $((0x90)) -l 48 "$TMP/r0.bin" | tr -d '\n')" = "$z" ]
}
check "no digest from the host: the kernel says so" kernel_says "$log" "keel: attest: no launch digest"
check "no digest from the host: measurement is zero" attest_verify_zero
plan
