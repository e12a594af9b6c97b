#!/bin/bash
# Randomness and the clock, hosted: tests/tasks/sources built against the
# hosted syscalls (keel_random over getrandom(2)), glibc and Keel's rand, run twice. Its
# own checks become TAP lines; the two runs' samples must differ and time()
# must be the host's. Keel's libc itself is compared with glibc and the
# host clock in tests/unit/libc (test-libc-time, test-libc-random).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tasks/hostile/tap.sh"
cd "$(dirname "$0")/../.." || exit 1
bin=build/hosted/sources
[ -x "$bin" ] || { not_ok "$bin is missing (make)"; # libtpms.so falls back to rand() when RAND_bytes fails: the hosted vtpm
# must define rand itself, so that fallback draws from getrandom, not from
# glibc's generator seeded with time and pid.
check "hosted vtpm exports Keel's rand (libtpms.so's rand resolves to it)" sh -c \
	"nm -D build/hosted/vtpm | grep -q ' T rand\$'"
plan; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

within() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
both() { [ -n "$1" ] && [ -n "$2" ]; }
sample() { sed -n "s/^sources: sample $2 \([0-9a-f]*\)$/\1/p" "$1"; }
for r in 1 2; do
	before=$(date +%s)
	timeout 60 "$bin" hosted >"$work/run$r.log" 2>&1
	rc=$?
	after=$(date +%s)
	task_checks "$work/run$r.log" sources || not_ok "run $r: the task printed no checks"
	check "run $r: sources PASSED, exit 0" sh -c \
		"[ $rc = 0 ] && grep -q '^sources: PASSED, 0 failed checks' '$work/run$r.log'"
	t=$(sed -n 's/^sources: time \([0-9]*\)$/\1/p' "$work/run$r.log")
	# 1 s slack: glibc's time() reads the coarse clock, a tick behind date's
	check "run $r: time() ${t:-missing} is the host's ($before..$after, 1 s slack)" \
		within "$t" $((before - 1)) $((after + 1))
done
# rand is Keel's hosted too (libc/rand.c linked ahead of glibc)
for s in keel_random getrandom rand; do
	a=$(sample "$work/run1.log" $s) b=$(sample "$work/run2.log" $s)
	check "$s: both runs printed a sample" both "$a" "$b"
	check "$s: the two runs' samples differ" [ "$a" != "$b" ]
done
# libtpms.so falls back to rand() when RAND_bytes fails: the hosted vtpm
# must define rand itself, so that fallback draws from getrandom, not from
# glibc's generator seeded with time and pid.
check "hosted vtpm exports Keel's rand (libtpms.so's rand resolves to it)" sh -c \
	"nm -D build/hosted/vtpm | grep -q ' T rand\$'"
plan
