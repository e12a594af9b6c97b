#!/bin/sh
# Attestation round trip, hosted (docs/attestation.md): keel-hosted with
# storaged + attest-bridge against build/bin/kbs on loopback (SQLite,
# --allow-emulated), KEEL_ATTEST_BENCH_RUNS boots (default 5) on one state;
# the bridge's own split: report (keel_attest_report: keel-hosted's signer),
# network (HTTP round trips, including the broker's verification and its
# database transaction), crypto (TEE key, pin + signature check, JWE, MAC).
# Prints the medians in microseconds and "bench-result" lines.
cd "$(dirname "$0")/../.." || exit 1
runs=${KEEL_ATTEST_BENCH_RUNS:-5}
w=$(mktemp -d)
trap 'kill $kp 2>/dev/null; rm -rf "$w"' EXIT
d=$(printf 'ab%.0s' $(seq 48))
build/bin/kbs-admin keygen "$w/id.pem" >/dev/null || exit 1
pin=$(build/bin/kbs-admin pin "$w/id.pem")
head -c 32 /dev/urandom >"$w/sk"
build/bin/kbs-admin --db "$w/kbs.db" vm-add default --measurement "$d" --state-key "$w/sk" >/dev/null || exit 1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
build/bin/kbs --listen "127.0.0.1:$port" --db "$w/kbs.db" --identity-key "$w/id.pem" \
	--emulated-chain kernel/platform/native/emulated-platform --allow-emulated --boot-window 0 >"$w/kbs.log" 2>&1 &
kp=$!
for _ in $(seq 50); do grep -q listening "$w/kbs.log" 2>/dev/null && break; sleep 0.1; done
cat >"$w/m" <<EOM
task blkdev binary=blkdev memory=4M expect=any
task storaged binary=storaged memory=64M expect=any arg="blk=1 key=2 ns=3:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=exit0 arg="kbs=127.0.0.1:$port key=2 kbs-pin=$pin"
task client binary=storaged-client memory=16M expect=any arg=persist-check
channel storaged:1 blkdev:1
channel storaged:2 attest-bridge:2
channel storaged:3 client:1
EOM
mkdir -p "$w/st"
for i in $(seq "$runs"); do
	build/bin/keel-hosted --manifest "$w/m" --state "$w/st" --launch-digest "$d" 2>&1 |
		sed -n 's/.*attest-bridge: time: report \([0-9]*\) us, network \([0-9]*\) us, crypto \([0-9]*\) us.*/\1 \2 \3/p' >>"$w/t"
done
n=$(wc -l <"$w/t")
if [ "$n" -ne "$runs" ]; then
	echo "attest bench: only $n of $runs boots unlocked" >&2
	exit 1
fi
med() { cut -d' ' -f"$1" "$w/t" | sort -n | sed -n "$(((runs + 1) / 2))p"; }
echo "Attestation round trip (hosted, $runs boots, median us): report $(med 1), network $(med 2), crypto $(med 3)"
echo "bench-result mode=hosted name=attest_report_us median=$(med 1)"
echo "bench-result mode=hosted name=attest_network_us median=$(med 2)"
echo "bench-result mode=hosted name=attest_crypto_us median=$(med 3)"
