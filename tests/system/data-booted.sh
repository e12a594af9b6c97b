#!/bin/bash
# data= booted (docs/manifest.md, keel/task_data.h): igvm-build packs a
# 540672-byte data file (the size of OVMF_VARS_4M.ms.fd) from its --bin-dir
# into the measured bundle; two tasks naming the entry read it at
# USER_DATA_BASE with the right size and FNV-1a 64 (passed in arg=), get
# KEEL_EFAULT for bad out pointers and for keel_random into it, may
# keel_log from it, cannot keel_mem_unmap it; a task without data= gets
# KEEL_ENOENT; the first reader's write to the data is a page fault that
# ends it (expect=fault); every outcome as expected. Then Debian's
# OVMF_VARS_4M.ms.fd (the UEFI variable service's default store) as the
# data file: read whole, same checksum (skipped without the ovmf package).
# Run alone: tests/system/data-booted.sh (after `make`).
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/data-reader/data.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
echo "1..13"
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/data-reader"; do
	if [ ! -e "$f" ]; then
		while [ "$n" -lt 13 ]; do not_ok "$(basename "$f") is missing ($f)"; done
		exit 1
	fi
done

bin=$TMP/bin igvm=$TMP/data.igvm log=$TMP/serial.log size=540672
mkdir -p "$bin"
cp "$KEEL_BUILD/tasks/data-reader" "$bin/"
data_make "$bin/varstore.fd" "$size"
fnv=$(data_fnv "$bin/varstore.fd")
data_manifest "$TMP/data.manifest" varstore.fd "$fnv" "$size" booted
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" --manifest "$TMP/data.manifest" \
	--bin-dir "$bin" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	show "$TMP/igvm-build.log"
	while [ "$n" -lt 13 ]; do not_ok "igvm-build of the data manifest"; done
	exit 1
fi
ok "igvm-build packs the manifest, data-reader and a $size-byte data file"
boot_igvm "$log" "$igvm"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/data-booted.serial.log"
echo "# boot status $BOOT_STATUS"

check "reader: every check passed (no FAIL line)" sh -c "! grep -a '^\[reader\] reader: FAIL' '$log'"
check "reader: its data is at USER_DATA_BASE" serial_has "$log" "[reader] reader: data at 0x7f4000000000, fnv 0x$fnv"
check "reader: keel_log printed the file's first line from the data" \
	kernel_says "$log" "[reader] keel-data-test"
check "reader: reached the write" serial_has "$log" "[reader] reader: writing one byte of the data (must fault)"
check "kernel: the write to the data is a page fault" \
	kernel_says "$log" "keel: task 'reader' killed: #PF"
check "kernel: reader's outcome is a fault" outcome_is "$log" reader fault
check "reader2 (same entry): PASSED" serial_has "$log" "[reader2] reader2: PASSED, 0 failed checks"
check "nodata: KEEL_ENOENT, PASSED" serial_has "$log" "[nodata] nodata: PASSED, 0 failed checks"
check "kernel: 3 tasks, 3 as expected" kernel_says "$log" "keel: 3 tasks, 3 as expected, 0 unexpected"
check "boot status 0" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40

ovmf=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
if [ ! -r "$ovmf" ]; then
	ok "# SKIP no $ovmf (Debian package ovmf)"
	ok "# SKIP no $ovmf (Debian package ovmf)"
	exit 0
fi
cp "$ovmf" "$bin/OVMF_VARS_4M.ms.fd"
osize=$(stat -c %s "$ovmf") ofnv=$(data_fnv "$ovmf")
cat >"$TMP/ovmf.manifest" <<EOM
task uefivars binary=data-reader memory=2M data=OVMF_VARS_4M.ms.fd arg="fnv=$ofnv size=$osize booted then=exit"
EOM
if "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" --manifest "$TMP/ovmf.manifest" \
	--bin-dir "$bin" -o "$TMP/ovmf.igvm" >"$TMP/igvm-build.log" 2>&1; then
	boot_igvm "$TMP/ovmf.log" "$TMP/ovmf.igvm"
else
	show "$TMP/igvm-build.log"
fi
check "OVMF_VARS_4M.ms.fd ($osize bytes) as data: read whole, same FNV-1a 64" \
	serial_has "$TMP/ovmf.log" "[uefivars] uefivars: PASSED, 0 failed checks"
check "OVMF_VARS_4M.ms.fd boot: every outcome as expected" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$TMP/ovmf.log" | tail -n 30
