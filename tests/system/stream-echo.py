#!/usr/bin/env python3
"""An echo server on 127.0.0.1 for the consdev / keel-proxy tests.

stream-echo.py PORTFILE LOGFILE: listens on an ephemeral port (written to
PORTFILE), echoes every byte back on every connection, and appends one line
per connection to LOGFILE ("conn N open", "conn N closed BYTES").
"""
import socket
import sys
import threading


def serve(conn, n, log):
    total = 0
    with conn:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                break
            if not data:
                break
            total += len(data)
            conn.sendall(data)
    with open(log, "a") as f:
        f.write("conn %d closed %d\n" % (n, total))


def main():
    portfile, log = sys.argv[1], sys.argv[2]
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    n = 0
    while True:
        conn, _ = s.accept()
        n += 1
        with open(log, "a") as f:
            f.write("conn %d open\n" % n)
        threading.Thread(target=serve, args=(conn, n, log), daemon=True).start()


if __name__ == "__main__":
    main()
