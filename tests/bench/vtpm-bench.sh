#!/bin/bash
# `make bench` (tests/bench/run-bench.sh): the vtpm against swtpm on the same
# tpm2-tools workload, side by side in one run, and the cost of Keel's
# channel + front-end path against libtpms called in-process. Figures are
# ratios of times measured here, on this machine, in this run.
#   workload: VTPM_BENCH_EXTENDS (200) tpm2_pcrextend, VTPM_BENCH_RANDOMS
#   (50) tpm2_getrandom, VTPM_BENCH_SEALS (20) tpm2_create + tpm2_load +
#   tpm2_unseal (+ tpm2_flushcontext, no resource manager)
#   targets:  keel-hosted --tpm-protocol swtpm (swtpm TCTI), keel-hosted
#   (mssim TCTI), swtpm socket --tpm2 (swtpm TCTI)
# Then TPM2_PCR_Extend and TPM2_GetRandom per command on one persistent
# connection (tests/bench/tpm-cmd-bench): keel-hosted, keel-hosted --poll
# and swtpm side by side, idle and with another CPU busy (docs/bench.md).
# Exit status 1 if a target could not be measured.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../hosted/vtpm-lib.sh"
build=$root/build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-bench.XXXXXX")
sw_pid= cmd_pids= hog=
trap 'kill "$kh_pid" $sw_pid $cmd_pids $hog 2>/dev/null; rm -rf "$tmp"' EXIT
extends=${VTPM_BENCH_EXTENDS:-200}
randoms=${VTPM_BENCH_RANDOMS:-50}
seals=${VTPM_BENCH_SEALS:-20}
ms() { echo $(($(date +%s%N) / 1000000)); }

# workload NAME: runs the three parts, records milliseconds in $tmp/NAME.{extend,random,seal}.
workload() {
	local i t w=$tmp/$1
	mkdir -p "$w"
	tpm2_startup -c >/dev/null 2>&1
	tpm2_evictcontrol -C o -c 0x81000001 >/dev/null 2>&1 # left by an earlier run
	tpm2_createprimary -C o -G ecc -c "$w/p.ctx" >/dev/null &&
		tpm2_evictcontrol -C o -c "$w/p.ctx" 0x81000001 >/dev/null &&
		tpm2_flushcontext -t >/dev/null || return 1
	head -c 32 /dev/urandom >"$w/secret"
	t=$(ms)
	for i in $(seq "$extends"); do tpm2_pcrextend "16:sha256=$(printf '%064x' "$i")" || return 1; done
	echo $(($(ms) - t)) >"$w.extend"
	t=$(ms)
	for i in $(seq "$randoms"); do tpm2_getrandom 32 -o "$w/r" || return 1; done
	echo $(($(ms) - t)) >"$w.random"
	t=$(ms)
	for i in $(seq "$seals"); do
		tpm2_create -C 0x81000001 -i "$w/secret" -u "$w/s.pub" -r "$w/s.priv" >/dev/null &&
			tpm2_load -C 0x81000001 -u "$w/s.pub" -r "$w/s.priv" -c "$w/s.ctx" >/dev/null &&
			tpm2_unseal -c "$w/s.ctx" -o "$w/out" && cmp -s "$w/out" "$w/secret" &&
			tpm2_flushcontext -t >/dev/null || return 1
	done
	echo $(($(ms) - t)) >"$w.seal"
	tpm2_evictcontrol -C o -c 0x81000001 >/dev/null 2>&1
}

run_keel() { # run_keel NAME PROTOCOL TCTI
	mkdir -p "$tmp/$1-state"
	pick_ports && kh_start "$tmp/$1-state" "$2" "$tmp/$1.log" || return 1
	TPM2TOOLS_TCTI="$3:host=127.0.0.1,port=$port" workload "$1" >"$tmp/$1.out" 2>&1
	local rc=$?
	kh_stop
	return $rc
}

run_swtpm() { # run_swtpm NAME
	mkdir -p "$tmp/$1-state"
	pick_ports || return 1
	swtpm socket --tpm2 --server "type=tcp,port=$port" --ctrl "type=tcp,port=$((port + 1))" \
		--tpmstate "dir=$tmp/$1-state" --flags not-need-init,startup-clear >"$tmp/$1.log" 2>&1 &
	sw_pid=$!
	for i in $(seq 50); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
	TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port" workload "$1" >"$tmp/$1.out" 2>&1
	local rc=$?
	kill "$sw_pid"
	wait "$sw_pid" 2>/dev/null
	sw_pid=
	return $rc
}

