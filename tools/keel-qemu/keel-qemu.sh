#!/bin/bash
# keel-qemu: boot an IGVM file under QEMU 7.2 through the multiboot shim
# (build/loader/shim.elf; docs/shim.md). The serial console streams to
# stdout; the exit status is the boot's:
#   isa-debug-exit value 0 (QEMU 1) -> 0, value 1 (QEMU 3) -> 1,
#   other values v -> QEMU's (v << 1) | 1, unchanged,
#   guest stopped without isa-debug-exit (reset/triple fault; QEMU 0) -> 2,
#   QEMU itself failed to start -> 125, timeout -> 124.
# Environment: KEEL_QEMU_ACCEL, KEEL_QEMU (binary), KEEL_QEMU_CPU, KEEL_SHIM.
set -u

usage() {
	cat <<'USAGE'
usage: keel-qemu [options] FILE.igvm
  --tcg | --kvm        accelerator (default: KVM if /dev/kvm opens read/write
                       and is not PVM (kvm_pvm), else TCG;
                       KEEL_QEMU_ACCEL=tcg|kvm forces one)
  --machine M          microvm (default, fastest: no firmware) or q35
  --memory SIZE        guest RAM (default 1G)
  --disk FILE          raw state disk as virtio-blk (virtio-mmio on microvm, PCI on q35)
  --net OPTS           virtio-net on "-netdev user,restrict=on[,OPTS]"
                       (OPTS "" or e.g. guestfwd=tcp:10.0.2.100:80-tcp:127.0.0.1:8080)
  --net-host-loopback  virtio-net as --net, but without restrict=on: the guest's
                       TCP/UDP to 10.0.2.2 reaches the host's 127.0.0.1 (e.g. a
                       key broker on loopback); the guest can then also reach
                       whatever the host reaches (apps/netdev/README.md)
  --net-forward GPORT:HPORT
                       virtio-net as --net (restrict=on), plus one guestfwd rule:
                       the guest's TCP to 10.0.2.100:GPORT is relayed to the
                       host's 127.0.0.1:HPORT (a "busybox nc" per connection);
                       the only host service the guest reaches (repeatable;
                       docs/decisions.md D22)
  --proxy-socket PATH  virtio-console (port 0, virtio-serial; virtio-mmio on microvm,
                       PCI on q35) on a Unix socket PATH that QEMU listens on,
                       for build/bin/keel-proxy (docs/keel-proxy.md)
  --serial2 SPEC       second serial port (COM2, 0x2f8) on chardev SPEC,
                       e.g. file,path=out.log or socket,path=/tmp/s,server=on,wait=off
  --append STR         multiboot command line (COMMAND_LINE parameter)
  --launch-digest HEX  the launch digest handed to the kernel for its emulated
                       attestation reports (default: what igvm-measure FILE
                       prints, none if it cannot measure FILE; "none" hands
                       none; docs/attestation-report.md)
  --timeout SECS       stop after SECS seconds, exit 124
  --icount             count instructions: QEMU -icount shift=0,sleep=off (TCG
                       only), so the guest's TSC advances by one per instruction
                       and a TSC difference is an exact instruction count
                       (docs/ipc-fast-path.md)
  --gdb                gdb stub on tcp::1234, CPU halted until gdb continues
  --qemu-arg ARG       pass ARG to QEMU (repeatable)
  --dry-run            print the QEMU command line and exit
  --print-accel        print the accelerator a boot would use (tcg or kvm) and exit
USAGE
}

die() {
	echo "keel-qemu: $*" >&2
	exit 125
}

self_dir=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
shim=${KEEL_SHIM:-$self_dir/../loader/shim.elf}
qemu=${KEEL_QEMU:-qemu-system-x86_64}
accel=${KEEL_QEMU_ACCEL:-auto}
machine=microvm memory=1G disk="" net="" net_on=0 net_restrict=on serial2="" proxy_socket="" append="" timeout_s="" gdb=0
dry=0 igvm="" print_accel=0 digest="" icount=0
extra=() forwards=()

