#!/bin/bash
# The booted TCP/IP stack (apps/netstack: lwIP over netdev's frame channel,
# serving the stream protocol) on QEMU user networking with
# keel-qemu --net-host-loopback, so the guest's 10.0.2.2:PORT is the host's
# 127.0.0.1:PORT, where tests/system/netstack-echo.py listens.
# tests/system/netstack.manifest (the first three), four boots:
#   dhcp     the address from slirp's DHCP (10.0.2.15); netstack-client
#            (mode echo): malformed requests, 64 KiB echoed identical, a
#            READ timeout, RESET = a new connection (the server counts 6),
#            the server closing (FIN) or resetting (RST) -> ECLOSED;
#            three netstack tasks with bad arg= words each refuse with
#            one line and exit 1
#   static   ip=10.0.2.15/24 gw=10.0.2.2: echo on two connections; flow
#            control: the server stops reading, WRITEs fill the path until
#            one waits its 5 s (STREAM_ETIMEDOUT); RESET recovers
#   refused  nothing listens on the peer's port: slirp's RST -> STREAM_EIO
#   bridge   attest-bridge over netstack to build/bin/kbs: state unlocked
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/netdev" "$KEEL_BUILD/tasks/netstack" "$KEEL_BUILD/tasks/netstack-client" \
	"$KEEL_BIN/kbs" "$KEEL_BIN/kbs-admin" "$KEEL_BIN/igvm-measure" "$KEEL_BUILD/tasks/attest-bridge" \
	"$KEEL_BUILD/tasks/storaged" "$KEEL_BUILD/tasks/storaged-client" "$KEEL_BUILD/tasks/blkdev"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