# get NAME PART: the median over the rounds of NAME-<round>.PART.
get() {
	local r
	for r in $(seq "$rounds"); do cat "$tmp/$1-$r.$2" 2>/dev/null || echo 0; done |
		sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
status=0
# Rounds alternate keel and swtpm, so a burst of load on this shared machine
# hits both; each figure is the median over the rounds.
rounds=${VTPM_BENCH_ROUNDS:-3}
for r in $(seq "$rounds"); do
	run_keel "keel-swtpm-$r" swtpm swtpm || { echo "vtpm-bench: keel-hosted (swtpm protocol) run failed" >&2; tail -5 "$tmp/keel-swtpm-$r.out" >&2; status=1; }
	run_keel "keel-mssim-$r" mssim mssim || { echo "vtpm-bench: keel-hosted (mssim) run failed" >&2; tail -5 "$tmp/keel-mssim-$r.out" >&2; status=1; }
	run_swtpm "swtpm-$r" || { echo "vtpm-bench: swtpm run failed" >&2; tail -5 "$tmp/swtpm-$r.out" >&2; status=1; }
done

echo "vTPM bench: tpm2-tools workload, wall ms per part, median of $rounds alternating rounds (same run, same machine)"
printf '%-34s %12s %12s %12s %14s %14s\n' "" "keel(swtpm)" "keel(mssim)" "swtpm" "keel(sw)/swtpm" "keel(ms)/swtpm"
for part in extend:"$extends x tpm2_pcrextend" random:"$randoms x tpm2_getrandom" seal:"$seals x create+load+unseal"; do
	k=${part%%:*}
	a=$(get keel-swtpm "$k") b=$(get keel-mssim "$k") c=$(get swtpm "$k")
	printf '%-34s %12s %12s %12s %14s %14s\n' "${part#*:}" "$a" "$b" "$c" "$(ratio "$a" "$c")" "$(ratio "$b" "$c")"
	echo "bench-result vtpm part=$k keel_swtpm_ms=$a keel_mssim_ms=$b swtpm_ms=$c" >>"$tmp/results"
done

# Per command on one persistent connection (tests/bench/tpm-cmd-bench.c):
# keel-hosted by default and with --poll next to swtpm, all three serving
# at once, the client pinned to one CPU, rounds alternating between the
# targets; once with the machine otherwise idle, once with a busy loop
# pinned to another CPU. No tool start-up hides the path here. keel-hosted
# places its front end and vtpm itself (they follow the client's CPU).
cmd_n=${VTPM_BENCH_CMD_N:-500}
cmd_rounds=${VTPM_BENCH_CMD_ROUNDS:-7}
cmd_pids=
cmd_start_keel() { # cmd_start_keel NAME [ARGS]: port in $port
	local name=$1 i
	shift
	mkdir -p "$tmp/$name-state"
	pick_ports || return 1
	"$build/bin/keel-hosted" --manifest "$kh_manifest" --state "$tmp/$name-state" \
		--tpm-protocol swtpm --tpm-port "$port" --platform-port "$((port + 1))" "$@" \
		>"$tmp/$name.log" 2>&1 &
	cmd_pids="$cmd_pids $!"
	for i in $(seq 600); do
		grep -q "vtpm: TPM powered on" "$tmp/$name.log" && grep -q "^keel-hosted: TPM swtpm" "$tmp/$name.log" && return 0
		sleep 0.1
	done
	return 1
}
# swtpm runs pinned to the client's CPU: where the scheduler usually puts it,
# and its best case (on another CPU it pays two cross-CPU wake-ups per
# command and takes 2-5x as long, which would flatter Keel's ratios).
cmd_start_swtpm() { # port in $port
	local i
	mkdir -p "$tmp/cmd-swtpm-state"
	pick_ports || return 1
	taskset -c "$client_cpu" swtpm socket --tpm2 --server "type=tcp,port=$port" --ctrl "type=tcp,port=$((port + 1))" \
		--tpmstate "dir=$tmp/cmd-swtpm-state" --flags not-need-init,startup-clear \
		>"$tmp/cmd-swtpm.log" 2>&1 &
	cmd_pids="$cmd_pids $!"
	for i in $(seq 50); do ss -Hltn "sport = :$port" | grep -q . && return 0; sleep 0.1; done
	return 1
}
cpus=$(nproc)
client_cpu=0 hog_cpu=$((cpus > 1 ? 1 : 0))
if cmd_start_keel cmd-keel && kport=$port && cmd_start_keel cmd-poll --poll && pport=$port &&
	cmd_start_swtpm && sport=$port; then
	for load in idle loaded; do
		hog=
		if [ $load = loaded ]; then
			[ "$cpus" -gt 1 ] || break
			taskset -c "$hog_cpu" sh -c 'while :; do :; done' &
			hog=$!
		fi
		taskset -c "$client_cpu" "$build/bench/tpm-cmd-bench" -n "$cmd_n" -r "$cmd_rounds" \
			keel=swtpm:"$kport" keel-poll=swtpm:"$pport" swtpm=swtpm:"$sport" \
			>"$tmp/cmd-$load.out" 2>&1 || {
			echo "vtpm-bench: per-command bench ($load) failed:" >&2
			cat "$tmp/cmd-$load.out" >&2
			status=1
		}
		[ -n "$hog" ] && kill "$hog" && wait "$hog" 2>/dev/null
	done
else
	echo "vtpm-bench: could not start the per-command targets" >&2
	tail -5 "$tmp"/cmd-*.log >&2
	status=1
fi
kill $cmd_pids 2>/dev/null
wait $cmd_pids 2>/dev/null
cmd_pids=
cmd_get() { # cmd_get LOAD TARGET CMD: median ns
	sed -n "s/.*target=$2 cmd=$3 median_ns=\([0-9]*\).*/\1/p" "$tmp/cmd-$1.out" 2>/dev/null
}
echo "vTPM per command on one persistent connection: median ns of $cmd_rounds alternating rounds of $cmd_n (client on CPU $client_cpu)"
printf '%-34s %12s %12s %12s %14s %14s\n' "" "keel-hosted" "keel --poll" "swtpm" "keel/swtpm" "poll/swtpm"
for load in idle loaded; do
	[ -s "$tmp/cmd-$load.out" ] || continue
	for cmd in pcr_extend:TPM2_PCR_Extend get_random:TPM2_GetRandom; do
		c=${cmd%%:*}
		a=$(cmd_get $load keel "$c") b=$(cmd_get $load keel-poll "$c") w=$(cmd_get $load swtpm "$c")
		label="${cmd#*:}, $load"
		[ $load = loaded ] && label="${cmd#*:}, CPU $hog_cpu busy"
		printf '%-34s %12s %12s %12s %14s %14s\n' "$label" "${a:--}" "${b:--}" "${w:--}" \
			"$(ratio "${a:-0}" "${w:-0}")" "$(ratio "${b:-0}" "${w:-0}")"
		echo "bench-result vtpm-cmd load=$load cmd=$c keel_ns=${a:-} keel_poll_ns=${b:-} swtpm_ns=${w:-} keel_ratio=$(ratio "${a:-0}" "${w:-0}") poll_ratio=$(ratio "${b:-0}" "${w:-0}")" >>"$tmp/results"
	done
done

# The channel + front-end path: PCR_Extend in-process vs through keel-hosted.
mkdir -p "$tmp/path-state"
if pick_ports && kh_start "$tmp/path-state" mssim "$tmp/path.log" &&
	"$build/bench/tpm-path-bench" "$port" "${VTPM_BENCH_PATH_N:-2000}" >"$tmp/path.out" 2>&1; then
	kh_stop
	d=$(sed -n 's/.*name=pcr_extend_direct median_ns=\([0-9]*\).*/\1/p' "$tmp/path.out")
	k=$(sed -n 's/.*name=pcr_extend_keel median_ns=\([0-9]*\).*/\1/p' "$tmp/path.out")
	tool_ns=$(awk -v ms="$(get keel-mssim extend)" -v n="$extends" 'BEGIN { printf "%d", ms * 1e6 / n }')
	echo "PCR_Extend median: libtpms in-process $d ns, through keel-hosted (TCP + front end + channel + vtpm) $k ns: x$(ratio "$k" "$d")"
	echo "Keel path cost $((k - d)) ns = $(awk -v c="$((k - d))" -v t="$tool_ns" 'BEGIN { printf "%.2f", 100 * c / t }')% of one tpm2_pcrextend as tpm2-tools sees it ($tool_ns ns, mssim TCTI)"
	sed 's/^/bench-result vtpm-path /' "$tmp/path.out"
else
	kh_stop
	echo "vtpm-bench: path bench failed" >&2
	cat "$tmp/path.out" >&2 2>/dev/null
	status=1
fi
cat "$tmp/results"
exit $status
