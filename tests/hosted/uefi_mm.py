# The raw-buffer suite of the UEFI variable service (issue 16): edk2 MM
# communicate buffers built and parsed byte by byte, sent through one of two
# transports, checked case by case as TAP.
#
#   python3 tests/hosted/uefi_mm.py suite (--state DIR | --serial SOCK) PART... [--keys DIR] [--quit]
#   python3 tests/hosted/uefi_mm.py bench (--state DIR | --serial SOCK) [N]
#   python3 tests/hosted/uefi_mm.py quit --serial SOCK     the guest's exit frame, if it is still there
#
# Transports: --state DIR, keel-hosted's guest port DIR/svsm.sock
# (docs/hosted.md "Guest port": the buffer is the call's window); --serial
# SOCK, the booted test guest in mode uefi-passthrough on COM2
# (tests/guest/uefipass.c: KMMQ/KMMP frames). Both carry the same buffer
# (64 KiB unless a case says otherwise) and give back the SVSM result and
# the buffer after the call, so every case runs unchanged on both.
#
# PARTs (tests/hosted/uefivars-hosted.sh, tests/system/uefivars-booted.sh
# run them in this order on one store): functions, secureboot, persist-set,
# phases (ReadyToBoot/ExitBootServices: the store stays at runtime until a
# restart), then after a restart persist-check; default-store checks a
# store seeded from OVMF_VARS_4M.ms.fd. Expected statuses follow edk2
# (MdeModulePkg/Universal/Variable/RuntimeDxe VariableSmm.c, Variable.c,
# VariableParsing.c; SecurityPkg AuthVariableLib); the few cases where
# edk2 leaves it open accept a set and print what came back.
#
# Not a test itself (not executable): the driver scripts are.
import os
import socket
import struct
import subprocess
import sys
import time
import uuid

# ---- wire constants (repeated from edk2 on purpose: the suite shares no code with the service) ----
KIB = 1024
BUF_EDK2 = 64 * KIB
BUF_MAX = 256 * KIB
MM_HDR = 24  # EFI_MM_COMMUNICATE_HEADER: GUID, u64 MessageLength
VAR_HDR = 16  # SMM_VARIABLE_COMMUNICATE_HEADER: u64 Function, u64 ReturnStatus
ACCESS = 36  # SMM_VARIABLE_COMMUNICATE_ACCESS_VARIABLE up to Name
NEXT = 24  # SMM_VARIABLE_COMMUNICATE_GET_NEXT_VARIABLE_NAME up to Name
OFF_STATUS = MM_HDR + 8
OFF_DATA = MM_HDR + VAR_HDR

FN_GET, FN_NEXT, FN_SET, FN_QUERY, FN_READY_TO_BOOT, FN_EXIT_BOOT_SERVICE = 1, 2, 3, 4, 5, 6
FN_GET_STATISTICS, FN_LOCK, FN_GET_PAYLOAD_SIZE = 7, 8, 11

NV, BS, RT, HR, AW, AT, APPEND = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40
NV_BS_RT = NV | BS | RT
NV_BS_RT_AT = NV_BS_RT | AT

SVSM_SUCCESS = 0
SVSM_ERR_INVALID_PARAMETER = 0x80000005
NOT_CALLED = 0xFFFFFFFF  # the passthrough guest's "frame not served"


def _err(n):
    return (1 << 63) | n


EFI = {
    "SUCCESS": 0,
    "INVALID_PARAMETER": _err(2),
    "UNSUPPORTED": _err(3),
    "BAD_BUFFER_SIZE": _err(4),
    "BUFFER_TOO_SMALL": _err(5),
    "DEVICE_ERROR": _err(7),
    "WRITE_PROTECTED": _err(8),
    "OUT_OF_RESOURCES": _err(9),
    "NOT_FOUND": _err(14),
    "ACCESS_DENIED": _err(15),
    "ALREADY_STARTED": _err(20),
    "SECURITY_VIOLATION": _err(26),
}
EFI_NAMES = {v: k for k, v in EFI.items()}


def efi_name(status):
    return EFI_NAMES.get(status, "0x%x" % status)


def guid(text):
    """A GUID in wire order (the first three fields little-endian)."""
    return uuid.UUID(text).bytes_le


MM_VARIABLE = guid("ed32d533-99e6-4209-9cc0-2d72cdd998a7")
MM_POLICY = guid("da1b0d11-d1a7-46c4-9dc9-f3714875c6eb")
MM_END_OF_DXE = guid("02ce967a-dd7e-4ffc-9ee7-810cf0470880")
MM_READY_TO_BOOT = guid("7ce88fb3-4bd7-4679-87a8-a8d8dee50d2b")
MM_EXIT_BOOT_SERVICES = guid("27abf055-b1b8-4c26-8048-748f37baa2df")
GLOBAL = guid("8be4df61-93ca-11d2-aa0d-00e098032b8c")
IMAGE_SECURITY_DB = guid("d719b2cb-3d3a-4596-a3bc-dad00e67656f")
HW_ERROR = guid("414e6bdd-e47b-47cc-b244-bb61020cf516")
SECURE_BOOT_ENABLE = guid("f0a30bc7-af08-4556-99c4-001009c93a44")
TEST = guid("4b65656c-7465-7374-9e5a-000000000016")  # the suite's own vendor GUID
TEST_TEXT = "4b65656c-7465-7374-9e5a-000000000016"
OWNER_TEXT = "4b65656c-6f77-6e65-8272-000000000016"  # signature owner of the test keys
UNKNOWN_GUID = guid("01234567-89ab-cdef-0123-456789abcdef")

POLICY_SIGNATURE = 0x43504356  # 'V','C','P','C'
POLICY_CMD_IS_ENABLED, POLICY_CMD_REGISTER = 2, 3
POLICY_ENTRY_VERSION = 0x10000
POLICY_HDR = 20  # VAR_CHECK_POLICY_COMM_HEADER
POLICY_ENTRY = 44  # VARIABLE_POLICY_ENTRY up to the name (OffsetToName)
LOCK_NOW = 1


def ucs2(name):
    """A UEFI name: UCS-2 little-endian with its NUL."""
    return name.encode("utf-16-le") + b"\0\0"


