#!/usr/bin/env python3
"""kbs_bench.py PORT CHAIN_DIR MEAS_HEX THREADS SECONDS: full broker rounds
(auth, attest, resource + JWE decrypt, ack) from THREADS clients, client i on
VM bench<i>, for SECONDS. Prints "BENCH name=kbs_attest per_s=... rounds=...
errors=..." (the client's Python crypto is part of each round). With
KBS_TLS_CA set: over HTTPS (a TLS handshake per request: the client opens
a connection per request)."""
import base64
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hosted"))
from kbs_client import Broker, Tee, decrypt, load_key, make_report  # noqa: E402

port, chain, meas = int(sys.argv[1]), sys.argv[2], bytes.fromhex(sys.argv[3])
threads, seconds = int(sys.argv[4]), float(sys.argv[5])
vcek = load_key(chain + "/vcek.key")
with open(chain + "/vcek.der", "rb") as f:
    vcek_der = f.read()
counts, errors = [0] * threads, [0] * threads
end = time.monotonic() + seconds


def worker(i):
    kbs, vm = Broker(port, ca=os.environ.get("KBS_TLS_CA") or None), "bench%d" % i
    while time.monotonic() < end:
        try:
            nonce, cookie = kbs.auth(vm)
            tee = Tee()
            st, _, _ = kbs.attest(cookie, nonce, tee, make_report(tee.report_data(nonce), meas, vcek), vcek_der)
            st2, j, _ = kbs.resource(cookie, "keel/state-key/" + vm)
            pt = json.loads(decrypt(j, tee))
            st3, _, _ = kbs.ack(cookie, vm, pt["boot"], pt["boot"], base64.b64decode(pt["ack-key"]))
            if (st, st2, st3) == (200, 200, 200):
                counts[i] += 1
            else:
                errors[i] += 1
        except Exception:
            errors[i] += 1


t0 = time.monotonic()
ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
dt = time.monotonic() - t0
print("BENCH name=kbs_attest per_s=%.1f rounds=%d errors=%d threads=%d seconds=%.1f" %
      (sum(counts) / dt, sum(counts), sum(errors), threads, dt))
sys.exit(1 if sum(errors) or not sum(counts) else 0)
