#!/bin/sh
# Short libFuzzer runs of apps/netstack (tests/fuzz/netstack/): its manifest
# arg= parser (netstack-config, with a write-back round trip) and the whole
# task but main.c on the fuzz-instrumented lwIP (netstack-session), netdev
# and the stream client played from the input. First the session seeds are
# replayed with the trace on: each must reach what it is written for.
# KEEL_FUZZ_SECONDS (default 10 per target). A crash, a hang, a broken
# protocol invariant (abort), a leak or a sanitizer report fails.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_setup netstack-session netstack-config
check "session seeds written" [ "$(python3 tests/fuzz/netstack/seeds.py "$work/corpus")" -ge 12 ]

# replay SEED: the trace of one seed in $work/trace.
replay() {
	KEEL_NET_FUZZ_TRACE=1 build/fuzz/netstack-session "$work/corpus/$1" >"$work/trace" 2>&1
}
# says SEED WHAT PATTERN...: each PATTERN is a line of SEED's trace, in this order.
says() {
	_seed=$1 _what=$2
	shift 2
	replay "$_seed"
	_ok=0 _from=1
	for _p in "$@"; do
		_n=$(tail -n "+$_from" "$work/trace" | grep -n -m1 -- "$_p" | cut -d: -f1)
		[ -n "$_n" ] || { _ok=1; echo "# $_seed: no \"$_p\" after line $_from"; break; }
		_from=$((_from + _n))
	done
	check "$_seed: $_what" [ "$_ok" -eq 0 ]
}
RESET=0x102 WRITE=0x100 READ=0x101
says exchange "RESET connects, WRITE, READ 40 bytes, READ after FIN: ECLOSED, RESET refused: EIO" \
	"reply op $RESET status 0 " "reply op $WRITE status 0 count 40" \
	"reply op $READ status 0 count 40" "flags 0x11" "reply op $READ status -5" \
	"connect to the peer: refused" "reply op $RESET status -1 "
says dhcp "DHCP lease, then the exchange" "address 10.0.2.15/24 gateway 10.0.2.2 (dhcp)" \
	"reply op $RESET status 0 " "reply op $READ status 0 count 40"
says ooo-then-rst "out-of-order data reassembled and read after a RST, then ECLOSED" \
	"reset by the peer" "reply op $READ status 0 count 3" "reply op $READ status 0 count 7" \
	"reply op $READ status -5" "reply op $WRITE status -5"
says unread-data "16800 unread bytes: READ takes 16384 then 416, then times out" \
	"reply op $READ status 0 count 16384" "reply op $READ status 0 count 416" \
	"reply op $READ status -2"
says syn-unanswered "a SYN never answered: RESET times out after lwIP's retries" \
	"flags 0x02" "connect to the peer: timed out" "reply op $RESET status -2 "
says implicit-open-timeout "the first READ opens the connection and times out waiting for data" \
	"flags 0x02" "reply op $READ status -2 count 0 at 500 ms"
says idle-traffic "ARP and ping answered while idle, before any request" \
	"out 42 arp op 2" "icmp type 0" "reply op $RESET status 0 "
says netdev-enodev "netdev without a device: RESET and READ say ENODEV" \
	"no device (NET_ENODEV)" "reply op $RESET status -4 " "reply op $READ status -4 "
says netdev-bad-length "netdev breaks during a READ: the link is down, READ and WRITE say EIO" \
	"reply op $RESET status 0 " "a frame of a bad length" "reply op $READ status -1 " \
	"reply op $WRITE status -1 "
says netdev-busy-then-short "a SEND not taken drops the frame only; a short reply downs the link" \
	"netdev fault 5 on op 0x100" "reply op $RESET status 0 " "a short reply" \
	"reply op $READ status -1 "
replay bad-requests
check "bad-requests: five malformed requests refused (EINVAL), the RESET after them served" \
	[ "$(grep -c 'status -3 ' "$work/trace")" -eq 5 ]

fuzz_run netstack-session -max_len=16384
mkdir -p "$work/config"
printf 'dev=1 serve=2 ip=dhcp peer=10.0.2.2:8080' >"$work/config/dhcp"
printf 'dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.2 peer=10.0.2.2:8080' >"$work/config/static"
printf 'dev=63 serve=7 ip=192.168.1.254/30 gw=192.168.1.253 peer=1.2.3.4:1' >"$work/config/edge"
fuzz_run netstack-config -max_len=256 "$work/config"
plan
