#!/bin/bash
# The test guest's selftest against the booted vtpm (tests/system/svsm-guest.manifest,
# docs/guest.md): real SVSM calls through the emulated VMPL switch. One TAP
# line per guest check (from its "[guest] ok/not ok" serial lines), then the
# guest's summary, the ways VMGEXIT was caught, and the boot's exit status.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
EXPECTED_CHECKS=25

lacks() { ! grep -aqF -- "$2" "$1"; }

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/svsm-guest.igvm
log=$TMP/serial.log
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/svsm-guest.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of svsm-guest.manifest"
	show "$TMP/igvm-build.log"
	exit 1
fi
ok "igvm-build of svsm-guest.manifest"

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
echo "# booted vtpm + test guest (selftest): ${secs}s under ${KEEL_QEMU_ACCEL:-tcg} (status $BOOT_STATUS)"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/svsm-guest.serial.log"

# Each guest check as its own TAP line (a "# SKIP" directive is kept).
guest_checks "$log"

check "guest ran all $EXPECTED_CHECKS checks (saw $guest_seen)" [ "$guest_seen" = "$EXPECTED_CHECKS" ]
check "guest summary: every check passed" \
	serial_has "$log" "[guest] selftest: $EXPECTED_CHECKS checks, $EXPECTED_CHECKS passed, 0 failed"
check "guest exited with status 0 (HLT with RAX=0)" kernel_says "$log" "keel: task 'guest' exited with status 0"
grep -a "exit (HLT)" "$log" | sed 's/^/# /'
check "VMGEXIT caught by single-stepping after the VMPL request (the KVM path)" \
	grep -aqE "single-step [1-9][0-9]*," "$log"
check "no kernel panic" lacks "$log" "panic"
check "boot ended with success (status 0)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
plan
[ "$BOOT_STATUS" = 0 ] && [ "$guest_seen" = "$EXPECTED_CHECKS" ]
