#!/bin/bash
# make run (docs/attestation.md, "make run"): boots Keel with attestation.
# 1. build/kbs/: the broker's identity key (kbs-admin keygen, first run),
#    the VM's state key (32 random bytes, first run), the SQLite database.
# 2. build/run.manifest = apps/boot-attest.manifest.in with the identity
#    key's pin; build/keel-run.igvm from it; its igvm-measure digest is
#    registered for VM "default" (first run; re-registered, with the same
#    state key, when the image changed: the broker's acknowledged
#    generation then starts again at 0).
# 3. kbs on loopback (--allow-emulated: the native emulated report),
#    keel-proxy, keel-qemu --disk build/keel-state.img --proxy-socket; when
#    QEMU exits, the broker and the proxy are stopped.
set -euo pipefail
build=${KEEL_BUILD:-build}
bin=$build/bin
kd=$build/kbs
state=${KEEL_STATE_IMG:-$build/keel-state.img}
mkdir -p "$kd"
say() { echo "make run: $*"; }

[ -e "$kd/identity.pem" ] || { "$bin/kbs-admin" keygen "$kd/identity.pem" >/dev/null; say "new broker identity key $kd/identity.pem"; }
pin=$("$bin/kbs-admin" pin "$kd/identity.pem")
if [ ! -e "$kd/state.key" ]; then
	(umask 077 && head -c 32 /dev/urandom >"$kd/state.key")
	say "new state key $kd/state.key"
fi
sed "s/@KBS_PIN@/$pin/" apps/boot-attest.manifest.in >"$build/run.manifest.new"
cmp -s "$build/run.manifest.new" "$build/run.manifest" 2>/dev/null || mv "$build/run.manifest.new" "$build/run.manifest"
rm -f "$build/run.manifest.new"
"$bin/igvm-build" --kernel "$build/kernel/keel.elf" --manifest "$build/run.manifest" \
	--bin-dir "$build/tasks" -o "$build/keel-run.igvm" >/dev/null
m=$("$bin/igvm-measure" "$build/keel-run.igvm")
db=$kd/kbs.db
if [ "$(cat "$kd/measurement" 2>/dev/null)" != "$m" ]; then
	if [ -e "$kd/measurement" ]; then
		"$bin/kbs-admin" --db "$db" vm-delete default >/dev/null
		say "the image changed: VM default re-registered (min-generation back to 0)"
	elif [ -e "$state" ]; then
		mv "$state" "$state.dev-key"
		say "moved the old state disk (not made with the broker's key) to $state.dev-key"
	fi
	"$bin/kbs-admin" --db "$db" vm-add default --measurement "$m" --state-key "$kd/state.key" >/dev/null
	echo "$m" >"$kd/measurement"
	say "VM default registered, measurement $m"
fi
[ -e "$state" ] || { truncate -s 8M "$state"; say "new blank state disk $state (8 MiB): storaged formats it, the vTPM is manufactured"; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sock=$kd/proxy.sock
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
"$bin/kbs" --listen "127.0.0.1:$port" --db "$db" --identity-key "$kd/identity.pem" \
	--emulated-chain kernel/platform/native/emulated-platform --allow-emulated >"$kd/kbs.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$kd/kbs.log" 2>/dev/null && break; sleep 0.1; done
say "broker on 127.0.0.1:$port (log $kd/kbs.log), pin $pin"
rm -f "$sock"
"$bin/keel-proxy" --socket "$sock" --connect "127.0.0.1:$port" 2>"$kd/proxy.log" &
pids+=($!)
rc=0
"$bin/keel-qemu" --disk "$state" --proxy-socket "$sock" "$@" "$build/keel-run.igvm" || rc=$?
say "broker log:"
sed 's/^/  /' "$kd/kbs.log" | tail -6
exit $rc
