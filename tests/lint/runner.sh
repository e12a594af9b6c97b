#!/bin/bash
# tests/run-all.sh judges TAP as docs/testing.md says: fixture programs
# that break each rule (wrong or missing plan, a skip without an allowed
# reason, Bail out!, a non-zero exit with every check ok, a relayed child
# that dies half-way or miscounts) must fail; well-formed ones must pass
# with the right counts.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
fx=$(mktemp -d "${TMPDIR:-/tmp}/runner-fixtures.XXXXXX")
trap 'rm -rf "$fx"' EXIT

fixture() { # fixture NAME <<BODY: an executable script
	{ echo '#!/bin/bash'; cat; } >"$fx/$1.sh"
	chmod +x "$fx/$1.sh"
}
# verdict NAME: runs run-all on the fixture; sets $vrc and $got (its last line)
verdict() {
	KEEL_TEST_LOGS=$fx/logs tests/run-all.sh "$fx/$1.sh" >"$fx/$1.out" 2>&1
	vrc=$?
	got=$(tail -n 1 "$fx/$1.out")
}
# judged NAME RC SUMMARY WHY: run-all exits RC and ends with SUMMARY
judged() {
	verdict "$1"
	if [ "$vrc" = "$2" ] && [ "$got" = "$3" ]; then
		ok "$4 ($got)"
	else
		not_ok "$4: got '$got', exit $vrc; want '$3', exit $2"
		sed 's/^/# /' "$fx/$1.out" | head -20
	fi
}

fixture good <<'E'
echo "ok 1 - a"; echo "ok 2 - b"; echo "1..2"
E
judged good 0 "2 passed, 0 failed, 0 skipped" "a plan matching two oks passes"
fixture leading-plan <<'E'
echo "1..2"; echo "ok 1 - a"; echo "ok 2 - b"
E
judged leading-plan 0 "2 passed, 0 failed, 0 skipped" "a leading plan counts too"
fixture short <<'E'
echo "1..5"; echo "ok 1 - a"
E
judged short 1 "1 passed, 1 failed, 0 skipped" "1..5 with one ok fails"
fixture noplan <<'E'
echo "ok 1 - a"
E
judged noplan 1 "1 passed, 1 failed, 0 skipped" "no plan fails"
fixture twoplans <<'E'
echo "ok 1 - a"; echo "1..1"; echo "1..1"
E
judged twoplans 1 "1 passed, 1 failed, 0 skipped" "a script with two plans fails"
fixture notok <<'E'
echo "ok 1 - a"; echo "not ok 2 - b"; echo "1..2"
E
judged notok 1 "1 passed, 1 failed, 0 skipped" "a not ok counts as a failure"
fixture status <<'E'
echo "ok 1 - a"; echo "1..1"; exit 3
E
judged status 1 "1 passed, 1 failed, 0 skipped" "exit 3 with every check ok fails"
fixture bail <<'E'
echo "ok 1 - a"; echo "Bail out! no disk"; echo "1..1"
E
judged bail 1 "1 passed, 1 failed, 0 skipped" "Bail out! fails"
fixture skip-any <<'E'
echo "ok 1 - a"; echo "ok 2 - b # SKIP did not feel like it"; echo "1..2"
E
judged skip-any 1 "1 passed, 1 failed, 0 skipped" "a skip with a reason not on the list fails"
fixture skip-none <<'E'
echo "ok 1 - a"; echo "ok 2 - b # SKIP"; echo "1..2"
E
judged skip-none 1 "1 passed, 1 failed, 0 skipped" "a skip without a reason fails"
fixture skip-all <<'E'
echo "1..0 # SKIP swtpm not installed"
E
judged skip-all 1 "0 passed, 1 failed, 0 skipped" "a whole-script skip for a missing package fails"
fixture skip-kvm <<'E'
echo "ok 1 - a"; echo "ok 2 - b # SKIP no KVM on this machine"; echo "1..2"
E
if [ "$(env -u KEEL_QEMU_ACCEL build/bin/keel-qemu --print-accel 2>/dev/null)" = tcg ]; then
	judged skip-kvm 0 "1 passed, 0 failed, 1 skipped" "'no KVM' skip allowed: keel-qemu would not use KVM here"
else
	judged skip-kvm 1 "1 passed, 1 failed, 0 skipped" "'no KVM' skip refused: keel-qemu would use KVM here"
fi
fixture skip-root <<'E'
echo "ok 1 - a # SKIP not root"; echo "1..1"
E
if [ "$(id -u)" -ne 0 ]; then
	judged skip-root 0 "0 passed, 0 failed, 1 skipped" "'not root' skip allowed: we are not root"
else
	judged skip-root 1 "0 passed, 1 failed, 0 skipped" "'not root' skip refused: we are root"
fi

# Relaying (tests/lib.sh relay): the child's plan and exit status count.
fixture child-dies <<'E'
echo "ok 1 - one"; echo "ok 2 - two"; kill -9 $$
E
fixture child-short <<'E'
echo "ok 1 - one"; echo "1..3"
E
fixture child-good <<'E'
echo "ok 1 - one"; echo "ok 2 - two"; echo "1..2"
E
for c in child-dies child-short child-good; do
	fixture "parent-$c" <<E
. "$PWD/tests/lib.sh"
ok "parent's own"
relay "child: " "$fx/$c.sh"
plan
E
done
judged parent-child-dies 1 "3 passed, 2 failed, 0 skipped" "a relayed child killed half-way fails the parent"
judged parent-child-short 1 "3 passed, 1 failed, 0 skipped" "a relayed child printing fewer results than planned fails the parent"
judged parent-child-good 0 "5 passed, 0 failed, 0 skipped" "a good relayed child: its results plus plan and status checks"
plan
