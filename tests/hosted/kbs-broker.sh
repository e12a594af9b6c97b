#!/bin/sh
# The key broker end to end (docs/kbs.md): a test SNP chain made here
# (kbs_chain.sh), reports signed in Python (kbs_client.py), the broker on
# SQLite. Happy path, every refusal, the clone race, malformed input, then
# --allow-emulated. KBS_TEST_DB overrides the database URL.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kbs-lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for f in build/bin/kbs build/bin/kbs-admin; do
	[ -x "$f" ] || { not_ok "$f is built"; plan; exit 1; }
done
chip=$(printf 'ab%.0s' $(seq 64))
check "test chain A (trusted)" bash tests/hosted/kbs_chain.sh "$work/a" "$chip"
check "test chain B (emulated)" bash tests/hosted/kbs_chain.sh "$work/b" "$chip" emulated
db=${KBS_TEST_DB:-$work/kbs.sqlite}
pin=$(build/bin/kbs-admin keygen "$work/id.pem")
check "kbs-admin keygen prints a 64-hex pin" test "${#pin}" -eq 64
check "kbs-admin pin agrees" test "$(build/bin/kbs-admin pin "$work/id.pem")" = "$pin"
meas=$(printf '5a%.0s' $(seq 48))
head -c 32 /dev/urandom >"$work/state.key"
check "kbs-admin vm-add vm1 (state key from a file)" build/bin/kbs-admin --db "$db" vm-add vm1 \
	--measurement "$meas" --state-key "$work/state.key"
check "kbs-admin vm-add racer (random state key)" build/bin/kbs-admin --db "$db" vm-add racer --measurement "$meas"
check "kbs-admin vm-add emu" build/bin/kbs-admin --db "$db" vm-add emu --measurement "$meas"
check "kbs-admin vm-add again keeps the state key" sh -c "build/bin/kbs-admin --db '$db' vm-add vm1 \
	--measurement '$meas' --measurement $(printf '6b%.0s' $(seq 48)) | grep -q 'state key kept'"
check "kbs-admin refuses a short measurement" sh -c "! build/bin/kbs-admin --db '$db' vm-add x --measurement abcd 2>/dev/null"

start() { # start LOG ARGS...: the broker on a free port (kbs-lib.sh); sets pid, port
	log=$1
	shift
	kbs_listen "$log" --db "$db" --identity-key "$work/id.pem" "$@"
}

check "broker starts" start "$work/log1" --snp-chain "$work/a" --emulated-chain "$work/b" --boot-window 2
relay "" python3 tests/hosted/kbs_flow.py main "$port" "$work/a" "$work/b" "$pin" "$meas" "$work/state.key"
check "broker still alive after the scenarios" kill -0 "$pid"
kill "$pid"; wait "$pid" 2>/dev/null; pid=""
check "no EMULATED acceptance was logged" sh -c "! grep -q 'EMULATED attestation accepted' '$work/log1'"
key_b64=$(base64 -w0 <"$work/state.key")
check "the state key never reaches the log" sh -c "! grep -qF '$key_b64' '$work/log1'"
check "failures logged with reasons" grep -q "measurement .* is not registered" "$work/log1"
list=$(build/bin/kbs-admin --db "$db" vm-list)
check "vm-list: vm1 boot 2 acknowledged, min-generation 5" sh -c "echo '$list' | grep -q '^vm1 boot=2 acked=yes min-generation=5'"

check "broker starts with --allow-emulated" start "$work/log2" --snp-chain "$work/a" --emulated-chain "$work/b" \
	--allow-emulated
check "--allow-emulated is logged loudly at start" grep -q "WARNING: --allow-emulated" "$work/log2"
relay "emulated: " python3 tests/hosted/kbs_flow.py emulated "$port" "$work/a" "$work/b" "$pin" "$meas" "$work/state.key"
check "each emulated attestation is logged loudly" grep -q "WARNING: EMULATED attestation accepted for vm emu" "$work/log2"
kill "$pid"; wait "$pid" 2>/dev/null; pid=""
# The emulated chain given as --snp-chain by mistake: the VCEK's marker still refuses it.
check "broker starts with the emulated chain as --snp-chain" start "$work/log3" --snp-chain "$work/b" --session-ttl 3
relay "marked: " python3 tests/hosted/kbs_flow.py marked "$port" "$work/a" "$work/b" "$pin" "$meas" "$work/state.key"
kill "$pid"; wait "$pid" 2>/dev/null; pid=""
# Keel's committed emulated chain (the attest-kernel part): the kernel's
# report signer and this broker agree on it. KBS_EMU_CHAIN overrides the path.
emu=${KBS_EMU_CHAIN:-kernel/platform/native/emulated-platform}
if [ -f "$emu/vcek.key" ] && [ -f "$emu/ark.pem" ]; then
	build/bin/kbs-admin --db "$db" vm-add emu2 --measurement "$meas" >/dev/null
	check "broker starts with the committed emulated chain" start "$work/log4" --snp-chain "$work/a" \
		--emulated-chain "$emu" --allow-emulated
	relay "committed: " python3 tests/hosted/kbs_flow.py committed "$port" "$work/a" "$emu" "$pin" "$meas" "$work/state.key"
	kill "$pid"; wait "$pid" 2>/dev/null; pid=""
else
	echo "# committed emulated chain not in this tree ($emu): not checked"
fi
# With a sanitizer build of kbs (docs/kbs.md "Tests"), its reports land in the logs.
check "no sanitizer report in the broker logs" sh -c "! cat '$work'/log* | grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error'"
grep -c . "$work/log1" | sed 's/^/# broker log lines: /'
plan
