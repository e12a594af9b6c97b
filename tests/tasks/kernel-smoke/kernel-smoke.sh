#!/bin/bash
# Boots tests/tasks/kernel-smoke/smoke.manifest (the kernel's private test
# task in every role) and checks every "ok"/"not ok" line it logs, the
# kernel's per-task outcomes and the boot status. TAP output.
# Run after `make`: tests/tasks/kernel-smoke/kernel-smoke.sh
set -u
root=$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
tap() { # OK? DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

if ! "$root/build/bin/igvm-build" --kernel "$root/build/kernel/keel.elf" \
	--manifest "$root/tests/tasks/kernel-smoke/smoke.manifest" \
	--bin-dir "$root/build/tasks" -o "$tmp/smoke.igvm" >"$tmp/build.log" 2>&1; then
	tap 0 "igvm-build of smoke.manifest"
	sed 's/^/# /' "$tmp/build.log"
	exit 1
fi
tap 1 "igvm-build of smoke.manifest"
KEEL_QEMU_ACCEL=${KEEL_QEMU_ACCEL:-tcg} "$root/build/bin/keel-qemu" --timeout 120 "$tmp/smoke.igvm" >"$tmp/serial.log" 2>&1
status=$?
sed -n 's/^\[\(smoke-[a-z-]*\)\] \(ok\|not ok\) - \(.*\)$/\2 \1: \3/p' "$tmp/serial.log" >"$tmp/checks"
while IFS= read -r line; do
	case $line in
	"not ok "*) tap 0 "${line#not ok }" ;;
	"ok "*) tap 1 "${line#ok }" ;;
	esac
done <"$tmp/checks"
[ "$(grep -c "" "$tmp/checks")" -ge 38 ] && tap 1 "the smoke tasks made at least 38 checks" ||
	tap 0 "the smoke tasks made at least 38 checks"
for t in read-kernel write-text ud2; do
	grep -q "^keel: task 'smoke-$t' killed: " "$tmp/serial.log" && tap 1 "smoke-$t killed and logged" ||
		tap 0 "smoke-$t killed and logged"
done
grep -q "^keel: 6 tasks, 6 as expected, 0 unexpected" "$tmp/serial.log" && tap 1 "kernel summary: 6 as expected" ||
	tap 0 "kernel summary: 6 as expected"
[ "$status" = 0 ] && tap 1 "boot status 0" || tap 0 "boot status 0 (got $status)"
echo "1..$n"
[ "$fails" = 0 ] || { grep '^keel:' "$tmp/serial.log" | tail -15 | sed 's/^/# /'; exit 1; }
