#!/usr/bin/env python3
"""Listens on 127.0.0.1 (an ephemeral port, written to PORTFILE) and appends
"conn N" to LOGFILE for each accepted connection, closing it at once; exits
after 60 s or when killed. tests/system/netdev-booted.sh: proof that the
guest's TCP to 10.0.2.2 reached the host's loopback."""
import os
import socket
import sys

s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(60)
n = 0
try:
    while True:
        c, _ = s.accept()
        n += 1
        with open(sys.argv[2], "a") as f:
            f.write("conn %d\n" % n)
        c.close()
except OSError:
    pass
