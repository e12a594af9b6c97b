#!/usr/bin/env python3
"""The Linux side of tests/hosted/net-lossy.sh, run inside its network namespace.

  echo PORT READY     TCP echo server on 0.0.0.0:PORT (a thread per
                      connection, everything echoed back as it comes) and a
                      bulk echo on PORT + 1 (a 4-byte big-endian length N,
                      then N bytes, sent back once all are in; then the
                      next length); READY written once both
                      listens; on SIGTERM prints "peer: N connections, B bytes
                      echoed" and exits 0.
  ping ADDR COUNT     ICMP echo requests to ADDR (a raw socket: this machine
                      has no ping binary), one a second; prints one line per
                      reply ("peer: reply from ADDR seq S in MS ms") and
                      "peer: ping COUNT sent, R answered"; exit 0 if R > 0.
"""
import os
import select
import signal
import socket
import struct
import sys
import threading
import time


def serve_one(c, addr, n, stop, totals, bulk):
    """Echoes one connection until its FIN (or an error, or the end)."""
    got = 0
    held = b""
    c.settimeout(0.2)
    while not stop:
        try:
            b = c.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            break
        if not b:
            break
        if bulk:
            held += b
            if len(held) < 4 or len(held) < 4 + struct.unpack("!I", held[:4])[0]:
                continue
            size = struct.unpack("!I", held[:4])[0]
            b, held = held[4:4 + size], held[4 + size:]
        try:
            c.settimeout(None)  # a lossy path may keep the send buffer full for seconds
            c.sendall(b)
            c.settimeout(0.2)
        except OSError:
            break
        got += len(b)
    c.close()
    totals.append(got)
    print("peer: connection %d from %s:%d: %d bytes echoed" % (n, addr[0], addr[1], got),
          flush=True)


def echo(port, ready):
    srvs = []
    for p in (port, port + 1):
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("0.0.0.0", p))
        srv.listen(4)
        srvs.append(srv)
    stop, totals, threads = [], [], []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())
    while not stop:
        try:
            r, _, _ = select.select(srvs, [], [], 0.2)
        except InterruptedError:
            continue
        for srv in r:
            c, addr = srv.accept()
            t = threading.Thread(target=serve_one, args=(c, addr, len(threads) + 1, stop, totals,
                                                         srv is srvs[1]))
            threads.append(t)
            t.start()
    for t in threads:
        t.join()
    print("peer: %d connections, %d bytes echoed" % (len(threads), sum(totals)), flush=True)
    return 0


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ping(addr, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident = os.getpid() & 0xFFFF
    answered = 0
    for seq in range(1, count + 1):
        payload = b"keel-lossy-ping-%04d" % seq
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        pkt = struct.pack("!BBHHH", 8, 0, checksum(hdr + payload), ident, seq) + payload
        t0 = time.monotonic()
        s.sendto(pkt, (addr, 0))
        end = t0 + 1.0
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], max(0.0, end - time.monotonic()))
            if not r:
                break
            data, src = s.recvfrom(2048)
            ihl = (data[0] & 15) * 4
            icmp = data[ihl:]
            if src[0] != addr or len(icmp) < 8 or checksum(icmp) != 0:
                continue
            typ, _, _, rid, rseq = struct.unpack("!BBHHH", icmp[:8])
            if typ == 0 and rid == ident and rseq == seq and icmp[8:] == payload:
                answered += 1
                print("peer: reply from %s seq %d in %.1f ms" %
                      (addr, seq, (time.monotonic() - t0) * 1000), flush=True)
                time.sleep(max(0.0, end - time.monotonic()))
                break
    print("peer: ping %d sent, %d answered" % (count, answered), flush=True)
    return 0 if answered else 1


def main(argv):
    if len(argv) == 4 and argv[1] == "echo":
        return echo(int(argv[2]), argv[3])
    if len(argv) == 4 and argv[1] == "ping":
        return ping(argv[2], int(argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
