#!/bin/bash
# The tpm2-tools scenario against a vTPM, printing TAP. Shared by the hosted
# tests (tests/hosted/vtpm-*.sh, keel-hosted's mssim/swtpm front ends) and
# the booted ones (the test guest over its TPM device).
#
#   scenario.sh first DIR          startup, GetRandom (twice, distinct), EKs +
#                                  certificates, PCRs, sealing
#                                  with a PCR policy, NV, quote; keeps what
#                                  phase two needs in DIR
#   scenario.sh after-restart DIR  after a TPM restart (same state): NV data
#                                  still there, GetRandom unlike before it,
#                                  the sealed object still
#                                  unseals, and no longer does once the
#                                  policy PCR is extended
#   scenario.sh short DIR          startup, getrandom, pcrextend, seal/unseal,
#                                  NV round trip (for a second front end)
#
# The caller sets TPM2TOOLS_TCTI (e.g. mssim:host=127.0.0.1,port=2321).
# SCENARIO_EK_CA: the EK CA certificate (PEM); default: NV index 0x01c00100.
# SCENARIO_POLICY_PCR: the PCR the sealing policy covers (default 23; phase
# one resets it, so it must be resettable at locality 0: 16 or 23).
set -u
phase=${1:-}
dir=${2:-}
if [ -z "$phase" ] || [ -z "$dir" ] || [ -z "${TPM2TOOLS_TCTI:-}" ]; then
	echo "usage: TPM2TOOLS_TCTI=... $0 first|after-restart|short DIR" >&2
	exit 2
fi
mkdir -p "$dir" || exit 2
cd "$dir" || exit 2
pcr=${SCENARIO_POLICY_PCR:-23}
nv=0x01500016
n=0
failed=0

# Without a resource manager (mssim, swtpm) transient objects stay loaded
# after each tool (libtpms holds 3 objects, 3 sessions): every step starts with none.
flush() { for f in -t -l -s; do tpm2_flushcontext $f >/dev/null 2>&1; done; }

# step "description" command...: runs it, output kept in step.log; TAP line.
step() {
	desc=$1
	shift
	n=$((n + 1))
	flush
	if "$@" >step.log 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/#   /' step.log | tail -n 15
		failed=$((failed + 1))
	fi
}

# fails "description" pattern command...: the command must fail, its output matching pattern.
fails() {
	desc=$1
	pat=$2
	shift 2
	n=$((n + 1))
	flush
	if "$@" >step.log 2>&1; then
		echo "not ok $n - $desc (it succeeded)"
		failed=$((failed + 1))
	elif grep -Eqi "$pat" step.log; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc (failed, but without /$pat/)"
		sed 's/^/#   /' step.log | tail -n 15
		failed=$((failed + 1))
	fi
}

startup() {
	# A TPM that already had its TPM2_Startup answers TPM_RC_INITIALIZE (0x100).
	tpm2_startup -c >startup.log 2>&1 || grep -q "0x100" startup.log
}

same_file() { cmp -s "$1" "$2"; }
differ() { ! cmp -s "$1" "$2"; }

# Two TPM2_GetRandom(32) into random-a.bin and random-b.bin (kept in DIR:
# after-restart compares its own with them).
get_randoms() {
	tpm2_getrandom 32 -o "random-$1a.bin" && tpm2_getrandom 32 -o "random-$1b.bin" &&
		[ "$(stat -c %s "random-$1a.bin")" = 32 ] && [ "$(stat -c %s "random-$1b.bin")" = 32 ]
}

# PEM public key fingerprint (DER SHA-256) of a certificate or a public key file.
cert_key() { openssl x509 -inform DER -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum; }
pub_key() { openssl pkey -pubin -in "$1" -outform DER | sha256sum; }
keys_match() { [ "$(cert_key "$1")" = "$(pub_key "$2")" ]; }

ek_ca() {
	if [ -n "${SCENARIO_EK_CA:-}" ]; then
		cp "$SCENARIO_EK_CA" ek-ca.pem
	else
		tpm2_nvread 0x01c00100 -C o -o ek-ca.der && openssl x509 -inform DER -in ek-ca.der -out ek-ca.pem
	fi
}
verify_cert() { openssl x509 -inform DER -in "$1" -out "$1.pem" && openssl verify -CAfile ek-ca.pem "$1.pem"; }

pcr_value() { # pcr_value N: the sha256 bank's value, lower-case hex without 0x
	tpm2_pcrread "sha256:$1" | sed -n "s/^ *$1 *: *0x\([0-9A-Fa-f]*\)$/\1/p" | tr 'A-F' 'a-f'
}
pcr_extended_as_expected() { # PCR 16 after reset + one extend of digest $1
	want=$( (printf '%064d' 0; echo "$1") | xxd -r -p | sha256sum | cut -d' ' -f1)
	[ "$(pcr_value 16)" = "$want" ]
}

primary() { tpm2_createprimary -C o -g sha256 -G ecc -c primary.ctx; }
seal() {
	tpm2_create -C primary.ctx -g sha256 -L pcr.policy -i secret.bin -u seal.pub -r seal.priv \
		-a "fixedtpm|fixedparent|adminwithpolicy|noda"
}
load_seal() { tpm2_load -C primary.ctx -u seal.pub -r seal.priv -c seal.ctx; }
unseal_ok() {
	tpm2_unseal -c seal.ctx -p "pcr:sha256:$pcr" -o unsealed.bin && same_file unsealed.bin secret.bin
}
nv_define() {
	tpm2_nvundefine "$nv" -C o >/dev/null 2>&1
	tpm2_nvdefine "$nv" -C o -s 32 -a "ownerread|ownerwrite"
}
nv_read_back() { tpm2_nvread "$nv" -C o -s 32 -o nv-read.bin && same_file nv-read.bin nv-data.bin; }

