#!/bin/bash
# `make bench`: instructions per guest SVSM call, from the guest's RDTSC
# before its VMPL request to its RDTSC after the resume (core
# QUERY_PROTOCOL, answered by the kernel; docs/ipc-fast-path.md,
# docs/decisions.md D9), booted under keel-qemu --icount (TCG). Exit 1 on
# no figure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-svsm-icount.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$build/bin/igvm-build" --kernel "${KEEL_KERNEL:-$build/kernel/keel.elf}" \
	--manifest "$root/tests/bench/svsm-icount.manifest" --bin-dir "$build/tasks" \
	-o "$tmp/svsm.igvm" >"$tmp/igvm-build.log" 2>&1 || {
	cat "$tmp/igvm-build.log" >&2
	exit 1
}
"$build/bin/keel-qemu" --icount --timeout "${BENCH_TIMEOUT:-600}" "$tmp/svsm.igvm" </dev/null >"$tmp/booted.log" 2>&1
v=$(tr -d '\r' <"$tmp/booted.log" | sed -n 's/.*BENCH name=svsm_core_query .*median_cycles=\([0-9]*\).*/\1/p' | tail -n 1)
if [ -z "$v" ]; then
	echo "svsm-icount-bench: no figure; the log ends with:" >&2
	tail -n 20 "$tmp/booted.log" | sed 's/^/  | /' >&2
	exit 1
fi
printf '%-40s %10s\n' "guest SVSM call, core QUERY_PROTOCOL" "$v"
echo "icount-result name=svsm_core_query insns=$v"
