"""Test client of Keel's key broker (docs/kbs.md), the TEE side played in
Python: makes the P-256 TEE key, builds and signs SNP reports with a test
VCEK key, decrypts the JWE, checks the broker's identity signature and pin,
and sends acks. Used by tests/hosted/kbs-*.sh and the bench. Over HTTPS
when given a CA file (Broker(ca=...); the scripts pass $KBS_TLS_CA)."""
import base64
import hashlib
import hmac
import http.client
import json
import socket
import ssl
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap

REPORT_LEN = 1184


def b64(b):
    return base64.b64encode(b).decode()


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class Tee:
    """The TEE's ephemeral P-256 key and its JWK."""

    def __init__(self):
        self.priv = ec.generate_private_key(ec.SECP256R1())
        n = self.priv.public_key().public_numbers()
        self.x = b64url(n.x.to_bytes(32, "big"))
        self.y = b64url(n.y.to_bytes(32, "big"))

    def jwk(self):
        return {"kty": "EC", "crv": "P-256", "alg": "ECDH-ES+A256KW", "x": self.x, "y": self.y}

    def report_data(self, nonce):
        jcs = ('{"additional-evidence":"","nonce":"%s","tee-pubkey":{"alg":"ECDH-ES+A256KW",'
               '"crv":"P-256","kty":"EC","x":"%s","y":"%s"}}' % (nonce, self.x, self.y))
        return hashlib.sha384(jcs.encode()).digest() + bytes(16)


def make_report(report_data, measurement, vcek_key, policy=0x30000, vmpl=0, version=2,
                chip_id=bytes.fromhex("ab" * 64)):
    r = bytearray(REPORT_LEN)
    struct.pack_into("<I", r, 0x00, version)
    struct.pack_into("<Q", r, 0x08, policy)
    struct.pack_into("<I", r, 0x30, vmpl)
    struct.pack_into("<I", r, 0x34, 1)
    r[0x50:0x90] = report_data
    r[0x90:0xC0] = measurement
    r[0x1A0:0x1E0] = chip_id
    sig = vcek_key.sign(bytes(r[:0x2A0]), ec.ECDSA(hashes.SHA384()))
    rr, ss = decode_dss_signature(sig)
    r[0x2A0:0x2A0 + 72] = rr.to_bytes(72, "little")
    r[0x2A0 + 72:0x2A0 + 144] = ss.to_bytes(72, "little")
    return bytes(r)


def load_key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


class Broker:
    def __init__(self, port, host="127.0.0.1", ca=None):
        """ca: the PEM file of the broker's TLS CA (HTTPS; the certificate
        must name host), or None for plain HTTP."""
        self.host, self.port = host, port
        self.tls = ssl.create_default_context(cafile=ca) if ca else None

    def connect(self, timeout=5):
        """A raw connection (TLS-wrapped over HTTPS) for hand-made requests."""
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        return self.tls.wrap_socket(s, server_hostname=self.host) if self.tls else s

    def request(self, method, path, body=None, cookie=None, raw=None):
        if self.tls:
            c = http.client.HTTPSConnection(self.host, self.port, timeout=20, context=self.tls)
        else:
            c = http.client.HTTPConnection(self.host, self.port, timeout=20)
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = "kbs-session-id=" + cookie
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        c.request(method, path, body=data, headers=headers)
        resp = c.getresponse()
        text = resp.read().decode()
        cookie_out = None
        sc = resp.getheader("Set-Cookie")
        if sc and sc.startswith("kbs-session-id="):
            cookie_out = sc.split(";")[0].split("=", 1)[1]
        c.close()
        try:
            j = json.loads(text)
        except ValueError:
            j = None
        return resp.status, j, cookie_out

    def auth(self, vm):
        st, j, cookie = self.request("POST", "/kbs/v0/auth",
                                     {"version": "0.4.0", "tee": "snp", "extra-params": {"keel-vm": vm}})
        if st != 200:
            raise RuntimeError("auth %d %s" % (st, j))
        return j["nonce"], cookie

    def attest(self, cookie, nonce, tee, report, vcek_der=None):
        chain = [{"cert_type": "VCEK", "data": b64(vcek_der)}] if vcek_der else None
        body = {"runtime-data": {"nonce": nonce, "tee-pubkey": tee.jwk()},
                "tee-evidence": {"primary_evidence": {"attestation_report": b64(report), "cert_chain": chain},
                                 "additional_evidence": ""}}
        return self.request("POST", "/kbs/v0/attest", body, cookie)

    def resource(self, cookie, path):
        return self.request("GET", "/kbs/v0/resource/" + path, None, cookie)

    def ack(self, cookie, vm, boot, generation, ack_key):
        mac = hmac.new(ack_key, b"keel-ack" + struct.pack(">QQ", boot, generation), hashlib.sha256).digest()
        return self.request("POST", "/kbs/v0/keel/ack",
                            {"vm": vm, "boot": boot, "generation": generation, "mac": b64(mac)}, cookie)


def check_identity(resp, nonce, pin):
    """The bridge's check: pin of keel-kbs-key, then the signature over protected.nonce."""
    spki = base64.b64decode(resp["keel-kbs-key"], validate=True)
    if hashlib.sha256(spki).hexdigest() != pin:
        raise ValueError("broker key does not match the pin")
    pub = serialization.load_der_public_key(spki)
    msg = (resp["protected"] + "." + nonce).encode()
    pub.verify(base64.b64decode(resp["keel-kbs-sig"], validate=True), msg, ec.ECDSA(hashes.SHA384()))


def decrypt(resp, tee):
    """ECDH-ES+A256KW / A256GCM, as docs/kbs.md step 5 spells it."""
    hdr = json.loads(unb64url(resp["protected"]))
    if hdr["alg"] != "ECDH-ES+A256KW" or hdr["enc"] != "A256GCM":
        raise ValueError("unexpected JWE header %r" % hdr)
    epk = hdr["epk"]
    peer = ec.EllipticCurvePublicNumbers(int.from_bytes(unb64url(epk["x"]), "big"),
                                         int.from_bytes(unb64url(epk["y"]), "big"),
                                         ec.SECP256R1()).public_key()
    z = tee.priv.exchange(ec.ECDH(), peer)
    alg = b"ECDH-ES+A256KW"
    kek = hashlib.sha256(struct.pack(">I", 1) + z + struct.pack(">I", len(alg)) + alg +
                         struct.pack(">III", 0, 0, 256)).digest()
    cek = aes_key_unwrap(kek, unb64url(resp["encrypted_key"]))
    ct = unb64url(resp["ciphertext"]) + unb64url(resp["tag"])
    return AESGCM(cek).decrypt(unb64url(resp["iv"]), ct, resp["protected"].encode())
