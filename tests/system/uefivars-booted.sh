#!/bin/bash
# The UEFI variable service booted (docs/uefivars.md) through the real
# guest path: Keel boots blkdev + storaged + uefivars + the test guest in
# mode uefi-passthrough (tests/guest/uefipass.c) with COM2 on a Unix
# socket; the raw-buffer suite (tests/hosted/uefi_mm.py, the same cases
# as tests/hosted/uefivars-hosted.sh) sends edk2 MM buffers of 64 KiB (and
# 256 KiB) as KMMQ frames, the guest makes each SVSM_UEFI_MM_REQUEST.
#   boot 1: every function and status code, Secure Boot (keys made now
#           with openssl, efitools, sbvarsign), the boot phases; the
#           guest's QUERY_PROTOCOL(4, 1) line.
#   boot 2: the same disk: NV variables and db/KEK survive, volatile gone;
#           build/bin/keel-varctl --serial reads db back.
#   boot 3: a blank disk and data=OVMF_VARS_4M.ms.fd: the default store
#           (Microsoft's PK/KEK/db/dbx) and SecureBoot per edk2's rules;
#           keel-varctl --serial: SecureBoot 01, a db update signed by a
#           key outside KEK refused.
#   boot 4: a blank disk, the whole Secure Boot scenario
#           through build/bin/keel-varctl --serial
#           (tests/hosted/uefivars-sb-lib.sh).
# Each boot ends by the suite's exit frame (the guest exits 0).
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/hosted/uefivars-sb-lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
qpid=""
cleanup() {
	[ -n "$qpid" ] && kill -- -"$qpid" 2>/dev/null # keel-qemu and its QEMU (own session)
	rm -rf "$TMP"
}
trap cleanup EXIT
suite="python3 $KEEL_ROOT/tests/hosted/uefi_mm.py"
ovmf=/usr/share/OVMF/OVMF_VARS_4M.ms.fd

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/uefivars" \
	"$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done

# ub_boot IGVM DISK NAME: boot in the background until the guest serves COM2 ($TMP/NAME.sock).
ub_boot() {
	local accel=--tcg
	[ "${KEEL_QEMU_ACCEL:-}" = kvm ] && accel=--kvm
	ub_log=$TMP/$3.serial ub_sock=$TMP/$3.sock
	setsid "$KEEL_BIN/keel-qemu" "$accel" --timeout "$BOOT_TIMEOUT" --disk "$2" \
		--serial2 "socket,path=$ub_sock,server=on,wait=off" "$1" </dev/null >"$ub_log" 2>&1 &
	qpid=$!
	for _ in $(seq 1200); do
		grep -aqF "[guest] uefi-passthrough: serving" "$ub_log" && return 0
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$ub_log" | sed 's/^/# /'
	return 1
}
# ub_end NAME: wait for the boot to end (the suite sent the exit frame); TAP lines for its outcome.
ub_end() {
	for _ in $(seq 600); do # the exit frame ends the boot in moments; a lost one must not cost BOOT_TIMEOUT
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$qpid" 2>/dev/null && echo "# $1: no end 60 s after the exit frame; killing QEMU" &&
		kill -- -"$qpid" 2>/dev/null
	wait "$qpid"
	BOOT_STATUS=$?
	qpid=""
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$ub_log" "$KEEL_BUILD/test-logs/uefivars-booted.$1.serial.log"
	check "$1: guest exited 0 on the exit frame" kernel_says "$ub_log" "keel: task 'guest' exited with status 0"
	check "$1: boot ended with success" [ "$BOOT_STATUS" = 0 ]
	check "$1: the uefivars task never died" sh -c "! grep -aq \"keel: task 'uefivars' \\(killed\\|exited\\|fault\\)\" '$ub_log'"
	[ "$BOOT_STATUS" = 0 ] || tail -n 30 "$ub_log" | sed 's/^/# /'
}

igvm=$TMP/uefivars.igvm disk=$TMP/disk.img
build_manifest_igvm "$KEEL_ROOT/tests/system/uefivars-booted.manifest" "$igvm" || { plan; exit 1; }
truncate -s 8M "$disk"

start=$(date +%s)
check "boot 1: the guest serves MM buffers on COM2" ub_boot "$igvm" "$disk" boot1
check "boot 1: guest QUERY_PROTOCOL(4, 1): supported, versions 1..1" \
	serial_has "$ub_log" "[guest] uefi-passthrough: QUERY_PROTOCOL(4, 1) rax=0x0 rcx=0x100000001"
