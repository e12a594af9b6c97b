#!/bin/sh
# Seed inputs for the bridge-response fuzzer: responses shaped like the broker's.
d=$1
mkdir -p "$d"
body='{"nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","extra-params":""}'
printf 'HTTP/1.1 200 OK\r\nSet-Cookie: kbs-session-id=00ff; Path=/kbs\r\nContent-Length: %d\r\n\r\n%s' ${#body} "$body" >"$d/auth"
hdr=$(printf '{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":"AAAA","y":"AAAA"}}' | base64 -w0 | tr '+/' '-_' | tr -d '=')
body="{\"protected\":\"$hdr\",\"encrypted_key\":\"AAAA\",\"iv\":\"AAAA\",\"ciphertext\":\"AAAA\",\"tag\":\"AAAA\",\"keel-kbs-key\":\"AAAA\",\"keel-kbs-sig\":\"AAAA\",\"boot\":3}"
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n' ${#body} "$body" >"$d/resource"
