#!/bin/sh
# keel-varctl (docs/keel-varctl.md) hosted. First both transports' framing
# (--state's guest-port window, --serial's KMMQ/KMMP frames) against a
# stand-in service (varctl-fake.py); then the real uefivars service under
# keel-hosted with storaged (uefivars.manifest below): set/get/list/delete
# round trips, EFI_NOT_FOUND for a missing variable, Debian's
# OVMF_VARS_4M.ms.fd imported and compared variable by variable with an
# independent parse (varctl-fdcheck.py), export -> JSON -> import into a
# fresh store -> the same export, persistence across a restart, import into
# a non-empty store refused, strict JSON and usage errors; set --auth with
# efitools .auth files (PK, KEK, db, an append, a wrongly signed one).
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
fake_pid="" hosted_pid=""
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	[ -n "$hosted_pid" ] && kill "$hosted_pid" 2>/dev/null
	wait
	rm -rf "$work"
}
trap cleanup EXIT
V=build/bin/keel-varctl
G=01234567-89ab-cdef-0123-456789abcdef
FD=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
for f in "$V" build/bin/keel-hosted "$FD"; do
	if [ ! -e "$f" ]; then
		not_ok "$f exists (make; package ovmf)"
		plan
		exit 1
	fi
done
printf 'hello' >"$work/hello.bin"

# wait_sock PATH: up to 10 s for a socket to appear.
wait_sock() {
	i=0
	while [ ! -S "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$1" ]
}

# expect_fail LABEL EXIT MESSAGE CMD...: CMD exits EXIT and says MESSAGE on stderr.
expect_fail() {
	label=$1 want=$2 msg=$3
	shift 3
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	sed 's/^/#   stderr: /' "$work/err"
	check "$label: exit $want" [ "$rc" -eq "$want" ]
	check "$label: says '$msg'" grep -qF -- "$msg" "$work/err"
}

# roundtrip LABEL ARGS...: plain variables on an empty store.
roundtrip() {
	l=$1
	shift
	check "$l: set Foo" $V "$@" set Foo --guid $G --attrs NV,BS,RT --data-file "$work/hello.bin"
	check "$l: get Foo prints its hex" [ "$($V "$@" get Foo --guid $G)" = 68656c6c6f ]
	$V "$@" get Foo --guid $G --raw >"$work/raw"
	check "$l: get --raw writes the bytes" cmp -s "$work/raw" "$work/hello.bin"
	check "$l: set --append" $V "$@" set Foo --guid $G --attrs 7 --append --data-file "$work/hello.bin"
	check "$l: appended" [ "$($V "$@" get Foo --guid $G)" = 68656c6c6f68656c6c6f ]
	$V "$@" list >"$work/list"
	sed 's/^/#   /' "$work/list"
	check "$l: list shows 'GUID NAME ATTRS SIZE'" grep -qx "$G Foo NV,BS,RT 10" "$work/list"
	check "$l: delete Foo" $V "$@" delete Foo --guid $G
	expect_fail "$l: get of a deleted variable" 1 "get Foo: EFI_NOT_FOUND" $V "$@" get Foo --guid $G
	expect_fail "$l: get of a never-set variable" 1 "EFI_NOT_FOUND" $V "$@" get NoSuchVar
	check "$l: nothing on stdout then" [ ! -s "$work/out" ]
}

