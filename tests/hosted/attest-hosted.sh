#!/bin/sh
# attest-bridge hosted end to end (docs/attestation.md): keel-hosted runs
# blkdev, storaged (key=2) and attest-bridge over TCP to a real broker
# (build/bin/kbs, --allow-emulated, SQLite under the work dir), with
# keel-hosted signing emulated reports for --launch-digest. Happy path
# twice (state persists, the generation moves), then refusals that must
# leave storaged locked and the state image byte for byte unchanged:
# wrong measurement, a broker with another identity key (MITM), the
# host replaying an old challenge or an old resource response
# (tests/hosted/replay-proxy.py), an older image copy (EROLLBACK), two clones
# racing (exactly one unlocks), and a broker that sends broken HTTP
# (tests/hosted/fake-kbs.py).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
[ -n "$KEEP" ] && trap "for p in \$pids; do kill \$p 2>/dev/null; done; echo kept $work" EXIT
for f in build/bin/keel-hosted build/bin/kbs build/bin/kbs-admin build/hosted/storaged \
	build/hosted/blkdev build/hosted/attest-bridge build/hosted/storaged-client; do
	if [ ! -x "$f" ]; then
		not_ok "$f is built (make)"
		plan
		exit 1
	fi
done
chain=kernel/platform/native/emulated-platform
good=$(printf 'ab%.0s' $(seq 48))
bad=$(printf 'cd%.0s' $(seq 48))


