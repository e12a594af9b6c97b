#!/bin/sh
# A short libFuzzer run of the kernel's ELF checker (tests/fuzz/kernel-elf/),
# KEEL_FUZZ_SECONDS (default 10), seeded with stripped task binaries from
# build/tasks and build/guest when they exist, and a minimal hand-made image.
# A crash, a broken invariant on an accepted image or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup kernel-elf
for f in build/tasks/victim build/tasks/echo-server build/tasks/test-guest; do
	[ -f "$f" ] && strip -o "$work/corpus/$(basename "$f")" "$f" 2>/dev/null
done
# ELF header + one R+X PT_LOAD at 0x400000 covering the file, entry inside it.
{
	printf '7f454c46020101000000000000000000'               # ident
	printf '02003e0001000000'                               # ET_EXEC, x86-64, version 1
	printf '7800400000000000' '4000000000000000'            # entry 0x400078, phoff 64
	printf '0000000000000000' '00000000' '4000' '3800'      # shoff, flags, ehsize, phentsize
	printf '0100' '0000' '0000' '0000'                      # phnum 1, shentsize, shnum, shstrndx
	printf '0100000005000000' '0000000000000000'            # PT_LOAD R+X, offset 0
	printf '0000400000000000' '0000400000000000'            # vaddr, paddr 0x400000
	printf '8000000000000000' '8000000000000000'            # filesz, memsz 0x80
	printf '0010000000000000' 'f4f4f4f4f4f4f4f4'            # align; code
} | xxd -r -p >"$work/corpus/minimal"
check "seed inputs written" [ "$(ls "$work/corpus" | wc -l)" -ge 1 ]
fuzz_run kernel-elf -max_len=65536
plan
