#!/bin/bash
# `make bench`: runs the bench pair (tests/tasks/bench, tests/bench/
# bench.manifest) booted in QEMU (the accelerator keel-qemu --print-accel
# names) and hosted under keel-hosted, in the same run, and prints one table:
# median TSC cycles per 0 B / 4 KiB / 64 KiB channel round trip and per
# null syscall, for each mode, with each figure's ratio to that mode's own
# null syscall. docs/bench.md says how to read it. Exit status 1 if either
# mode produced no figures or an echo differed from its request (the
# client checks every one; that mode's figures are then withheld).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
manifest=$root/tests/bench/bench.manifest
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
timeout_s=${BENCH_TIMEOUT:-600}
kernel=${KEEL_KERNEL:-$build/kernel/keel.elf} # another kernel build, for comparisons

# The accelerator keel-qemu itself would pick (KEEL_QEMU_ACCEL, else KVM
# only where it works for Keel): one decision, in keel-qemu.
accel=$("$build/bin/keel-qemu" --print-accel 2>/dev/null) || {
	echo "bench: keel-qemu --print-accel failed (KEEL_QEMU_ACCEL='${KEEL_QEMU_ACCEL:-}')" >&2
	exit 1
}

run_booted() {
	"$build/bin/igvm-build" --kernel "$kernel" --manifest "$manifest" \
		--bin-dir "$build/tasks" -o "$tmp/bench.igvm" >"$tmp/igvm-build.log" 2>&1 || {
		echo "bench: igvm-build failed:" >&2
		cat "$tmp/igvm-build.log" >&2
		return 1
	}
	t=$timeout_s
	[ "$accel" = kvm ] && [ "$t" -gt 120 ] && t=120 # a TCG retry follows a failed KVM boot
	"$build/bin/keel-qemu" "--$accel" --timeout "$t" "$tmp/bench.igvm" \
		</dev/null >"$tmp/booted.log" 2>&1
}

run_hosted() {
	timeout "$timeout_s" "$build/bin/keel-hosted" --manifest "$manifest" \
		--bin-dir "$build/hosted" </dev/null >"$tmp/hosted.log" 2>&1
}

# broken LOG: the run's client found an echo that differs from its request
# (or another failed call): its figures are not shown (docs/bench.md).
broken() { tr -d '\r' <"$1" | grep -q "bench-client: FAIL"; }

# median LOG NAME: the median_cycles of the last "BENCH name=NAME" line,
# nothing for a broken run.
median() {
	broken "$1" && return
	tr -d '\r' <"$1" | sed -n "s/.*BENCH name=$2 .*median_cycles=\([0-9]*\).*/\1/p" | tail -n 1
}

# ratio A B: A / B with one decimal, or "-".
ratio() {
	if [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt 0 ]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'
	else
		echo "-"
	fi
}

run_booted
booted_rc=$?
# A KVM boot that gives no figures is retried under TCG, and the table says so.
# (Not one whose echo differed: that is the channel's fault, not KVM's.)
if [ "$accel" = kvm ] && ! broken "$tmp/booted.log" && [ -z "$(median "$tmp/booted.log" rt_0)" ] &&
	[ -s "$tmp/bench.igvm" ]; then
	echo "bench: the KVM boot gave no figures (status $booted_rc); retrying under TCG" >&2
	mv "$tmp/booted.log" "$tmp/booted-kvm.log"
	accel="tcg (KVM failed)"
	"$build/bin/keel-qemu" --tcg --timeout "$timeout_s" "$tmp/bench.igvm" \
		</dev/null >"$tmp/booted.log" 2>&1
	booted_rc=$?
fi
run_hosted
hosted_rc=$?

rows="rt_0:0 B round trip rt_0_split:0 B round trip, reply + recv rt_4k:4 KiB round trip rt_64k:64 KiB round trip null_yield:null syscall (yield) null_enosys:unknown syscall (ENOSYS)"
bn=$(median "$tmp/booted.log" null_yield)
hn=$(median "$tmp/hosted.log" null_yield)
echo "Keel bench: median TSC cycles over 2000 calls each (tests/tasks/bench)"
echo "booted: QEMU $accel (keel-qemu status $booted_rc); hosted: Linux processes (keel-hosted status $hosted_rc)"
printf '%-28s %14s %10s %14s %10s\n' "" "booted" "x null" "hosted" "x null"
IFS=:
echo "$rows" | sed 's/ \(rt_\|null_\)/\n\1/g' | while read -r key label; do
	b=$(median "$tmp/booted.log" "$key")
	h=$(median "$tmp/hosted.log" "$key")
	printf '%-28s %14s %10s %14s %10s\n' "$label" "${b:--}" "$(ratio "$b" "$bn")" \
		"${h:--}" "$(ratio "$h" "$hn")"
done
unset IFS
# Machine-readable copies of every figure.
for mode in booted hosted; do
	tr -d '\r' <"$tmp/$mode.log" | sed -n "s/.*\(BENCH name=.*\)/bench-result mode=$mode accel=$([ $mode = booted ] && echo "${accel%% *}" || echo linux) \1/p"
done
status=0
for mode in booted hosted; do
	if [ -z "$(median "$tmp/$mode.log" rt_0)" ]; then
		echo "bench: the $mode run produced no figures; its log ends with:" >&2
		tail -n 20 "$tmp/$mode.log" | sed 's/^/  | /' >&2
		status=1
	fi
	if broken "$tmp/$mode.log"; then
		echo "bench: the $mode run's echo differed from its request (or a call failed): a broken channel gives no figure" >&2
		tr -d '\r' <"$tmp/$mode.log" | grep "bench-client: FAIL" | sed 's/^/  | /' >&2
		status=1
	fi
done
[ "$status" = 0 ] || exit 1
# icount: the same pair booted under QEMU -icount, in exact instructions
# (tests/bench/icount-bench.sh, docs/ipc-fast-path.md), then the guest's SVSM call
"$root/tests/bench/icount-bench.sh" || status=1
"$root/tests/bench/svsm-icount-bench.sh" || status=1
# end icount
"$root/tests/bench/vtpm-bench.sh" || status=1 # vtpm vs swtpm, Keel TPM path cost
# store: block writes per small update by image size, commit vs raw write+flush
# (tests/bench/store-bench.c, docs/storage-format.md)
echo "Store bench: one 4 KiB object replaced (in-memory device), commit latency on a file"
"$build/bench/store-bench" "$tmp" || status=1
# end store
# storaged
"$root/tests/bench/storaged-bench.sh" || status=1 # commit latency vs raw write+flush
# end storaged
# vtpm-store bench: PCR_Extend / NV_Increment with storaged, without, swtpm
"$root/tests/bench/vtpm-store-bench.sh" || status=1
# end vtpm-store bench
# attest: the attestation round trip split into report / network / crypto, hosted,
# then booted (TCG) over the proxy, the network (HTTP) and the network with TLS
# (tests/bench/attest-bench.sh, docs/attestation.md)
"$root/tests/bench/attest-bench.sh" || status=1
# end attest
# kbs-db bench: attestation commits per second, SQLite vs PostgreSQL (tests/bench/kbs-db-bench.sh)
"$root/tests/bench/kbs-db-bench.sh" || status=1
# end kbs-db bench
# kbs bench: broker rounds per second over HTTP (tests/bench/kbs-bench.sh)
"$root/tests/bench/kbs-bench.sh" || status=1
# end kbs bench
# uefivars bench: Get/Set latency per call, booted (uefi-bench guest) and hosted (tests/bench/uefivars-bench.sh)
"$root/tests/bench/uefivars-bench.sh" || status=1
# end uefivars bench
exit $status
