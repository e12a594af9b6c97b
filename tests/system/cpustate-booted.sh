#!/bin/bash
# CPU state a task leaves behind, booted (tests/system/cpustate.manifest,
# docs/kernel.md "CPU state on entry and switch"). Tasks set NT, AC, DF,
# IOPL (popf) and TF, load segment selectors and a foreign FS base, and
# try DR7, XSETBV and WRGSBASE; each then spins (timer interrupts), yields,
# calls, replies and faults. A protocol service replies to the test guest
# with those flags set. Checks, in TAP: every check line the tasks print,
# each task's outcome (kill or exit), the keeper's verdict on its own
# RFLAGS/MXCSR/FCW/selectors/FS base, the guest's checks, no panic (the
# kernel checks its own RFLAGS at every entry and switch), boot status 0.
# Ends with the TAP plan; exits non-zero on any failure.
# Run alone: tests/system/cpustate-booted.sh (after `make`); KEEL_KERNEL
# boots another kernel build, CPUSTATE_MANIFEST another manifest.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/hostile/tap.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
kernel=${KEEL_KERNEL:-$KEEL_BUILD/kernel/keel.elf}
manifest=${CPUSTATE_MANIFEST:-$KEEL_ROOT/tests/system/cpustate.manifest}
GUEST_CHECKS=19
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
finish() { echo "1..$n"; [ "$fails" = 0 ]; exit $?; }

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$kernel" \
	"$KEEL_BUILD/tasks/cpustate" "$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || finish
done

igvm=$TMP/cpustate.igvm
log=$TMP/serial.log
build_manifest_igvm "$manifest" "$igvm" "$kernel" || finish
start=$(date +%s)
boot_igvm "$log" "$igvm"
secs=$(($(date +%s) - start))
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/cpustate-booted.serial.log"
echo "# boot took ${secs}s (status $BOOT_STATUS, timeout ${BOOT_TIMEOUT}s)"

# Only the tasks the manifest names (a reduced manifest checks a subset).
in_manifest() { grep -q "^task $1 " "$manifest"; }

for m in nt ac df iopl; do
	in_manifest "c-$m" || continue
	p="cpustate $m"
	task_checks "$log" "$p" || not_ok "$p: printed no checks"
	check "$p: every check passed before its fault" has "$log" "$p: PASSED, 0 failed checks"
	check "$p: kernel reports the task faulted" outcome_is "$log" "c-$m" fault
done
for m in tf-yield tf-call tf-reply; do
	in_manifest "c-$m" || continue
	p="cpustate $m"
	check "$p: reached the syscall with TF set" has "$log" "$p: start"
	check "$p: did not survive its own single-step trap" lacks "$log" "$p: FAIL"
	check "$p: killed by #DB, in ring 3" has "$log" "keel: task 'c-$m' killed: #DB"
	check "$p: kernel reports the task faulted" outcome_is "$log" "c-$m" fault
done
if in_manifest c-segs; then
	task_checks "$log" "cpustate segs" || not_ok "cpustate segs: printed no checks"
	check "cpustate segs: exited 0" outcome_is "$log" c-segs "exit 0"
fi
for m in dr7 xsetbv wrgsbase; do
	in_manifest "c-$m" || continue
	p="cpustate $m"
	check "$p: reached the instruction" has "$log" "$p: start"
	check "$p: did not survive it" lacks "$log" "$p: FAIL"
	check "$p: kernel reports the task faulted" outcome_is "$log" "c-$m" fault
done
if in_manifest keeper; then
	task_checks "$log" "cpustate keeper" || not_ok "cpustate keeper: printed no verdict"
	check "keeper: its state never changed while the others ran (exit 0)" outcome_is "$log" keeper "exit 0"
fi
if in_manifest guest; then
	seen=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"[guest] ok "*) ok "guest: ${line#\[guest\] ok [0-9]* - }" ;;
		"[guest] not ok "*) not_ok "guest: ${line#\[guest\] not ok [0-9]* - }" ;;
		*) continue ;;
		esac
		seen=$((seen + 1))
	done < <(grep -a '^\[guest\] \(not \)\?ok ' "$log")
	check "guest ran all $GUEST_CHECKS checks (saw $seen)" [ "$seen" = "$GUEST_CHECKS" ]
	check "guest exited with status 0" outcome_is "$log" guest "exit 0"
	check "the service was killed by its own fault" outcome_is "$log" c-service fault
fi
check "the kernel never ran with a task's RFLAGS" lacks "$log" "kernel RFLAGS"
check "no kernel panic" lacks "$log" "panic"
check "the kernel reports every outcome as expected (boot status 0)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 60
finish