need_arg() { [ "$2" -ge 2 ] || die "$1 needs an argument (see --help)"; }

while [ $# -gt 0 ]; do
	case $1 in
	--tcg) accel=tcg ;;
	--kvm) accel=kvm ;;
	--machine) need_arg "$1" $#; machine=$2; shift ;;
	--memory) need_arg "$1" $#; memory=$2; shift ;;
	--disk) need_arg "$1" $#; disk=$2; shift ;;
	--net) need_arg "$1" $#; net=$2; net_on=1; shift ;;
	--net-host-loopback) net_on=1 net_restrict=off ;;
	--net-forward) need_arg "$1" $#; forwards+=("$2"); net_on=1; shift ;;
	--serial2) need_arg "$1" $#; serial2=$2; shift ;;
	--proxy-socket) need_arg "$1" $#; proxy_socket=$2; shift ;; # proxy-socket (consdev)
	--append) need_arg "$1" $#; append=$2; shift ;;
	--timeout) need_arg "$1" $#; timeout_s=$2; shift ;;
	--launch-digest) need_arg "$1" $#; digest=$2; shift ;;
	--icount) icount=1 ;;
	--gdb) gdb=1 ;;
	--qemu-arg) need_arg "$1" $#; extra+=("$2"); shift ;;
	--dry-run) dry=1 ;;
	--print-accel) print_accel=1 ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option $1" ;;
	*) [ -z "$igvm" ] || die "one IGVM file only ($igvm, $1)"; igvm=$1 ;;
	esac
	shift
done

kvm_usable() { [ -r /dev/kvm ] && [ -w /dev/kvm ] && (exec 3<>/dev/kvm) 2>/dev/null; }
# /dev/kvm backed by kvm_pvm (PVM, a software hypervisor: no SVM/VMX) runs a
# guest that is not a PVM guest through KVM's instruction emulator, which
# cannot run Keel (docs/kernel.md, "KVM notes"): auto picks TCG there.
kvm_is_pvm() { [ -d /sys/module/kvm_pvm ]; }
# icount is TCG's: --icount makes auto pick TCG, and refuses an explicit KVM.
[ "$icount" = 1 ] && [ "$accel" = auto ] && accel=tcg
[ "$icount" = 1 ] && [ "$accel" = kvm ] && die "--icount counts instructions under TCG only, not KVM"
case $accel in
auto) if kvm_usable && ! kvm_is_pvm; then accel=kvm; else accel=tcg; fi ;;
kvm)
	kvm_usable || die "KVM requested but /dev/kvm cannot be opened read/write"
	kvm_is_pvm && echo "keel-qemu: warning: /dev/kvm is PVM (kvm_pvm): Keel's kernel runs emulated and its tasks cannot make syscalls; use --tcg" >&2 ;;
tcg) ;;
*) die "KEEL_QEMU_ACCEL must be tcg or kvm, not '$accel'" ;;
esac
# --print-accel: the accelerator a boot would use, for scripts that must
# decide the same way (tests/bench/run-bench.sh, tests/run-all.sh's "no
# KVM" skips): one implementation of the choice.
if [ "$print_accel" = 1 ]; then
	echo "$accel"
	exit 0
fi

[ -n "$igvm" ] || { usage >&2; die "no IGVM file given"; }
[ -r "$igvm" ] || die "cannot read IGVM file '$igvm'"
[ -r "$shim" ] || die "no shim at $shim (run make, or set KEEL_SHIM)"
case $igvm in *,*) die "IGVM path must not contain a comma (QEMU -initrd splits on it)" ;; esac
if [ -n "$timeout_s" ]; then
	case $timeout_s in '' | *[!0-9]*) die "--timeout wants whole seconds, not '$timeout_s'" ;; esac
fi
case $machine in
microvm) bus=device ;;
q35) bus=pci ;;
*) die "unknown machine '$machine' (microvm or q35)" ;;
esac

