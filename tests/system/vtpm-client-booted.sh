#!/bin/bash
# The vtpm booted: an IGVM with vtpm + vtpm-client (tests/system/vtpm-client.manifest).
# The vtpm manufactures the TPM in memory at start (EKs, EK certificates
# signed by an in-memory CA); the client checks SVSM statuses, Startup,
# GetRandom, both EK certificates (read from NV, verified against the CA
# certificate in NV 0x01c00100 and against a fresh CreatePrimary), and the
# platform signals. Both tasks must exit 0.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/vtpm-client"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/vtpm-client.igvm
log=$TMP/serial.log
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/vtpm-client.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of vtpm-client.manifest"
	show "$TMP/igvm-build.log"
	exit 1
fi
ok "igvm-build of vtpm-client.manifest"

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
echo "# booted vtpm + vtpm-client: ${secs}s under ${KEEL_QEMU_ACCEL:-tcg} (status $BOOT_STATUS)"
grep 'vtpm' "$log" | sed 's/^/# /'

check "booted: TPM manufactured and provisioned" serial_has "$log" "vtpm: TPM manufactured and provisioned"
check "booted: RSA EK certificate in NV" serial_has "$log" "EK RSA-2048 certificate"
check "booted: client Startup(CLEAR)" serial_has "$log" "vtpm-client: ok TPM2_Startup(CLEAR)"
check "booted: client GetRandom" serial_has "$log" "vtpm-client: ok TPM2_GetRandom(32)"
check "booted: RSA EK cert verifies with the NV CA" \
	serial_has "$log" "vtpm-client: ok RSA-2048 EK certificate verifies with the NV CA certificate"
check "booted: RSA EK matches CreatePrimary" \
	serial_has "$log" "vtpm-client: ok RSA-2048 EK from CreatePrimary matches the certificate"
check "booted: ECC EK matches CreatePrimary" \
	serial_has "$log" "vtpm-client: ok ECC P-256 EK from CreatePrimary matches the certificate"
check "booted: all client checks passed" serial_has "$log" "vtpm-client: 23 checks, 23 passed, 0 failed"
check "boot ended with success (both tasks exited 0)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
plan
[ "$BOOT_STATUS" = 0 ]
