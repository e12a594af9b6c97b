#!/usr/bin/env python3
"""A hostile relay between attest-bridge and the real broker (loopback):
forwards HTTP/1.1 requests one by one, and in --mode record saves the
broker's answers to /auth and /resource in --store; in --mode replay-auth
it answers /auth with the recorded (old) challenge and cookie instead of
asking the broker; in --mode replay-resource it answers GET /resource
with the recorded (old, validly signed) response. Exits after --max-conns
connections or 60 s without one."""
import argparse, os, socket

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--upstream", type=int, required=True)
ap.add_argument("--mode", required=True)
ap.add_argument("--store", required=True)
ap.add_argument("--max-conns", type=int, default=4)
a = ap.parse_args()

def read_msg(sock, buf):
    """One HTTP message (Content-Length bodies only: the broker and the bridge use them)."""
    while b"\r\n\r\n" not in buf:
        d = sock.recv(65536)
        if not d:
            return None, b""
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    clen = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            clen = int(v)
    while len(rest) < clen:
        d = sock.recv(65536)
        if not d:
            return None, b""
        rest += d
    return head + b"\r\n\r\n" + rest[:clen], rest[clen:]

def kind(req):
    line = req.split(b"\r\n", 1)[0]
    if b" /kbs/v0/auth " in line:
        return "auth"
    if b" /kbs/v0/resource/" in line:
        return "resource"
    return "other"

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", a.port))
s.listen(4)
s.settimeout(60)
print("ready", flush=True)
for _ in range(a.max_conns):
    try:
        c, _ = s.accept()
    except socket.timeout:
        break
    up = socket.create_connection(("127.0.0.1", a.upstream))
    cbuf = ubuf = b""
    try:
        while True:
            req, cbuf = read_msg(c, cbuf)
            if req is None:
                break
            k = kind(req)
            saved = os.path.join(a.store, k)
            if a.mode == "replay-" + k and os.path.exists(saved):
                c.sendall(open(saved, "rb").read())
                continue
            up.sendall(req)
            rsp, ubuf = read_msg(up, ubuf)
            if rsp is None:
                break
            if a.mode == "record" and k != "other":
                open(saved, "wb").write(rsp)
            c.sendall(rsp)
    except OSError:
        pass
    c.close()
    up.close()
