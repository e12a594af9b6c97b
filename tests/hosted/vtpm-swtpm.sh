#!/bin/bash
# keel-hosted --tpm-protocol swtpm: the short tpm2-tools scenario over
# tpm2-tss's swtpm TCTI (data port + control port = data port + 1), plus
# control-channel commands a swtpm client sends (capabilities, locality,
# init = power cycle).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-swtpm.XXXXXX")
trap 'kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port"

# ctrl HEX...: sends one control command, prints the answer as hex.
ctrl() {
	python3 - "$((port + 1))" "$@" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(bytes.fromhex("".join(sys.argv[2:])))
print(s.recv(4096).hex())
PY
}

check "keel-hosted starts with the swtpm protocol" kh_start "$tmp/state" swtpm "$tmp/run.log"
check "it says where it listens" grep -q "on 127.0.0.1:$port (data) and 127.0.0.1:$((port + 1)) (control)" "$tmp/run.log"
relay "short: " tests/tpm/scenario.sh short "$tmp/scenario"
check "CMD_GET_CAPABILITY: INIT, SET_LOCALITY, STOP offered" \
	sh -c "[ \$(( 0x$(ctrl 00000001) & 0x40b )) -eq $((0x40b)) ]"
check "CMD_SET_LOCALITY 5 refused with TPM_BAD_LOCALITY" [ "$(ctrl 00000005 05)" = 0000003d ]
check "CMD_SET_LOCALITY 0 accepted" [ "$(ctrl 00000005 00)" = 00000000 ]
check "unknown control command answered TPM_BAD_ORDINAL" [ "$(ctrl 000000ff)" = 0000000a ]
check "CMD_INIT (power cycle) accepted" [ "$(ctrl 00000002 00000000)" = 00000000 ]
check "after CMD_INIT the TPM wants TPM2_Startup again" tpm2_startup -c
check "NV data survived the power cycle" sh -c \
	"tpm2_nvread 0x01500016 -C o -s 32 -o '$tmp/nv.bin' && cmp -s '$tmp/nv.bin' '$tmp/scenario/nv-data.bin'"
kh_stop
check "SIGTERM: keel-hosted exits 0" [ "$kh_status" -eq 0 ]
sed 's/^/# /' "$tmp/run.log" | tail -n 20
plan
