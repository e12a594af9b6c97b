#!/bin/sh
# The vtpm hosted, its state kept by storaged (blkdev over
# $state/storage.img, dev-key), driven by tests/tasks/vtpm-client over its
# router slot:
#  1. fresh state dir: manufacture (one storaged commit) + EK certificates;
#     SVSM statuses, platform signals, EK certs verified against the CA in
#     NV and against CreatePrimary; certificates exported to the state dir;
#  2. restart on the stored state: same EK certificates, the vtpm logs the
#     same fingerprints, Startup works, no re-manufacture;
#  3. a damaged image (every used block flipped): storaged refuses it with
#     a message, the vtpm stays off and does not re-manufacture, and the
#     image is left byte for byte as it was;
#     the same with intact superblocks but a damaged tree and data;
#  4. the good image back: the same TPM (nothing above wrote to it).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
state=$work/state
img=$state/storage.img

run() { # log manifest [timeout]
	timeout "${3:-300}" build/bin/keel-hosted --manifest "$2" --state "$state" >"$1" 2>&1
}
fps() { grep -a "certificate (NV 0x[0-9a-f]*): sha256" "$1" | sed "s/.*certificate (NV \(0x[0-9a-f]*\)): sha256 \([0-9a-f]*\).*/\1 \2/" | sort -u; }

run "$work/1.log" tests/hosted/vtpm.manifest
rc=$?
sed 's/^/# /' "$work/1.log"
check "first start exits 0" [ "$rc" -eq 0 ]
check "first start manufactures the TPM" grep -q "vtpm: no stored state: manufacturing" "$work/1.log"
check "... as one commit" grep -q "vtpm: TPM manufactured and provisioned (.* state stores, 1 commit)" "$work/1.log"
check "client: all checks passed" grep -q "vtpm-client: 23 checks, 23 passed, 0 failed" "$work/1.log"
check "storage image created by blkdev" [ -s "$img" ]
check "no old-style state files" sh -c "! ls '$state' | grep -q '^vtpm-.*\\.state$'"
check "no CA private key file in the state dir (it is in storaged)" [ ! -e "$state/ek-ca.key" ]
check "EK CA certificate exported" openssl x509 -in "$state/ek-ca.pem" -noout
check "EK certificates exported and verify against it" \
	openssl verify -CAfile "$state/ek-ca.pem" "$state/ek-rsa.pem" "$state/ek-ecc.pem"
check "no CA private key in the log" sh -c "! grep -q 'PRIVATE KEY' '$work/1.log'"
check "the vtpm logs three certificate fingerprints" [ "$(fps "$work/1.log" | wc -l)" -eq 3 ]
cp "$state/ek-rsa.der" "$work/ek-rsa-1.der"

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
check "the vtpm's logged fingerprints are the same after the restart" \
	[ "$(fps "$work/1.log")" = "$(fps "$work/2.log")" ]
check "the exported RSA EK certificate is unchanged" cmp -s "$state/ek-rsa.der" "$work/ek-rsa-1.der"

# Damage: flip one byte in every block that is not all zero, from block
# FIRST on, so whatever storaged reads is damaged (a single flip could land
# in a free block). damage 0: the superblocks too; damage 2: only the tree
# and the data, behind intact superblocks.
damage() {
	python3 - "$img" "$1" <<'PY'
import sys
f = open(sys.argv[1], "r+b")
data = bytearray(f.read())
for off in range(int(sys.argv[2]) * 4096, len(data), 4096):
    if any(data[off:off + 4096]):
        data[off + 100] ^= 0x5a
f.seek(0)
f.write(data)
PY
}
cp "$img" "$work/good.img"
damage 0
cp "$img" "$work/damaged.img"
run "$work/3.log" tests/hosted/vtpm-again.manifest 60
sed 's/^/# /' "$work/3.log"
check "damaged image: storaged refuses it with a message" \
	grep -Eqi "storaged: .*(integrity|authentic|corrupt|damaged|superblock)" "$work/3.log"
check "damaged image: the vtpm says why it stays off" \
	grep -q "vtpm: reading state '.*' from storaged failed" "$work/3.log"
check "damaged image: TPM stays off, commands fail" grep -q "vtpm-client: not ok TPM2_Startup" "$work/3.log"
check "damaged image: not re-manufactured" sh -c "! grep -q 'manufacturing' '$work/3.log'"
check "damaged image: left byte for byte as it was" cmp -s "$img" "$work/damaged.img"

cp "$work/good.img" "$img"
damage 2
cp "$img" "$work/damaged2.img"
run "$work/3b.log" tests/hosted/vtpm-again.manifest 60
sed 's/^/# /' "$work/3b.log" | grep -a "storaged\|vtpm:"
check "damaged tree/data: an integrity error, the TPM stays off" sh -c \
	"grep -aqi 'integrity\|authentic' '$work/3b.log' && grep -q 'vtpm-client: not ok TPM2_Startup' '$work/3b.log'"
check "damaged tree/data: not re-manufactured, image unchanged" sh -c \
	"! grep -q manufacturing '$work/3b.log' && cmp -s '$img' '$work/damaged2.img'"

# Back to the good image: the same TPM again (nothing above changed it).
cp "$work/good.img" "$img"
run "$work/4.log" tests/hosted/vtpm-again.manifest
check "good image restored: the same TPM (fingerprints)" [ "$(fps "$work/1.log")" = "$(fps "$work/4.log")" ]
check "good image restored: client checks pass" grep -q "vtpm-client: 9 checks, 9 passed, 0 failed" "$work/4.log"
plan
