#!/usr/bin/env python3
"""A lossy wire between hosted netdev and a TAP device (tests/hosted/net-lossy.sh).

This machine has no tc netem (sch_netem is not built), so this relay is the
impairment (docs/decisions.md D21). It binds a unix datagram socket at
--socket (hosted netdev's KEEL_NET_SOCKET: one datagram = one Ethernet frame,
no FCS; an empty datagram is netdev's hello, telling us its address), opens
TAP device --tap (IFF_TAP | IFF_NO_PI; the test moves it into a network
namespace and gives it an address once --ready exists) and forwards frames
both ways. Each frame, with a PRNG seeded by --seed (the same seed, the same
decisions for the same traffic):
  --loss P       dropped
  --dup P        sent twice
  --reorder P    held back and sent after the next frame the same way (or
                 after --hold-ms when none comes)
  --corrupt P    one byte after the Ethernet header XORed with a non-zero
                 value: IPv4, TCP, UDP and ICMP checksums must drop it
  --delay-ms D --jitter-ms J   delivered D + uniform(0, J) ms later (jitter
                 reorders too)
P is a percentage. --trace FILE: one line per frame and what was done to
it (direction, fate, a TCP/ICMP/ARP summary), for debugging. On SIGTERM / SIGINT it prints the counts per direction
("relay: to-keel ..." / "relay: to-linux ...") and exits 0.
"""
import argparse
import fcntl
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
ETH_HDR = 14
FRAME_MAX = 1514


class Direction:
    """One way through the relay: its impairments, its held frame, its counts."""

    def __init__(self, name, args, rng, out, trace):
        self.name, self.a, self.rng, self.out, self.trace = name, args, rng, out, trace
        self.held = None  # (frame, deadline) of a frame held back to reorder
        self.c = dict.fromkeys(
            ("frames", "lost", "duplicated", "reordered", "corrupted", "delivered", "failed"), 0)

    def chance(self, pct):
        return pct > 0 and self.rng.random() * 100.0 < pct

    def take(self, frame, now, queue):
        """One frame in: decides its fate, queues what is to be delivered."""
        self.c["frames"] += 1
        if self.trace:
            self.trace.write("%.4f %s in %s\n" % (now, self.name, summary(frame)))
        if self.chance(self.a.loss):
            self.c["lost"] += 1
            if self.trace:
                self.trace.write("%.4f %s lost\n" % (now, self.name))
            return
        copies = 2 if self.chance(self.a.dup) else 1
        self.c["duplicated"] += copies - 1
        if self.chance(self.a.corrupt) and len(frame) > ETH_HDR:
            b = bytearray(frame)
            b[self.rng.randrange(ETH_HDR, len(b))] ^= self.rng.randrange(1, 256)
            frame = bytes(b)
            self.c["corrupted"] += 1
            if self.trace:
                self.trace.write("%.4f %s corrupted\n" % (now, self.name))
        held, self.held = self.held, None
        if held is None and self.chance(self.a.reorder):
            self.held = (frame, now + self.a.hold_ms / 1000.0)
            self.c["reordered"] += 1
            if self.trace:
                self.trace.write("%.4f %s held\n" % (now, self.name))
            copies -= 1  # a duplicate of a held frame goes now, the frame itself later
        for _ in range(copies):
            self.schedule(frame, now, queue)
        if held is not None:  # after the frame that overtook it
            self.schedule(held[0], now, queue)

    def flush_held(self, now, queue):
        if self.held is not None and now >= self.held[1]:
            self.schedule(self.held[0], now, queue)
            self.held = None

    def schedule(self, frame, now, queue):
        due = now + (self.a.delay_ms + self.rng.uniform(0, self.a.jitter_ms)) / 1000.0
        heapq.heappush(queue, (due, next(SEQ), self, frame))

    def deliver(self, frame):
        if self.trace:
            self.trace.write("%.4f %s out %s\n" % (time.monotonic(), self.name, summary(frame)))
        try:
            self.out(frame)
            self.c["delivered"] += 1
        except OSError:
            self.c["failed"] += 1

    def report(self):
        return "relay: %s %s" % (self.name, ", ".join("%s %d" % kv for kv in self.c.items()))


