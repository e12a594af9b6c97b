#!/bin/bash
# Booted echo: apps/echo's client makes 10,000 round trips with payloads
# 0..64 KiB to the server inside the booted kernel and checks every reply
# byte for byte (tests/system/echo.manifest). Passes when the boot ends
# with success (both tasks exited 0, as their manifest expects), the kernel
# reports both outcomes, and the client reports its round trips. Prints how
# long the boot took (TCG unless KEEL_QEMU_ACCEL=kvm).
# Run alone: tests/system/echo-booted.sh (after `make`).
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/hostile/tap.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/echo-server" "$KEEL_BUILD/tasks/echo-client"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/echo.igvm
log=$TMP/serial.log
if ! "$KEEL_BIN/igvm-build" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/echo.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of echo.manifest"
	show "$TMP/igvm-build.log"
	exit 1
fi
ok "igvm-build of echo.manifest"

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
echo "# 10000 booted echo round trips: boot took ${secs}s under ${KEEL_QEMU_ACCEL:-tcg} (status $BOOT_STATUS)"

outcome_is() { # LOG TASK WORD
	tr -d '\r' <"$1" | grep -E -- "(^|[^a-z0-9-])$2([^a-z0-9-]|\$)" | grep -qiE -- "$3"
}
check "echo-client: reports 10000 round trips" has "$log" "10000"
check "echo-client: no mismatch reported" lacks "$log" "mismatch"
check "kernel: echo-client outcome exit 0" outcome_is "$log" echo-client "exit(ed)?[ (=:]*0"
check "kernel: echo-server outcome reported" outcome_is "$log" echo-server "exit|fault"
check "boot ended with success (every outcome as expected)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
