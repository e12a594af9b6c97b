#!/bin/bash
# Power cuts during vTPM NV traffic, hosted: blkdev's fault injection
# (KEEL_BLK_FAULT=after=N[,tear=B]: after N block writes the next write is
# torn and the driver dies, status 99) while tpm2-tools loop
# TPM2_NV_Increment on a counter. storaged then answers the commit with an
# I/O error, so the increment in flight gets TPM_RC_FAILURE and the vtpm
# turns its TPM off, never acknowledging it; after a restart on the
# same state the image passes keel-state check and the counter is what the
# client saw acknowledged, or one more (the cut hit after the commit's
# last write), never less. KEEL_CRASH_POINTS overrides the list of faults.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-crash.XXXXXX")
trap 'kill "$kh_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
points=${KEEL_CRASH_POINTS:-$(for i in $(seq 1 12); do printf "after=%d " "$i"; done)after=14,tear=2048 after=23,tear=1 after=31}
nv=0x01500020
pick_ports || { not_ok "no free port pair"; exit 1; }
export TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=$port"
counter() {
	local h
	h=$(tpm2_nvread "$nv" -C o -s 8 2>/dev/null | xxd -p)
	[ ${#h} = 16 ] && printf '%d\n' "0x$h"
}

mkdir -p "$tmp/base"
check "base: keel-hosted starts" kh_start "$tmp/base" mssim "$tmp/base.log"
check "base: counter defined and incremented once" sh -c "tpm2_startup -c && \
	tpm2_nvdefine $nv -C o -s 8 -a 'nt=counter|ownerread|ownerwrite' >/dev/null && tpm2_nvincrement $nv -C o"
check "base: counter reads 1" [ "$(counter)" = 1 ]
kh_stop

for p in $points; do
	st=$tmp/$p
	mkdir -p "$st"
	cp --sparse=always "$tmp/base/storage.img" "$st/storage.img"
	acked=0
	export KEEL_BLK_FAULT=$p
	if kh_start "$st" mssim "$st/cut.log"; then
		tpm2_startup -c >/dev/null 2>&1
		for _ in $(seq 200); do
			timeout 10 tpm2_nvincrement "$nv" -C o >/dev/null 2>&1 || break
			acked=$((acked + 1))
		done
	fi
	unset KEEL_BLK_FAULT
	kh_stop
	grep -a "blkdev\|storaged:\|vtpm: .*commit\|^task" "$st/cut.log" | tail -n 8 | sed "s/^/# $p: /"
	check "$p: the power cut happened ($acked increments acknowledged before it)" \
		grep -aq "blkdev: fault injection: power cut" "$st/cut.log"
	# The driver is gone, storaged and the vtpm are not: the increment in
	# flight gets TPM_RC_FAILURE, never success.
	check "$p: the failed commit was logged, the command answered TPM_RC_FAILURE" \
		grep -aq "vtpm: the command's state change could not be committed: answered TPM_RC_FAILURE" "$st/cut.log"
	build/bin/keel-state check "$st/storage.img" --dev-key >"$st/check.log" 2>&1
	check "$p: keel-state check: clean" [ $? -eq 0 ]
	got=""
	if kh_start "$st" mssim "$st/after.log"; then
		tpm2_startup -c >/dev/null 2>&1
		got=$(counter)
	fi
	kh_stop
	lo=$((1 + acked)) hi=$((2 + acked))
	check "$p: counter after restart is $lo or $hi: got '$got'" \
		sh -c "[ -n '$got' ] && [ '$got' -ge $lo ] && [ '$got' -le $hi ]"
	check "$p: not re-manufactured" sh -c "! grep -q manufacturing '$st/after.log'"
done

# Power cuts during the first start (storaged formatting the blank image,
# then the manufacture's single commit): the next start finds either no
# TPM (and manufactures one) or the whole TPM, never half of one.
for w in ${KEEL_CRASH_MANUFACTURE_POINTS:-0 1 2 3 4 5 6 7 8 9 10}; do
	st=$tmp/m$w
	mkdir -p "$st"
	export KEEL_BLK_FAULT=after=$w
	kh_start "$st" mssim "$st/cut.log"
	unset KEEL_BLK_FAULT
	kh_stop
	made=$(grep -c "vtpm: TPM manufactured and provisioned" "$st/cut.log")
	kh_start "$st" mssim "$st/after.log"
	again=$(grep -c "vtpm: no stored state: manufacturing" "$st/after.log")
	check "manufacture cut after $w writes: the TPM is whole afterwards (made before the cut: $made, made again: $again)" \
		bash -c "[ $((made + again)) -ge 1 ] && grep -q 'vtpm: TPM powered on' '$st/after.log' && \
			[ \$(grep -c 'certificate (NV 0x[0-9a-f]*): sha256' '$st/after.log') -eq 3 ] && \
			tpm2_startup -c >/dev/null 2>&1 && tpm2_getekcertificate -o '$st/rsa.der' >/dev/null 2>&1 && \
			openssl verify -CAfile '$st/ek-ca.pem' <(openssl x509 -inform DER -in '$st/rsa.der') >/dev/null"
	kh_stop
	build/bin/keel-state check "$st/storage.img" --dev-key >"$st/check.log" 2>&1
	check "manufacture cut after $w writes: keel-state check clean" [ $? -eq 0 ]
done
plan
