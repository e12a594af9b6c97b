#!/bin/bash
# SVSM protocol 1 (docs/guest-attestation.md) hosted, through the guest
# port: keel-hosted runs tests/hosted/guest-attest.manifest with
# --launch-digest; keel-svsm-call plays the guest with one window holding
# the request (GPA 0x200000), report (0x201000), nonce (0x202000) and
# manifest (0x203000) buffers. Checks SERVICES and SINGLE_SERVICE(vTPM):
# sizes, the manifest's GUIDs and layout, the vTPM entry = the EK's
# TPMT_PUBLIC whose modulus is the one in the vtpm's EK certificate,
# REPORT_DATA = SHA-512(nonce || manifest), the report's signature with
# openssl against the emulated chain; then too-small buffers, bad GPAs,
# an unknown GUID and a bad nonce size.
. "$(dirname "$0")/../system/lib.sh"
. "$KEEL_ROOT/tests/system/attest-lib.sh"
cd "$KEEL_ROOT" || exit 1
for f in "$KEEL_BIN/keel-hosted" "$KEEL_BIN/keel-svsm-call" "$KEEL_BUILD/hosted/attest-bridge" \
	"$KEEL_BUILD/hosted/vtpm"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
digest=$(for i in $(seq 1 48); do printf '%02x' $(((i * 5) & 255)); done)
state=$TMP/state
mkdir -p "$state"
"$KEEL_BIN/keel-hosted" --manifest tests/hosted/guest-attest.manifest --state "$state" \
	--launch-digest "$digest" </dev/null >"$TMP/run.log" 2>&1 &
kh=$!
trap 'kill $kh 2>/dev/null' EXIT
for i in $(seq 150); do grep -q "EK .*certificate\|vtpm: EK" "$TMP/run.log" 2>/dev/null && [ -S "$state/svsm.sock" ] && break; sleep 0.2; done
check "keel-hosted serves the guest port" [ -S "$state/svsm.sock" ]
sleep 1

