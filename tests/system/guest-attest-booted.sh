#!/bin/bash
# SVSM protocol 1 booted (docs/guest-attestation.md): the test guest in mode
# attest (tests/guest/attest.c) against tests/system/guest-attest.manifest.
# The guest's own checks (sizes, GUIDs, refusals) become TAP lines; the
# host checks what it printed: REPORT_DATA = SHA-512(nonce || manifest) and
# the report's signature with openssl against the emulated chain. TCG: the
# vtpm's first-start key generation makes this slow.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/system/attest-lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-1800}
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/attest-bridge" "$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || exit 1
done
igvm=$TMP/guest-attest.igvm log=$TMP/serial.log disk=$TMP/disk.img
truncate -s 8M "$disk"
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/guest-attest.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of guest-attest.manifest"
	show "$TMP/igvm-build.log"
	plan
	exit 1
fi
ok "igvm-build of guest-attest.manifest"
boot_igvm "$log" "$igvm" --disk "$disk"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/guest-attest.serial.log"
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	"[guest] ok - "*) ok "guest: ${line#\[guest\] ok - }" ;;
	"[guest] not ok - "*) not_ok "guest: ${line#\[guest\] not ok - }" ;;
	esac
done < <(grep -a '^\[guest\] \(not \)\?ok - ' "$log")
check "the guest's attest mode ran to the end" grep -aq '^\[guest\] attest: PASSED' "$log"
# dump NAME OUT: the "[guest] attest-NAME OFFSET HEX" lines as bytes.
dump() { grep -a "^\[guest\] attest-$1 " "$log" | tr -d '\r' | sort -t' ' -k3 -n | cut -d' ' -f4 | tr -d '\n' | xxd -r -p >"$2"; }
dump nonce "$TMP/nonce.bin"
dump manifest "$TMP/manifest.bin"
dump report "$TMP/report.bin"
check "report printed: 1184 bytes" [ "$(stat -c %s "$TMP/report.bin")" = 1184 ]
want=$(cat "$TMP/nonce.bin" "$TMP/manifest.bin" | openssl dgst -sha512 -binary | xxd -p | tr -d '\n')
check "REPORT_DATA = SHA-512(nonce || manifest)" [ "$(report_hex_at "$TMP/report.bin" $((0x50)) 64)" = "$want" ]
head -c $((0x2a0)) "$TMP/report.bin" >"$TMP/signed.bin"
report_sig_der "$TMP/report.bin" "$TMP/sig.der"
check "the report's signature verifies with the emulated VCEK" \
	quiet openssl dgst -sha384 -verify "$EMU_DIR/vcek.pub.pem" -signature "$TMP/sig.der" "$TMP/signed.bin"
grep -a "attest-bridge" "$log" | head -4 | sed 's/^/# /'
plan
