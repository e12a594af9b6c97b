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
	python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); f.write(bytes.fromhex(sys.argv[3]))' "$1" "$2" "$3"
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

# vp_patch IN OUT FIELD_OFFSET SIZE VALUE: rewrite a field of the NATIVE VP
# context (IgvmNativeVpContextX64, loader/igvm/igvm_format.h). Context data
# is file data, not covered by the header CRC, so the file stays "valid" and
# only the shim's own context checks can catch it.
vp_patch() {
	python3 - "$@" <<'PY'
import struct, sys
src, dst, field, size, value = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4]), int(sys.argv[5], 0)
data = bytearray(open(src, "rb").read())
_, _, vh_off, vh_size, _, _ = struct.unpack_from("<6I", data, 0)
pos, end, masks, done = vh_off, vh_off + vh_size, {}, False
while pos < end:
    typ, length = struct.unpack_from("<2I", data, pos)
    body = pos + 8
    if typ & 0x7fffffff == 0x001:  # SUPPORTED_PLATFORM
        mask, _, ptype = struct.unpack_from("<IBB", data, body)
        masks[ptype] = mask
    if typ & 0x7fffffff == 0x304 and masks.get(0, 0):  # VP_CONTEXT for NATIVE
        _, mask, off = struct.unpack_from("<QII", data, body)
        if mask & masks[0]:
            fmt = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[size]
            struct.pack_into(fmt, data, off + field, value)
            done = True
    pos = body + ((length + 7) & ~7)
if not done:
    sys.exit("no NATIVE VP context found")
open(dst, "wb").write(data)
PY
}

# The shim's own checks of the VP context (loader/shim/enter.c).
if vp_patch "$TMP/good.igvm" "$TMP/cr0.igvm" 0xC8 8 0x11; then
	rejects vp-cr0-no-paging "$TMP/cr0.igvm" "VP context: CR0"
else
	not_ok "vp-cr0-no-paging: could not patch the fixture's VP context"
fi
if vp_patch "$TMP/good.igvm" "$TMP/cs.igvm" 0xAA 2 0xc09b; then
	rejects vp-32bit-code-segment "$TMP/cs.igvm" "code attributes"
else
	not_ok "vp-32bit-code-segment: could not patch the fixture's VP context"
fi
if vp_patch "$TMP/good.igvm" "$TMP/cr3.igvm" 0xD0 8 0x100000000; then
	rejects vp-cr3-above-4g "$TMP/cr3.igvm" "VP context: CR3"
else
	not_ok "vp-cr3-above-4g: could not patch the fixture's VP context"
fi

# Control: the unmodified file boots (so the rejections above are the corruption's doing).
boot_igvm "$TMP/good.log" "$TMP/good.igvm" --memory 256M
check "unmodified fixture boots (status $BOOT_STATUS)" [ "$BOOT_STATUS" -eq 0 ]
plan
