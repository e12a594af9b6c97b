#!/bin/sh
# A short libFuzzer run of lwIP as Keel configures it (tests/fuzz/net-frames/):
# fuzzed Ethernet frames into a netif with a TCP client connection, a
# listener, ARP and DHCP in play; every frame the stack sends is checked,
# and lwIP's pools and heap must be whole after each input.
# KEEL_FUZZ_SECONDS (default 15). First each seed is replayed with the
# frame trace on, to show the harness reaches what the seed is meant to
# reach (an echo reply, a reassembled datagram, an accepted connection...).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fuzz/smoke.sh"
cd "$(dirname "$0")/../.." || exit 1
fuzz_default_secs=15
fuzz_setup net-frames
check "seed inputs written" [ "$(python3 tests/fuzz/net-frames/seeds.py "$work/corpus")" -ge 20 ]

# seed_sends SEED PATTERN WHAT: replaying SEED, the stack sends a frame matching PATTERN.
seed_sends() {
	KEEL_NET_FUZZ_TRACE=1 build/fuzz/net-frames "$work/corpus/$1" >"$work/trace" 2>&1
	check "$1: $3" grep -q "^out .*$2" "$work/trace"
}
seed_sends arp-request "arp op 2" "an ARP request for 10.0.2.15 is answered"
seed_sends arp-reply-late "tcp 49152>8080 seq 1262830923 ack 0 flags 0x02" \
	"the SYN waiting on ARP leaves once the gateway answers"
seed_sends icmp-echo "10.0.2.15>10.0.2.2 proto 1 .*icmp type 0" "an echo request is answered"
seed_sends icmp-fragments "proto 1 frag 0x2000 icmp type 0" \
	"a datagram in two fragments is reassembled and its reply fragmented"
seed_sends syn-ack "tcp 49152>8080 seq 1262830924 ack 268435500 flags 0x10" \
	"SYN-ACK then 43 bytes: connection established, data acknowledged"
seed_sends data-fin "ack 268435501 flags 0x11" "the peer's FIN is answered with ours"
seed_sends out-of-order "ack 268435467 flags 0x10" "an out-of-order segment is kept until the gap fills"
seed_sends listener "tcp 80>40000 .* flags 0x18 win [0-9]* data 7" "the listener accepts and echoes"
seed_sends closed-port "icmp type 3" "UDP to a closed port: port unreachable"
seed_sends closed-port "tcp 9>40001 seq 0 ack 2 flags 0x14" "a SYN to a closed port: RST"
seed_sends dhcp-offer-ack "dhcp type 7" "DHCP offer and ack: bound (released at teardown)"
seed_sends retransmit "data 1000" "unacknowledged data is retransmitted"
KEEL_NET_FUZZ_TRACE=1 build/fuzz/net-frames "$work/corpus/retransmit" >"$work/trace" 2>&1
check "retransmit: five retransmissions in the 127 s without an ACK" \
	[ "$(grep -c '^out .*data 1000' "$work/trace")" -ge 6 ]
KEEL_NET_FUZZ_TRACE=1 build/fuzz/net-frames "$work/corpus/bad-checksum" >"$work/trace" 2>&1
check "bad-checksum: a segment with a wrong TCP checksum is not acknowledged" \
	sh -c "! grep -q '^out .*ack 268435458' '$work/trace'"
fuzz_run net-frames -max_len=8192
plan
