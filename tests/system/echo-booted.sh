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
kernel=${KEEL_KERNEL:-$KEEL_BUILD/kernel/keel.elf} # another kernel build, for bisecting

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$kernel" \
	"$KEEL_BUILD/tasks/echo-server" "$KEEL_BUILD/tasks/echo-client"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/echo.igvm
log=$TMP/serial.log
build_manifest_igvm "$KEEL_ROOT/tests/system/echo.manifest" "$igvm" "$kernel" || exit 1

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/echo-booted.serial.log"
echo "# 10000 booted echo round trips: boot took ${secs}s under ${KEEL_QEMU_ACCEL:-tcg} (status $BOOT_STATUS)"

check "echo-client: 10000 round trips, all verified byte for byte" \
	has "$log" "10000 round trips, 10000 verified, 0 mismatched"
check "echo-client: payloads up to 64 KiB" has "$log" "payloads 0..65536 bytes"
tr -d '\r' <"$log" | grep -a "round trips," | sed 's/^/# /'
check "kernel: echo-client outcome exit 0" outcome_is "$log" echo-client "exit 0"
check "kernel: echo-server outcome exit 0" outcome_is "$log" echo-server "exit 0"
check "boot ended with success (every outcome as expected)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
plan
