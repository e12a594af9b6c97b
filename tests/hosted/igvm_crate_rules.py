#!/usr/bin/env python3
"""Checks an IGVM v1 file against the rules of Microsoft's igvm crate
(github.com/microsoft/igvm, igvm/src/lib.rs: IgvmFile::new_from_binary and
the validate functions it calls), written from that source independently of
loader/igvm. Exit 0 and "accepted" if the crate would load the file, else
exit 1 naming the first rule broken. Usage: igvm_crate_rules.py FILE
"""
import struct
import sys
import zlib

PLATFORM_VERSION = {0: 1, 1: 1, 2: 1, 3: 1}  # NATIVE VSM SEV_SNP TDX (x64 v1)
PARAM_TYPES = {0x307, 0x308, 0x309, 0x30A, 0x30C, 0x30E, 0x30F, 0x310, 0x312, 0x313}
DIRECTIVE_LEN = {0x301: 16, 0x302: 24, 0x303: 16, 0x304: 20, 0x305: 24, 0x30B: 696,
                 0x30D: 16, 0x311: 864}
DIRECTIVE_LEN.update({t: 8 for t in PARAM_TYPES})
INIT_LEN = {0x101: 16, 0x102: 48, 0x103: 32}


class Reject(Exception):
    pass


def check(data):
    if len(data) < 24:
        raise Reject("file shorter than the fixed header")
    magic, version, vho, vhs, total, checksum = struct.unpack_from("<6I", data)
    if magic != 0x4D564749 or version != 1:
        raise Reject("InvalidFixedHeader: magic/version")
    if total != len(data):
        raise Reject("InvalidFixedHeader: total_file_size")
    if vho >= total:
        raise Reject("InvalidFixedHeader: variable_header_offset")
    fds = vho + vhs
    if fds >= total:
        raise Reject("InvalidFixedHeader: no file data section")
    hdrs = data[vho:fds]
    fixed = bytearray(data[:24])
    fixed[20:24] = b"\0\0\0\0"
    if zlib.crc32(hdrs, zlib.crc32(bytes(fixed))) != checksum:
        raise Reject("InvalidChecksum")

    def file_data(off, size):
        if off == 0:
            return b""
        if off < fds:
            raise Reject("file offset before the file data section")
        start = off - fds
        chunk = data[fds + start:fds + start + size]
        if len(chunk) != size:
            raise Reject("InvalidDataSize: file data past the end")
        return chunk

    stage, pos = 0, 0
    platforms, masks = {}, {}
    areas = {}
    relocs = 0
    while pos < len(hdrs):
        if len(hdrs) - pos < 8:
            raise Reject("InvalidBinaryVariableHeaderSection: short header")
        typ, length = struct.unpack_from("<II", hdrs, pos)
        body = hdrs[pos + 8:pos + 8 + length]
        if 0x1 <= typ <= 0x100:
            if stage != 0:
                raise Reject("platform header after another section")
            if typ != 0x1 or length != 16 or len(body) != 16:
                raise Reject("InvalidVariableHeaderType (platform)")
            mask, vtl, ptype, pver, boundary = struct.unpack("<IBBHQ", body)
            if bin(mask).count("1") != 1:
                raise Reject("InvalidCompatibilityMask")
            if vtl not in (0, 2):
                raise Reject("InvalidVtl")
            if ptype not in PLATFORM_VERSION:
                raise Reject("InvalidPlatformType")
            if pver != PLATFORM_VERSION[ptype]:
                raise Reject("InvalidPlatformVersion")
            if ptype in (0, 1) and boundary != 0:
                raise Reject("InvalidSharedGpaBoundary")
            if ptype in platforms:
                raise Reject("MultiplePlatformHeadersWithSameIsolation")
            platforms[ptype] = mask
            masks[mask] = ptype
            pos += 8 + 16
        elif 0x101 <= typ <= 0x200:
            if stage == 2:
                raise Reject("initialization header after a directive")
            stage = 1
            if INIT_LEN.get(typ) != length or len(body) != length:
                raise Reject("InvalidVariableHeaderType (init)")
            if typ == 0x101 and struct.unpack_from("<I", body, 12)[0] != 0:
                raise Reject("ReservedNotZero (GUEST_POLICY)")
            if typ in (0x102, 0x103):
                relocs += 1  # needs a VBS VP context: NoMatchingVpContext below
            pos += 8 + length
        elif 0x301 <= typ <= 0x400:
            stage = 2
            if DIRECTIVE_LEN.get(typ) != length or len(body) != length:
                raise Reject("InvalidVariableHeaderType (directive %#x len %d)" % (typ, length))
            if typ == 0x301:
                nbytes, idx, off = struct.unpack("<QII", body)
                file_data(off, nbytes)
                if nbytes % 4096:
                    raise Reject("UnalignedSize (PARAMETER_AREA)")
                if idx in areas:
                    raise Reject("InvalidParameterAreaIndex (declared twice)")
                areas[idx] = "allocated"
            elif typ == 0x302:
                gpa, mask, off, flags, dtype, res = struct.unpack("<QIIIHH", body)
                file_data(off, 4096)
                if res:
                    raise Reject("ReservedNotZero (PAGE_DATA)")
                if gpa % 4096:
                    raise Reject("UnalignedAddress (PAGE_DATA)")
                if dtype > 3:
                    raise Reject("InvalidPageDataType")
            elif typ == 0x303:
                gpa, mask, idx = struct.unpack("<QII", body)
                if gpa % 4096:
                    raise Reject("UnalignedAddress (PARAMETER_INSERT)")
                if areas.get(idx) != "allocated":
                    raise Reject("InvalidParameterAreaIndex (insert)")
                areas[idx] = "inserted"
            elif typ == 0x304:
                gpa, mask, off, vp, _ = struct.unpack("<QIIHH", body)
                if len(hdrs) - (pos + 8) < 24:
                    raise Reject("InvalidVariableHeaderSize (VP_CONTEXT padding)")
                ptype = masks.get(mask)
                if ptype not in (0, 2):  # VSM needs VBS registers; TDX has none
                    raise Reject("InvalidVpContextPlatformType")
                if off < fds:
                    raise Reject("VP context file offset before the file data")
                page = data[off:off + 4096]
                if len(page) != 4096:
                    raise Reject("InvalidDataSize (VP context not a 4 KiB page)")
                if ptype == 0 and any(page[0xE8:]):
                    raise Reject("InvalidContext (native context page not zero-padded)")
                if ptype == 2 and gpa % 4096:
                    raise Reject("UnalignedAddress (VMSA)")
                pos += 8 + 24
                continue
            elif typ == 0x305:
                gpa, mask, nbytes, flags, res = struct.unpack("<QIIII", body)
                if res:
                    raise Reject("ReservedNotZero (REQUIRED_MEMORY)")
                if gpa % 4096 or nbytes % 4096:
                    raise Reject("Unaligned (REQUIRED_MEMORY)")
            elif typ == 0x30D:
                if struct.unpack_from("<Q", body)[0] % 4096:
                    raise Reject("UnalignedAddress (ERROR_RANGE)")
            elif typ in PARAM_TYPES:
                idx = struct.unpack_from("<I", body)[0]
                if areas.get(idx) != "allocated":
                    raise Reject("InvalidParameterAreaIndex (parameter)")
            pos += 8 + length
        else:
            raise Reject("InvalidBinaryVariableHeaderSection: type %#x" % typ)
    if not platforms:
        raise Reject("NoPlatformHeaders")
    if relocs:
        raise Reject("NoMatchingVpContext (relocation header)")
    return platforms


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        platforms = check(data)
    except Reject as e:
        print("rejected: %s" % e)
        return 1
    names = {0: "NATIVE", 1: "VSM_ISOLATION", 2: "SEV_SNP", 3: "TDX"}
    print("accepted: " + " ".join("%s=%#x" % (names[t], m) for t, m in sorted(platforms.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
