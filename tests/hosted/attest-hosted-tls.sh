#!/bin/sh
# attest-bridge over HTTPS, hosted (docs/attestation.md "TLS"): keel-hosted
# runs blkdev, storaged and attest-bridge (kbs=127.0.0.1:PORT tls=127.0.0.1,
# data= the test CA) against the real broker serving HTTPS (kbs --tls-cert,
# certificates from kbs-admin tls-ca / tls-cert). The right CA and name
# unlock; then refusals that must leave storaged locked and the state image
# unchanged: a broker certificate from another CA, a certificate for another
# name, the broker without TLS (the host stripping it), and tls= without a
# data file.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
for f in build/bin/keel-hosted build/bin/kbs build/bin/kbs-admin build/hosted/storaged \
	build/hosted/blkdev build/hosted/attest-bridge build/hosted/storaged-client; do
	if [ ! -x "$f" ]; then
		not_ok "$f is built (make)"
		plan
		exit 1
	fi
done
chain=kernel/platform/native/emulated-platform
good=$(printf 'ab%.0s' $(seq 48))
quiet() { "$@" >/dev/null 2>&1; }

# kbs_start LABEL [ARGS]: the broker on a fresh port ($port), its log in $work/LABEL.kbs.
kbs_start() {
	label=$1
	shift
	port=$(free_port)
	build/bin/kbs --listen "127.0.0.1:$port" --db "$work/kbs.db" --identity-key "$work/id.pem" \
		--emulated-chain "$chain" --allow-emulated --boot-window 0 "$@" >"$work/$label.kbs" 2>&1 &
	kbs_pid=$!
	pids="$pids $kbs_pid"
	for _ in $(seq 50); do
		grep -q listening "$work/$label.kbs" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
kbs_stop() { kill "$kbs_pid" 2>/dev/null; wait "$kbs_pid" 2>/dev/null; }

# boot LABEL BRIDGE_ARGS DATA|-: one keel-hosted run on $work/st, output in $work/LABEL.out.
boot() {
	data=
	[ "$3" != - ] && data="data=$3"
	cat >"$work/$1.manifest" <<EOF
task blkdev binary=blkdev memory=4M expect=any
task storaged binary=storaged memory=64M expect=any arg="blk=1 key=2 ns=3:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=any $data arg="kbs=127.0.0.1:$port $2 key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=16M expect=any arg="persist-check"
channel storaged:1 blkdev:1
channel storaged:2 attest-bridge:2
channel storaged:3 client:1
EOF
	timeout 60 build/bin/keel-hosted --manifest "$work/$1.manifest" --bin-dir "$work/bin" \
		--state "$work/st" --launch-digest "$good" >"$work/$1.out" 2>&1
	grep -v '^\[blkdev\]' "$work/$1.out" | sed 's/^/# /'
}
has() { grep -qF -- "$2" "$work/$1.out"; }
locked() { ! grep -q 'state unlocked' "$work/$1.out"; }
same_img() { cmp -s "$work/st/storage.img" "$work/good.img"; }

build/bin/kbs-admin keygen "$work/id.pem" >/dev/null
pin=$(build/bin/kbs-admin pin "$work/id.pem")
head -c 32 /dev/urandom >"$work/state.key"
check "the VM is registered" quiet build/bin/kbs-admin --db "$work/kbs.db" vm-add default \
	--measurement "$good" --state-key "$work/state.key"
check "kbs-admin makes the test CA" quiet build/bin/kbs-admin tls-ca "$work/ca"
check "kbs-admin makes the broker's certificate for 127.0.0.1" \
	quiet build/bin/kbs-admin tls-cert "$work/ca" 127.0.0.1
check "kbs-admin makes another CA and a certificate for 127.0.0.1 from it" \
	quiet sh -c "build/bin/kbs-admin tls-ca '$work/other' && build/bin/kbs-admin tls-cert '$work/other' 127.0.0.1"
mkdir -p "$work/name" "$work/bin" "$work/st"
cp "$work/ca/ca.pem" "$work/ca/ca.key" "$work/name/"
check "kbs-admin makes a certificate from the right CA for kbs.test only" \
	quiet build/bin/kbs-admin tls-cert "$work/name" kbs.test
for b in blkdev storaged attest-bridge storaged-client; do ln -s "$PWD/build/hosted/$b" "$work/bin/$b"; done
cp "$work/ca/ca.pem" "$work/bin/kbs-ca.pem"

# 1. The broker's certificate from the pinned CA, for 127.0.0.1: unlocked.
kbs_start good --tls-cert "$work/ca/server.pem" --tls-key "$work/ca/server.key" || not_ok "the HTTPS broker starts"
boot good "tls=127.0.0.1" kbs-ca.pem
check "good: the start line names the transport and tls=" has good "attest-bridge: transport=tcp tls=127.0.0.1 vm=default"
check "good: the handshake verified the broker's certificate" \
	has good "the broker's certificate verified for 127.0.0.1"
check "good: storaged unlocked (generation 1)" has good "keel: state unlocked (generation 1)"
check "good: acknowledged" has good "attest-bridge: unlocked: boot 1, generation 1 acknowledged"
check "good: the broker saw the attestation" grep -q "EMULATED attestation accepted" "$work/good.kbs"
cp "$work/st/storage.img" "$work/good.img"
check "good: no key in the log" sh -c "! grep -q \"$(od -An -tx1 "$work/state.key" | tr -d ' \n' | cut -c1-16)\" '$work/good.out'"

# 2. The same broker, tls= without the CA file: a configuration error.
boot nodata "tls=127.0.0.1" -
check "no data file: refused as a configuration error" \
	has nodata "attest-bridge: bad configuration: tls=127.0.0.1 needs the broker's CA certificate(s)"
check "no data file: storaged stays locked" locked nodata
check "no data file: the bridge exits 2" has nodata "task 'attest-bridge' exited 2"

# 3. A name the certificate does not have.
boot wrongname "tls=kbs.test" kbs-ca.pem
check "wrong name: refused at the handshake" \
	has wrongname "attest-bridge: TLS: certificate verify failed (hostname mismatch) for tls=kbs.test; staying locked"
check "wrong name: storaged stays locked" locked wrongname
check "wrong name: state image unchanged" same_img
kbs_stop

# 4. The broker's certificate names kbs.test, the bridge wants 127.0.0.1.
kbs_start name --tls-cert "$work/name/server.pem" --tls-key "$work/name/server.key" || not_ok "the broker starts (kbs.test)"
boot ipmismatch "tls=127.0.0.1" kbs-ca.pem
check "certificate for another name: refused" \
	has ipmismatch "attest-bridge: TLS: certificate verify failed (IP address mismatch) for tls=127.0.0.1; staying locked"
check "certificate for another name: storaged stays locked" locked ipmismatch
kbs_stop

# 5. A broker (or a host in the middle) with a certificate from another CA.
kbs_start other --tls-cert "$work/other/server.pem" --tls-key "$work/other/server.key" || not_ok "the broker starts (other CA)"
boot otherca "tls=127.0.0.1" kbs-ca.pem
check "another CA: refused at the handshake" \
	has otherca "attest-bridge: TLS: certificate verify failed (unable to get local issuer certificate) for tls=127.0.0.1; staying locked"
check "another CA: the broker saw the handshake fail and no request" \
	sh -c "grep -q 'TLS handshake with 127.0.0.1:[0-9]* failed' '$work/other.kbs' && ! grep -q 'auth: ' '$work/other.kbs'"
check "another CA: storaged stays locked" locked otherca
check "another CA: state image unchanged" same_img
kbs_stop

# 6. The broker without TLS (a host stripping it): the bridge does not fall back to HTTP.
kbs_start plain || not_ok "the plain-HTTP broker starts"
boot plain "tls=127.0.0.1" kbs-ca.pem
check "plain HTTP: refused at the handshake" \
	has plain "attest-bridge: TLS: handshake with the broker failed ("
check "plain HTTP: storaged stays locked" locked plain
check "plain HTTP: state image unchanged" same_img
kbs_stop

# 7. The right broker again: the state is still there, and unlocks.
kbs_start again --tls-cert "$work/ca/server.pem" --tls-key "$work/ca/server.key" || not_ok "the HTTPS broker restarts"
boot again "tls=127.0.0.1" kbs-ca.pem
check "again: storaged unlocked (generation 2: the refusals wrote nothing)" \
	has again "keel: state unlocked (generation 2)"
check "again: acknowledged" has again "attest-bridge: unlocked: boot 2, generation 2 acknowledged"
kbs_stop
plan
