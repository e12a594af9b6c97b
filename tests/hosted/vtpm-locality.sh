#!/bin/bash
# swtpm's control channel on keel-hosted (docs/tpm-frontends.md): the
# locality rule and the commands QEMU's tpm-emulator sends.
# - CMD_SET_LOCALITY: the vtpm serves locality 0 only (docs/vtpm.md), so 0
#   is acknowledged and 1-4 are refused with TPM_BAD_LOCALITY; a refused
#   request changes nothing, and every client's commands keep working
#   (an acknowledged locality used to break them all).
# - QEMU's padded request forms (u8 locality + 3 zero bytes) keep the
#   stream in step.
# - The answers QEMU relies on are swtpm's: the same requests go to a real
#   `swtpm socket --tpm2` and must get the same bytes.
# - --ctrl-path: CMD_SET_DATAFD hands over a data socket (SCM_RIGHTS);
#   without a descriptor it is refused, a second one while the first is
#   open is refused, and TPM commands flow over the handed-over socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-locality.XXXXXX")
kh_pid= sw_pid=
trap 'kill $kh_pid $sw_pid 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state" "$tmp/sw"

# ctrl PORT HEX:N...: on one connection, sends each HEX and reads N bytes of answer; prints the answers.
ctrl() {
	python3 - "$@" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
out = []
for a in sys.argv[2:]:
    req, n = a.split(":")
    s.sendall(bytes.fromhex(req))
    b = b""
    while len(b) < int(n):
        d = s.recv(int(n) - len(b))
        if not d:
            break
        b += d
    out.append(b.hex() or "-")
print(" ".join(out))
PY
}

pick_ports || { not_ok "no free port pair"; echo "1..$n"; exit 1; }
kport=$port
check "keel-hosted starts with the swtpm protocol" kh_start "$tmp/state" swtpm "$tmp/run.log"
export TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$kport"
check "tpm2_startup -c" tpm2_startup -c
c=$((kport + 1))
check "CMD_SET_LOCALITY 3 refused with TPM_BAD_LOCALITY" [ "$(ctrl $c 0000000503:4)" = 0000003d ]
check "after it, tpm2_getrandom (another client) still works" tpm2_getrandom --hex 8 -o /dev/null
check "CMD_SET_LOCALITY 1, 2, 4 refused, 0 accepted" \
	[ "$(ctrl $c 0000000501:4 0000000502:4 0000000504:4 0000000500:4)" = "0000003d 0000003d 0000003d 00000000" ]
check "QEMU's padded form (u8 + 3 zero bytes): 3 refused, 0 accepted, the next command in step" \
	[ "$(ctrl $c 0000000503000000:4 0000000500000000:4 00000004:8)" = "0000003d 00000000 0000000000000000" ]
check "tpm2_getrandom still works after every request" tpm2_getrandom --hex 8 -o /dev/null
check "the refusals are logged" grep -q "CMD_SET_LOCALITY 3 refused (TPM_BAD_LOCALITY)" "$tmp/run.log"

# The same control requests to swtpm and to keel-hosted: the same answers.
seq="0000000505:4 0000000b00000000:4 0000000b03000000:4 0000000b05:4 00000004:8 00000009:4
	0000000f:8 000000ff:4"
seq_stop="0000000e:4 00000004:4 00000009:4 0000000b03:4 0000000200000000:4 00000004:8"
pick_ports || { not_ok "no free port pair"; echo "1..$n"; exit 1; }
sport=$port
swtpm socket --tpm2 --tpmstate "dir=$tmp/sw" --server "type=tcp,port=$sport" \
	--ctrl "type=tcp,port=$((sport + 1))" --flags not-need-init,startup-clear >"$tmp/sw.log" 2>&1 &
sw_pid=$!
for i in $(seq 50); do ss -Htln "( sport = :$((sport + 1)) )" | grep -q . && break; sleep 0.1; done
# shellcheck disable=SC2086
k=$(ctrl $c $seq) s=$(ctrl $((sport + 1)) $seq)
echo "# keel : $k"
echo "# swtpm: $s"
check "SET_LOCALITY 5, RESET_TPMESTABLISHED 0/3/5, GET_TPMESTABLISHED, CANCEL, GET_CONFIG, unknown: as swtpm" \
	[ -n "$k" ] && [ "$k" = "$s" ]
# shellcheck disable=SC2086
k=$(ctrl $c $seq_stop) s=$(ctrl $((sport + 1)) $seq_stop)
echo "# keel : $k"
echo "# swtpm: $s"
check "after CMD_STOP: GET/RESET_TPMESTABLISHED and CANCEL refused (TPM_BAD_ORDINAL) until CMD_INIT, as swtpm" \
	[ -n "$k" ] && [ "$k" = "$s" ]
