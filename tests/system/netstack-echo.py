#!/usr/bin/env python3
"""The peer for tests/system/netstack-booted.sh, on 127.0.0.1 (the guest's
10.0.2.2 under keel-qemu --net-host-loopback).

netstack-echo.py PORTFILE LOGFILE [RCVBUF]: listens on an ephemeral port (written to
PORTFILE). On each connection: if the first five bytes are b"CLOSE" it
answers b"bye\\n" and closes the connection; otherwise it echoes every byte
back; if they are b"RESET" it resets the connection (SO_LINGER 0); if
b"HOLD_" it reads nothing more (with a small RCVBUF, the window closes
soon: flow control). Appends "conn N open" and "conn N closed BYTES" (bytes received) to
LOGFILE."""
import socket
import sys
import struct
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from echo_listen import listen_and_serve, log  # noqa: E402


def serve(conn, n, path):
    total = 0
    with conn:
        head = b""
        try:
            while len(head) < 5:
                data = conn.recv(5 - len(head))
                if not data:
                    break
                head += data
            total += len(head)
            if head == b"CLOSE":
                conn.sendall(b"bye\n")
                conn.shutdown(socket.SHUT_RDWR)
            elif head == b"HOLD_":
                # Reads nothing more: the sender's window closes.
                threading.Event().wait(120)
            elif head == b"RESET":
                # SO_LINGER 0: close() sends a RST instead of a FIN.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                conn.sendall(head)
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    total += len(data)
                    conn.sendall(data)
        except OSError:
            pass
    log(path, "conn %d closed %d" % (n, total))


def main():
    rcvbuf = int(sys.argv[3]) if len(sys.argv) > 3 else None
    listen_and_serve(sys.argv[1], sys.argv[2], serve, rcvbuf)


if __name__ == "__main__":
    main()
