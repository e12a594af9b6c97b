#!/bin/sh
# The hosted block driver (apps/blkdev, a file): blk-client writes, reads,
# flushes and sends malformed requests (tests/hosted/blkdev.manifest); the
# image is checked byte for byte here. Then the power-cut injection
# (KEEL_BLK_FAULT=after=N[,tear=BYTES]): exactly the expected bytes reach
# the file and blkdev exits 99. Then the image-size rule and the default path.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/blkdev-hosted.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
img=tests/hosted/blkdev-image.py
out=$dir/out

# run MANIFEST [ENV...]: keel-hosted with the environment given; output in $out.
run() {
	m=$1
	shift
	env "$@" timeout 60 build/bin/keel-hosted --manifest "$m" --state "$dir/state" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
}

# Basic: a 1 MiB image of 0x00 (256 blocks).
"$img" make "$dir/a.img" 256 0
run tests/hosted/blkdev.manifest KEEL_BLK_IMAGE="$dir/a.img"
check "keel-hosted exits 0" [ "$rc" -eq 0 ]
check "blkdev logs the file and its size" grep -q "blkdev: file $dir/a.img, 1048576 bytes (256 blocks)" "$out"
check "blk-client: every check passed" grep -q "blk-client: [0-9]* checks, 0 failed" "$out"
check "blk-client ran all 38 checks" grep -q "blk-client: 38 checks, 0 failed" "$out"
check "blk-client exited 0" grep -q "^task 'blk-client' exited 0$" "$out"
check "INFO reports 256 blocks with FLUSH" grep -q "blk-client: device 256 blocks, flags 1" "$out"
check "every malformed request got its status" sh -c "! grep -q FAIL '$out'"
check "the image holds exactly what was written" \
	"$img" check "$dir/a.img" 0:1:1 1:2:2 3:2:4 5:11:2 255:1:3
check "blkdev counted the 24 refused requests" grep -q "client gone after 37 requests (24 refused)" "$out"
check "blkdev exited 0 once its client left" grep -q "^task 'blkdev' exited 0$" "$out"
check "the flush reached fdatasync" grep -q "blocks written, 1 flushes" "$out"
check "the image is still 1 MiB" [ "$(stat -c %s "$dir/a.img")" -eq 1048576 ]

# Power cut: blk-client writes blocks 0..2 then 3..7 over an image of 0xEE.
# after=5,tear=100: 0..4 whole, block 5 only its first 100 bytes, 6..7 never.
"$img" make "$dir/f.img" 16 0xee
run tests/hosted/blkdev-fault.manifest KEEL_BLK_IMAGE="$dir/f.img" KEEL_BLK_FAULT=after=5,tear=100
check "power cut: blkdev exited 99" grep -q "^task 'blkdev' exited 99$" "$out"
check "power cut: the first write succeeded" grep -q "write 0..2: status 0 err 0" "$out"
check "power cut: the second write lost its driver" grep -q "write 3..7: status 0 err -5" "$out"
check "power cut: exactly 5 blocks and 100 bytes reached the file" \
	"$img" check "$dir/f.img" --rest=0xee 0:3:5 3:2:6 5:+100:6:0xee
check "power cut: logged where" grep -q "power cut at block 5 after 5 block writes (100 bytes torn in)" "$out"

# after=0 (tear 0 by default): nothing at all is written.
"$img" make "$dir/g.img" 16 0xee
run tests/hosted/blkdev-fault.manifest KEEL_BLK_IMAGE="$dir/g.img" KEEL_BLK_FAULT=after=0
check "after=0: blkdev exited 99" grep -q "^task 'blkdev' exited 99$" "$out"
check "after=0: the first write lost its driver" grep -q "write 0..2: status 0 err -5" "$out"
check "after=0: the image is untouched" "$img" check "$dir/g.img" --rest=0xee

# after=3,tear=4096: the cut falls on a request boundary; block 3 whole.
"$img" make "$dir/h.img" 16 0xee
run tests/hosted/blkdev-fault.manifest KEEL_BLK_IMAGE="$dir/h.img" KEEL_BLK_FAULT=after=3,tear=4096
check "after=3,tear=4096: blkdev exited 99" grep -q "^task 'blkdev' exited 99$" "$out"
check "after=3,tear=4096: blocks 0..3 written, nothing else" \
	"$img" check "$dir/h.img" --rest=0xee 0:3:5 3:1:6

# A bad fault spec is refused loudly: every request fails, nothing written.
"$img" make "$dir/i.img" 16 0xee
run tests/hosted/blkdev-fault.manifest KEEL_BLK_IMAGE="$dir/i.img" KEEL_BLK_FAULT=after=1,tear=4097
check "bad KEEL_BLK_FAULT is refused with a message" grep -q "KEEL_BLK_FAULT: tear is at most 4096 bytes" "$out"
check "bad KEEL_BLK_FAULT: writes answer BLK_EIO" grep -q "write 0..2: status -1 err 0" "$out"
check "bad KEEL_BLK_FAULT: the image is untouched" "$img" check "$dir/i.img" --rest=0xee

# An image that is not whole blocks: every request answers BLK_EIO.
head -c 5000 /dev/zero >"$dir/odd.img"
run tests/hosted/blkdev-fault.manifest KEEL_BLK_IMAGE="$dir/odd.img"
check "odd-sized image: a clear log line" grep -q "size 5000 is not a positive multiple of 4096 bytes" "$out"
check "odd-sized image: writes answer BLK_EIO" grep -q "write 0..2: status -1 err 0" "$out"
check "odd-sized image: left as it was" [ "$(stat -c %s "$dir/odd.img")" -eq 5000 ]

# No KEEL_BLK_IMAGE: \$KEEL_STATE_DIR/storage.img, created sparse at 8 MiB.
run tests/hosted/blkdev-fault.manifest KEEL_BLK_IMAGE=
check "default image: created at 8 MiB" [ "$(stat -c %s "$dir/state/storage.img" 2>/dev/null)" = 8388608 ]
check "default image: sparse (few blocks allocated)" \
	[ "$(stat -c %b "$dir/state/storage.img" 2>/dev/null || echo 99999)" -lt 1024 ]
check "default image: logged" grep -q "blkdev: file $dir/state/storage.img, 8388608 bytes (2048 blocks)" "$out"
check "default image: the writes landed" "$img" check "$dir/state/storage.img" 0:3:5 3:5:6

# The interrupt syscalls hosted: EPERM without a device= grant, ENOTSUP with one.
run tests/hosted/blkdev-irq.manifest
check "irq: keel-hosted exits 0" [ "$rc" -eq 0 ]
check "irq: without a device grant, 5 checks passed" grep -q "^\[irq-nodev\] blk-client: 5 checks, 0 failed" "$out"
check "irq: with a device grant, bind is ENOTSUP (no interrupts hosted)" \
	grep -q "^\[irq-dev\] ok: irq-dev: bind -> ENOTSUP" "$out"
check "irq: with a device grant, 2 checks passed" grep -q "^\[irq-dev\] blk-client: 2 checks, 0 failed" "$out"
plan
