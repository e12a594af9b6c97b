#!/bin/sh
# Key broker throughput (docs/kbs.md "Bench"): full rounds per second (auth,
# attest with a verified SNP report, JWE resource, ack) against build/bin/kbs
# on SQLite (over HTTP and over HTTPS), and on PostgreSQL if KBS_BENCH_PG
# names a database URL.
# KBS_BENCH_THREADS (4), KBS_BENCH_SECONDS (5).
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
threads=${KBS_BENCH_THREADS:-4}
secs=${KBS_BENCH_SECONDS:-5}
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -x build/bin/kbs ] || { echo "kbs bench: build/bin/kbs missing" >&2; exit 1; }
bash tests/hosted/kbs_chain.sh "$work/chain" "$(printf 'ab%.0s' $(seq 64))" || exit 1
build/bin/kbs-admin keygen "$work/id.pem" >/dev/null || exit 1
meas=$(printf '5a%.0s' $(seq 48))
status=0
run() { # run LABEL DB [https]
	tls="" ca=""
	if [ "${3:-}" = https ]; then
		tls="--tls-cert $work/tls/server.pem --tls-key $work/tls/server.key"
		ca=$work/tls/ca.pem
	fi
	i=0
	while [ "$i" -lt "$threads" ]; do
		build/bin/kbs-admin --db "$2" vm-add "bench$i" --measurement "$meas" >/dev/null || return 1
		i=$((i + 1))
	done
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	build/bin/kbs --listen "127.0.0.1:$port" --db "$2" --identity-key "$work/id.pem" \
		--snp-chain "$work/chain" --boot-window 0 $tls 2>"$work/log" &
	pid=$!
	for _ in $(seq 50); do grep -q listening "$work/log" && break; sleep 0.1; done
	if ! grep -q listening "$work/log"; then
		sed 's/^/# /' "$work/log" >&2
		echo "kbs $1: the broker did not start" >&2
		kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
		return 1
	fi
	line=$(KBS_TLS_CA=$ca python3 tests/bench/kbs_bench.py "$port" "$work/chain" "$meas" "$threads" "$secs")
	rc=$?
	kill "$pid"; wait "$pid" 2>/dev/null; pid=""
	echo "$line"
	printf '%-28s %s rounds/s (%s)\n' "kbs $1" "$(echo "$line" | sed -n 's/.*per_s=\([0-9.]*\).*/\1/p')" \
		"$threads clients, ${secs}s"
	return $rc
}
echo "Key broker: full attestation rounds per second (auth+attest+resource+ack)"
run sqlite "$work/kbs.sqlite" || status=1
# The same over HTTPS (docs/kbs.md "HTTPS"): the client opens a connection,
# so makes a TLS handshake, per request.
if build/bin/kbs-admin tls-ca "$work/tls" >/dev/null && build/bin/kbs-admin tls-cert "$work/tls" 127.0.0.1 >/dev/null; then
	run "sqlite https" "$work/kbs.sqlite" https || status=1
else
	status=1
fi
if [ -n "${KBS_BENCH_PG:-}" ]; then
	run postgresql "$KBS_BENCH_PG" || status=1
fi
exit $status
