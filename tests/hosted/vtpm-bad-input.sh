#!/bin/bash
# Bad input on keel-hosted's TPM simulator ports: truncated and oversized
# frames, a wrong locality, a command while powered off, garbage on both
# ports, an idle client. Each gets its clear log line or TPM error; the
# launcher and the vtpm keep running and NV data written before still reads
# back afterwards.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-bad.XXXXXX")
trap 'kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
GETRANDOM=80010000000c0000017b0008 # TPM2_GetRandom(8)

# raw PORT_OFFSET HEX [close]: sends bytes, prints what comes back (hex) until
# the server closes or 2 s pass; "EOF" is appended when the server closed.
raw() {
	python3 - "$((port + $1))" "$2" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(bytes.fromhex(sys.argv[2]))
out = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            out += b"EOF"
            break
        out += b
except socket.timeout:
    pass
print(out.hex() if not out.endswith(b"EOF") else out[:-3].hex() + " EOF")
PY
}
# send_cmd LOCALITY HEX: a whole TPM_SEND_COMMAND frame for the TPM command HEX.
send_cmd() { printf '00000008%02x%08x%s' "$1" "$(( ${#2} / 2 ))" "$2"; }
# rc_of ANSWER: the TPM response code in a command-port answer (u32 size, response, u32 0).
rc_of() { echo "${1:20:8}"; }
alive() { kill -0 "$kh_pid" 2>/dev/null && ! grep -q "^task 'vtpm'" "$tmp/run.log"; }
logged() { grep -q "$1" "$tmp/run.log"; }

check "keel-hosted starts" kh_start "$tmp/state" mssim "$tmp/run.log"
head -c 32 /dev/urandom >"$tmp/nv.bin"
check "setup: startup, NV index written" sh -c "tpm2_startup -c && \
	tpm2_nvdefine 0x01500017 -C o -s 32 -a 'ownerread|ownerwrite' >/dev/null && \
	tpm2_nvwrite 0x01500017 -C o -i '$tmp/nv.bin' >/dev/null 2>&1"
a=$(raw 0 "$(send_cmd 0 $GETRANDOM)")
check "a good raw frame: GetRandom succeeds, trailing u32 0" \
	sh -c "[ '$(rc_of "$a")' = 00000000 ] && [ '${a: -8}' = 00000000 ]"

a=$(raw 0 "0000000800000000640102030405")
check "truncated frame (100 bytes announced, 5 sent): no answer, connection kept" [ -z "$a" ]
sleep 0.2
check "truncated frame: logged as a mid-frame disconnect" logged "disconnected in the middle of a frame"
a=$(raw 0 "000000080000001388$(printf '%0200d' 0)")
check "oversized frame (5000 bytes): connection closed, no answer" [ "$a" = " EOF" ]
check "oversized frame: clear error in the log" logged "larger than the 4087 bytes"
a=$(raw 0 "0000000800ffffffff")
check "size 0xffffffff: connection closed" [ "$a" = " EOF" ]
a=$(raw 0 "$(head -c 64 /dev/urandom | xxd -p | tr -d '\n' | sed 's/^......../000000ff/')")
check "garbage on the command port: closed" [ "$a" = " EOF" ]
check "garbage on the command port: logged" logged "unknown command-port op"
a=$(raw 1 "deadbeef")
check "garbage on the platform port: answered 1 and closed" [ "$a" = "00000001 EOF" ]
check "garbage on the platform port: logged" logged "unknown platform-port op"

a=$(raw 0 "$(send_cmd 7 $GETRANDOM)")
check "locality 7: a TPM error response, not success ($(rc_of "$a"))" \
	sh -c "[ -n '$(rc_of "$a")' ] && [ '$(rc_of "$a")' != 00000000 ]"
check "power off acknowledged with 0" [ "$(raw 1 00000002)" = 00000000 ]
a=$(raw 0 "$(send_cmd 0 $GETRANDOM)")
check "command while powered off: a TPM error response ($(rc_of "$a"))" \
	sh -c "[ -n '$(rc_of "$a")' ] && [ '$(rc_of "$a")' != 00000000 ]"

exec 7<>"/dev/tcp/127.0.0.1/$port" # an idle client must not block the others
check "power on + startup with an idle client connected" \
	sh -c "tpm2_startup -c >/dev/null 2>&1"
check "NV data written before all this reads back" sh -c \
	"tpm2_nvread 0x01500017 -C o -s 32 -o '$tmp/nv-back.bin' && cmp -s '$tmp/nv.bin' '$tmp/nv-back.bin'"
exec 7>&-
check "keel-hosted and the vtpm still running" alive
kh_stop
check "SIGTERM: keel-hosted exits 0" [ "$kh_status" -eq 0 ]
# The router slot is the launcher's: a channel on it is a start-up error.
printf 'task vtpm binary=vtpm memory=64M protocol=2 buffer=1:page\ntask echo-client binary=echo-client memory=8M\nchannel echo-client:1 vtpm:0\n' >"$tmp/slot0.manifest"
build/bin/keel-hosted --manifest "$tmp/slot0.manifest" --state "$tmp/state" --tpm-port "$port" \
	--platform-port "$((port + 1))" >"$tmp/slot0.log" 2>&1
check "a channel on the router slot of a protocol task: exit 2" [ $? -eq 2 ]
check "... with a clear message" grep -Eq "slot 0 (is its router handle|of a protocol task is the router)" "$tmp/slot0.log"
sed 's/^/# /' "$tmp/run.log" | grep -v "^# vtpm: EK" | tail -n 25
echo "1..$n"
