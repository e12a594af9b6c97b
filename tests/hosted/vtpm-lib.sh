# Helpers for tests/hosted/vtpm-*.sh and tests/bench/vtpm-bench.sh (sourced,
# not a test): start and stop keel-hosted with the vtpm behind its TPM front
# end on free loopback ports. Relaying tests/tpm/scenario.sh: tests/lib.sh's relay.
root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/../.." && pwd)
kh_manifest=$root/tests/hosted/vtpm-frontend.manifest

# Sets $port to a port P with P and P+1 free on 127.0.0.1 (the mssim TCTI
# uses P+1 for the platform port): below Linux's ephemeral range (32768+),
# where clients' own connections would take ports, and unused in any state.
pick_ports() {
	local tries=0
	while [ $tries -lt 50 ]; do
		port=$((20000 + (RANDOM * 7 + $$ + tries) % 12700))
		if ! ss -Htan "( sport = :$port or sport = :$((port + 1)) )" | grep -q .; then
			return 0
		fi
		tries=$((tries + 1))
	done
	return 1
}

# kh_start STATE_DIR PROTOCOL LOG: starts keel-hosted, waits until the vtpm is
# powered on (60 s at most). Sets $kh_pid. 0 when ready; 1 at once if the
# vtpm says its TPM is off (e.g. its state could not be loaded).
kh_start() {
	local i
	"$root/build/bin/keel-hosted" --manifest "$kh_manifest" --state "$1" --tpm-protocol "$2" \
		--tpm-port "$port" --platform-port "$((port + 1))" >"$3" 2>&1 &
	kh_pid=$!
	for i in $(seq 600); do
		grep -q "vtpm: TPM powered on" "$3" && grep -q "^keel-hosted: TPM $2 protocol" "$3" && return 0
		grep -q "vtpm: the TPM is off" "$3" && return 1
		kill -0 "$kh_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# kh_stop: SIGTERM, then the launcher's exit status in $kh_status.
kh_stop() {
	kill -TERM "$kh_pid" 2>/dev/null
	wait "$kh_pid"
	kh_status=$?
}
