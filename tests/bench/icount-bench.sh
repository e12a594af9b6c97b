#!/bin/bash
# Instructions per IPC operation, counted exactly: boots the bench pair
# (tests/tasks/bench, tests/bench/bench.manifest) under
# `keel-qemu --icount` (QEMU -icount shift=0,sleep=off, TCG), where the
# guest TSC advances by one per instruction, so bench-client's
# `lfence; rdtsc` differences are instruction counts (docs/ipc-fast-path.md).
# Prints one table line per operation and a machine-readable
# "icount-result name=NAME insns=N" line; the figure is the median over the
# calls, which under icount is also the most frequent (exact) value: the
# minimum is not used because a timer tick that preempts the server between
# its reply and its next receive moves that receive out of one sample.
# Usage: icount-bench.sh [ITERATIONS] (default 2000). Exit 1 on no figures
# or a failed echo.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
iters=${1:-2000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-icount.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
kernel=${KEEL_KERNEL:-$build/kernel/keel.elf}

sed "s/arg=[0-9]*/arg=$iters/" "$root/tests/bench/bench.manifest" >"$tmp/bench.manifest"
"$build/bin/igvm-build" --kernel "$kernel" --manifest "$tmp/bench.manifest" \
	--bin-dir "$build/tasks" -o "$tmp/bench.igvm" >"$tmp/igvm-build.log" 2>&1 || {
	echo "icount-bench: igvm-build failed:" >&2
	cat "$tmp/igvm-build.log" >&2
	exit 1
}
"$build/bin/keel-qemu" --icount --timeout "${BENCH_TIMEOUT:-600}" "$tmp/bench.igvm" \
	</dev/null >"$tmp/booted.log" 2>&1
rc=$?
log() { tr -d '\r' <"$tmp/booted.log"; }
if log | grep -q "bench-client: FAIL"; then
	echo "icount-bench: an echo differed or a call failed (keel-qemu status $rc):" >&2
	log | grep "FAIL" | sed 's/^/  | /' >&2
	exit 1
fi
median() { log | sed -n "s/.*BENCH name=$1 .*median_cycles=\([0-9]*\).*/\1/p" | tail -n 1; }
[ -n "$(median rt_0)" ] || {
	echo "icount-bench: no figures (keel-qemu status $rc); the log ends with:" >&2
	log | tail -n 20 | sed 's/^/  | /' >&2
	exit 1
}
echo "Keel icount bench: guest instructions per operation (QEMU -icount shift=0,sleep=off; median of $iters)"
rows="rt_0:0 B round trip|rt_0_split:0 B round trip, reply + recv|rt_4k:4 KiB round trip|rt_64k:64 KiB round trip|null_yield:null syscall (yield)|null_enosys:unknown syscall (ENOSYS)|copy_4k:4 KiB memcpy in the task"
IFS='|'
for row in $rows; do
	key=${row%%:*} label=${row#*:}
	v=$(median "$key")
	[ -n "$v" ] || continue
	printf '%-40s %10s\n' "$label" "$v"
	echo "icount-result name=$key insns=$v" >>"$tmp/results"
done
unset IFS
cat "$tmp/results"