W=0x200000
le() { python3 -c "import sys,struct; print(struct.pack('<'+sys.argv[1], *[int(a,0) for a in sys.argv[2:]]).hex())" "$@"; }
vtpm_guid=ebf176c42301a5459641b4e7dde5bfe3
nonce=$(for i in $(seq 0 63); do printf '%02x' $(((i * 11 + 5) & 255)); done)
# req REPORT_GPA REPORT_SIZE NONCE_GPA NONCE_SIZE MANIFEST_GPA MANIFEST_SIZE [GUID VERSION]
req() {
	local s
	s=$(le QIIQHHIQIIQII "$1" "$2" 0 "$3" "$4" 0 0 "$5" "$6" 0 0 0 0)
	[ -n "$7" ] && s="$s$7$(le II "$8" 0)"
	printf %s "$s"
}
# call CALL REQ_HEX [WINDOW_EXTRA]: one protocol-1 call, the window = request at W, nonce at W+0x2000.
call() {
	local win
	win=$(python3 -c "
import sys
w = bytearray(0x4000)
r = bytes.fromhex(sys.argv[1]); w[0:len(r)] = r
n = bytes.fromhex(sys.argv[2]); w[0x2000:0x2040] = n
print(w.hex())" "$2" "$nonce")
	"$KEEL_BIN/keel-svsm-call" --state "$state" 1 "$1" --rcx "$W" --window "$W:$win"
}
good=$(req 0x201000 4096 0x202000 64 0x203000 4096)
call 0 "$good" >"$TMP/services.out" 2>&1
sed 's/^/# /' "$TMP/services.out" | cut -c1-160
python3 - "$TMP/services.out" "$TMP" "$nonce" <<'PY' >"$TMP/services.check"
import sys, hashlib
out, tmp, nonce = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
ret = [l for l in open(out) if l.startswith("svsm-ret")][0].split()
kv = dict(x.split("=", 1) for x in ret[1:])
w = bytes.fromhex(kv["buf"])
mlen, rlen = int(kv["rcx"], 16), int(kv["r8"], 16)
print("rax", kv["rax"]); print("rdx", kv["rdx"]); print("mlen", mlen); print("rlen", rlen)
m = w[0x3000:0x3000 + mlen]
rep = w[0x1000:0x1000 + rlen]
open(tmp + "/manifest.bin", "wb").write(m)
open(tmp + "/report.bin", "wb").write(rep)
print("mguid", m[:16].hex()); print("msize", int.from_bytes(m[16:20], "little"))
print("count", int.from_bytes(m[20:24], "little")); print("eguid", m[24:40].hex())
off, size = int.from_bytes(m[40:44], "little"), int.from_bytes(m[44:48], "little")
print("eoff", off); print("esize", size)
open(tmp + "/ekpub.bin", "wb").write(m[off:off + size])
print("binding", "ok" if rep[0x50:0x90] == hashlib.sha512(nonce + m).digest() else "BAD")
print("after", "clean" if w[0x3000 + mlen:0x4000] == bytes(0x1000 - mlen) else "dirty")
print("nonce", "kept" if w[0x2000:0x2040] == nonce else "changed")
PY
v() { sed -n "s/^$1 //p" "$TMP/services.check"; }
check "SERVICES: SVSM_SUCCESS ($(v rax))" [ "$(v rax)" = 0x0 ]
check "SERVICES: RDX (certificates) 0" [ "$(v rdx)" = 0x0 ]
check "SERVICES: R8 = 1184, the report size ($(v rlen))" [ "$(v rlen)" = 1184 ]
check "SERVICES: manifest GUID 63849ebb-3d92-4670-a1ff-58f9c94b87bb" [ "$(v mguid)" = bb9e8463923d7046a1ff58f9c94b87bb ]
check "SERVICES: manifest size = RCX ($(v mlen))" [ "$(v msize)" = "$(v mlen)" ]
check "SERVICES: one service, the vTPM c476f1eb-0123-45a5-9641-b4e7dde5bfe3" \
	[ "$(v count)" = 1 -a "$(v eguid)" = $vtpm_guid ]
check "SERVICES: vTPM data at 48, 314 bytes (RSA-2048 TPMT_PUBLIC)" [ "$(v eoff)" = 48 -a "$(v esize)" = 314 ]
check "SERVICES: nothing written past the manifest; the nonce not written" \
	[ "$(v after)" = clean -a "$(v nonce)" = kept ]
check "SERVICES: REPORT_DATA = SHA-512(nonce || manifest)" [ "$(v binding)" = ok ]
head -c $((0x2a0)) "$TMP/report.bin" >"$TMP/signed.bin"
report_sig_der "$TMP/report.bin" "$TMP/sig.der"
check "SERVICES: the report's signature verifies with the emulated VCEK" \
	quiet openssl dgst -sha384 -verify "$EMU_DIR/vcek.pub.pem" -signature "$TMP/sig.der" "$TMP/signed.bin"
check "SERVICES: the report's measurement is the launch digest" \
	[ "$(report_hex_at "$TMP/report.bin" $((0x90)) 48)" = "$digest" ]
# The EK TPMT_PUBLIC's unique (last 256 bytes) = the modulus of the vtpm's EK certificate.
ek_n=$(xxd -p -s 58 -l 256 "$TMP/ekpub.bin" | tr -d '\n')
cert_n=$(openssl x509 -inform DER -in "$state/ek-rsa.der" -noout -modulus 2>/dev/null | sed 's/Modulus=//' | tr A-F a-f)
check "SERVICES: the EK's TPMT_PUBLIC: type RSA, nameAlg SHA-256" \
	[ "$(xxd -p -l 4 "$TMP/ekpub.bin")" = 0001000b ]
check "SERVICES: its modulus is the EK certificate's" [ -n "$cert_n" -a "$ek_n" = "$cert_n" ]

single=$(req 0x201000 4096 0x202000 64 0x203000 4096 $vtpm_guid 0)
call 1 "$single" >"$TMP/single.out" 2>&1
sret=$(grep svsm-ret "$TMP/single.out")
check "SINGLE_SERVICE(vTPM): SVSM_SUCCESS, RCX 314, R8 1184" \
	bash -c "grep -q 'rax=0x0 rcx=0x13a rdx=0x0 r8=0x4a0' <<<'$sret'"
sbuf=$(sed -n 's/.*buf=//p' <<<"$sret")
check "SINGLE_SERVICE(vTPM): the manifest is the EK's TPMT_PUBLIC alone" \
	[ "${sbuf:$((0x3000 * 2)):628}" = "$(xxd -p "$TMP/ekpub.bin" | tr -d '\n')" ]

# refusals: rax (and the sizes needed)
r() { call "$1" "$2" 2>&1 | sed -n 's/^svsm-ret \(rax=[^ ]* rcx=[^ ]* rdx=[^ ]* r8=[^ ]*\).*/\1/p'; }
got=$(r 0 "$(req 0x201000 4096 0x202000 64 0x203000 100)")
check "manifest buffer too small: INVALID_PARAMETER, RCX = size needed ($got)" \
	[ "$got" = "rax=0x80000005 rcx=0x16a rdx=0x0 r8=0x4a0" ]
got=$(r 0 "$(req 0x201000 1000 0x202000 64 0x203000 4096)")
check "report buffer too small: INVALID_PARAMETER, R8 = 1184 ($got)" \
	[ "$got" = "rax=0x80000005 rcx=0x16a rdx=0x0 r8=0x4a0" ]
got=$(r 0 "$(req 0x209000 4096 0x202000 64 0x203000 4096)")
check "report buffer outside guest memory: INVALID_ADDRESS ($got)" [ "${got%% *}" = rax=0x80000003 ]
got=$(r 0 "$(req 0x201000 4096 0x202000 32 0x203000 4096)")
check "nonce of 32 bytes: INVALID_PARAMETER ($got)" [ "${got%% *}" = rax=0x80000005 ]
got=$(r 0 "$(req 0x201000 4096 0x201800 64 0x203000 4096)")
check "nonce inside the report buffer: INVALID_PARAMETER ($got)" [ "${got%% *}" = rax=0x80000005 ]
got=$(r 1 "$(req 0x201000 4096 0x202000 64 0x203000 4096 00112233445566778899aabbccddeeff 0)")
check "SINGLE_SERVICE of an unknown GUID: UNSUPPORTED_PROTOCOL ($got)" [ "${got%% *}" = rax=0x80000001 ]
got=$(r 1 "$(req 0x201000 4096 0x202000 64 0x203000 4096 $vtpm_guid 1)")
check "manifest version 1: INVALID_PARAMETER ($got)" [ "${got%% *}" = rax=0x80000005 ]
got=$(r 2 "$good")
check "call 2: UNSUPPORTED_CALL ($got)" [ "${got%% *}" = rax=0x80000002 ]
kill $kh 2>/dev/null
wait $kh 2>/dev/null
grep -i "attest-bridge" "$TMP/run.log" | head -5 | sed 's/^/# /'
plan
