#!/bin/sh
# Runs every test program and prints "N passed, N failed, N skipped"; exits
# non-zero on any failure. Each program prints TAP (docs/testing.md):
#   - "ok ..." counts as one pass, "not ok ..." as one failure;
#   - "ok ... # SKIP reason" (and a whole-program "1..0 # SKIP reason") counts
#     as one skip, but only if the reason is on the allowed list below and
#     is true of this machine; any other skip is a failure;
#   - the plan ("1..N", first or last line) must be there and N must equal
#     the number of results printed: a shell test prints exactly one plan, a
#     cmocka program one per group (their sum counts). A missing or wrong
#     plan is one more failure;
#   - "Bail out!" is a failure; a program that exits non-zero without a
#     "not ok" line counts as one failure, and one that prints no result at
#     all (and is not skipped as a whole) too: a test must assert.
#   unit tests:   build/tests/unit/*      (cmocka, TAP output)
#   hosted tests: tests/hosted/*.sh
#   system tests: tests/system/*.sh       (QEMU boots)
#   lint:         tests/lint/*.sh
# KEEL_TESTS="hosted/echo unit/test-libc-string ...": run only these.
# tests/run-all.sh PROGRAM...: run and judge only these programs (paths
# relative to the top of the tree), by the same rules. KEEL_TEST_LOGS: where
# the logs go (default build/test-logs).
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0
skip=0
failed_names=""
logdir=${KEEL_TEST_LOGS:-build/test-logs}
mkdir -p "$logdir"

# skip_allowed REASON: 0 if REASON is an allowed skip that is true here.
# The list is short on purpose: a skip hides a check, so only what this
# machine really cannot do is allowed (docs/testing.md, "Skips").
skip_allowed() {
	case $1 in
	# keel-qemu decides whether KVM works for Keel here (not on PVM)
	"no KVM"*) [ "$(env -u KEEL_QEMU_ACCEL build/bin/keel-qemu --print-accel 2>/dev/null)" = tcg ] ;;
	"not root"*) [ "$(id -u)" -ne 0 ] ;;
	# tests/guest/selftest.c: KVM runs VMMCALL as a hypercall, so the #UD
	# path cannot be reached in a KVM boot (it is under TCG)
	"no #UD from VMMCALL"*) [ "${KEEL_QEMU_ACCEL:-}" = kvm ] ;;
	*) return 1 ;;
	esac
}

problem() { problems="$problems; $1"; nprob=$((nprob + 1)); }

run_one() {
	name=$1
	kind=$2
	shift 2
	log="$logdir/$(echo "$name" | tr '/' '_').log"
	start=$(date +%s)
	CMOCKA_MESSAGE_OUTPUT=TAP timeout "${KEEL_TEST_TIMEOUT:-900}" "$@" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	# ok nok skips plans planned bail, and the skip reasons one a line in $log.skips
	eval "$(awk -v skips="$log.skips" '
		function reason(s) { sub(/^.*#[ \t]*[Ss][Kk][Ii][Pp][^ \t]*[ \t]*/, "", s); return s }
		/^ok / { if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) { sk++; print reason($0) > skips } else ok++; next }
		/^not ok / { nok++; next }
		/^1\.\.[0-9]+/ { plans++; p = $0; sub(/^1\.\./, "", p); planned += p + 0;
			if (p + 0 == 0 && $0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) { sk++; allskip = 1; print reason($0) > skips } next }
		/^Bail out!/ { bail = 1 }
		END { printf "ok=%d nok=%d sk=%d plans=%d planned=%d bail=%d allskip=%d\n",
			ok, nok, sk, plans, planned, bail, allskip }' "$log")"
	problems="" nprob=0
	results=$((ok + nok + sk - allskip))
	if [ "$plans" -eq 0 ]; then
		problem "no TAP plan (1..N)"
	elif [ "$kind" != unit ] && [ "$plans" -ne 1 ]; then
		problem "$plans TAP plans (a script prints one)"
	elif [ "$planned" -ne "$results" ]; then
		problem "plan says $planned, printed $results"
	fi
	[ "$bail" -eq 0 ] || problem "Bail out!"
	[ "$rc" -eq 0 ] || [ "$nok" -ne 0 ] || problem "exit status $rc without a 'not ok'"
	[ "$results" -ne 0 ] || [ "$allskip" -ne 0 ] || problem "no result at all"
	bad_skips=0
	if [ "$sk" -ne 0 ]; then
		while IFS= read -r r; do
			skip_allowed "$r" && continue
			bad_skips=$((bad_skips + 1))
			problem "skip not allowed here: '$r'"
		done <"$log.skips"
	fi
	rm -f "$log.skips"
	pass=$((pass + ok))
	skip=$((skip + sk - bad_skips))
	fail=$((fail + nok + nprob))
	if [ "$nok" -ne 0 ] || [ -n "$problems" ]; then
		echo "FAIL $name ($ok ok, $nok failed, $sk skipped, rc=$rc, ${secs}s)${problems:+ —${problems#;}} — log: $log"
		grep '^not ok ' "$log" | head -20 | sed 's/^/    /'
		tail -n 15 "$log" | sed 's/^/    | /'
		failed_names="$failed_names $name"
	else
		if [ "$sk" -ne 0 ]; then
			echo "pass $name ($ok ok, $sk skipped, ${secs}s)"
		else
			echo "pass $name ($ok ok, ${secs}s)"
		fi
	fi
}

wanted() {
	[ -z "${KEEL_TESTS:-}" ] && return 0
	case " $KEEL_TESTS " in *" $1 "*) return 0 ;; esac
	return 1
}

if [ $# -ne 0 ]; then
	# tests/run-all.sh PROGRAM...: judge just these (paths from the top).
	for t in "$@"; do
		case $t in build/tests/unit/*) k=unit ;; *) k=script ;; esac
		run_one "$(basename "$(dirname "$t")")/$(basename "$t" .sh)" "$k" "$t"
	done
	set --
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
fi
for t in build/tests/unit/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	wanted "unit/$(basename "$t")" || continue
	run_one "unit/$(basename "$t")" unit "$t"
done
for dir in lint hosted system; do
	for t in tests/$dir/*.sh; do
		[ -x "$t" ] || continue
		wanted "$dir/$(basename "$t" .sh)" || continue
		run_one "$dir/$(basename "$t" .sh)" script "$t"
	done
done

echo "$pass passed, $fail failed, $skip skipped"
[ -z "$failed_names" ] || echo "failed:$failed_names"
[ "$fail" -eq 0 ]
