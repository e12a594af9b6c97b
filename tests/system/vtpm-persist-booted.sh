#!/bin/bash
# A booted Keel with the same disk image is the same TPM after a reboot:
# boot 1 on a fresh (blank, sparse) image manufactures the vTPM into it
# (storaged formats the disk inside Keel); tpm2-tools on the host, through
# the guest pass-through (keel-tpm-serial), read the EKs and EK
# certificates, create a primary key, seal a secret under it and make both
# persistent (evictcontrol), and write an NV index. Boot 2 on the same
# image: no manufacture, same EKs and certificates byte for byte, the
# persistent sealed object unseals to the secret, the NV data reads back.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/hosted/vtpm-lib.sh"
. "$KEEL_ROOT/tests/system/vtpm-disk-lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
trap 'vd_cleanup; rm -rf "$TMP"' EXIT

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/keel-tpm-serial" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/storaged" "$KEEL_BUILD/tasks/blkdev" \
	"$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || exit 1
done
command -v tpm2_startup >/dev/null || { not_ok "tpm2-tools are not installed"; exit 1; }
igvm=$TMP/vtpm.igvm disk=$TMP/disk.img w=$TMP/work
build_manifest_igvm "$KEEL_ROOT/tests/system/vtpm-booted.manifest" "$igvm" || exit 1
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
mkdir -p "$w" && cd "$w" || exit 1
truncate -s 8M "$disk"
flush() { for f in -t -l -s; do tpm2_flushcontext $f >/dev/null 2>&1; done; }
# ek N: EK public key hashes and EK certificates into ek-N.hash, rsa-N.der, ecc-N.der.
ek() {
	flush
	tpm2_createek -G rsa -c rsa.ctx -f pem -u "ek-rsa-$1.pem" >/dev/null && flush &&
		tpm2_createek -G ecc -c ecc.ctx -f pem -u "ek-ecc-$1.pem" >/dev/null && flush &&
		tpm2_getekcertificate -o "rsa-$1.der" -o "ecc-$1.der" >/dev/null &&
		for k in rsa ecc; do openssl pkey -pubin -in "ek-$k-$1.pem" -outform DER | sha256sum; done >"ek-$1.hash"
}
# No resource manager: every tool leaves its objects loaded, so flush between them.
seal_persist() {
	flush
	tpm2_createprimary -C o -G ecc -c primary.ctx >/dev/null &&
		tpm2_evictcontrol -C o -c primary.ctx 0x81000010 >/dev/null && flush &&
		tpm2_create -C 0x81000010 -i secret.bin -u seal.pub -r seal.priv >/dev/null && flush &&
		tpm2_load -C 0x81000010 -u seal.pub -r seal.priv -c seal.ctx >/dev/null &&
		tpm2_evictcontrol -C o -c seal.ctx 0x81000011 >/dev/null && flush
}
nv_write() {
	flush
	tpm2_nvdefine 0x01500018 -C o -s 32 -a "ownerread|ownerwrite" >/dev/null &&
		tpm2_nvwrite 0x01500018 -C o -i nv.bin
}
head -c 32 /dev/urandom >secret.bin
head -c 32 /dev/urandom >nv.bin

start=$(date +%s)
check "boot 1 (blank image): tpm2-tools reach the vTPM" vd_boot "$igvm" "$disk" boot1
check "boot 1: the vTPM was manufactured" serial_has "$vd_log" "vtpm: no stored state: manufacturing"
check "boot 1: storaged formatted the blank disk" grep -aqi "storaged: .*blank\|storaged: .*format" "$vd_log"
check "boot 1: storaged says the development key is insecure" serial_has "$vd_log" "storaged: INSECURE development key"
check "boot 1: tpm2_startup" tpm2_startup -c
check "boot 1: EKs and EK certificates" ek 1
check "boot 1: primary + sealed secret made persistent (0x81000010, 0x81000011)" seal_persist
check "boot 1: NV index 0x01500018 written" nv_write
vd_stop
check "boot 1 ended with success" [ "$BOOT_STATUS" = 0 ]
echo "# boot 1 took $(($(date +%s) - start))s"
[ "$BOOT_STATUS" = 0 ] || show "$TMP/boot1.serial" | tail -n 30
cp "$disk" "$TMP/after1.img"

start=$(date +%s)
check "boot 2 (same image): tpm2-tools reach the vTPM" vd_boot "$igvm" "$disk" boot2
check "boot 2: no manufacture" sh -c "! grep -aq 'manufacturing' '$vd_log'"
check "boot 2: tpm2_startup" tpm2_startup -c
check "boot 2: EKs and EK certificates" ek 2
check "EK public keys identical across the reboot" cmp -s ek-1.hash ek-2.hash
check "RSA EK certificate identical" cmp -s rsa-1.der rsa-2.der
check "ECC EK certificate identical" cmp -s ecc-1.der ecc-2.der
check "the vtpm logged the same certificate fingerprints" \
	[ -n "$(vd_fps "$TMP/boot1.serial")" -a "$(vd_fps "$TMP/boot1.serial")" = "$(vd_fps "$TMP/boot2.serial")" ]
flush
check "boot 2: the persistent sealed object unseals to the secret" sh -c \
	"tpm2_unseal -c 0x81000011 -o unsealed.bin >/dev/null && cmp -s unsealed.bin secret.bin"
check "boot 2: the persistent primary is there" sh -c "tpm2_getcap handles-persistent | grep -qi 0x81000010"
check "boot 2: NV 0x01500018 reads back" sh -c \
	"tpm2_nvread 0x01500018 -C o -s 32 -o nv-back.bin >/dev/null && cmp -s nv-back.bin nv.bin"
vd_stop
check "boot 2 ended with success" [ "$BOOT_STATUS" = 0 ]
echo "# boot 2 took $(($(date +%s) - start))s"
[ "$BOOT_STATUS" = 0 ] || show "$TMP/boot2.serial" | tail -n 30
vd_fps "$TMP/boot2.serial" | sed 's/^/# boot 2 certificate /'
mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/boot1.serial" "$KEEL_BUILD/test-logs/vtpm-persist-booted.boot1.serial.log" &&
	cp "$TMP/boot2.serial" "$KEEL_BUILD/test-logs/vtpm-persist-booted.boot2.serial.log"
if [ -x "$KEEL_BIN/keel-state" ]; then
		check "keel-state check: the image after two boots is clean" \
		"$KEEL_BIN/keel-state" check "$disk" --dev-key
else
	not_ok "build/bin/keel-state is missing"
fi
plan
