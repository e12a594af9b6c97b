#!/bin/sh
# The key broker's DB rules under concurrency (docs/kbs-db.md): WORKERS
# processes, each with its own connection, answer the SAME set of challenges
# in different orders against one PostgreSQL (a throwaway cluster) -- and
# then against one SQLite file -- attesting, acknowledging and reading
# generations as they go (tests/unit/kbs-db/stress.c). Asserted from their
# logs and the final database: every challenge answered exactly once; each
# VM's boots 1..N handed out exactly once each (no repeat, no gap, the final
# counter N); min-generation never decreasing along the boots; no worker ever
# saw an acknowledged generation go back; the final one is the max of all
# successful acks; a VM with a boot window never got boot B+1 before boot B
# was acknowledged.
# Then over HTTP: two `kbs` brokers on one PostgreSQL, THREADS TEE clients
# (tests/hosted/kbs_postgres_http.py) attesting, fetching and acking through
# either broker at random, some answers sent to both brokers at once: one
# wins each such race; boots per VM 1..N once each (N = the final counter);
# the final acknowledged generation is the max of the acks the brokers took.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
stress=build/tests/kbs-db-stress
workers=${KBS_STRESS_WORKERS:-8}
nvms=8
nsess=${KBS_STRESS_SESSIONS:-1200}
tmp=$(mktemp -d /tmp/kbs-postgres.XXXXXX)
pgdir=$(mktemp -d /tmp/kbs-postgres-pg.XXXXXX) # its own: chowned to nobody when root
trap 'sh tests/unit/kbs-db/pg-cluster.sh stop "$pgdir" 2>/dev/null; rm -rf "$tmp" "$pgdir"' EXIT

# stress_backend NAME URL: runs the workers and checks; one TAP line per rule.
stress_backend() {
	name=$1
	url=$2
	d=$tmp/$name
	mkdir -p "$d"
	check "$name: setup ($nvms VMs, $nsess sessions)" "$stress" setup "$url" "$nvms" "$nsess" "$d/cookies"
	start=$(date +%s)
	pids=""
	for w in $(seq 1 "$workers"); do
		"$stress" run "$url" "$nvms" "$d/cookies" "$w" >"$d/w$w.log" 2>"$d/w$w.err" &
		pids="$pids $!"
	done
	bad=0
	for p in $pids; do wait "$p" || bad=$((bad + 1)); done
	echo "# $name: $workers workers x $nsess challenges in $(($(date +%s) - start)) s"
	cat "$d"/w*.err | sed 's/^/# /'
	check "$name: all $workers workers exit 0" [ "$bad" -eq 0 ]
	"$stress" dump "$url" "$nvms" >"$d/final" || echo "# dump failed"
	check "$name: final state of the $nvms VMs read" [ "$(grep -c '^VM ' "$d/final")" -eq "$nvms" ]
	cat "$d"/w*.log >"$d/all"
	ok_n=$(grep -c '^OK ' "$d/all")
	used_n=$(grep -c '^USED ' "$d/all")
	pend_n=$(grep -c '^PENDING ' "$d/all")
	echo "# $name: $ok_n boots, $pend_n clone-race refusals, $used_n replays refused"

	# Every cookie: exactly one answer (OK or PENDING), workers-1 replays refused.
	check "$name: every challenge answered exactly once, replays refused" awk -v w="$workers" -v n="$nsess" '
		$1 == "OK" || $1 == "PENDING" { ans[$2]++ } $1 == "USED" { used[$2]++ }
		END { if (length(ans) != n) exit 1
		      for (c in ans) if (ans[c] != 1 || used[c] != w - 1) exit 1 }' "$d/all"
	# Boots per VM: 1..final, each once.
	check "$name: each VM's boots 1..N handed out once each, N = final counter" awk '
		FNR == NR { final[$2] = $3; next }
		$1 == "OK" { if (seen[$3, $4]++) exit 1; cnt[$3]++; if ($4 > max[$3]) max[$3] = $4 }
		END { for (v in final) if (cnt[v] + 0 != final[v] || max[v] + 0 != final[v]) exit 1 }' \
		"$d/final" "$d/all"
	check "$name: min-generation never decreases along a VM's boots" sh -c "
		grep '^OK ' '$d/all' | sort -k3,3 -k4,4n | awk '
			\$3 != v { v = \$3; last = 0 } { if (\$5 < last) exit 1; last = \$5 }'"
	gen_ok=0
	for w in $(seq 1 "$workers"); do
		awk '$1 == "GEN" { if ($3 < last[$2]) exit 1; last[$2] = $3 }' "$d/w$w.log" || gen_ok=1
	done
	check "$name: no worker saw an acknowledged generation go back" [ "$gen_ok" -eq 0 ]
	check "$name: final acknowledged generation = max of the successful acks" awk '
		FNR == NR { final[$2] = $4; next }
		$1 == "ACKOK" && $4 > max[$2] { max[$2] = $4 }
		END { for (v in final) if (final[v] != max[v] + 0) exit 1 }' "$d/final" "$d/all"
	check "$name: boot window: boot B+1 only after boot B was acknowledged" awk '
		$1 == "ACKOK" { acked[$2, $3] = 1 }
		$1 == "OK" { sub(/^s/, "", $3); if ($3 % 2 == 1 && $4 > 1) need["s" $3, $4 - 1] = 1 }
		END { for (k in need) if (!(k in acked)) exit 1 }' "$d/all"
	check "$name: the race was real (refusals and replays seen)" [ "$pend_n" -gt 0 -a "$used_n" -gt 0 ]
}

