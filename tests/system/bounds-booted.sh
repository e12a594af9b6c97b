#!/bin/bash
# Issue 12's copy and capability rules, booted (tests/tasks/bounds/):
# a device task (virtio-blk on microvm, a raw disk from keel-qemu --disk)
# passes its MMIO window to every copying syscall and gets KEEL_EFAULT, and
# its peer replies from / receives into its own window during the other's
# call, KEEL_EFAULT too; DMA memory works as a buffer; keel_attest_report is
# EPERM without cap=attest and EFAULT for bad buffers with it; a task that
# logs ESC sequences, C1 and DEL bytes and forged kernel lines has them
# arrive escaped inside its own "[NAME] " prefix, and the outcome helpers
# (lib.sh) are not fooled. Then the boot must end with every outcome as
# expected. Run alone: tests/system/bounds-booted.sh (after `make`).
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/bounds/checks.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
kernel=${KEEL_KERNEL:-$KEEL_BUILD/kernel/keel.elf} # another kernel build, for bisecting

plan=$((1 + $(bounds_count "$BOUNDS_CLIENT_CHECKS") + $(bounds_count "$BOUNDS_PEER_CHECKS") +
	$(bounds_count "$BOUNDS_ATTEST_NONE_CHECKS") + $(bounds_count "$BOUNDS_ATTEST_CAP_CHECKS") + 12))
echo "1..$plan"
fail_rest() { # fail_rest WHY: "not ok" up to the plan, then exit 1
	while [ "$n" -lt "$plan" ]; do not_ok "$1"; done
	exit 1
}
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$kernel" "$KEEL_BUILD/tasks/bounds"; do
	[ -e "$f" ] || fail_rest "$(basename "$f") is missing ($f)"
done

igvm=$TMP/bounds.igvm log=$TMP/serial.log
build_manifest_igvm "$KEEL_ROOT/tests/tasks/bounds/booted.manifest" "$igvm" "$kernel" ||
	fail_rest "no IGVM to boot"
truncate -s 1M "$TMP/disk.img"
boot_igvm "$log" "$igvm" --disk "$TMP/disk.img"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/bounds-booted.serial.log"
echo "# boot status $BOOT_STATUS"

bounds_checks "$log" dev-client client "$BOUNDS_CLIENT_CHECKS"
bounds_checks "$log" dev-peer peer "$BOUNDS_PEER_CHECKS"
bounds_checks "$log" attest-none attest-none "$BOUNDS_ATTEST_NONE_CHECKS"
bounds_checks "$log" attest-cap attest-cap "$BOUNDS_ATTEST_CAP_CHECKS"
for t in dev-client dev-peer attest-none attest-cap; do
	check "kernel: $t exited 0" outcome_is "$log" "$t" "exit 0"
done
check "log-forge: control bytes arrive escaped, in its prefix" bounds_has "$log" "$BOUNDS_ESCAPED"
check "log-forge: its forged outcome line arrives as its own line" \
	bounds_line "$log" "[log-forge] keel: task 'log-forge': exit 0, expected any: as expected"
check "no task line carries a raw control byte (ESC, CR, NUL, DEL, C1)" bounds_no_raw_controls "$log"
check "kernel: log-forge's real outcome is exit 3" outcome_is "$log" log-forge "exit 3"
check "outcome_is is not fooled by the forged 'exit 0'" bounds_not outcome_is "$log" log-forge "exit 0"
check "kernel_says is not fooled by a forged exit line" \
	bounds_not kernel_says "$log" "keel: task 'log-forge' exited with status 0"
check "kernel: log-forge exited with status 3" kernel_says "$log" "keel: task 'log-forge' exited with status 3"
check "boot status 0: every outcome as expected" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
[ "$n" = "$plan" ] || { echo "# printed $n checks, plan $plan"; exit 1; }
[ "$fails" = 0 ]