# ---- builders: each returns the bytes to put at the buffer's start ----


def mm(header_guid, message, length=None):
    """EFI_MM_COMMUNICATE_HEADER + message; length overrides MessageLength."""
    return header_guid + struct.pack("<Q", len(message) if length is None else length) + message


def var_msg(function, body=b""):
    return mm(MM_VARIABLE, struct.pack("<QQ", function, 0) + body)


def access(vguid, name_bytes, attrs, data_size, data=b""):
    return vguid + struct.pack("<QQI", data_size, len(name_bytes), attrs) + name_bytes + data


GET_CAP = 4096  # DataSize of a plain Get: the suite's variables fit; every byte also crosses COM2 booted


def get_var(name, vguid=TEST, cap=GET_CAP, bufsize=BUF_EDK2):
    """GetVariable with DataSize = cap (None: all the buffer has room for)."""
    n = ucs2(name) if isinstance(name, str) else name
    if cap is None:
        cap = bufsize - MM_HDR - VAR_HDR - ACCESS - len(n)
    return var_msg(FN_GET, access(vguid, n, 0, cap, bytes(cap)))


def set_var(name, data, attrs=NV_BS_RT, vguid=TEST):
    n = ucs2(name) if isinstance(name, str) else name
    return var_msg(FN_SET, access(vguid, n, attrs, len(data), data))


def next_name(name="", vguid=bytes(16), cap=None):
    """GetNextVariableName after (name, vguid); cap = NameSize in (default: 256 bytes, 127 characters)."""
    n = ucs2(name)
    if cap is None:
        cap = max(256, len(n))
    body = n + bytes(max(0, cap - len(n)))
    return var_msg(FN_NEXT, vguid + struct.pack("<Q", cap) + body)


def query_info(attrs):
    return var_msg(FN_QUERY, struct.pack("<QQQI", 0, 0, 0, attrs))


def lock_var(name, vguid=TEST):
    n = ucs2(name)
    return var_msg(FN_LOCK, vguid + struct.pack("<Q", len(n)) + n)


def payload_size():
    return var_msg(FN_GET_PAYLOAD_SIZE, struct.pack("<Q", 0))


def policy(command, body=b""):
    return mm(MM_POLICY, struct.pack("<IIIQ", POLICY_SIGNATURE, 1, command, 0) + body)


def policy_entry(name, vguid, min_size, max_size, must_have, cant_have, lock_type=0):
    n = ucs2(name)
    return struct.pack("<IHH", POLICY_ENTRY_VERSION, POLICY_ENTRY + len(n), POLICY_ENTRY) + vguid + struct.pack(
        "<IIIIB3x", min_size, max_size, must_have, cant_have, lock_type) + n


# ---- parsers: the buffer after the call ----


def u64(buf, off):
    return struct.unpack_from("<Q", buf, off)[0]


def status(buf):
    return u64(buf, OFF_STATUS)


def parse_access(buf):
    """(attrs, data_size, data) of a Get answer (data only when it fits)."""
    o = OFF_DATA
    data_size, name_size, attrs = struct.unpack_from("<QQI", buf, o + 16)
    start = o + ACCESS + name_size
    return attrs, data_size, bytes(buf[start:start + data_size]) if start + data_size <= len(buf) else None


def parse_next(buf):
    """(guid, name_size, name) of a GetNextVariableName answer."""
    o = OFF_DATA
    g = bytes(buf[o:o + 16])
    name_size = u64(buf, o + 16)
    raw = bytes(buf[o + NEXT:o + NEXT + min(name_size, len(buf))])
    name = raw.decode("utf-16-le", "replace").split("\0")[0]
    return g, name_size, name


def parse_query(buf):
    return struct.unpack_from("<QQQ", buf, OFF_DATA)


def policy_result(buf):
    return u64(buf, MM_HDR + 12)


# ---- transports ----


class HostedPort:
    """keel-hosted's guest port: one SVSM call per frame, the buffer as the window."""

    GPA = 0x10000000
    PROTOCOL, CALL = 4, 1

    def __init__(self, state_dir, timeout=60):
        self.path = os.path.join(state_dir, "svsm.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(self.path)
        self.max_buffer = int(os.environ.get("KEEL_PORT_WINDOW_MAX", "65536"))

    def _recv(self, n):
        out = bytearray()
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("guest port closed the connection")
            out += chunk
        return bytes(out)

    def raw_call(self, rax, rcx, rdx, window, gpa=GPA):
        req = struct.pack("<IIQQQQQQII", 0x5143564B, 1, rax, rcx, rdx, 0, 0, gpa, len(window), 0)
        self.sock.sendall(req + window)
        hdr = self._recv(56)
        magic, st, rax, _rcx, _rdx, _r8, _gpa, wlen, _res = struct.unpack("<IIQQQQQII", hdr)
        if magic != 0x5243564B or st != 0:
            raise ConnectionError("guest port refused the frame (status %d)" % st)
        return rax, rcx, self._recv(wlen)

    def call(self, data, bufsize=BUF_EDK2):
        """(rax, buffer after the call) for `data` at the start of a zeroed bufsize buffer."""
        window = bytearray(max(bufsize, len(data)))
        window[:len(data)] = data
        rax, _, out = self.raw_call(self.PROTOCOL << 32 | self.CALL, self.GPA, bufsize, bytes(window[:bufsize]))
        return rax & 0xFFFFFFFF, bytearray(out)

    def close(self, quit_guest=False):
        self.sock.close()


class SerialPassthrough:
    """The booted test guest's COM2 (mode uefi-passthrough): KMMQ requests, KMMP answers."""

    max_buffer = BUF_MAX

    def __init__(self, path, timeout=120):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        deadline = time.time() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)

    def _recv(self, n):
        out = bytearray()
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("COM2 socket closed")
            out += chunk
        return bytes(out)

    def call(self, data, bufsize=BUF_EDK2):
        data = data[:bufsize]
        self.sock.sendall(struct.pack("<III", 0x514D4D4B, bufsize, len(data)) + data)
        window = b""
        while window != b"KMMP":  # resync on the magic: a stray byte costs a byte, not the link
            window = (window + self._recv(1))[-4:]
        rax, m = struct.unpack("<II", self._recv(8))
        out = bytearray(self._recv(m))
        out += bytes(max(0, bufsize - m))  # the guest sends only 24 + MessageLength bytes
        return rax, out

    def close(self, quit_guest=False):
        if quit_guest:
            self.sock.sendall(struct.pack("<III", 0x514D4D4B, 0, 0))
        self.sock.close()


