#!/bin/bash
# Isolation, booted: a victim and fourteen hostile tasks (tests/system/
# hostile.manifest) in one boot. Checks, in TAP: every check line the
# tasks print (each syscall's error code, the victim's verdict), that each
# fatal attack printed its "about to" line and was killed (the kernel's
# per-task outcome line), that no fatal attack survived, that each checked
# mode finished with all checks passed, and that the kernel ended the boot
# with success (every outcome matched its manifest expect=).
# Run alone: tests/system/hostile-booted.sh (after `make`).
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/hostile/tap.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
kernel=${KEEL_KERNEL:-$KEEL_BUILD/kernel/keel.elf} # another kernel build, for bisecting

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$kernel" \
	"$KEEL_BUILD/tasks/hostile" "$KEEL_BUILD/tasks/victim"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/hostile.igvm
log=$TMP/serial.log
build_manifest_igvm "$KEEL_ROOT/tests/system/hostile.manifest" "$igvm" "$kernel" || exit 1

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/hostile-booted.serial.log"
echo "# boot took ${secs}s (status $BOOT_STATUS, timeout ${BOOT_TIMEOUT}s)"


for mode in $HOSTILE_FATAL_MODES; do
	p="hostile $mode"
	check "$p: reached the attack" has "$log" "$p: start"
	check "$p: did not survive it" lacks "$log" "$p: FAIL"
	check "$p: kernel reports the task faulted" outcome_is "$log" "h-$mode" fault
done
for mode in $HOSTILE_CHECKED_MODES write-victim; do
	task_checks "$log" "hostile $mode" || not_ok "hostile $mode: printed no checks"
done
for mode in $HOSTILE_CHECKED_MODES; do
	check "hostile $mode: every check passed and it exited" \
		has "$log" "hostile $mode: PASSED, 0 failed checks"
done
# The exhaust-mem task's manifest limit is 2 MiB (image, stack and heap).
kib=$(tr -d '\r' <"$log" | sed -n 's/.*hostile exhaust-mem: mapped \([0-9]*\) KiB before.*/\1/p' | head -n 1)
check "hostile exhaust-mem: mapped ${kib:-?} KiB, within its 2 MiB limit" [ "${kib:-99999}" -lt 2048 ]
# keel_time must not run faster than the host's clock: the ticker's
# elapsed time lies within the whole boot's wall time (+2 s of rounding).
tick_ms=$(tr -d '\r' <"$log" | sed -n 's/.*hostile tick: [0-9]* ticks in \([0-9]*\) ms.*/\1/p' | head -n 1)
check "keel_time: ticker's ${tick_ms:-?} ms fit in the boot's ${secs} s of wall time" \
	[ "${tick_ms:-999999999}" -le $(((secs + 2) * 1000)) ]
check "hostile write-victim: attacked the victim" has "$log" "hostile write-victim: start"
task_checks "$log" "victim" || not_ok "victim: printed no verdict"
check "victim: secret intact after every hostile ended" \
	has "$log" "victim: ok - secret intact after every hostile ended"
check "the kernel reports every outcome as expected (boot status 0)" [ "$BOOT_STATUS" = 0 ]

[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 80
plan
