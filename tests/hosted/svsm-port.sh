#!/bin/bash
# keel-hosted's guest port ($STATE/svsm.sock, docs/hosted.md "Guest port"):
# keel-svsm-call against the vtpm hosted — core QUERY_PROTOCOL, an
# unserved protocol, SVSM_VTPM_QUERY, TPM2_Startup and TPM2_GetRandom in a
# page window; a buffer outside the window and an unaligned page give the
# booted errors; hostile clients (garbage, an oversize window, a half frame
# left idle, a crowd of idle connections) get their clear error or deadline
# while tpm2-tools keeps working through the mssim front end; then the
# booted end rule: a run with a task that must end stops its expect=any
# services once that task has ended.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svsm-port.XXXXXX")
hold=
trap 'kill $hold "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
pick_ports || { not_ok "no free port pair"; plan; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
call=$root/build/bin/keel-svsm-call
sock=$tmp/state/svsm.sock

# page_cmd HEX: an SVSM_VTPM_CMD page (le32 8, locality 0, le32 size, command) as hex.
page_cmd() {
	local len=$(( ${#1} / 2 ))
	printf '08000000%02x%02x%02x0000%s' 0 $((len & 255)) $((len >> 8)) "$1"
}
# field LINE NAME: the value of NAME= in a transcript line.
field() { sed -n "/^svsm-ret /s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
# ret OUTPUT: the svsm-ret line of a transcript (keel-svsm-call prints svsm-call, then svsm-ret).
ret() { sed -n '/^svsm-ret /p' <<<"$1"; }

{
kh_start "$tmp/state" mssim "$tmp/run.log"
check "keel-hosted starts with the vtpm (mssim)" [ $? -eq 0 ]
check "it announces the guest port" grep -q "^keel-hosted: guest port (SVSM calls, any protocol) on unix socket $sock\$" "$tmp/run.log"

out=$("$call" --state "$tmp/state" 0 6 --rcx 0x200000001)
check "core QUERY_PROTOCOL(vTPM, v1): 1..1 ($(ret "$out"))" [ "$(ret "$out")" = "svsm-ret rax=0x0 rcx=0x100000001 rdx=0x0 r8=0x0 buf=" ]
out=$("$call" --state "$tmp/state" 0 6 --rcx 0x000000001)
check "core QUERY_PROTOCOL(core, v1): 1..1" [ "$(ret "$out")" = "svsm-ret rax=0x0 rcx=0x100000001 rdx=0x0 r8=0x0 buf=" ]
out=$("$call" --state "$tmp/state" 0 6 --rcx 0x700000001)
check "core QUERY_PROTOCOL(7, unserved): 0" [ "$(ret "$out")" = "svsm-ret rax=0x0 rcx=0x0 rdx=0x0 r8=0x0 buf=" ]
out=$("$call" --state "$tmp/state" 0 1)
check "core PVALIDATE: SVSM_ERR_UNSUPPORTED_CALL as booted" [ "$(field "$out" rax)" = 0x80000002 ]
out=$("$call" --state "$tmp/state" 7 0)
check "a call of an unserved protocol: SVSM_ERR_UNSUPPORTED_PROTOCOL" [ "$(field "$out" rax)" = 0x80000001 ]
out=$("$call" --state "$tmp/state" 2 0)
[ "$(field "$out" rax)" = 0x0 ] && [ "$(field "$out" rcx)" != 0x0 ]
check "SVSM_VTPM_QUERY answered by the vtpm ($out)" [ $? -eq 0 ]

startup=$(page_cmd 80010000000c000001440000)   # TPM2_Startup(CLEAR)
getrandom=$(page_cmd 80010000000c0000017b0008) # TPM2_GetRandom(8)
out=$("$call" --state "$tmp/state" 2 1 --rcx 0x10000 --window "0x10000:$startup" --window-size 4096)
buf=$(field "$out" buf)
[ "$(field "$out" rax)" = 0x0 ] && [ ${#buf} -eq 8192 ]
check "TPM2_Startup in a page window: SVSM success, 4096-byte window back" [ $? -eq 0 ]
# response {le32 size; TPM response}: 10 bytes, rc 0 (or TPM_RC_INITIALIZE 0x100 if started before)
case ${buf:0:28} in
0a00000080010000000a00000000 | 0a00000080010000000a00000100) ok "... the page holds the 10-byte TPM response" ;;
*) not_ok "... the page holds the 10-byte TPM response (${buf:0:28})" ;;
esac
out=$("$call" --state "$tmp/state" 2 1 --rcx 0x10000 --window "0x10000:$getrandom" --window-size 4096)
buf=$(field "$out" buf)
[ "$(field "$out" rax)" = 0x0 ] && [ "${buf:0:32}" = 14000000800100000014000000000008 ]
check "TPM2_GetRandom(8) in a page window: size 20, rc 0, 8 bytes (${buf:0:48})" [ $? -eq 0 ]
out=$("$call" --state "$tmp/state" 2 1 --rcx 0x20000 --window "0x10000:$getrandom" --window-size 4096)
check "a page outside the window: SVSM_ERR_INVALID_ADDRESS" [ "$(field "$out" rax)" = 0x80000003 ]
out=$("$call" --state "$tmp/state" 2 1 --rcx 0x10000 --window "0x10000:$getrandom" --window-size 4095)
check "a page running past the window's end: SVSM_ERR_INVALID_ADDRESS" [ "$(field "$out" rax)" = 0x80000003 ]
out=$("$call" --state "$tmp/state" 2 1 --rcx 0x10010 --window "0x10000:$getrandom" --window-size 8192)
check "an unaligned page: SVSM_ERR_INVALID_ADDRESS, as booted (svsm_buffer_decode)" [ "$(field "$out" rax)" = 0x80000003 ]
check "... and the window comes back untouched" [ "$(field "$out" buf | cut -c1-${#getrandom})" = "$getrandom" ]
out=$("$call" --state "$tmp/state" 2 1 --rcx 0x10000)
check "SVSM_VTPM_CMD without a window: SVSM_ERR_INVALID_ADDRESS" [ "$(field "$out" rax)" = 0x80000003 ]

# Hostile clients: each prints what came back; the port answers a bad frame and closes.
python3 - "$sock" >"$tmp/hostile.out" 2>&1 <<'PY'
import socket, struct, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(3)
    return s
def answer(s):
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return out, True
            out += b
    except socket.timeout:
        return out, False
def status(out):
    if len(out) < 8:
        return "short:%d" % len(out)
    magic, st = struct.unpack("<II", out[:8])
    return "magic=%08x status=%d len=%d" % (magic, st, len(out))
s = conn(); s.sendall(b"GET / HTTP/1.0\r\n\r\n" + b"\0" * 64)
out, eof = answer(s); print("garbage:", status(out), "eof" if eof else "open")
hdr = struct.pack("<IIQQQQQQII", 0x5143564b, 1, 2 << 32 | 1, 0, 0, 0, 0, 0x1000, 327681, 0)
s = conn(); s.sendall(hdr)
out, eof = answer(s); print("oversize:", status(out), "eof" if eof else "open")
hdr = struct.pack("<IIQQQQQQII", 0x5143564b, 9, 0, 0, 0, 0, 0, 0, 0, 0)
s = conn(); s.sendall(hdr)
out, eof = answer(s); print("version:", status(out), "eof" if eof else "open")
sys.stdout.flush()
PY
check "garbage frame: the port answers status 1 (bad magic) and closes" grep -q "^garbage: magic=5243564b status=1 len=56 eof" "$tmp/hostile.out"
check "oversize window: status 3 (window too big) and close" grep -q "^oversize: magic=5243564b status=3 len=56 eof" "$tmp/hostile.out"
check "another version: status 2 and close" grep -q "^version: magic=5243564b status=2 len=56 eof" "$tmp/hostile.out"
check "... each logged" [ "$(grep -c "svsm port: client .*bad frame" "$tmp/run.log")" -ge 3 ]

# A half frame left idle and 60 idle connections, held open while real clients are served.
python3 - "$sock" >"$tmp/hold.out" 2>&1 <<'PY' &
import socket, struct, sys, time
path = sys.argv[1]
idle = []
for i in range(60):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); idle.append(s)
half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); half.connect(path)
half.sendall(struct.pack("<IIQQQQQQII", 0x5143564b, 1, 0, 0, 0, 0, 0, 0x1000, 4096, 0)[:40])
t0 = time.time()
print("holding", flush=True)
half.settimeout(20)
try:
    b = half.recv(100)
    print("half frame closed after %.1f s (%d bytes)" % (time.time() - t0, len(b)), flush=True)
except socket.timeout:
    print("half frame still open after 20 s", flush=True)
time.sleep(30)
PY
hold=$!
for i in $(seq 50); do grep -q holding "$tmp/hold.out" && break; sleep 0.1; done
t0=$(date +%s%N)
r=$(timeout 10 tpm2_getrandom --hex 8 2>"$tmp/gr.err")
t1=$(date +%s%N)
[ ${#r} -eq 16 ] && [ $(((t1 - t0) / 1000000)) -lt 3000 ]
check "tpm2_getrandom through the mssim front end while they hang on ($(((t1 - t0) / 1000000)) ms)" [ $? -eq 0 ]
out=$(timeout 5 "$call" --state "$tmp/state" 0 6 --rcx 0x200000001)
check "keel-svsm-call still answered meanwhile" [ "$(field "$out" rcx)" = 0x100000001 ]
for i in $(seq 120); do grep -q "half frame" "$tmp/hold.out" && break; sleep 0.1; done
check "the half frame is closed by the 5 s frame deadline ($(grep half "$tmp/hold.out"))" \
	grep -Eq "half frame closed after (4\.[5-9]|5\.[0-9]|6\.[0-9]) s \(0 bytes\)" "$tmp/hold.out"
check "... logged" grep -q "svsm port: client .*frame not completed within 5 s" "$tmp/run.log"
kill $hold 2>/dev/null; wait $hold 2>/dev/null; hold=
out=$(printf %s "$getrandom" | xxd -r -p >"$tmp/page.bin"; "$call" --state "$tmp/state" 2 1 --rcx 0x4000 --window-file "0x4000:$tmp/page.bin" --window-size 4096)
check "--window-file: TPM2_GetRandom again, rc 0" [ "$(field "$out" buf | cut -c9-28)" = 80010000001400000000 ]
r=$(tpm2_getrandom --hex 8 2>/dev/null)
check "tpm2-tools after the hostile clients" [ ${#r} -eq 16 ]
kh_stop
check "SIGTERM: keel-hosted exits 0" [ "$kh_status" -eq 0 ]
check "... and removes the guest port socket" [ ! -e "$sock" ]

# Booted end rule: a task that must end (echo-client, exit0) + services (vtpm, echo-server: expect=any).
cat >"$tmp/end.manifest" <<'M'
task blkdev binary=blkdev memory=4M device=virtio-blk expect=any
task storaged binary=storaged memory=32M expect=any arg="blk=1 ns=2:vtpm dev-key"
task vtpm binary=vtpm memory=64M protocol=2 expect=any
channel storaged:1 blkdev:1
channel storaged:2 vtpm:1
task echo-server binary=echo-server memory=4M expect=any
task echo-client binary=echo-client memory=8M arg=100
channel echo-client:1 echo-server:1
M
mkdir -p "$tmp/state2"
timeout 60 "$root/build/bin/keel-hosted" --manifest "$tmp/end.manifest" --state "$tmp/state2" \
	--tpm-port "$port" --platform-port "$((port + 1))" >"$tmp/end.log" 2>&1
st=$?
check "a run ends by itself once every task that must end has ended (status $st)" [ $st -eq 0 ]
check "... the expect=any services are stopped, not waited for" grep -q "^task 'vtpm' stopped" "$tmp/end.log"
check "... (both)" grep -q "^task 'echo-server' stopped" "$tmp/end.log"
check "... with the reason" grep -q "every task that must end has ended" "$tmp/end.log"

# The router's reply checks (forward.c) hosted: a service replying badly on purpose (protocol 4, RCX+RDX rule).
# Its RCX+RDX rule is declared in the manifest where the manifest takes buffer= rules;
# before that (kernel/svsm/buffer.c) protocol 4 call 1 has it built in and buffer= is refused.
for rule in " buffer=1:rcx+rdx:65496" ""; do
	echo "task svsm-reply binary=svsm-reply memory=4M protocol=4$rule expect=any" >"$tmp/reply.manifest"
	mkdir -p "$tmp/state3"
	"$root/build/bin/keel-hosted" --manifest "$tmp/reply.manifest" --state "$tmp/state3" >"$tmp/reply.log" 2>&1 &
	kh_pid=$!
	for i in $(seq 100); do
		[ -S "$tmp/state3/svsm.sock" ] && break 2
		kill -0 "$kh_pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$kh_pid" 2>/dev/null
done
c3() { "$call" --state "$tmp/state3" "$@"; }
check "QUERY_PROTOCOL(4): 1..1" [ "$(ret "$(c3 0 6 --rcx 0x400000001)")" = "svsm-ret rax=0x0 rcx=0x100000001 rdx=0x0 r8=0x0 buf=" ]
out=$(c3 4 1 --rcx 0x3000 --rdx 4 --r9 0x77 --window 0x3000:00010203)
check "a good reply: registers and the buffer back ($out)" [ "$(ret "$out")" = "svsm-ret rax=0x0 rcx=0x4 rdx=0x1234 r8=0x77 buf=01020304" ]
out=$(c3 4 1 --rcx 0x3002 --rdx 4 --window 0x3000:00010203)
check "RCX+RDX past the window: SVSM_ERR_INVALID_ADDRESS, window untouched" [ "$(ret "$out")" = "svsm-ret rax=0x80000003 rcx=0x3002 rdx=0x4 r8=0x0 buf=00010203" ]
check "RDX 0: SVSM_ERR_INVALID_PARAMETER (the buffer rule)" [ "$(field "$(c3 4 1 --rcx 0x3000 --window 0x3000:00)" rax)" = 0x80000005 ]
check "a reply with RAX above 32 bits: SVSM_ERR_INVALID_REQUEST (forward.c's check)" [ "$(field "$(c3 4 2)" rax)" = 0x80000006 ]
out=$(c3 4 1 --rcx 0x3001 --rdx 2 --window 0x3000:00010203 --buf 0x3001:2)
check "the transcript pair, as the test guest prints it booted (--buf: the call's buffer)" [ "$out" = "svsm-call proto=0x4 call=1 rcx=0x3001 rdx=0x2 r8=0x0 in=0102
svsm-ret rax=0x0 rcx=0x2 rdx=0x1234 r8=0x0 buf=0203" ]
out=$(c3 4 1 --rcx 0x40000000 --rdx 8 --window 0x3000:00010203 --buf 0x40000000:8)
check "... a buffer outside the window prints '-', as outside guest memory booted" [ "$out" = "svsm-call proto=0x4 call=1 rcx=0x40000000 rdx=0x8 r8=0x0 in=-
svsm-ret rax=0x80000003 rcx=0x40000000 rdx=0x8 r8=0x0 buf=-" ]
out=$(c3 4 3 --rcx 0x3000 --window 0x3000:00010203)
check "a reply with more buffer than sent: SVSM_ERR_INVALID_REQUEST, window untouched" [ "$(ret "$out")" = "svsm-ret rax=0x80000006 rcx=0x3000 rdx=0x0 r8=0x0 buf=00010203" ]
check "a protocol-specific error passes through" [ "$(field "$(c3 4 4)" rax)" = 0x80001001 ]
check "an unknown call: the service's SVSM_ERR_UNSUPPORTED_CALL" [ "$(field "$(c3 4 9)" rax)" = 0x80000002 ]
check "the service exits without a reply: SVSM_ERR_INVALID_REQUEST" [ "$(field "$(c3 4 5)" rax)" = 0x80000006 ]
for i in $(seq 50); do kill -0 "$kh_pid" 2>/dev/null || break; sleep 0.1; done
wait "$kh_pid"
st=$?
check "keel-hosted ends with its only task, all as expected (status $st)" [ $st -eq 0 ]
} | tee "$tmp/tap"
grep -E "svsm port|not ok" "$tmp/run.log" 2>/dev/null | sed 's/^/# /' | tail -n 12
plan_n=$(grep -cE "^(not )?ok " "$tmp/tap")
echo "1..$plan_n"
! grep -q "^not ok" "$tmp/tap"
