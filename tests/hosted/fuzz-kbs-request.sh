#!/bin/sh
# Short libFuzzer run of the key broker's request and evidence parsing
# (tests/fuzz/kbs-request/) from seeds written here: an auth, an attest with a
# report and a VCEK, an ack, a bare report. KEEL_FUZZ_RUNS (default 20000).
# A crash, leak or sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_runs=${KEEL_FUZZ_RUNS:-20000}
fuzz_setup kbs-request
# A real DER certificate for the attest seed, so the VCEK parse and hwID/signature paths start reachable.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -subj /CN=VCEK -days 1 \
	-keyout "$work/k.pem" -outform DER -out "$work/corpus/vcek.der" 2>/dev/null
check "seeds written" python3 - "$work/corpus" <<'PY'
import base64, json, os, struct, sys
d = sys.argv[1]
def put(name, sel, body):
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes([sel]) + body)
rep = bytearray(1184)
struct.pack_into("<I", rep, 0, 2)
struct.pack_into("<I", rep, 0x34, 1)
b64 = lambda b: base64.b64encode(b).decode()
x = base64.urlsafe_b64encode(bytes(range(32))).rstrip(b"=").decode()
put("auth", 0, json.dumps({"version": "0.4.0", "tee": "snp", "extra-params": {"keel-vm": "default"}}).encode())
put("attest", 1, json.dumps({"runtime-data": {"nonce": b64(bytes(32)), "tee-pubkey": {
    "kty": "EC", "crv": "P-256", "alg": "ECDH-ES+A256KW", "x": x, "y": x}},
    "tee-evidence": {"primary_evidence": {"attestation_report": b64(rep),
    "cert_chain": [{"cert_type": "VCEK", "data": b64(b"\x30\x82\x01\x00" + bytes(256))}]},
    "additional_evidence": ""}}).encode())
put("ack", 2, json.dumps({"vm": "default", "boot": 1, "generation": 7, "mac": b64(bytes(32))}).encode())
put("report", 3, bytes(rep))
with open(os.path.join(d, "vcek.der"), "rb") as f:
    der = f.read()
os.unlink(os.path.join(d, "vcek.der"))
put("attest-cert", 1, json.dumps({"runtime-data": {"nonce": b64(bytes(32)), "tee-pubkey": {
    "kty": "EC", "crv": "P-256", "alg": "ECDH-ES+A256KW", "x": x, "y": x}},
    "tee-evidence": {"primary_evidence": {"attestation_report": b64(rep),
    "cert_chain": [{"cert_type": "VCEK", "data": b64(der)}]}, "additional_evidence": ""}}).encode())
PY
# At most 25 s even when the runs take longer.
fuzz_run kbs-request -dict=tests/fuzz/kbs-request/kbs.dict -max_len=8192 -max_total_time=25
plan
