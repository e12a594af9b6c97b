#!/bin/bash
# Attestation round trip, hosted (docs/attestation.md): keel-hosted with
# storaged + attest-bridge against build/bin/kbs on loopback (SQLite,
# --allow-emulated), KEEL_ATTEST_BENCH_RUNS boots (default 5) on one state;
# the bridge's own split: report (keel_attest_report: keel-hosted's signer),
# network (HTTP round trips, including the broker's verification and its
# database transaction), crypto (TEE key, pin + signature check, JWE, MAC).
# Prints the medians in microseconds and "bench-result" lines.
# Then booted under TCG (the same machine, the same run), the same split
# for each way the bridge reaches the broker, KEEL_ATTEST_BENCH_BOOTS boots
# each (default 3), interleaved so they see the same machine load:
#   proxy  consdev + keel-proxy (virtio-console, docs/keel-proxy.md), HTTP
#   net    netdev + netstack (virtio-net, slirp, keel-qemu --net-forward), HTTP
#   net+tls  the same with TLS to the broker (tls=10.0.2.100, the test CA)
# each with its own broker, database and state disk
# (KEEL_ATTEST_BENCH_MODES: a subset of "proxy net tls").
cd "$(dirname "$0")/../.." || exit 1
runs=${KEEL_ATTEST_BENCH_RUNS:-5}
boots=${KEEL_ATTEST_BENCH_BOOTS:-3}
w=$(mktemp -d)
bpids=()
trap 'kill $kp "${bpids[@]}" 2>/dev/null; rm -rf "$w"' EXIT
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

# --- booted: proxy vs network (HTTP, HTTPS) under TCG ---
bin=build/bin
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
modes=${KEEL_ATTEST_BENCH_MODES:-proxy net tls}
case " $modes " in
*" tls "*)
	if ! "$bin/kbs-admin" tls-ca "$w/ca" >/dev/null || ! "$bin/kbs-admin" tls-cert "$w/ca" 10.0.2.100 >/dev/null; then
		echo "attest bench: kbs-admin tls-ca/tls-cert failed" >&2
		exit 1
	fi ;;
esac
mkdir -p "$w/bin"
for b in blkdev consdev netdev netstack storaged attest-bridge storaged-client; do ln -s "$PWD/build/tasks/$b" "$w/bin/$b"; done
[ -e "$w/ca/ca.pem" ] && cp "$w/ca/ca.pem" "$w/bin/kbs-ca.pem"
# bmanifest MODE: the booted manifest for proxy | net | tls.
bmanifest() {
	local link words data=""
	case $1 in
	proxy)
		link="task consdev binary=consdev memory=4M device=virtio-console expect=any"
		words="stream=1" ;;
	net | tls)
		link="task netdev binary=netdev memory=4M device=virtio-net expect=any
task netstack binary=netstack memory=16M expect=any arg=\"dev=1 serve=2 ip=dhcp peer=10.0.2.100:80\"
channel netstack:1 netdev:1
channel attest-bridge:1 netstack:2"
		words="net=1"
		if [ "$1" = tls ]; then
			link=${link/10.0.2.100:80/10.0.2.100:443}
			words="net=1 tls=10.0.2.100" data=" data=kbs-ca.pem"
		fi ;;
	esac
	cat <<EOM