def open_transport(args):
    if args[0] == "--state":
        return HostedPort(args[1]), args[2:]
    if args[0] == "--serial":
        return SerialPassthrough(args[1]), args[2:]
    raise SystemExit("uefi_mm.py: --state DIR or --serial SOCK first")


# ---- the suite ----


class Tap:
    def __init__(self, transport):
        self.t = transport
        self.n = 0
        self.failed = 0

    def result(self, good, what, diag=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if good else "not ok", self.n, what), flush=True)
        if not good:
            self.failed += 1
            if diag:
                print("#   %s" % diag, flush=True)
        return good

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why), flush=True)

    def call(self, data, bufsize=BUF_EDK2):
        return self.t.call(data, bufsize)

    def expect(self, what, data, want, bufsize=BUF_EDK2):
        """One request; the message status must be `want` (a name or a set of names). Returns the buffer."""
        rax, buf = self.call(data, bufsize)
        wants = (want,) if isinstance(want, str) else tuple(want)
        got = status(buf)
        self.result(rax == SVSM_SUCCESS and got in [EFI[w] for w in wants], "%s: %s" % (what, "/".join(wants)),
                    "SVSM rax 0x%x, status %s" % (rax, efi_name(got)))
        return buf

    def get(self, name, vguid=TEST):
        """(status, attrs, data) of GetVariable: DataSize 0 first, then exactly the size it asked
        for, so the answer is no longer than the data (booted, every byte crosses COM2 twice)."""
        rax, buf = self.call(get_var(name, vguid, 0))
        if rax != SVSM_SUCCESS:
            return None, None, None
        st = status(buf)
        if st == EFI["BUFFER_TOO_SMALL"]:
            rax, buf = self.call(get_var(name, vguid, parse_access(buf)[1]))
            if rax != SVSM_SUCCESS:
                return None, None, None
            st = status(buf)
        attrs, _, data = parse_access(buf)
        return st, attrs, data

    def has(self, what, name, data, attrs=None, vguid=TEST):
        st, a, d = self.get(name, vguid)
        good = st == 0 and d == data and (attrs is None or a == attrs)
        return self.result(good, what, "status %s attrs %s data %r" % (efi_name(st or 0), a, d and d[:32]))

    def absent(self, what, name, vguid=TEST):
        st, _, _ = self.get(name, vguid)
        return self.result(st == EFI["NOT_FOUND"], what, "status %s" % efi_name(st or 0))

    def names(self):
        """Every (guid, name) GetNextVariableName returns, in order; None if the walk went wrong."""
        out, name, g = [], "", bytes(16)
        for _ in range(4096):
            rax, buf = self.call(next_name(name, g))
            st = status(buf)
            if rax != SVSM_SUCCESS:
                return None
            if st == EFI["NOT_FOUND"]:
                return out
            if st != 0:
                print("#   GetNextVariableName after %r: %s" % (name, efi_name(st)))
                return None
            g, _, name = parse_next(buf)
            out.append((g, name))
        return None


