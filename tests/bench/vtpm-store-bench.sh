#!/bin/bash
# `make bench` (tests/bench/run-bench.sh): what keeping the vTPM's state in
# storaged costs per command. TPM2_PCR_Extend (no permanent-state change:
# no commit) and TPM2_NV_Increment (one storaged commit before the answer)
# on one persistent connection each (tests/bench/tpm-nv-bench), three
# targets side by side in one run, rounds alternating:
#   keel      keel-hosted: vtpm -> storaged -> blkdev -> storage.img (dev-key)
#   keel-mem  keel-hosted: the same vtpm code, state in memory (vtpm-mem)
#   swtpm     swtpm socket --tpm2, state files in a directory
# The NV_Increment difference keel - keel-mem is the commit's cost.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../hosted/vtpm-lib.sh"
build=$root/build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-store-bench.XXXXXX")
pids=
trap 'kill $pids 2>/dev/null; rm -rf "$tmp"' EXIT
n=${VTPM_STORE_BENCH_N:-200}
rounds=${VTPM_STORE_BENCH_ROUNDS:-5}

start_keel() { # start_keel NAME MANIFEST: its data port in $port
	mkdir -p "$tmp/$1"
	pick_ports || return 1
	"$build/bin/keel-hosted" --manifest "$2" --state "$tmp/$1" --tpm-protocol swtpm \
		--tpm-port "$port" --platform-port "$((port + 1))" >"$tmp/$1.log" 2>&1 &
	pids="$pids $!"
	for _ in $(seq 600); do
		grep -q "vtpm: TPM powered on" "$tmp/$1.log" && grep -q "^keel-hosted: TPM swtpm" "$tmp/$1.log" && return 0
		sleep 0.1
	done
	return 1
}
start_swtpm() {
	mkdir -p "$tmp/swtpm"
	pick_ports || return 1
	swtpm socket --tpm2 --server "type=tcp,port=$port" --ctrl "type=tcp,port=$((port + 1))" \
		--tpmstate "dir=$tmp/swtpm" --flags not-need-init,startup-clear >"$tmp/swtpm.log" 2>&1 &
	pids="$pids $!"
	for _ in $(seq 50); do ss -Hltn "sport = :$port" | grep -q . && return 0; sleep 0.1; done
	return 1
}

status=0
if start_keel keel "$root/tests/hosted/vtpm-frontend.manifest" && k=$port &&
	start_keel keel-mem "$root/tests/bench/vtpm-mem.manifest" && m=$port && start_swtpm && s=$port; then
	"$build/bench/tpm-nv-bench" -n "$n" -r "$rounds" keel="$k" keel-mem="$m" swtpm="$s" >"$tmp/out" 2>&1 ||
		{ echo "vtpm-store-bench: failed:" >&2; cat "$tmp/out" >&2; status=1; }
else
	echo "vtpm-store-bench: could not start the targets" >&2
	tail -n 5 "$tmp"/*.log >&2
	status=1
fi
kill $pids 2>/dev/null
wait $pids 2>/dev/null
pids=
get() { sed -n "s/.*target=$1 cmd=$2 median_ns=\([0-9]*\).*/\1/p" "$tmp/out"; }
us() { awk -v v="${1:-0}" 'BEGIN { printf "%.1f", v / 1000 }'; }
echo "vTPM state cost: median us per command, one connection each, $rounds alternating rounds of $n"
printf '%-24s %14s %14s %14s %16s\n' "" "keel+storaged" "keel, memory" "swtpm" "storaged-memory"
for c in pcr_extend:TPM2_PCR_Extend nv_increment:TPM2_NV_Increment; do
	a=$(get keel "${c%%:*}") b=$(get keel-mem "${c%%:*}") w=$(get swtpm "${c%%:*}")
	printf '%-24s %14s %14s %14s %16s\n' "${c#*:}" "$(us "$a")" "$(us "$b")" "$(us "$w")" \
		"$(us $((${a:-0} - ${b:-0})))"
	echo "bench-result vtpm-store cmd=${c%%:*} keel_storaged_ns=${a:-} keel_mem_ns=${b:-} swtpm_ns=${w:-}"
done
exit $status
