# shellcheck shell=bash
# attest_verify LOG DIGEST LABEL: the report tests/tasks/attest printed in
# LOG ("attest report: NN HEX" lines), verified on the host with openssl
# against the committed emulated chain (kernel/platform/native/emulated-platform):
# one TAP line per property. DIGEST: the measurement it must carry (96 hex).
# Shared by tests/system/attest-booted.sh and tests/hosted/attest-report-hosted.sh.
EMU_DIR=$KEEL_ROOT/kernel/platform/native/emulated-platform

# report_sig_der REPORT OUT: the report's little-endian r,s as a DER ECDSA-Sig-Value.
report_sig_der() {
	python3 - "$1" "$2" <<'PY'
import sys
r = open(sys.argv[1], "rb").read()
def der_int(le):
    v = int.from_bytes(le, "little").to_bytes(49, "big").lstrip(b"\0") or b"\0"
    if v[0] & 0x80:
        v = b"\0" + v
    return b"\x02" + bytes([len(v)]) + v
body = der_int(r[0x2A0:0x2A0 + 72]) + der_int(r[0x2E8:0x2E8 + 72])
open(sys.argv[2], "wb").write(b"\x30" + bytes([len(body)]) + body)
PY
}

quiet() { "$@" >/dev/null 2>&1; }

report_hex_at() { # report_hex_at FILE OFFSET LEN
	xxd -p -s "$2" -l "$3" "$1" | tr -d '\n'
}

attest_verify() {
	local log=$1 digest=$2 label=$3 rep=$TMP/report.bin want_rd i
	tr -d '\r' <"$log" | sed -n 's/.*attest report: \([0-9]*\) \([0-9a-f]*\)$/\1 \2/p' |
		sort -n | cut -d' ' -f2 | tr -d '\n' | xxd -r -p >"$rep"
	check "$label: the report is 1184 bytes ($(stat -c %s "$rep"))" [ "$(stat -c %s "$rep")" = 1184 ]
	check "$label: the emulated chain verifies VCEK -> ASK -> ARK" \
		quiet openssl verify -CAfile "$EMU_DIR/ark.pem" -untrusted "$EMU_DIR/ask.pem" "$EMU_DIR/vcek.pem"
	head -c $((0x2a0)) "$rep" >"$TMP/signed.bin"
	report_sig_der "$rep" "$TMP/sig.der"
	check "$label: signature over bytes 0..0x29F verifies with the VCEK" \
		quiet openssl dgst -sha384 -verify "$EMU_DIR/vcek.pub.pem" -signature "$TMP/sig.der" "$TMP/signed.bin"
	# The test must be able to fail: one flipped bit of report_data must break it.
	cp "$TMP/signed.bin" "$TMP/forged.bin"
	printf '\x00' | dd of="$TMP/forged.bin" bs=1 seek=$((0x50)) conv=notrunc status=none
	check "$label: a changed report_data does not verify" \
		bash -c "! openssl dgst -sha384 -verify '$EMU_DIR/vcek.pub.pem' -signature '$TMP/sig.der' '$TMP/forged.bin' >/dev/null 2>&1"
	want_rd=$(for i in $(seq 0 63); do printf '%02x' $(((i * 7 + 3) & 255)); done)
	check "$label: report_data is the caller's 64 bytes" [ "$(report_hex_at "$rep" $((0x50)) 64)" = "$want_rd" ]
	check "$label: measurement = $digest" [ "$(report_hex_at "$rep" $((0x90)) 48)" = "$digest" ]
	check "$label: version 2, guest_svn 0" [ "$(report_hex_at "$rep" 0 8)" = 0200000000000000 ]
	check "$label: policy 0x30000 (debug off)" [ "$(report_hex_at "$rep" 8 8)" = 0000030000000000 ]
	check "$label: vmpl 0, signature_algo 1 (ECDSA P-384 SHA-384)" \
		[ "$(report_hex_at "$rep" $((0x30)) 8)" = 0000000001000000 ]
	check "$label: chip_id is the emulated platform's" \
		[ "$(head -c $((0x1a0 + 22)) "$rep" | tail -c 22)" = "keel-emulated-platform" ]
}
