"""A stand-in for the uefivars service behind keel-varctl's two transports
(tests/hosted/varctl-hosted.sh): it checks keel-varctl's framing alone,
where the real service is not in the loop.

  varctl-fake.py port SOCKET     the guest-port wire (tools/keel-hosted/svsm_port.h)
  varctl-fake.py serial SOCKET   the booted passthrough frames (KMMQ/KMMP)

Variables live in memory: GetVariable, GetNextVariableName, SetVariable
(create, replace, append, delete), Keel's GET_RECORD and IMPORT. Not the
service's rules: just enough to answer a well-formed request the way
apps/uefivars/mm_wire.h lays it out. Not executable: a helper, not a test.
"""
import os
import socket
import struct
import sys
import uuid

VAR_GUID = uuid.UUID("ed32d533-99e6-4209-9cc0-2d72cdd998a7").bytes_le
ADMIN_GUID = uuid.UUID("4b65656c-5661-7273-8e1a-6b65656c0004").bytes_le
ERR = 1 << 63
INVALID, TOO_SMALL, WRITE_PROTECTED, NOT_FOUND, UNSUPPORTED = ERR | 2, ERR | 5, ERR | 8, ERR | 14, ERR | 3
store = []  # [guid, name bytes incl NUL, attrs, data, time, digest or None]


def find(guid, name):
    for v in store:
        if v[0] == guid and v[1] == name:
            return v
    return None


def handle(buf):
    """One MM buffer (bytearray), answered in place; returns the SVSM result."""
    if len(buf) < 24:
        return 0x80000005
    guid, length = buf[:16], struct.unpack_from("<Q", buf, 16)[0]
    if length > len(buf) - 24 or length < 16:
        return 0x80000005
    fn = struct.unpack_from("<Q", buf, 24)[0]
    d = 40
    st = UNSUPPORTED
    if guid == VAR_GUID and fn == 1:  # GetVariable
        g, dsize, nsize, _ = struct.unpack_from("<16sQQI", buf, d)
        v = find(g, bytes(buf[d + 36:d + 36 + nsize]))
        if not v:
            st = NOT_FOUND
        elif len(v[3]) > dsize:
            struct.pack_into("<Q", buf, d + 16, len(v[3]))
            st = TOO_SMALL
        else:
            struct.pack_into("<16sQQI", buf, d, g, len(v[3]), nsize, v[2])
            buf[d + 36 + nsize:d + 36 + nsize + len(v[3])] = v[3]
            st = 0
    elif guid == VAR_GUID and fn == 2:  # GetNextVariableName
        g, cap = struct.unpack_from("<16sQ", buf, d)
        cur = bytes(buf[d + 24:d + 24 + cap])
        end = next((i for i in range(0, len(cur) - 1, 2) if cur[i:i + 2] == b"\0\0"), None)
        cur = cur[:end + 2] if end is not None else cur
        idx = 0
        if cur != b"\0\0":
            idx = next((i + 1 for i, v in enumerate(store) if v[0] == g and v[1] == cur), None)
        if idx is None:
            st = INVALID
        elif idx >= len(store):
            st = NOT_FOUND
        else:
            v = store[idx]
            struct.pack_into("<16sQ", buf, d, v[0], len(v[1]))
            buf[d + 24:d + 24 + len(v[1])] = v[1]
            st = 0
    elif guid == VAR_GUID and fn == 3:  # SetVariable
        g, dsize, nsize, attrs = struct.unpack_from("<16sQQI", buf, d)
        name = bytes(buf[d + 36:d + 36 + nsize])
        data = bytes(buf[d + 36 + nsize:d + 36 + nsize + dsize])
        v = find(g, name)
        if dsize == 0 or not attrs & 6:
            st = 0 if v else NOT_FOUND
            if v:
                store.remove(v)
        elif attrs & 0x40 and v:
            v[3] += data
            st = 0
        elif v:
            v[2], v[3], st = attrs & ~0x40, data, 0
        else:
            store.append([g, name, attrs & ~0x40, data, b"\0" * 16, None])
            st = 0
    elif guid == ADMIN_GUID and fn == 1:  # GET_RECORD
        g, nsize = struct.unpack_from("<16sQ", buf, d)
        v = find(g, bytes(buf[d + 24:d + 24 + nsize]))
        if not v:
            st = NOT_FOUND
        else:
            rec = struct.pack("<16sIIIB3x16s32s", v[0], v[2], len(v[1]), len(v[3]),
                              v[5] is not None, v[4], v[5] or b"\0" * 32) + v[1] + v[3]
            if d + len(rec) > len(buf):
                st = TOO_SMALL
            else:
                buf[d:d + len(rec)] = rec
                st = 0
    elif guid == ADMIN_GUID and fn == 2:  # IMPORT
        count = struct.unpack_from("<I", buf, d)[0]
        if any(v[2] & 1 for v in store):
            st = WRITE_PROTECTED
        else:
            p, new = d + 8, []
            for _ in range(count):
                g, attrs, ns, ds, hd, t, dg = struct.unpack_from("<16sIIIB3x16s32s", buf, p)
                name = bytes(buf[p + 80:p + 80 + ns])
                new.append([g, name, attrs, bytes(buf[p + 80 + ns:p + 80 + ns + ds]), t,
                            dg if hd else None])
                p += (80 + ns + ds + 7) & ~7
            store.extend(new)
            st = 0
    struct.pack_into("<Q", buf, 32, st)
    return 0


def recv_all(c, n):
    b = bytearray()
    while len(b) < n:
        r = c.recv(n - len(b))
        if not r:
            raise EOFError
        b += r
    return b


def serve_port(c):
    while True:
        q = recv_all(c, 64)
        magic, ver, rax, rcx, rdx, r8, r9, gpa, wlen, res = struct.unpack("<IIQQQQQQII", q)
        win = recv_all(c, wlen)
        res_rax = 0x80000001  # unsupported protocol
        if rax == (4 << 32 | 1) and rcx == gpa and rdx == wlen and gpa % 4096 == 0:
            res_rax = handle(win)
        c.sendall(struct.pack("<IIQQQQQII", 0x5243564B, 0, res_rax, rcx, rdx, r8, gpa, wlen, 0) + win)


def serve_serial(c):
    while True:
        magic, size, n = struct.unpack("<III", recv_all(c, 12))
        if size == 0:
            sys.exit(0)  # the exit frame ends the guest: keel-varctl must never send it
        if magic != 0x514D4D4B:
            return
        buf = bytearray(size)
        buf[:n] = recv_all(c, n)
        rax = handle(buf)
        m = min(size, 24 + struct.unpack_from("<Q", buf, 16)[0])
        c.sendall(struct.pack("<III", 0x504D4D4B, rax, m) + buf[:m])


def main():
    mode, path = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path):
        os.unlink(path)
    s.bind(path)
    s.listen(4)
    while True:
        c, _ = s.accept()
        try:
            (serve_port if mode == "port" else serve_serial)(c)
        except EOFError:
            pass
        c.close()


main()
