#!/bin/sh
# The ABI, hosted: tests/tasks/hosted-abi/abi.manifest under keel-hosted
# (peer death -> EPEERCLOSED, too-big messages -> ETOOBIG on both sides, stale
# handles -> EBADHANDLE, keel_wait over several handles, and every other call's
# arguments, limits and capabilities). Every PASS/FAIL line a task logs becomes
# one TAP line, and there must be as many as booted (ABI_CHECKS,
# tests/system/abi-booted.sh). Then keel-hosted's own behaviour: outcomes
# against expect=, the end of a run with services, manifest errors, a missing
# binary, SIGTERM.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
. tests/tasks/hosted-abi/checks.sh
kh=build/bin/keel-hosted
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timeout 120 $kh --manifest tests/tasks/hosted-abi/abi.manifest >"$work/out" 2>&1
rc=$?
abi_tap "$work/out"
grep -v '] PASS ' "$work/out" | sed 's/^/# /'
check "abi: keel-hosted exits 0" [ "$rc" -eq 0 ]
check "abi: the faulting server counted as expected" \
	grep -q "^task 'death-server' killed by signal 11$" "$work/out"
check "abi: $ABI_CHECKS checks, as booted (got $abi_count)" [ "$abi_count" -eq "$ABI_CHECKS" ]
check "abi: 14 tasks, 14 as expected" grep -q "^keel-hosted: 14 tasks, 14 as expected, 0 unexpected$" "$work/out"
check "abi: crossing calls both wait for good (as booted), neither returns" abi_crossed "$work/out"
check "abi: the crossing pair is still waiting at the end (stopped)" \
	[ "$(grep -c "^task 'cross-[ab]' stopped$" "$work/out")" -eq 2 ]

# An outcome that contradicts expect= makes the run fail.
cat >"$work/bad.manifest" <<'M'
task death-client binary=abi-client memory=4M arg=death
task death-server binary=abi-server memory=4M arg=die
channel death-client:1 death-server:1
M
$kh --manifest "$work/bad.manifest" >"$work/bad" 2>&1
rc=$?
check "launcher: a fault where exit0 is expected -> exit 1" [ "$rc" -eq 1 ]
check "launcher: says so" grep -q "killed by signal 11 (unexpected: expect=exit0)" "$work/bad"
check "launcher: counts it" grep -q "2 tasks, 1 as expected, 1 unexpected" "$work/bad"

# And the other way: a task that should have faulted but exited 0.
cat >"$work/nofault.manifest" <<'M'
task death-client binary=abi-client memory=4M arg=death expect=fault
task death-server binary=abi-server memory=4M arg=die expect=fault
channel death-client:1 death-server:1
M
$kh --manifest "$work/nofault.manifest" >"$work/nofault" 2>&1
rc=$?
check "launcher: exit 0 where a fault is expected -> exit 1" [ "$rc" -eq 1 ]
check "launcher: says so" grep -q "^task 'death-client' exited 0 (unexpected: expect=fault)$" "$work/nofault"
check "launcher: the real fault still counts as expected" \
	grep -q "^task 'death-server' killed by signal 11$" "$work/nofault"
check "launcher: counts it" grep -q "2 tasks, 1 as expected, 1 unexpected" "$work/nofault"

printf 'task a binary=abi-client memory=12Q\n' >"$work/syntax.manifest"
$kh --manifest "$work/syntax.manifest" >"$work/syntax" 2>&1
rc=$?
check "launcher: bad manifest -> exit 2" [ "$rc" -eq 2 ]
check "launcher: names line, task and field" \
	grep -q "manifest line 1: task 'a': memory: bad size '12Q'" "$work/syntax"

printf 'task a binary=no-such-task memory=1M\n' >"$work/missing.manifest"
$kh --manifest "$work/missing.manifest" >"$work/missing" 2>&1
rc=$?
check "launcher: missing binary -> exit 2, nothing started" [ "$rc" -eq 2 ]
check "launcher: names the task and path" grep -q "task 'a': binary .*no-such-task" "$work/missing"

# A run is over once every task that is not expect=any has ended (the
# kernel's rule, kernel/task/outcome.c): a service still waiting is stopped.
cat >"$work/svc.manifest" <<'M'
task srv   binary=abi-server memory=4M arg=echo expect=any
task peer  binary=abi-server memory=4M arg=echo expect=any
task calls binary=abi-client memory=4M arg=calls
channel srv:1 peer:1
channel srv:2 peer:2
M
timeout 20 $kh --manifest "$work/svc.manifest" >"$work/svc" 2>&1
rc=$?
check "launcher: ends by itself once only expect=any tasks are left -> exit 0 (124: timed out)" [ "$rc" -eq 0 ]
check "launcher: the task that must end is judged" grep -q "^task 'calls' exited 0$" "$work/svc"
check "launcher: both services are stopped" [ "$(grep -c "^task '\(srv\|peer\)' stopped$" "$work/svc")" -eq 2 ]
check "launcher: counts them" grep -q "^keel-hosted: 3 tasks, 3 as expected, 0 unexpected$" "$work/svc"

# SIGTERM stops long-running tasks and exits cleanly (expect=any servers).
cat >"$work/long.manifest" <<'M'
task srv binary=abi-server memory=4M arg=echo expect=any
task cli binary=abi-server memory=4M arg=echo expect=any
channel srv:1 cli:1
channel srv:2 cli:2
M
$kh --manifest "$work/long.manifest" >"$work/long" 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
check "launcher: SIGTERM -> exit 0" [ "$rc" -eq 0 ]
check "launcher: both tasks reported stopped" [ "$(grep -c "stopped$" "$work/long")" -eq 2 ]
plan