relay "boot 1: " $suite suite --serial "$ub_sock" functions secureboot persist-set phases --keys "$TMP/keys" --quit
ub_end boot1
echo "# boot 1 took $(($(date +%s) - start))s"

start=$(date +%s)
check "boot 2 (same disk): the guest serves MM buffers" ub_boot "$igvm" "$disk" boot2
relay "boot 2: " $suite suite --serial "$ub_sock" persist-check --keys "$TMP/keys"
# keel-varctl over the same COM2, then our exit frame.
if [ -x "$KEEL_BIN/keel-varctl" ]; then
	cat "$TMP/keys/db.esl" "$TMP/keys/db2.esl" "$TMP/keys/db3.esl" >"$TMP/keys/db-all.esl"
	check "boot 2: keel-varctl --serial get db --raw: the three enrolled lists" \
		sh -c "'$KEEL_BIN/keel-varctl' --serial '$ub_sock' get db --raw | cmp -s - '$TMP/keys/db-all.esl'"
fi
$suite quit --serial "$ub_sock"
ub_end boot2
echo "# boot 2 took $(($(date +%s) - start))s"

# boot 4: Secure Boot end to end through keel-varctl --serial on a blank disk (the same signed updates).
# keel-varctl sizes MessageLength as edk2 does, so only the answers cross the polled COM2: seconds under TCG.
if [ -x "$KEEL_BIN/keel-varctl" ]; then
	start=$(date +%s)
	truncate -s 8M "$TMP/disk4.img"
	check "boot 4 (blank disk): the guest serves MM buffers" ub_boot "$igvm" "$TMP/disk4.img" boot4
	sb_varctl "boot 4: " "$TMP/keys" "$KEEL_BIN/keel-varctl" --serial "$ub_sock"
	$suite quit --serial "$ub_sock"
	ub_end boot4
	echo "# boot 4 took $(($(date +%s) - start))s"
else
	not_ok "boot 4: $KEEL_BIN/keel-varctl is built"
fi

if [ -r "$ovmf" ]; then
	bin=$TMP/bin igvm3=$TMP/uefivars-default.igvm
	mkdir -p "$bin"
	for b in blkdev storaged uefivars test-guest; do ln -s "$KEEL_BUILD/tasks/$b" "$bin/$b"; done
	cp "$ovmf" "$bin/OVMF_VARS_4M.ms.fd"
	if "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" --manifest "$KEEL_ROOT/tests/system/uefivars-default.manifest" \
		--bin-dir "$bin" -o "$igvm3" >"$TMP/igvm-build3.log" 2>&1; then
		ok "igvm-build of uefivars-default.manifest (data=OVMF_VARS_4M.ms.fd)"
		truncate -s 8M "$TMP/disk3.img"
		check "boot 3 (default store): the guest serves MM buffers" ub_boot "$igvm3" "$TMP/disk3.img" boot3
		relay "boot 3: " $suite suite --serial "$ub_sock" default-store
		# Two keel-varctl commands on Microsoft's keys (user mode): SecureBoot, and our stranger's db update refused.
		if [ -x "$KEEL_BIN/keel-varctl" ]; then
			check "boot 3: keel-varctl --serial get SecureBoot: 01" \
				sh -c "[ \"\$('$KEEL_BIN/keel-varctl' --serial '$ub_sock' get SecureBoot | tr -d ' \n')\" = 01 ]"
			check "boot 3: keel-varctl --serial set db --auth (a key not in KEK): EFI_SECURITY_VIOLATION" \
				sh -c "! '$KEEL_BIN/keel-varctl' --serial '$ub_sock' set db --auth '$TMP/keys/db-stranger.auth' 2>'$TMP/vc3.err' &&
					grep -q EFI_SECURITY_VIOLATION '$TMP/vc3.err'"
		fi
		$suite quit --serial "$ub_sock"
		ub_end boot3
	else
		not_ok "igvm-build of uefivars-default.manifest (data=OVMF_VARS_4M.ms.fd)"
		show "$TMP/igvm-build3.log"
	fi
else
	not_ok "boot 3: default store: $ovmf missing (tools/install-deps.sh installs ovmf)"
fi
plan
