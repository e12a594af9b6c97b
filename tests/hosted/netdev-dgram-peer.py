#!/usr/bin/env python3
"""The other end of hosted netdev's unix datagrams, for tests/hosted/netdev-hosted.sh.

  netdev-dgram-peer.py SOCKET READY
Binds SOCKET (SOCK_DGRAM), writes READY, then answers netdev: its empty
hello is remembered as the address to send to; each frame is sent back
after a 13-byte runt and a 1515-byte datagram (netdev must drop both and
count them as "bad in"). On SIGTERM prints "peer: N frames echoed" and
exits 0.
"""
import os
import signal
import socket
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, ready = argv[1], argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0.2)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())
    peer, echoed = None, 0
    while not stop:
        try:
            frame, addr = s.recvfrom(65536)
        except (socket.timeout, InterruptedError):
            continue
        if addr:
            peer = addr
        if not frame or peer is None:
            continue
        for d in (b"\x01" * 13, b"\x02" * 1515, frame):
            s.sendto(d, peer)
        echoed += 1
    print("peer: %d frames echoed" % echoed, flush=True)
    s.close()
    os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