[ -x "$stress" ] || make -s "$stress" >/dev/null
pgurl=$(sh tests/unit/kbs-db/pg-cluster.sh start "$pgdir")
check "PostgreSQL cluster started ($pgurl)" [ -n "$pgurl" ]
stress_backend postgresql "$pgurl"
stress_backend sqlite "sqlite:$tmp/kbs.db"

# --- two brokers over HTTP on one PostgreSQL ---
hvms=4
hrounds=${KBS_HTTP_ROUNDS:-15}
hthreads=${KBS_HTTP_THREADS:-8}
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; sh tests/unit/kbs-db/pg-cluster.sh stop "$pgdir" 2>/dev/null; rm -rf "$tmp" "$pgdir"' EXIT
for f in build/bin/kbs build/bin/kbs-admin; do [ -x "$f" ] || make -s "$f" >/dev/null; done
h=$tmp/http
mkdir -p "$h"
check "http: test SNP chain" bash tests/hosted/kbs_chain.sh "$h/chain" "$(printf 'ab%.0s' $(seq 64))"
pin=$(build/bin/kbs-admin keygen "$h/id.pem")
meas=$(printf '5a%.0s' $(seq 48))
reg=0
for i in $(seq 0 $((hvms - 1))); do
	build/bin/kbs-admin --db "$pgurl" vm-add "h$i" --measurement "$meas" >/dev/null || reg=1
done
check "http: $hvms VMs registered in PostgreSQL" [ "$reg" -eq 0 ]
# start_broker LOG: a broker on a free port; sets port and pids.
start_broker() {
	port=$(free_port)
	build/bin/kbs --listen "127.0.0.1:$port" --db "$pgurl" --identity-key "$h/id.pem" \
		--snp-chain "$h/chain" --boot-window 0 >/dev/null 2>"$1" &
	pids="$pids $!"
}
start_broker "$h/a.log"
port_a=$port
start_broker "$h/b.log"
port_b=$port
up=1
for _ in $(seq 50); do
	grep -q listening "$h/a.log" && grep -q listening "$h/b.log" && up=0 && break
	sleep 0.1
done
check "http: two brokers listening on one PostgreSQL ($port_a, $port_b)" [ "$up" -eq 0 ]
start=$(date +%s)
timeout 120 python3 tests/hosted/kbs_postgres_http.py "$port_a" "$port_b" "$h/chain" "$pin" "$meas" "$hvms" \
	"$hrounds" "$hthreads" "$h/events"
echo "# http: $hthreads clients x $hrounds rounds in $(($(date +%s) - start)) s:" \
	"$(grep -c '^BOOT ' "$h/events") boots, $(grep -c '^RACE ' "$h/events") races," \
	"$(grep -c '^ACKOK ' "$h/events") acks taken, $(grep -c '^ACKFAIL ' "$h/events") stale acks refused"
grep '^ERR' "$h/events" | head -n 5 | sed 's/^/# /'
check "http: no client error" [ "$(grep -c '^ERR' "$h/events")" -eq 0 ]
check "http: every round booted" [ "$(grep -c '^BOOT ' "$h/events")" -eq $((hrounds * hthreads)) ]
check "http: each answer sent to both brokers won exactly once" \
	sh -c "! grep '^RACE ' '$h/events' | grep -qv '^RACE 1\$' && grep -q '^RACE 1\$' '$h/events'"
build/bin/kbs-admin --db "$pgurl" vm-list | grep "^h" >"$h/final"
cut -d" " -f1-4 "$h/final" | sed "s/^/# /"
check "http: boots per VM 1..N once each, N = the final counter" awk '
	FNR == NR { b = $2; sub(/boot=/, "", b); final[$1] = b; next }
	$1 == "BOOT" { if (seen[$2, $3]++) exit 1; cnt[$2]++; if ($3 > max[$2]) max[$2] = $3 }
	END { for (v in final) if (cnt[v] + 0 != final[v] || max[v] + 0 != final[v]) exit 1 }' \
	"$h/final" "$h/events"
check "http: final acknowledged generation = max of the acks taken" awk '
	FNR == NR { g = $4; sub(/min-generation=/, "", g); final[$1] = g; next }
	$1 == "ACKOK" && $4 > max[$2] { max[$2] = $4 }
	END { for (v in final) if (final[v] != max[v] + 0) exit 1 }' "$h/final" "$h/events"
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null || alive=1; done
check "http: both brokers still alive" [ "$alive" -eq 0 ]
plan
