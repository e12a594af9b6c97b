#!/bin/sh
# The key broker's DB layer: attestations (kbs_db_attest_commit: challenge
# consumed + boot counter bumped, one transaction) per second from one
# process, SQLite (a file, synchronous=FULL) vs PostgreSQL (a throwaway local
# cluster over its Unix socket, fsync on), in the same run. Sessions are made
# beforehand; only the commits are timed (tests/unit/kbs-db/stress.c bench).
# docs/kbs-db.md, "Bench", shows a run.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
stress=$root/build/tests/kbs-db-stress
n=${KBS_DB_BENCH_N:-2000}
tmp=$(mktemp -d /tmp/kbs-db-bench.XXXXXX)
pgdir=$(mktemp -d /tmp/kbs-db-bench-pg.XXXXXX)
trap 'sh "$root/tests/unit/kbs-db/pg-cluster.sh" stop "$pgdir" 2>/dev/null; rm -rf "$tmp" "$pgdir"' EXIT
[ -x "$stress" ] || { echo "kbs-db-bench: $stress missing (make)" >&2; exit 1; }
status=0
sq=$("$stress" bench "sqlite:$tmp/kbs.db" "$n") || status=1
pgurl=$(KBS_PG_FSYNC=on sh "$root/tests/unit/kbs-db/pg-cluster.sh" start "$pgdir") || status=1
pg=""
[ -n "$pgurl" ] && { pg=$("$stress" bench "$pgurl" "$n") || status=1; }
rate() { echo "$1" | sed -n 's/.*attest_per_s=\([0-9]*\).*/\1/p'; }
echo "KBS DB bench: attestation commits per second, one process, $n each"
printf '%-34s %10s\n' "backend" "commits/s"
printf '%-34s %10s\n' "SQLite (file, synchronous=FULL)" "$(rate "$sq")"
printf '%-34s %10s\n' "PostgreSQL (Unix socket, fsync on)" "$(rate "$pg")"
echo "bench-result name=kbs_db_attest backend=sqlite $sq"
echo "bench-result name=kbs_db_attest backend=postgresql $pg"
exit $status