def part_functions(s):
    big = b"K" * 1000
    s.absent("GetVariable of a missing variable", "KeelMissing")
    s.expect("SetVariable creates a volatile BS|RT variable", set_var("KeelVol", b"volatile", BS | RT), "SUCCESS")
    s.has("GetVariable reads it back with attributes BS|RT", "KeelVol", b"volatile", BS | RT)
    s.expect("SetVariable creates an NV|BS|RT variable", set_var("KeelNv", b"\x01\x02\x03\x04"), "SUCCESS")
    s.has("GetVariable reads the NV variable back", "KeelNv", b"\x01\x02\x03\x04", NV_BS_RT)
    s.expect("SetVariable creates a BS-only volatile variable", set_var("KeelBsOnly", b"bs", BS), "SUCCESS")
    buf = s.expect("GetVariable with DataSize 2 (the data is 4)", get_var("KeelNv", cap=2), "BUFFER_TOO_SMALL")
    s.result(parse_access(buf)[1] == 4, "BUFFER_TOO_SMALL gives the needed DataSize (4)",
             "DataSize %d" % parse_access(buf)[1])
    s.expect("GetVariable with DataSize 0", get_var("KeelNv", cap=0), "BUFFER_TOO_SMALL")
    s.expect("GetVariable of the empty name", get_var(""), "NOT_FOUND")
    s.expect("GetVariable of an existing name under another GUID", get_var("KeelNv", UNKNOWN_GUID), "NOT_FOUND")
    s.expect("SetVariable replaces the data", set_var("KeelNv", b"replaced"), "SUCCESS")
    s.has("the replaced data reads back", "KeelNv", b"replaced", NV_BS_RT)
    s.expect("SetVariable with other attributes (BS|RT on an NV variable)", set_var("KeelNv", b"x", BS | RT),
             "INVALID_PARAMETER")
    s.has("the refused write changed nothing", "KeelNv", b"replaced", NV_BS_RT)
    s.expect("SetVariable with APPEND_WRITE appends", set_var("KeelNv", b"+more", NV_BS_RT | APPEND), "SUCCESS")
    s.has("appended data reads back, APPEND_WRITE not stored", "KeelNv", b"replaced+more", NV_BS_RT)
    s.expect("APPEND_WRITE of 0 bytes", set_var("KeelNv", b"", NV_BS_RT | APPEND), "SUCCESS")
    s.has("an empty append changes nothing", "KeelNv", b"replaced+more", NV_BS_RT)
    s.expect("APPEND_WRITE to a missing variable creates it", set_var("KeelAppended", b"first", BS | RT | APPEND),
             "SUCCESS")
    s.has("the created-by-append variable reads back", "KeelAppended", b"first", BS | RT)
    s.expect("SetVariable of 1000 bytes", set_var("KeelBig", big), "SUCCESS")
    s.has("1000 bytes read back", "KeelBig", big)
    s.expect("delete by DataSize 0", set_var("KeelAppended", b"", BS | RT), "SUCCESS")
    s.absent("the deleted variable is gone", "KeelAppended")
    s.expect("delete by attributes 0", set_var("KeelBig", b"", 0), "SUCCESS")
    s.absent("deleted by attributes 0 is gone", "KeelBig")
    s.expect("delete of a missing variable", set_var("KeelMissing", b"", NV_BS_RT), "NOT_FOUND")
    s.expect("RT without BS", set_var("KeelRtOnly", b"x", RT), "INVALID_PARAMETER")
    s.expect("NV|RT without BS", set_var("KeelRtOnly", b"x", NV | RT), "INVALID_PARAMETER")
    s.absent("nothing was stored for the RT-without-BS requests", "KeelRtOnly")
    s.expect("an unknown attribute bit (0x100)", set_var("KeelOddAttr", b"x", NV_BS_RT | 0x100), "INVALID_PARAMETER")
    s.expect("AUTHENTICATED_WRITE_ACCESS (deprecated, count based)", set_var("KeelAw", b"x", NV_BS_RT | AW),
             "UNSUPPORTED")
    s.expect("TIME_BASED_AUTHENTICATED_WRITE without an AUTHENTICATION_2 header", set_var("KeelAt", b"12345678",
                                                                                          NV_BS_RT_AT),
             "SECURITY_VIOLATION")
    s.expect("HARDWARE_ERROR_RECORD on a name that is not HwErrRec####", set_var("KeelHr", b"x", NV_BS_RT | HR),
             "INVALID_PARAMETER")
    s.expect("SetVariable of the empty name", set_var("", b"x"), "INVALID_PARAMETER")
    s.expect("SetVariable of SecureBoot (read-only)", set_var("SecureBoot", b"\x01", BS | RT, GLOBAL),
             "WRITE_PROTECTED")
    s.expect("SetVariable of SetupMode (read-only)", set_var("SetupMode", b"\x00", BS | RT, GLOBAL), "WRITE_PROTECTED")
    st, a, d = s.get("SetupMode", GLOBAL)
    s.result(st == 0 and d == b"\x01" and a == BS | RT, "empty store: SetupMode = 1 (BS|RT)",
             "status %s attrs %s data %r" % (efi_name(st or 0), a, d))
    st, a, d = s.get("SecureBoot", GLOBAL)
    s.result(st == 0 and d == b"\x00", "empty store: SecureBoot = 0", "status %s data %r" % (efi_name(st or 0), d))

    # GetNextVariableName
    names = s.names()
    s.result(names is not None, "GetNextVariableName walks the store to NOT_FOUND")
    names = names or []
    mine = [n for g, n in names if g == TEST]
    s.result(sorted(mine) == ["KeelBsOnly", "KeelNv", "KeelVol"], "the walk lists each of the suite's variables once",
             "got %r" % mine)
    s.result((GLOBAL, "SetupMode") in names and (GLOBAL, "SecureBoot") in names,
             "the walk lists SetupMode and SecureBoot")
    if names:
        first = names[0][1]
        buf = s.expect("GetNextVariableName with NameSize 2 (first name %r)" % first, next_name("", bytes(16), cap=2),
                       "BUFFER_TOO_SMALL" if first else "SUCCESS")
        s.result(parse_next(buf)[1] == len(ucs2(first)), "BUFFER_TOO_SMALL gives the needed NameSize (%d)" %
                 len(ucs2(first)), "NameSize %d" % parse_next(buf)[1])
        last_g, last = names[-1]
        s.expect("GetNextVariableName after the last variable", next_name(last, last_g), "NOT_FOUND")
    else:
        s.result(False, "GetNextVariableName BUFFER_TOO_SMALL (no walk)")
        s.result(False, "BUFFER_TOO_SMALL gives the needed NameSize (no walk)")
        s.result(False, "GetNextVariableName after the last variable (no walk)")
    s.expect("GetNextVariableName after a name that does not exist", next_name("KeelNoSuch", TEST), "INVALID_PARAMETER")

    # QueryVariableInfo
    buf = s.expect("QueryVariableInfo NV|BS|RT", query_info(NV_BS_RT), "SUCCESS")
    mx, remaining, maxvar = parse_query(buf)
    s.result(mx >= remaining > 0 and maxvar > 0, "QueryVariableInfo: max %d >= remaining %d > 0, max variable %d" %
             (mx, remaining, maxvar))
    s.expect("SetVariable of 2000 NV bytes", set_var("KeelQuota", b"q" * 2000), "SUCCESS")
    remaining2 = parse_query(s.call(query_info(NV_BS_RT))[1])[1]
    s.result(remaining2 <= remaining - 2000, "remaining NV storage fell by at least 2000 (%d -> %d)" %
             (remaining, remaining2))
    s.expect("delete the quota variable", set_var("KeelQuota", b"", NV_BS_RT), "SUCCESS")
    s.expect("QueryVariableInfo BS|RT (volatile)", query_info(BS | RT), "SUCCESS")
    s.expect("QueryVariableInfo attributes 0", query_info(0), "INVALID_PARAMETER")
    s.expect("QueryVariableInfo NV only", query_info(NV), "INVALID_PARAMETER")
    s.expect("QueryVariableInfo RT without BS", query_info(NV | RT), "INVALID_PARAMETER")
    buf = s.expect("GetPayloadSize", payload_size(), "SUCCESS")
    s.result(u64(buf, OFF_DATA) >= 1024, "GetPayloadSize reports %d bytes (>= 1024)" % u64(buf, OFF_DATA))

    # LockVariable and variable policy: registered during DXE, enforced from EndOfDxe on (edk2:
    # EDKII_VARIABLE_LOCK_PROTOCOL locks "after leaving DXE"; VarCheckLib checks from EndOfDxe)
    s.expect("SetVariable KeelLocked", set_var("KeelLocked", b"before"), "SUCCESS")
    s.expect("LockVariable KeelLocked", lock_var("KeelLocked"), "SUCCESS")
    s.expect("LockVariable KeelLocked again (the same lock)", lock_var("KeelLocked"), "SUCCESS")
    s.expect("LockVariable of a name not yet set", lock_var("KeelLockedEarly"), "SUCCESS")
    s.expect("before EndOfDxe a locked variable is still writable", set_var("KeelLocked", b"before"), "SUCCESS")
    buf = s.call(policy(POLICY_CMD_IS_ENABLED, b"\0"))[1]
    s.result(policy_result(buf) == 0 and buf[MM_HDR + POLICY_HDR] == 1, "policy IS_ENABLED: result SUCCESS, state TRUE",
             "result %s state %d" % (efi_name(policy_result(buf)), buf[MM_HDR + POLICY_HDR]))
    rax, buf = s.call(policy(POLICY_CMD_REGISTER, policy_entry("KeelPolicy", TEST, 0, 8, 0, NV)))
    s.result(rax == 0 and policy_result(buf) == 0, "policy REGISTER (KeelPolicy: at most 8 bytes, never NV)",
             "rax 0x%x result %s" % (rax, efi_name(policy_result(buf))))
    rax, buf = s.call(policy(POLICY_CMD_REGISTER, policy_entry("KeelPolicy", TEST, 0, 8, 0, NV)))
    s.result(rax == 0 and policy_result(buf) == EFI["ALREADY_STARTED"], "policy REGISTER of the same policy again: "
             "ALREADY_STARTED", "rax 0x%x result %s" % (rax, efi_name(policy_result(buf))))
    s.expect("before EndOfDxe the policy is not enforced", set_var("KeelPolicy", b"123456789", BS | RT), "SUCCESS")
    s.expect("delete it again", set_var("KeelPolicy", b"", BS | RT), "SUCCESS")

    # EndOfDxe: the locks and policies bite, LockVariable closes
    rax, _ = s.call(mm(MM_END_OF_DXE, b""))
    s.result(rax == 0, "the EndOfDxe event (its GUID, no message)", "rax 0x%x" % rax)
    s.expect("write of a locked variable", set_var("KeelLocked", b"after"), "WRITE_PROTECTED")
    s.expect("delete of a locked variable", set_var("KeelLocked", b"", NV_BS_RT), "WRITE_PROTECTED")
    s.has("a locked variable still reads", "KeelLocked", b"before")
    s.expect("creating a locked name", set_var("KeelLockedEarly", b"x"), "WRITE_PROTECTED")
    s.expect("a write larger than the policy allows", set_var("KeelPolicy", b"123456789", BS | RT),
             "INVALID_PARAMETER")
    s.expect("a write with an attribute the policy forbids", set_var("KeelPolicy", b"1", NV_BS_RT),
             "INVALID_PARAMETER")
    s.expect("a write inside the policy", set_var("KeelPolicy", b"12345678", BS | RT), "SUCCESS")
    s.expect("LockVariable after EndOfDxe", lock_var("KeelTooLate"), "ACCESS_DENIED")

    # unknown functions and GUIDs
    s.expect("unknown function 99", var_msg(99, bytes(64)), "UNSUPPORTED")
    s.expect("GET_STATISTICS (not provided)", var_msg(FN_GET_STATISTICS, bytes(64)), "UNSUPPORTED")
    rax, buf = s.call(mm(UNKNOWN_GUID, struct.pack("<QQ", FN_GET, 0) + bytes(64)))
    s.result(rax != SVSM_SUCCESS or status(buf) != 0, "an unknown header GUID is refused (SVSM 0x%x, status %s)" %
             (rax, efi_name(status(buf))))

    # malformed buffers: a status, never a crash, the store untouched
    rax, _ = s.call(mm(MM_VARIABLE, struct.pack("<QQ", FN_GET, 0), length=BUF_EDK2))
    s.result(rax == SVSM_ERR_INVALID_PARAMETER, "MessageLength past the buffer: SVSM_ERR_INVALID_PARAMETER",
             "rax 0x%x" % rax)
    rax, _ = s.call(mm(MM_VARIABLE, struct.pack("<QQ", FN_GET, 0), length=(1 << 64) - 1))
    s.result(rax == SVSM_ERR_INVALID_PARAMETER, "MessageLength 2^64-1: SVSM_ERR_INVALID_PARAMETER", "rax 0x%x" % rax)
    rax, buf = s.call(mm(MM_VARIABLE, struct.pack("<QQ", FN_GET, 0) + bytes(10)))
    s.result(rax != SVSM_SUCCESS or status(buf) != 0, "a GetVariable message shorter than its structure is refused",
             "rax 0x%x status %s" % (rax, efi_name(status(buf))))
    rax, buf = s.call(mm(MM_VARIABLE, b"\x01\x00"))
    # No room for a status: edk2 returns without a word; an SVSM error is fine too. Nothing may be written past it.
    s.result(rax in (SVSM_SUCCESS, SVSM_ERR_INVALID_PARAMETER) and buf[MM_HDR:MM_HDR + 2] == b"\x01\x00" and
             not any(buf[MM_HDR + 2:]), "a 2-byte message: answered (SVSM 0x%x), nothing written past it" % rax)
    odd = "KeelOdd".encode("utf-16-le") + b"\0"  # 15 bytes: the NUL cut in half
    s.expect("odd NameSize (15)", var_msg(FN_SET, access(TEST, odd, NV_BS_RT, 1, b"x")),
             ("ACCESS_DENIED", "INVALID_PARAMETER"))
    odd2 = ucs2("KeelOdd") + b"\0"  # 17 bytes, NUL where edk2 looks
    s.expect("odd NameSize (17)", var_msg(FN_SET, access(TEST, odd2, NV_BS_RT, 1, b"x")),
             ("ACCESS_DENIED", "INVALID_PARAMETER"))
    s.absent("no variable came of the odd NameSize requests", "KeelOdd")
    nonul = "KeelNoNul".encode("utf-16-le")
    s.expect("SetVariable name without its NUL", var_msg(FN_SET, access(TEST, nonul, NV_BS_RT, 1, b"x")),
             "ACCESS_DENIED")
    s.expect("GetVariable name without its NUL", var_msg(FN_GET, access(TEST, nonul, 0, 8, bytes(8))),
             "ACCESS_DENIED")
    s.expect("SetVariable DataSize past the message", var_msg(FN_SET, access(TEST, ucs2("KeelPast"), NV_BS_RT, 4096,
                                                                             b"abc")), "ACCESS_DENIED")
    s.expect("GetVariable DataSize past the message", var_msg(FN_GET, access(TEST, ucs2("KeelNv"), 0, 4096, bytes(8))),
             "ACCESS_DENIED")
    s.expect("SetVariable DataSize 2^64-1", var_msg(FN_SET, access(TEST, ucs2("KeelPast"), NV_BS_RT, (1 << 64) - 1,
                                                                    b"abc")), "ACCESS_DENIED")
    s.expect("SetVariable NameSize past the message", var_msg(FN_SET, TEST + struct.pack("<QQI", 1, 4096, NV_BS_RT) +
                                                              ucs2("KeelPast")), "ACCESS_DENIED")
    s.expect("GetNextVariableName NameSize past the message",
             var_msg(FN_NEXT, bytes(16) + struct.pack("<Q", 4096) + bytes(8)), "ACCESS_DENIED")
    s.absent("no variable came of the malformed requests", "KeelPast")
    rax, _ = s.call(get_var("KeelNv"), bufsize=16)
    s.result(rax != SVSM_SUCCESS, "a 16-byte buffer (below the 24-byte minimum) is refused (SVSM 0x%x)" % rax)
    s.has("after all that, the store is as it was", "KeelNv", b"replaced+more", NV_BS_RT)

    # buffer sizes: edk2's 64 KiB, the smallest that holds a request, and 256 KiB
    rax, buf = s.call(get_var("KeelNv", cap=64, bufsize=4096), bufsize=4096)
    s.result(rax == 0 and status(buf) == 0 and parse_access(buf)[2] == b"replaced+more", "GetVariable in a 4 KiB buffer")
    if s.t.max_buffer >= BUF_MAX:
        rax, buf = s.call(set_var("KeelLarge", b"L" * 4096), bufsize=BUF_MAX)
        s.result(rax == 0 and status(buf) == 0, "SetVariable in a 256 KiB buffer", "rax 0x%x status %s" %
                 (rax, efi_name(status(buf))))
        rax, buf = s.call(get_var("KeelLarge", cap=4096, bufsize=BUF_MAX), bufsize=BUF_MAX)
        s.result(rax == 0 and status(buf) == 0 and parse_access(buf)[2] == b"L" * 4096,
                 "GetVariable in a 256 KiB buffer")
    else:
        s.skip("SetVariable in a 256 KiB buffer", "the transport carries at most %d bytes" % s.t.max_buffer)
        s.skip("GetVariable in a 256 KiB buffer", "the transport carries at most %d bytes" % s.t.max_buffer)



