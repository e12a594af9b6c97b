#!/bin/bash
# attest-bridge booted end to end (docs/attestation.md): Keel under QEMU
# (TCG) with blkdev, consdev, storaged (key=2, locked) and attest-bridge
# (stream=1) reaching build/bin/kbs on loopback through keel-qemu
# --proxy-socket and build/bin/keel-proxy. The kernel's emulated report
# carries the launch digest keel-qemu hands it (igvm-measure of the image);
# the broker accepts the emulated chain (--allow-emulated). Two boots on one
# state disk: the first formats and writes two objects, the second finds
# them; both unlock, the generation moves, the bridge acks and exits 0
# (no protocol=1 in this manifest). Then the proxy variant of make run's
# image (apps/boot-attest-proxy.manifest.in: KEEL_TRANSPORT=proxy make run,
# the vtpm and the demo guest) twice on a fresh disk: the first run's demo
# seals a secret, the second unseals it. The network variant, make run's
# default, is tests/system/attest-booted-net.sh and make-run-booted.sh.
. "$(dirname "$0")/lib.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}

for f in "$KEEL_BIN/igvm-build" "$KEEL_BIN/igvm-measure" "$KEEL_BIN/keel-qemu" "$KEEL_BIN/keel-proxy" \
	"$KEEL_BIN/kbs" "$KEEL_BIN/kbs-admin" "$KEEL_BUILD/kernel/keel.elf" "$KEEL_BUILD/tasks/consdev" \
	"$KEEL_BUILD/tasks/attest-bridge" "$KEEL_BUILD/tasks/storaged" "$KEEL_BUILD/tasks/storaged-client"; do
	need "$f" "$(basename "$f")" || { plan; exit 1; }
