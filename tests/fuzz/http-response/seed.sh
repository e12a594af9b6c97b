#!/bin/sh
# Seed inputs for the http-response fuzzer: 4 bytes seeding the read sizes,
# then what a broker sends (one or several responses on a keep-alive connection).
d=$1
mkdir -p "$d"
seed() { # NAME SPLITSEED(8 hex digits) then the bytes on stdin
	{ printf '%s' "$2" | xxd -r -p; cat; } >"$d/$1"
}
body='{"nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","extra-params":""}'
printf 'HTTP/1.1 200 OK\r\nSet-Cookie: kbs-session-id=00ff; Path=/kbs\r\nContent-Length: %d\r\n\r\n%s' \
	${#body} "$body" | seed content-length 01000000
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n' |
	seed chunked 07000000
printf 'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.0 401 Unauthorized\r\nContent-Length: 0\r\n\r\n' |
	seed keep-alive-three 2a000000
printf 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye' | seed close ff000000
printf 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA' | seed bytes-after 03000000
printf 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort' | seed eof-in-body 05000000
printf 'HTTP/1.1 200 OK\r\nContent-Length: 32769\r\n\r\n' | seed over-cap 09000000
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8000\r\n' | seed chunk-over-cap 0b000000
printf 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n' |
	seed both-lengths 0d000000
# The reproducer of the split-dependent chunk-size limit (fixed in
# http_parse.c): a 47-byte size line with an extension, accepted whole and
# refused when a read ended inside it; split seed 0d cuts it there.
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;%s\r\nx\r\n0\r\n\r\n' \
	"$(printf '%045d' 0 | tr 0 e)" | seed chunk-line-47 0d000000
# A head of exactly HTTP_HEAD_MAX (8192) bytes: accepted however it is split.
{
	printf 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: '
	head -c $((8192 - 43 - 4)) /dev/zero | tr '\0' p
	printf '\r\n\r\n'
} | seed head-8192 11000000
ls "$d" | wc -l
