#!/bin/bash
# attest-bridge over HTTPS booted (docs/attestation.md "TLS"): the ring-3
# bridge with OpenSSL's libssl.a on Keel's libc, stream=1 (consdev +
# keel-qemu --proxy-socket + keel-proxy) and tls=127.0.0.1, the test CA as
# its measured data file, to build/bin/kbs serving HTTPS (--tls-cert; the
# certificates from kbs-admin tls-ca / tls-cert). The CMOS RTC QEMU gives
# the kernel is the clock certificate validity is checked against. Boot 1:
# the handshake verifies and the state unlocks. Boot 2: the same image, the
# broker with a certificate from another CA: refused at the handshake,
# storaged stays locked. (The net= path is the network tests' part.)
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/igvm-measure" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/keel-proxy" \
	"$KEEL_BIN/kbs" "$KEEL_BIN/kbs-admin" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/consdev" \
	"$KEEL_BUILD/tasks/attest-bridge" "$KEEL_BUILD/tasks/storaged" "$KEEL_BUILD/tasks/storaged-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
quiet() { "$@" >/dev/null 2>&1; }
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

"$KEEL_BIN/kbs-admin" keygen "$TMP/id.pem" >/dev/null
pin=$("$KEEL_BIN/kbs-admin" pin "$TMP/id.pem")
head -c 32 /dev/urandom >"$TMP/state.key"
check "kbs-admin makes the test CA and the broker's certificate for 127.0.0.1" \
	quiet sh -c "'$KEEL_BIN/kbs-admin' tls-ca '$TMP/ca' && '$KEEL_BIN/kbs-admin' tls-cert '$TMP/ca' 127.0.0.1"
check "kbs-admin makes another CA and a certificate for 127.0.0.1 from it" \
	quiet sh -c "'$KEEL_BIN/kbs-admin' tls-ca '$TMP/other' && '$KEEL_BIN/kbs-admin' tls-cert '$TMP/other' 127.0.0.1"

# The bundle's files: the tasks and the CA as the bridge's data= entry.
mkdir -p "$TMP/bin"
for t in blkdev consdev storaged attest-bridge storaged-client; do
	ln -s "$KEEL_BUILD/tasks/$t" "$TMP/bin/$t"
done
cp "$TMP/ca/ca.pem" "$TMP/bin/kbs-ca.pem"
cat >"$TMP/tls.manifest" <<EOM
task blkdev binary=blkdev memory=4M device=virtio-blk expect=any
task consdev binary=consdev memory=4M device=virtio-console expect=any
task storaged binary=storaged memory=32M expect=any arg="blk=1 key=3 ns=2:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=exit0 data=kbs-ca.pem arg="stream=1 tls=127.0.0.1 key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=4M expect=any arg=persist-write
channel storaged:1 blkdev:1
channel storaged:2 client:1
channel storaged:3 attest-bridge:2
channel attest-bridge:1 consdev:1
EOM
check "igvm-build with the CA as the bridge's data file" \
	quiet "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" --manifest "$TMP/tls.manifest" \
	--bin-dir "$TMP/bin" -o "$TMP/tls.igvm"
check "the image is registered" quiet "$KEEL_BIN/kbs-admin" --db "$TMP/kbs.db" vm-add default \
	--measurement "$("$KEEL_BIN/igvm-measure" "$TMP/tls.igvm")" --state-key "$TMP/state.key"

# kbs_start LABEL CERT_DIR: the broker serving HTTPS with CERT_DIR/server.{pem,key} on $port.
kbs_start() {
	port=$(free_port)
	"$KEEL_BIN/kbs" --listen "127.0.0.1:$port" --db "$TMP/kbs.db" --identity-key "$TMP/id.pem" \
		--emulated-chain "$KEEL_ROOT/kernel/platform/native/emulated-platform" --allow-emulated \
		--boot-window 0 --tls-cert "$2/server.pem" --tls-key "$2/server.key" >"$TMP/$1.kbs" 2>&1 &
	kbs_pid=$!
	pids+=($kbs_pid)
	for _ in $(seq 50); do grep -q listening "$TMP/$1.kbs" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# one_boot LABEL: keel-proxy to the broker + keel-qemu; the serial log in $TMP/LABEL.log.
one_boot() {
	"$KEEL_BIN/keel-proxy" --socket "$TMP/$1.sock" --connect "127.0.0.1:$port" 2>"$TMP/$1.proxy" &
	local proxy=$!
	pids+=($proxy)
	boot_igvm "$TMP/$1.log" "$TMP/tls.igvm" --disk "$TMP/state.img" --proxy-socket "$TMP/$1.sock"
	wait "$proxy"
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/$1.log" "$KEEL_BUILD/test-logs/attest-booted-tls.$1.log"
	tr -d '\r' <"$TMP/$1.log" | grep -a "attest-bridge\|keel: state\|keel: time\|storaged: \|FAIL" | sed 's/^/# /'
}
truncate -s 8M "$TMP/state.img"

kbs_start good "$TMP/ca" || not_ok "the HTTPS broker starts"
one_boot good
check "boot 1: ended with success" [ "$BOOT_STATUS" = 0 ]
check "boot 1: the start line says transport=proxy tls=127.0.0.1" \
	has "$TMP/good.log" "attest-bridge: transport=proxy tls=127.0.0.1 vm=default"
check "boot 1: libssl in ring 3 verified the broker's certificate" \
	has "$TMP/good.log" "the broker's certificate verified for 127.0.0.1"
check "boot 1: state unlocked (generation 1)" has "$TMP/good.log" "keel: state unlocked (generation 1)"
check "boot 1: acknowledged" has "$TMP/good.log" "attest-bridge: unlocked: boot 1, generation 1 acknowledged"
check "boot 1: the bridge exited 0" outcome_is "$TMP/good.log" attest-bridge "exit 0"
kill "$kbs_pid" 2>/dev/null
wait "$kbs_pid" 2>/dev/null
cp "$TMP/state.img" "$TMP/good.img"

kbs_start other "$TMP/other" || not_ok "the broker with another CA's certificate starts"
one_boot other
check "boot 2 (another CA): refused at the handshake" has "$TMP/other.log" \
	"attest-bridge: TLS: certificate verify failed (unable to get local issuer certificate) for tls=127.0.0.1; staying locked"
check "boot 2 (another CA): storaged stays locked" sh -c "! tr -d '\r' <'$TMP/other.log' | grep -aq 'keel: state unlocked'"
check "boot 2 (another CA): state image unchanged" cmp -s "$TMP/state.img" "$TMP/good.img"
check "boot 2 (another CA): the broker saw the handshake fail and no request" \
	sh -c "grep -q 'TLS handshake with 127.0.0.1:[0-9]* failed' '$TMP/other.kbs' && ! grep -q 'auth: ' '$TMP/other.kbs'"
kill "$kbs_pid" 2>/dev/null
wait "$kbs_pid" 2>/dev/null
sed 's/^/# kbs: /' "$TMP/good.kbs"
plan
