"""Seeds for the fdstore fuzz target (tests/hosted/fuzz-uefivars-fdstore.sh):
Debian's OVMF_VARS_4M.ms.fd cut down to its used part (FvLength, the store
Size and the header checksum rewritten so that it still parses), small
enough for libFuzzer to mutate. Usage: mkseed.py IN.fd OUT.fd
"""
import struct
import sys

img = bytearray(open(sys.argv[1], "rb").read())
hl = struct.unpack_from("<H", img, 48)[0]
off = hl + 28
while struct.unpack_from("<H", img, off)[0] == 0x55AA:
    ns, ds = struct.unpack_from("<II", img, off + 36)
    off = (off + 60 + ns + ds + 3) & ~3
end = off + 64
img = img[:end]
struct.pack_into("<Q", img, 32, end)
struct.pack_into("<I", img, hl + 16, end - hl)
struct.pack_into("<H", img, 50, 0)
s = sum(struct.unpack_from("<%dH" % (hl // 2), img, 0)) & 0xFFFF
struct.pack_into("<H", img, 50, (-s) & 0xFFFF)
open(sys.argv[2], "wb").write(img)
