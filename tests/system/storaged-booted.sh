#!/bin/bash
# storaged booted (docs/storaged.md): blkdev drives virtio-blk on
# keel-qemu --disk, storaged formats the blank disk, the storaged-client
# test task runs the API checks and writes two objects; the next boot on
# the same disk refuses a wrong key, then opens it with the right one and
# reads the objects back; the disk is not a plain-text copy of them; a
# boot without a disk runs on RAM and says so.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/blkdev" "$KEEL_BUILD/tasks/storaged" "$KEEL_BUILD/tasks/storaged-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
checks_of() { # the storaged-client check lines of a log, as TAP results
	tr -d '\r\000' <"$2" | while IFS= read -r line; do
		case $line in
		*"] check ok: "*) echo "ok - $1: ${line#*] check ok: }" ;;
		*"] check FAIL: "*) echo "not ok - $1: ${line#*] check FAIL: }" ;;
		esac
	done
}
relay_checks() {
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) not_ok "${line#not ok - }" ;;
		esac
	done < <(checks_of "$1" "$2")
}

build_manifest_igvm "$KEEL_ROOT/tests/system/storaged-booted.manifest" "$TMP/first.igvm" || { plan; exit 1; }
build_manifest_igvm "$KEEL_ROOT/tests/system/storaged-again.manifest" "$TMP/again.igvm" || { plan; exit 1; }
truncate -s 8M "$TMP/disk.img"

boot_igvm "$TMP/first.log" "$TMP/first.igvm" --disk "$TMP/disk.img"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/first.log" "$KEEL_BUILD/test-logs/storaged-booted.serial.log"
tr -d '\r' <"$TMP/first.log" | grep -a "storaged\|summary\|FAIL\|keel: task" | sed 's/^/# /'
check "first boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "storaged formatted the blank disk" has "$TMP/first.log" "storaged: formatted the blank state device (2048 blocks)"
relay_checks first "$TMP/first.log"
check "first boot: the three clients exited 0" \
	eval 'outcome_is "$TMP/first.log" keys "exit 0" && outcome_is "$TMP/first.log" api "exit 0" && outcome_is "$TMP/first.log" persist "exit 0"'
check "the disk does not hold the object in the clear" sh -c "! grep -q hello '$TMP/disk.img'"

boot_igvm "$TMP/again.log" "$TMP/again.igvm" --disk "$TMP/disk.img"
tr -d '\r' <"$TMP/again.log" | grep -a "storaged\|summary\|FAIL\|keel: task" | sed 's/^/# /'
check "second boot ended with success" [ "$BOOT_STATUS" = 0 ]
check "second boot: the wrong key is refused in one line, not formatted" \
	has "$TMP/again.log" "storaged: cannot open the state device: wrong key"
check "second boot: no format" sh -c "! tr -d '\r' <'$TMP/again.log' | grep -q 'formatted the blank'"
relay_checks again "$TMP/again.log"
check "second boot: the reader exited 0" outcome_is "$TMP/again.log" persist "exit 0"

boot_igvm "$TMP/nodisk.log" "$TMP/first.igvm"
check "no disk: storaged says state is in RAM" \
	has "$TMP/nodisk.log" "storaged: no state device: state is in RAM and will NOT persist"
check "no disk: the API checks still pass" has "$TMP/nodisk.log" "[api] summary:"
check "no disk: ... with no failure" sh -c "! tr -d '\r' <'$TMP/nodisk.log' | grep -q 'check FAIL'"
plan
