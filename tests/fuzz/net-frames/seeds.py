#!/usr/bin/env python3
"""Seed inputs for the lwIP frame fuzzer (fuzz_net_frames.c): real frames a
peer, the gateway or the DHCP server would send to 10.0.2.15, written as
the fuzzer's input format: a mode byte, then records of
u16 length (big-endian), u8 flags, u8 dt, frame. Usage: seeds.py DIR."""
import struct
import sys

# net_fuzz.h
RAND = 0x4B45454C  # our ISN and DHCP xid (keel_net_rand in the fuzzer)
SERVER_ISN = 0x10000000
CPORT, PPORT, LPORT = 49152, 8080, 80
MODE_ESTABLISH, MODE_DHCP, MODE_NO_ARP = 1, 2, 4
FIX_IP, FIX_L4, WRITE, CLOSE, REFUSE, HOLD, SECONDS = 1, 2, 4, 8, 0x10, 0x20, 0x40

OUR_MAC = bytes.fromhex("525400123456")
GW_MAC = bytes.fromhex("52550a000202")
BCAST = b"\xff" * 6
OUR_IP, GW_IP = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])

SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, etype=0x0800, dst=OUR_MAC, src=GW_MAC):
    return dst + src + struct.pack("!H", etype) + payload


def ipv4(proto, payload, src=GW_IP, dst=OUR_IP, ident=1, frag=0, total=None):
    tot = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, ident, frag, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp(seq, ack, flags, data=b"", sport=PPORT, dport=CPORT, win=65535, opts=b"", src=GW_IP):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4,
                    flags, win, 0, 0) + opts
    seg = h + data
    ph = src + OUR_IP + struct.pack("!BBH", 0, 6, len(seg))
    c = csum(ph + seg)
    return ipv4(6, seg[:16] + struct.pack("!H", c) + seg[18:], src=src)


def udp(sport, dport, data, src=GW_IP, dst=OUR_IP):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = src + dst + struct.pack("!BBH", 0, 17, len(seg))
    c = csum(ph + seg) or 0xFFFF
    return ipv4(17, seg[:6] + struct.pack("!H", c) + seg[8:], src=src, dst=dst)


def icmp_echo(data, ident=0x1234, seq=1):
    m = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def arp(op, sha, spa, tha, tpa, dst=OUR_MAC):
    return eth(struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa, 0x0806, dst=dst)


def dhcp(msgtype, yiaddr=OUR_IP, extra=b""):
    bootp = struct.pack("!BBBBIHH4s4s4s4s", 2, 1, 6, 0, RAND, 0, 0, b"\0" * 4, yiaddr, GW_IP,
                        b"\0" * 4)
    bootp += OUR_MAC + b"\0" * 10 + b"\0" * 64 + b"\0" * 128 + bytes([99, 130, 83, 99])
    opts = bytes([53, 1, msgtype, 54, 4]) + GW_IP
    if msgtype != 6:
        opts += bytes([51, 4, 0, 1, 0x51, 0x80, 1, 4, 255, 255, 255, 0, 3, 4]) + GW_IP
    opts += extra + b"\xff"
    return eth(udp(67, 68, bootp + opts, dst=b"\xff\xff\xff\xff"), dst=BCAST)


def rec(frame, flags=0, dt=0):
    return struct.pack("!HBB", len(frame), flags, dt) + frame


# lwIP's SYN carries the ISN minus one (tcp_connect: snd_lbb = iss - 1), so
# our next sequence number once connected is RAND itself.
C1, S1 = RAND, SERVER_ISN + 1
http = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
big = bytes(range(256)) * 8  # 2048 bytes: an echo request in two fragments
ping = icmp_echo(big)
frag1 = ipv4(1, ping[:1480], ident=7, frag=0x2000, total=20 + 1480)
frag2 = ipv4(1, ping[1480:], ident=7, frag=185, total=20 + len(ping) - 1480)
overlap = ipv4(1, ping[1000:1480], ident=7, frag=0x2000 | 125, total=20 + 480)

