#!/bin/bash
# `make bench`, UEFI variable service (docs/uefivars.md): median latency
# of one SetVariable and one GetVariable of a small NV variable in 64 KiB
# MM buffers, as edk2 sends them.
#   booted: the test guest's uefi-bench mode (tests/guest/uefibench.c)
#           times N calls of each with RDTSC through SVSM protocol 4
#           (tests/system/uefivars-bench.manifest, a scratch disk);
#           cycles become microseconds by the TSC rate the kernel logs.
#   hosted: tests/hosted/uefi_mm.py bench: N calls of each on one guest
#           port connection to keel-hosted (tests/hosted/uefivars.manifest),
#           wall time per call including the Python client.
# Exit status 1 if either mode gave no figures.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/uefivars-bench.XXXXXX")
kh_pid=
trap '[ -n "$kh_pid" ] && kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
n=${UEFIVARS_BENCH_CALLS:-1000}
status=0
accel=$("$build/bin/keel-qemu" --print-accel 2>/dev/null) || accel=tcg

# booted
truncate -s 8M "$tmp/disk.img"
if "$build/bin/igvm-build" --kernel "$build/kernel/keel.elf" --manifest "$root/tests/system/uefivars-bench.manifest" \
	--bin-dir "$build/tasks" -o "$tmp/bench.igvm" >"$tmp/igvm-build.log" 2>&1; then
	"$build/bin/keel-qemu" "--$accel" --timeout "${BENCH_TIMEOUT:-600}" --disk "$tmp/disk.img" "$tmp/bench.igvm" \
		</dev/null >"$tmp/booted.log" 2>&1
else
	cat "$tmp/igvm-build.log" >&2
fi
khz=$(tr -d '\r' <"$tmp/booted.log" | sed -n 's/^keel: time: TSC \([0-9]*\) kHz.*/\1/p' | head -n 1)
booted() { # booted NAME: "X us (C cycles, N calls)" or nothing
	tr -d '\r' <"$tmp/booted.log" | sed -n "s/.*BENCH name=$1 calls=\([0-9]*\) median_cycles=\([0-9]*\).*/\1 \2/p" |
		tail -n 1 | awk -v khz="${khz:-0}" '{ if (khz > 0) printf "%.1f us (%d cycles, %d calls)", $2 / khz * 1000, $2, $1;
			else printf "%d cycles (%d calls)", $2, $1 }'
}
bs=$(booted uefi_set) bg=$(booted uefi_get)
echo "UEFI variable service: median latency per call, one small NV variable, 64 KiB MM buffers"
echo "uefivars booted ($accel) SetVariable: ${bs:--}"
echo "uefivars booted ($accel) GetVariable: ${bg:--}"
if [ -z "$bs" ] || [ -z "$bg" ]; then
	echo "uefivars bench: the booted run gave no figures; its log ends with:" >&2
	tail -n 20 "$tmp/booted.log" | sed 's/^/  | /' >&2
	status=1
fi

# hosted
"$build/bin/keel-hosted" --manifest "$root/tests/hosted/uefivars.manifest" --state "$tmp/state" \
	>"$tmp/hosted.log" 2>&1 &
kh_pid=$!
for _ in $(seq 100); do [ -S "$tmp/state/svsm.sock" ] && break; sleep 0.1; done
python3 "$root/tests/hosted/uefi_mm.py" bench --state "$tmp/state" "$n" >"$tmp/hosted-bench.log" 2>&1
kill -TERM "$kh_pid" 2>/dev/null
wait "$kh_pid"
kh_pid=
hosted() {
	sed -n "s/^BENCH name=$1 calls=\([0-9]*\) median_ns=\([0-9]*\).*/\1 \2/p" "$tmp/hosted-bench.log" |
		awk '{ printf "%.1f us (%d calls, Python client on the guest port)", $2 / 1000, $1 }'
}
hs=$(hosted hosted_uefi_set) hg=$(hosted hosted_uefi_get)
echo "uefivars hosted SetVariable: ${hs:--}"
echo "uefivars hosted GetVariable: ${hg:--}"
if [ -z "$hs" ] || [ -z "$hg" ]; then
	echo "uefivars bench: the hosted run gave no figures:" >&2
	sed 's/^/  | /' "$tmp/hosted-bench.log" >&2
	tail -n 10 "$tmp/hosted.log" | sed 's/^/  | /' >&2
	status=1
fi
exit $status
