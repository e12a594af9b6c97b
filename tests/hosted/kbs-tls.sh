#!/bin/sh
# The key broker over HTTPS (docs/kbs.md "HTTPS"): kbs-admin's test PKI
# (tls-ca, tls-cert: files, modes, extensions, SANs, validity), kbs's
# refusals of bad --tls-* files at start, curl with the right and a wrong
# CA, TLS versions, an intermediate via --tls-chain, raw-socket cases
# (kbs_tls_checks.py: keep-alive, plain HTTP and garbage to the port,
# stalled handshakes vs other clients, timeouts through TLS), the protocol
# scenarios of kbs-broker.sh over HTTPS (kbs_flow.py main), stop while a
# handshake stalls, and plain HTTP still plain without the options.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kbs-lib.sh"
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for f in build/bin/kbs build/bin/kbs-admin; do
	[ -x "$f" ] || { not_ok "$f is built"; plan; exit 1; }
done
for t in curl openssl; do
	command -v "$t" >/dev/null || { not_ok "$t is installed"; plan; exit 1; }
done
admin=build/bin/kbs-admin
pki=$work/pki

# --- kbs-admin tls-ca / tls-cert ---
check "tls-ca makes a CA" sh -c "$admin tls-ca '$pki' >/dev/null && test -s '$pki/ca.pem' -a -s '$pki/ca.key'"
check "ca.key is mode 0600" test "$(stat -c %a "$pki/ca.key")" = 600
check "tls-ca refuses to replace a CA" sh -c "! $admin tls-ca '$pki' 2>/dev/null"
ca_text=$(openssl x509 -in "$pki/ca.pem" -noout -text)
check "CA: ECDSA P-256 (or P-384)" sh -c "printf '%s' \"\$1\" | grep -Eq 'ASN1 OID: (prime256v1|secp384r1)'" _ "$ca_text"
check "CA: basicConstraints critical, CA:TRUE" sh -c "printf '%s' \"\$1\" | grep -A1 'Basic Constraints: critical' | grep -q 'CA:TRUE'" _ "$ca_text"
check "CA: keyUsage critical, keyCertSign" sh -c "printf '%s' \"\$1\" | grep -A1 'Key Usage: critical' | grep -q 'Certificate Sign'" _ "$ca_text"
check "CA: self-signed, verifies" openssl verify -CAfile "$pki/ca.pem" "$pki/ca.pem"
check "CA: valid for 10 years (beyond 3649 days, not 3651)" sh -c \
	"openssl x509 -in '$pki/ca.pem' -noout -checkend $((3649 * 86400)) >/dev/null && \
	 ! openssl x509 -in '$pki/ca.pem' -noout -checkend $((3651 * 86400)) >/dev/null"
check "tls-cert for 127.0.0.1 ::1 localhost kbs.test" sh -c \
	"$admin tls-cert '$pki' 127.0.0.1 ::1 localhost kbs.test >/dev/null"
check "server.key is mode 0600" test "$(stat -c %a "$pki/server.key")" = 600
check "openssl verify -CAfile ca.pem server.pem: OK" sh -c \
	"openssl verify -CAfile '$pki/ca.pem' '$pki/server.pem' | grep -q ': OK\$'"
srv_text=$(openssl x509 -in "$pki/server.pem" -noout -text)
san=$(printf '%s\n' "$srv_text" | grep -A1 'Subject Alternative Name' | tail -1 | sed 's/^ *//')
check "SANs: IP 127.0.0.1, IP ::1, DNS localhost, DNS kbs.test" \
	test "$san" = "IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:kbs.test"
