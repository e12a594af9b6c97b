#!/bin/bash
# `make bench`: instructions per guest SVSM call, from the guest's RDTSC
# before its VMPL request to its RDTSC after the resume, booted under
# keel-qemu --icount (TCG): a core QUERY_PROTOCOL (answered by the kernel;
# tests/bench/svsm-icount.manifest) and a vTPM TPM2_PCR_Extend (vtpm with
# its state in storaged on a scratch disk, the guest's page marshalling
# included; svsm-vtpm-icount.manifest). docs/ipc-fast-path.md,
# docs/decisions.md D9. Exit 1 on a missing figure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-svsm-icount.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
# boot NAME MANIFEST [keel-qemu args]: prints NAME's median, or fails
boot() {
	name=$1 manifest=$2
	shift 2
	"$build/bin/igvm-build" --kernel "${KEEL_KERNEL:-$build/kernel/keel.elf}" --manifest "$manifest" \
		--bin-dir "$build/tasks" -o "$tmp/$name.igvm" >"$tmp/igvm-build.log" 2>&1 || {
		cat "$tmp/igvm-build.log" >&2
		return 1
	}
	"$build/bin/keel-qemu" --icount --timeout "${BENCH_TIMEOUT:-600}" "$@" "$tmp/$name.igvm" \
		</dev/null >"$tmp/$name.log" 2>&1
	tr -d '\r' <"$tmp/$name.log" | sed -n "s/.*BENCH name=$name .*median_cycles=\([0-9]*\).*/\1/p" | tail -n 1
}
row() { # row NAME LABEL VALUE
	if [ -z "$3" ]; then
		echo "svsm-icount-bench: no $1 figure; the log ends with:" >&2
		tail -n 20 "$tmp/$1.log" | sed 's/^/  | /' >&2
		status=1
		return
	fi
	printf '%-40s %10s\n' "$2" "$3"
	echo "icount-result name=$1 insns=$3"
}
v=$(boot svsm_core_query "$root/tests/bench/svsm-icount.manifest")
row svsm_core_query "guest SVSM call, core QUERY_PROTOCOL" "$v"
truncate -s 8M "$tmp/disk.img"
v=$(boot svsm_vtpm_pcr_extend "$root/tests/bench/svsm-vtpm-icount.manifest" --disk "$tmp/disk.img")
row svsm_vtpm_pcr_extend "guest SVSM call, vTPM PCR_Extend" "$v"
exit $status