# Nested KVM hosts often refuse QEMU's write of IA32_ARCH_CAPABILITIES (MSR
# 0x10a) and QEMU aborts; Keel needs nothing from that MSR.
if [ "$accel" = kvm ]; then cpu=host,-arch-capabilities; else cpu=max; fi
cpu=${KEEL_QEMU_CPU:-$cpu}

# shellcheck disable=SC2054 # commas inside QEMU option values
# microvm's rtc=auto means "off under KVM": the kernel reads the wall clock
# from the CMOS RTC, so ask for it (and the PIT, used for calibration).
# ioapic2=on (QEMU's default with ACPI, said out loud): virtio-mmio slot i
# interrupts on GSI 24 + i, which the kernel relies on (platform/native/devices.c);
# force-legacy=false: virtio-mmio version 2, the only one apps/blkdev drives.
mopts=$machine
mglobal=()
[ "$machine" = microvm ] && mopts=microvm,rtc=on,pit=on,ioapic2=on &&
	mglobal=(-global virtio-mmio.force-legacy=false)
cmd=("$qemu" -M "$mopts" "${mglobal[@]}" -accel "$accel" -cpu "$cpu" -m "$memory" -smp 1
	-nographic -serial mon:stdio -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=4
	-kernel "$shim" -initrd "$igvm")
[ -n "$append" ] && cmd+=(-append "$append")
# sleep=off: an idle guest's virtual clock jumps to the next timer instead of
# waiting in real time, so a count never depends on the host's speed.
[ "$icount" = 1 ] && cmd+=(-icount shift=0,sleep=off)
# Nothing measures a native boot, so the host tells the kernel the image's
# launch digest (fw_cfg file opt/keel/launch-digest) for the emulated
# attestation report; a report is therefore only as honest as this script
# (docs/attestation-report.md), which is why verifiers accept emulated
# reports only when told to.
# A file igvm-measure cannot measure (the shim's test fixtures, files the
# shim must reject) still boots, with no digest: the kernel then says so and
# reports a zero measurement.
if [ -z "$digest" ]; then
	measure=${KEEL_IGVM_MEASURE:-$self_dir/igvm-measure}
	digest=none
	if [ -x "$measure" ] && d=$("$measure" "$igvm" 2>/dev/null) && [ ${#d} = 96 ]; then
		digest=$d
	fi
fi
if [ "$digest" != none ]; then
	case $digest in *[!0-9a-fA-F]*) die "--launch-digest wants 96 hex digits, not '$digest'" ;; esac
	[ ${#digest} = 96 ] || die "--launch-digest wants 96 hex digits, not '$digest'"
	cmd+=(-fw_cfg "name=opt/keel/launch-digest,string=$digest")
fi
if [ -n "$disk" ]; then
	[ -e "$disk" ] || die "no disk image '$disk'"
	case $disk in *,*) die "disk path must not contain a comma" ;; esac
	# shellcheck disable=SC2054
	cmd+=(-drive "file=$disk,format=raw,if=none,id=keeldisk" -device "virtio-blk-$bus,drive=keeldisk")
fi
# --net-forward GPORT:HPORT (D22): slirp's guestfwd with "cmd:" starts the
# command for each TCP connection the guest opens to 10.0.2.100:GPORT, its
# stdin/stdout being that connection; restrict=on lets exactly these
# through. busybox nc (busybox-static, tools/install-deps.sh), one process
# per connection, exits when either side closes. The command
# line is split on spaces (no shell) and QEMU's option parser would cut it at
# a comma: only digits go in.
fwd_opts=""
for f in "${forwards[@]}"; do
	case $f in
	[0-9]*:[0-9]*) ;;
	*) die "--net-forward wants GUESTPORT:HOSTPORT, not '$f'" ;;
	esac
	g=${f%%:*} h=${f#*:}
	case $g$h in *[!0-9]*) die "--net-forward wants GUESTPORT:HOSTPORT, not '$f'" ;; esac
	if [ "$g" -lt 1 ] || [ "$g" -gt 65535 ] || [ "$h" -lt 1 ] || [ "$h" -gt 65535 ]; then
		die "--net-forward ports must be 1..65535, not '$f'"
	fi
	nc=$(command -v busybox) || die "--net-forward needs busybox (its nc relays each connection; apt-get install busybox-static)"
	case $nc in *[,\ ]*) die "the busybox path '$nc' must not contain a comma or a space" ;; esac
	fwd_opts="$fwd_opts,guestfwd=tcp:10.0.2.100:$g-cmd:$nc nc 127.0.0.1 $h"
