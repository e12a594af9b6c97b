#!/usr/bin/env python3
"""A fake key broker for attest-bridge's tests (docs/kbs.md's wire format,
no evidence checks): serves auth/attest/resource/ack correctly, or, per
--mode, one specific misbehaviour, so the bridge's refusals can be tested
without the real broker. Loopback only; exits after --max-conns connections.

  --mode ok          a correct broker
  --mode badsig      signs with its key but over another nonce (replayed sig)
  --mode tamper      flips a ciphertext byte (GCM must refuse)
  --mode garbage     answers auth with bytes that are not HTTP
  --mode truncated   a Content-Length longer than the body, then close
  --mode oversized   a Content-Length over the bridge's limit
  --mode badchunk    a malformed chunked body
  --mode notjson     a 200 whose body is not JSON
  --mode chunked     a correct broker that sends every body chunked
  --mode dropfirst   closes the first connection unanswered after its first
                     request (as a TLS server past its handshake deadline)
  --mode dropattest  closes the connection, unanswered, on the first two
                     attest requests (the bridge's keep-alive reconnect sends
                     the second on a new connection); correct after that
  --mode dropall     closes every connection unanswered after one request
  --mode dropresource  closes the connection unanswered on every resource
                     request (the step a broker counts a boot at)
Every request's method and path is logged on stderr ("request: ...").
Prints the pin of its identity key on stdout at start (one line), then serves.
With --tls-cert FILE --tls-key FILE it serves HTTPS (TLS 1.2+, as kbs does;
every mode then misbehaves inside TLS); a failed handshake uses up a
connection like any other.
"""
import argparse, base64, hashlib, hmac, json, os, socket, ssl, struct, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

