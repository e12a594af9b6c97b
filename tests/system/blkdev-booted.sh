#!/bin/bash
# The booted block driver (apps/blkdev: virtio-blk over virtio-mmio,
# completions by interrupt): blk-client writes, reads back, flushes and
# sends malformed and out-of-range requests (tests/system/blkdev.manifest)
# on keel-qemu --disk; the image is checked on the host after QEMU exits,
# and blkdev's counters show interrupts were taken. Then the interrupt
# syscalls' error cases (tests/system/blkdev-irq.manifest), and blkdev
# without a disk (every request BLK_ENODEV).
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
img=$KEEL_ROOT/tests/hosted/blkdev-image.py

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/blkdev" "$KEEL_BUILD/tasks/blk-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }

build_manifest_igvm "$KEEL_ROOT/tests/system/blkdev.manifest" "$TMP/blk.igvm" || { plan; exit 1; }
"$img" make "$TMP/disk.img" 512 0
boot_igvm "$TMP/serial.log" "$TMP/blk.igvm" --disk "$TMP/disk.img"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/serial.log" "$KEEL_BUILD/test-logs/blkdev-booted.serial.log"
tr -d '\r' <"$TMP/serial.log" | grep -a "blkdev\|blk-client: [0-9]\|FAIL\|keel: task" | sed 's/^/# /'
check "boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "blkdev found virtio-blk: 512 blocks, write cache, interrupt" \
	has "$TMP/serial.log" "blkdev: virtio-blk: 512 blocks of 4096 bytes, write cache (FLUSH), completions by interrupt"
check "blk-client: all 38 checks passed" has "$TMP/serial.log" "blk-client: 38 checks, 0 failed"
check "kernel: blk-client exit 0" outcome_is "$TMP/serial.log" blk-client "exit 0"
check "kernel: blkdev exit 0 (the client left)" outcome_is "$TMP/serial.log" blkdev "exit 0"
check "the image holds exactly what was written (checked on the host)" \
	"$img" check "$TMP/disk.img" 0:1:1 1:2:2 3:2:4 5:11:2 511:1:3
check "the image is still 2 MiB" [ "$(stat -c %s "$TMP/disk.img")" -eq 2097152 ]
counters=$(tr -d '\r' <"$TMP/serial.log" | grep -ao "virtio-blk: [0-9]* requests, [0-9]* interrupts, [0-9]* polls")
echo "# $counters"
set -- $counters
check "blkdev sent 11 requests to the device (4 writes, 6 reads, 1 flush)" [ "${2:-0}" -eq 11 ]
check "every completion came by interrupt (interrupts > 0)" [ "${4:-0}" -gt 0 ]
check "no polling" [ "${6:-1}" -eq 0 ]
check "blkdev counted 24 refused requests" has "$TMP/serial.log" "(24 refused)"

# A disk that fails reads of block 100 (sector 800), writes of block 101
# and every flush (QEMU blkdebug): IOERR from the device is BLK_EIO.
build_manifest_igvm "$KEEL_ROOT/tests/system/blkdev-ioerr.manifest" "$TMP/ioerr.igvm" || { plan; exit 1; }
"$img" make "$TMP/err.img" 512 0
errdrive="if=none,id=errdisk,format=raw,file.driver=blkdebug,file.image.driver=file"
errdrive="$errdrive,file.image.filename=$TMP/err.img"
errdrive="$errdrive,file.inject-error.0.event=read_aio,file.inject-error.0.errno=5,file.inject-error.0.sector=800"
errdrive="$errdrive,file.inject-error.1.event=write_aio,file.inject-error.1.errno=5,file.inject-error.1.sector=808"
errdrive="$errdrive,file.inject-error.2.event=flush_to_disk,file.inject-error.2.errno=5"
boot_igvm "$TMP/ioerr.log" "$TMP/ioerr.igvm" --qemu-arg -drive --qemu-arg "$errdrive" \
	--qemu-arg -device --qemu-arg virtio-blk-device,drive=errdisk
