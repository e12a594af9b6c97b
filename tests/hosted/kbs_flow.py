#!/usr/bin/env python3
"""kbs_flow.py MODE PORT CHAIN_A CHAIN_B PIN MEAS_HEX STATE_KEY_FILE: TAP
scenarios against a running broker (docs/kbs.md). CHAIN_A is the broker's
--snp-chain, CHAIN_B its --emulated-chain. MODE "main": the broker runs
without --allow-emulated and --boot-window 2; MODE "emulated": with it.
With KBS_TLS_CA set (a CA PEM file) the broker is spoken to over HTTPS."""
import base64
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kbs_client import Broker, Tee, check_identity, decrypt, load_key, make_report  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

n = 0


def ok(cond, desc, extra=None):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond and extra is not None:
        print("# %s" % (extra,))
    sys.stdout.flush()
    return cond


mode, port = sys.argv[1], int(sys.argv[2])
chain_a, chain_b, pin, meas_hex, state_key_file = sys.argv[3:8]
meas = bytes.fromhex(meas_hex)
with open(state_key_file, "rb") as f:
    state_key = f.read()
vcek_a = load_key(chain_a + "/vcek.key")
vcek_b = load_key(chain_b + "/vcek.key")
with open(chain_a + "/vcek.der", "rb") as f:
    vcek_a_der = f.read()
vcek_b_der = None
if os.path.exists(chain_b + "/vcek.der"):
    with open(chain_b + "/vcek.der", "rb") as f:
        vcek_b_der = f.read()
kbs = Broker(port, ca=os.environ.get("KBS_TLS_CA") or None)


def boot(vm, key=vcek_a, der=vcek_a_der, m=meas, **kw):
    """auth + attest; returns (status, body, cookie, nonce, tee)."""
    nonce, cookie = kbs.auth(vm)
    tee = Tee()
    st, j, _ = kbs.attest(cookie, nonce, tee, make_report(tee.report_data(nonce), m, key, **kw), der)
    return st, j, cookie, nonce, tee


def fetch(vm, cookie, nonce, tee):
    st, j, _ = kbs.resource(cookie, "keel/state-key/" + vm)
    if st != 200:
        return st, None
    check_identity(j, nonce, pin)
    return st, json.loads(decrypt(j, tee))


def detail(j):
    return (j or {}).get("detail", "")


def refused(st, j, code, word, desc):
    ok(st == code and word in detail(j) and
       (j or {}).get("type", "").startswith("https://github.com/confidential-containers/kbs/errors/"),
       desc, (st, j))