lacks() { ! has "$@"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

python3 "$KEEL_ROOT/tests/system/netstack-echo.py" "$TMP/port" "$TMP/conns" &
pids+=($!)
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
port=$(cat "$TMP/port" 2>/dev/null)
check "echo server on 127.0.0.1 (port ${port:-none})" [ -n "$port" ]
port=${port:-1}

# boot NAME ARG PORT MODE: builds and boots the manifest; the log in $TMP/NAME.log.
boot() {
	local name=$1
	sed -e "s|@ARG@|$2|" -e "s|@PORT@|$3|" -e "s|@MODE@|$4|" \
		"$KEEL_ROOT/tests/system/netstack.manifest" >"$TMP/$name.manifest"
	build_manifest_igvm "$TMP/$name.manifest" "$TMP/$name.igvm" || return 1
	boot_igvm "$TMP/$name.log" "$TMP/$name.igvm" --net-host-loopback --net ipv6=off
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/$name.log" "$KEEL_BUILD/test-logs/netstack-booted.$name.log"
	tr -d '\r' <"$TMP/$name.log" | grep -a "netstack\|FAIL\|keel: task" | sed 's/^/# /'
}

# --- dhcp: the echo server, the close, the refused configurations
boot dhcp "ip=dhcp" "$port" echo
log=$TMP/dhcp.log
check "dhcp: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "dhcp: netstack read netdev's MAC and MTU" has "$log" "[netstack] netstack: mac 52:54:00:12:34:56 mtu 1500"
check "dhcp: slirp's lease logged" has "$log" "[netstack] netstack: address 10.0.2.15/24 gateway 10.0.2.2 (dhcp)"
check "dhcp: the peer logged" has "$log" "[netstack] netstack: peer 10.0.2.2:$port"
check "dhcp: netstack-client's 24 checks passed" has "$log" "netstack-client: 24 checks, 0 failed"
check "dhcp: kernel: netstack-client exit 0" outcome_is "$log" netstack-client "exit 0"
check "dhcp: kernel: netstack exit 0 (the client left)" outcome_is "$log" netstack "exit 0"
check "dhcp: kernel: netdev exit 0 (netstack left)" outcome_is "$log" netdev "exit 0"
check "dhcp: netstack counted 6 connections, 1 closed by the peer, 1 reset" has "$log" "6 connections, 0 failed, 1 closed by the peer, 1 reset"
check "dhcp: netstack logged the peer's reset" has "$log" "[netstack] netstack: connection 5 reset by the peer"
for _ in $(seq 20); do grep -q "conn 6 closed" "$TMP/conns" 2>/dev/null && break; sleep 0.1; done
sed 's/^/# server: /' "$TMP/conns" 2>/dev/null
check "dhcp: the server accepted 6 connections (implicit, 5 RESETs)" [ "$(grep -c ' open$' "$TMP/conns")" -eq 6 ]
check "dhcp: the server received the 64 KiB on connection 1" grep -qx "conn 1 closed 65536" "$TMP/conns"
check "dhcp: the server received 1000 bytes on connection 2" grep -qx "conn 2 closed 1000" "$TMP/conns"
bad="[bad-peer] netstack: bad configuration (manifest arg=): "
check "bad arg: peer= without a port refused" has "$log" "$bad"'peer= wants a unicast A.B.C.D:PORT, PORT 1..65535: "peer=10.0.2.2"'
bad="[bad-gw] netstack: bad configuration (manifest arg=): "
check "bad arg: gateway outside the subnet refused" has "$log" "$bad""gw= must be another host address inside ip='s subnet"
bad="[bad-word] netstack: bad configuration (manifest arg=): "
check "bad arg: unknown word refused" has "$log" "$bad"'unknown word: "mtu=9000"'
for t in bad-peer bad-gw bad-word; do
	check "bad arg: kernel: $t exit 1" outcome_is "$log" "$t" "exit 1"
done

# --- static: ip=10.0.2.15/24 gw=10.0.2.2, against a server whose receive
# buffer is small (4 KiB): the "HOLD_" connection's window closes soon.
python3 "$KEEL_ROOT/tests/system/netstack-echo.py" "$TMP/port2" "$TMP/conns2" 4096 &
pids+=($!)
for _ in $(seq 100); do [ -s "$TMP/port2" ] && break; sleep 0.1; done
port2=$(cat "$TMP/port2" 2>/dev/null)
check "small-buffer server on 127.0.0.1 (port ${port2:-none})" [ -n "$port2" ]
boot static "ip=10.0.2.15/24 gw=10.0.2.2" "${port2:-1}" static
log=$TMP/static.log
check "static: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "static: the static address logged" has "$log" "[netstack] netstack: address 10.0.2.15/24 gateway 10.0.2.2 (static)"
check "static: netstack-client's 10 checks passed (echo; WRITE to a peer not reading -> ETIMEDOUT after 5 s)" \
	has "$log" "netstack-client: 10 checks, 0 failed"
check "static: the server accepted 4 connections" [ "$(grep -c ' open$' "$TMP/conns2")" -eq 4 ]
check "static: no DHCP (no dhcp address line)" lacks "$log" "(dhcp)"
check "static: kernel: netstack exit 0" outcome_is "$log" netstack "exit 0"

# --- refused: a port nobody listens on
dead=$(free_port)
boot refused "ip=dhcp" "$dead" refused
log=$TMP/refused.log
check "refused: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "refused: netstack-client's 4 checks passed" has "$log" "netstack-client: 4 checks, 0 failed"
check "refused: netstack logged the refusal" has "$log" "[netstack] netstack: connect to the peer: refused"
check "refused: kernel: netstack exit 0" outcome_is "$log" netstack "exit 0"

# --- bridge: attest-bridge over netstack to build/bin/kbs on the host's
# loopback (HTTP, plain): the stream is the same protocol consdev serves,
# so the bridge's stream transport drives it unchanged; net=SLOT names it
# "net" in the bridge's start line.
pin=$("$KEEL_BIN/kbs-admin" keygen "$TMP/id.pem" >/dev/null && "$KEEL_BIN/kbs-admin" pin "$TMP/id.pem")
head -c 32 /dev/urandom >"$TMP/state.key"
kport=$(free_port)
cat >"$TMP/bridge.manifest" <<EOM
task blkdev binary=blkdev memory=4M device=virtio-blk expect=any
task netdev binary=netdev memory=4M device=virtio-net expect=any
task netstack binary=netstack memory=8M expect=any arg="dev=1 serve=2 peer=10.0.2.2:$kport"
task storaged binary=storaged memory=32M expect=any arg="blk=1 key=3 ns=2:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest arg="net=1 key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=4M arg=persist-write
channel storaged:1 blkdev:1
channel storaged:2 client:1
channel storaged:3 attest-bridge:2
channel attest-bridge:1 netstack:2
channel netstack:1 netdev:1
EOM
build_manifest_igvm "$TMP/bridge.manifest" "$TMP/bridge.igvm" || { plan; exit 1; }
"$KEEL_BIN/kbs-admin" --db "$TMP/kbs.db" vm-add default --measurement "$("$KEEL_BIN/igvm-measure" "$TMP/bridge.igvm")" \
	--state-key "$TMP/state.key" >/dev/null
"$KEEL_BIN/kbs" --listen "127.0.0.1:$kport" --db "$TMP/kbs.db" --identity-key "$TMP/id.pem" \
	--emulated-chain "$KEEL_ROOT/kernel/platform/native/emulated-platform" --allow-emulated \
	--boot-window 0 >"$TMP/kbs.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$TMP/kbs.log" 2>/dev/null && break; sleep 0.1; done
truncate -s 8M "$TMP/state.img"
boot_igvm "$TMP/bridge.log" "$TMP/bridge.igvm" --disk "$TMP/state.img" --net-host-loopback --net ipv6=off
cp "$TMP/bridge.log" "$KEEL_BUILD/test-logs/netstack-booted.bridge.log"
tr -d '\r' <"$TMP/bridge.log" | grep -a "netstack\|attest-bridge\|keel: state\|FAIL" | sed 's/^/# /'
log=$TMP/bridge.log
check "bridge: boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "bridge: the bridge says transport=net" has "$log" "attest-bridge: transport=net vm=default"
check "bridge: state unlocked over netstack (generation 1)" has "$log" "keel: state unlocked (generation 1)"
check "bridge: acknowledged" has "$log" "attest-bridge: unlocked: boot 1, generation 1 acknowledged"
check "bridge: the broker saw the attestation" grep -q "EMULATED attestation accepted for vm default" "$TMP/kbs.log"
check "bridge: netstack's connections all opened" grep -aq "netstack: client gone after .* 0 failed" "$log"
plan
