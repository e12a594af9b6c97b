#!/usr/bin/env python3
"""kbs_tls_checks.py PORT CA_PEM: TAP checks of a broker serving HTTPS
(docs/kbs.md "HTTPS") that only a raw socket can make: keep-alive over one
TLS connection, plain HTTP and garbage to the HTTPS port, handshakes that
stall (a second client must still be served; the broker must end them at
its 10 s deadline), a TLS connection that stalls mid-request or idles (MHD's
10 s timeout must still apply through the relay), many clients at once."""
import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time

n = 0
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
AUTH = json.dumps({"version": "0.4.0", "tee": "snp", "extra-params": {"keel-vm": "tls"}})


def ok(cond, desc, extra=None):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond and extra is not None:
        print("# %s" % (extra,))
    sys.stdout.flush()
    return cond


def auth(conn=None):
    """POST /auth on conn (or a new connection); returns (status, body)."""
    c = conn or http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    try:
        c.request("POST", "/kbs/v0/auth", body=AUTH, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        return r.status, r.read()
    except (OSError, http.client.HTTPException) as e:
        return None, repr(e)
    finally:
        if conn is None:
            c.close()


def serves(desc):
    st, body = auth()
    ok(st == 200 and b'"nonce"' in body, desc, (st, body))


def closed_by_peer(s, limit):
    """Seconds until the peer closes s (EOF or reset), or None within limit."""
    t0 = time.monotonic()
    s.settimeout(limit)
    try:
        while True:
            if not s.recv(4096):
                break
    except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
        pass
    except (socket.timeout, TimeoutError):
        return None
    return time.monotonic() - t0


def raw(data=b""):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if data:
        s.sendall(data)
    return s


def keep_alive():
    c = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    results, socks = [], []
    for _ in range(3):
        results.append(auth(c)[0])
        socks.append(id(c.sock))
    c.close()
    ok(results == [200] * 3 and len(set(socks)) == 1, "keep-alive: three requests on one TLS connection",
       (results, socks))


def not_tls():
    s = raw(b"POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
    got = b""
    try:
        s.settimeout(5)
        while True:
            b = s.recv(4096)
            if not b:
                break
            got += b
    except OSError:
        pass
    s.close()
    ok(not got.startswith(b"HTTP/"), "plain HTTP to the HTTPS port gets no HTTP answer", got[:80])
    serves("still serving after plain HTTP")
    s = raw(os.urandom(65536).replace(b"\x16", b"\x17"))
    ok(closed_by_peer(s, 5) is not None, "64 KiB of garbage: connection closed")
    s.close()
    # A TLS record header that promises a handshake, then garbage.
    s = raw(b"\x16\x03\x01\x02\x00" + os.urandom(512))
    ok(closed_by_peer(s, 5) is not None, "garbage inside a handshake record: connection closed")
    s.close()
    s = raw(b"\x16\x03\x01\x02\x00\x01")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()  # reset mid-handshake
    serves("still serving after garbage and a reset mid-handshake")


def stalls():
    """Stalled handshakes, a stalled request and an idle connection, all
    open at once; clients meanwhile are served; each stall is ended by the
    broker within its deadline (10 s, plus slack)."""
    hs = [raw(b"\x16\x03\x01\x02\x00\x01\x00") for _ in range(6)] + [raw() for _ in range(6)]
    mid = ctx.wrap_socket(raw(), server_hostname="127.0.0.1")
    mid.sendall(b"POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"version\":")
    idle = ctx.wrap_socket(raw(), server_hostname="127.0.0.1")
    t0 = time.monotonic()
    st, body = auth()
    dt = time.monotonic() - t0
    ok(st == 200 and dt < 3, "12 stalled handshakes open: another client served (%.2f s)" % dt, (st, body))
    ends = {}

    def watch(name, s):
        ends[name] = closed_by_peer(s, 16)

    ts = [threading.Thread(target=watch, args=("hs%d" % i, s)) for i, s in enumerate(hs)]
    ts += [threading.Thread(target=watch, args=("mid", mid)), threading.Thread(target=watch, args=("idle", idle))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    late = sorted(k for k, v in ends.items() if k.startswith("hs") and v is None)
    ok(not late, "stalled handshakes ended by the broker's deadline", late)
    ok(ends["mid"] is not None, "a request stalled inside TLS ends at the HTTP timeout", ends.get("mid"))
    ok(ends["idle"] is not None, "an idle TLS connection ends at the HTTP timeout", ends.get("idle"))
    for s in hs + [mid, idle]:
        s.close()
    serves("still serving after the stalls")


def many():
    res = [None] * 32

    def one(i):
        res[i] = auth()[0]

    ts = [threading.Thread(target=one, args=(i,)) for i in range(len(res))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    ok(res.count(200) == len(res), "32 clients at once over TLS: all served", res)


def big_request():
    # A 15 KiB body (several TLS records, under the 16 KiB limit): answered.
    c = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    c.request("POST", "/kbs/v0/auth", body='{"pad":"' + "a" * 15000 + '"}')
    r = c.getresponse()
    j = json.loads(r.read())
    c.close()
    ok(r.status == 400 and "version" in j.get("detail", ""), "a 15 KiB body over TLS reaches the handler", (r.status, j))


keep_alive()
not_tls()
big_request()
many()
stalls()
print("1..%d" % n)