kill "$sw_pid" 2>/dev/null
wait "$sw_pid" 2>/dev/null
sw_pid=
check "after CMD_INIT: tpm2_startup -c, tpm2_getrandom" sh -c "tpm2_startup -c && tpm2_getrandom 8 >/dev/null"
kh_stop
check "SIGTERM: keel-hosted exits 0" [ "$kh_status" -eq 0 ]

# --ctrl-path: the control channel on a Unix socket, data by CMD_SET_DATAFD.
mkdir -p "$tmp/state2"
"$root/build/bin/keel-hosted" --manifest "$kh_manifest" --state "$tmp/state2" --tpm-protocol swtpm \
	--ctrl-path "$tmp/ctrl.sock" >"$tmp/run2.log" 2>&1 &
kh_pid=$!
for i in $(seq 600); do
	grep -q "vtpm: TPM powered on" "$tmp/run2.log" && [ -S "$tmp/ctrl.sock" ] && break
	kill -0 "$kh_pid" 2>/dev/null || break
	sleep 0.1
done
check "keel-hosted --ctrl-path listens on the Unix socket" [ -S "$tmp/ctrl.sock" ]
python3 - "$tmp/ctrl.sock" >"$tmp/datafd.tap" 2>&1 <<'PY'
import socket, struct, sys
def ask(s, req, n, fds=()):
    if fds:
        socket.send_fds(s, [req], list(fds))
    else:
        s.sendall(req)
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        if not d:
            break
        b += d
    return b
def tpm(d, cmd):
    d.sendall(cmd)
    h = d.recv(10)
    rest = struct.unpack(">HII", h)[1] - 10
    b = b""
    while len(b) < rest:
        b += d.recv(rest - len(b))
    return struct.unpack(">HII", h)[2], h + b
def check(desc, cond):
    print(("ok - " if cond else "not ok - ") + desc, flush=True)
startup = struct.pack(">HIIH", 0x8001, 12, 0x144, 0)
getrandom = struct.pack(">HIIH", 0x8001, 12, 0x17B, 8)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(10)
c.connect(sys.argv[1])
caps = struct.unpack(">Q", ask(c, struct.pack(">I", 1), 8))[0]
check("CMD_GET_CAPABILITY offers what QEMU requires for TPM 2 (0x%x)" % caps,
      caps & 0x348f == 0x348f)
check("CMD_SET_DATAFD without a descriptor: TPM_BAD_PARAMETER",
      ask(c, struct.pack(">I", 0x10), 4) == struct.pack(">I", 3))
a, b = socket.socketpair()
a.settimeout(10)
check("CMD_SET_DATAFD with a socket (SCM_RIGHTS): success",
      ask(c, struct.pack(">I", 0x10), 4, [b.fileno()]) == struct.pack(">I", 0))
b.close()
check("CMD_INIT: success", ask(c, struct.pack(">II", 2, 0), 4) == struct.pack(">I", 0))
rc, _ = tpm(a, startup)
check("TPM2_Startup over the handed-over socket (rc 0x%x)" % rc, rc == 0)
rc, r = tpm(a, getrandom)
check("TPM2_GetRandom over it (rc 0x%x, %d bytes)" % (rc, len(r)), rc == 0 and len(r) == 20)
a2, b2 = socket.socketpair()
check("a second CMD_SET_DATAFD while the first is open: TPM_IOERROR",
      ask(c, struct.pack(">I", 0x10), 4, [b2.fileno()]) == struct.pack(">I", 0x1f))
check("CMD_SET_LOCALITY 3 (QEMU's form): TPM_BAD_LOCALITY",
      ask(c, struct.pack(">IB3x", 5, 3), 4) == struct.pack(">I", 0x3d))
rc, _ = tpm(a, getrandom)
check("the data socket still answers at locality 0 (rc 0x%x)" % rc, rc == 0)
a.close()
import time
time.sleep(0.3)
check("after the data socket closes, CMD_SET_DATAFD takes a new one",
      ask(c, struct.pack(">I", 0x10), 4, [b2.fileno()]) == struct.pack(">I", 0))
b2.close()
a2.settimeout(10)
rc, _ = tpm(a2, getrandom)
check("TPM2_GetRandom over the new one (rc 0x%x)" % rc, rc == 0)
check("CMD_SHUTDOWN: success", ask(c, struct.pack(">I", 3), 4) == struct.pack(">I", 0))
PY
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) not_ok "datafd client: $line" ;;
	esac
done <"$tmp/datafd.tap"
check "the datafd client ran all its checks" [ "$(grep -c '^ok - ' "$tmp/datafd.tap")" -eq 12 ]
kill -TERM "$kh_pid"
wait "$kh_pid"
st=$?
kh_pid=
check "SIGTERM: keel-hosted exits 0" [ "$st" -eq 0 ]
grep -h "keel-hosted: tpm:" "$tmp"/run*.log | sed 's/^/# /' | head -n 20
echo "1..$n"
[ "$fails" -eq 0 ]
