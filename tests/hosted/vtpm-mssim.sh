#!/bin/bash
# The vtpm through keel-hosted's TPM simulator front end, driven by
# tpm2-tools over tpm2-tss's mssim TCTI (tests/tpm/scenario.sh), then
# keel-hosted restarted on the same --state directory for phase two.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-mssim.XXXXXX")
trap 'kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"

check "keel-hosted starts, vtpm powered on" kh_start "$tmp/state" mssim "$tmp/run1.log"
check "it says where it listens" grep -q "on 127.0.0.1:$port (command) and 127.0.0.1:$((port + 1)) (platform)" "$tmp/run1.log"
check "command port bound to loopback only" sh -c "ss -Hltn 'sport = :$port' | grep -q '127.0.0.1:$port'"
relay "first: " tests/tpm/scenario.sh first "$tmp/scenario"
kh_stop
check "SIGTERM: keel-hosted exits 0" [ "$kh_status" -eq 0 ]
check "SIGTERM: the vtpm task was stopped" grep -q "^task 'vtpm' stopped$" "$tmp/run1.log"
check "SIGTERM: ports closed" sh -c "! ss -Hltn '( sport = :$port or sport = :$((port + 1)) )' | grep -q ."

check "keel-hosted restarts on the same state" kh_start "$tmp/state" mssim "$tmp/run2.log"
check "no second manufacturing" sh -c "! grep -q 'manufacturing' '$tmp/run2.log'"
relay "after restart: " tests/tpm/scenario.sh after-restart "$tmp/scenario"
kh_stop
check "second run stops cleanly" [ "$kh_status" -eq 0 ]
sed 's/^/# run1: /' "$tmp/run1.log" | tail -n 20
sed 's/^/# run2: /' "$tmp/run2.log" | tail -n 20
plan
