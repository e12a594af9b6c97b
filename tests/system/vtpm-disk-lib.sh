# shellcheck shell=bash
# Helpers for the booted vTPM tests with a state disk (sourced after
# tests/system/lib.sh and tests/hosted/vtpm-lib.sh; not a test, so not
# executable): Keel with tests/system/vtpm-booted.manifest (blkdev +
# storaged + vtpm + the test guest in passthrough mode) on a disk image,
# tpm2-tools reaching it through build/bin/keel-tpm-serial on $port
# (tests/system/vtpm-booted.sh explains the path).
#   vd_boot IGVM DISK NAME   boot in the background, wait for the adapter and
#                            the guest and the vtpm's start-up (120 s); 0 when
#                            tpm2-tools can talk.
#                            Logs: $TMP/NAME.serial, $TMP/NAME.adapter
#   vd_stop                  SIGTERM the adapter (exit frame), wait for the
#                            boot's end; its status in BOOT_STATUS
#   vd_kill                  SIGKILL QEMU (a power cut) and the adapter
qpid="" apid=""

vd_cleanup() {
	[ -n "$apid" ] && kill "$apid" 2>/dev/null
	[ -n "$qpid" ] && kill -KILL -- -"$qpid" 2>/dev/null
	qpid="" apid=""
}

vd_boot() {
	local igvm=$1 disk=$2 name=$3 accel=--tcg sock=$TMP/$3.sock
	[ "${KEEL_QEMU_ACCEL:-}" = kvm ] && accel=--kvm
	vd_log=$TMP/$name.serial vd_alog=$TMP/$name.adapter
	setsid "$KEEL_BIN/keel-qemu" "$accel" --timeout "${BOOT_TIMEOUT:-600}" --disk "$disk" \
		--serial2 "socket,path=$sock,server=on,wait=off" "$igvm" </dev/null >"$vd_log" 2>&1 &
	qpid=$!
	"$KEEL_BIN/keel-tpm-serial" --serial "$sock" --port "$port" --wait 120 2>"$vd_alog" &
	apid=$!
	for _ in $(seq 1200); do
		grep -q "ready:" "$vd_alog" && grep -aqF "[guest] passthrough: serving" "$vd_log" &&
			grep -aq "vtpm: TPM powered on\|vtpm: the TPM is off" "$vd_log" && return 0
		kill -0 "$apid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

vd_stop() {
	[ -n "$apid" ] && kill -TERM "$apid" && wait "$apid"
	apid=""
	wait "$qpid"
	BOOT_STATUS=$?
	qpid=""
}

vd_kill() {
	kill -KILL -- -"$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	[ -n "$apid" ] && kill -KILL "$apid" 2>/dev/null && wait "$apid" 2>/dev/null
	qpid="" apid=""
}

# vd_fps LOG: the vtpm's logged certificate fingerprints ("NV sha256" lines, sorted).
vd_fps() {
	tr -d '\r\000' <"$1" | grep -a "certificate (NV 0x[0-9a-f]*): sha256" |
		sed "s/.*certificate (NV \(0x[0-9a-f]*\)): sha256 \([0-9a-f]*\).*/\1 \2/" | sort -u
}

