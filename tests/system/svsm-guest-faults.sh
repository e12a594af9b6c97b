#!/bin/bash
# A hostile guest (docs/guest.md): each test-guest "fault-*" mode does one
# thing a guest may not (another MSR, another port, SYSCALL, VMGEXIT
# without a VMPL request, writing its own text). Each boot must end the
# guest as a fault (manifest expect=fault), never the kernel: status 0.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
for f in "$IGVM_BUILD" "$KEEL_BIN/keel-qemu" "$KEEL_BUILD/kernel/keel.elf" \
	"$KEEL_BUILD/tasks/vtpm" "$KEEL_BUILD/tasks/test-guest"; do
	need "$f" "$(basename "$f")" || exit 1
done

# mode and the kernel's message for it
while IFS='|' read -r mode why; do
	man=$TMP/$mode.manifest log=$TMP/$mode.log
	printf 'task vtpm binary=vtpm memory=64M protocol=2 buffer=1:page expect=any\n' >"$man"
	# Its state service, as every manifest with a vtpm (no disk: storaged runs volatile).
	printf 'task blkdev binary=blkdev memory=4M device=virtio-blk expect=any\n' >>"$man"
	printf 'task storaged binary=storaged memory=32M expect=any arg="blk=1 ns=2:vtpm dev-key"\n' >>"$man"
	printf 'channel storaged:1 blkdev:1\nchannel storaged:2 vtpm:1\n' >>"$man"
	printf 'task guest binary=test-guest memory=1M kind=guest expect=fault arg=%s\n' "$mode" >>"$man"
	if ! "$IGVM_BUILD" --kernel "$KEEL_BUILD/kernel/keel.elf" --manifest "$man" \
		--bin-dir "$KEEL_BUILD/tasks" -o "$TMP/$mode.igvm" >"$TMP/igvm-build.log" 2>&1; then
		not_ok "$mode: igvm-build"
		continue
	fi
	boot_igvm "$log" "$TMP/$mode.igvm"
	check "$mode: the kernel says why ($why)" serial_has "$log" "$why"
	check "$mode: guest ended as a fault, boot status 0" \
		kernel_says "$log" "keel: task 'guest': fault, expected fault: as expected"
	[ "$BOOT_STATUS" = 0 ] || { not_ok "$mode: boot status $BOOT_STATUS"; show "$log" | tail -n 15; }
done <<'MODES'
fault-msr|RDMSR of MSR c0000080
fault-port|port f4 is not the guest's
fault-syscall|SYSCALL from the guest
fault-vmgexit|VMGEXIT without a VMPL request
fault-write-text|killed: #PF
MODES
plan
