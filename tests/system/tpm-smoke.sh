#!/bin/bash
# tpm-smoke: libtpms.a + libcrypto.a linked against libc/ run as a task.
# The hosted build (glibc, libtpms.so) runs first on Linux; then an IGVM
# with tests/system/tpm-smoke.manifest boots under QEMU and must end with
# success (the task exited 0: Startup, GetRandom(16) and an RSA-2048
# CreatePrimary all answered TPM_RC_SUCCESS with sane sizes). RSA key
# generation under TCG is slow, so the boot timeout is generous.
# Run alone: tests/system/tpm-smoke.sh (after `make`).
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}

hosted_log=$TMP/hosted.log
if need "$KEEL_BUILD/hosted/tpm-smoke" "hosted tpm-smoke"; then
	if "$KEEL_BUILD/hosted/tpm-smoke" >"$hosted_log" 2>&1; then
		ok "hosted tpm-smoke exits 0"
	else
		not_ok "hosted tpm-smoke exits 0"
		show "$hosted_log"
	fi
	check "hosted: CreatePrimary returned a 2048-bit modulus" serial_has "$hosted_log" "modulus=256 bytes"
fi

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/tpm-smoke"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/tpm-smoke.igvm
log=$TMP/serial.log
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/tpm-smoke.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of tpm-smoke.manifest"
	show "$TMP/igvm-build.log"
	exit 1
fi
ok "igvm-build of tpm-smoke.manifest"

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
echo "# booted tpm-smoke: ${secs}s under ${KEEL_QEMU_ACCEL:-tcg} (status $BOOT_STATUS)"

check "booted: TPM2_Startup succeeded" serial_has "$log" "TPM2_Startup(SU_CLEAR): rc=TPM_RC_SUCCESS"
check "booted: TPM2_GetRandom(16) succeeded" serial_has "$log" "TPM2_GetRandom(16): rc=TPM_RC_SUCCESS, 28"
check "booted: CreatePrimary returned a 2048-bit modulus" serial_has "$log" "modulus=256 bytes"
check "booted: task reports all commands succeeded" serial_has "$log" "tpm-smoke: all commands succeeded"
check "boot ended with success (tpm-smoke exited 0)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
plan
[ "$BOOT_STATUS" = 0 ]
