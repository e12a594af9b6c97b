#!/bin/bash
# attest-bridge booted over the network (docs/attestation.md, D22): Keel
# under QEMU (TCG) with blkdev, netdev (virtio-net), netstack (DHCP, TCP to
# its one peer 10.0.2.100), storaged (locked) and attest-bridge (net=);
# keel-qemu --net-forward relays the guest's 10.0.2.100:PORT to
# build/bin/kbs on the host's loopback (slirp restrict=on: nothing else).
# Two boots on one state disk: the first over HTTP writes two objects, the
# second over HTTPS (tls=10.0.2.100, the test CA as the bridge's measured
# data file) finds them; both unlock, the generation moves, the bridge acks.
# Then HTTPS with another CA in data= (the image registered too, so the CA
# is the only thing wrong): the bridge refuses the broker, storaged stays
# locked, the state disk is unchanged; and tls= with no data= file at all:
# a configuration error, also locked. And the guest cannot reach the
# host's loopback but through the forward. No log ever holds the state key.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-240}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/igvm-measure" "$KEEL_BIN/keel-qemu" \
	"$KEEL_BIN/kbs" "$KEEL_BIN/kbs-admin" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/netdev" \
	"$KEEL_BUILD/tasks/netstack" "$KEEL_BUILD/tasks/attest-bridge" "$KEEL_BUILD/tasks/storaged" \
	"$KEEL_BUILD/tasks/storaged-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
