#!/bin/sh
# build/keel.igvm as real loaders and launchers see it (docs/igvm.md):
# igvm_parse accepts it; an independent check of the igvm crate's rules
# (igvm_crate_rules.py, written from microsoft/igvm's new_from_binary)
# accepts it with both NATIVE and SEV_SNP; igvm-measure --check-kvm passes
# and prints the same SNP launch digest as igvm-measure; copies patched to
# break one KVM rule each fail --check-kvm; a copy with the old 0xE8-byte
# native context at the file end is rejected by both checkers.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
echo "1..12"
igvm=build/keel.igvm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$igvm" build/bin/igvm-dump build/bin/igvm-measure; do
	if [ ! -e "$f" ]; then
		not_ok "$f is built (make)"
		exit 1
	fi
done

check "igvm_parse (igvm-dump) accepts build/keel.igvm" sh -c "build/bin/igvm-dump $igvm >/dev/null"
rules=$(python3 tests/hosted/igvm_crate_rules.py "$igvm")
check "the igvm crate's rules accept it: $rules" [ "$rules" = "accepted: NATIVE=0x1 SEV_SNP=0x2" ]

# The digest a user registers must not depend on where the tree was built
# (REPRO_CFLAGS in the Makefile): no absolute build path in the file.
check "keel.igvm names no build path ($PWD)" sh -c "! grep -aqF '$PWD' $igvm"

plain=$(build/bin/igvm-measure "$igvm")
kvm=$(build/bin/igvm-measure --check-kvm "$igvm")
check "igvm-measure --check-kvm passes: $kvm" sh -c "echo '$kvm' | grep -qx '[0-9a-f]\{96\}'"
check "--check-kvm prints the same digest as igvm-measure" [ "$kvm" = "$plain" ]

# patch FIELD VALUE OUT: copy of keel.igvm with the SNP VMSA's FIELD set
# (cr0 in the VMSA page; gpa in its VP_CONTEXT header, checksum redone).
patch() {
	python3 - "$igvm" "$1" "$2" "$3" <<'PY'
import struct, sys, zlib
src, field, value, out = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), sys.argv[4]
d = bytearray(open(src, "rb").read())
vho, vhs = struct.unpack_from("<II", d, 8)
pos, masks, vmsa = vho, {}, None
while pos < vho + vhs:
    t, n = struct.unpack_from("<II", d, pos)
    if t == 1:
        m, _, pt = struct.unpack_from("<IBB", d, pos + 8)
        masks[m] = pt
    if t == 0x304 and masks.get(struct.unpack_from("<I", d, pos + 16)[0]) == 2:
        vmsa = pos
    pos += (8 + n + 7) & ~7
gpa, mask, off = struct.unpack_from("<QII", d, vmsa + 8)
if field == "cr0":
    struct.pack_into("<Q", d, off + 0x158, value)
elif field == "gpa":
    struct.pack_into("<Q", d, vmsa + 8, value)
struct.pack_into("<I", d, 20, 0)
crc = zlib.crc32(bytes(d[vho:vho + vhs]), zlib.crc32(bytes(d[:24])))
struct.pack_into("<I", d, 20, crc)
open(out, "wb").write(d)
PY
}
patch cr0 0x80010033 "$work/cr0.igvm"
check "a VMSA in long mode (CR0 0x80010033) still parses" sh -c "build/bin/igvm-measure $work/cr0.igvm >/dev/null"
check "--check-kvm fails on it (KVM measures CR0 0x31)" sh -c "! build/bin/igvm-measure --check-kvm $work/cr0.igvm 2>$work/err && grep -q CR0 $work/err"
patch gpa 0xFFFFE000 "$work/gpa.igvm"
check "--check-kvm fails on a VMSA at 0xFFFFE000" sh -c "! build/bin/igvm-measure --check-kvm $work/gpa.igvm 2>$work/err && grep -q 0xFFFFFFFFF000 $work/err"

# The old layout: a native-only file whose 0xE8-byte context ends the file.
python3 - "$igvm" "$work/short.igvm" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
vho, vhs = struct.unpack_from("<II", d, 8)
pos, native, native_off = vho, None, None
while pos < vho + vhs:
    t, n = struct.unpack_from("<II", d, pos)
    if t == 0x304 and struct.unpack_from("<I", d, pos + 16)[0] == 1:
        native, native_off = pos, struct.unpack_from("<I", d, pos + 20)[0]
    pos += (8 + n + 7) & ~7
ctx = bytes(d[native_off:native_off + 0xE8])
struct.pack_into("<I", d, native + 20, len(d))   # context data at the new file end
d += ctx
struct.pack_into("<I", d, 16, len(d))
struct.pack_into("<I", d, 20, 0)
struct.pack_into("<I", d, 20, zlib.crc32(bytes(d[vho:vho + vhs]), zlib.crc32(bytes(d[:24]))))
open(sys.argv[2], "wb").write(d)
PY
check "igvm_parse rejects a 0xE8-byte native context at the file end" \
	sh -c "! build/bin/igvm-dump $work/short.igvm >/dev/null 2>&1"
check "so do the igvm crate's rules" sh -c "! python3 tests/hosted/igvm_crate_rules.py $work/short.igvm >/dev/null"
# pad.igvm: short.igvm with the context's page completed by zeroes.
python3 - "$work/short.igvm" "$work/pad.igvm" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
vho, vhs = struct.unpack_from("<II", d, 8)
d += bytes(4096 - 0xE8)
struct.pack_into("<I", d, 16, len(d))
struct.pack_into("<I", d, 20, 0)
struct.pack_into("<I", d, 20, zlib.crc32(bytes(d[vho:vho + vhs]), zlib.crc32(bytes(d[:24]))))
open(sys.argv[2], "wb").write(d)
PY
check "with the context's 4 KiB page completed by zeroes, igvm_parse accepts it" \
	sh -c "build/bin/igvm-dump $work/pad.igvm >/dev/null"
check "and so do the igvm crate's rules" \
	sh -c "python3 tests/hosted/igvm_crate_rules.py $work/pad.igvm >/dev/null"
