#!/bin/bash
# make run (docs/attestation.md, "make run"): boots Keel with attestation.
# 1. build/kbs/: the broker's identity key (kbs-admin keygen, first run),
#    the VM's state key (32 random bytes, first run), the SQLite database,
#    and tls/: a test CA and the broker's TLS certificate for 10.0.2.100
#    (kbs-admin tls-ca / tls-cert, first run).
# 2. build/run.manifest = apps/boot-attest.manifest.in (KEEL_TRANSPORT=net,
#    the default: netdev + netstack, HTTPS; KEEL_TRANSPORT=http: the same
#    without TLS; KEEL_TRANSPORT=proxy: apps/boot-attest-proxy.manifest.in,
#    consdev + keel-proxy) with the identity key's pin; build/keel-run.igvm
#    from it and build/run-bin/ (the task binaries plus kbs-ca.pem, the
#    bridge's measured data file); its igvm-measure digest is registered for
#    VM "default" (first run; re-registered, with the same state key, when
#    the image changed: the broker's acknowledged generation then starts
#    again at 0).
# 3. kbs on 127.0.0.1:KEEL_KBS_PORT (default 8443; --allow-emulated: the
#    native emulated report), HTTPS unless KEEL_TRANSPORT=proxy|http;
#    keel-qemu --disk build/keel-state.img --net-forward 443:PORT (the guest's
#    10.0.2.100:443 is the broker, nothing else is reachable; docs/decisions.md
#    D22), or --proxy-socket + keel-proxy for KEEL_TRANSPORT=proxy. When QEMU
#    exits, the broker (and the proxy) are stopped.
# KEEL_RUN_DIR (default: the build directory) holds kbs/, the manifest, the
# image and the state disk, so a test can run this script on its own state.
set -euo pipefail
build=${KEEL_BUILD:-build}
bin=$build/bin
rd=${KEEL_RUN_DIR:-$build}
kd=$rd/kbs
state=${KEEL_STATE_IMG:-$rd/keel-state.img}
transport=${KEEL_TRANSPORT:-net}
kbs_port=${KEEL_KBS_PORT:-8443}
say() { echo "make run: $*"; }
die() { echo "make run: $*" >&2; exit 1; }

case $transport in
net) template=apps/boot-attest.manifest.in guest_port=443 ;;
http) template=apps/boot-attest.manifest.in guest_port=80 ;;
proxy) template=apps/boot-attest-proxy.manifest.in ;;
*) die "KEEL_TRANSPORT must be net (HTTPS over the network, the default), http or proxy, not '$transport'" ;;
esac
case $kbs_port in '' | *[!0-9]*) die "KEEL_KBS_PORT must be a port number, not '$kbs_port'" ;; esac
if [ "$kbs_port" -lt 1 ] || [ "$kbs_port" -gt 65535 ]; then die "KEEL_KBS_PORT must be 1..65535, not $kbs_port"; fi
mkdir -p "$kd"

[ -e "$kd/identity.pem" ] || { "$bin/kbs-admin" keygen "$kd/identity.pem" >/dev/null; say "new broker identity key $kd/identity.pem"; }
pin=$("$bin/kbs-admin" pin "$kd/identity.pem")
if [ ! -e "$kd/state.key" ]; then
	(umask 077 && head -c 32 /dev/urandom >"$kd/state.key")
	say "new state key $kd/state.key"
fi
# The broker's TLS: a test CA (its certificate is measured into the image as
# the bridge's data file) and a server certificate for the name the bridge
# checks (tls=10.0.2.100 in the manifest).
if [ ! -e "$kd/tls/ca.pem" ] || [ ! -e "$kd/tls/ca.key" ]; then
	rm -rf "$kd/tls"
	"$bin/kbs-admin" tls-ca "$kd/tls" >/dev/null
	say "new test CA $kd/tls/ca.pem (measured into the image: the bridge trusts only it)"
