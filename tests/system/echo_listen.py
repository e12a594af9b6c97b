"""The listening half of the test peers tests/system/stream-echo.py and
tests/system/netstack-echo.py: an ephemeral port on 127.0.0.1 written to
PORTFILE (atomically), then one thread per connection running
serve(conn, n, logfile), after "conn N open" is appended to LOGFILE.
"""
import os
import socket
import threading


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def listen_and_serve(portfile, path, serve, rcvbuf=None):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf is not None:  # inherited by accepted sockets; fixes the window
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    n = 0
    while True:
        conn, _ = s.accept()
        n += 1
        log(path, "conn %d open" % n)
        threading.Thread(target=serve, args=(conn, n, path), daemon=True).start()