def main_mode():
    # Happy path: key, boot 1, min-generation 0, identity verified.
    st, j, cookie, nonce, tee = boot("vm1")
    ok(st == 200 and "token" in j, "attest: verified report accepted", (st, j))
    st, pt = fetch("vm1", cookie, nonce, tee)
    ok(st == 200, "resource: 200", st)
    ok(pt and base64.b64decode(pt["key"]) == state_key, "JWE decrypts to the registered state key")
    ok(pt and pt["boot"] == 1 and pt["min-generation"] == 0, "plaintext: boot 1, min-generation 0", pt)
    ack_key = base64.b64decode(pt["ack-key"]) if pt else b""
    ok(len(ack_key) == 32, "plaintext: 32-byte ack-key")
    # The client-side checks can fail: a wrong pin and a broken signature.
    _, raw, _ = kbs.resource(cookie, "keel/state-key/vm1")
    try:
        check_identity(raw, nonce, "0" * 64)
        ok(False, "identity: a wrong pin is caught")
    except ValueError:
        ok(True, "identity: a wrong pin is caught")
    try:
        check_identity(raw, nonce + "x", pin)
        ok(False, "identity: signature over another nonce is caught")
    except Exception:
        ok(True, "identity: signature over another nonce is caught")
    st, j, _ = kbs.resource(cookie, "keel/state-key/vm2")
    refused(st, j, 401, "asked for", "resource of another VM: 401")
    n2, c2 = kbs.auth("vm1")
    st, j, _ = kbs.resource(c2, "keel/state-key/vm1")
    refused(st, j, 401, "not attested", "resource from an unattested session: 401")
    # Same session again: already attested.
    st, j, _ = kbs.attest(cookie, nonce, tee, make_report(tee.report_data(nonce), meas, vcek_a), vcek_a_der)
    refused(st, j, 401, "already attested", "second attest on one session: 401")
    # Within the boot window, boot 1 unacknowledged: refused.
    st, j, *_ = boot("vm1")
    refused(st, j, 409, "unacknowledged", "boot while the previous is unacknowledged (window): 409")
    # Acks.
    st, j, _ = kbs.ack(cookie, "vm1", 1, 5, bytes(32))
    refused(st, j, 401, "bad MAC", "ack with a bad MAC: 401")
    st, j, _ = kbs.ack(cookie, "vm1", 1, 5, ack_key)
    ok(st == 200 and j.get("min-generation") == 5, "ack generation 5: 200, min-generation 5", (st, j))
    st, j, _ = kbs.ack(cookie, "vm1", 1, 5, ack_key)
    refused(st, j, 409, "not the current", "second ack of the same boot: 409")
    # Next boot: VCEK from the broker's chain directory (no cert_chain).
    nonce, cookie = kbs.auth("vm1")
    tee = Tee()
    st, j, _ = kbs.attest(cookie, nonce, tee, make_report(tee.report_data(nonce), meas, vcek_a), None)
    ok(st == 200, "attest with the configured VCEK (no cert_chain)", (st, j))
    st, pt = fetch("vm1", cookie, nonce, tee)
    ok(pt and pt["boot"] == 2 and pt["min-generation"] == 5, "boot 2 carries min-generation 5", pt)
    st, j, _ = kbs.ack(cookie, "vm1", 2, 3, base64.b64decode(pt["ack-key"]))
    ok(st == 200 and j.get("min-generation") == 5, "ack of an older generation keeps the max (5)", (st, j))
    # Evidence failures (vm1 is acknowledged: only the evidence decides).
    st, j, *_ = boot("vm1", m=bytes(48))
    refused(st, j, 401, "measurement", "wrong measurement: 401")
    nonce, cookie = kbs.auth("vm1")
    tee = Tee()
    rep = bytearray(make_report(tee.report_data(nonce), meas, vcek_a))
    rep[0x04] ^= 1
    st, j, _ = kbs.attest(cookie, nonce, tee, bytes(rep), vcek_a_der)
    refused(st, j, 401, "signature", "tampered report: 401")
    # The failed session's challenge is burnt: a good report on it is refused.
    st, j, _ = kbs.attest(cookie, nonce, tee, make_report(tee.report_data(nonce), meas, vcek_a), vcek_a_der)
    refused(st, j, 401, "replay", "replayed challenge (after a failure): 401")
    st, j, *_ = boot("vm1", key=ec.generate_private_key(ec.SECP384R1()))
    refused(st, j, 401, "signature", "report signed by an untrusted key: 401")
    st, j, *_ = boot("vm1", key=vcek_b, der=vcek_b_der)
    refused(st, j, 401, "EMULATED", "emulated report refused without --allow-emulated: 401")
    st, j, *_ = boot("vm1", chip_id=bytes(64))
    refused(st, j, 401, "chip_id", "VCEK hwID differs from chip_id: 401")
    st, j, *_ = boot("vm1", policy=0x30000 | (1 << 19))
    refused(st, j, 401, "debug", "debug policy refused: 401")
    st, j, *_ = boot("vm1", vmpl=1)
    refused(st, j, 401, "VMPL", "VMPL 1 refused: 401")
    nonce, cookie = kbs.auth("vm1")
    tee, other = Tee(), Tee()
    st, j, _ = kbs.attest(cookie, nonce, tee, make_report(other.report_data(nonce), meas, vcek_a), vcek_a_der)
    refused(st, j, 401, "report_data", "report_data bound to another tee-pubkey: 401")
    # Replay of whole evidence into a new session: its nonce is not the challenge.
    n3, c3 = kbs.auth("vm1")
    st, j, _ = kbs.attest(c3, nonce, tee, make_report(tee.report_data(nonce), meas, vcek_a), vcek_a_der)
    refused(st, j, 401, "nonce", "replayed evidence in a new session: 401")
    st, j, *_ = boot("nosuchvm")
    refused(st, j, 401, "not registered", "unknown VM: 401")
    clone_race()
    malformed()


def clone_race():
    sessions = []
    for _ in range(2):
        nonce, cookie = kbs.auth("racer")
        tee = Tee()
        sessions.append((cookie, nonce, tee, make_report(tee.report_data(nonce), meas, vcek_a)))
    results = [None, None]
    go = threading.Barrier(2)

    def run(i):
        cookie, nonce, tee, rep = sessions[i]
        go.wait()
        results[i] = kbs.attest(cookie, nonce, tee, rep, vcek_a_der)[0]

    ts = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    ok(sorted(results) == [200, 409], "clone race: exactly one of two concurrent attestations wins", results)
    win = results.index(200)
    st, pt = fetch("racer", sessions[win][0], sessions[win][1], sessions[win][2])
    ok(pt and pt["boot"] == 1, "clone race: the winner got boot 1", pt)
    st, j, _ = kbs.resource(sessions[1 - win][0], "keel/state-key/racer")
    ok(st == 401, "clone race: the loser gets no key", st)


def raw_truncated():
    """Content-Length promises more than is sent, then the socket closes."""
    s = kbs.connect()
    s.sendall(b"POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"version\":")
    s.close()


