#!/bin/bash
# store-smoke: the store format library (apps/storaged/store*.c) with
# libcrypto.a over Keel's libc, as booted storaged runs it: HKDF-SHA256,
# AES-256-GCM and RAND_bytes in a task. The hosted build runs first; then an
# IGVM with tests/system/store-smoke.manifest boots under QEMU and the task
# must pass every check and exit 0 (tests/tasks/store-smoke/main.c).
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}

if need "$KEEL_BUILD/hosted/store-smoke" "hosted store-smoke"; then
	check "hosted store-smoke passes every check" sh -c \
		"'$KEEL_BUILD/hosted/store-smoke' >'$TMP/hosted.log' 2>&1 && grep -q 'all checks passed' '$TMP/hosted.log'"
fi
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/store-smoke"; do
	need "$f" "$(basename "$f")" || exit 1
done
igvm=$TMP/store-smoke.igvm
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/store-smoke.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of store-smoke.manifest"
	show "$TMP/igvm-build.log"
	plan
	exit 1
fi
ok "igvm-build of store-smoke.manifest"
log=$TMP/serial.log
boot_igvm "$log" "$igvm"
check "booted: format, commit, reopen, read back, check, wrong key all as expected" \
	serial_has "$log" "store-smoke: all checks passed"
check "booted: store-smoke exited 0" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 30
plan
