#!/usr/bin/env python3
"""Seed scripts for the netstack session fuzzer (session.h): what netdev
delivers and what the stream client sends, in order. Frames come from
../net-frames/seeds.py's builders. Usage: seeds.py DIR."""
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "net-frames"))
import seeds as nf  # noqa: E402

REC_FRAME, REC_REQUEST, REC_SILENCE, REC_FAULT = 0, 1, 2, 3
FAULT_SHORT, FAULT_OP, FAULT_EIO, FAULT_CHANNEL, FAULT_LENGTH, FAULT_BUSY, FAULT_ENODEV = range(7)
WRITE, READ, RESET = 0x100, 0x101, 0x102
PORT = 0xC54D  # netstack's first ephemeral port: from the constant random number
ISN = nf.RAND  # our sequence number once the SYN is sent (see net-frames/seeds.py)
SISN = nf.SERVER_ISN
SYN, ACK, FIN, RST, PSH = nf.SYN, nf.ACK, nf.FIN, nf.RST, nf.PSH


def frame(f, flags=0):
    return struct.pack("!BH", REC_FRAME | flags, len(f)) + f


def req(op, max_=0, timeout=0, data=b""):
    m = struct.pack("<IIII", op, 8 + len(data), max_, timeout) + data
    return struct.pack("!BH", REC_REQUEST, len(m)) + m


def silence(ms):
    return struct.pack("!BH", REC_SILENCE, ms // 10)


def fault(code):
    return struct.pack("!BH", REC_FAULT, code)


def peer(seq, ack, flags, data=b"", win=65535, port=PORT, opts=b""):
    return frame(nf.eth(nf.tcp(seq, ack, flags, data, sport=8080, dport=port, win=win, opts=opts)))


ARP = frame(nf.arp(2, nf.GW_MAC, nf.GW_IP, nf.OUR_MAC, nf.OUR_IP))
MSS = b"\x02\x04\x05\xb4"
GET = b"GET /kbs/v0/auth HTTP/1.1\r\nHost: kbs\r\n\r\n"
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
S1 = SISN + 1


def connect(port=PORT):
    return ARP + peer(SISN, ISN, SYN | ACK, port=port, opts=MSS)


SEEDS = {
    # RESET, ARP and the handshake, a request out, the answer in, read, the
    # peer's FIN, READ -> ECLOSED, a second RESET refused by a RST.
    "exchange": b"\0" + req(RESET, 0, 2000) + connect() + req(WRITE, 0, 0, GET) +
    peer(S1, ISN + len(GET), ACK | PSH, OK) + req(READ, 100, 1000) +
    peer(S1 + len(OK), ISN + len(GET), ACK | FIN) + req(READ, 100, 1000) + req(RESET, 0, 2000) +
    peer(0, ISN, RST | ACK, port=PORT + 1),
    # The first READ opens the connection implicitly; nothing comes: timeout.
    "implicit-open-timeout": b"\0" + req(READ, 10, 500) + connect() + req(READ, 10, 300) +
    silence(1000) + req(READ, 10, 100),
    # No answer to the SYN at all: lwIP's retries, then ETIMEDOUT.
    "syn-unanswered": b"\0" + req(RESET, 0, 30000) + ARP,
    # DHCP first: offer, ack, then the connection.
    # (The silence lets netstack send its SYN before the answers arrive.)
    "dhcp": b"\x01" + req(RESET, 0, 20000) + frame(nf.dhcp(2)) + frame(nf.dhcp(5)) + silence(10) +
    connect() +
    req(WRITE, 0, 0, GET) + peer(S1, ISN + len(GET), ACK | PSH, OK) + req(READ, 1000, 1000),
    # A zero window: the WRITE waits 5 s for room and times out; RESET recovers.
    "zero-window": b"\0" + req(RESET, 0, 2000) + connect() + peer(S1, ISN, ACK, win=0) +
    req(WRITE, 0, 0, b"x" * 16384) + req(RESET, 0, 2000) + peer(SISN, ISN, SYN | ACK, port=PORT + 1,
                                                               opts=MSS),
    # The peer sends more than is read: the window closes, READs drain it.
    "unread-data": b"\0" + req(RESET, 0, 2000) + connect() +
    b"".join(peer(S1 + i * 1400, ISN, ACK, bytes([65 + i]) * 1400) for i in range(12)) +
    req(READ, 16384, 100) + req(READ, 4000, 100) + req(READ, 16384, 100),
    # Out-of-order data and a RST while data is unread: READ returns what is
    # left, then ECLOSED; WRITE after the RST: ECLOSED.
    "ooo-then-rst": b"\0" + req(RESET, 0, 2000) + connect() + peer(S1 + 5, ISN, ACK, b"world") +
    peer(S1, ISN, ACK, b"hello") + peer(S1 + 10, ISN, RST | ACK) + req(READ, 3, 100) +
    req(READ, 100, 100) + req(READ, 100, 100) + req(WRITE, 0, 0, b"late"),
    # Malformed client requests (EINVAL) and an unknown op, between good ones.
    "bad-requests": b"\0" + req(READ, 0, 0) + req(READ, 16385, 0) + req(WRITE, 0, 0) +
    req(0x1FF, 0, 0) + struct.pack("!BH", REC_REQUEST, 4) + b"\x01\x01\0\0" +
    req(RESET, 0, 100) + ARP,
    # Pings and ARP while idle between requests: answered by the serve loop.
    "idle-traffic": b"\0" + frame(nf.arp(1, nf.GW_MAC, nf.GW_IP, b"\0" * 6, nf.OUR_IP, dst=nf.BCAST)) +
    silence(100) + frame(nf.eth(nf.ipv4(1, nf.icmp_echo(b"keel" * 8)))) + silence(100) +
    req(RESET, 0, 2000) + connect(),
    # netdev without a device: INFO says NET_ENODEV, every request ENODEV.
    "netdev-enodev": b"\0" + fault(FAULT_ENODEV) + req(RESET, 0, 100) + req(READ, 10, 100),
    # netdev breaks in the middle of a READ (a frame length that disagrees
    # with its message): the link is down, READ and WRITE say EIO.
    "netdev-bad-length": b"\0" + req(RESET, 0, 2000) + connect() + req(READ, 100, 1000) +
    fault(FAULT_LENGTH) + req(WRITE, 0, 0, GET),
    # The device busy on one SEND (our ACK of the SYN-ACK is dropped; the
    # link stays up), then a short reply to the WRITE's segment: the link is
    # down, the READ after it EIO.
    "netdev-busy-then-short": b"\0" + req(RESET, 0, 2000) + connect() + fault(FAULT_BUSY) +
    req(WRITE, 0, 0, GET) + fault(FAULT_SHORT) + req(READ, 10, 100),
}


def main():
    d = sys.argv[1]
    for name, data in SEEDS.items():
        open("%s/%s" % (d, name), "wb").write(data)
    print(len(SEEDS))


if __name__ == "__main__":
    main()