done
[ -n "$fwd_opts" ] && [ "$net_restrict" = off ] && die "--net-forward and --net-host-loopback exclude each other (restrict=on vs off)"
net=$net$fwd_opts
net=${net#,}
if [ "$net_on" = 1 ]; then
	# restrict=on keeps the guest off the host and the outside (slirp's own
	# DHCP, ARP and DNS still answer); off, slirp maps 10.0.2.2 to the host's
	# loopback, which is what issue 17's broker on 127.0.0.1 needs. (A
	# guestfwd rule cannot name 10.0.2.2: QEMU refuses the host address.)
	cmd+=(-netdev "user,id=keelnet,restrict=$net_restrict${net:+,$net}" -device "virtio-net-$bus,netdev=keelnet")
fi
# proxy-socket (consdev): virtconsole on port 0 of a virtio-serial device,
# QEMU listening on PATH (wait=off: the guest boots before keel-proxy connects).
if [ -n "$proxy_socket" ]; then
	case $proxy_socket in *,*) die "proxy socket path must not contain a comma" ;; esac
	# shellcheck disable=SC2054
	cmd+=(-chardev "socket,id=keelproxy,path=$proxy_socket,server=on,wait=off"
		-device "virtio-serial-$bus,max_ports=1" -device virtconsole,chardev=keelproxy,nr=0)
fi
# end proxy-socket
# An explicit isa-serial device disables QEMU's default serial port, hence the
# explicit "-serial mon:stdio" above for COM1.
if [ -n "$serial2" ]; then
	# shellcheck disable=SC2054
	cmd+=(-chardev "$serial2,id=keelcom2" -device isa-serial,chardev=keelcom2,iobase=0x2f8,irq=3)
fi
[ "$gdb" = 1 ] && cmd+=(-s -S)
cmd+=("${extra[@]}")

if [ "$dry" = 1 ]; then
	printf '%q ' "${cmd[@]}"
	echo
	exit 0
fi
[ "$gdb" = 1 ] && echo "keel-qemu: waiting for gdb on tcp::1234 (target remote :1234)" >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-qemu.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
# --foreground: QEMU keeps the terminal (serial input) instead of being
# stopped by SIGTTIN in timeout's own process group.
run=()
[ -n "$timeout_s" ] && run=(timeout --foreground -k 5 "$timeout_s")
# QEMU's stderr and stdout (the serial console) both stream through; copies
# are kept to tell QEMU's own start-up failures from a guest's exit.
{
	{ "${run[@]}" "${cmd[@]}" 2>&1 1>&3 3>&- | tee "$tmp/stderr" >&2
	  echo "${PIPESTATUS[0]}" >"$tmp/rc"; } 3>&1 | tee "$tmp/serial"
}
rc=$(cat "$tmp/rc" 2>/dev/null) || rc=125

case $rc in
124)
	echo "keel-qemu: timeout: no isa-debug-exit within ${timeout_s}s" >&2
	exit 124 ;;
1)
	# Also QEMU's own "could not start" status: an error line from QEMU
	# and not one byte from the guest.
	if [ ! -s "$tmp/serial" ] && grep -v ': warning: ' "$tmp/stderr" | grep -q '^qemu-system[^:]*: '; then
		echo "keel-qemu: QEMU failed to start" >&2
		exit 125
	fi
	exit 0 ;;
3) exit 1 ;;
0)
	echo "keel-qemu: guest stopped without isa-debug-exit (reset, triple fault or power-off)" >&2
	exit 2 ;;
*) exit "$rc" ;;
esac
