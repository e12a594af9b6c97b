#!/bin/bash
# The hosted vTPM is the same TPM across restarts of keel-hosted on one
# --state directory (storaged over storage.img): the EKs (tpm2_createek,
# public key hash) and the EK certificates in NV are identical, byte for
# byte, and a persistent key made with evictcontrol is still there.
# Then keel-state manufacture-tpm makes an image offline: keel-hosted on
# it serves exactly the EK certificates the tool exported, and does not
# manufacture again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-persist.XXXXXX")
trap 'kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
flush() { for f in -t -l -s; do tpm2_flushcontext $f >/dev/null 2>&1; done; }

# ek_snapshot DIR: EK public keys (hash of DER) and EK certificates from NV into DIR.
ek_snapshot() {
	mkdir -p "$1" && (
		cd "$1" || exit 1
		tpm2_startup -c >/dev/null 2>&1
		flush
		tpm2_createek -G rsa -c rsa.ctx -f pem -u ek-rsa.pem >/dev/null && flush &&
			tpm2_createek -G ecc -c ecc.ctx -f pem -u ek-ecc.pem >/dev/null && flush &&
			tpm2_getekcertificate -o rsa.der -o ecc.der >/dev/null &&
			for k in rsa ecc; do openssl pkey -pubin -in "ek-$k.pem" -outform DER | sha256sum; done >ek.hash
	)
}

check "run 1: keel-hosted starts, vtpm manufactured" kh_start "$tmp/state" mssim "$tmp/run1.log"
check "run 1: EKs and EK certificates read" ek_snapshot "$tmp/s1"
check "run 1: a persistent primary key at 0x81000005" sh -c "cd '$tmp/s1' && \
	tpm2_createprimary -C o -G ecc -c p.ctx >/dev/null && tpm2_evictcontrol -C o -c p.ctx 0x81000005 >/dev/null"
flush
kh_stop
check "run 1 stops cleanly" [ "$kh_status" -eq 0 ]
check "storage.img is the state" [ -s "$tmp/state/storage.img" ]

check "run 2: keel-hosted restarts on the same state" kh_start "$tmp/state" mssim "$tmp/run2.log"
check "run 2: no manufacturing" sh -c "! grep -q manufacturing '$tmp/run2.log'"
check "run 2: EKs and EK certificates read" ek_snapshot "$tmp/s2"
check "EK public keys identical across the restart" cmp -s "$tmp/s1/ek.hash" "$tmp/s2/ek.hash"
check "RSA EK certificate identical" cmp -s "$tmp/s1/rsa.der" "$tmp/s2/rsa.der"
check "ECC EK certificate identical" cmp -s "$tmp/s1/ecc.der" "$tmp/s2/ecc.der"
check "the persistent key is still at 0x81000005" sh -c "tpm2_getcap handles-persistent | grep -qi 0x81000005"
flush
kh_stop
sed 's/^/# run2: /' "$tmp/run2.log" | grep -a "vtpm:" | tail -n 8

# Offline manufacture: the tool's image under keel-hosted.
mkdir -p "$tmp/off" "$tmp/certs"
build/bin/keel-state manufacture-tpm "$tmp/off/storage.img" --dev-key --out "$tmp/certs" >"$tmp/tool.log" 2>&1
st=$?
sed 's/^/# tool: /' "$tmp/tool.log"
check "keel-state manufacture-tpm exits 0" [ "$st" -eq 0 ]
check "... prints the exported EK certificate paths" \
	grep -q "exported $tmp/certs/ek-rsa.der $tmp/certs/ek-rsa.pem" "$tmp/tool.log"
check "... and the ECC one and the CA" sh -c "grep -q 'exported $tmp/certs/ek-ecc.der' '$tmp/tool.log' && \
	grep -q 'exported $tmp/certs/ek-ca.der' '$tmp/tool.log'"
check "the exported certificates verify against the exported CA" \
	openssl verify -CAfile "$tmp/certs/ek-ca.pem" "$tmp/certs/ek-rsa.pem" "$tmp/certs/ek-ecc.pem"
check "keel-state check: the image is clean" build/bin/keel-state check "$tmp/off/storage.img" --dev-key
build/bin/keel-state manufacture-tpm "$tmp/off/storage.img" --dev-key --out "$tmp/certs2" >"$tmp/tool2.log" 2>&1
st=$?
check "a second manufacture-tpm on it is refused (status $st), nothing changed" \
	sh -c "[ $st -ne 0 ] && grep -q 'already holds a vTPM' '$tmp/tool2.log'"
check "keel-hosted on the tool's image" kh_start "$tmp/off" mssim "$tmp/run3.log"
check "... does not manufacture" sh -c "! grep -q manufacturing '$tmp/run3.log'"
check "... serves the EK certificates" ek_snapshot "$tmp/s3"
check "RSA EK certificate = the tool's ek-rsa.der, byte for byte" cmp -s "$tmp/s3/rsa.der" "$tmp/certs/ek-rsa.der"
check "ECC EK certificate = the tool's ek-ecc.der, byte for byte" cmp -s "$tmp/s3/ecc.der" "$tmp/certs/ek-ecc.der"
check "the RSA EK is the certificate's key" bash -c "openssl x509 -inform DER -in '$tmp/certs/ek-rsa.der' -pubkey -noout | \
	openssl pkey -pubin -outform DER | sha256sum | cmp -s - <(head -n1 '$tmp/s3/ek.hash')"
check "the exported CA = the CA in NV 0x01c00100" sh -c "tpm2_nvread 0x01c00100 -C o -o '$tmp/s3/ca.der' >/dev/null && \
	cmp -s '$tmp/s3/ca.der' '$tmp/certs/ek-ca.der'"
kh_stop
check "run 3 stops cleanly" [ "$kh_status" -eq 0 ]
plan
