#!/bin/bash
# tpm-smoke: libtpms.a + libcrypto.a linked against libc/ run as a task.
# The hosted build (glibc, libtpms.so) runs first on Linux; then an IGVM
# with tests/system/tpm-smoke.manifest boots under QEMU and must end with
# success (the task exited 0: Startup, four GetRandom(32) and an RSA-2048
# CreatePrimary all answered TPM_RC_SUCCESS with sane sizes). RSA key
# generation under TCG is slow, so the boot timeout is generous. It boots
# twice: the GetRandom answers of the two boots (and of the hosted run)
# must all differ, as must the four within each run.
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
	check "hosted: four distinct GetRandom answers, bits balanced" sh -c \
		"[ \$(grep -c 'GetRandom bytes:' '$hosted_log') = 4 ] && ! grep -q 'GetRandom: bit balance off\\|are the same' '$hosted_log'"
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

# GetRandom answers (one a line) of a log.
randoms() { tr -d '\r\000' <"$1" | sed -n 's/.*tpm-smoke: GetRandom bytes: \([0-9a-f]*\)$/\1/p'; }
# Two boots: the same task, the same (fresh) TPM state, so only the
# platform's entropy can make their GetRandom answers differ.
for b in 1 2; do
	log=$TMP/serial$b.log
	start=$(date +%s)
	boot_igvm "$log" "$igvm"
	secs=$(($(date +%s) - start))
	echo "# booted tpm-smoke $b: ${secs}s under ${KEEL_QEMU_ACCEL:-tcg} (status $BOOT_STATUS)"
	check "boot $b: TPM2_Startup succeeded" serial_has "$log" "TPM2_Startup(SU_CLEAR): rc=TPM_RC_SUCCESS"
	check "boot $b: four TPM2_GetRandom(32) succeeded, distinct, bits balanced" sh -c \
		"[ \$(grep -c 'TPM2_GetRandom(32): rc=TPM_RC_SUCCESS, 44' '$log') = 4 ] && grep -q 'of 1024 bits set' '$log' && ! grep -q 'GetRandom: bit balance off\\|are the same' '$log'"
	check "boot $b: CreatePrimary returned a 2048-bit modulus" serial_has "$log" "modulus=256 bytes"
	check "boot $b: task reports all commands succeeded" serial_has "$log" "tpm-smoke: all commands succeeded"
	check "boot $b ended with success (tpm-smoke exited 0)" [ "$BOOT_STATUS" = 0 ]
	[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
done
randoms "$TMP/serial1.log" >"$TMP/r1"
randoms "$TMP/serial2.log" >"$TMP/r2"
randoms "$hosted_log" >"$TMP/rh"
sed 's/^/# boot 1 GetRandom: /' "$TMP/r1"
sed 's/^/# boot 2 GetRandom: /' "$TMP/r2"
check "each boot printed 4 GetRandom answers" sh -c "[ \$(grep -c . '$TMP/r1') = 4 ] && [ \$(grep -c . '$TMP/r2') = 4 ]"
check "no GetRandom answer of one boot appears in the other (nor in the hosted run)" sh -c \
	"[ \$(sort '$TMP/r1' '$TMP/r2' '$TMP/rh' | uniq -d | grep -c .) = 0 ]"
plan
[ "$BOOT_STATUS" = 0 ]