fi
if [ ! -e "$kd/tls/server.pem" ] || [ ! -e "$kd/tls/server.key" ]; then
	"$bin/kbs-admin" tls-cert "$kd/tls" 10.0.2.100 >/dev/null
	say "new broker TLS certificate $kd/tls/server.pem (10.0.2.100)"
fi

# The manifest: the template with the pin; http drops TLS and the data file.
sed_args=(-e "s/@KBS_PIN@/$pin/")
[ "$transport" = http ] && sed_args+=(-e 's/peer=10\.0\.2\.100:443/peer=10.0.2.100:80/' -e 's/ tls=10\.0\.2\.100//' -e 's/ data=kbs-ca\.pem//')
sed "${sed_args[@]}" "$template" >"$rd/run.manifest.new"
cmp -s "$rd/run.manifest.new" "$rd/run.manifest" 2>/dev/null || mv "$rd/run.manifest.new" "$rd/run.manifest"
rm -f "$rd/run.manifest.new"
# build/run-bin: the task binaries (links) and the CA as kbs-ca.pem.
rb=$rd/run-bin
rm -rf "$rb"
mkdir -p "$rb"
for f in "$build"/tasks/*; do
	if [ -f "$f" ]; then ln -s "$(readlink -f "$f")" "$rb/$(basename "$f")"; fi
done
cp "$kd/tls/ca.pem" "$rb/kbs-ca.pem"
"$bin/igvm-build" --kernel "$build/kernel/keel.elf" --manifest "$rd/run.manifest" \
	--bin-dir "$rb" -o "$rd/keel-run.igvm" >/dev/null
m=$("$bin/igvm-measure" "$rd/keel-run.igvm")
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

# The broker on the fixed port: taken is an error, not another port (the
# guest side is fixed in the measured manifest; the host side could move,
# but a silent move hides a second broker or a stale one).
# SO_REUSEADDR as kbs (libmicrohttpd) binds: the previous run's connections
# in TIME_WAIT do not count, a listener does.
port_free() {
	python3 -c 'import socket,sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}
port_free "$kbs_port" || die "port 127.0.0.1:$kbs_port is taken (another make run, or another service): stop it or set KEEL_KBS_PORT to a free port"
tls_args=()
scheme=http
if [ "$transport" = net ]; then
	tls_args=(--tls-cert "$kd/tls/server.pem" --tls-key "$kd/tls/server.key")
	scheme=https
fi
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait' EXIT
"$bin/kbs" --listen "127.0.0.1:$kbs_port" --db "$db" --identity-key "$kd/identity.pem" \
	--emulated-chain kernel/platform/native/emulated-platform --allow-emulated "${tls_args[@]}" >"$kd/kbs.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$kd/kbs.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$kd/kbs.log" || { sed 's/^/  /' "$kd/kbs.log" >&2; die "the broker did not start on 127.0.0.1:$kbs_port (log above, $kd/kbs.log)"; }
say "broker on $scheme://127.0.0.1:$kbs_port (log $kd/kbs.log), pin $pin"
qemu_args=(--disk "$state")
if [ "$transport" = proxy ]; then
	sock=$kd/proxy.sock
	rm -f "$sock"
	"$bin/keel-proxy" --socket "$sock" --connect "127.0.0.1:$kbs_port" 2>"$kd/proxy.log" &
	pids+=($!)
	qemu_args+=(--proxy-socket "$sock")
	say "transport: consdev + keel-proxy (log $kd/proxy.log)"
else
	qemu_args+=(--net-forward "$guest_port:$kbs_port")
	say "transport: network, the guest's 10.0.2.100:$guest_port = the broker ($scheme), nothing else reachable"
fi
rc=0
"$bin/keel-qemu" "${qemu_args[@]}" "$@" "$rd/keel-run.igvm" || rc=$?
say "broker log:"
sed 's/^/  /' "$kd/kbs.log" | tail -6
exit $rc
