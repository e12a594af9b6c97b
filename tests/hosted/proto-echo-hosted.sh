#!/bin/bash
# The booted proto-echo transcript replayed hosted: keel-hosted runs
# tests/system/proto-echo.manifest (the guest task is not started hosted;
# keel-svsm-call plays it through the guest port), making the calls of the
# test guest's mode proto-echo (tests/guest/protoecho.c) with the same
# registers and buffer bytes at the same GPAs. The transcript must equal
# tests/system/proto-echo.expected line for line, the file the booted run
# is judged against (tests/system/proto-echo-booted.sh).
#
# Needs h/proto (tests/tasks/proto-echo, tests/system/proto-echo.manifest
# and .expected, manifest buffer= rules): committed on h/port WITHOUT the
# executable bit, so tests/run-all.sh passes it over until the merge; at the
# merge, `chmod +x` it. Checked on a scratch merge of h/port and h/proto:
# 23/23, the transcript byte for byte the booted file.
. "$(dirname "$0")/../lib.sh"
cd "$root" 2>/dev/null || cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/proto-echo-hosted.XXXXXX")
kh_pid=
trap 'kill $kh_pid 2>/dev/null; rm -rf "$tmp"' EXIT
expected=$root/tests/system/proto-echo.expected
call=$root/build/bin/keel-svsm-call
"$root/build/bin/keel-hosted" --manifest "$root/tests/system/proto-echo.manifest" --state "$tmp/state" \
	>"$tmp/run.log" 2>&1 &
kh_pid=$!
for i in $(seq 100); do [ -S "$tmp/state/svsm.sock" ] && break; sleep 0.1; done
check "keel-hosted serves the guest port for proto-echo" [ -S "$tmp/state/svsm.sock" ]

P=0x4B45454C BUF=0x200000
hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
alpha() { local i s=; for i in $(seq 0 $(($1 - 1))); do s+=$(printf "\\x$(printf %x $((97 + i % 26)))"); done; printf %s "$s"; }
# pe CALL RCX RDX R8 [WINDOW_HEX_AT_BUF]: one call as pe_call makes it (buffer = RDX bytes at RCX for call 1)
pe() {
	local blen=0
	[ "$1" = 1 ] && blen=$3
	"$call" --state "$tmp/state" "$P" "$1" --rcx "$2" --rdx "$3" --r8 "$4" \
		--window "$BUF:${5:-}" --window-size 65536 --buf "$2:$blen"
}
# pe4 RDX R8: call 4 (buffer=4:rcx+rdx:262144) on RDX bytes a..z a.. at BUF, printed as digests
pe4() {
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(97 + i % 26 for i in range(int(sys.argv[1]))))' \
		"$1" >"$tmp/win"
	"$call" --state "$tmp/state" "$P" 4 --rcx $BUF --rdx "$1" --r8 "$2" \
		--window-file "$BUF:$tmp/win" --buf "$BUF:$1" --digest
}
{
	pe 0 0x1122334455667788 0x99 0x5a
	pe 1 $BUF 11 0 "$(hex "hello, keel")"
	pe 1 $BUF 32 0 "$(hex "$(alpha 32)")"
	pe 1 $((BUF + 3)) 5 0 "000000$(hex abcde)"
	pe 1 $BUF 33 0 "$(hex "$(alpha 33)")"
	pe 1 $BUF 0 0
	pe 1 0x40000000 8 0
	pe 1 $((0x100000 + 0x200000 - 4)) 8 0
	pe 2 7 8 9
	pe 3 0 0 0
	for len in 4096 65496 65497 65528 65529 65536 200000 262144; do pe4 "$len" 0; done
	pe4 262145 0
	pe4 200000 70000
	pe4 200000 100
} >"$tmp/got" 2>"$tmp/err"
compare_transcript "$tmp/got" "$expected"
check "byte for byte the booted transcript file" cmp -s "$tmp/got" "$expected"
kill "$kh_pid" 2>/dev/null
wait "$kh_pid" 2>/dev/null
kh_pid=
sed 's/^/# /' "$tmp/err" | head -5

# Protocol numbers above 2^31 are routable hosted as booted (the manifest
# takes any 32-bit number; nothing on the way may narrow it to an int).
sed 's/protocol=0x4B45454C/protocol=0xFFFFFFF0/' "$root/tests/system/proto-echo.manifest" >"$tmp/high.manifest"
"$root/build/bin/keel-hosted" --manifest "$tmp/high.manifest" --state "$tmp/high" >"$tmp/high.log" 2>&1 &
kh_pid=$!
for i in $(seq 100); do [ -S "$tmp/high/svsm.sock" ] && break; sleep 0.1; done
got=$("$call" --state "$tmp/high" 0xFFFFFFF0 1 --rcx $BUF --rdx 2 --window "$BUF:6869" --buf "$BUF:2" 2>&1 | tail -n 1)
check "protocol 0xFFFFFFF0 is served hosted: $got" [ "$got" = "svsm-ret rax=0x0 rcx=0x200000 rdx=0x2 r8=0xd1 buf=4849" ]
kill "$kh_pid" 2>/dev/null
wait "$kh_pid" 2>/dev/null
kh_pid=
plan
