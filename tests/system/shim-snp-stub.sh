#!/bin/bash
# The SEV-SNP entry of build/keel.igvm, run under plain QEMU TCG: the shim
# loads the file's NATIVE pages (the stub page at KEEL_GPA_SNP_ENTRY is
# in both platforms) and, with "keel-shim.entry=snp-stub", enters the SNP
# VMSA as KVM starts an SNP vCPU: 32-bit protected mode, paging off, at the
# VMSA's RIP/RSP. The stub (loader/igvm-build/snp_entry32.asm) must build
# the page tables, reach long mode and start the kernel, which then runs
# its boot manifest as on a NATIVE boot. A copy whose measured page-table
# pages are zeroed still boots this way (the stub builds them itself); a
# copy whose VMSA starts in long mode is refused by the shim. No SNP
# hardware is involved: no C-bit, no #VC, no RMP (docs/shim.md).
. "$(dirname "$0")/lib.sh"
echo "1..9"
igvm=$KEEL_BUILD/keel.igvm
ready=1
need "$igvm" "build/keel.igvm (make)" || ready=0
need "$KEEL_BUILD/loader/shim.elf" "the shim (make)" || ready=0
[ "$ready" = 1 ] || exit 1
append="keel-shim.entry=snp-stub"

boot_igvm "$TMP/stub.log" "$igvm" --append "$append"
check "boot through the SNP stub exits with success (status $BOOT_STATUS)" [ "$BOOT_STATUS" -eq 0 ]
check "the shim entered the VMSA in 32-bit mode, paging off, CR0 0x31" \
	serial_has "$TMP/stub.log" "entering the SEV-SNP VMSA in 32-bit protected mode, paging off: RIP 0x807000 RSP 0x850000 CR0 0x31"
check "the kernel started in long mode from the stub" serial_has "$TMP/stub.log" "keel: kernel starting, boot info at 800000"
check "every boot task as expected" sh -c "grep -a 'keel: .* tasks, .* as expected, 0 unexpected' '$TMP/stub.log' | grep -qv ', 0 as expected'"
[ "$BOOT_STATUS" -eq 0 ] || show "$TMP/stub.log"

# patch_igvm OUT WHAT: a copy of keel.igvm with the PML4 page made a zero
# page (WHAT=pml4) or the VMSA's CR0 set to long mode (WHAT=cr0).
patch_igvm() {
	python3 - "$igvm" "$1" "$2" <<'PY'
import struct, sys, zlib
src, out, what = sys.argv[1:4]
d = bytearray(open(src, "rb").read())
vho, vhs = struct.unpack_from("<II", d, 8)
pos, masks, done = vho, {}, 0
while pos < vho + vhs:
    t, n = struct.unpack_from("<II", d, pos)
    if t == 1:
        m, _, pt = struct.unpack_from("<IBB", d, pos + 8)
        masks[m] = pt
    if what == "pml4" and t == 0x302 and struct.unpack_from("<Q", d, pos + 8)[0] == 0x810000:
        struct.pack_into("<I", d, pos + 20, 0)   # file_offset 0: a page of zeroes
        done += 1
    if what == "cr0" and t == 0x304 and masks.get(struct.unpack_from("<I", d, pos + 16)[0]) == 2:
        off = struct.unpack_from("<I", d, pos + 20)[0]
        struct.pack_into("<Q", d, off + 0x158, 0x80010033)
        struct.pack_into("<Q", d, off + 0xD0, 0x1D01)
        done += 1
    pos += (8 + n + 7) & ~7
assert done == 1, done
struct.pack_into("<I", d, 20, 0)
struct.pack_into("<I", d, 20, zlib.crc32(bytes(d[vho:vho + vhs]), zlib.crc32(bytes(d[:24]))))
open(out, "wb").write(d)
PY
}
patch_igvm "$TMP/nopt.igvm" pml4
boot_igvm "$TMP/nopt-native.log" "$TMP/nopt.igvm"
check "without its PML4 page the NATIVE entry does not boot (status $BOOT_STATUS)" [ "$BOOT_STATUS" -ne 0 ]
boot_igvm "$TMP/nopt-stub.log" "$TMP/nopt.igvm" --append "$append"
check "the SNP stub builds its own page tables: the same file boots through it (status $BOOT_STATUS)" \
	[ "$BOOT_STATUS" -eq 0 ]
check "and the kernel ran its tasks" serial_has "$TMP/nopt-stub.log" "0 unexpected"
[ "$BOOT_STATUS" -eq 0 ] || show "$TMP/nopt-stub.log"

patch_igvm "$TMP/lm.igvm" cr0
boot_igvm "$TMP/lm.log" "$TMP/lm.igvm" --append "$append"
check "a VMSA that starts in long mode is refused (status $BOOT_STATUS)" [ "$BOOT_STATUS" -ne 0 ]
check "with the reason on serial" serial_has "$TMP/lm.log" "not in KVM's 32-bit reset state"
