#!/bin/sh
# Keel's TCP (apps/netstack: lwIP) against Linux's TCP through a lossy path
# (docs/net.md, docs/decisions.md D21: no tc netem here). Hosted Keel runs
# netdev (unix datagrams to $KEEL_NET_SOCKET), netstack (10.9.0.2/24,
# static) and tests/tasks/net-lossy-client; tests/hosted/net-lossy-relay.py
# forwards the frames to a TAP device in a network namespace (10.9.0.1/24)
# where tests/hosted/net-lossy-peer.py echoes TCP. Four paths, each a
# fresh relay and TAP device:
#   clean   1 MiB echoed back byte-identical as it comes; ping 10.9.0.2 from
#           the namespace answered 3 of 3; Linux's ARP entry for 10.9.0.2
#           holds netdev's default MAC; the relay lost nothing;
#   lossy   10% loss, 10% reordering, 5% duplication, 3% corruption, 2-5 ms
#           delay, both ways (seeded): 1 MiB sent whole, then echoed back
#           whole (the peer's bulk port: one direction at a time, so each
#           side recovers with pure duplicate ACKs), byte-identical, so the
#           corrupted frames were dropped by the checksums; the relay's
#           counts show every impairment happened both ways;
#   lossy2  the same impairments: 64 KiB echoed as it comes on each of two
#           connections (the second opened by RESET), ARP and ping through
#           the loss, KEEL_NET_MAC the MAC Linux resolves;
#   attest  the same impairments: hosted attest-bridge (net=, tls=10.9.0.1)
#           over netstack to build/bin/kbs serving HTTPS in the namespace:
#           the certificate verified, storaged unlocked, acknowledged.
# Root only (network namespace, TAP device): "1..0 # SKIP not root" else.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP not root (a network namespace and a TAP device)"
	exit 0