SEEDS = {
    "arp-request": (0, [arp(1, GW_MAC, GW_IP, b"\0" * 6, OUR_IP, dst=BCAST)]),
    "arp-reply-late": (MODE_NO_ARP, [arp(2, GW_MAC, GW_IP, OUR_MAC, OUR_IP)]),
    "icmp-echo": (0, [eth(ipv4(1, icmp_echo(b"keel" * 8)))]),
    "icmp-fragments": (0, [eth(frag1), eth(frag2)]),
    "icmp-fragments-reversed-overlap": (0, [eth(frag2), eth(overlap), eth(frag1)]),
    "syn-ack": (0, [eth(tcp(SERVER_ISN, C1, SYN | ACK, opts=b"\x02\x04\x05\xb4")),
                    eth(tcp(S1, C1, ACK | PSH, http))]),
    "data-fin": (MODE_ESTABLISH, [eth(tcp(S1, C1, ACK | PSH, http)),
                                  eth(tcp(S1 + len(http), C1, ACK | FIN))]),
    "rst": (MODE_ESTABLISH, [eth(tcp(S1, C1, RST | ACK))]),
    "out-of-order": (MODE_ESTABLISH, [eth(tcp(S1 + 5, C1, ACK, b"world")),
                                      eth(tcp(S1, C1, ACK, b"hello"))]),
    "bad-checksum": (MODE_ESTABLISH, [eth(tcp(S1, C1, ACK, b"x"))[:-1] + b"y"]),
    "listener": (0, [eth(tcp(1000, 0, SYN, sport=40000, dport=LPORT, opts=b"\x02\x04\x05\xb4")),
                     eth(tcp(1001, RAND + 1, ACK, sport=40000, dport=LPORT)),
                     eth(tcp(1001, RAND + 1, ACK | PSH, b"echo me", sport=40000, dport=LPORT)),
                     eth(tcp(1008, RAND + 8, ACK | FIN, sport=40000, dport=LPORT))]),
    "closed-port": (0, [eth(tcp(1, 0, SYN, sport=40001, dport=9)),
                        eth(udp(5000, 9, b"hello"))]),
    "dhcp-offer-ack": (MODE_DHCP, [dhcp(2), dhcp(5)]),
    "dhcp-nak": (MODE_DHCP, [dhcp(2), dhcp(6)]),
    "dhcp-other-address": (MODE_DHCP | MODE_ESTABLISH, [dhcp(2, bytes([10, 0, 2, 16])),
                                                        dhcp(5, bytes([10, 0, 2, 16]))]),
}
# Records with application moves and time: the client writes, nothing is
# acknowledged for a minute (retransmissions, then the connection gives up),
# a zero window (the persist timer) and a close.
SEEDS_RAW = {
    "retransmit": bytes([MODE_ESTABLISH]) + rec(b"", WRITE, 0) + rec(b"", SECONDS, 127),
    "zero-window": bytes([MODE_ESTABLISH]) + rec(eth(tcp(S1, C1, ACK, win=0))) +
    rec(b"", WRITE | SECONDS, 5) + rec(eth(tcp(S1, C1 + 0, ACK, win=8192)), 0, 50),
    "write-ack-close": bytes([MODE_ESTABLISH]) + rec(b"", WRITE, 1) +
    rec(eth(tcp(S1, C1 + 1000, ACK)), 0, 5) + rec(b"", CLOSE, 1) +
    rec(eth(tcp(S1, C1 + 1001, ACK | FIN)), 0, 5),
    "hold-window": bytes([MODE_ESTABLISH]) + rec(eth(tcp(S1, C1, ACK, b"a" * 1400)), HOLD) +
    rec(eth(tcp(S1 + 1400, C1, ACK, b"b" * 1400)), REFUSE, 1) + rec(b"", REFUSE | HOLD, 100),
    "repaired-checksums": bytes([MODE_ESTABLISH]) +
    rec(eth(tcp(S1, C1, ACK | PSH, http))[:-len(http)] + http.upper(), FIX_IP | FIX_L4),
}


def main():
    d = sys.argv[1]
    n = 0
    for name, (mode, frames) in SEEDS.items():
        data = bytes([mode]) + b"".join(rec(f, 0, 1) for f in frames)
        open("%s/%s" % (d, name), "wb").write(data)
        n += 1
    for name, data in SEEDS_RAW.items():
        open("%s/%s" % (d, name), "wb").write(data)
        n += 1
    print(n)


if __name__ == "__main__":
    main()
