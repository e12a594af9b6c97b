#!/bin/sh
# Runs every test program and prints "N passed, N failed"; exits non-zero on
# any failure. A test program prints TAP lines ("ok ..." / "not ok ...");
# each counts once. A program that exits non-zero without a "not ok" line
# counts as one failure; one that prints nothing and exits 0 counts as one
# pass only if it printed at least one "ok" line (a test must assert).
#   unit tests:   build/tests/unit/*      (cmocka, TAP output)
#   hosted tests: tests/hosted/*.sh
#   system tests: tests/system/*.sh       (QEMU boots)
#   lint:         tests/lint/*.sh
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0
failed_names=""
logdir=build/test-logs
mkdir -p "$logdir"

run_one() {
	name=$1
	shift
	log="$logdir/$(echo "$name" | tr '/' '_').log"
	start=$(date +%s)
	CMOCKA_MESSAGE_OUTPUT=TAP timeout "${KEEL_TEST_TIMEOUT:-900}" "$@" >"$log" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$log")
	nok=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then nok=1; fi
	if [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then nok=1; fi
	pass=$((pass + ok))
	fail=$((fail + nok))
	secs=$(($(date +%s) - start))
	if [ "$nok" -ne 0 ]; then
		echo "FAIL $name ($ok ok, $nok failed, rc=$rc, ${secs}s) — log: $log"
		grep '^not ok ' "$log" | head -20 | sed 's/^/    /'
		tail -n 15 "$log" | sed 's/^/    | /'
		failed_names="$failed_names $name"
	else
		echo "pass $name ($ok ok, ${secs}s)"
	fi
}

for t in build/tests/unit/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for dir in lint hosted system; do
	for t in tests/$dir/*.sh; do
		[ -x "$t" ] || continue
		run_one "$dir/$(basename "$t" .sh)" "$t"
	done
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