[ "$san" = "IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:kbs.test" ] || echo "# got: $san"
check "server: extendedKeyUsage serverAuth" sh -c "printf '%s' \"\$1\" | grep -A1 'Extended Key Usage' | grep -q 'TLS Web Server Authentication'" _ "$srv_text"
check "server: not a CA" sh -c "printf '%s' \"\$1\" | grep -A1 'Basic Constraints' | grep -q 'CA:FALSE'" _ "$srv_text"
check "server: valid for 1 year (beyond 364 days, not 366)" sh -c \
	"openssl x509 -in '$pki/server.pem' -noout -checkend $((364 * 86400)) >/dev/null && \
	 ! openssl x509 -in '$pki/server.pem' -noout -checkend $((366 * 86400)) >/dev/null"
check "tls-cert refuses a name that is neither IP nor DNS" sh -c "! $admin tls-cert '$pki' 'bad name,DNS:x' 2>/dev/null"
check "tls-cert refuses a mistyped IPv4 (1.2.3)" sh -c "! $admin tls-cert '$pki' 1.2.3 2>/dev/null"
check "tls-cert without a CA in DIR refused" sh -c "! $admin tls-cert '$work/none' x 2>/dev/null"
check "a refused tls-cert left the server files usable" openssl verify -CAfile "$pki/ca.pem" "$pki/server.pem"
# A second, unrelated CA: the "wrong CA" and the mismatched key.
$admin tls-ca "$work/other" >/dev/null && $admin tls-cert "$work/other" 127.0.0.1 >/dev/null

