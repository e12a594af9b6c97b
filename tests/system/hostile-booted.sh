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

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/hostile" "$KEEL_BUILD/tasks/victim"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/hostile.igvm
log=$TMP/serial.log
if ! "$KEEL_BIN/igvm-build" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/hostile.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of hostile.manifest"
	show "$TMP/igvm-build.log"
	exit 1
fi
ok "igvm-build of hostile.manifest"

start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
echo "# boot took ${secs}s (status $BOOT_STATUS, timeout ${BOOT_TIMEOUT}s)"

# The kernel's outcome line for a task names it and its outcome.
outcome_is() { # LOG TASK WORD
	tr -d '\r' <"$1" | grep -E -- "(^|[^a-z0-9-])$2([^a-z0-9-]|\$)" | grep -qiE -- "$3"
}

for mode in $HOSTILE_FATAL_MODES; do
	p="hostile $mode"
	check "$p: reached the attack" has "$log" "$p: start"
	check "$p: did not survive it" lacks "$log" "$p: FAIL"
	check "$p: kernel reports the task faulted" outcome_is "$log" "h-$mode" "fault|kill"
done
for mode in $HOSTILE_CHECKED_MODES write-victim; do
	task_checks "$log" "hostile $mode" || not_ok "hostile $mode: printed no checks"
done
for mode in $HOSTILE_CHECKED_MODES; do
	check "hostile $mode: every check passed and it exited" \
		has "$log" "hostile $mode: PASSED, 0 failed checks"
done
check "hostile write-victim: attacked the victim" has "$log" "hostile write-victim: start"
task_checks "$log" "victim" || not_ok "victim: printed no verdict"
check "victim: secret intact after every hostile ended" \
	has "$log" "victim: ok - secret intact after every hostile ended"
check "the kernel reports every outcome as expected (boot status 0)" [ "$BOOT_STATUS" = 0 ]

[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 80
