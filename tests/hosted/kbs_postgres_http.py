#!/usr/bin/env python3
"""kbs_postgres_http.py PORT_A PORT_B CHAIN PIN MEAS_HEX NVMS ROUNDS THREADS OUT: many
TEE clients at once against two brokers sharing one PostgreSQL (tests/hosted/
kbs-postgres.sh). Each round a thread picks a VM and, at random, which broker
takes /auth, /attest, the resource and the ack (the session lives in the
database, so any broker serves any step); every third round the same
attestation is sent to BOTH brokers at the same moment. Writes one line per
event to OUT for the shell to check:
  BOOT vm boot min_gen | ACKOK vm boot gen | ACKFAIL vm boot gen status
  RACE n_200 | ERR text"""
import base64
import json
import os
import random
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kbs_client import Broker, Tee, check_identity, decrypt, load_key, make_report  # noqa: E402

port_a, port_b = int(sys.argv[1]), int(sys.argv[2])
chain, pin, meas = sys.argv[3], sys.argv[4], bytes.fromhex(sys.argv[5])
nvms, rounds, nthreads, out_path = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), sys.argv[9]
vcek = load_key(chain + "/vcek.key")
with open(chain + "/vcek.der", "rb") as f:
    vcek_der = f.read()
brokers = [Broker(port_a), Broker(port_b)]
lines = []
lock = threading.Lock()


def log(s):
    with lock:
        lines.append(s)


def attest_both(cookie, nonce, tee, report):
    """The same answer to both brokers at once: at most one may win."""
    go = threading.Barrier(2)
    res = [None, None]

    def run(i):
        go.wait()
        res[i] = brokers[i].attest(cookie, nonce, tee, report, vcek_der)[0]

    ts = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wins = sum(1 for s in res if s == 200)
    log("RACE %d" % wins)
    return 200 if wins else res[0]


def one_round(rng, i):
    vm = "h%d" % rng.randrange(nvms)
    pick = lambda: brokers[rng.randrange(2)]  # noqa: E731
    nonce, cookie = pick().auth(vm)
    tee = Tee()
    report = make_report(tee.report_data(nonce), meas, vcek)
    if i % 3 == 0:
        st = attest_both(cookie, nonce, tee, report)
    else:
        st = pick().attest(cookie, nonce, tee, report, vcek_der)[0]
    if st != 200:
        log("ERR attest %s %d" % (vm, st))
        return
    st, j, _ = pick().resource(cookie, "keel/state-key/" + vm)
    if st != 200:
        log("ERR resource %s %d" % (vm, st))
        return
    check_identity(j, nonce, pin)
    pt = json.loads(decrypt(j, tee))
    log("BOOT %s %d %d" % (vm, pt["boot"], pt["min-generation"]))
    if rng.randrange(2) == 0:
        gen = rng.randrange(100000)
        st, _, _ = pick().ack(cookie, vm, pt["boot"], gen, base64.b64decode(pt["ack-key"]))
        log("%s %s %d %d%s" % ("ACKOK" if st == 200 else "ACKFAIL", vm, pt["boot"], gen,
                               "" if st == 200 else " %d" % st))


def worker(seed):
    rng = random.Random(seed)
    for i in range(rounds):
        try:
            one_round(rng, i)
        except Exception as e:  # noqa: BLE001 -- any failure is a test failure, reported
            log("ERR %s" % e)


ts = [threading.Thread(target=worker, args=(s,)) for s in range(nthreads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
with open(out_path, "w") as f:
    f.write("\n".join(lines) + "\n")