task blkdev binary=blkdev memory=4M device=virtio-blk expect=any
task storaged binary=storaged memory=32M expect=any arg="blk=1 key=3 ns=2:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=any$data arg="$words key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=4M expect=any arg=persist-check
channel storaged:1 blkdev:1
channel storaged:2 client:1
channel storaged:3 attest-bridge:2
$link
EOM
	[ "$1" = proxy ] && echo "channel attest-bridge:1 consdev:1"
}
for m in $modes; do
	bmanifest "$m" >"$w/$m.manifest"
	"$bin/igvm-build" --kernel build/kernel/keel.elf --manifest "$w/$m.manifest" --bin-dir "$w/bin" \
		-o "$w/$m.igvm" >"$w/$m.igvm-build.log" 2>&1 || {
		echo "attest bench: igvm-build of the $m image failed:" >&2
		cat "$w/$m.igvm-build.log" >&2
		exit 1
	}
	"$bin/kbs-admin" --db "$w/$m.db" vm-add default --measurement "$("$bin/igvm-measure" "$w/$m.igvm")" \
		--state-key "$w/sk" >/dev/null || exit 1
	tls=()
	[ "$m" = tls ] && tls=(--tls-cert "$w/ca/server.pem" --tls-key "$w/ca/server.key")
	p=$(freeport)
	echo "$p" >"$w/$m.port"
	"$bin/kbs" --listen "127.0.0.1:$p" --db "$w/$m.db" --identity-key "$w/id.pem" \
		--emulated-chain kernel/platform/native/emulated-platform --allow-emulated --boot-window 0 \
		"${tls[@]}" >"$w/$m.kbs.log" 2>&1 &
	bpids+=($!)
	for _ in $(seq 50); do grep -q listening "$w/$m.kbs.log" 2>/dev/null && break; sleep 0.1; done
	truncate -s 8M "$w/$m.img"
	: >"$w/$m.t"
done
for i in $(seq "$boots"); do
	for m in $modes; do
		p=$(cat "$w/$m.port")
		args=(--tcg --timeout 300 --disk "$w/$m.img")
		case $m in
		proxy)
			rm -f "$w/proxy.sock"
			"$bin/keel-proxy" --socket "$w/proxy.sock" --connect "127.0.0.1:$p" 2>>"$w/proxy.log" &
			bpids+=($!)
			args+=(--proxy-socket "$w/proxy.sock") ;;
		net) args+=(--net-forward "80:$p") ;;
		tls) args+=(--net-forward "443:$p") ;;
		esac
		"$bin/keel-qemu" "${args[@]}" "$w/$m.igvm" </dev/null >"$w/$m.$i.log" 2>&1
		tr -d '\r' <"$w/$m.$i.log" |
			sed -n 's/.*attest-bridge: time: report \([0-9]*\) us, network \([0-9]*\) us, crypto \([0-9]*\) us.*/\1 \2 \3/p' >>"$w/$m.t"
	done
done
# bmed MODE FIELD: the median of field 1 (report), 2 (network), 3 (crypto)
# or 4 (their sum, one boot's whole round trip).
bmed() {
	awk '{ print $1, $2, $3, $1 + $2 + $3 }' "$w/$1.t" | cut -d' ' -f"$2" | sort -n |
		sed -n "$(((boots + 1) / 2))p"
}
bstatus=0
echo "Attestation round trip, booted (QEMU TCG, $boots boots each, median us; with TLS the"
echo "handshake is in network, the bridge's transport):"
printf '  %-34s %10s %10s %10s %10s\n' "" report network crypto total
for m in $modes; do
	case $m in
	proxy) label="proxy (consdev + keel-proxy), HTTP" name=proxy ;;
	net) label="network (netdev + netstack), HTTP" name=net_http ;;
	tls) label="network (netdev + netstack), HTTPS" name=net_https ;;
	esac
	n=$(wc -l <"$w/$m.t")
	if [ "$n" -ne "$boots" ]; then
		echo "attest bench: $m: only $n of $boots boots unlocked; the last log ends with:" >&2
		tr -d '\r' <"$w/$m.$boots.log" | tail -n 15 | sed 's/^/  | /' >&2
		bstatus=1
		continue
	fi
	printf '  %-34s %10s %10s %10s %10s\n' "$label" "$(bmed "$m" 1)" "$(bmed "$m" 2)" "$(bmed "$m" 3)" "$(bmed "$m" 4)"
	for f in 1:report 2:network 3:crypto 4:total; do
		echo "bench-result mode=booted accel=tcg name=attest_${name}_${f#*:}_us median=$(bmed "$m" "${f%%:*}")"
	done
done
exit $bstatus
