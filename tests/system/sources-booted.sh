#!/bin/bash
# Randomness and the clock, booted: tests/tasks/sources (Keel's libc over
# the kernel's random source and clock) in two boots of sources.manifest.
# Each boot's own checks (monobit, byte frequency, no repeated 32-byte
# block for keel_random and getrandom; rand not constant and not
# reproducible by srand; time()/clock_gettime/gettimeofday agreeing) become
# TAP lines; then across the boots: every sample differs (a constant or
# boot-seeded source gives the same bytes twice), and time() is the host's
# time at boot (docs/testing.md).
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/tasks/hostile/tap.sh"
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/sources"; do
	need "$f" "$(basename "$f")" || exit 1
done
igvm=$TMP/sources.igvm
build_manifest_igvm "$KEEL_ROOT/tests/system/sources.manifest" "$igvm" || exit 1

within() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
both() { [ -n "$1" ] && [ -n "$2" ]; }
sample() { tr -d '\r\000' <"$1" | sed -n "s/.*sources: sample $2 \([0-9a-f]*\)$/\1/p"; }
for b in 1 2; do
	log=$TMP/boot$b.log
	before=$(date +%s)
	boot_igvm "$log" "$igvm"
	after=$(date +%s)
	task_checks "$log" sources || not_ok "boot $b: the task printed no checks"
	check "boot $b: sources PASSED, boot status 0" sh -c \
		"[ $BOOT_STATUS = 0 ] && tr -d '\r\000' <'$log' | grep -q 'sources: PASSED, 0 failed checks'"
	t=$(tr -d '\r\000' <"$log" | sed -n 's/.*sources: time \([0-9]*\)$/\1/p')
	check "boot $b: time() ${t:-missing} is the host's time during the boot ($before..$after, 2 s slack)" \
		within "$t" $((before - 2)) $((after + 2))
	[ "$BOOT_STATUS" = 0 ] || show "$log" | tail -n 30
	cp "$log" "$KEEL_BUILD/test-logs/sources-booted.boot$b.serial.log" 2>/dev/null
done
for s in keel_random getrandom rand; do
	a=$(sample "$TMP/boot1.log" $s) b=$(sample "$TMP/boot2.log" $s)
	echo "# $s: boot 1 $a, boot 2 $b"
	check "$s: both boots printed a sample" both "$a" "$b"
	check "$s: the two boots' samples differ" [ "$a" != "$b" ]
done
plan
