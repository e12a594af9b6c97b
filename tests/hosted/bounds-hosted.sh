#!/bin/bash
# Issue 12's rules hosted (tests/tasks/bounds/hosted.manifest under
# keel-hosted): keel_attest_report is EPERM without cap=attest (before any
# buffer is read) and EFAULT for bad buffers with it, by the kernel's rule
# (manifest_caps_grant); a task that logs ESC sequences, C1 and DEL bytes
# and forged launcher and kernel lines has them arrive escaped on stderr,
# each inside its "[NAME] " prefix (kernel/lib/log_escape.c), so the
# launcher's own "task '...' exited N" lines cannot be forged.
# Run alone: tests/hosted/bounds-hosted.sh (after `make`).
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/tasks/bounds/checks.sh"
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-bounds.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/out

plan=$(($(bounds_count "$BOUNDS_ATTEST_NONE_CHECKS") + $(bounds_count "$BOUNDS_ATTEST_CAP_CHECKS") + 10))
echo "1..$plan"
for f in "$root/build/bin/keel-hosted" "$root/build/hosted/bounds"; do
	if [ ! -x "$f" ]; then
		while [ "$n" -lt "$plan" ]; do not_ok "$(basename "$f") is missing ($f)"; done
		exit 1
	fi
done

timeout "${HOSTED_TIMEOUT:-60}" "$root/build/bin/keel-hosted" \
	--manifest "$root/tests/tasks/bounds/hosted.manifest" \
	--bin-dir "$root/build/hosted" </dev/null >"$log" 2>&1
status=$?

bounds_checks "$log" attest-none attest-none "$BOUNDS_ATTEST_NONE_CHECKS"
bounds_checks "$log" attest-cap attest-cap "$BOUNDS_ATTEST_CAP_CHECKS"
check "keel-hosted: attest-none exited 0" bounds_line "$log" "task 'attest-none' exited 0"
check "keel-hosted: attest-cap exited 0" bounds_line "$log" "task 'attest-cap' exited 0"
check "log-forge: control bytes arrive escaped, in its prefix" bounds_has "$log" "$BOUNDS_ESCAPED"
check "log-forge: the forged launcher line arrives as its own line" \
	bounds_line "$log" "[log-forge] task 'log-forge' exited 0"
check "no task line carries a raw control byte (ESC, CR, NUL, DEL, C1)" bounds_no_raw_controls "$log"
check "keel-hosted: log-forge's real end is exit 3" bounds_line "$log" "task 'log-forge' exited 3"
check "no line starts with the forged \"task 'log-forge' exited 0\"" \
	bounds_not bounds_line "$log" "task 'log-forge' exited 0"
check "no line starts with a forged kernel outcome" bounds_not bounds_line "$log" "keel: task "
check "keel-hosted: 3 tasks, 3 as expected" bounds_line "$log" "keel-hosted: 3 tasks, 3 as expected, 0 unexpected"
check "keel-hosted exits 0" [ "$status" = 0 ]
[ "$fails" = 0 ] || sed 's/^/# /' "$log" | cat -v
[ "$n" = "$plan" ] || { echo "# printed $n checks, plan $plan"; exit 1; }
[ "$fails" = 0 ]