# --- the broker: refusals at start ---
chip=$(printf 'ab%.0s' $(seq 64))
check "test chain A" bash tests/hosted/kbs_chain.sh "$work/a" "$chip"
check "test chain B (emulated)" bash tests/hosted/kbs_chain.sh "$work/b" "$chip" emulated
db=$work/kbs.sqlite
pin=$($admin keygen "$work/id.pem")
refused() { # refused DESC EXPECTED_STDERR_LINE KBS_ARGS...: exits non-zero with that line
	desc=$1 want=$2
	shift 2
	out=$(build/bin/kbs --listen 127.0.0.1:1 --db "$db" --identity-key "$work/id.pem" \
		--snp-chain "$work/a" "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -ne 0 ] && printf '%s\n' "$out" | grep -qxF -- "$want"; then
		ok "$desc"
	else
		not_ok "$desc"
		echo "# rc=$rc: $out"
	fi
}
refused "cert/key mismatch refused at start" "kbs: --tls-key does not match --tls-cert" \
	--tls-cert "$pki/server.pem" --tls-key "$work/other/server.key"
refused "--tls-cert without --tls-key refused" "kbs: --tls-cert needs --tls-key" --tls-cert "$pki/server.pem"
refused "--tls-key without --tls-cert refused" "kbs: --tls-key needs --tls-cert" --tls-key "$pki/server.key"
refused "a missing key file refused" "kbs: --tls-key $work/nope: No such file or directory" \
	--tls-cert "$pki/server.pem" --tls-key "$work/nope"
refused "a key given as the certificate refused" \
	"kbs: --tls-cert $pki/server.key: not a PEM certificate (error:0480006C:PEM routines::no start line)" \
	--tls-cert "$pki/server.key" --tls-key "$pki/server.key"
refused "a --tls-chain without certificates refused" "kbs: --tls-chain $pki/server.key: no PEM certificate in it" \
	--tls-cert "$pki/server.pem" --tls-key "$pki/server.key" --tls-chain "$pki/server.key"

start() { # start LOG ARGS...: the broker on a free port (kbs-lib.sh); sets pid, port
	log=$1
	shift
	kbs_listen "$log" --db "$db" --identity-key "$work/id.pem" "$@"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null; pid=""; }
logged() { # logged FILE PATTERN: the broker logs it within 3 s (it logs after answering)
	for _ in $(seq 30); do
		grep -q "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}
body='{"version":"0.4.0","tee":"snp","extra-params":{"keel-vm":"vm1"}}'
curl_auth() { # curl_auth URL CURL_ARGS...: POST /auth; prints the body
	url=$1
	shift
	curl -sS -m 10 "$@" -H 'Content-Type: application/json' -d "$body" "$url/kbs/v0/auth"
}
answers() { curl_auth "$@" 2>/dev/null | grep -q '"nonce"'; }

# --- HTTPS with the broker's own files ---
check "HTTPS broker starts" start "$work/log1" --snp-chain "$work/a" \
	--tls-cert "$pki/server.pem" --tls-key "$pki/server.key"
check "logs 'listening on ADDR (https)'" grep -q "kbs: .* listening on 127.0.0.1:$port (https)" "$work/log1"
check "curl --cacert ca.pem https://127.0.0.1:PORT/kbs/v0/auth: a challenge" \
	answers "https://127.0.0.1:$port" --cacert "$pki/ca.pem"
check "the DNS SAN works too (https://localhost)" answers "https://localhost:$port" --cacert "$pki/ca.pem"
curl_auth "https://127.0.0.1:$port" --cacert "$work/other/ca.pem" >/dev/null 2>&1
check "curl with a wrong CA refuses the broker (curl 60)" test "$?" -eq 60
curl_auth "https://kbs.invalid:$port" --cacert "$pki/ca.pem" --resolve "kbs.invalid:$port:127.0.0.1" >/dev/null 2>&1
check "curl refuses a name the certificate does not carry (curl 60)" test "$?" -eq 60
check "TLS 1.2 accepted" answers "https://127.0.0.1:$port" --cacert "$pki/ca.pem" --tlsv1.2 --tls-max 1.2
check "TLS 1.3 accepted" answers "https://127.0.0.1:$port" --cacert "$pki/ca.pem" --tlsv1.3
openssl s_client -connect "127.0.0.1:$port" -tls1_1 -cipher "DEFAULT:@SECLEVEL=0" </dev/null >/dev/null 2>&1
check "TLS 1.1 refused by the broker" logged "$work/log1" "TLS handshake with .*failed: .*unsupported protocol"
check "plain HTTP to the HTTPS port: no answer (curl)" sh -c "! curl -s -m 5 -d '$body' http://127.0.0.1:$port/kbs/v0/auth | grep -q ."
relay "raw: " python3 tests/hosted/kbs_tls_checks.py "$port" "$pki/ca.pem"
check "handshake failures logged with a reason" logged "$work/log1" "TLS handshake with 127.0.0.1:[0-9]* failed: .*http request"
check "stalled handshakes logged as timed out" logged "$work/log1" "TLS handshake with .* failed: timed out"
check "broker alive after the raw cases" kill -0 "$pid"
# Stop while a handshake stalls: the stop does not wait for its deadline.
python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"\x16\x03\x01\x02\x00\x01")
time.sleep(20)' "$port" &
staller=$!
sleep 0.5
t0=$(date +%s%N)
stop
t1=$(date +%s%N)
kill "$staller" 2>/dev/null
wait "$staller" 2>/dev/null
check "SIGTERM with a stalled handshake open: stopped within 2 s" test $(((t1 - t0) / 1000000)) -lt 2000
check "logs 'stopped'" grep -q "kbs: .* stopped" "$work/log1"

# --- an intermediate CA: --tls-chain ---
mk() { openssl "$@" >/dev/null 2>&1; }
mk req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/root.key" -out "$work/root.pem" \
	-days 30 -subj /CN=root -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
mk req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/int.key" -out "$work/int.csr" -subj /CN=int
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' >"$work/int.ext"
mk x509 -req -in "$work/int.csr" -CA "$work/root.pem" -CAkey "$work/root.key" -days 30 -out "$work/int.pem" \
	-extfile "$work/int.ext"
mk req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/leaf.key" -out "$work/leaf.csr" -subj /CN=leaf
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/leaf.ext"
mk x509 -req -in "$work/leaf.csr" -CA "$work/int.pem" -CAkey "$work/int.key" -days 30 -out "$work/leaf.pem" \
	-extfile "$work/leaf.ext"
cat "$work/leaf.pem" "$work/int.pem" >"$work/leaf-int.pem"
check "broker with a leaf signed by an intermediate, no chain" start "$work/log2" --snp-chain "$work/a" \
	--tls-cert "$work/leaf.pem" --tls-key "$work/leaf.key"
check "without the intermediate, the root alone does not verify" sh -c "! curl -s -m 10 --cacert '$work/root.pem' -d '$body' https://127.0.0.1:$port/kbs/v0/auth >/dev/null"
stop
check "broker with --tls-chain INTERMEDIATE" start "$work/log3" --snp-chain "$work/a" \
	--tls-cert "$work/leaf.pem" --tls-key "$work/leaf.key" --tls-chain "$work/int.pem"
check "--tls-chain: the root verifies the broker" answers "https://127.0.0.1:$port" --cacert "$work/root.pem"
stop
check "broker with leaf and intermediate in --tls-cert" start "$work/log4" --snp-chain "$work/a" \
	--tls-cert "$work/leaf-int.pem" --tls-key "$work/leaf.key"
check "--tls-cert with its intermediate: the root verifies the broker" \
	answers "https://127.0.0.1:$port" --cacert "$work/root.pem"
stop

# --- the protocol scenarios over HTTPS (as tests/hosted/kbs-broker.sh) ---
meas=$(printf '5a%.0s' $(seq 48))
head -c 32 /dev/urandom >"$work/state.key"
$admin --db "$db" vm-add vm1 --measurement "$meas" --state-key "$work/state.key" >/dev/null &&
	$admin --db "$db" vm-add racer --measurement "$meas" >/dev/null
check "HTTPS broker for the protocol scenarios starts" start "$work/log5" --snp-chain "$work/a" \
	--emulated-chain "$work/b" --boot-window 2 --tls-cert "$pki/server.pem" --tls-key "$pki/server.key"
KBS_TLS_CA=$pki/ca.pem relay "https: " python3 tests/hosted/kbs_flow.py main "$port" "$work/a" "$work/b" "$pin" \
	"$meas" "$work/state.key"
check "broker alive after the scenarios" kill -0 "$pid"
stop
key_b64=$(base64 -w0 <"$work/state.key")
check "the state key never reaches the log" sh -c "! grep -qF '$key_b64' '$work'/log*"

# --- the bridge tests' fake broker (tests/hosted/fake-kbs.py) over HTTPS ---
fport=$(free_port)
python3 tests/hosted/fake-kbs.py --port "$fport" --mode ok --identity "$work/fake.pem" --state-key "$work/fake.key" \
	--boot-file "$work/fake.boot" --max-conns 2 --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" \
	>"$work/fake.out" 2>&1 &
fpid=$!
for _ in $(seq 50); do grep -q . "$work/fake.out" 2>/dev/null && break; sleep 0.1; done
check "fake-kbs --tls-cert: curl --cacert ca.pem gets a challenge" answers "https://127.0.0.1:$fport" --cacert "$pki/ca.pem"
curl_auth "https://127.0.0.1:$fport" --cacert "$work/other/ca.pem" >/dev/null 2>&1
check "fake-kbs --tls-cert: a wrong CA refuses it (curl 60)" test "$?" -eq 60
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null

# --- without the options: plain HTTP as before ---
check "HTTP broker starts" start "$work/log6" --snp-chain "$work/a"
check "logs 'listening on ADDR (http)'" grep -q "kbs: .* listening on 127.0.0.1:$port (http)" "$work/log6"
check "plain HTTP answers" answers "http://127.0.0.1:$port"
check "TLS to the HTTP port fails" sh -c "! curl -s -m 5 --cacert '$pki/ca.pem' -d '$body' https://127.0.0.1:$port/kbs/v0/auth >/dev/null"
stop
check "no sanitizer report in the broker logs" sh -c "! cat '$work'/log* | grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error'"
plan
