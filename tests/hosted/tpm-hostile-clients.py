#!/usr/bin/env python3
"""Hostile TPM clients for tests/hosted/vtpm-hostile-clients.sh (not a test itself).

usage: tpm-hostile-clients.py crowd CMD_PORT PLAT_PORT READY_FILE REPORT_FILE WATCH_SECONDS
  Opens 64 idle connections to the command port and 16 to the platform
  port, 64 half-sent frames (32 per port), and one client that sends mssim
  handshakes without ever reading its answers. Touches READY_FILE once all
  are connected and the non-reader is blocked, then watches every
  connection for WATCH_SECONDS and writes to REPORT_FILE one line per class:
  "CLASS opened closed first_close_s last_close_s" (seconds since the class
  went quiet: connect for idle, the partial write for half-sent, the first
  blocked send for the non-reader).
usage: tpm-hostile-clients.py flood PORT COUNT READY_FILE REPORT_FILE HOLD_SECONDS
  Opens COUNT idle connections one after another, touches READY_FILE, holds
  them HOLD_SECONDS, then reports how many the server has closed:
  "flood opened closed".
"""
import os, select, socket, struct, sys, time


def connect(port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", port))
    return s


def closed(s):
    """True once the server closed the connection (FIN or reset), without reading
    from it: tcpi_state (the first byte of TCP_INFO) has left ESTABLISHED."""
    try:
        return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != 1
    except OSError:
        return True


def crowd(cmd_port, plat_port, ready, report, watch):
    classes = {"idle": [], "half-sent": [], "non-reader": []}
    for _ in range(64):
        classes["idle"].append([connect(cmd_port), 0.0, None])
    for _ in range(16):
        classes["idle"].append([connect(plat_port), 0.0, None])
    t_idle = time.monotonic()
    for c in classes["idle"]:
        c[1] = t_idle
    for i in range(32):
        # TPM_SEND_COMMAND, locality 0, size 100, then 20 of the 100 bytes
        s = connect(cmd_port)
        s.sendall(struct.pack(">IBI", 8, 0, 100) + b"\x80\x01" + b"\0" * 18)
        classes["half-sent"].append([s, time.monotonic(), None])
        # two bytes of a platform op
        s = connect(plat_port)
        s.sendall(b"\0\0")
        classes["half-sent"].append([s, time.monotonic(), None])
    # The non-reader: TPM2_GetCapability(TPM_PROPERTIES, PT_FIXED, 127), about
    # 1 KiB answers (10 bytes before TPM2_Startup), never read, sent until the
    # server has stopped taking them for a whole second.
    s = connect(cmd_port, rcvbuf=4096)
    s.setblocking(False)
    cmd = struct.pack(">HIIIII", 0x8001, 22, 0x17A, 6, 0x100, 127)
    frame = (struct.pack(">IBI", 8, 0, len(cmd)) + cmd) * 128
    blocked_since = None
    pending = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not pending:
            pending = frame
        try:
            pending = pending[s.send(pending):]
            blocked_since = None
        except BlockingIOError:
            if blocked_since is None:
                blocked_since = time.monotonic()
            elif time.monotonic() - blocked_since > 1.0:
                break
            time.sleep(0.01)
        except OSError:
            break
    classes["non-reader"].append([s, blocked_since or time.monotonic(), None])
    open(ready, "w").close()
    end = time.monotonic() + watch
    while time.monotonic() < end:
        now = time.monotonic()
        for conns in classes.values():
            for c in conns:
                if c[2] is None and closed(c[0]):
                    c[2] = now - c[1]
        time.sleep(0.05)
    with open(report, "w") as f:
        for name, conns in classes.items():
            t = [c[2] for c in conns if c[2] is not None]
            f.write("%s %d %d %.1f %.1f\n" % (name, len(conns), len(t),
                                             min(t) if t else -1, max(t) if t else -1))


def flood(port, count, ready, report, hold):
    conns = []
    for _ in range(count):
        try:
            conns.append(connect(port))
        except OSError:
            break
    open(ready, "w").close()
    time.sleep(hold)
    n = sum(1 for s in conns if closed(s))
    with open(report, "w") as f:
        f.write("flood %d %d\n" % (len(conns), n))


if __name__ == "__main__":
    if sys.argv[1] == "crowd":
        crowd(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6]))
    elif sys.argv[1] == "flood":
        flood(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6]))
    else:
        sys.exit(__doc__)
