#!/bin/bash
# keel-qemu itself: exit-status mapping, timeout, QEMU start-up failures,
# COM2, the disk/net options on both machines, --net-forward. A tiny multiboot kernel
# (fixtures/exit-kernel.asm) stands in for the shim (KEEL_SHIM) and does
# what its command line (--append) says; the "IGVM file" is only passed on.
. "$(dirname "$0")/lib.sh"

need "$KEEL_BIN/keel-qemu" "keel-qemu (make)" || exit 1
need "$KEEL_BUILD/tests/system/exit-kernel.elf" "the exit-kernel fixture (make)" || exit 1
export KEEL_SHIM=$KEEL_BUILD/tests/system/exit-kernel.elf
module=$KEEL_ROOT/tests/system/fixtures/fixture-task.txt

# status_is WANT APPEND [keel-qemu options...]
status_is() {
	local want=$1 append=$2
	shift 2
	BOOT_TIMEOUT=${T:-30} boot_igvm "$TMP/run.log" "$module" --append "$append" "$@"
	[ "$BOOT_STATUS" -eq "$want" ] || { show "$TMP/run.log"; return 1; }
}

check "debug-exit 0 -> status 0" status_is 0 exit=0
check "serial console reaches stdout" serial_has "$TMP/run.log" "exit-kernel 0"
check "debug-exit 1 -> status 1" status_is 1 exit=1
check "debug-exit 5 -> QEMU's status 11" status_is 11 exit=5
check "triple fault -> status 2, never success" status_is 2 fault
check "triple fault is explained" serial_has "$TMP/run.log" "without isa-debug-exit"
T=2 check "hung guest -> status 124 after --timeout" status_is 124 hang
check "timeout is explained" serial_has "$TMP/run.log" "keel-qemu: timeout"
check "QEMU start-up failure -> 125, not success" status_is 125 exit=0 --qemu-arg -no-such-option
check "start-up failure is explained" serial_has "$TMP/run.log" "QEMU failed to start"
check "missing IGVM file -> 125" sh -c "'$KEEL_BIN/keel-qemu' --tcg '$TMP/none.igvm' >/dev/null 2>&1; [ \$? -eq 125 ]"
check "unknown option -> 125" sh -c "'$KEEL_BIN/keel-qemu' --frobnicate '$module' >/dev/null 2>&1; [ \$? -eq 125 ]"

check "--serial2: guest writes reach COM2's chardev" \
	status_is 0 com2 --serial2 "file,path=$TMP/com2.log"
check "COM2 file holds the guest's line" serial_has "$TMP/com2.log" "com2 hello"

truncate -s 1M "$TMP/disk.img"
for m in microvm q35; do
	check "$m: QEMU accepts --disk and --net" \
		status_is 0 exit=0 --machine "$m" --disk "$TMP/disk.img" --net ""
done
"$KEEL_BIN/keel-qemu" --dry-run --disk "$TMP/disk.img" --net "" "$module" >"$TMP/cmd.txt"
check "microvm: virtio-blk and virtio-net on virtio-mmio" \
	sh -c "grep -q 'virtio-blk-device' '$TMP/cmd.txt' && grep -q 'virtio-net-device' '$TMP/cmd.txt'"
check "user networking is restricted" grep -q 'restrict=on' "$TMP/cmd.txt"
check "isa-debug-exit at 0xf4, no reboot" \
	sh -c "grep -q 'isa-debug-exit' '$TMP/cmd.txt' && grep -q -- '-no-reboot' '$TMP/cmd.txt'"
# --net-forward GPORT:HPORT (D22): restrict=on plus one guestfwd relay.
"$KEEL_BIN/keel-qemu" --dry-run --net-forward 443:8443 --net ipv6=off "$module" >"$TMP/fwd.txt"
check "--net-forward: restricted user networking, --net's options kept" \
	sh -c "grep -q 'restrict=on\\\\,ipv6=off' '$TMP/fwd.txt'"
check "--net-forward: 10.0.2.100:443 relayed by busybox nc to 127.0.0.1:8443" \
	sh -c "grep -q 'guestfwd=tcp:10.0.2.100:443-cmd:[^ ]*busybox\\\\ nc\\\\ 127.0.0.1\\\\ 8443' '$TMP/fwd.txt'"
check "--net-forward: QEMU accepts the rule" status_is 0 exit=0 --net-forward 443:8443
for bad in 443 443:x :8443 0:8443 443:65536 "443:84 43"; do
	check "--net-forward '$bad' -> 125" sh -c "'$KEEL_BIN/keel-qemu' --dry-run --net-forward '$bad' '$module' >/dev/null 2>&1; [ \$? -eq 125 ]"
done
check "--net-forward with --net-host-loopback -> 125" \
	sh -c "'$KEEL_BIN/keel-qemu' --dry-run --net-forward 1:2 --net-host-loopback '$module' >/dev/null 2>&1; [ \$? -eq 125 ]"
KEEL_QEMU_ACCEL=tcg "$KEEL_BIN/keel-qemu" --dry-run "$module" >"$TMP/tcg.txt"
check "KEEL_QEMU_ACCEL=tcg forces TCG with -cpu max" \
	sh -c "grep -q -- '-accel tcg -cpu max' '$TMP/tcg.txt'"
"$KEEL_BIN/keel-qemu" --dry-run --machine q35 --disk "$TMP/disk.img" "$module" >"$TMP/q35.txt"
check "q35: virtio-blk on PCI" grep -q 'virtio-blk-pci' "$TMP/q35.txt"
plan
