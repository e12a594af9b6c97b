# shellcheck shell=sh
# The ABI conformance checks (tests/tasks/hosted-abi), for both scripts that
# run them: tests/hosted/hosted-abi.sh (keel-hosted) and
# tests/system/abi-booted.sh (a boot). Source after tests/lib.sh.
#
# ABI_CHECKS: how many PASS/FAIL lines the tasks of abi.manifest print, in
# either mode: the same task code, the same checks; where docs/hosted.md
# documents a difference the check asserts each mode's answer (its name
# ends "(booted)" or "(hosted)"). Change it with the tasks.
ABI_CHECKS=140

# abi_tap LOG: one TAP line per "[task] PASS what" / "[task] FAIL what"
# line of LOG (serial or keel-hosted output); sets abi_count to how many.
abi_tap() {
	abi_count=0
	while IFS= read -r _line; do
		case "$_line" in
		"["*"] PASS "*) ok "${_line#*] PASS }"; abi_count=$((abi_count + 1)) ;;
		"["*"] FAIL "*) not_ok "${_line#*] FAIL }"; abi_count=$((abi_count + 1)) ;;
		esac
	done <<EOT
$(tr -d '\r\000' <"$1")
EOT
}

# abi_names LOG: the checks LOG reports, sorted, mode suffix and verdict
# removed, one per line, so two modes' runs can be compared.
abi_names() {
	tr -d '\r\000' <"$1" | sed -n 's/^\[\([^]]*\)\] \(PASS\|FAIL\) /\1: /p' | sed 's/: got .*//' |
		sed 's/ (\(booted\|hosted\))$//' | LC_ALL=C sort
}

# abi_crossed LOG: both tasks of the crossing pair (cross-a, cross-b) logged
# that they call, and neither call returned (it would log a FAIL line).
abi_crossed() {
	[ "$(tr -d '\r\000' <"$1" | grep -c '^\[cross-[ab]\] cross: calling the peer while it calls us')" -eq 2 ] &&
		! tr -d '\r\000' <"$1" | grep -q '^\[cross-[ab]\] FAIL '
}
