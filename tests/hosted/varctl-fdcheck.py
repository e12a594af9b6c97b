"""An independent reading of a raw edk2 varstore for tests/hosted/varctl-hosted.sh
(not apps/uefivars/fdstore.c, which it cross-checks): prints one line per
live authenticated-store variable, `GUID NAME ATTR_HEX DATA_HEX`, in store
order. Only Debian's well-formed OVMF_VARS files are its business: no
corruption handling. Not executable: a helper, not a test.
"""
import struct
import sys
import uuid

img = open(sys.argv[1], "rb").read()
hdr_len = struct.unpack_from("<H", img, 48)[0]
store = hdr_len
size = struct.unpack_from("<I", img, store + 16)[0]
off, end, live = store + 28, store + size, {}
order = []
while off + 60 <= end and struct.unpack_from("<H", img, off)[0] == 0x55AA:
    state, attrs = img[off + 2], struct.unpack_from("<I", img, off + 4)[0]
    ns, ds = struct.unpack_from("<II", img, off + 36)
    guid = str(uuid.UUID(bytes_le=img[off + 44:off + 60]))
    name = img[off + 60:off + 60 + ns].decode("utf-16-le").rstrip("\0")
    data = img[off + 60 + ns:off + 60 + ns + ds]
    key = (guid, name)
    if state == 0x3F or (state == 0x3E and key not in live):
        if key not in live:
            order.append(key)
        live[key] = (attrs, data)
    off = (off + 60 + ns + ds + 3) & ~3
for key in order:
    if key[1] in ("certdb", "certdbv"):
        continue
    attrs, data = live[key]
    print(key[0], key[1].replace(" ", "_"), "%x" % attrs, data.hex())
