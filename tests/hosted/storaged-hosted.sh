#!/bin/sh
# storaged hosted end to end (docs/storaged.md): keel-hosted runs blkdev
# (a file in --state), storaged and the storaged-client test task
# (tests/tasks/storaged-client/), whose "check ok|FAIL:" lines become TAP
# results here. Covers the API (tests/hosted/storaged-api.manifest),
# namespaces, locked until keyed (wrong key, rollback, key channel gone),
# dev-key, the RAM fallback, persistence across restarts, a foreign image
# (refused, not reformatted) and power cuts during a commit.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in build/bin/keel-hosted build/hosted/storaged build/hosted/blkdev build/hosted/storaged-client; do
	if [ ! -x "$f" ]; then
		not_ok "$f is built (make)"
		plan
		exit 1
	fi
done

# manifest FILE STORAGED_ARG KEY_MODE CLIENT_MODE: blkdev, storaged, a key
# sender on storaged's slot 2 (none if KEY_MODE is -) and a client on slot 3.
manifest() {
	{
		echo "task blkdev binary=blkdev memory=4M expect=any"
		echo "task storaged binary=storaged memory=64M expect=any arg=\"$2\""
		[ "$3" = - ] || echo "task keys binary=storaged-client memory=8M arg=\"key $3\""
		echo "task client binary=storaged-client memory=16M arg=\"$4\""
		echo "channel storaged:1 blkdev:1"
		[ "$3" = - ] || echo "channel storaged:2 keys:1"
		echo "channel storaged:3 client:1"
	} >"$1"
}

# run LABEL MANIFEST STATE_DIR|- : keel-hosted, output in $work/LABEL.out,
# the tasks' check lines as TAP, then its exit status and the failure count.
run() {
	label=$1 out="$work/$1.out"
	if [ "$3" = - ]; then
		timeout 120 build/bin/keel-hosted --manifest "$2" >"$out" 2>&1
	else
		timeout 120 build/bin/keel-hosted --manifest "$2" --state "$3" >"$out" 2>&1
	fi
	rc=$?
	sed 's/^/# /' "$out"
	while IFS= read -r line; do
		case $line in
		*"] check ok: "*) ok "$label: ${line#*] check ok: }" ;;
		*"] check FAIL: "*) not_ok "$label: ${line#*] check FAIL: }" ;;
		esac
	done <"$out"
	check "$label: keel-hosted exits 0" [ "$rc" -eq 0 ]
	check "$label: no task reports a failed check" sh -c "! grep -q 'summary: [0-9]* checks, [1-9]' '$out'"
}

KEYED="blk=1 key=2 ns=3:alpha"

# Configuration errors: a clear line and a non-zero exit, nothing served.
# (storaged expect=exit0 so that the run ends when it does.)
bad_config() { # LABEL ARG EXIT_STATUS MESSAGE
	printf '%s\n' "task blkdev binary=blkdev memory=4M expect=any" \
		"task storaged binary=storaged memory=64M arg=\"$2\"" "channel storaged:1 blkdev:1" \
		"channel storaged:3 blkdev:3" >"$work/bad.manifest"
	timeout 60 build/bin/keel-hosted --manifest "$work/bad.manifest" >"$work/bad.out" 2>&1
	sed 's/^/# /' "$work/bad.out"
	check "$1: storaged exits $3" grep -q "^task 'storaged' exited $3 " "$work/bad.out"
	check "$1: it says why" grep -qF "$4" "$work/bad.out"
}
bad_config "namespace slot used twice" "blk=1 dev-key ns=3:a ns=3:b" 2 \
	'storaged: bad configuration (manifest arg=): slot used twice: "ns=3:b"'
bad_config "key= and dev-key" "blk=1 key=2 dev-key ns=3:a" 2 "key=SLOT and dev-key exclude each other"
bad_config "a slot the manifest does not connect" "blk=1 dev-key ns=3:a ns=5:b" 1 \
	"storaged: slot 5 (b) is not a channel in the manifest"

# The API, three namespaces, one store.
mkdir -p "$work/api"
run api tests/hosted/storaged-api.manifest "$work/api"
check "api: the three clients ran their checks" [ "$(grep -c 'summary: [0-9]* checks, 0 failed' "$work/api.out")" -eq 3 ]
check "api: storaged formatted the blank device" grep -q "storaged: formatted the blank state device" "$work/api.out"

# The staging limits (a task with two channels, nothing else staging; RAM only).
cat >"$work/limits.manifest" <<EOT
task blkdev binary=blkdev memory=4M expect=any
task storaged binary=storaged memory=64M expect=any arg="blk=1 dev-key ns=3:alpha ns=4:beta"
task client binary=storaged-client memory=8M arg=limits
channel storaged:1 blkdev:1
channel storaged:3 client:1
channel storaged:4 client:2
EOT
run limits "$work/limits.manifest" -

# Persistence across restarts, and the key rules, on one state directory.
s="$work/state"
mkdir -p "$s"
manifest "$work/m" "$KEYED" good persist-write
run persist-write "$work/m" "$s"
gen=$(sed -n 's/.*persist: generation \([0-9]*\).*/\1/p' "$work/persist-write.out")
manifest "$work/m" "$KEYED" good persist-check
run persist-check "$work/m" "$s"
check "persist: reopened at the generation written ($gen)" grep -q "storaged: unlocked: generation $gen\$" "$work/persist-check.out"

manifest "$work/m" "$KEYED" wrong-then-good locked-get
run wrong-key "$work/m" "$s"
check "wrong key: storaged logs one clear line and stays locked" \
	grep -q "storaged: cannot open the state device: wrong key: .*staying locked, not formatting it" "$work/wrong-key.out"
