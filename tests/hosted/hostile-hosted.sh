#!/bin/bash
# Isolation checks that mean something hosted (tests/hosted/
# hostile-hosted.manifest): bad handles, huge lengths, oversized messages
# and memory exhaustion must get the same KEEL_E* answers from the hosted
# shim as from the kernel. Prints every check line of the tasks as TAP,
# then that each mode and the victim finished, and keel-hosted's status.
# Run alone: tests/hosted/hostile-hosted.sh (after `make`).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/tasks/hostile/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-hostile-hosted.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=$tmp/hosted.log

for f in "$root/build/bin/keel-hosted" "$root/build/hosted/hostile" "$root/build/hosted/victim"; do
	if [ ! -x "$f" ]; then
		not_ok "$(basename "$f") is missing ($f)"
		exit 1
	fi
done

timeout "${HOSTED_TIMEOUT:-120}" "$root/build/bin/keel-hosted" \
	--manifest "$root/tests/hosted/hostile-hosted.manifest" \
	--bin-dir "$root/build/hosted" </dev/null >"$log" 2>&1
status=$?

for mode in $HOSTILE_HOSTED_MODES; do
	task_checks "$log" "hostile $mode" || not_ok "hostile $mode: printed no checks"
	check "hostile $mode: every check passed and it exited" \
		has "$log" "hostile $mode: PASSED, 0 failed checks"
done
task_checks "$log" "victim" || not_ok "victim: printed no verdict"
check "keel-hosted: every outcome as expected (status 0)" [ "$status" = 0 ]
[ "$status" = 0 ] || sed 's/^/# /' "$log" | tail -n 40
plan