# ms_import LABEL ARGS...: Debian's MS-enrolled varstore into an empty store.
ms_import() {
	l=$1
	shift
	check "$l: import $FD" $V "$@" import "$FD"
	$V "$@" list >"$work/list"
	for v in "8be4df61-93ca-11d2-aa0d-00e098032b8c PK" "8be4df61-93ca-11d2-aa0d-00e098032b8c KEK" \
		"d719b2cb-3d3a-4596-a3bc-dad00e67656f db" "d719b2cb-3d3a-4596-a3bc-dad00e67656f dbx"; do
		check "$l: list shows ${v#* } (NV,BS,RT,AT)" grep -q "^$v NV,BS,RT,AT " "$work/list"
	done
	python3 tests/hosted/varctl-fdcheck.py "$FD" >"$work/fd.txt"
	bad=0 total=0
	while read -r guid name _attr hex; do
		total=$((total + 1))
		name=$(printf '%s' "$name" | tr _ ' ')
		got=$($V "$@" get "$name" --guid "$guid")
		if [ "$got" != "$hex" ]; then
			echo "#   $name ($guid): value differs from the file's"
			bad=$((bad + 1))
		fi
	done <"$work/fd.txt"
	check "$l: all $total variables of the file read back byte for byte ($bad differ)" [ "$bad" -eq 0 -a "$total" -gt 20 ]
	check "$l: list gives each variable of the file its attributes and size" python3 -c '
import sys
bits = {"NV": 1, "BS": 2, "RT": 4, "HR": 8, "AW": 0x10, "AT": 0x20, "AP": 0x40, "EA": 0x80}
listed = {}
for line in open(sys.argv[1]):
    head, attrs, size = line.rstrip("\n").rsplit(" ", 2)
    guid, name = head.split(" ", 1)
    listed[(guid, name)] = (sum(bits[a] for a in attrs.split(",")), int(size))
for line in open(sys.argv[2]):
    guid, name, attr, hexdata = line.split()
    key = (guid, name.replace("_", " "))
    assert listed.get(key) == (int(attr, 16), len(hexdata) // 2), (key, listed.get(key), attr)
' "$work/list" "$work/fd.txt"
	check "$l: get PK with the default GUID" [ "$($V "$@" get PK)" = "$(awk '$2 == "PK" { print $4 }' "$work/fd.txt")" ]
	check "$l: get db with the default GUID (image security database)" \
		[ "$($V "$@" get db)" = "$(awk '$2 == "db" { print $4 }' "$work/fd.txt")" ]
	expect_fail "$l: a second import" 1 "EFI_WRITE_PROTECTED (the store is not empty)" $V "$@" import "$FD"
}

# json_checks LABEL FILE: the export's shape (python's json, not jansson).
json_checks() {
	check "$1: export is JSON v2 with PK's data and time, NV only" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["version", "variables"] and d["version"] == 2, "top level"
fd = {l.split()[1].replace("_", " "): l.split()[3] for l in open(sys.argv[2])}
pk = [v for v in d["variables"] if v["name"] == "PK"][0]
assert list(pk) == ["guid", "name", "attr", "data", "time"], list(pk)
assert pk["guid"] == "8be4df61-93ca-11d2-aa0d-00e098032b8c" and pk["attr"] == 0x27
assert pk["data"] == fd["PK"] and len(pk["time"]) == 32 and pk["time"] != "0" * 32
assert all(v["attr"] & 1 for v in d["variables"]), "a volatile variable exported"
assert {v["name"] for v in d["variables"]} >= set(fd), "missing: %s" % (set(fd) - {v["name"] for v in d["variables"]})
' "$2" "$work/fd.txt"
}

# bad_input ARGS...: refused before anything reaches the service.
bad_input() {
	expect_fail "usage: unknown command" 2 "unknown command" $V "$@" frobnicate
	expect_fail "usage: set without --attrs" 2 "needs --attrs" $V "$@" set Foo --data-file "$work/hello.bin"
	expect_fail "usage: a bad GUID" 2 "is not a GUID" $V "$@" get Foo --guid 1234
	expect_fail "usage: bad attributes" 2 "bad --attrs" $V "$@" set Foo --attrs NV,XX --data-file "$work/hello.bin"
	expect_fail "usage: no transport" 2 "give one of --state and --serial" $V list
	printf '{"version": 2, "variables": [{"guid": "%s", "name": "A", "attr": 7, "data": "0"}]}' $G >"$work/j1"
	expect_fail "json: odd hex" 1 'variables[0] ("A"): "data": odd number of hex digits' $V "$@" import "$work/j1"
	printf '{"version": 2, "variables": [{"guid": "%s", "name": "A", "attr": 7, "data": "00", "x": 1}]}' $G >"$work/j2"
	expect_fail "json: unknown key" 1 'unknown key "x"' $V "$@" import "$work/j2"
	printf '{"version": 3, "variables": []}' >"$work/j3"
	expect_fail "json: version 3" 1 '"version" is missing or not 2' $V "$@" import "$work/j3"
	printf '{"version": 2, "variables": [' >"$work/j4"
	expect_fail "json: truncated" 1 "not valid JSON" $V "$@" import "$work/j4"
	head -c 300000 "$FD" >"$work/cut.fd"
	python3 -c '
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
off = struct.unpack_from("<H", d, 48)[0] + 28
ns, ds = struct.unpack_from("<II", d, off + 36)
struct.pack_into("<I", d, ((off + 60 + ns + ds + 3) & ~3) + 36, 0x7fffffff)
open(sys.argv[2], "wb").write(d)' "$FD" "$work/badname.fd"
	expect_fail "fd: a NameSize past the store" 1 "not a usable edk2 varstore: variable 1 at 0x" \
		$V "$@" import "$work/badname.fd"
	check "fd: ... says what" grep -qF "name runs past the store" "$work/err"
	expect_fail "fd: truncated varstore" 1 "not a usable edk2 varstore: FvLength runs past the end of the file" \
		$V "$@" import "$work/cut.fd"
}

# ---- 1. framing, against the stand-in ----
for mode in port serial; do
	if [ $mode = port ]; then
		mkdir -p "$work/fake"
		sock="$work/fake/svsm.sock" args="--state $work/fake"
	else
		sock="$work/fake.sock" args="--serial $work/fake.sock"
	fi
	rm -f "$sock"
	python3 tests/hosted/varctl-fake.py $mode "$sock" &
	fake_pid=$!
	wait_sock "$sock" || not_ok "fake $mode: listening"
	# shellcheck disable=SC2086
	roundtrip "fake $mode" $args
	# a value past one 64 KiB buffer: keel-varctl moves to a larger one
	head -c 100000 /dev/urandom >"$work/big.bin"
	# shellcheck disable=SC2086
	check "fake $mode: set a 100000-byte variable" $V $args set Big --guid $G --attrs 3 --data-file "$work/big.bin"
	# shellcheck disable=SC2086
	$V $args get Big --guid $G --raw >"$work/big.out"
	check "fake $mode: get it back (a buffer above 64 KiB)" cmp -s "$work/big.bin" "$work/big.out"
	# shellcheck disable=SC2086
	$V $args delete Big --guid $G
	# shellcheck disable=SC2086
	ms_import "fake $mode" $args
	# shellcheck disable=SC2086
	$V $args export "$work/fake-$mode.json"
	json_checks "fake $mode" "$work/fake-$mode.json"
	kill "$fake_pid"
	wait "$fake_pid" 2>/dev/null
	fake_pid=""
done
check "fake: both transports export the same JSON" cmp -s "$work/fake-port.json" "$work/fake-serial.json"
rm -f "$work/fake/svsm.sock"
python3 tests/hosted/varctl-fake.py port "$work/fake/svsm.sock" &
fake_pid=$!
wait_sock "$work/fake/svsm.sock"
bad_input --state "$work/fake"
printf 'signed-payload' >"$work/x.auth"
check "fake: set --auth sends NV,BS,RT,AT" $V --state "$work/fake" set KEK --auth "$work/x.auth"
$V --state "$work/fake" list >"$work/list"
check "fake: ... with the global GUID" grep -qx "8be4df61-93ca-11d2-aa0d-00e098032b8c KEK NV,BS,RT,AT 14" "$work/list"
kill "$fake_pid"
wait "$fake_pid" 2>/dev/null
fake_pid=""

# ---- 2. the service, under keel-hosted ----
cat >"$work/uefivars.manifest" <<'M'
task blkdev binary=blkdev memory=4M expect=any
task storaged binary=storaged memory=64M expect=any arg="blk=1 ns=3:uefivars dev-key"
task uefivars binary=uefivars memory=32M protocol=4 buffer=1:rcx+rdx:262144 expect=any arg="store=1"
channel storaged:1 blkdev:1
channel storaged:3 uefivars:1
M
# start DIR: keel-hosted on state DIR, log in DIR.log; stop: SIGTERM, wait.
start() {
	build/bin/keel-hosted --manifest "$work/uefivars.manifest" --state "$1" >>"$1.log" 2>&1 &
	hosted_pid=$!
	wait_sock "$1/svsm.sock"
}
stop() {
	kill "$hosted_pid" 2>/dev/null
	wait "$hosted_pid" 2>/dev/null
	hosted_pid=""
}
if [ ! -x build/hosted/uefivars ]; then
	not_ok "build/hosted/uefivars is built (make)"
	plan
	exit 1
fi
mkdir -p "$work/s1" "$work/s2"
check "service: keel-hosted serves the guest port" start "$work/s1"
roundtrip service --state "$work/s1"
ms_import service --state "$work/s1"
check "service: export" $V --state "$work/s1" export "$work/e1.json"
json_checks service "$work/e1.json"
stop
check "service: a fresh store" start "$work/s2"
check "service: import the exported JSON" $V --state "$work/s2" import "$work/e1.json"
$V --state "$work/s2" export "$work/e2.json"
check "service: its export equals the first" cmp "$work/e1.json" "$work/e2.json"
stop
check "service: restarted on the same state" start "$work/s2"
$V --state "$work/s2" export "$work/e3.json"
check "service: the variables survived the restart" cmp "$work/e2.json" "$work/e3.json"
expect_fail "service: import into the restarted store" 1 "EFI_WRITE_PROTECTED" $V --state "$work/s2" import "$work/e1.json"
stop

# A private authenticated variable (its signer digest) and a non-ASCII name:
# JSON -> service -> JSON unchanged.
mkdir -p "$work/s4"
cat >"$work/priv.json" <<'J'
{
    "version": 2,
    "variables": [
        {
            "guid": "01234567-89ab-cdef-0123-456789abcdef",
            "name": "Private",
            "attr": 39,
            "data": "00112233",
            "time": "e907030a023527000000000000000000",
            "digest": "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
        },
        {
            "guid": "8be4df61-93ca-11d2-aa0d-00e098032b8c",
            "name": "Bootü",
            "attr": 7,
            "data": "01"
        }
    ]
}
J
check "digest: a fresh store" start "$work/s4"
check "digest: import a private authenticated variable" $V --state "$work/s4" import "$work/priv.json"
$V --state "$work/s4" export "$work/priv-out.json"
check "digest: export gives back the same JSON (digest, time, UTF-8 name)" cmp "$work/priv.json" "$work/priv-out.json"
check "digest: get by the UTF-8 name" [ "$($V --state "$work/s4" get "Bootü")" = 01 ]
stop

# set --auth on the service: efitools .auth files made now (a fresh store is
# in setup mode): PK self-signed, KEK by PK, db by KEK, an append by KEK; a
# db append signed by a key nobody enrolled is refused. (docs/secure-boot.md
# and the uefivars Secure Boot tests cover the rules; this is the tool's path.)
mk_auth() { # NAME: NAME.key/.crt/.esl
	openssl req -new -x509 -newkey rsa:2048 -nodes -subj "/CN=varctl test $1/" -keyout "$work/$1.key" \
		-out "$work/$1.crt" -days 30 -sha256 >/dev/null 2>&1 &&
		cert-to-efi-sig-list -g 11111111-2222-3333-4444-555555555555 "$work/$1.crt" "$work/$1.esl" >/dev/null
}
sign() { # [-a] SIGNER VAR ESL OUT
	sign-efi-sig-list "$@" >/dev/null 2>&1
}
mkdir -p "$work/s3"
if mk_auth PK && mk_auth KEK && mk_auth DB && mk_auth BAD &&
	sign -k "$work/PK.key" -c "$work/PK.crt" PK "$work/PK.esl" "$work/PK.auth" &&
	sign -k "$work/PK.key" -c "$work/PK.crt" KEK "$work/KEK.esl" "$work/KEK.auth" &&
	sign -k "$work/KEK.key" -c "$work/KEK.crt" db "$work/DB.esl" "$work/db.auth" &&
	sign -a -k "$work/KEK.key" -c "$work/KEK.crt" db "$work/BAD.esl" "$work/dbadd.auth" &&
	sign -a -k "$work/BAD.key" -c "$work/BAD.crt" db "$work/DB.esl" "$work/dbbad.auth"; then
	ok "secure boot: efitools made the .auth files"
else
	not_ok "secure boot: efitools made the .auth files"
fi
check "secure boot: a fresh store" start "$work/s3"
check "secure boot: set PK --auth (self-signed, setup mode)" $V --state "$work/s3" set PK --auth "$work/PK.auth"
check "secure boot: PK holds the signature list" [ "$($V --state "$work/s3" get PK)" = "$(od -An -v -tx1 "$work/PK.esl" | tr -d ' \n')" ]
check "secure boot: set KEK --auth (signed by PK)" $V --state "$work/s3" set KEK --auth "$work/KEK.auth"
check "secure boot: set db --auth (signed by KEK)" $V --state "$work/s3" set db --auth "$work/db.auth"
check "secure boot: set db --auth --append" $V --state "$work/s3" set db --auth "$work/dbadd.auth" --append
check "secure boot: db holds both lists" [ "$($V --state "$work/s3" get db)" = "$(cat "$work/DB.esl" "$work/BAD.esl" | od -An -v -tx1 | tr -d ' \n')" ]
expect_fail "secure boot: a db append signed by an unknown key" 1 "set db: EFI_SECURITY_VIOLATION" \
	$V --state "$work/s3" set db --auth "$work/dbbad.auth" --append
$V --state "$work/s3" list >"$work/list"
check "secure boot: list shows PK, KEK, db as NV,BS,RT,AT" [ "$(grep -c " NV,BS,RT,AT " "$work/list")" -eq 3 ]
stop
sed 's/^/# s1: /' "$work/s1.log"
sed 's/^/# s2: /' "$work/s2.log"
sed 's/^/# s3: /' "$work/s3.log"
sed 's/^/# s4: /' "$work/s4.log"
check "service: no task ended unexpectedly" sh -c "! grep -q '(unexpected' '$work/s1.log' '$work/s2.log' '$work/s3.log' '$work/s4.log'"
plan
