#!/bin/bash
# QEMU uses keel-hosted as a VM's TPM the way it uses swtpm
# (docs/tpm-frontends.md, "QEMU"): `keel-hosted --tpm-protocol swtpm
# --ctrl-path SOCK`, `-chardev socket,path=SOCK -tpmdev emulator`. A Linux
# guest (Debian's cloud kernel, TPM drivers built in, a busybox initramfs
# built here) boots under TCG with SeaBIOS (tpm-tis) and with OVMF
# (tpm-crb), both measuring the boot, and prints its sha256 PCRs 0-9 on
# the serial console. The same boots against a real `swtpm socket --tpm2
# --ctrl type=unixio` must read the same PCRs; 0-7 must be measured
# (neither zero nor all ones). One keel-hosted serves both boots (QEMU's
# CMD_SHUTDOWN at exit leaves it serving); swtpm exits at it, so each boot
# gets its own.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
fails=0
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-qemu.XXXXXX")
kh_pid= sw_pid=
trap 'kill $kh_pid $sw_pid 2>/dev/null; rm -rf "$tmp"' EXIT

kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)
config=/boot/config-${kernel#/boot/vmlinuz-}
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
check "Debian cloud kernel present ($kernel)" test -r "$kernel"
check "its TPM drivers are built in (CONFIG_TCG_TIS=y, CONFIG_TCG_CRB=y)" \
	sh -c "grep -qx CONFIG_TCG_TIS=y '$config' && grep -qx CONFIG_TCG_CRB=y '$config'"
check "OVMF, SeaBIOS, busybox-static, cpio, swtpm, qemu present" sh -c \
	"exec >/dev/null; test -r $ovmf_code && test -r $ovmf_vars && test -r /usr/share/seabios/bios-256k.bin &&
	 command -v cpio && command -v swtpm && command -v qemu-system-x86_64"

# The guest: print every sha256 PCR 0-9, power off.
mkdir -p "$tmp/ir/bin"
cp /bin/busybox "$tmp/ir/bin/" 2>/dev/null
cat >"$tmp/ir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys
mount -t proc proc /proc
mount -t sysfs sysfs /sys
i=0
while [ ! -e /sys/class/tpm/tpm0/pcr-sha256/0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
for p in 0 1 2 3 4 5 6 7 8 9; do echo "GUEST-PCR $p $(cat /sys/class/tpm/tpm0/pcr-sha256/$p 2>&1)"; done
echo GUEST-DONE
poweroff -f
INIT
chmod +x "$tmp/ir/init"
check "busybox initramfs built" sh -c \
	"test -x /bin/busybox && ! readelf -l /bin/busybox | grep -q INTERP && cd '$tmp/ir' && find . | cpio -o -H newc 2>/dev/null | gzip -1 >'$tmp/initrd.gz'"

# boot FIRMWARE CTRL_SOCKET NAME: boots the guest, keeps "N HEX" lines in $tmp/NAME.pcrs.
boot() {
	local fw=() dev=tpm-tis
	if [ "$1" = ovmf ]; then
		cp "$ovmf_vars" "$tmp/vars-$3.fd"
		fw=(-M q35 -drive "if=pflash,format=raw,readonly=on,file=$ovmf_code"
			-drive "if=pflash,format=raw,file=$tmp/vars-$3.fd")
		dev=tpm-crb
	fi
	timeout 150 qemu-system-x86_64 -accel tcg -m 256M -smp 1 -display none -no-reboot \
		-serial "file:$tmp/$3.serial" -monitor none "${fw[@]}" \
		-chardev "socket,id=c,path=$2" -tpmdev emulator,id=t,chardev=c -device "$dev,tpmdev=t" \
		-kernel "$kernel" -initrd "$tmp/initrd.gz" -append "console=ttyS0 panic=-1 quiet" \
		</dev/null >"$tmp/$3.qemu" 2>&1
	sed -n 's/^GUEST-PCR \([0-9]\) \([0-9A-Fa-f]\{64\}\)\r\{0,1\}$/\1 \2/p' "$tmp/$3.serial" >"$tmp/$3.pcrs"
	[ "$(wc -l <"$tmp/$3.pcrs")" -eq 10 ]
}

# swtpm_start NAME: a fresh swtpm on $tmp/NAME.sock; sets $sw_pid.
swtpm_start() {
	local i
	mkdir -p "$tmp/$1.state"
	swtpm socket --tpm2 --tpmstate "dir=$tmp/$1.state" --ctrl "type=unixio,path=$tmp/$1.sock" \
		--log "file=$tmp/$1.log" &
	sw_pid=$!
	for i in $(seq 100); do [ -S "$tmp/$1.sock" ] && return 0; sleep 0.05; done
	return 1
}

kh_log=$tmp/keel-hosted.log
mkdir -p "$tmp/kstate"
"$root/build/bin/keel-hosted" --manifest "$kh_manifest" --state "$tmp/kstate" --tpm-protocol swtpm \
	--ctrl-path "$tmp/keel.sock" >"$kh_log" 2>&1 &
kh_pid=$!
for i in $(seq 600); do
	grep -q "vtpm: TPM powered on" "$kh_log" && grep -q "on unix socket $tmp/keel.sock" "$kh_log" && break
	kill -0 "$kh_pid" 2>/dev/null || break
	sleep 0.1
done
check "keel-hosted --ctrl-path serves swtpm's control protocol on a Unix socket" \
	grep -q "on unix socket $tmp/keel.sock" "$kh_log"

for fw in seabios ovmf; do
	dev=tpm-tis
	[ $fw = ovmf ] && dev=tpm-crb
	start=$(date +%s)
	check "$fw ($dev): the guest reads PCRs 0-9 from keel-hosted" boot $fw "$tmp/keel.sock" keel-$fw
	echo "# $fw keel-hosted boot: $(($(date +%s) - start)) s"
	start=$(date +%s)
	check "$fw: swtpm starts" swtpm_start sw-$fw
	check "$fw ($dev): the guest reads PCRs 0-9 from swtpm" boot $fw "$tmp/sw-$fw.sock" sw-$fw
	kill "$sw_pid" 2>/dev/null # gone already if QEMU sent CMD_SHUTDOWN
	wait "$sw_pid" 2>/dev/null
	sw_pid=
	echo "# $fw swtpm boot: $(($(date +%s) - start)) s"
	sed "s/^/# $fw keel-hosted PCR /" "$tmp/keel-$fw.pcrs"
	sed "s/^/# $fw swtpm       PCR /" "$tmp/sw-$fw.pcrs"
	bad=$(grep -E '^[0-7] (0{64}|[Ff]{64})$' "$tmp/keel-$fw.pcrs" | cut -d' ' -f1 | tr '\n' ' ')
	check "$fw: PCRs 0-7 measured under keel-hosted (zero or all-ones: ${bad:-none})" \
		sh -c "[ -z '$bad' ] && [ \$(grep -c '^[0-7] ' '$tmp/keel-$fw.pcrs') -eq 8 ]"
	check "$fw: PCRs 0-9 under keel-hosted equal those under swtpm" \
		sh -c "[ -s '$tmp/keel-$fw.pcrs' ] && cmp -s '$tmp/keel-$fw.pcrs' '$tmp/sw-$fw.pcrs'"
	grep -a "qemu-system" "$tmp/keel-$fw.qemu" "$tmp/sw-$fw.qemu" | sed 's/^/# /' | head -n 5
done

check "keel-hosted still serves after both VMs' CMD_SHUTDOWN" kill -0 "$kh_pid"
kill -TERM "$kh_pid"
wait "$kh_pid"
st=$?
kh_pid=
check "SIGTERM: keel-hosted exits 0 and removes its socket" sh -c "[ $st -eq 0 ] && [ ! -e '$tmp/keel.sock' ]"
grep -E "tpm:" "$kh_log" | sed 's/^/# /' | head -n 10
echo "1..$n"
[ "$fails" -eq 0 ]