def malformed():
    auth = "/kbs/v0/auth"
    st, j, _ = kbs.request("POST", auth, raw=b"{not json")
    refused(st, j, 400, "malformed", "auth: malformed JSON: 400")
    st, j, _ = kbs.request("POST", auth, raw=b'{"version":"0.4.0","tee":"snp","extra-params":{"keel-vm":"a"')
    refused(st, j, 400, "malformed", "auth: truncated JSON: 400")
    st, j, _ = kbs.request("POST", auth, raw=b"")
    refused(st, j, 400, "malformed", "auth: empty body: 400")
    st, j, _ = kbs.request("POST", auth, {"version": "0.1.0", "tee": "snp", "extra-params": {"keel-vm": "vm1"}})
    refused(st, j, 400, "version", "auth: wrong protocol version: 400")
    st, j, _ = kbs.request("POST", auth, {"version": "0.4.0", "tee": "snp", "extra-params": {"keel-vm": "../x"}})
    refused(st, j, 400, "VM name", "auth: bad VM name: 400")
    st, j, _ = kbs.request("POST", auth, raw=b'{"pad":"' + b"a" * 20000 + b'"}')
    refused(st, j, 413, "body over", "oversized body: 413")
    nonce, cookie = kbs.auth("vm1")
    st, j, _ = kbs.request("POST", "/kbs/v0/attest", {"runtime-data": {"nonce": nonce, "tee-pubkey": 5}}, cookie)
    refused(st, j, 400, "tee-pubkey", "attest: wrong member type: 400")
    tee = Tee()
    body = {"runtime-data": {"nonce": nonce, "tee-pubkey": tee.jwk()},
            "tee-evidence": {"primary_evidence": {"attestation_report": "AAAA"}, "additional_evidence": ""}}
    st, j, _ = kbs.request("POST", "/kbs/v0/attest", body, cookie)
    refused(st, j, 400, "1184", "attest: short report: 400")
    bad = tee.jwk()
    bad["y"] = bad["x"]
    body["runtime-data"]["tee-pubkey"] = bad
    body["tee-evidence"]["primary_evidence"]["attestation_report"] = base64.b64encode(bytes(1184)).decode()
    st, j, _ = kbs.request("POST", "/kbs/v0/attest", body, cookie)
    refused(st, j, 401, "P-256", "attest: off-curve tee-pubkey: 401")
    st, j, _ = kbs.request("POST", "/kbs/v0/attest", body)
    refused(st, j, 401, "cookie", "attest without a cookie: 401")
    st, j, _ = kbs.request("POST", "/kbs/v0/keel/ack", raw=b'{"vm":1}', cookie=cookie)
    refused(st, j, 400, "vm", "ack: malformed: 400")
    st, j, _ = kbs.request("GET", auth)
    refused(st, j, 405, "GET", "GET /auth: 405")
    st, j, _ = kbs.request("GET", "/nope")
    refused(st, j, 404, "no endpoint", "unknown path: 404")
    raw_truncated()
    st, j, _ = kbs.request("POST", auth, {"version": "0.4.0", "tee": "snp", "extra-params": {"keel-vm": "vm1"}})
    ok(st == 200, "broker still serves after a truncated request", st)


def emulated_mode():
    st, j, cookie, nonce, tee = boot("emu", key=vcek_b, der=vcek_b_der)
    ok(st == 200, "emulated report accepted with --allow-emulated", (st, j))
    st, pt = fetch("emu", cookie, nonce, tee)
    ok(pt and pt["boot"] == 1, "emulated: state key, boot 1", pt)


def marked_mode():
    st, j, *_ = boot("emu", key=vcek_b, der=vcek_b_der)
    refused(st, j, 401, "EMULATED", "marked emulated VCEK under --snp-chain: refused")
    # This broker runs with --session-ttl 3.
    nonce, cookie = kbs.auth("emu")
    time.sleep(4.2)
    tee = Tee()
    st, j, _ = kbs.attest(cookie, nonce, tee, make_report(tee.report_data(nonce), meas, vcek_b), vcek_b_der)
    refused(st, j, 401, "expired", "attest on an expired session: 401")


def committed_mode():
    """CHAIN_B is Keel's committed emulated chain: a report signed with its
    (public) VCEK key, no cert_chain (the broker's vcek.pem is used)."""
    st, j, cookie, nonce, tee = boot("emu2", key=vcek_b, der=None)
    ok(st == 200, "committed emulated chain: report accepted with --allow-emulated", (st, j))
    st, pt = fetch("emu2", cookie, nonce, tee)
    ok(pt and pt["boot"] == 1, "committed emulated chain: state key, boot 1", pt)


{"committed": committed_mode, "main": main_mode, "emulated": emulated_mode, "marked": marked_mode}[mode]()
print("1..%d" % n)
