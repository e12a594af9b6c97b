#!/bin/bash
# The shim rejects corrupted IGVM files: it prints the parser's message and
# status on serial and leaves QEMU with failure (keel-qemu status 1), never
# jumping anywhere. The corruptions start from a good fixture IGVM file.
. "$(dirname "$0")/lib.sh"

ready=1
need "$KEEL_BUILD/loader/shim.elf" "the shim (make)" || ready=0
need "$KEEL_BIN/keel-qemu" "keel-qemu (make)" || ready=0
need "$KEEL_BUILD/tests/system/fixture-kernel.elf" "the fixture kernel (make)" || ready=0
need "$IGVM_BUILD" "igvm-build (make)" || ready=0
[ "$ready" = 1 ] || exit 1
if ! shim_fixture_igvm "$TMP/good.igvm"; then
	not_ok "igvm-build wraps the fixture kernel"
	show "$TMP/igvm-build.log"
	exit 1
fi
size=$(stat -c %s "$TMP/good.igvm")

# patch FILE OFFSET HEXBYTES: overwrite bytes in place.
patch() {
	printf "$(echo "$3" | sed 's/../\\x&/g')" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# rejects NAME FILE WORD...: boot fails, serial says "shim: error:" and each WORD.
rejects() {
	local name=$1 file=$2 log=$TMP/$1.log
	shift 2
	BOOT_TIMEOUT=30 boot_igvm "$log" "$file" --memory 256M
	local good=1
	[ "$BOOT_STATUS" -eq 1 ] || good=0
	serial_has "$log" "shim: error: " || good=0
	for w in "$@"; do serial_has "$log" "$w" || good=0; done
	serial_has "$log" "fixture" && good=0 # never entered the kernel
	if [ "$good" = 1 ]; then
		ok "$name: rejected ($(grep -F 'shim: error:' "$log" | tr -d '\r'))"
	else
		not_ok "$name: expected failure mentioning $*, got status $BOOT_STATUS"
		show "$log"
	fi
}

cp "$TMP/good.igvm" "$TMP/magic.igvm"
patch "$TMP/magic.igvm" 0 58
rejects bad-magic "$TMP/magic.igvm" IGVM_ERR_MAGIC "magic"

cp "$TMP/good.igvm" "$TMP/crc.igvm"
patch "$TMP/crc.igvm" 20 "$(od -An -tx1 -j20 -N1 "$TMP/crc.igvm" | tr -d ' ' |
	python3 -c 'import sys; print("%02x" % (int(sys.stdin.read(), 16) ^ 0xff))')"
rejects bad-checksum "$TMP/crc.igvm" IGVM_ERR_CHECKSUM

# A flipped byte inside the variable headers: the CRC catches it too.
cp "$TMP/good.igvm" "$TMP/vh.igvm"
patch "$TMP/vh.igvm" 40 ff
rejects corrupt-header "$TMP/vh.igvm" IGVM_ERR_CHECKSUM

head -c $((size / 2)) "$TMP/good.igvm" >"$TMP/trunc.igvm"
rejects truncated "$TMP/trunc.igvm" IGVM_ERR_TRUNCATED

head -c 10 "$TMP/good.igvm" >"$TMP/tiny.igvm"
rejects truncated-fixed-header "$TMP/tiny.igvm" IGVM_ERR_TRUNCATED

head -c 8192 /dev/urandom >"$TMP/random.igvm"
rejects random-bytes "$TMP/random.igvm" "IGVM file rejected"

: >"$TMP/empty.igvm"
rejects empty-module "$TMP/empty.igvm" "module"

# Control: the unmodified file boots (so the rejections above are the corruption's doing).
boot_igvm "$TMP/good.log" "$TMP/good.igvm" --memory 256M
check "unmodified fixture boots (status $BOOT_STATUS)" [ "$BOOT_STATUS" -eq 0 ]
