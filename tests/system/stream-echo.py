#!/usr/bin/env python3
"""An echo server on 127.0.0.1 for the consdev / keel-proxy tests.

stream-echo.py PORTFILE LOGFILE: listens on an ephemeral port (written to
PORTFILE), echoes every byte back on every connection, and appends one line
per connection to LOGFILE ("conn N open", "conn N closed BYTES").
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from echo_listen import listen_and_serve, log  # noqa: E402


def serve(conn, n, path):
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
    log(path, "conn %d closed %d" % (n, total))


def main():
    listen_and_serve(sys.argv[1], sys.argv[2], serve)


if __name__ == "__main__":
    main()