b64 = lambda b: base64.b64encode(b).decode()
b64u = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def unb64u(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--mode", default="ok")
ap.add_argument("--identity", required=True, help="PEM file; made if missing")
ap.add_argument("--state-key", required=True, help="32-byte file; made if missing")
ap.add_argument("--boot-file", required=True, help="boot counter + acked generation")
ap.add_argument("--max-conns", type=int, default=8)
ap.add_argument("--tls-cert", help="PEM certificate (chain): serve HTTPS")
ap.add_argument("--tls-key", help="PEM key of --tls-cert")
a = ap.parse_args()

if not os.path.exists(a.identity):
    k = ec.generate_private_key(ec.SECP384R1())
    open(a.identity, "wb").write(k.private_bytes(serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
ident = serialization.load_pem_private_key(open(a.identity, "rb").read(), None)
spki = ident.public_key().public_bytes(serialization.Encoding.DER,
    serialization.PublicFormat.SubjectPublicKeyInfo)
if not os.path.exists(a.state_key):
    open(a.state_key, "wb").write(os.urandom(32))
state_key = open(a.state_key, "rb").read()
print(hashlib.sha256(spki).hexdigest(), flush=True)

def load_boot():
    try:
        b, g = open(a.boot_file).read().split()
        return int(b), int(g)
    except OSError:
        return 0, 0

session = {}

def jwe_for(jwk, plaintext, nonce):
    x, y = int.from_bytes(unb64u(jwk["x"]), "big"), int.from_bytes(unb64u(jwk["y"]), "big")
    tee = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    eph = ec.generate_private_key(ec.SECP256R1())
    z = eph.exchange(ec.ECDH(), tee)
    alg = b"ECDH-ES+A256KW"
    kek = hashlib.sha256(b"\0\0\0\1" + z + struct.pack(">I", len(alg)) + alg +
                         b"\0" * 8 + struct.pack(">I", 256)).digest()
    cek = os.urandom(32)
    en = eph.public_key().public_numbers()
    hdr = json.dumps({"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "epk": {"crv": "P-256",
        "kty": "EC", "x": b64u(en.x.to_bytes(32, "big")), "y": b64u(en.y.to_bytes(32, "big"))}},
        separators=(",", ":"))
    prot = b64u(hdr.encode())
    iv = os.urandom(12)
    ct = AESGCM(cek).encrypt(iv, plaintext, prot.encode())
    ctext, tag = ct[:-16], ct[-16:]
    if a.mode == "tamper":
        ctext = bytes([ctext[0] ^ 1]) + ctext[1:]
    signed = (prot + "." + (nonce if a.mode != "badsig" else b64(os.urandom(32)))).encode()
    sig = ident.sign(signed, ec.ECDSA(hashes.SHA384()))
    return {"protected": prot, "encrypted_key": b64u(aes_key_wrap(kek, cek)), "iv": b64u(iv),
            "ciphertext": b64u(ctext), "tag": b64u(tag), "keel-kbs-key": b64(spki),
            "keel-kbs-sig": b64(sig)}

def handle(method, path, body):
    if path == "/kbs/v0/auth":
        session["nonce"] = b64(os.urandom(32))
        session["vm"] = json.loads(body)["extra-params"]["keel-vm"]
        return 200, {"nonce": session["nonce"], "extra-params": ""}, "kbs-session-id=" + os.urandom(16).hex()
    if path == "/kbs/v0/attest":
        req = json.loads(body)
        session["jwk"] = req["runtime-data"]["tee-pubkey"]
        if req["runtime-data"]["nonce"] != session["nonce"]:
            return 401, {"detail": "bad nonce"}, None
        return 200, {"token": "t"}, None
    if path.startswith("/kbs/v0/resource/keel/state-key/"):
        boot, gen = load_boot()
        session["boot"], session["ack"] = boot + 1, os.urandom(32)
        open(a.boot_file, "w").write("%d %d" % (boot + 1, gen))
        pt = json.dumps({"key": b64(state_key), "boot": boot + 1, "min-generation": gen,
                         "ack-key": b64(session["ack"])}).encode()
        return 200, jwe_for(session["jwk"], pt, session["nonce"]), None
    if path == "/kbs/v0/keel/ack":
        req = json.loads(body)
        mac = hmac.new(session["ack"], b"keel-ack" + struct.pack(">QQ", req["boot"],
                       req["generation"]), hashlib.sha256).digest()
        if b64(mac) != req["mac"] or req["boot"] != session["boot"]:
            return 401, {"detail": "bad mac"}, None
        open(a.boot_file, "w").write("%d %d" % (req["boot"], req["generation"]))
        return 200, {"vm": req["vm"], "boot": req["boot"], "min-generation": req["generation"]}, None
    return 404, {"detail": "no such path"}, None

def respond(c, status, obj, cookie):
    body = json.dumps(obj).encode()
    head = "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n" % status
    if cookie:
        head += "Set-Cookie: %s; Path=/kbs; Max-Age=300; HttpOnly\r\n" % cookie
    if a.mode == "garbage":
        c.sendall(b"\x00\xffnot http at all\r\n\r\n"); return False
    if a.mode == "notjson":
        body = b"<html>nope</html>"
    if a.mode == "truncated":
        c.sendall((head + "Content-Length: %d\r\n\r\n" % (len(body) + 100)).encode() + body)
        return False
    if a.mode == "oversized":
        c.sendall((head + "Content-Length: 99999999\r\n\r\n").encode() + body); return False
    if a.mode == "badchunk":
        c.sendall((head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n").encode() + body); return False
    if a.mode == "chunked":
        mid = len(body) // 2
        c.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode() +
                  b"%x\r\n" % mid + body[:mid] + b"\r\n" + b"%x;ext=1\r\n" % (len(body) - mid) +
                  body[mid:] + b"\r\n0\r\n\r\n")
        return True
    c.sendall((head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body)
    return True

dropped = {"first": False, "attest": 0}
def drop(path):
    """True: close this connection without answering (the drop modes)."""
    if a.mode == "dropall":
        return True
    if a.mode == "dropresource" and path.startswith("/kbs/v0/resource/"):
        return True
    if a.mode == "dropfirst" and not dropped["first"]:
        dropped["first"] = True
        return True
    if a.mode == "dropattest" and path == "/kbs/v0/attest" and dropped["attest"] < 2:
        dropped["attest"] += 1
        return True
    return False

def serve(c):
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            d = c.recv(65536)
            if not d: return
            buf += d
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        method, path, _ = lines[0].split(" ")
        clen = 0
        for l in lines[1:]:
            k, v = l.split(":", 1)
            if k.lower() == "content-length": clen = int(v)
        while len(buf) < clen:
            buf += c.recv(65536)
        body, buf = buf[:clen], buf[clen:]
        print("request: %s %s" % (method, path), file=sys.stderr, flush=True)
        if drop(path): return
        st, obj, cookie = handle(method, path, body)
        if not respond(c, st, obj, cookie): return

tls = None
if a.tls_cert or a.tls_key:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.minimum_version = ssl.TLSVersion.TLSv1_2
    tls.load_cert_chain(a.tls_cert, a.tls_key)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", a.port))
s.listen(4)
s.settimeout(60)
for _ in range(a.max_conns):
    try:
        c, _ = s.accept()
    except socket.timeout:
        break
    c.settimeout(30)
    try:
        if tls:
            c = tls.wrap_socket(c, server_side=True)
        serve(c)
    except (OSError, ValueError, KeyError):
        pass
    c.close()
