#!/bin/bash
# The UEFI variable service hosted (docs/uefivars.md): keel-hosted --state
# DIR runs tests/hosted/uefivars.manifest and serves DIR/svsm.sock; the
# raw-buffer suite (tests/hosted/uefi_mm.py, the same cases as the booted
# tests/system/uefivars-booted.sh) sends edk2 MM buffers of 64 KiB through
# it: every function and status code, Secure Boot with keys made now by
# openssl + efitools + sbvarsign, the boot phases. Then a restart on the
# same --state: NV variables and the Secure Boot lists are still there,
# volatile ones gone. Then a fresh state whose first start loads the
# default store OVMF_VARS_4M.ms.fd (manifest data=). Core QUERY_PROTOCOL
# reports protocol 4 version 1.
. "$(dirname "$0")/../lib.sh"
cd "$root" 2>/dev/null || cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/uefivars-hosted.XXXXXX")
kh_pid=
trap '[ -n "$kh_pid" ] && kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
suite="python3 $root/tests/hosted/uefi_mm.py"
ovmf=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
# The guest port's window limit (h/transport raised it past 64 KiB): the suite's 256 KiB cases need it.
wmax=$(sed -n 's/^#define SVSM_PORT_WINDOW_MAX \(.*\)$/\1/p' tools/keel-hosted/svsm_port.h | sed 's/\/\*.*//' | tr -d 'u()')
[ -n "$wmax" ] && export KEEL_PORT_WINDOW_MAX=$((wmax))
. "$root/tests/hosted/uefivars-sb-lib.sh"

# kh_start MANIFEST STATE LOG [BINDIR]: keel-hosted until its guest port is there (10 s).
kh_start() {
	local i
	build/bin/keel-hosted --manifest "$1" --state "$2" ${4:+--bin-dir "$4"} >"$3" 2>&1 &
	kh_pid=$!
	for i in $(seq 100); do
		[ -S "$2/svsm.sock" ] && return 0
		kill -0 "$kh_pid" 2>/dev/null || break
		sleep 0.1
	done
	sed 's/^/# /' "$3" | tail -n 20
	return 1
}
kh_stop() {
	kill -TERM "$kh_pid" 2>/dev/null
	wait "$kh_pid"
	kh_status=$?
	kh_pid=
}
# No uefivars task was ever killed or ended by a signal.
clean_log() { ! grep -q "task 'uefivars' \(killed\|exited\)" "$1"; }

for f in build/bin/keel-hosted build/bin/keel-svsm-call build/hosted/uefivars build/hosted/storaged; do
	[ -e "$f" ] || { not_ok "$f is missing (make all)"; plan; exit 1; }
done

# Run 1: everything on a fresh state.
check "run 1: keel-hosted serves the guest port" kh_start tests/hosted/uefivars.manifest "$tmp/state" "$tmp/run1.log"
qp=$(build/bin/keel-svsm-call --state "$tmp/state" 0 6 --rcx 0x400000001 2>&1 | grep svsm-ret)
echo "# QUERY_PROTOCOL(4, 1): $qp"
check "core QUERY_PROTOCOL: protocol 4, versions 1..1" sh -c "echo '$qp' | grep -q 'rax=0x0 rcx=0x100000001 '"
relay "run 1: " $suite suite --state "$tmp/state" functions secureboot persist-set phases --keys "$tmp/keys"
kh_stop
check "run 1: keel-hosted stops with status 0" [ "$kh_status" = 0 ]
check "run 1: the uefivars task never died" clean_log "$tmp/run1.log"
check "run 1: storage.img holds the state" [ -s "$tmp/state/storage.img" ]

# Run 2: a restart on the same state.
check "run 2: keel-hosted restarts on the same state" kh_start tests/hosted/uefivars.manifest "$tmp/state" "$tmp/run2.log"
relay "run 2: " $suite suite --state "$tmp/state" persist-check --keys "$tmp/keys"
kh_stop
check "run 2: keel-hosted stops with status 0" [ "$kh_status" = 0 ]

# Run 3: a fresh state seeded from Debian's OVMF_VARS_4M.ms.fd (data=).
if [ -r "$ovmf" ]; then
	mkdir -p "$tmp/bin"
	for b in blkdev storaged uefivars; do ln -s "$root/build/hosted/$b" "$tmp/bin/$b"; done
	cp "$ovmf" "$tmp/bin/OVMF_VARS_4M.ms.fd"
	check "run 3: keel-hosted with the default store" kh_start tests/hosted/uefivars-default.manifest "$tmp/state3" \
		"$tmp/run3.log" "$tmp/bin"
	relay "run 3: " $suite suite --state "$tmp/state3" default-store
	kh_stop
	check "run 3: keel-hosted stops with status 0" [ "$kh_status" = 0 ]
else
	not_ok "run 3: default store: $ovmf missing (tools/install-deps.sh installs ovmf)"
fi
# Run 4: Secure Boot end to end through keel-varctl on a fresh state.
if [ -x build/bin/keel-varctl ]; then
	check "run 4: keel-hosted on a fresh state" kh_start tests/hosted/uefivars.manifest "$tmp/state4" "$tmp/run4.log"
	sb_varctl "run 4: " "$tmp/keys" build/bin/keel-varctl --state "$tmp/state4"
	kh_stop
	check "run 4: keel-hosted stops with status 0" [ "$kh_status" = 0 ]
else
	not_ok "run 4: Secure Boot through keel-varctl: build/bin/keel-varctl missing (make all)"
fi
grep -a "uefivars" "$tmp/run1.log" | head -n 20 | sed 's/^/# run1: /'
plan
