#!/bin/bash
# The booted vTPM through the real guest path (docs/guest.md): Keel boots
# the vtpm and the test guest in passthrough mode with COM2 on a unix
# socket; build/bin/keel-tpm-serial turns that into the TPM simulator
# protocol on 127.0.0.1; tests/tpm/scenario.sh (phase one) drives it with
# tpm2-tools over the mssim TCTI. Then SIGTERM to the adapter sends the
# guest its exit frame and the boot must end with status 0.
# The vTPM's state is on a disk image (storaged, blank at the first boot);
# phase two boots again on the same image (tests/system/vtpm-disk-lib.sh)
# and runs the scenario's after-restart phase: NV data, the EK
# certificate, the sealed object all survive the reboot.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/hosted/vtpm-lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-1800} # TCG: libtpms key generation is slow
qpid="" apid=""
cleanup() {
	[ -n "$apid" ] && kill "$apid" 2>/dev/null
	[ -n "$qpid" ] && kill -- -"$qpid" 2>/dev/null # keel-qemu and its QEMU (own session)
	rm -rf "$TMP"
}
trap cleanup EXIT

lacks() { ! grep -aqF -- "$2" "$1"; }

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/keel-tpm-serial" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || exit 1
done
command -v tpm2_startup >/dev/null || { not_ok "tpm2-tools are not installed"; exit 1; }

igvm=$TMP/vtpm-booted.igvm log=$TMP/serial.log alog=$TMP/adapter.log sock=$TMP/com2.sock
disk=$TMP/disk.img
truncate -s 8M "$disk"
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/vtpm-booted.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of vtpm-booted.manifest"
	show "$TMP/igvm-build.log"
	exit 1
fi
ok "igvm-build of vtpm-booted.manifest"
pick_ports || { not_ok "no free port pair"; exit 1; }

accel=--tcg
[ "${KEEL_QEMU_ACCEL:-}" = kvm ] && accel=--kvm
start=$(date +%s)
setsid "$KEEL_BIN/keel-qemu" "$accel" --timeout "$BOOT_TIMEOUT" --disk "$disk" \
	--serial2 "socket,path=$sock,server=on,wait=off" "$igvm" </dev/null >"$log" 2>&1 &
qpid=$!
"$KEEL_BIN/keel-tpm-serial" --serial "$sock" --port "$port" --wait 120 2>"$alog" &
apid=$!
for _ in $(seq 1200); do
	grep -q "ready:" "$alog" && grep -aqF "[guest] passthrough: serving" "$log" && break
	kill -0 "$apid" 2>/dev/null || break
	sleep 0.1
done
check "adapter reached the guest's COM2 ($sock)" grep -q "ready:" "$alog"
check "guest serves TPM commands on COM2" grep -aqF "[guest] passthrough: serving" "$log"
check "adapter bound to loopback only" sh -c "ss -Hltn 'sport = :$port' | grep -q '127.0.0.1:$port'"

if ! grep -q "ready:" "$alog"; then
	show "$alog"
	show "$log" | tail -n 20
	exit 1
fi
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
relay "booted: " tests/tpm/scenario.sh first "$TMP/scenario"
echo "# scenario (phase one) took $(($(date +%s) - start))s from boot under ${accel#--}"

kill -TERM "$apid" && wait "$apid"
astatus=$?
apid=""
check "adapter stops on SIGTERM with status 0" [ "$astatus" = 0 ]
check "adapter sent the guest its exit frame" grep -q "exit frame sent" "$alog"
wait "$qpid"
BOOT_STATUS=$?
qpid=""
secs=$(($(date +%s) - start))
echo "# boot ended after ${secs}s with status $BOOT_STATUS"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/vtpm-booted.serial.log"
grep -a "passthrough: exit frame\|exit (HLT)" "$log" | sed 's/^/# /'
check "guest exited 0 on the exit frame" kernel_says "$log" "keel: task 'guest' exited with status 0"
check "no SVSM error on the guest path" lacks "$log" "SVSM_VTPM_CMD failed"
check "boot ended with success (status 0)" [ "$BOOT_STATUS" = 0 ]
if [ "$BOOT_STATUS" != 0 ]; then
	show "$log" | tail -n 30
	show "$alog" | tail -n 10
fi

# Phase two: a reboot on the same disk image is the same TPM.
. "$KEEL_ROOT/tests/system/vtpm-disk-lib.sh"
trap 'vd_cleanup; cleanup' EXIT
check "reboot on the same disk: tpm2-tools reach the vTPM" vd_boot "$igvm" "$disk" reboot
check "reboot: no second manufacturing" sh -c "! grep -aq manufacturing '$vd_log'"
relay "after reboot: " tests/tpm/scenario.sh after-restart "$TMP/scenario"
vd_stop
check "reboot ended with success (status $BOOT_STATUS)" [ "$BOOT_STATUS" = 0 ]
plan
