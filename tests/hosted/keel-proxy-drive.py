#!/usr/bin/env python3
"""Drives build/bin/keel-proxy as QEMU would (tests/hosted/keel-proxy.sh).

keel-proxy-drive.py PROXY DIR: plays QEMU's chardev socket (a Unix server
in DIR) and an echo server on 127.0.0.1, runs PROXY between them and prints
one line per result: "pass DESCRIPTION" or "fail DESCRIPTION".
"""
import os
import random
import socket
import subprocess
import sys
import threading
import time

RESET = b"\0KEEL-PROXY-RESET\n"


class Echo:
    """Echoes; "CLOSE\\n" at the end of a read makes it answer "bye\\n" and hang up."""

    def __init__(self):
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(8)
        self.port = self.s.getsockname()[1]
        self.conns = []  # bytes received per connection
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            self.conns.append(bytearray())
            threading.Thread(target=self.serve, args=(c, self.conns[-1]), daemon=True).start()

    def serve(self, c, got):
        with c:
            while True:
                try:
                    d = c.recv(65536)
                except OSError:
                    return
                if not d:
                    return
                got += d
                if got.endswith(b"CLOSE\n"):
                    c.sendall(b"bye\n")
                    return
                c.sendall(d)

    def stop(self):
        # shutdown first: a thread blocked in accept() keeps a closed socket listening
        self.s.shutdown(socket.SHUT_RDWR)
        self.s.close()


results = []


def check(cond, what):
    results.append(("pass" if cond else "fail") + " " + what)
    print(results[-1], flush=True)


def recv_for(vm, seconds):
    vm.settimeout(0.1)
    out = bytearray()
    end = time.time() + seconds
    while time.time() < end:
        try:
            d = vm.recv(65536)
        except socket.timeout:
            continue
        if not d:
            break
        out += d
    return bytes(out)


def recv_exactly(vm, n, seconds=5):
    vm.settimeout(0.1)
    out = bytearray()
    end = time.time() + seconds
    while len(out) < n and time.time() < end:
        try:
            d = vm.recv(n - len(out))
        except socket.timeout:
            continue
        if not d:
            break
        out += d
    return bytes(out)


def wait_for(pred, seconds=5):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def main():
    proxy, d = sys.argv[1], sys.argv[2]
    path = os.path.join(d, "qemu.sock")
    log = os.path.join(d, "proxy.log")
    echo = Echo()
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen(1)
    p = subprocess.Popen([proxy, "--socket", path, "--connect", "127.0.0.1:%d" % echo.port],
                         stderr=open(log, "w"))
    srv.settimeout(10)
    vm, _ = srv.accept()
    text = lambda: open(log).read()

    # 1. relay, exactly, in both directions
    vm.sendall(b"hello")
    check(recv_exactly(vm, 5) == b"hello", "relay: 5 bytes echoed back")
    check(len(echo.conns) == 1, "relay: the first byte opened one connection")
    rnd = random.Random(15)
    blob = bytes(rnd.randrange(256) for _ in range(50000))
    blob = blob.replace(RESET, b"")  # (never in 50000 random bytes, but be sure)
    blob += b"\0KEEL-PROXY-RES" + b"X" + b"\0" + b"tail"  # a broken reset line is data
    for i in range(0, len(blob), 7000):
        vm.sendall(blob[i:i + 7000])
    got = recv_exactly(vm, len(blob), 10)
    check(got == blob, "relay: %d bytes (binary, a partial reset line) echoed exactly" % len(blob))
    check(bytes(echo.conns[0]) == b"hello" + blob, "relay: the peer received exactly the VM's bytes")

    # 2. reset line inside a write: before it the old connection, after it a new one
    vm.sendall(b"A" * 10 + RESET + b"B" * 20)
    check(wait_for(lambda: len(echo.conns) == 2 and len(echo.conns[1]) == 20),
          "reset: a second connection carries the 20 bytes after the line")
    check(bytes(echo.conns[0]).endswith(b"A" * 10) and RESET not in bytes(echo.conns[0]),
          "reset: the 10 bytes before it went to the first connection, the line to neither")
    got = recv_for(vm, 1.0)
    check(got.endswith(RESET + b"B" * 20), "reset: the VM got the reset line back, then the new connection's echo")
    check("closed: reset line from the VM" in text(), "reset: logged")

    # 3. the reset line split into single bytes
    for b in RESET:
        vm.sendall(bytes([b]))
        time.sleep(0.01)
    vm.sendall(b"C" * 5)
    check(wait_for(lambda: len(echo.conns) == 3 and bytes(echo.conns[2]) == b"C" * 5),
          "reset split byte by byte: a third connection with the 5 bytes after it")
    check(recv_for(vm, 0.5).endswith(RESET + b"C" * 5), "reset split: acknowledged, then the echo")

    # 4. the peer closes: the next bytes open a new connection
    vm.sendall(b"CLOSE\n")
    check(recv_exactly(vm, 4) == b"bye\n", "peer close: its last bytes reach the VM")
    check(wait_for(lambda: "the peer closed it" in text()), "peer close: logged")
    vm.sendall(b"again")
    check(recv_exactly(vm, 5) == b"again" and len(echo.conns) == 4,
          "peer close: the next bytes opened connection 4 and came back")

    # 4b. binary data (TLS records) ending in a prefix of the reset line: held only
    # briefly, then passed on without waiting for a byte that may never come
    t0 = time.time()
    vm.sendall(b"tls\0")
    check(recv_exactly(vm, 4, 3) == b"tls\0" and time.time() - t0 < 2,
          "held NUL at the end: reaches the peer after the hold (%.2f s)" % (time.time() - t0))
    vm.sendall(b"tls\0KEEL-")
    check(recv_exactly(vm, 9, 3) == b"tls\0KEEL-" and len(echo.conns) == 4,
          "held partial reset line at the end: passed on as data, same connection")

    # 5. the peer is down: a clear error, the bytes dropped, the proxy still up
    echo.stop()
    time.sleep(0.1)
    vm.sendall(b"CLOSE\n")  # ends connection 4
    recv_for(vm, 0.3)
    vm.sendall(b"lost")
    check(wait_for(lambda: "cannot connect to 127.0.0.1:%d: Connection refused; 4 bytes from the VM dropped" % echo.port in text()),
          "peer down: 'cannot connect ... Connection refused; 4 bytes from the VM dropped'")
    check(recv_for(vm, 0.3) == b"" and p.poll() is None, "peer down: nothing comes back, keel-proxy keeps running")

    # 6. QEMU goes away: keel-proxy exits 0 and says so
    vm.close()
    try:
        rc = p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    check(rc == 0, "QEMU gone: keel-proxy exited 0 (%s)" % rc)
    check("QEMU closed the socket; 5 connections, 2 resets; exiting" in text(),
          "QEMU gone: logged with the counts")


if __name__ == "__main__":
    main()