phase_ek() {
	step "tpm2_createek RSA" tpm2_createek -G rsa -c ek-rsa.ctx -f pem -u ek-rsa.pem
	step "tpm2_createek ECC" tpm2_createek -G ecc -c ek-ecc.ctx -f pem -u ek-ecc.pem
	step "tpm2_getekcertificate RSA and ECC from NV" tpm2_getekcertificate -o ek-rsa.der -o ek-ecc.der
	step "EK CA certificate (NV 0x01c00100 or given)" ek_ca
	step "RSA EK certificate verifies against the CA" verify_cert ek-rsa.der
	step "ECC EK certificate verifies against the CA" verify_cert ek-ecc.der
	step "RSA EK certificate's key is tpm2_createek's" keys_match ek-rsa.der ek-rsa.pem
	step "ECC EK certificate's key is tpm2_createek's" keys_match ek-ecc.der ek-ecc.pem
}

phase_pcr() {
	digest=$(echo "keel scenario measurement" | sha256sum | cut -d' ' -f1)
	step "tpm2_pcrreset 16" tpm2_pcrreset 16
	step "tpm2_pcrread sha256:0,16" tpm2_pcrread sha256:0,16
	step "tpm2_pcrextend 16" tpm2_pcrextend "16:sha256=$digest"
	step "PCR 16 = SHA-256(0...0 || digest)" pcr_extended_as_expected "$digest"
}

phase_seal() {
	head -c 32 /dev/urandom >secret.bin
	step "tpm2_pcrreset $pcr (the policy PCR)" tpm2_pcrreset "$pcr"
	step "tpm2_createprimary" primary
	step "tpm2_createpolicy --policy-pcr sha256:$pcr" \
		tpm2_createpolicy --policy-pcr -l "sha256:$pcr" -L pcr.policy
	step "tpm2_create: seal 32 bytes under the PCR policy" seal
	step "tpm2_load the sealed object" load_seal
	step "tpm2_unseal with the PCR policy returns the data" unseal_ok
}

phase_nv_quote() {
	head -c 32 /dev/urandom >nv-data.bin
	step "tpm2_nvdefine $nv" nv_define
	step "tpm2_nvwrite" tpm2_nvwrite "$nv" -C o -i nv-data.bin
	step "tpm2_nvread returns what was written" nv_read_back
	nonce=$(head -c 16 /dev/urandom | xxd -p)
	step "tpm2_createak under the RSA EK" tpm2_createak -C ek-rsa.ctx -c ak.ctx -G rsa -g sha256 \
		-s rsassa -u ak.pub -f pem -n ak.name
	step "tpm2_quote sha256:0,16,$pcr" tpm2_quote -c ak.ctx -l "sha256:0,16,$pcr" -q "$nonce" \
		-m quote.msg -s quote.sig -o quote.pcrs -g sha256
	step "tpm2_checkquote verifies it" tpm2_checkquote -u ak.pub -m quote.msg -s quote.sig \
		-f quote.pcrs -g sha256 -q "$nonce"
	fails "tpm2_checkquote rejects another nonce" "nonce" tpm2_checkquote -u ak.pub \
		-m quote.msg -s quote.sig -f quote.pcrs -g sha256 -q "00$nonce"
}

phase_after_restart() {
	step "tpm2_startup -c after the restart" startup
	step "tpm2_getrandom 32, twice, after the restart" get_randoms restart-
	step "GetRandom after the restart differs from before it" sh -c \
		'for a in random-restart-a.bin random-restart-b.bin; do for b in random-a.bin random-b.bin; do
			! cmp -s "$a" "$b" || exit 1; done; done'
	step "NV $nv still holds the data" nv_read_back
	step "EK certificate still in NV and valid" \
		sh -c 'tpm2_getekcertificate -o ek-rsa-2.der && cmp -s ek-rsa.der ek-rsa-2.der'
	step "tpm2_createprimary (same template, same key)" primary
	step "tpm2_load the saved sealed object" load_seal
	step "tpm2_unseal with the PCR policy still returns the data" unseal_ok
	step "tpm2_pcrextend $pcr" tpm2_pcrextend "$pcr:sha256=$(printf '%064d' 1)"
	fails "tpm2_unseal now fails with a policy error" "policy|0x99d|0x1d" tpm2_unseal -c seal.ctx \
		-p "pcr:sha256:$pcr" -o unsealed-2.bin
}

case $phase in
first)
	step "tpm2_startup -c" startup
	step "tpm2_getrandom 32, twice" get_randoms ""
	step "the two GetRandom answers differ" differ random-a.bin random-b.bin
	phase_ek
	phase_pcr
	phase_seal
	phase_nv_quote
	;;
after-restart)
	phase_after_restart
	;;
short)
	step "tpm2_startup -c" startup
	step "tpm2_getrandom 16" tpm2_getrandom 16 -o random.bin
	phase_pcr
	phase_seal
	head -c 32 /dev/urandom >nv-data.bin
	step "tpm2_nvdefine $nv" nv_define
	step "tpm2_nvwrite" tpm2_nvwrite "$nv" -C o -i nv-data.bin
	step "tpm2_nvread returns what was written" nv_read_back
	;;
*)
	echo "scenario.sh: unknown phase '$phase'" >&2
	exit 2
	;;
esac
echo "1..$n"
[ "$failed" -eq 0 ]