fi
for f in build/bin/keel-hosted build/hosted/netdev build/hosted/netstack \
	build/hosted/net-lossy-client build/bin/kbs build/bin/kbs-admin build/hosted/blkdev \
	build/hosted/storaged build/hosted/attest-bridge build/hosted/storaged-client; do
	if [ ! -x "$f" ]; then
		not_ok "$f is built (make)"
		plan
		exit 1
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/net-lossy.XXXXXX") || exit 1
ns=keel-lossy-$$
tap=kltap$$
port=7707
sock=$work/net.sock
relay_pid="" peer_pid="" keel_pid="" kbs_pid=""
cleanup() {
	for p in $keel_pid $relay_pid $peer_pid $kbs_pid; do kill "$p" 2>/dev/null; done
	ip netns del "$ns" 2>/dev/null
	[ -n "$KEEP" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# wait_for FILE PATTERN SECONDS: 0 once FILE has PATTERN.
wait_for() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# path_up LABEL RELAY_ARGS...: a relay on $sock and a fresh TAP device in the namespace.
path_up() {
	label=$1
	shift
	rm -f "$work/relay.ready"
	python3 tests/hosted/net-lossy-relay.py --socket "$sock" --tap "$tap" \
		--ready "$work/relay.ready" "$@" >"$work/$label.relay" 2>&1 &
	relay_pid=$!
	wait_for "$work/relay.ready" . 10 &&
		ip link set "$tap" netns "$ns" &&
		ip -n "$ns" addr add 10.9.0.1/24 dev "$tap" &&
		ip -n "$ns" link set "$tap" up
}

path_down() {
	kill -TERM "$relay_pid" 2>/dev/null
	wait "$relay_pid" 2>/dev/null
	relay_pid=""
	sed 's/^/# /' "$work/$1.relay"
}

# keel_run LABEL PEER_PORT MODE [ENV=VALUE...]: hosted Keel in the background, output
# in $work/LABEL.out.
keel_run() {
	label=$1 p=$2 mode=$3
	shift 3
	sed -e "s/@PORT@/$p/" -e "s/@MODE@/$mode/" tests/hosted/net-lossy.manifest \
		>"$work/$label.manifest"
	env KEEL_NET_SOCKET="$sock" "$@" timeout 600 build/bin/keel-hosted \
		--manifest "$work/$label.manifest" --state "$work/$label.state" \
		>"$work/$label.out" 2>&1 &
	keel_pid=$!
}

keel_wait() {
	wait "$keel_pid"
	keel_rc=$?
	keel_pid=""
	grep -v "net-lossy-client: ok:" "$work/$1.out" | sed 's/^/# /'
}

# relay_count LABEL DIRECTION FIELD: the relay's count at exit.
relay_count() {
	grep "^relay: $2 " "$work/$1.relay" | grep -o "$3 [0-9]*" | cut -d" " -f2
}

# ping_and_arp LABEL COUNT: pings 10.9.0.2 from the namespace while the client lingers.
ping_and_arp() {
	if wait_for "$work/$1.out" "net-lossy-client: lingering" 600; then
		ip netns exec "$ns" python3 tests/hosted/net-lossy-peer.py ping 10.9.0.2 "$2" \
			>"$work/$1.ping" 2>&1
		ip -n "$ns" neigh show 10.9.0.2 >"$work/$1.neigh" 2>&1
	fi
	sed 's/^/# /' "$work/$1.ping" "$work/$1.neigh" 2>/dev/null
}

ip netns add "$ns" && ip -n "$ns" link set lo up &&
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
check "network namespace $ns" [ $? -eq 0 ]
ip netns exec "$ns" python3 tests/hosted/net-lossy-peer.py echo "$port" "$work/peer.ready" \
	>"$work/peer.log" 2>&1 &
peer_pid=$!
check "echo server listens in the namespace on 10.9.0.1:$port" wait_for "$work/peer.ready" . 10

# --- the clean path ---
path_up clean --seed 1
check "clean: relay up, TAP device in the namespace as 10.9.0.1/24" [ $? -eq 0 ]
keel_run clean "$port" echo:1048576:1:5000
ping_and_arp clean 3
keel_wait clean
path_down clean
check "clean: keel-hosted exits 0" [ "$keel_rc" -eq 0 ]
check "clean: netdev on unix datagrams, default MAC" \
	grep -q "netdev: hosted: unix datagrams to $sock, mac 02:4b:45:45:4c:01, mtu 1500" "$work/clean.out"
check "clean: netstack static 10.9.0.2/24" \
	grep -q "netstack: address 10.9.0.2/24 gateway 10.9.0.1 (static)" "$work/clean.out"
check "clean: 1 MiB echoed back identical" \
	grep -q "net-lossy-client: round 1: 1048576 bytes echoed identical" "$work/clean.out"
check "clean: the client's 2 checks passed" grep -q "net-lossy-client: 2 checks, 0 failed" "$work/clean.out"
check "clean: ping 10.9.0.2 answered 3 of 3" grep -q "peer: ping 3 sent, 3 answered" "$work/clean.ping"
check "clean: Linux resolved 10.9.0.2 by ARP to 02:4b:45:45:4c:01" \
	grep -q "lladdr 02:4b:45:45:4c:01" "$work/clean.neigh"
check "clean: the relay lost nothing" [ "$(relay_count clean to-linux lost)" = 0 ]

# --- the lossy path ---
path_up lossy --seed 17 --loss 10 --reorder 10 --dup 5 --corrupt 3 --delay-ms 2 --jitter-ms 3
check "lossy: relay up, TAP device in the namespace as 10.9.0.1/24" [ $? -eq 0 ]
start=$(date +%s)
keel_run lossy $((port + 1)) bulk:1048576
keel_wait lossy
path_down lossy
echo "# lossy: $(($(date +%s) - start)) s"
check "lossy: keel-hosted exits 0" [ "$keel_rc" -eq 0 ]
check "lossy: 1 MiB sent and echoed back identical" \
	grep -q "net-lossy-client: round 1: 1048576 bytes echoed identical" "$work/lossy.out"
check "lossy: the client's check passed" grep -q "net-lossy-client: 1 checks, 0 failed" "$work/lossy.out"
for d in to-keel to-linux; do
	frames=$(relay_count lossy $d frames)
	check "lossy: $d: more than 800 frames (${frames:-?})" [ "${frames:-0}" -gt 800 ]
	for what in lost reordered duplicated corrupted; do
		v=$(relay_count lossy $d $what)
		check "lossy: $d: frames $what (${v:-?})" [ "${v:-0}" -gt 0 ]
	done
done

# --- the lossy path, interleaved: two connections (RESET), ARP and ping through the loss ---
path_up lossy2 --seed 23 --loss 10 --reorder 10 --dup 5 --corrupt 3 --delay-ms 2 --jitter-ms 3
check "lossy2: relay up, TAP device in the namespace" [ $? -eq 0 ]
keel_run lossy2 "$port" echo:65536:2:8000 KEEL_NET_MAC=02:00:00:00:17:03
ping_and_arp lossy2 5
keel_wait lossy2
path_down lossy2
check "lossy2: keel-hosted exits 0" [ "$keel_rc" -eq 0 ]
check "lossy2: netdev took KEEL_NET_MAC" grep -q "mac 02:00:00:00:17:03, mtu 1500" "$work/lossy2.out"
for r in 1 2; do
	check "lossy2: connection $r: 64 KiB echoed back identical as it came" \
		grep -q "net-lossy-client: round $r: 65536 bytes echoed identical" "$work/lossy2.out"
done
check "lossy2: the client's 4 checks passed (2 echoes, RESET, linger)" \
	grep -q "net-lossy-client: 4 checks, 0 failed" "$work/lossy2.out"
check "lossy2: ping 10.9.0.2 answered (at least 1 of 5)" \
	grep -q "peer: ping 5 sent, [1-5] answered" "$work/lossy2.ping"
check "lossy2: Linux resolved 10.9.0.2 by ARP to KEEL_NET_MAC" \
	grep -q "lladdr 02:00:00:00:17:03" "$work/lossy2.neigh"
# --- attestation through the lossy path: bridge (net=, tls=) -> netstack -> relay -> kbs ---
attest_manifest() {
	cat >"$work/attest.manifest" <<EOF
task netdev binary=netdev memory=4M expect=any
task netstack binary=netstack memory=8M expect=any arg="dev=1 serve=2 ip=10.9.0.2/24 gw=10.9.0.1 peer=10.9.0.1:$kport"
task blkdev binary=blkdev memory=4M expect=any
task storaged binary=storaged memory=64M expect=any arg="blk=1 key=2 ns=3:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=any data=kbs-ca.pem arg="net=1 tls=10.9.0.1 key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=16M expect=any arg="persist-write"
channel netstack:1 netdev:1
channel attest-bridge:1 netstack:2
channel storaged:1 blkdev:1
channel storaged:2 attest-bridge:2
channel storaged:3 client:1
EOF
}
good=$(printf 'ab%.0s' $(seq 48))
kport=8443
mkdir -p "$work/bin" "$work/attest.state"
for b in netdev netstack blkdev storaged attest-bridge storaged-client; do
	ln -s "$PWD/build/hosted/$b" "$work/bin/$b"
done
build/bin/kbs-admin keygen "$work/id.pem" >/dev/null 2>&1
pin=$(build/bin/kbs-admin pin "$work/id.pem")
head -c 32 /dev/urandom >"$work/state.key"
build/bin/kbs-admin --db "$work/kbs.db" vm-add default --measurement "$good" \
	--state-key "$work/state.key" >/dev/null 2>&1 &&
	build/bin/kbs-admin tls-ca "$work/ca" >/dev/null 2>&1 &&
	build/bin/kbs-admin tls-cert "$work/ca" 10.9.0.1 >/dev/null 2>&1 &&
	cp "$work/ca/ca.pem" "$work/bin/kbs-ca.pem"
check "attest: the VM registered, a test CA and a certificate for 10.9.0.1" [ $? -eq 0 ]
path_up attest --seed 29 --loss 10 --reorder 10 --dup 5 --corrupt 3 --delay-ms 2 --jitter-ms 3
check "attest: lossy relay up, TAP device in the namespace" [ $? -eq 0 ]
ip netns exec "$ns" build/bin/kbs --listen "10.9.0.1:$kport" --db "$work/kbs.db" \
	--identity-key "$work/id.pem" --emulated-chain kernel/platform/native/emulated-platform \
	--allow-emulated --boot-window 0 --tls-cert "$work/ca/server.pem" \
	--tls-key "$work/ca/server.key" >"$work/attest.kbs" 2>&1 &
kbs_pid=$!
check "attest: kbs serves HTTPS on 10.9.0.1:$kport in the namespace" wait_for "$work/attest.kbs" listening 10
attest_manifest
start=$(date +%s)
env KEEL_NET_SOCKET="$sock" timeout 600 build/bin/keel-hosted --manifest "$work/attest.manifest" \
	--bin-dir "$work/bin" --state "$work/attest.state" --launch-digest "$good" \
	>"$work/attest.out" 2>&1
grep -v '^\[blkdev\]' "$work/attest.out" | sed 's/^/# /'
echo "# attest: $(($(date +%s) - start)) s"
kill "$kbs_pid" 2>/dev/null
wait "$kbs_pid" 2>/dev/null
kbs_pid=""
path_down attest
check "attest: the bridge uses netstack with TLS" \
	grep -q "attest-bridge: transport=net tls=10.9.0.1 vm=default" "$work/attest.out"
check "attest: the broker's certificate verified" \
	grep -q "the broker's certificate verified for 10.9.0.1" "$work/attest.out"
check "attest: storaged unlocked (generation 1)" \
	grep -q "keel: state unlocked (generation 1)" "$work/attest.out"
check "attest: boot 1 acknowledged" \
	grep -q "attest-bridge: unlocked: boot 1, generation 1 acknowledged" "$work/attest.out"
check "attest: the broker accepted the attestation" grep -q "EMULATED attestation accepted" "$work/attest.kbs"
check "attest: the client's objects are committed" \
	grep -q "check ok: persist: two objects committed" "$work/attest.out"
check "attest: no key in the log" sh -c \
	"! grep -q \"$(od -An -tx1 "$work/state.key" | tr -d ' \n' | cut -c1-16)\" '$work/attest.out'"
# A few dozen frames: count every impairment (none at all: about 1 in 30000).
hit=0
for d in to-keel to-linux; do
	for what in lost reordered duplicated corrupted; do
		hit=$((hit + $(relay_count attest $d $what)))
	done
done
check "attest: the relay impaired frames on the way ($hit)" [ "$hit" -gt 0 ]

kill -TERM "$peer_pid" 2>/dev/null
wait "$peer_pid" 2>/dev/null
peer_pid=""
sed 's/^/# /' "$work/peer.log"
check "the echo servers saw 4 connections" grep -q "peer: 4 connections" "$work/peer.log"
plan
