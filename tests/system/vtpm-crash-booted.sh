#!/bin/bash
# Power cuts during vTPM NV traffic, booted: Keel on a disk image, the host
# looping TPM2_NV_Increment on a counter through the guest pass-through,
# QEMU killed with SIGKILL at a seeded random moment. Then the image must
# pass `keel-state check`, and the next boot must read the counter as
# exactly what the host saw acknowledged, or one more (the increment whose
# commit landed but whose response never left): never less, never garbage.
# KEEL_CRASH_SEEDS (default "1 2 3 4") picks the moments: 1000 + seed * 1597 % 4000 ms
# after the first increment was sent.
. "$(dirname "$0")/lib.sh"
. "$KEEL_ROOT/tests/hosted/vtpm-lib.sh"
. "$KEEL_ROOT/tests/system/vtpm-disk-lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
trap 'vd_cleanup; rm -rf "$TMP"' EXIT
seeds=${KEEL_CRASH_SEEDS:-1 2 3 4}
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/keel-tpm-serial" "$KEEL_BIN/keel-state" \
	"$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/storaged" \
	"$KEEL_BUILD/tasks/blkdev"; do
	need "$f" "$(basename "$f")" || exit 1
done
command -v tpm2_startup >/dev/null || { not_ok "tpm2-tools are not installed"; exit 1; }
igvm=$TMP/vtpm.igvm nv=0x01500020
build_manifest_igvm "$KEEL_ROOT/tests/system/vtpm-booted.manifest" "$igvm" || exit 1
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
# counter: the NV counter's value in decimal (empty if unreadable).
counter() {
	local h
	h=$(tpm2_nvread "$nv" -C o -s 8 2>/dev/null | xxd -p)
	[ ${#h} = 16 ] && printf '%d\n' "0x$h"
}

# The base image: manufactured, the counter defined and incremented once (= 1).
truncate -s 8M "$TMP/base.img"
check "base boot: vTPM up" vd_boot "$igvm" "$TMP/base.img" base
check "base: counter defined and incremented once" sh -c "tpm2_startup -c && \
	tpm2_nvdefine $nv -C o -s 8 -a 'nt=counter|ownerread|ownerwrite' >/dev/null && tpm2_nvincrement $nv -C o"
base=$(counter)
check "base: counter reads 1 ($base)" [ "$base" = 1 ]
vd_stop
check "base boot ended with success" [ "$BOOT_STATUS" = 0 ]

for seed in $seeds; do
	delay_ms=$((1000 + seed * 1597 % 4000))
	img=$TMP/crash-$seed.img
	cp --sparse=always "$TMP/base.img" "$img"
	acked=0
	if vd_boot "$igvm" "$img" "crash$seed" && tpm2_startup -c >/dev/null 2>&1; then
		( sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"; kill -KILL -- -"$qpid" ) &
		killer=$!
		while timeout 20 tpm2_nvincrement "$nv" -C o >/dev/null 2>&1; do
			acked=$((acked + 1))
		done
		wait "$killer"
		vd_kill
		ok "seed $seed: QEMU killed after ${delay_ms} ms of NV_Increment, $acked acknowledged"
	else
		not_ok "seed $seed: the crash boot came up"
		vd_kill
	fi
	"$KEEL_BIN/keel-state" check "$img" --dev-key >"$TMP/check-$seed.log" 2>&1
	st=$?
	check "seed $seed: keel-state check on the cut image: clean (status $st)" [ "$st" = 0 ]
	[ "$st" = 0 ] || show "$TMP/check-$seed.log"
	got=""
	if vd_boot "$igvm" "$img" "after$seed" && tpm2_startup -c >/dev/null 2>&1; then
		got=$(counter)
	fi
	vd_stop
	lo=$((base + acked)) hi=$((base + acked + 1))
	check "seed $seed: counter after reboot is $lo or $hi (acknowledged or +1): got '${got}'" \
		sh -c "[ -n '$got' ] && [ '$got' -ge $lo ] && [ '$got' -le $hi ]"
	check "seed $seed: the reboot did not re-manufacture" sh -c "! grep -aq manufacturing '$TMP/after$seed.serial'"
done
plan
