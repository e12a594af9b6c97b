#!/bin/bash
# The router's checks of the large-buffer exchange (keel/svsm.h,
# KEEL_OP_SVSM_PART; kernel/svsm/parts.c) from the guest's side, hosted
# through keel-hosted's guest port: tests/tasks/svsm-parts-bad breaks the
# exchange on purpose, chosen by the buffer length (RDX). Every broken case
# must give SVSM_ERR_INVALID_REQUEST with the guest's buffer as it was
# (its digest before and after the call equal); the control case (70000)
# comes back with every byte + 1. A service dying mid-exchange, at a pushed
# part and at a pull, each in its own run (keel-hosted ends with its only
# task).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svsm-parts-hostile.XXXXXX")
kh_pid=
trap 'kill $kh_pid 2>/dev/null; rm -rf "$tmp"' EXIT
call=$root/build/bin/keel-svsm-call
P=0x50415254 BUF=0x10000
echo "task parts-bad binary=svsm-parts-bad memory=4M protocol=$P buffer=1:rcx+rdx:262144 expect=any" \
	>"$tmp/m.manifest"

start() { # start STATE: keel-hosted on the manifest, up to its guest port
	"$root/build/bin/keel-hosted" --manifest "$tmp/m.manifest" --state "$tmp/$1" >"$tmp/$1.log" 2>&1 &
	kh_pid=$!
	for i in $(seq 100); do [ -S "$tmp/$1/svsm.sock" ] && break; sleep 0.1; done
	check "keel-hosted serves the guest port ($1)" [ -S "$tmp/$1/svsm.sock" ]
}
stop() {
	kill "$kh_pid" 2>/dev/null
	wait "$kh_pid" 2>/dev/null
	kh_pid=
}
# one STATE RDX: the call on RDX pattern bytes; prints "RAX IN-DIGEST BUF-DIGEST"
one() {
	python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) & 255 for i in range(int(sys.argv[1]))))' \
		"$2" >"$tmp/win"
	"$call" --state "$tmp/$1" "$P" 1 --rcx $BUF --rdx "$2" --window-file "$BUF:$tmp/win" \
		--buf "$BUF:$2" --digest 2>>"$tmp/err" |
		sed -n 's/.* in=\(.*\)$/\1/p; s/^svsm-ret rax=\([^ ]*\) .* buf=\(.*\)$/\1 \2/p' | tr '\n' ' '
}
# refused STATE RDX WHAT: SVSM_ERR_INVALID_REQUEST, the buffer unchanged
refused() {
	local got in rax out
	got=$(one "$1" "$2")
	read -r in rax out <<<"$got"
	check "$3 ($2 bytes): SVSM_ERR_INVALID_REQUEST, buffer unchanged [$rax]" \
		[ "$rax" = 0x80000006 -a -n "$in" -a "$in" = "$out" ]
}

start s1
# the control: every byte + 1 back, computed here independently
want=$(python3 -c 'import sys
h = 0xcbf29ce484222325
for i in range(70000): h = ((h ^ (((i * 7 + 3) + 1) & 255)) * 0x100000001b3) & (2**64 - 1)
print("fnv64:%016x" % h)')
read -r in rax out <<<"$(one s1 70000)"
check "a well-behaved exchange (70000 bytes): success, every byte + 1 back" [ "$rax" = 0x0 -a "$out" = "$want" ]
refused s1 70001 "a pushed part acknowledged with the wrong op"
refused s1 70002 "a pushed part acknowledged at the wrong offset"
refused s1 70003 "a pushed part acknowledged with data"
refused s1 70004 "a result with buf_len above what was sent"
refused s1 70005 "a pulled part with the wrong op"
refused s1 70006 "a pulled part at the wrong offset"
refused s1 70007 "a pulled part one byte short"
refused s1 70008 "a pulled part one byte long"
refused s1 70009 "a pulled part naming the wrong total"
read -r in rax out <<<"$(one s1 70000)"
check "after all that, the exchange works again (the service was left mid-exchange each time)" \
	[ "$rax" = 0x0 -a "$out" = "$want" ]
# The largest window the port takes (327680 bytes), the buffer 64 KiB into it.
python3 -c 'import sys; sys.stdout.buffer.write(bytes(65536) + bytes((i * 7 + 3) & 255 for i in range(70000)) + bytes(327680 - 65536 - 70000))' >"$tmp/bigwin"
got=$("$call" --state "$tmp/s1" "$P" 1 --rcx $((BUF + 65536)) --rdx 70000 --window-file "$BUF:$tmp/bigwin" \
	--buf "$((BUF + 65536)):70000" --digest 2>>"$tmp/err" | sed -n 's/^svsm-ret rax=\([^ ]*\) .* buf=\(.*\)$/\1 \2/p')
check "a 327680-byte window (the port's largest), the buffer 64 KiB into it: served [$got]" [ "$got" = "0x0 $want" ]
refused s1 70011 "the service dies at the second pull"
stop

start s2
refused s2 70010 "the service dies at the second pushed part"
stop
sed 's/^/# /' "$tmp/err" | head -5
plan