# ---- Secure Boot (keys made at test time with openssl, efitools, sbsigntool) ----


def make_keys(d):
    """PK, KEK, db and a stranger's key, their ESLs and the signed updates the scenario sends."""
    os.makedirs(d, exist_ok=True)

    def run(*cmd):
        subprocess.run(cmd, cwd=d, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    for k in ("PK", "KEK", "db", "db2", "db3", "other"):
        run("openssl", "req", "-new", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
            "-subj", "/CN=Keel test %s/" % k, "-keyout", k + ".key", "-out", k + ".crt")
        run("cert-to-efi-sig-list", "-g", OWNER_TEXT, k + ".crt", k + ".esl")

    def sign(var, esl, key, out, ts, append=False):
        run("sign-efi-sig-list", *(["-a"] if append else []), "-g", OWNER_TEXT, "-t", ts, "-k", key + ".key", "-c",
            key + ".crt", var, esl, out)

    sign("PK", "PK.esl", "PK", "PK.auth", "2026-01-01 00:00:01")
    sign("KEK", "KEK.esl", "PK", "KEK.auth", "2026-01-01 00:00:02")
    sign("db", "db.esl", "KEK", "db.auth", "2026-01-01 00:00:03")
    sign("db", "db2.esl", "other", "db-stranger.auth", "2026-01-01 00:00:04")
    sign("db", "db2.esl", "KEK", "db-older.auth", "2025-06-01 00:00:00")
    sign("db", "db2.esl", "KEK", "db-append.auth", "2026-01-01 00:00:05", append=True)
    open(os.path.join(d, "empty.esl"), "wb").close()
    sign("PK", "empty.esl", "PK", "PK-delete.auth", "2026-01-01 00:00:07")
    # sbvarsign signs with the current time: later than every efitools timestamp above.
    run("sbvarsign", "--key", "KEK.key", "--cert", "KEK.crt", "--attr",
        "NON_VOLATILE,BOOTSERVICE_ACCESS,RUNTIME_ACCESS,APPEND_WRITE", "--output", "db-sbvarsign.auth", "db", "db3.esl")


def read(d, f):
    with open(os.path.join(d, f), "rb") as fh:
        return fh.read()


def part_secureboot(s, keys):
    if not os.path.exists(os.path.join(keys, "PK.auth")):
        make_keys(keys)

    def mode(what, setup, secure):
        _, _, su = s.get("SetupMode", GLOBAL)
        _, _, sb = s.get("SecureBoot", GLOBAL)
        s.result(su == bytes([setup]) and sb == bytes([secure]), "%s: SetupMode %d, SecureBoot %d" % (what, setup, secure),
                 "SetupMode %r SecureBoot %r" % (su, sb))

    mode("before enrolment", 1, 0)
    s.expect("PK as a plain NV|BS|RT write (no TIME_BASED attribute)", set_var("PK", read(keys, "PK.esl"), NV_BS_RT,
                                                                               GLOBAL), "INVALID_PARAMETER")
    s.expect("enroll PK (self-signed, setup mode)", set_var("PK", read(keys, "PK.auth"), NV_BS_RT_AT, GLOBAL), "SUCCESS")
    mode("after PK", 0, 1)
    s.expect("KEK signed by PK", set_var("KEK", read(keys, "KEK.auth"), NV_BS_RT_AT, GLOBAL), "SUCCESS")
    s.expect("db signed by KEK", set_var("db", read(keys, "db.auth"), NV_BS_RT_AT, IMAGE_SECURITY_DB), "SUCCESS")
    s.has("db holds the enrolled list (payload only, attributes NV|BS|RT|AT)", "db", read(keys, "db.esl"), NV_BS_RT_AT,
          IMAGE_SECURITY_DB)
    s.has("KEK holds its list", "KEK", read(keys, "KEK.esl"), NV_BS_RT_AT, GLOBAL)
    s.has("PK holds its list", "PK", read(keys, "PK.esl"), NV_BS_RT_AT, GLOBAL)
    mode("after PK, KEK, db", 0, 1)
    s.expect("unsigned db update (a bare ESL with TIME_BASED)", set_var("db", read(keys, "db2.esl"), NV_BS_RT_AT,
                                                                        IMAGE_SECURITY_DB), "SECURITY_VIOLATION")
    s.expect("unsigned db update (no TIME_BASED attribute)", set_var("db", read(keys, "db2.esl"), NV_BS_RT,
                                                                     IMAGE_SECURITY_DB), "INVALID_PARAMETER")
    s.expect("db update signed by a stranger", set_var("db", read(keys, "db-stranger.auth"), NV_BS_RT_AT,
                                                       IMAGE_SECURITY_DB), "SECURITY_VIOLATION")
    s.expect("replayed db update (same timestamp)", set_var("db", read(keys, "db.auth"), NV_BS_RT_AT, IMAGE_SECURITY_DB),
             "SECURITY_VIOLATION")
    s.expect("db update with an older timestamp", set_var("db", read(keys, "db-older.auth"), NV_BS_RT_AT,
                                                          IMAGE_SECURITY_DB), "SECURITY_VIOLATION")
    s.has("db unchanged by the refused updates", "db", read(keys, "db.esl"), None, IMAGE_SECURITY_DB)
    s.expect("append to db (efitools -a, signed by KEK)", set_var("db", read(keys, "db-append.auth"),
                                                                 NV_BS_RT_AT | APPEND, IMAGE_SECURITY_DB), "SUCCESS")
    s.has("db = first list + appended list", "db", read(keys, "db.esl") + read(keys, "db2.esl"), NV_BS_RT_AT,
          IMAGE_SECURITY_DB)
    s.expect("append the same list again (sbvarsign-signed db3 first)", set_var("db", read(keys, "db-sbvarsign.auth"),
                                                                                NV_BS_RT_AT | APPEND,
                                                                                IMAGE_SECURITY_DB), "SUCCESS")
    s.has("db = db + db2 + db3 (sbvarsign append)", "db", read(keys, "db.esl") + read(keys, "db2.esl") +
          read(keys, "db3.esl"), NV_BS_RT_AT, IMAGE_SECURITY_DB)
    s.expect("deleting PK unsigned (size 0)", set_var("PK", b"", NV_BS_RT_AT, GLOBAL), "SECURITY_VIOLATION")
    mode("after the refused PK delete", 0, 1)
    s.expect("deleting PK (signed empty update)", set_var("PK", read(keys, "PK-delete.auth"), NV_BS_RT_AT, GLOBAL),
             "SUCCESS")
    s.absent("PK is gone", "PK", GLOBAL)
    mode("after deleting PK (setup mode)", 1, 0)


# ---- persistence, phases, default store ----


def part_persist_set(s):
    s.expect("persist: NV variable KeelPersist", set_var("KeelPersist", b"survives a restart"), "SUCCESS")
    s.expect("persist: volatile variable KeelGoneAtBoot", set_var("KeelGoneAtBoot", b"ram", BS | RT), "SUCCESS")
    s.expect("persist: NV variable KeelDeleted", set_var("KeelDeleted", b"doomed"), "SUCCESS")
    s.expect("persist: delete KeelDeleted", set_var("KeelDeleted", b"", NV_BS_RT), "SUCCESS")


def part_persist_check(s, keys):
    s.has("after restart: the NV variable is there", "KeelPersist", b"survives a restart", NV_BS_RT)
    s.has("after restart: the replaced and appended NV variable", "KeelNv", b"replaced+more", NV_BS_RT)
    s.absent("after restart: the volatile variable is gone", "KeelGoneAtBoot")
    s.absent("after restart: the early volatile variable is gone", "KeelVol")
    s.absent("after restart: the deleted NV variable stays deleted", "KeelDeleted")
    s.has("after restart: the NV variable locked last boot is there", "KeelLocked", b"before", NV_BS_RT)
    s.absent("after restart: the policy-checked volatile variable is gone", "KeelPolicy")
    s.expect("after restart: locks last one boot (KeelLocked writable)", set_var("KeelLocked", b"again"), "SUCCESS")
    if keys and os.path.exists(os.path.join(keys, "db.esl")):
        s.has("after restart: db kept all three lists", "db", read(keys, "db.esl") + read(keys, "db2.esl") +
              read(keys, "db3.esl"), NV_BS_RT_AT, IMAGE_SECURITY_DB)
        s.has("after restart: KEK kept", "KEK", read(keys, "KEK.esl"), NV_BS_RT_AT, GLOBAL)
        s.absent("after restart: PK still deleted", "PK", GLOBAL)
    _, _, su = s.get("SetupMode", GLOBAL)
    s.result(su == b"\x01", "after restart: SetupMode 1", "SetupMode %r" % su)


def part_phases(s):
    s.expect("ReadyToBoot (function 5)", var_msg(FN_READY_TO_BOOT), "SUCCESS")
    s.expect("LockVariable after ReadyToBoot", lock_var("KeelAfterRtb"), "ACCESS_DENIED")
    s.expect("BS-only volatile variable still writable before ExitBootServices", set_var("KeelBsOnly", b"bs2", BS),
             "SUCCESS")
    rax, _ = s.call(mm(MM_READY_TO_BOOT, b""))
    s.result(rax == 0, "the ReadyToBoot event GUID", "rax 0x%x" % rax)
    s.expect("ExitBootServices (function 6)", var_msg(FN_EXIT_BOOT_SERVICE), "SUCCESS")
    rax, _ = s.call(mm(MM_EXIT_BOOT_SERVICES, b""))
    s.result(rax == 0, "the ExitBootServices event GUID (again: harmless)", "rax 0x%x" % rax)
    s.absent("runtime: a BS-only variable is invisible", "KeelBsOnly")
    s.has("runtime: an NV|BS|RT variable reads", "KeelNv", b"replaced+more", NV_BS_RT)
    s.has("runtime: a volatile BS|RT variable reads", "KeelVol", b"volatile", BS | RT)
    names = s.names() or []
    s.result(("KeelBsOnly" not in [n for _, n in names]) and (TEST, "KeelNv") in names,
             "runtime: GetNextVariableName skips BS-only variables")
    s.expect("runtime: creating an NV|BS (no RT) variable", set_var("KeelRtBs", b"x", NV | BS), "INVALID_PARAMETER")
    s.expect("runtime: creating a volatile BS|RT variable", set_var("KeelRtVol", b"x", BS | RT), "INVALID_PARAMETER")
    s.expect("runtime: writing an existing volatile variable", set_var("KeelVol", b"x", BS | RT), "WRITE_PROTECTED")
    s.expect("runtime: writing a BS-only variable", set_var("KeelBsOnly", b"x", BS), ("INVALID_PARAMETER",
                                                                                       "WRITE_PROTECTED", "NOT_FOUND"))
    s.expect("runtime: creating an NV|BS|RT variable", set_var("KeelRuntime", b"os wrote this"), "SUCCESS")
    s.has("runtime: it reads back", "KeelRuntime", b"os wrote this", NV_BS_RT)
    s.expect("runtime: deleting it", set_var("KeelRuntime", b"", NV_BS_RT), "SUCCESS")
    s.expect("runtime: QueryVariableInfo without RT", query_info(NV | BS), "INVALID_PARAMETER")
    s.expect("runtime: QueryVariableInfo NV|BS|RT", query_info(NV_BS_RT), "SUCCESS")
    s.expect("runtime: ReadyToBoot is refused", var_msg(FN_READY_TO_BOOT), "UNSUPPORTED")
    s.expect("runtime: LockVariable", lock_var("KeelRtLock"), "ACCESS_DENIED")


def part_default_store(s):
    """A first boot from OVMF_VARS_4M.ms.fd (Debian's, Microsoft keys enrolled)."""
    for name, g in (("PK", GLOBAL), ("KEK", GLOBAL), ("db", IMAGE_SECURITY_DB), ("dbx", IMAGE_SECURITY_DB)):
        st, a, d = s.get(name, g)
        s.result(st == 0 and a == NV_BS_RT_AT and d and len(d) > 28,
                 "default store: %s present (NV|BS|RT|AT, %d bytes)" % (name, len(d or b"") if st == 0 else 0),
                 "status %s attrs %s" % (efi_name(st or 0), a))
    _, _, su = s.get("SetupMode", GLOBAL)
    _, _, sb = s.get("SecureBoot", GLOBAL)
    st, _, sbe = s.get("SecureBootEnable", SECURE_BOOT_ENABLE)
    print("# default store: SetupMode %r SecureBoot %r SecureBootEnable %r" % (su, sb, sbe if st == 0 else None))
    s.result(su == b"\x00", "default store: PK present, so SetupMode 0", "SetupMode %r" % su)
    # edk2 AuthVariableLib: SecureBoot = 1 in user mode when SecureBootEnable is 1 (or absent).
    want = b"\x01" if st != 0 or sbe == b"\x01" else b"\x00"
    s.result(sb == want, "default store: SecureBoot %r (user mode, SecureBootEnable %r)" % (want, sbe if st == 0 else
                                                                                            "absent"),
             "SecureBoot %r" % sb)
    s.expect("default store: unsigned db write refused in user mode", set_var("db", b"\0" * 64, NV_BS_RT_AT,
                                                                              IMAGE_SECURITY_DB), "SECURITY_VIOLATION")


# ---- bench ----


def bench(t, n):
    """Median wall time per Set and Get of one small NV variable, 64 KiB buffers, one connection."""
    results = {}
    for what in ("set", "get"):
        times = []
        for i in range(n):
            req = set_var("KeelBench", struct.pack("<Q", i)) if what == "set" else get_var("KeelBench")
            t0 = time.perf_counter_ns()
            rax, buf = t.call(req)
            times.append(time.perf_counter_ns() - t0)
            if rax != 0 or status(buf) != 0:
                print("bench: FAIL %s call %d: rax 0x%x status %s" % (what, i, rax, efi_name(status(buf))))
                return 1
        times.sort()
        results[what] = times
        print("BENCH name=hosted_uefi_%s calls=%d median_ns=%d min_ns=%d max_ns=%d" % (
            what, n, times[n // 2], times[0], times[-1]), flush=True)
    return 0


def main(argv):
    if len(argv) < 2 or argv[1] not in ("suite", "bench", "quit"):
        raise SystemExit("usage: uefi_mm.py suite|bench|quit (--state DIR | --serial SOCK) ...")
    if argv[1] == "quit":  # best effort: the guest may have gone already
        try:
            SerialPassthrough(argv[3], timeout=5).close(quit_guest=True)
        except OSError:
            pass
        return 0
    t, rest = open_transport(argv[2:])
    if argv[1] == "bench":
        rc = bench(t, int(rest[0]) if rest else 1000)
        t.close()
        return rc
    keys = None
    quit_guest = "--quit" in rest
    if "--keys" in rest:
        keys = rest[rest.index("--keys") + 1]
    parts = [p for p in rest if not p.startswith("--") and p != keys]
    s = Tap(t)
    try:
        for p in parts:
            if p == "functions":
                part_functions(s)
            elif p == "secureboot":
                part_secureboot(s, keys)
            elif p == "persist-set":
                part_persist_set(s)
            elif p == "persist-check":
                part_persist_check(s, keys)
            elif p == "phases":
                part_phases(s)
            elif p == "default-store":
                part_default_store(s)
            else:
                raise SystemExit("uefi_mm.py: unknown part %s" % p)
    except (OSError, ConnectionError, struct.error) as e:
        s.result(False, "the transport failed: %s" % e)
    finally:
        try:
            t.close(quit_guest)
        except OSError:
            pass
    print("1..%d" % s.n)
    return 1 if s.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