done
quiet() { "$@" >/dev/null; }
has() { tr -d '\r\000' <"$1" | grep -qF -- "$2"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

"$KEEL_BIN/kbs-admin" keygen "$TMP/id.pem" >/dev/null
pin=$("$KEEL_BIN/kbs-admin" pin "$TMP/id.pem")
head -c 32 /dev/urandom >"$TMP/state.key"

# manifest MODE: the boot manifest with the storaged client in MODE.
manifest() {
	cat <<EOM
task blkdev binary=blkdev memory=4M device=virtio-blk expect=any
task consdev binary=consdev memory=4M device=virtio-console expect=any
task storaged binary=storaged memory=32M expect=any arg="blk=1 key=3 ns=2:alpha"
task attest-bridge binary=attest-bridge memory=32M cap=attest expect=exit0 arg="stream=1 key=2 vm=default kbs-pin=$pin"
task client binary=storaged-client memory=4M arg=$1
channel storaged:1 blkdev:1
channel storaged:2 client:1
channel storaged:3 attest-bridge:2
channel attest-bridge:1 consdev:1
EOM
}
manifest persist-write >"$TMP/w.manifest"
manifest persist-check >"$TMP/c.manifest"
build_manifest_igvm "$TMP/w.manifest" "$TMP/w.igvm" || { plan; exit 1; }
build_manifest_igvm "$TMP/c.manifest" "$TMP/c.igvm" || { plan; exit 1; }
mw=$("$KEEL_BIN/igvm-measure" "$TMP/w.igvm")
mc=$("$KEEL_BIN/igvm-measure" "$TMP/c.igvm")
check "both images registered (their igvm-measure digests)" quiet "$KEEL_BIN/kbs-admin" --db "$TMP/kbs.db" \
	vm-add default --measurement "$mw" --measurement "$mc" --state-key "$TMP/state.key"
port=$(free_port)
"$KEEL_BIN/kbs" --listen "127.0.0.1:$port" --db "$TMP/kbs.db" --identity-key "$TMP/id.pem" \
	--emulated-chain "$KEEL_ROOT/kernel/platform/native/emulated-platform" --allow-emulated \
	--boot-window 0 >"$TMP/kbs.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$TMP/kbs.log" 2>/dev/null && break; sleep 0.1; done
truncate -s 8M "$TMP/state.img"

# one_boot LABEL IGVM: keel-proxy + keel-qemu; the serial log in $TMP/LABEL.log.
one_boot() {
	"$KEEL_BIN/keel-proxy" --socket "$TMP/$1.sock" --connect "127.0.0.1:$port" 2>"$TMP/$1.proxy" &
	local proxy=$!
	pids+=($proxy)
	boot_igvm "$TMP/$1.log" "$2" --disk "$TMP/state.img" --proxy-socket "$TMP/$1.sock"
	wait "$proxy"
	mkdir -p "$KEEL_BUILD/test-logs" && cp "$TMP/$1.log" "$KEEL_BUILD/test-logs/attest-booted-e2e.$1.log"
	tr -d '\r' <"$TMP/$1.log" | grep -a "attest-bridge\|keel: state\|storaged: \|persist\|FAIL" | sed 's/^/# /'
}
one_boot first "$TMP/w.igvm"
check "boot 1: ended with success" [ "$BOOT_STATUS" = 0 ]
check "boot 1: the bridge says transport=proxy" has "$TMP/first.log" "attest-bridge: transport=proxy"
check "boot 1: state unlocked (generation 1)" has "$TMP/first.log" "keel: state unlocked (generation 1)"
check "boot 1: acknowledged" has "$TMP/first.log" "attest-bridge: unlocked: boot 1, generation 1 acknowledged"
check "boot 1: the client wrote its objects" has "$TMP/first.log" "check ok: persist: two objects committed"
one_boot second "$TMP/c.igvm"
check "boot 2: ended with success" [ "$BOOT_STATUS" = 0 ]
check "boot 2: state unlocked (generation 3)" has "$TMP/second.log" "keel: state unlocked (generation 3)"
check "boot 2: boot 1's objects are there" has "$TMP/second.log" "check ok: persist: p-small is back after the restart"
check "boot 2: acknowledged" has "$TMP/second.log" "attest-bridge: unlocked: boot 2, generation 3 acknowledged"

# make run's image, proxy variant (apps/boot-attest-proxy.manifest.in, this broker's pin): the
# vtpm and the demo guest behind an attested storaged, on a fresh disk.
sed -e "s/@KBS_PIN@/$pin/" -e 's/ vm=default / vm=run /' "$KEEL_ROOT/apps/boot-attest-proxy.manifest.in" >"$TMP/run.manifest"
build_manifest_igvm "$TMP/run.manifest" "$TMP/run.igvm" || { plan; exit 1; }
check "make run's image registered as VM run" quiet "$KEEL_BIN/kbs-admin" --db "$TMP/kbs.db" vm-add run \
	--measurement "$("$KEEL_BIN/igvm-measure" "$TMP/run.igvm")" --state-key "$TMP/state.key"
rm -f "$TMP/state.img"
truncate -s 8M "$TMP/state.img"
one_boot run "$TMP/run.igvm"
check "make run's image (proxy variant): the bridge says transport=proxy" has "$TMP/run.log" "attest-bridge: transport=proxy"
check "make run's image: state unlocked" has "$TMP/run.log" "keel: state unlocked (generation 1)"
check "make run's image: the demo guest used its vTPM" has "$TMP/run.log" "demo: every response was TPM_RC_SUCCESS and PCR 16 matched"
check "make run's image: the demo sealed a secret into the vTPM" \
	has "$TMP/run.log" "demo: sealed a secret into the vTPM (handle 0x81000100): it will be unsealed on the next run"
# The same image again on the same disk: the persistent vTPM still has the sealed object.
one_boot run2 "$TMP/run.igvm"
check "make run's image, boot 2: state unlocked" grep -aq "keel: state unlocked (generation" "$TMP/run2.log"
check "make run's image, boot 2: the demo guest used its vTPM" \
	has "$TMP/run2.log" "demo: every response was TPM_RC_SUCCESS and PCR 16 matched"
sealed=$(tr -d '\r' <"$TMP/run.log" | sed -n 's/^\[guest\] demo: the sealed secret: "\(.*\)"$/\1/p')
unsealed=$(tr -d '\r' <"$TMP/run2.log" | sed -n 's/^\[guest\] demo: unsealed the secret sealed by an earlier run: "\(.*\)"$/\1/p')
echo "# sealed: '$sealed'; unsealed: '$unsealed'"
same_secret() { [ -n "$sealed" ] && [ "$sealed" = "$unsealed" ] && [ "${sealed#Keel demo secret sealed}" != "$sealed" ]; }
check "make run's image, boot 2: unsealed the secret boot 1 sealed" same_secret
check "make run's image: the UEFI variable KeelDemoBoots is 1 on boot 1" \
	has "$TMP/run.log" "KeelDemoBoots (NV, SVSM protocol 4, 64 KiB MM buffer): 1 (first boot of this state)"
check "make run's image, boot 2: KeelDemoBoots is 2 (uefivars kept it through storaged)" \
	has "$TMP/run2.log" "KeelDemoBoots (NV, SVSM protocol 4, 64 KiB MM buffer): 2 (kept across reboots)"
sed 's/^/# kbs: /' "$TMP/kbs.log"
check "the broker saw four emulated attestations" [ "$(grep -c 'EMULATED attestation accepted' "$TMP/kbs.log")" -eq 4 ]
check "the broker took both acks (min-generation now 3)" grep -q "ack: vm default boot 2 generation 3 (min-generation now 3)" "$TMP/kbs.log"
plan
