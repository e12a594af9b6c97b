#!/usr/bin/env python3
"""Image helper for the blkdev tests (tests/tasks/blk-client/call.c: blkc_pattern).

  blkdev-image.py make FILE BLOCKS FILL        a FILE of BLOCKS blocks of byte FILL
  blkdev-image.py check FILE SPEC...           exit 0 iff FILE matches; SPEC is
      BLOCK:COUNT:SEED (pattern) or BLOCK:COUNT:=FILL (constant); BLOCK:+BYTES:SEED:FILL
      = first BYTES of the block pattern, rest FILL. Unlisted blocks must be FILL0,
      given as --rest=FILL (default 0). Prints the first mismatch.
"""
import sys

B = 4096


def pattern(b, i, s):
    return (b * 131 + i * 7 + s * 29 + (i >> 8)) & 0xFF


def block_pattern(b, s):
    return bytes(pattern(b, i, s) for i in range(B))


def main(argv):
    if argv[1] == "make":
        with open(argv[2], "wb") as f:
            f.write(bytes([int(argv[4], 0)]) * (B * int(argv[3])))
        return 0
    data = open(argv[2], "rb").read()
    rest = 0
    want = {}
    for spec in argv[3:]:
        if spec.startswith("--rest="):
            rest = int(spec[7:], 0)
            continue
        parts = spec.split(":")
        blk = int(parts[0])
        if parts[1].startswith("+"):
            n, s, fill = int(parts[1][1:]), int(parts[2]), int(parts[3], 0)
            want[blk] = block_pattern(blk, s)[:n] + bytes([fill]) * (B - n)
            continue
        for b in range(blk, blk + int(parts[1])):
            if parts[2].startswith("="):
                want[b] = bytes([int(parts[2][1:], 0)]) * B
            else:
                want[b] = block_pattern(b, int(parts[2]))
    if len(data) % B:
        print("size %d is not whole blocks" % len(data))
        return 1
    for b in range(len(data) // B):
        exp = want.get(b, bytes([rest]) * B)
        got = data[b * B:(b + 1) * B]
        if got != exp:
            off = next(i for i in range(B) if got[i] != exp[i])
            print("block %d byte %d: 0x%02x, want 0x%02x" % (b, off, got[off], exp[off]))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
