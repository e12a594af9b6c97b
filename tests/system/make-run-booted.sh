#!/bin/bash
# make run itself (tools/keel-run.sh, docs/attestation.md "make run"), twice
# in a row on its own state (KEEL_RUN_DIR, a free KEEL_KBS_PORT), under TCG:
# the default transport, network + HTTPS (netdev, netstack, the bridge's
# net= tls=, kbs --tls-cert, keel-qemu --net-forward; no keel-proxy). The
# first run makes the broker's keys, the test CA and its certificate, a
# blank state disk, and the demo guest seals a secret and counts boot 1 in
# KeelDemoBoots; the second run unlocks the same state (no new key, no new
# registration), unseals the secret and counts boot 2. Then the refusals
# that happen before a boot: the broker's port taken, an unknown transport.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/igvm-measure" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/kbs" \
	"$KEEL_BIN/kbs-admin" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/netdev" \
	"$KEEL_BUILD/tasks/netstack" "$KEEL_BUILD/tasks/attest-bridge" "$KEEL_BUILD/tasks/vtpm"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
lacks() { ! tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$TMP"' EXIT
port=$(free_port)
accel=--tcg
[ "${KEEL_QEMU_ACCEL:-}" = kvm ] && accel=--kvm

# make_run LABEL [keel-qemu options]: tools/keel-run.sh from the repository
# root on $TMP/run, all its output in $TMP/LABEL.out; status in RUN_STATUS.
make_run() {
	local label=$1
	shift
	(cd "$KEEL_ROOT" && KEEL_BUILD=$KEEL_BUILD KEEL_RUN_DIR=$TMP/run KEEL_KBS_PORT=$port \
		tools/keel-run.sh "$@" </dev/null >"$TMP/$label.out" 2>&1)
	RUN_STATUS=$?
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/$label.out" "$KEEL_BUILD/test-logs/make-run-booted.$label.log"
	tr -d '\r' <"$TMP/$label.out" | grep -a "^make run\|attest-bridge\|netstack: \|keel: state\|demo: \|KeelDemoBoots\|FAIL" | sed 's/^/# /'
}

mkdir -p "$TMP/run"
make_run first "$accel" --timeout "$BOOT_TIMEOUT"
check "run 1: make run succeeded" [ "$RUN_STATUS" = 0 ]
check "run 1: a new broker key, state key and test CA" \
	sh -c "grep -q 'new broker identity key' '$TMP/first.out' && grep -q 'new state key' '$TMP/first.out' && grep -q 'new test CA' '$TMP/first.out'"
check "run 1: the broker serves HTTPS on the fixed port" has "$TMP/first.out" "make run: broker on https://127.0.0.1:$port"
check "run 1: the transport is the network (10.0.2.100:443 = the broker)" \
	has "$TMP/first.out" "make run: transport: network, the guest's 10.0.2.100:443 = the broker (https)"
check "run 1: no keel-proxy" lacks "$TMP/first.out" "keel-proxy"
check "run 1: the bridge says transport=net" has "$TMP/first.out" "attest-bridge: transport=net"
check "run 1: netstack's one peer is 10.0.2.100:443" has "$TMP/first.out" "netstack: peer 10.0.2.100:443"
check "run 1: state unlocked (generation 1)" has "$TMP/first.out" "keel: state unlocked (generation 1)"
check "run 1: boot 1 acknowledged" has "$TMP/first.out" "attest-bridge: unlocked: boot 1, generation 1 acknowledged"
check "run 1: the demo sealed a secret into the vTPM" \
	has "$TMP/first.out" "demo: sealed a secret into the vTPM (handle 0x81000100): it will be unsealed on the next run"
check "run 1: KeelDemoBoots is 1 (first boot of this state)" \
	has "$TMP/first.out" "KeelDemoBoots (NV, SVSM protocol 4, 64 KiB MM buffer): 1 (first boot of this state)"
check "run 1: the CA is the bridge's measured data file" cmp -s "$TMP/run/kbs/tls/ca.pem" "$TMP/run/run-bin/kbs-ca.pem"

make_run second "$accel" --timeout "$BOOT_TIMEOUT"
check "run 2: make run succeeded" [ "$RUN_STATUS" = 0 ]
check "run 2: nothing new (keys, CA, registration, disk)" \
	sh -c "! grep -q '^make run: \(new \|VM default\|the image changed\|moved\)' '$TMP/second.out'"
check "run 2: the bridge says transport=net" has "$TMP/second.out" "attest-bridge: transport=net"
check "run 2: state unlocked (the generation run 1 left)" has "$TMP/second.out" "keel: state unlocked (generation"
check "run 2: boot 2 acknowledged" has "$TMP/second.out" "attest-bridge: unlocked: boot 2, generation"
sealed=$(tr -d '\r' <"$TMP/first.out" | sed -n 's/^\[guest\] demo: the sealed secret: "\(.*\)"$/\1/p')
unsealed=$(tr -d '\r' <"$TMP/second.out" | sed -n 's/^\[guest\] demo: unsealed the secret sealed by an earlier run: "\(.*\)"$/\1/p')
echo "# sealed: '$sealed'; unsealed: '$unsealed'"
same_secret() { [ -n "$sealed" ] && [ "$sealed" = "$unsealed" ] && [ "${sealed#Keel demo secret sealed}" != "$sealed" ]; }
check "run 2: unsealed the secret run 1 sealed" same_secret
check "run 2: KeelDemoBoots is 2 (kept across reboots)" \
	has "$TMP/second.out" "KeelDemoBoots (NV, SVSM protocol 4, 64 KiB MM buffer): 2 (kept across reboots)"
key_hex=$(xxd -p -c 64 "$TMP/run/kbs/state.key")
check "the state key (hex) is in neither run's output nor the broker's log" \
	sh -c "! cat '$TMP/first.out' '$TMP/second.out' '$TMP/run/kbs/kbs.log' | tr -d '\r\n' | grep -qi '$key_hex'"

# The fixed port taken: a clear error before any boot.
python3 -c 'import socket,sys,time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").write("up")
time.sleep(60)' "$port" "$TMP/held" &
holder=$!
for _ in $(seq 50); do [ -s "$TMP/held" ] && break; sleep 0.1; done
make_run taken "$accel" --timeout 30
check "port taken: make run fails" [ "$RUN_STATUS" != 0 ]
check "port taken: it says so and names KEEL_KBS_PORT" \
	has "$TMP/taken.out" "make run: port 127.0.0.1:$port is taken (another make run, or another service): stop it or set KEEL_KBS_PORT to a free port"
check "port taken: nothing booted" lacks "$TMP/taken.out" "keel: "
kill "$holder" 2>/dev/null
holder=
(cd "$KEEL_ROOT" && KEEL_BUILD=$KEEL_BUILD KEEL_RUN_DIR=$TMP/run KEEL_TRANSPORT=serial tools/keel-run.sh >"$TMP/bad.out" 2>&1)
check "KEEL_TRANSPORT=serial: refused" [ $? != 0 ]
check "KEEL_TRANSPORT=serial: names the three choices" has "$TMP/bad.out" "KEEL_TRANSPORT must be net (HTTPS over the network, the default), http or proxy"
plan