def summary(f):
    """A short description of a frame for --trace (it may be corrupt: never trusted)."""
    if len(f) < 14:
        return "runt"
    et = struct.unpack("!H", f[12:14])[0]
    if et == 0x0806:
        return "arp"
    if et != 0x0800 or len(f) < 34:
        return "ethertype %04x" % et
    ihl = (f[14] & 15) * 4
    proto, tot = f[23], struct.unpack("!H", f[16:18])[0]
    src, dst = ".".join(map(str, f[26:30])), ".".join(map(str, f[30:34]))
    p = f[14 + ihl:]
    if proto == 6 and len(p) >= 20:
        sp, dp, seq, ack, off = struct.unpack("!HHIIB", p[:13])
        flags = "".join(c for c, b in zip("FSRPAU", (1, 2, 4, 8, 16, 32)) if p[13] & b)
        n = tot - ihl - (off >> 4) * 4
        return "tcp %s:%d > %s:%d %s seq %d ack %d len %d win %d" % (
            src, sp, dst, dp, flags, seq, ack, n, struct.unpack("!H", p[14:16])[0])
    if proto == 1 and len(p) >= 8:
        return "icmp type %d %s > %s" % (p[0], src, dst)
    return "ip proto %d %s > %s" % (proto, src, dst)


def counter():
    i = 0
    while True:
        i += 1
        yield i


SEQ = counter()


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--socket", required=True)
    p.add_argument("--tap", required=True)
    p.add_argument("--ready", required=True, help="file written once socket and TAP exist")
    p.add_argument("--seed", type=int, default=17)
    for opt in ("loss", "dup", "reorder", "corrupt"):
        p.add_argument("--" + opt, type=float, default=0.0)
    p.add_argument("--delay-ms", type=float, default=0.0)
    p.add_argument("--jitter-ms", type=float, default=0.0)
    p.add_argument("--hold-ms", type=float, default=20.0)
    p.add_argument("--trace")
    a = p.parse_args()
    for v in (a.loss, a.dup, a.reorder, a.corrupt):
        if not 0 <= v <= 100:
            p.error("percentages are 0..100")
    if min(a.delay_ms, a.jitter_ms, a.hold_ms) < 0:
        p.error("times are >= 0")
    return a


def main():
    a = parse()
    rng = random.Random(a.seed)
    try:
        os.unlink(a.socket)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(a.socket)
    sock.setblocking(False)
    tap = open_tap(a.tap)
    keel = [None]  # netdev's (autobound) address, from its hello or first frame

    def to_keel(frame):
        if keel[0] is None:
            raise OSError("no hello from netdev yet")
        sock.sendto(frame, keel[0])

    trace = open(a.trace, "w") if a.trace else None
    dirs = {"keel": Direction("to-keel", a, rng, to_keel, trace),
            "linux": Direction("to-linux", a, rng, lambda f: os.write(tap, f), trace)}
    queue = []
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with open(a.ready, "w") as f:
        f.write("%d\n" % os.getpid())
    bad = 0
    while not stop:
        now = time.monotonic()
        wait = 0.2
        if queue:
            wait = min(wait, max(0.0, queue[0][0] - now))
        for d in dirs.values():
            if d.held is not None:
                wait = min(wait, max(0.0, d.held[1] - now))
        try:
            readable, _, _ = select.select([sock, tap], [], [], wait)
        except InterruptedError:
            continue
        now = time.monotonic()
        if sock in readable:
            while True:
                try:
                    frame, addr = sock.recvfrom(FRAME_MAX + 1)
                except BlockingIOError:
                    break
                if addr:
                    keel[0] = addr
                if not frame:
                    continue  # hello
                if not ETH_HDR <= len(frame) <= FRAME_MAX:
                    bad += 1
                    continue
                dirs["linux"].take(frame, now, queue)
        if tap in readable:
            while True:
                try:
                    frame = os.read(tap, 65536)
                except BlockingIOError:
                    break
                if ETH_HDR <= len(frame) <= FRAME_MAX:
                    dirs["keel"].take(frame, now, queue)
                else:
                    bad += 1
        for d in dirs.values():
            d.flush_held(now, queue)
        while queue and queue[0][0] <= now:
            _, _, d, frame = heapq.heappop(queue)
            d.deliver(frame)
    for d in dirs.values():
        print(d.report(), flush=True)
    print("relay: %d frames of a bad size ignored, seed %d" % (bad, a.seed), flush=True)
    if trace:
        trace.close()
    sock.close()
    os.unlink(a.socket)
    return 0


if __name__ == "__main__":
    sys.exit(main())
