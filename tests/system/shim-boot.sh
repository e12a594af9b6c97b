#!/bin/bash
# The shim boots an IGVM file under QEMU (TCG): the fixture kernel
# (fixtures/fixture-kernel.asm) checks long mode, RDI/boot info, the memory
# map and VP count parameter areas, and the boot bundle, then exits through
# isa-debug-exit. A second boot uses an IGVM file big enough to overlap the
# target pages, so the shim must move it first; the fixture then checks
# every page of a patterned bundle file. A third boot uses a file with both
# NATIVE and SEV-SNP directives; a fourth has too little RAM.
. "$(dirname "$0")/lib.sh"

ready=1
need "$KEEL_BUILD/loader/shim.elf" "the shim (make)" || ready=0
need "$KEEL_BIN/keel-qemu" "keel-qemu (make)" || ready=0
need "$KEEL_BUILD/tests/system/fixture-kernel.elf" "the fixture kernel (make)" || ready=0
need "$IGVM_BUILD" "igvm-build (make)" || ready=0
[ "$ready" = 1 ] || exit 1

# 1: a small fixture IGVM boots and the fixture sees the boot contract.
if shim_fixture_igvm "$TMP/fixture.igvm"; then
	ok "igvm-build wraps the fixture kernel"
else
	not_ok "igvm-build wraps the fixture kernel"
	show "$TMP/igvm-build.log"
	exit 1
fi
start=$(date +%s%N)
boot_igvm "$TMP/boot.log" "$TMP/fixture.igvm" --memory 256M
ms=$((($(date +%s%N) - start) / 1000000))
check "fixture boot exits with success (status $BOOT_STATUS, ${ms} ms under TCG)" \
	[ "$BOOT_STATUS" -eq 0 ]
check "shim prints its banner" serial_has "$TMP/boot.log" "keel-shim: IGVM loader"
check "fixture reports ok on serial" serial_has "$TMP/boot.log" "fixture ok"
check "no error on serial" sh -c "! grep -q -e 'FAIL' -e 'error' '$TMP/boot.log'"
[ "$BOOT_STATUS" -eq 0 ] || show "$TMP/boot.log"

# memmap_matches LOG MIB: the fixture's memory map adds up to 97-100% of MIB.
memmap_matches() {
	local line pages
	line=$(grep -a 'fixture memmap entries' "$1" | tr -d '\r')
	pages=${line##* pages }
	[ -n "$line" ] && [ $((pages * 4)) -le $(($2 * 1024)) ] &&
		[ $((pages * 4)) -ge $(($2 * 1024 * 97 / 100)) ]
}
check "memory map from multiboot covers 256 MiB ($(grep -a 'fixture memmap' "$TMP/boot.log" | tr -d '\r'))" \
	memmap_matches "$TMP/boot.log" 256
boot_igvm "$TMP/4g.log" "$TMP/fixture.igvm" --memory 4G
check "4 GiB guest (RAM above 4 GiB) boots (status $BOOT_STATUS)" [ "$BOOT_STATUS" -eq 0 ]
check "memory map covers 4 GiB ($(grep -a 'fixture memmap' "$TMP/4g.log" | tr -d '\r'))" \
	memmap_matches "$TMP/4g.log" 4096

# 2: a module large enough to overlap 0x800000 is moved before the copy.
python3 - "$TMP/big-task" <<'PY'
import struct, sys
with open(sys.argv[1], "wb") as f:
    for k in range(2304):  # 9 MiB of pages "KEELPAGE" + index
        f.write(b"KEELPAGE" + struct.pack("<Q", k) + bytes(4096 - 16))
PY
if shim_fixture_igvm "$TMP/big.igvm" "$TMP/big-task"; then
	boot_igvm "$TMP/big.log" "$TMP/big.igvm" --memory 512M
	check "big fixture boot exits with success (status $BOOT_STATUS)" [ "$BOOT_STATUS" -eq 0 ]
	check "shim moved the overlapping module" serial_has "$TMP/big.log" "moved IGVM file"
	check "fixture checked every page of the moved bundle" \
		serial_has "$TMP/big.log" "fixture pages ok"
	[ "$BOOT_STATUS" -eq 0 ] || show "$TMP/big.log"
else
	not_ok "igvm-build wraps the big fixture"
	show "$TMP/igvm-build.log"
fi

# 3: a file for NATIVE and SEV-SNP: the shim applies only the NATIVE
# directives (the SNP VMSA at 0xFFFFFFFFF000 would fail its below-4-GiB check).
if shim_fixture_igvm "$TMP/snp.igvm" "" --snp; then
	boot_igvm "$TMP/snp.log" "$TMP/snp.igvm" --memory 256M
	check "NATIVE+SNP fixture boots on the NATIVE half (status $BOOT_STATUS)" \
		[ "$BOOT_STATUS" -eq 0 ]
	check "NATIVE+SNP fixture reports ok" serial_has "$TMP/snp.log" "fixture ok"
	[ "$BOOT_STATUS" -eq 0 ] || show "$TMP/snp.log"
else
	not_ok "igvm-build --snp wraps the fixture"
	show "$TMP/igvm-build.log"
fi

# 4: the same fixture with too little RAM for its pages: a clear shim error.
boot_igvm "$TMP/small.log" "$TMP/fixture.igvm" --memory 12M
check "12 MiB guest: boot fails (status $BOOT_STATUS)" [ "$BOOT_STATUS" -eq 1 ]
check "12 MiB guest: shim says the pages are not in RAM" \
	serial_has "$TMP/small.log" "is not in usable RAM"
plan
