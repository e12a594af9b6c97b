#!/bin/bash
# A protocol declared only as data (tests/system/proto-echo.manifest): the
# test guest (mode proto-echo) calls tests/tasks/proto-echo on protocol
# 0x4B45454C with good and bad buffers under the manifest rule
# buffer=1:rcx+rdx:32. Its transcript ("[guest] svsm-call ..." and
# "[guest] svsm-ret ..." lines, a pair per call) must equal
# tests/system/proto-echo.expected line for line, the same file the hosted
# guest port is judged against. One TAP line per transcript line. Then the
# guest's calls to tests/tasks/svsm-parts-bad (large-buffer exchanges
# broken on purpose; hosted: tests/hosted/svsm-parts-hostile.sh), one TAP
# line each.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
EXPECTED=${PROTO_ECHO_EXPECTED:-$KEEL_ROOT/tests/system/proto-echo.expected}

for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/proto-echo" "$KEEL_BUILD/tasks/svsm-parts-bad" "$KEEL_BUILD/tasks/test-guest" \
	"$EXPECTED"; do
	need "$f" "$(basename "$f")" || exit 1
done

igvm=$TMP/proto-echo.igvm
log=$TMP/serial.log
if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" \
	--manifest "$KEEL_ROOT/tests/system/proto-echo.manifest" \
	--bin-dir "$KEEL_BUILD/tasks" -o "$igvm" >"$TMP/igvm-build.log" 2>&1; then
	not_ok "igvm-build of proto-echo.manifest"
	show "$TMP/igvm-build.log"
	plan
	exit 1
fi
ok "igvm-build of proto-echo.manifest"

boot_igvm "$log" "$igvm"
mkdir -p "$KEEL_BUILD/test-logs" && cp "$log" "$KEEL_BUILD/test-logs/proto-echo.serial.log"

got=$TMP/transcript
grep -a '^\[guest\] svsm-\(call\|ret\) ' "$log" | tr -d '\r' | sed 's/^\[guest\] //' >"$got"
compare_transcript "$got" "$EXPECTED"
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	"[guest] ok - "*) ok "guest: ${line#\[guest\] ok - }" ;;
	"[guest] not ok - "*) not_ok "guest: ${line#\[guest\] not ok - }" ;;
	esac
done < <(grep -a '^\[guest\] \(not \)\?ok - \(QUERY_PROTOCOL\|parts-bad\)' "$log")
check "guest saw 3 QUERY_PROTOCOL answers" [ "$(grep -ac '^\[guest\] \(not \)\?ok - QUERY_PROTOCOL' "$log")" = 3 ]
check "guest made the 13 parts-bad calls" [ "$(grep -ac '^\[guest\] \(not \)\?ok - parts-bad' "$log")" = 13 ]
check "no 'not routable' warning at boot" bash -c "! grep -aq 'not routable' '$log'"
check "guest exited with status 0 (HLT with RAX=0)" kernel_says "$log" "keel: task 'guest' exited with status 0"
check "boot ended with success (status 0)" [ "$BOOT_STATUS" = 0 ]
[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 40
plan
[ "$BOOT_STATUS" = 0 ] && cmp -s "$got" "$EXPECTED"