# kbs_start LABEL IDENTITY [ARGS]: a broker on a fresh port ($port), its log in $work/LABEL.kbs.
kbs_start() {
	label=$1 id=$2
	shift 2
	port=$(free_port)
	build/bin/kbs --listen "127.0.0.1:$port" --db "$work/kbs.db" --identity-key "$id" \
		--emulated-chain "$chain" --allow-emulated "$@" >"$work/$label.kbs" 2>&1 &
	kbs_pid=$!
	pids="$pids $kbs_pid"
	for _ in $(seq 50); do
		grep -q listening "$work/$label.kbs" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
kbs_stop() { kill "$kbs_pid" 2>/dev/null; wait "$kbs_pid" 2>/dev/null; }

# manifest FILE PORT CLIENT_MODE|-: blkdev, storaged, the bridge, a client on storaged's slot 3.
manifest() {
	{
		echo "task blkdev binary=blkdev memory=4M expect=any"
		echo "task storaged binary=storaged memory=64M expect=any arg=\"blk=1 key=2 ns=3:alpha\""
		echo "task attest-bridge binary=attest-bridge memory=32M cap=attest expect=exit0 arg=\"kbs=127.0.0.1:$2 key=2 vm=default kbs-pin=$pin\""
		if [ "$3" = - ]; then # a client that waits: answered "locked" when the key does not come
			echo "task client binary=storaged-client memory=16M expect=any arg=\"persist-check\""
		else
			echo "task client binary=storaged-client memory=16M arg=\"$3\""
		fi
		echo "channel storaged:1 blkdev:1"
		echo "channel storaged:2 attest-bridge:2"
		echo "channel storaged:3 client:1"
	} >"$1"
}

# boot LABEL STATE_DIR DIGEST CLIENT_MODE|-: one keel-hosted run against $port, output in $work/LABEL.out.
boot() {
	manifest "$work/$1.manifest" "$port" "$4"
	timeout 60 build/bin/keel-hosted --manifest "$work/$1.manifest" --state "$2" \
		--launch-digest "$3" >"$work/$1.out" 2>&1
	rc=$?
	sed 's/^/# /' "$work/$1.out"
	return $rc
}
quiet() { "$@" >/dev/null; }
has() { grep -q -- "$2" "$work/$1.out"; }
img() { cmp -s "$1/storage.img" "$2"; }

build/bin/kbs-admin keygen "$work/id.pem" >/dev/null
build/bin/kbs-admin keygen "$work/mitm.pem" >/dev/null
pin=$(build/bin/kbs-admin pin "$work/id.pem")
head -c 32 /dev/urandom >"$work/state.key"
check "the VM is registered with its measurement and state key" \
	quiet build/bin/kbs-admin --db "$work/kbs.db" vm-add default --measurement "$good" --state-key "$work/state.key"
kbs_start main "$work/id.pem" --boot-window 0 || not_ok "the broker starts"

# replay LABEL MODE: run the bridge through tests/hosted/replay-proxy.py in MODE.
relay() {
	rport=$(free_port)
	python3 tests/hosted/replay-proxy.py --port "$rport" --upstream "$port" --mode "$2" \
		--store "$work/replay" >"$work/$1.relay" 2>&1 &
	rp=$!
	pids="$pids $rp"
	for _ in $(seq 50); do [ -s "$work/$1.relay" ] && break; sleep 0.1; done
	kport=$port
	port=$rport
}
relay_end() { port=$kport; kill "$rp" 2>/dev/null; wait "$rp" 2>/dev/null; }
mkdir -p "$work/replay"

# 1. First boot: blank device, formatted, boot marker, acknowledged (through a
# relay that records the broker's challenge and resource response).
mkdir -p "$work/st"
relay run1 record
boot run1 "$work/st" "$good" persist-write
relay_end
check "run 1: the relay recorded a challenge and a resource response" \
	[ -s "$work/replay/auth" -a -s "$work/replay/resource" ]
check "run 1: the bridge says transport=tcp" has run1 "attest-bridge: transport=tcp"
check "run 1: storaged unlocked (generation 1)" has run1 "keel: state unlocked (generation 1)"
check "run 1: the client's objects are committed" has run1 "check ok: persist: two objects committed"
check "run 1: boot 1 acknowledged" has run1 "unlocked: boot 1, generation 1 acknowledged"
check "run 1: no key in the log" sh -c "! grep -q \"$(od -An -tx1 "$work/state.key" | tr -d ' \n' | cut -c1-16)\" '$work/run1.out'"
cp "$work/st/storage.img" "$work/run1.img"

# 2. Second boot: same state, the generation moves past what run 1 left.
boot run2 "$work/st" "$good" persist-check
check "run 2: storaged unlocked (generation 3)" has run2 "keel: state unlocked (generation 3)"
check "run 2: run 1's objects are there" has run2 "check ok: persist: p-small is back after the restart"
check "run 2: boot 2 acknowledged" has run2 "unlocked: boot 2, generation 3 acknowledged"
cp "$work/st/storage.img" "$work/run2.img"

# 3. Wrong measurement: refused at attest, no key, state unchanged.
boot wrongm "$work/st" "$bad" -
check "wrong measurement: refused with a clear line" has wrongm "attest-bridge: attest: the broker answered 401"
check "wrong measurement: storaged stays locked" sh -c "! grep -q 'state unlocked' '$work/wrongm.out'"
check "wrong measurement: the broker says why" grep -q "measurement" "$work/main.kbs"
check "wrong measurement: state image unchanged" img "$work/st" "$work/run2.img"
check "wrong measurement: the broker is still running" kill -0 "$kbs_pid" 2>/dev/null
kbs_stop

# 4. Clones racing: two copies of the state boot at once (boot window 60 s): exactly one unlocks.
kbs_start race "$work/id.pem" || not_ok "the broker starts (boot window 60 s)"
mkdir -p "$work/c1" "$work/c2"
cp "$work/run2.img" "$work/c1/storage.img"
cp "$work/run2.img" "$work/c2/storage.img"
boot clone1 "$work/c1" "$good" - &
b1=$!
boot clone2 "$work/c2" "$good" - >/dev/null
wait $b1
sed 's/^/# /' "$work/clone2.out"
unlocked=$(cat "$work/clone1.out" "$work/clone2.out" | grep -c "keel: state unlocked")
check "two clones: exactly one unlocks (got $unlocked)" [ "$unlocked" -eq 1 ]
check "two clones: the other is refused (boot in progress or rollback)" \
	sh -c "cat '$work/clone1.out' '$work/clone2.out' | grep -q 'answered 409\|storaged refused the key'"
kbs_stop
kbs_start main3 "$work/id.pem" --boot-window 0 || not_ok "the broker restarts"

# Replays of run 1's messages by the host: both refused, state unchanged.
relay rpres replay-resource
boot rpres "$work/st" "$good" -
relay_end
check "replayed resource response: refused (signed for an old nonce)" \
	has rpres "keel-kbs-sig) does not verify for this session's nonce; staying locked"
check "replayed resource response: storaged stays locked" sh -c "! grep -q 'state unlocked' '$work/rpres.out'"
check "replayed resource response: state image unchanged" img "$work/st" "$work/run2.img"
relay rpauth replay-auth
boot rpauth "$work/st" "$good" -
relay_end
check "replayed challenge: the broker refuses the attestation" has rpauth "attest: the broker answered 401"
check "replayed challenge: storaged stays locked" sh -c "! grep -q 'state unlocked' '$work/rpauth.out'"
check "replayed challenge: state image unchanged" img "$work/st" "$work/run2.img"

# 5. Rollback: run 1's image copy with min-generation 3: EROLLBACK.
mkdir -p "$work/old"
cp "$work/run1.img" "$work/old/storage.img"
boot rollback "$work/old" "$good" -
check "older image: storaged refuses it (rollback)" has rollback "rolled back\|EROLLBACK\|below the minimum\|rollback"
check "older image: the bridge reports the refusal" has rollback "storaged refused the key"
check "older image: storaged stays locked" sh -c "! grep -q 'state unlocked' '$work/rollback.out'"
check "older image: image unchanged" img "$work/old" "$work/run1.img"
kbs_stop

# 6. MITM: the host's own broker (its own identity key, a copy of the database: it could
# even have the state key): refused at the pin, before decrypting.
cp "$work/kbs.db" "$work/kbs-main.db"
kbs_start mitm "$work/mitm.pem" --boot-window 0 || not_ok "the MITM broker starts"
boot mitm "$work/st" "$good" -
check "other broker key: refused with the pin line" \
	has mitm "attest-bridge: broker key does not match the pinned key (pin $pin, got "
check "other broker key: storaged stays locked" sh -c "! grep -q 'state unlocked' '$work/mitm.out'"
check "other broker key: state image unchanged" img "$work/st" "$work/run2.img"
kbs_stop
cp "$work/kbs-main.db" "$work/kbs.db"

# 7. A broker (or host) that sends broken or hostile HTTP: a clear line, no key, no crash.
# fake_boot MODE BOOT_FILE MAX_CONNS: one boot of run 2's image against
# tests/hosted/fake-kbs.py in MODE (its pin in the manifest); the boot's
# log is fake-MODE.out, the requests the broker saw fake-MODE.req.
fake_boot() {
	port=$(free_port)
	python3 tests/hosted/fake-kbs.py --port "$port" --mode "$1" --identity "$work/fake.pem" \
		--state-key "$work/fake.key" --boot-file "$2" --max-conns "$3" \
		>"$work/fake-$1.pin" 2>"$work/fake-$1.req" &
	fp=$!
	pids="$pids $fp"
	for _ in $(seq 50); do [ -s "$work/fake-$1.pin" ] && break; sleep 0.1; done
	savepin=$pin
	pin=$(cat "$work/fake-$1.pin")
	mkdir -p "$work/f-$1"
	cp "$work/run2.img" "$work/f-$1/storage.img"
	boot "fake-$1" "$work/f-$1" "$good" -
	pin=$savepin
	kill "$fp" 2>/dev/null
	wait "$fp" 2>/dev/null
}
fake() { # MODE EXPECTED_LOG_FRAGMENT
	fake_boot "$1" "$work/fake.boot" 2
	if [ "$1" = chunked ]; then
		# Its own state key: the copied image does not open, but the bridge got that far.
		check "fake broker, chunked bodies: the bridge reaches UNLOCK" has "fake-$1" "storaged refused the key"
		return
	fi
	check "fake broker, $1: refused: $2" has "fake-$1" "$2"
	check "fake broker, $1: storaged stays locked, the bridge exits 0" \
		sh -c "! grep -q 'state unlocked' '$work/fake-$1.out' && grep -q \"task 'attest-bridge' exited 0\" '$work/fake-$1.out'"
	check "fake broker, $1: state image unchanged" img "$work/f-$1" "$work/run2.img"
}
fake garbage "auth: not an HTTP/1.x status line"
fake truncated "auth: the connection closed in the middle of a response"
fake oversized "auth: a bad or oversized Content-Length"
fake badchunk "auth: a bad chunk size"
fake notjson "auth: the broker's answer is not a JSON object"
fake badsig "keel-kbs-sig) does not verify for this session's nonce"
fake tamper "the resource does not decrypt"
fake chunked ""

# 8. A broker that closes a new connection before answering (a TLS server
# past its handshake deadline on a lossy path looks like that): the bridge
# starts again with a new session, at most 3 times, and never before the
# resource request, the step the broker counts a boot at.
fake_drop() { # MODE TRIES_EXPECTED
	fake_boot "$1" "$work/fake-$1.boot" 6
	sed 's/^/# /' "$work/fake-$1.req"
	check "fake broker, $1: $2 auth requests" [ "$(grep -c 'POST /kbs/v0/auth' "$work/fake-$1.req")" = "$2" ]
	[ "$2" -gt 1 ] || return 0
	check "fake broker, $1: started again with a new session (2 of 3)" \
		has "fake-$1" "the broker closed the connection before answering; starting again with a new session (2 of 3)"
}
fake_drop dropfirst 2
check "fake broker, dropfirst: the bridge then reaches UNLOCK" has fake-dropfirst "storaged refused the key"
check "fake broker, dropfirst: one resource request" \
	[ "$(grep -c 'GET /kbs/v0/resource' "$work/fake-dropfirst.req")" = 1 ]
fake_drop dropattest 2
check "fake broker, dropattest: the bridge then reaches UNLOCK" has fake-dropattest "storaged refused the key"
check "fake broker, dropattest: three attest requests, one resource" sh -c \
	"[ \$(grep -c 'POST /kbs/v0/attest' '$work/fake-dropattest.req') = 3 ] && [ \$(grep -c 'GET /kbs/v0/resource' '$work/fake-dropattest.req') = 1 ]"
fake_drop dropall 3
check "fake broker, dropall: gives up after the third: staying locked" \
	has fake-dropall "auth: the broker closed the connection before answering; staying locked"
check "fake broker, dropall: never asked for the resource" \
	sh -c "! grep -q resource '$work/fake-dropall.req'"
check "fake broker, dropall: storaged stays locked, the bridge exits 0" \
	sh -c "! grep -q 'state unlocked' '$work/fake-dropall.out' && grep -q \"task 'attest-bridge' exited 0\" '$work/fake-dropall.out'"
check "fake broker, dropall: state image unchanged" img "$work/f-dropall" "$work/run2.img"
fake_drop dropresource 1
check "fake broker, dropresource: no new session once the resource was asked for" \
	has fake-dropresource "resource: the broker closed the connection before answering; staying locked"
check "fake broker, dropresource: one reopen of the keep-alive connection, no more" \
	[ "$(grep -c 'GET /kbs/v0/resource' "$work/fake-dropresource.req")" = 2 ]
check "fake broker, dropresource: state image unchanged" img "$work/f-dropresource" "$work/run2.img"
plan
