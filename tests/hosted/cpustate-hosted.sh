#!/bin/bash
# CPU state a task leaves behind, hosted (tests/hosted/cpustate-hosted.manifest;
# the booted twin is tests/system/cpustate-booted.sh). The tasks are Linux
# processes here, so only the per-task checks apply: tasks set NT, AC, DF,
# IOPL or TF across real kernel entries and switches (a Linux sched_yield
# after each Keel call) and then fault; the keeper and the spinners must
# find their own RFLAGS, MXCSR, x87 control word and FS base unchanged.
# TAP: every check line the tasks print, each task's verdict and outcome,
# keel-hosted's status; ends with the plan, exits non-zero on any failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/tasks/hostile/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-cpustate-hosted.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=$tmp/hosted.log
manifest=$root/tests/hosted/cpustate-hosted.manifest
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
finish() {
	echo "1..$n"
	[ "$fails" = 0 ]
	exit $?
}

for f in "$root/build/bin/keel-hosted" "$root/build/hosted/cpustate"; do
	[ -x "$f" ] || { not_ok "$(basename "$f") is missing ($f)"; finish; }
done

timeout "${HOSTED_TIMEOUT:-120}" "$root/build/bin/keel-hosted" --manifest "$manifest" \
	--bin-dir "$root/build/hosted" </dev/null >"$log" 2>&1
status=$?

tasks_in() { sed -n "s/^task \([^ ]*\) .*arg=\($1\)\(:[0-9]*\)\?\$/\1/p" "$manifest"; }
for t in $(tasks_in 'nt\|ac\|df\|iopl'); do
	task_checks "$log" "cpustate $t" || not_ok "$t: printed no checks"
	check "$t: every check passed before its own fault" has "$log" "cpustate $t: PASSED, 0 failed checks"
	check "$t: killed by a signal" has "$log" "task '$t' killed by signal"
done
for t in $(tasks_in 'tf-yield\|tf-call\|tf-reply'); do
	check "$t: did not survive its own single-step trap" lacks "$log" "cpustate $t: FAIL"
	check "$t: killed by SIGTRAP" has "$log" "task '$t' killed by signal 5"
done
for t in $(tasks_in 'dr7\|xsetbv'); do
	check "$t: reached the instruction" has "$log" "cpustate $t: start"
	check "$t: killed by a signal" has "$log" "task '$t' killed by signal"
done
for t in $(tasks_in 'keeper\|spinner'); do
	task_checks "$log" "cpustate $t" || not_ok "$t: printed no verdict"
	check "$t: its own state never changed while the others ran (exit 0)" has "$log" "task '$t' exited 0"
done
check "keel-hosted: every outcome as expected (status 0)" [ "$status" = 0 ]
[ "$status" = 0 ] || sed 's/^/# /' "$log" | tail -n 40
finish
