#!/bin/sh
# The vtpm hosted, driven by tests/tasks/vtpm-client over its router slot:
#  1. fresh state dir: manufacture + EK certificates; SVSM statuses, platform
#     signals, EK certs verified against the CA in NV and against CreatePrimary;
#  2. restart on the stored state: same EK certificates, Startup works, no
#     re-manufacture;
#  3. a corrupted state file is rejected with a clear message, the TPM stays
#     off, and the file is left byte for byte as it was;
#  4. a state without the "provisioned" marker (crash during provisioning) is
#     manufactured again.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
state=$work/state

run() { # log manifest
	timeout 300 build/bin/keel-hosted --manifest "$2" --state "$state" >"$1" 2>&1
}

run "$work/1.log" tests/hosted/vtpm.manifest
rc=$?
sed 's/^/# /' "$work/1.log"
check "first start exits 0" [ "$rc" -eq 0 ]
check "first start manufactures the TPM" grep -q "vtpm: no stored state: manufacturing" "$work/1.log"
check "client: all checks passed" grep -q "vtpm-client: 23 checks, 23 passed, 0 failed" "$work/1.log"
check "state file written" [ -s "$state/vtpm-permall.state" ]
check "EK CA key saved with mode 0600" [ "$(stat -c %a "$state/ek-ca.key")" = 600 ]
check "EK CA certificate saved" openssl x509 -in "$state/ek-ca.pem" -noout
check "no CA private key in the log" sh -c "! grep -q 'PRIVATE KEY' '$work/1.log'"

run "$work/2.log" tests/hosted/vtpm-again.manifest
rc=$?
sed 's/^/# /' "$work/2.log"
check "restart exits 0" [ "$rc" -eq 0 ]
check "restart does not re-manufacture" sh -c "! grep -q 'manufacturing' '$work/2.log'"
check "restart: all checks passed" grep -q "vtpm-client: 9 checks, 9 passed, 0 failed" "$work/2.log"
for kind in RSA-2048 "ECC P-256"; do
	a=$(grep "$kind EK certificate sha256" "$work/1.log")
	b=$(grep "$kind EK certificate sha256" "$work/2.log")
	check "$kind EK certificate survives the restart" [ -n "$a" -a "$a" = "$b" ]
done

cp "$state/vtpm-permall.state" "$work/good"
size=$(stat -c %s "$work/good")
printf 'X' | dd of="$state/vtpm-permall.state" bs=1 seek=$((size - 7)) conv=notrunc 2>/dev/null
cp "$state/vtpm-permall.state" "$work/corrupt"
run "$work/3.log" tests/hosted/vtpm-again.manifest
sed 's/^/# /' "$work/3.log"
check "corrupt state: rejected with a clear message" \
	grep -q "state file .*vtpm-permall.state rejected: checksum mismatch" "$work/3.log"
check "corrupt state: TPM stays off, commands fail" grep -q "vtpm-client: not ok TPM2_Startup" "$work/3.log"
check "corrupt state: file left untouched" cmp -s "$state/vtpm-permall.state" "$work/corrupt"

head -c 100 "$work/good" >"$state/vtpm-permall.state"
run "$work/4.log" tests/hosted/vtpm-again.manifest
check "truncated state: rejected" grep -q "rejected: length does not match" "$work/4.log"
check "truncated state: not re-manufactured" sh -c "! grep -q 'manufacturing' '$work/4.log'"

# A crash between manufacture and the end of provisioning leaves a permanent
# state without the "provisioned" marker: it must be manufactured again, so
# the TPM never runs without its EK certificates.
cp "$work/good" "$state/vtpm-permall.state"
rm -f "$state/vtpm-provisioned.state"
run "$work/5.log" tests/hosted/vtpm.manifest
sed 's/^/# /' "$work/5.log"
check "unfinished manufacture: detected" grep -q "never fully provisioned: manufacturing again" "$work/5.log"
check "unfinished manufacture: EK certificates provisioned again" \
	grep -q "vtpm-client: 23 checks, 23 passed, 0 failed" "$work/5.log"
check "unfinished manufacture: marker written" [ -s "$state/vtpm-provisioned.state" ]
plan
