#!/bin/bash
# CPU state a task leaves behind, booted (docs/kernel.md "CPU state on
# entry and switch"). Two boots:
#   cpustate.manifest        tasks set NT, AC, DF, IOPL (popf), load
#                            segment selectors and a foreign FS base, then
#                            spin (timer interrupts), yield, call, reply
#                            and fault; a keeper and spinners check that
#                            their own RFLAGS/MXCSR/FCW/selectors/FS base
#                            never change
#   cpustate-guest.manifest  a protocol service replies to the test guest
#                            with those flags set and faults mid-call;
#                            tasks set TF for one syscall; tasks try DR7,
#                            XSETBV and WRGSBASE
# Checks, in TAP: every check line the tasks and the guest print, each
# task's outcome (kill or exit), no panic (the kernel checks its own RFLAGS
# at every entry and switch) and each boot's status. Ends with the plan;
# exits non-zero on any failure.
# Run alone: tests/system/cpustate-booted.sh (after `make`). KEEL_KERNEL
# boots another kernel build; CPUSTATE_MANIFESTS="a.manifest ..." others.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/hostile/tap.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
kernel=${KEEL_KERNEL:-$KEEL_BUILD/kernel/keel.elf}
manifests=${CPUSTATE_MANIFESTS:-"$KEEL_ROOT/tests/system/cpustate.manifest $KEEL_ROOT/tests/system/cpustate-guest.manifest"}
GUEST_CHECKS=19
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
finish() {
	echo "1..$n"
	[ "$fails" = 0 ]
	exit $?
}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$kernel" \
	"$KEEL_BUILD/tasks/cpustate" "$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || finish
done

# The manifest's tasks running MODE (arg=MODE or arg=MODE:N), by name.
tasks_in() { sed -n "s/^task \([^ ]*\) .*arg=\($2\)\(:[0-9]*\)\?\$/\1/p" "$1"; }

check_boot() {
	local manifest=$1 log=$2 t
	for t in $(tasks_in "$manifest" 'nt\|ac\|df\|iopl'); do
		task_checks "$log" "cpustate $t" || not_ok "$t: printed no checks"
		check "$t: every check passed before its own fault" has "$log" "cpustate $t: PASSED, 0 failed checks"
		check "$t: kernel reports the task faulted" outcome_is "$log" "$t" fault
	done
	for t in $(tasks_in "$manifest" 'tf-yield\|tf-call\|tf-reply'); do
		check "$t: reached the syscall with TF set" has "$log" "cpustate $t: start"
		check "$t: did not survive its own single-step trap" lacks "$log" "cpustate $t: FAIL"
		check "$t: killed by #DB, in ring 3" has "$log" "keel: task '$t' killed: #DB"
		check "$t: kernel reports the task faulted" outcome_is "$log" "$t" fault
	done
	for t in $(tasks_in "$manifest" segs); do
		task_checks "$log" "cpustate $t" || not_ok "$t: printed no checks"
		check "$t: exited 0" outcome_is "$log" "$t" "exit 0"
	done
	for t in $(tasks_in "$manifest" 'dr7\|xsetbv\|wrgsbase'); do
		check "$t: reached the instruction" has "$log" "cpustate $t: start"
		check "$t: did not survive it" lacks "$log" "cpustate $t: FAIL"
		check "$t: kernel reports the task faulted" outcome_is "$log" "$t" fault
	done
	for t in $(tasks_in "$manifest" 'keeper\|spinner'); do
		task_checks "$log" "cpustate $t" || not_ok "$t: printed no verdict"
		check "$t: its own state never changed while the others ran (exit 0)" outcome_is "$log" "$t" "exit 0"
	done
	for t in $(tasks_in "$manifest" service); do
		check "$t: killed by its own fault, mid-call" outcome_is "$log" "$t" fault
	done
	if grep -q "^task .* kind=guest arg=cpustate" "$manifest"; then
		guest_checks "$log"
		check "guest ran all $GUEST_CHECKS checks (saw $guest_seen)" [ "$guest_seen" = "$GUEST_CHECKS" ]
		check "guest exited with status 0" outcome_is "$log" guest "exit 0"
	fi
}

for manifest in $manifests; do
	name=$(basename "$manifest" .manifest)
	igvm=$TMP/$name.igvm
	log=$TMP/$name.serial.log
	build_manifest_igvm "$manifest" "$igvm" "$kernel" || continue
	start=$(date +%s)
	boot_igvm "$log" "$igvm"
	secs=$(($(date +%s) - start))
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/$name.serial.log"
	echo "# $name: boot took ${secs}s (status $BOOT_STATUS, timeout ${BOOT_TIMEOUT}s)"
	check_boot "$manifest" "$log"
	check "$name: the kernel never ran with a task's RFLAGS" lacks "$log" "kernel RFLAGS"
	check "$name: no kernel panic" lacks "$log" "PANIC"
	check "$name: every outcome as expected (boot status 0)" [ "$BOOT_STATUS" = 0 ]
	[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
done
finish