refused=$(grep -n "key sender: first UNLOCK answered -9" "$work/wrong-key.out" | cut -d: -f1)
answered=$(grep -n "locked-get: answered 0" "$work/wrong-key.out" | cut -d: -f1)
unlocked=$(grep -n "storaged: unlocked: generation" "$work/wrong-key.out" | cut -d: -f1)
check "wrong key: the client was answered only after the right key (lines $refused < $unlocked < $answered)" \
	[ "${refused:-0}" -gt 0 ] && [ "${unlocked:-0}" -gt "${refused:-0}" ] && [ "${answered:-0}" -gt "${unlocked:-0}" ]

manifest "$work/m" "$KEYED" wrong "locked-get locked"
run key-gone "$work/m" "$s"
check "key channel gone while locked: storaged says clients get \"locked\"" \
	grep -q "storaged: the key channel closed while locked" "$work/key-gone.out"

manifest "$work/m" "$KEYED" rollback persist-check
run rollback "$work/m" "$s"
check "rollback: storaged names the generations" grep -q "storaged: cannot open the state device: rollback" "$work/rollback.out"

# dev-key: loud, in a fresh directory; then the dev key on an image made with another key.
mkdir -p "$work/dev"
run dev-key tests/hosted/storaged-devkey.manifest "$work/dev"
check "dev-key: the INSECURE development key is logged" grep -q "storaged: INSECURE development key" "$work/dev-key.out"
check "dev-key: a banner line marks it" grep -q "storaged: \*\*\*\*\*\*\*\*\*\*" "$work/dev-key.out"
check "dev-key: STATUS flags unlocked + dev key (0x3)" grep -q "persist: STATUS answered 24 bytes, flags 0x3" "$work/dev-key.out"
manifest "$work/m" "blk=1 ns=3:alpha dev-key" - "locked-get locked"
run dev-key-wrong "$work/m" "$s"
check "dev-key on another key's image: refused with a clear line" \
	grep -q "storaged: the development key cannot open the state device" "$work/dev-key-wrong.out"

# No --state: blkdev has no device, storaged keeps state in RAM and says so.
manifest "$work/m" "$KEYED" good persist-write
run volatile "$work/m" -
check "volatile: loud line that nothing persists" \
	grep -q "storaged: no state device: state is in RAM and will NOT persist" "$work/volatile.out"
check "volatile: STATUS flags unlocked + volatile (0x5)" grep -q "persist: STATUS answered 24 bytes, flags 0x5" "$work/volatile.out"
check "persist-write (keyed, on a file): STATUS flags unlocked only (0x1)" \
	grep -q "persist: STATUS answered 24 bytes, flags 0x1" "$work/persist-write.out"

# A foreign image is refused and left alone.
mkdir -p "$work/foreign"
head -c 8388608 /dev/urandom >"$work/foreign/storage.img"
cp "$work/foreign/storage.img" "$work/foreign.orig"
manifest "$work/m" "$KEYED" foreign "locked-get locked"
run foreign "$work/m" "$work/foreign"
check "foreign image: storaged names it" grep -q "storaged: cannot open the state device: not a Keel store" "$work/foreign.out"
check "foreign image: not reformatted (byte for byte unchanged)" cmp -s "$work/foreign/storage.img" "$work/foreign.orig"
check "foreign image: no format line" sh -c "! grep -q 'formatted' '$work/foreign.out'"

# Power cut during a commit of three objects: after N block writes (and
# torn), then a restart: exactly version 1 or version 2, never a mix.
mkdir -p "$work/f0"
manifest "$work/m" "$KEYED" good "fault setup"
run fault-setup "$work/m" "$work/f0"
manifest "$work/mw" "$KEYED" good "fault write"
manifest "$work/mc" "$KEYED" good "fault check"
v1=0 v2=0 bad=0 cuts=0
# The commit takes 14 block writes here (three 9000-byte objects); cut at
# each, tear a few (the last is the superblock), and once not at all.
for spec in after=0 after=1 after=2 after=3 after=4 after=5 after=6 after=7 after=8 after=9 \
	after=10 after=11 after=12 after=13 after=14 after=1,tear=100 after=8,tear=2048 \
	after=13,tear=1 after=13,tear=2048 after=13,tear=4095 after=1000; do
	rm -rf "$work/f"
	cp -r "$work/f0" "$work/f"
	KEEL_BLK_FAULT=$spec timeout 120 build/bin/keel-hosted --manifest "$work/mw" --state "$work/f" \
		>"$work/fw.out" 2>&1
	grep -q "power cut at block" "$work/fw.out" && cuts=$((cuts + 1))
	timeout 120 build/bin/keel-hosted --manifest "$work/mc" --state "$work/f" >"$work/fc.out" 2>&1
	v=$(sed -n 's/.*fault check: state is version \([0-9-]*\).*/\1/p' "$work/fc.out")
	echo "# $spec: $(grep -o 'fault write: .*' "$work/fw.out") -> version ${v:-none}"
	case $v in
	1) v1=$((v1 + 1)) ;;
	2) v2=$((v2 + 1)) ;;
	*) bad=$((bad + 1)); sed 's/^/# /' "$work/fc.out" ;;
	esac
done
check "power cuts: every restart found exactly one version ($v1 old, $v2 new, $bad mixed or unreadable)" [ "$bad" -eq 0 ]
check "power cuts: the cut hit the commit ($cuts cuts) and both outcomes occurred" \
	[ "$cuts" -ge 17 ] && [ "$v1" -gt 0 ] && [ "$v2" -gt 0 ]
plan