tr -d '\r' <"$TMP/ioerr.log" | grep -a "blkdev: virtio-blk: request\|blk-client: [0-9]\|FAIL" | sed 's/^/# /'
check "ioerr: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "ioerr: failing read, write and flush are BLK_EIO; good blocks still work" \
	has "$TMP/ioerr.log" "blk-client: 5 checks, 0 failed"
check "ioerr: blkdev logged the device's IOERR status" has "$TMP/ioerr.log" "request type 0 block 100: status IOERR"
check "ioerr: the good block was written" "$img" check "$TMP/err.img" 0:1:8

# A disk throttled to 1 KiB/s: after the first burst a request would take
# a minute; blkdev gives up after 5 s (BLK_EIO), resets the device and
# answers BLK_EIO at once from then on: never a hang.
build_manifest_igvm "$KEEL_ROOT/tests/system/blkdev-slow.manifest" "$TMP/slow.igvm" || { plan; exit 1; }
"$img" make "$TMP/slow.img" 512 0
boot_igvm "$TMP/slow.log" "$TMP/slow.igvm" --qemu-arg -drive \
	--qemu-arg "if=none,id=slowdisk,format=raw,file=$TMP/slow.img,throttling.bps-total=1024" \
	--qemu-arg -device --qemu-arg virtio-blk-device,drive=slowdisk
tr -d '\r' <"$TMP/slow.log" | grep -a "took\|not used again\|FAIL" | sed 's/^/# /'
stall_ms=$(tr -d '\r' <"$TMP/slow.log" | sed -n 's/.*READ from the stalled device -> BLK_EIO took \([0-9]*\) ms.*/\1/p')
after_ms=$(tr -d '\r' <"$TMP/slow.log" | sed -n 's/.*READ after the device was abandoned -> BLK_EIO took \([0-9]*\) ms.*/\1/p')
check "slow: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "slow: 4 checks passed" has "$TMP/slow.log" "blk-client: 4 checks, 0 failed"
check "slow: the stalled READ failed after 5 s, not later (${stall_ms:-?} ms)" \
	test "${stall_ms:-0}" -ge 4900 -a "${stall_ms:-99999}" -lt 15000
check "slow: blkdev said it gave the device up" has "$TMP/slow.log" "no completion within 5 s; the device is not used again"
check "slow: later requests fail at once (${after_ms:-?} ms)" [ "${after_ms:-99999}" -lt 1000 ]

build_manifest_igvm "$KEEL_ROOT/tests/system/blkdev-irq.manifest" "$TMP/irq.igvm" || { plan; exit 1; }
boot_igvm "$TMP/irq.log" "$TMP/irq.igvm" --disk "$TMP/disk.img"
tr -d '\r' <"$TMP/irq.log" | grep -a "irq" | sed 's/^/# /'
check "irq: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "irq: without a device grant, 5 checks passed" has "$TMP/irq.log" "[irq-nodev] blk-client: 5 checks, 0 failed"
check "irq: with a device grant, 13 checks passed" has "$TMP/irq.log" "[irq-dev] blk-client: 13 checks, 0 failed"
check "irq: a task's end releases its interrupt (the next task binds it)" \
	has "$TMP/irq.log" "[irq-later] blk-client: 2 checks, 0 failed"

build_manifest_igvm "$KEEL_ROOT/tests/system/blkdev.manifest" "$TMP/nodisk.igvm" || { plan; exit 1; }
boot_igvm "$TMP/nodisk.log" "$TMP/nodisk.igvm"
check "no disk: blkdev says so" has "$TMP/nodisk.log" "blkdev: no virtio-blk device (keel_mmio_map: -12): no device"
check "no disk: INFO answers BLK_ENODEV (-4)" has "$TMP/nodisk.log" "FAIL: INFO (status -4)"
plan