command -v busybox >/dev/null || { not_ok "busybox is missing (keel-qemu --net-forward's relay)"; plan; exit 1; }
quiet() { "$@" >/dev/null 2>&1; }
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
lacks() { ! tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
kbs_pid=
trap '[ -n "$kbs_pid" ] && kill "$kbs_pid" 2>/dev/null; rm -rf "$TMP"' EXIT

"$KEEL_BIN/kbs-admin" keygen "$TMP/id.pem" >/dev/null
pin=$("$KEEL_BIN/kbs-admin" pin "$TMP/id.pem")
head -c 32 /dev/urandom >"$TMP/state.key"
check "kbs-admin tls-ca: the test CA" quiet "$KEEL_BIN/kbs-admin" tls-ca "$TMP/ca"
check "kbs-admin tls-cert: the broker's certificate for 10.0.2.100" quiet "$KEEL_BIN/kbs-admin" tls-cert "$TMP/ca" 10.0.2.100
check "kbs-admin tls-ca: another CA (the wrong one)" quiet "$KEEL_BIN/kbs-admin" tls-ca "$TMP/other"

# bindir DIR CA: the task binaries (links) and CA as kbs-ca.pem.
bindir() {
	mkdir -p "$1"
	for b in blkdev netdev netstack storaged attest-bridge storaged-client; do
		ln -sf "$KEEL_BUILD/tasks/$b" "$1/$b"
	done
	cp "$2" "$1/kbs-ca.pem"
}
bindir "$TMP/bin" "$TMP/ca/ca.pem"
bindir "$TMP/bin-other" "$TMP/other/ca.pem"

# manifest CLIENT_MODE http|https: the network boot manifest.
manifest() {
	local peer=10.0.2.100:80 tls="" data="" client_expect=""
	[ "$2" = https ] && peer=10.0.2.100:443 tls=" tls=10.0.2.100" data=" data=kbs-ca.pem"
	[ "$2" = https-nodata ] && peer=10.0.2.100:443 tls=" tls=10.0.2.100"
	[ "$1" = wait ] && set -- persist-check "$2" && client_expect=" expect=any"
	cat <<EOM
task blkdev binary=blkdev memory=4M device=virtio-blk expect=any
task netdev binary=netdev memory=4M device=virtio-net expect=any
task netstack binary=netstack memory=16M expect=any arg="dev=1 serve=2 ip=dhcp peer=$peer"
task storaged binary=storaged memory=32M expect=any arg="blk=1 key=3 ns=2:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=exit0$data arg="net=1$tls key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=4M$client_expect arg=$1
channel storaged:1 blkdev:1
channel storaged:2 client:1
channel storaged:3 attest-bridge:2
channel netstack:1 netdev:1
channel attest-bridge:1 netstack:2
EOM
}
# image NAME MANIFEST_ARGS... BINDIR: $TMP/NAME.igvm, one TAP line.
image() {
	local name=$1 bin=$4
	manifest "$2" "$3" >"$TMP/$name.manifest"
	if "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" --manifest "$TMP/$name.manifest" \
		--bin-dir "$bin" -o "$TMP/$name.igvm" >"$TMP/igvm-build.log" 2>&1; then
		ok "igvm-build of the $name image"
	else
		not_ok "igvm-build of the $name image"
		show "$TMP/igvm-build.log"
		plan
		exit 1
	fi
}
image http persist-write http "$TMP/bin"
image https persist-check https "$TMP/bin"
image wrongca wait https "$TMP/bin-other"
image nodata wait https-nodata "$TMP/bin"
ms=()
for i in http https wrongca nodata; do ms+=(--measurement "$("$KEEL_BIN/igvm-measure" "$TMP/$i.igvm")"); done
check "the four images registered (their igvm-measure digests)" quiet "$KEEL_BIN/kbs-admin" --db "$TMP/kbs.db" \
	vm-add default "${ms[@]}" --state-key "$TMP/state.key"

# kbs_start LABEL [TLS options]: the broker on a free loopback port ($port).
kbs_start() {
	local label=$1
	shift
	[ -n "$kbs_pid" ] && kill "$kbs_pid" 2>/dev/null && wait "$kbs_pid" 2>/dev/null
	port=$(free_port)
	"$KEEL_BIN/kbs" --listen "127.0.0.1:$port" --db "$TMP/kbs.db" --identity-key "$TMP/id.pem" \
		--emulated-chain "$KEEL_ROOT/kernel/platform/native/emulated-platform" --allow-emulated \
		--boot-window 0 "$@" >"$TMP/$label.kbs" 2>&1 &
	kbs_pid=$!
	for _ in $(seq 50); do grep -q listening "$TMP/$label.kbs" 2>/dev/null && break; sleep 0.1; done
	check "$label: the broker listens on 127.0.0.1:$port" grep -q listening "$TMP/$label.kbs"
}
# one_boot LABEL IGVM GUESTPORT: the serial log in $TMP/LABEL.log.
one_boot() {
	boot_igvm "$TMP/$1.log" "$2" --disk "$TMP/state.img" --net-forward "$3:$port" --net ipv6=off
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/$1.log" "$KEEL_BUILD/test-logs/attest-booted-net.$1.log"
	tr -d '\r' <"$TMP/$1.log" | grep -a "attest-bridge\|netstack\|keel: state\|storaged: \|persist\|FAIL" | sed 's/^/# /'
}
truncate -s 8M "$TMP/state.img"

kbs_start http
one_boot http "$TMP/http.igvm" 80
check "HTTP: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "HTTP: the bridge says transport=net" has "$TMP/http.log" "attest-bridge: transport=net"
check "HTTP: netstack got its address by DHCP (restrict=on: slirp offers no router)" has "$TMP/http.log" "netstack: address 10.0.2.15/24 gateway 0.0.0.0 (dhcp)"
check "HTTP: netstack's one peer is 10.0.2.100:80" has "$TMP/http.log" "netstack: peer 10.0.2.100:80"
check "HTTP: state unlocked (generation 1)" has "$TMP/http.log" "keel: state unlocked (generation 1)"
check "HTTP: acknowledged" has "$TMP/http.log" "attest-bridge: unlocked: boot 1, generation 1 acknowledged"
check "HTTP: the client wrote its objects" has "$TMP/http.log" "check ok: persist: two objects committed"

kbs_start https --tls-cert "$TMP/ca/server.pem" --tls-key "$TMP/ca/server.key"
one_boot https "$TMP/https.igvm" 443
check "HTTPS: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "HTTPS: the bridge says transport=net" has "$TMP/https.log" "attest-bridge: transport=net"
check "HTTPS: netstack's one peer is 10.0.2.100:443" has "$TMP/https.log" "netstack: peer 10.0.2.100:443"
check "HTTPS: the bridge verified the broker's certificate for 10.0.2.100" \
	has "$TMP/https.log" ", the broker's certificate verified for 10.0.2.100"
check "HTTPS: state unlocked (generation 3)" has "$TMP/https.log" "keel: state unlocked (generation 3)"
check "HTTPS: the HTTP boot's objects are there" has "$TMP/https.log" "check ok: persist: p-small is back after the restart"
check "HTTPS: acknowledged" has "$TMP/https.log" "attest-bridge: unlocked: boot 2, generation 3 acknowledged"

# Another CA in the measured data file: the broker's certificate does not
# chain to it, so the bridge never sends its evidence; the broker sees no
# attestation, storaged stays locked and the disk is not written.
cp "$TMP/state.img" "$TMP/state.before"
attests_before=$(grep -c 'EMULATED attestation accepted' "$TMP/https.kbs")
one_boot wrongca "$TMP/wrongca.igvm" 443
check "wrong CA: the boot ended (no hang; status $BOOT_STATUS)" [ "$BOOT_STATUS" != 124 ]
check "wrong CA: the bridge says transport=net" has "$TMP/wrongca.log" "attest-bridge: transport=net"
check "wrong CA: storaged stays locked" lacks "$TMP/wrongca.log" "keel: state unlocked"
check "wrong CA: the bridge says the certificate did not verify" \
	has "$TMP/wrongca.log" "attest-bridge: TLS: certificate verify failed"
check "wrong CA: the broker saw no attestation" \
	[ "$(grep -c 'EMULATED attestation accepted' "$TMP/https.kbs")" = "$attests_before" ]
check "wrong CA: the state disk is unchanged" cmp -s "$TMP/state.img" "$TMP/state.before"

# tls= without a data= file: a configuration error, never plain HTTP.
one_boot nodata "$TMP/nodata.igvm" 443
check "tls= without data=: the boot ended (status $BOOT_STATUS)" [ "$BOOT_STATUS" != 124 ]
check "tls= without data=: the bridge says it needs the CA as its data file" \
	has "$TMP/nodata.log" "attest-bridge: bad configuration: tls=10.0.2.100 needs the broker's CA certificate(s)"
check "tls= without data=: storaged stays locked" lacks "$TMP/nodata.log" "keel: state unlocked"
check "tls= without data=: the broker saw no attestation" \
	[ "$(grep -c 'EMULATED attestation accepted' "$TMP/https.kbs")" = "$attests_before" ]
check "tls= without data=: the state disk is unchanged" cmp -s "$TMP/state.img" "$TMP/state.before"

# The forward is the guest's only way out: a listener on the host's
# loopback, at the host address slirp would map to it without restrict=on
# (10.0.2.2:PORT), is never reached; the bridge stays locked.
python3 "$KEEL_ROOT/tests/system/tcp-accept-count.py" "$TMP/lport" "$TMP/lconns" &
lpid=$!
for _ in $(seq 100); do [ -s "$TMP/lport" ] && break; sleep 0.1; done
lport=$(cat "$TMP/lport" 2>/dev/null)
manifest wait http | sed "s/peer=10\.0\.2\.100:80/peer=10.0.2.2:${lport:-1}/" >"$TMP/escape.manifest"
build_manifest_igvm "$TMP/escape.manifest" "$TMP/escape.igvm" || { plan; exit 1; }
one_boot escape "$TMP/escape.igvm" 443
check "escape: netstack's peer is the host's 10.0.2.2:${lport:-?}" has "$TMP/escape.log" "netstack: peer 10.0.2.2:${lport:-?}"
check "escape: the connection is refused (restrict=on: slirp answers RST)" has "$TMP/escape.log" "netstack: connect to the peer: refused"
check "escape: storaged stays locked" lacks "$TMP/escape.log" "keel: state unlocked"
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null
check "escape: the host's listener saw no connection" [ ! -s "$TMP/lconns" ]

# The state key never appears in any log (serial or broker), in hex either case.
key_hex=$(xxd -p -c 64 "$TMP/state.key")
check "the state key (hex) is in no serial log" sh -c "! cat '$TMP'/*.log | tr -d '\r\n' | grep -qi '$key_hex'"
check "the state key (hex) is in no broker log" sh -c "! cat '$TMP'/*.kbs | grep -qi '$key_hex'"
sed 's/^/# kbs: /' "$TMP/http.kbs" "$TMP/https.kbs"
plan
