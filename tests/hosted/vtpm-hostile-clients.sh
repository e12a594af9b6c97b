#!/bin/bash
# Hostile clients cannot lock others out of keel-hosted's TPM front end
# (docs/tpm-frontends.md, "Hostile clients"). With 80 idle connections, 64
# half-sent frames and one client that sends without ever reading its
# answers all open, a real tpm2-tools client still gets through within 3 s;
# then the half-sent frames and the non-reader are closed after their 5 s
# deadlines and the idle connections after --tpm-idle-timeout (8 s here).
# Then, with keel-hosted's fd limit at 512 (room for 448 clients), 600 idle
# connections evict the longest idle instead of locking the next client out.
# The helper clients are tests/hosted/tpm-hostile-clients.py.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-hostile.XXXXXX")
kh_pid= helper=
trap 'kill $kh_pid $helper 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
pick_ports || { not_ok "no free port pair"; echo "1..$n"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
hostile=$root/tests/hosted/tpm-hostile-clients.py
log=$tmp/run.log

# within SECONDS CMD...: runs CMD, true if it succeeded within SECONDS; says how long it took.
within() {
	local limit=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	timeout 30 "$@" >/dev/null 2>&1
	rc=$?
	t1=$(date +%s%N)
	took=$(((t1 - t0) / 1000000))
	echo "# $* took $took ms (rc $rc)"
	[ $rc -eq 0 ] && [ $took -le $((limit * 1000)) ]
}

# wait_file FILE SECONDS
wait_file() {
	local i
	for i in $(seq $(($2 * 10))); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}

(ulimit -n 512 && exec "$root/build/bin/keel-hosted" --manifest "$kh_manifest" --state "$tmp/state" \
	--tpm-port "$port" --platform-port "$((port + 1))" --tpm-idle-timeout 8) >"$log" 2>&1 &
kh_pid=$!
for i in $(seq 600); do
	grep -q "vtpm: TPM powered on" "$log" && grep -q "^keel-hosted: TPM mssim protocol" "$log" && break
	kill -0 "$kh_pid" 2>/dev/null || break
	sleep 0.1
done
check "keel-hosted starts (fd limit 512, idle timeout 8 s)" grep -q "^keel-hosted: TPM mssim protocol" "$log"
check "tpm2_startup -c" within 10 tpm2_startup -c

python3 "$hostile" crowd "$port" "$((port + 1))" "$tmp/ready" "$tmp/crowd" 14 &
helper=$!
check "80 idle, 64 half-sent and one non-reading client connected" wait_file "$tmp/ready" 30
check "meanwhile tpm2_getrandom gets through within 3 s" within 3 tpm2_getrandom 16
check "meanwhile tpm2_pcrread gets through within 3 s" within 3 tpm2_pcrread sha256:0,1
wait "$helper"
helper=
sed 's/^/# closed: /' "$tmp/crowd"
# class opened closed first last
read -r _ h_open h_closed h_first h_last < <(grep '^half-sent ' "$tmp/crowd")
read -r _ r_open r_closed r_first r_last < <(grep '^non-reader ' "$tmp/crowd")
read -r _ i_open i_closed i_first i_last < <(grep '^idle ' "$tmp/crowd")
# all_closed WANT CLOSED FIRST LAST LO HI: WANT connections closed, each LO-HI s after going quiet.
all_closed() {
	[ "$2" = "$1" ] && awk -v a="$3" -v b="$4" -v lo="$5" -v hi="$6" \
		'BEGIN { exit !(a >= lo && a <= hi && b >= lo && b <= hi) }'
}
check "all 64 half-sent frames closed 4-8 s after their last byte ($h_closed, ${h_first}-${h_last} s)" \
	all_closed 64 "$h_closed" "$h_first" "$h_last" 4 8
check "the non-reader closed within 8 s of its answers backing up ($r_closed, ${r_last} s)" \
	all_closed 1 "$r_closed" "$r_first" "$r_last" 0 8
check "all 80 idle connections closed 7-12 s after connecting ($i_closed, ${i_first}-${i_last} s)" \
	all_closed 80 "$i_closed" "$i_first" "$i_last" 7 12
check "each deadline is logged" sh -c "grep -q 'frame not completed within 5 s' '$log' &&
	grep -q 'not reading its answers' '$log' && grep -q 'idle for 8 s; connection closed' '$log'"
check "afterwards tpm2_getrandom within 3 s" within 3 tpm2_getrandom 16

python3 "$hostile" flood "$port" 600 "$tmp/ready2" "$tmp/flood" 6 &
helper=$!
check "600 idle connections opened (fd limit 512)" wait_file "$tmp/ready2" 30
check "meanwhile tpm2_getrandom gets through within 3 s" within 3 tpm2_getrandom 16
wait "$helper"
helper=
read -r _ f_open f_closed < <(cat "$tmp/flood")
echo "# flood: $f_open opened, $f_closed closed by the server"
check "the longest idle were closed to admit new clients ($f_closed of $f_open)" \
	sh -c "[ '$f_open' = 600 ] && [ '$f_closed' -ge 100 ] && grep -q 'to admit a new client' '$log'"
check "keel-hosted still serves: tpm2_getrandom within 3 s" within 3 tpm2_getrandom 16
kill -TERM "$kh_pid"
wait "$kh_pid"
st=$?
kh_pid=
check "SIGTERM: keel-hosted exits 0" [ "$st" -eq 0 ]
grep "tpm:" "$log" | sort | uniq -c | sort -rn | sed 's/^/# /' | head -n 12
echo "1..$n"
[ "$fails" -eq 0 ]
