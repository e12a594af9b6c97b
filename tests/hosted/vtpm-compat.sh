#!/bin/bash
# Compatibility sweep: the same tpm2-tools commands against keel-hosted (mssim
# TCTI) and the reference peer, a real `swtpm socket --tpm2` (swtpm TCTI),
# each on a fresh state. One TAP line per command: exit statuses must agree,
# and so must the output where it is deterministic on a TPM (hashes, HMACs
# and signatures with imported keys, policy digests, NV contents, PCRs,
# capabilities). Keys the TPMs generate, random bytes and seed-derived
# primaries differ by design: those are compared by exit status only, and
# each TPM checks its own round trip (sign/verify, encrypt/decrypt).
# Then Keel-only checks: its buffer limits, a restart on the same --state
# keeps persistent objects and NV (also after tpm2_clear), and platform
# power cycles over the mssim platform port. Skipped when swtpm is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/vtpm-lib.sh"
cd "$root" || exit 1
if ! command -v swtpm >/dev/null || ! command -v tpm2_getcap >/dev/null; then
	echo "1..0 # SKIP swtpm or tpm2-tools not installed"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-compat.XXXXXX")
sw_pid=
trap 'kill "$kh_pid" $sw_pid 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state" "$tmp/swtpm-state" "$tmp/keel" "$tmp/swtpm" "$tmp/in"

pick_ports || { not_ok "no free port pair"; exit 1; }
kport=$port
check "keel-hosted starts (mssim protocol)" kh_start "$tmp/state" mssim "$tmp/run.log"
# swtpm's two ports must not overlap keel's.
while pick_ports && [ $((port - kport)) -ge -1 ] && [ $((port - kport)) -le 1 ]; do :; done
sport=$port
swtpm socket --tpm2 --server "type=tcp,port=$sport" --ctrl "type=tcp,port=$((sport + 1))" \
	--tpmstate "dir=$tmp/swtpm-state" --flags not-need-init,startup-clear >"$tmp/swtpm.log" 2>&1 &
sw_pid=$!
for _ in $(seq 100); do
	TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$sport" tpm2_getcap properties-fixed >/dev/null 2>&1 && break
	sleep 0.1
done
check "swtpm answers" kill -0 "$sw_pid"
tcti_keel="mssim:host=127.0.0.1,port=$kport"
tcti_swtpm="swtpm:host=127.0.0.1,port=$sport"
check "keel: TPM2_Startup(CLEAR)" env TPM2TOOLS_TCTI="$tcti_keel" tpm2_startup -c

# Same inputs on both sides (in/): a message over several 1024-byte
# TPM2_PT_INPUT_BUFFERs (hash and HMAC become sequences), NV data over
# several TPM2_PT_NV_BUFFER_MAX chunks, external keys to import.
head -c 5000 /dev/urandom >"$tmp/in/big.bin"
echo "keel vtpm compatibility" >"$tmp/in/msg.txt"
head -c 2048 /dev/urandom >"$tmp/in/nv2048.bin"
head -c 32 /dev/urandom >"$tmp/in/hmac.key"
head -c 16 /dev/urandom >"$tmp/in/aes.key"
head -c 16 /dev/urandom >"$tmp/in/iv.bin"
head -c 64 /dev/urandom >"$tmp/in/plain64.bin"
openssl genrsa -out "$tmp/in/rsa.pem" 2048 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/in/ecc.pem" 2>/dev/null

# side NAME CMD: runs CMD with bash in NAME's working directory and TCTI
# (\$in is the shared input directory); stdout in NAME.out, stderr in
# NAME.err, status in $rc_NAME. Transient objects and sessions are flushed
# first, and CMD flushes with `fl` after a tpm2_load (which leaves the
# parent loaded): there is no resource manager in front of libtpms' 3
# object slots.
side() {
	local tcti=$tcti_keel
	[ "$1" = swtpm ] && tcti=$tcti_swtpm
	(cd "$tmp/$1" && export TPM2TOOLS_TCTI="$tcti" in="$tmp/in" &&
		{ tpm2_flushcontext -t; tpm2_flushcontext -s; } >/dev/null 2>&1
		
		fl() { tpm2_flushcontext -t >/dev/null 2>&1; } && export -f fl &&
		bash -c "$2") >"$tmp/$1.out" 2>"$tmp/$1.err"
	eval "rc_$1=\$?"
}

# both MODE NAME CMD: runs CMD on both; MODE "status" compares exit statuses,
# "output" also stdout, "filter:SED" stdout through sed -E SED.
both() {
	local mode=$1 name=$2 filter=
	side keel "$3"
	side swtpm "$3"
	case $mode in filter:*) filter=${mode#filter:} ;; output) filter='' ;; esac
	# Agreeing on a failure only counts where the name says one is expected
	# (a command that fails on both is a broken test, not compatibility).
	local want=0
	case $name in *" fails"* | *" is refused"* | *" is now required"*) want=1 ;; esac
	if [ $((rc_keel != 0)) -eq $want ] && [ "$rc_keel" -eq "$rc_swtpm" ] && { [ "$mode" = status ] ||
		cmp -s <(sed -E "$filter" "$tmp/keel.out") <(sed -E "$filter" "$tmp/swtpm.out"); }; then
		ok "$name: keel and swtpm agree (exit $rc_keel)"
	else
		not_ok "$name: keel and swtpm differ, or both did not do what is expected"
		echo "#   command: $3"
		for s in keel swtpm; do
			eval "echo \"#   $s: exit \$rc_$s\""
			sed -E "$filter" "$tmp/$s.out" | head -n 15 | sed "s/^/#     $s out: /"
			head -n 5 "$tmp/$s.err" | sed "s/^/#     $s err: /"
		done
	fi
}

# --- capabilities -------------------------------------------------------
# properties-fixed: Keel's I/O buffer is the SVSM page minus its header, so
# its MAX_COMMAND/RESPONSE_SIZE are 4087 where swtpm says 4096 (checked
# below); everything else, vendor strings included (same libtpms), agrees.
both 'filter:/^TPM2_PT_MAX_(COMMAND|RESPONSE)_SIZE:/,+1d' "tpm2_getcap properties-fixed" "tpm2_getcap properties-fixed"
# properties-variable: Keel is provisioned (3 NV indices with the EK
# certificates and the EK CA), which also takes NV space from persistent
# objects; those counters legitimately differ.
both 'filter:/^TPM2_PT_HR_(NV_INDEX|PERSISTENT_AVAIL):/d' "tpm2_getcap properties-variable" "tpm2_getcap properties-variable"
for c in algorithms commands pcrs handles-persistent handles-transient ecc-curves; do
	both output "tpm2_getcap $c" "tpm2_getcap $c"
done
# handles-nv-index: Keel's are the provisioned ones; compared by status.
both status "tpm2_getcap handles-nv-index" "tpm2_getcap handles-nv-index"

# --- self test, random, hashing ---------------------------------------------
both status "tpm2_selftest -f" "tpm2_selftest -f"
both output "tpm2_gettestresult" "tpm2_gettestresult"
# Random bytes differ; the count each TPM hands out must not. Above
# TPM2_PT_MAX_DIGEST (64) tpm2_getrandom refuses, or with --force gets
# what the TPM gives (its cap).
for sz in 1 32 64; do
	both output "tpm2_getrandom $sz" "tpm2_getrandom $sz -o r.bin && stat -c %s r.bin"
done
both output "tpm2_getrandom 128 (over TPM2_PT_MAX_DIGEST) fails" "tpm2_getrandom 128 -o r.bin"
both output "tpm2_getrandom --force 128" "tpm2_getrandom --force 128 -o r.bin && stat -c %s r.bin"
for alg in sha1 sha256 sha384 sha512; do
	both output "tpm2_hash -g $alg (one buffer)" "tpm2_hash -g $alg --hex \$in/msg.txt"
done
both output "tpm2_hash -g sha256 (5000 bytes: sequence)" "tpm2_hash -g sha256 --hex \$in/big.bin"
both output "tpm2_hash -C o -t ticket" "tpm2_hash -C o -g sha256 -o d.bin -t t.bin \$in/msg.txt && xxd -p d.bin"

# --- primaries (seed-derived keys differ: status, then their shapes) ---------
both status "tpm2_createprimary rsa2048" "tpm2_createprimary -C o -G rsa2048 -c prim.ctx"
both output "tpm2_readpublic (primary; name and key differ by seed)" \
	"tpm2_readpublic -c prim.ctx | grep -vE '^(name|qualified name|rsa|x|y):'"
both status "tpm2_createprimary ecc256" "tpm2_createprimary -C o -G ecc256 -c pecc.ctx"
both status "tpm2_createprimary keyedhash (null scheme, default sign|decrypt) fails" "tpm2_createprimary -C o -G keyedhash -c pkh.ctx"
both status "tpm2_createprimary hmac (keyedhash)" "tpm2_createprimary -C o -G hmac -a 'sign|fixedtpm|fixedparent|sensitivedataorigin|userwithauth' -c pkh.ctx"
both status "tpm2_hmac (keyedhash primary)" "tpm2_hmac -c pkh.ctx --hex \$in/msg.txt"
both status "tpm2_createprimary -C e rsa2048" "tpm2_createprimary -C e -G rsa2048 -c pe.ctx"

# --- TPM-generated keys: each TPM checks its own round trip -------------------
both status "tpm2_create rsa2048" "tpm2_create -C prim.ctx -G rsa2048 -u rsa.pub -r rsa.priv"
both status "tpm2_create ecc256" "tpm2_create -C prim.ctx -G ecc256 -u ecc.pub -r ecc.priv"
both status "tpm2_create aes128cfb" "tpm2_create -C prim.ctx -G aes128cfb -u aes.pub -r aes.priv"
both status "tpm2_create hmac" "tpm2_create -C prim.ctx -G hmac -u hmac.pub -r hmac.priv"
both status "tpm2_create rsa2048 (decrypt)" "tpm2_create -C prim.ctx -G rsa2048:null -a 'decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth' -u rsad.pub -r rsad.priv"
for k in rsa ecc aes hmac rsad; do
	both status "tpm2_load $k" "tpm2_load -C prim.ctx -u $k.pub -r $k.priv -c $k.ctx"
done
both status "tpm2_sign + tpm2_verifysignature rsa" \
	"tpm2_sign -c rsa.ctx -g sha256 -o s.sig \$in/msg.txt && tpm2_verifysignature -c rsa.ctx -g sha256 -m \$in/msg.txt -s s.sig"
both status "tpm2_sign + tpm2_verifysignature ecc" \
	"tpm2_sign -c ecc.ctx -g sha256 -o s.sig \$in/msg.txt && tpm2_verifysignature -c ecc.ctx -g sha256 -m \$in/msg.txt -s s.sig"
both status "tpm2_verifysignature of a wrong message fails" \
	"tpm2_sign -c ecc.ctx -g sha256 -o s.sig \$in/msg.txt && tpm2_verifysignature -c ecc.ctx -g sha256 -m \$in/nv2048.bin -s s.sig"
both output "tpm2_encryptdecrypt aes (round trip)" \
	"tpm2_encryptdecrypt -c aes.ctx -o c.bin \$in/plain64.bin && tpm2_encryptdecrypt -d -c aes.ctx -o p.bin c.bin && xxd -p p.bin"
both output "tpm2_encryptdecrypt aes (5000 bytes, chunked)" \
	"tpm2_encryptdecrypt -c aes.ctx -o c.bin \$in/big.bin && tpm2_encryptdecrypt -d -c aes.ctx -o p.bin c.bin && sha256sum < p.bin"
both output "tpm2_rsaencrypt + tpm2_rsadecrypt" \
	"tpm2_rsaencrypt -c rsad.ctx -s rsaes -o c.bin \$in/msg.txt && tpm2_rsadecrypt -c rsad.ctx -s rsaes -o p.bin c.bin && cat p.bin"
both status "tpm2_hmac (TPM-generated key)" "tpm2_hmac -c hmac.ctx --hex \$in/msg.txt"

# --- imported external keys: deterministic outputs --------------------------
both status "tpm2_import hmac" "tpm2_import -C prim.ctx -G hmac -i \$in/hmac.key -u ih.pub -r ih.priv"
both status "tpm2_import aes" "tpm2_import -C prim.ctx -G aes -i \$in/aes.key -u ia.pub -r ia.priv"
both status "tpm2_import rsa" "tpm2_import -C prim.ctx -G rsa -i \$in/rsa.pem -u ir.pub -r ir.priv"
both status "tpm2_import ecc" "tpm2_import -C prim.ctx -G ecc -i \$in/ecc.pem -u ie.pub -r ie.priv"
both output "tpm2_hmac (imported key)" \
	"tpm2_load -C prim.ctx -u ih.pub -r ih.priv -c ih.ctx >/dev/null && fl && tpm2_hmac -c ih.ctx --hex \$in/msg.txt"
both output "tpm2_hmac (imported key, 5000 bytes: sequence)" \
	"tpm2_load -C prim.ctx -u ih.pub -r ih.priv -c ih.ctx >/dev/null && fl && tpm2_hmac -c ih.ctx --hex \$in/big.bin"
both output "tpm2_encryptdecrypt (imported aes, fixed IV)" \
	"tpm2_load -C prim.ctx -u ia.pub -r ia.priv -c ia.ctx >/dev/null && fl && tpm2_encryptdecrypt -c ia.ctx -t \$in/iv.bin -o c.bin \$in/plain64.bin && xxd -p c.bin"
both output "tpm2_sign rsassa (imported rsa)" \
	"tpm2_load -C prim.ctx -u ir.pub -r ir.priv -c ir.ctx >/dev/null && fl && tpm2_sign -c ir.ctx -g sha256 -s rsassa -f plain -o s.sig \$in/msg.txt && sha256sum < s.sig"
# tpm2_sign -f plain of an ECDSA signature is DER, what openssl verifies.
both output "openssl verifies the ecc signature (imported ecc)" \
	"tpm2_load -C prim.ctx -u ie.pub -r ie.priv -c ie.ctx >/dev/null && fl && tpm2_sign -c ie.ctx -g sha256 -f plain -o s.der \$in/msg.txt && openssl ec -in \$in/ecc.pem -pubout -out pub.pem 2>/dev/null && openssl dgst -sha256 -verify pub.pem -signature s.der \$in/msg.txt"
both output "tpm2_loadexternal + tpm2_readpublic (public rsa)" \
	"openssl rsa -in \$in/rsa.pem -pubout -out rpub.pem 2>/dev/null && tpm2_loadexternal -C n -G rsa -u rpub.pem -c ext.ctx >/dev/null && tpm2_readpublic -c ext.ctx"

# --- persistent objects -----------------------------------------------------
both output "tpm2_evictcontrol persist 0x81000001" "tpm2_evictcontrol -C o -c prim.ctx 0x81000001"
both output "tpm2_getcap handles-persistent (one)" "tpm2_getcap handles-persistent"
both output "tpm2_readpublic 0x81000001 (name and key differ by seed)" \
	"tpm2_readpublic -c 0x81000001 | grep -vE '^(name|qualified name|rsa):'"
both output "tpm2_evictcontrol persist twice fails" "tpm2_evictcontrol -C o -c prim.ctx 0x81000001"
both output "tpm2_evictcontrol remove 0x81000001" "tpm2_evictcontrol -C o -c 0x81000001"
both output "tpm2_getcap handles-persistent (none)" "tpm2_getcap handles-persistent"

# --- NV -----------------------------------------------------------------------
both output "tpm2_nvdefine 2048 bytes" "tpm2_nvdefine 0x01500020 -C o -s 2048 -a 'ownerread|ownerwrite|authread|authwrite'"
both output "tpm2_nvreadpublic" "tpm2_nvreadpublic 0x01500020"
both status "tpm2_nvwrite 2048 bytes (2 chunks)" "tpm2_nvwrite 0x01500020 -C o -i \$in/nv2048.bin"
both output "tpm2_nvread 2048 bytes" "tpm2_nvread 0x01500020 -C o -s 2048 | sha256sum"
both output "tpm2_nvread at an offset" "tpm2_nvread 0x01500020 -C o -s 100 --offset 1500 | xxd -p"
both output "tpm2_nvdefine counter" "tpm2_nvdefine 0x01500021 -C o -s 8 -a 'nt=counter|ownerread|ownerwrite'"
both status "tpm2_nvread of an unwritten counter fails" "tpm2_nvread 0x01500021 -C o -s 8"
both output "tpm2_nvincrement x2" "tpm2_nvincrement 0x01500021 -C o && tpm2_nvincrement 0x01500021 -C o"
# A new counter starts at the highest value any counter of this TPM had:
# both are fresh, so both read 2.
both output "tpm2_nvread counter" "tpm2_nvread 0x01500021 -C o -s 8 | xxd -p"
both output "tpm2_nvdefine extend" "tpm2_nvdefine 0x01500022 -C o -g sha256 -a 'nt=extend|ownerread|ownerwrite'"
both output "tpm2_nvextend + tpm2_nvread" "tpm2_nvextend 0x01500022 -C o -i \$in/msg.txt && tpm2_nvread 0x01500022 -C o | xxd -p"
both output "tpm2_nvreadlock" "tpm2_nvdefine 0x01500023 -C o -s 16 -a 'ownerread|ownerwrite|read_stclear' && tpm2_nvwrite 0x01500023 -C o -i \$in/iv.bin && tpm2_nvreadlock 0x01500023 -C o"
both output "tpm2_nvread of a read-locked index: TPM_RC_NV_LOCKED" "tpm2_nvread 0x01500023 -C o -s 16 2>&1 | grep -o 'TPM_RC_NV_LOCKED\|0x148'"
for i in 20 21 22 23; do
	both output "tpm2_nvundefine 0x015000$i" "tpm2_nvundefine 0x015000$i -C o"
done
both status "tpm2_nvread of an undefined index fails" "tpm2_nvread 0x01500020 -C o -s 16"

# --- PCRs ---------------------------------------------------------------------
both output "tpm2_pcrextend + tpm2_pcrread 16" \
	"tpm2_pcrextend 16:sha256=$(printf %064x 1) && tpm2_pcrread sha256:16,23"
both output "tpm2_pcrreset 16 + tpm2_pcrread" "tpm2_pcrreset 16 && tpm2_pcrread sha1:16+sha256:16"
both output "tpm2_pcrreset 0 is refused" "tpm2_pcrreset 0 2>&1 | grep -o 'TPM_RC_LOCALITY'"
both output "tpm2_pcrread (all banks)" "tpm2_pcrread"
# tpm2_pcrallocate takes effect only at the next TPM2_Startup after a reset
# of the TPM; it is skipped (the power cycles below cover reset).

# --- sessions and policies ----------------------------------------------------
both output "tpm2_policypassword (trial)" \
	"tpm2_startauthsession -S s.ctx && tpm2_policypassword -S s.ctx -L p.dig >/dev/null && tpm2_flushcontext s.ctx && xxd -p p.dig"
both output "tpm2_policyauthvalue (trial)" \
	"tpm2_startauthsession -S s.ctx && tpm2_policyauthvalue -S s.ctx -L p.dig >/dev/null && tpm2_flushcontext s.ctx && xxd -p p.dig"
both output "tpm2_policycommandcode (trial)" \
	"tpm2_startauthsession -S s.ctx && tpm2_policycommandcode -S s.ctx -L p.dig TPM2_CC_Unseal >/dev/null && tpm2_flushcontext s.ctx && xxd -p p.dig"
both output "tpm2_policypcr (trial)" \
	"tpm2_startauthsession -S s.ctx && tpm2_policypcr -S s.ctx -l sha256:16 -L p.dig >/dev/null && tpm2_flushcontext s.ctx && xxd -p p.dig"
both output "policy session: seal with policypassword, unseal" \
	"tpm2_startauthsession -S s.ctx && tpm2_policypassword -S s.ctx -L p.dig >/dev/null && tpm2_flushcontext s.ctx &&
	 echo secret | tpm2_create -C prim.ctx -L p.dig -p pw -i- -u sl.pub -r sl.priv >/dev/null &&
	 tpm2_load -C prim.ctx -u sl.pub -r sl.priv -c sl.ctx >/dev/null &&
	 tpm2_startauthsession --policy-session -S s.ctx && tpm2_policypassword -S s.ctx >/dev/null &&
	 tpm2_unseal -c sl.ctx -p session:s.ctx+pw; tpm2_flushcontext s.ctx"
both output "hmac session (salted, encrypted) + tpm2_getrandom" \
	"tpm2_startauthsession --hmac-session -S s.ctx -c prim.ctx && tpm2_sessionconfig s.ctx && tpm2_getrandom 16 -S s.ctx -o r.bin && stat -c %s r.bin; tpm2_flushcontext s.ctx"

# --- hierarchy auth, dictionary attack, clear --------------------------------
both output "tpm2_changeauth owner" "tpm2_changeauth -c o ownerpw"
both status "owner auth is now required" "tpm2_createprimary -C o -c x.ctx"
both status "owner auth accepted" "tpm2_createprimary -C o -P ownerpw -c x.ctx"
both output "tpm2_changeauth owner back" "tpm2_changeauth -c o -p ownerpw"
both output "tpm2_dictionarylockout --clear-lockout" "tpm2_dictionarylockout -c"
both output "tpm2_dictionarylockout -s (parameters)" "tpm2_dictionarylockout -s -n 5 -t 6 -l 7 && tpm2_getcap properties-variable | grep -A1 -E 'MAX_AUTH_FAIL|LOCKOUT_(INTERVAL|RECOVERY)'"
both output "tpm2_evictcontrol before tpm2_clear" "tpm2_evictcontrol -C o -c prim.ctx 0x81000001"
both output "tpm2_clear (lockout)" "tpm2_clear -c l"
both output "tpm2_clear removed owner objects" "tpm2_getcap handles-persistent"

# --- EK -----------------------------------------------------------------------
both status "tpm2_createek rsa" "tpm2_createek -c ek.ctx -G rsa -u ek.pub"
both status "tpm2_createek ecc" "tpm2_createek -c ekecc.ctx -G ecc -u ekecc.pub"
# EK certificates exist only on Keel (provisioned at manufacture); swtpm
# without swtpm_setup has none. Exit statuses only, and not equal.
side keel "tpm2_getekcertificate -o rsa.der -o ecc.der"
side swtpm "tpm2_getekcertificate -o rsa.der -o ecc.der"
if [ "$rc_keel" -eq 0 ] && [ "$rc_swtpm" -ne 0 ]; then
	ok "tpm2_getekcertificate: keel has EK certificates (swtpm, not provisioned, exits $rc_swtpm)"
else
	not_ok "tpm2_getekcertificate: keel exit $rc_keel, swtpm exit $rc_swtpm"
	sed 's/^/#   keel: /' "$tmp/keel.err" | head -n 5
fi

# --- shutdown and power cycles ------------------------------------------------
# A platform reset: mssim platform port TPM_SIGNAL_RESET (17) for Keel, the
# control channel's CMD_INIT for swtpm (what QEMU sends at a reset).
platform() { # platform keel|swtpm: power-cycles the TPM, prints the result
	if [ "$1" = keel ]; then
		python3 - "$((kport + 1))" 00000011 <<-'PY'
		import socket, sys
		s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
		s.sendall(bytes.fromhex(sys.argv[2]))
		print(s.recv(4).hex())
		PY
	else
		python3 - "$((sport + 1))" 0000000200000000 <<-'PY'
		import socket, sys
		s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
		s.sendall(bytes.fromhex(sys.argv[2]))
		print(s.recv(4).hex())
		PY
	fi
}
both output "tpm2_pcrextend 16 before tpm2_shutdown" "tpm2_pcrextend 16:sha256=$(printf %064x 2) && tpm2_pcrread sha256:16"
both output "tpm2_shutdown -c (CLEAR)" "tpm2_shutdown -c"
check "keel: platform reset answered 0" [ "$(platform keel)" = 00000000 ]
check "swtpm: CMD_INIT answered 0" [ "$(platform swtpm)" = 00000000 ]
both output "tpm2_startup -c after the reset" "tpm2_startup -c"
both output "PCR 16 reset by the power cycle" "tpm2_pcrread sha256:16"
both output "tpm2_pcrextend 0 before tpm2_shutdown (STATE)" "tpm2_pcrextend 0:sha256=$(printf %064x 3) && tpm2_pcrread sha256:0"
both output "tpm2_shutdown (STATE)" "tpm2_shutdown"
check "keel: platform reset answered 0" [ "$(platform keel)" = 00000000 ]
check "swtpm: CMD_INIT answered 0" [ "$(platform swtpm)" = 00000000 ]
both output "tpm2_startup (STATE): TPM resume" "tpm2_startup"
both output "PCR 0 kept across the resume" "tpm2_pcrread sha256:0"

# --- Keel only: limits, persistence across a restart -------------------------
export TPM2TOOLS_TCTI="$tcti_keel"
# Clients size commands by TPM_PT_MAX_COMMAND_SIZE: it must not exceed what
# one SVSM_VTPM_CMD page carries (4096 - 9 = 4087), nor the response size
# what the page carries after the size word (4092).
cap() { tpm2_getcap properties-fixed | grep -A1 "^$1:" | sed -n 's/.*raw: //p'; }
check "keel: TPM_PT_MAX_COMMAND_SIZE is 4087 (the page minus its header)" [ "$(cap TPM2_PT_MAX_COMMAND_SIZE)" = 0xFF7 ]
rsp=$(cap TPM2_PT_MAX_RESPONSE_SIZE) ctx=$(cap TPM2_PT_MAX_OBJECT_CONTEXT)
check "keel: TPM_PT_MAX_RESPONSE_SIZE fits the page (<= 4092)" [ -n "$rsp" -a $((rsp)) -le 4092 ]
check "keel: a context save (TPM_PT_MAX_OBJECT_CONTEXT) fits the response" [ -n "$ctx" -a $((ctx)) -le $((rsp)) ]

cd "$tmp/keel" || exit 1
tpm2_flushcontext -t >/dev/null 2>&1
check "persist: tpm2_createprimary + tpm2_evictcontrol 0x81000002" sh -c \
	'tpm2_createprimary -C o -G ecc256 -c pp.ctx >/dev/null && tpm2_evictcontrol -C o -c pp.ctx 0x81000002 >/dev/null && tpm2_readpublic -c 0x81000002 -o pp.pub >/dev/null'
check "persist: tpm2_nvdefine + tpm2_nvwrite 2048 bytes" sh -c \
	"tpm2_nvdefine 0x01500030 -C o -s 2048 -a 'ownerread|ownerwrite' >/dev/null && tpm2_nvwrite 0x01500030 -C o -i '$tmp/in/nv2048.bin'"
kh_stop
check "keel-hosted stops (SIGTERM, exit 0)" [ "$kh_status" -eq 0 ]
port=$kport
check "keel-hosted restarts on the same --state" kh_start "$tmp/state" mssim "$tmp/run2.log"
check "after restart: tpm2_startup -c" tpm2_startup -c
check "after restart: 0x81000002 is the same key" sh -c \
	'tpm2_readpublic -c 0x81000002 -o pp2.pub >/dev/null && cmp -s pp.pub pp2.pub'
check "after restart: NV 0x01500030 reads back" sh -c \
	"tpm2_nvread 0x01500030 -C o -s 2048 -o nv.out && cmp -s nv.out '$tmp/in/nv2048.bin'"
check "after restart: tpm2_clear" tpm2_clear -c l
kh_stop
check "keel-hosted restarts after tpm2_clear" kh_start "$tmp/state" mssim "$tmp/run3.log"
check "after clear + restart: tpm2_startup -c" tpm2_startup -c
check "after clear + restart: no persistent objects" sh -c '[ -z "$(tpm2_getcap handles-persistent)" ]'
check "after clear + restart: owner NV index gone" sh -c '! tpm2_nvreadpublic 0x01500030 >/dev/null 2>&1'
check "after clear + restart: EK certificates kept (platform NV)" tpm2_getekcertificate -o rsa.der -o ecc.der
kh_stop

# --- swtpm control channel: the buffer size it reports is the TPM's -----------
# QEMU sizes its TIS/CRB buffer with CMD_SET_BUFFERSIZE; the answer must be
# the limit the TPM enforces and advertises (TPM_PT_MAX_COMMAND_SIZE), on
# swtpm as on Keel, whose buffer is fixed (a request for 3968, CRB's size,
# still answers 4087; swtpm refuses a change while running, so that part is
# Keel's only).
bufsize() { # bufsize CTRL_PORT SIZE: CMD_SET_BUFFERSIZE; prints "result size min max"
	python3 - "$1" "$2" <<-'PY'
	import socket, struct, sys
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
	s.sendall(struct.pack(">II", 17, int(sys.argv[2])))
	b = b""
	while len(b) < 16:
	    d = s.recv(16 - len(b))
	    if not d:
	        break
	    b += d
	print(*struct.unpack(">IIII", b) if len(b) == 16 else ["short", b.hex()])
	PY
}
maxcmd() { TPM2TOOLS_TCTI=$1 tpm2_getcap properties-fixed | grep -A1 "^TPM2_PT_MAX_COMMAND_SIZE:" | sed -n 's/.*raw: //p'; }
port=$kport
check "keel-hosted restarts with the swtpm protocol" kh_start "$tmp/state" swtpm "$tmp/run4.log"
tcti_keel_sw="swtpm:host=127.0.0.1,port=$kport"
check "swtpm protocol: tpm2_startup -c" env TPM2TOOLS_TCTI="$tcti_keel_sw" tpm2_startup -c
for t in keel swtpm; do
	if [ $t = keel ]; then m=$(maxcmd "$tcti_keel_sw") q=$(bufsize $((kport + 1)) 0); else m=$(maxcmd "$tcti_swtpm") q=$(bufsize $((sport + 1)) 0); fi
	set -- $q
	if [ -n "$m" ] && [ "$1" = 0 ] && [ "$2" -eq $((m)) ]; then
		ok "$t: CMD_SET_BUFFERSIZE query answers TPM_PT_MAX_COMMAND_SIZE ($2)"
	else
		not_ok "$t: CMD_SET_BUFFERSIZE query answers '$q', TPM_PT_MAX_COMMAND_SIZE is '$m'"
	fi
done
check "keel: CMD_SET_BUFFERSIZE 3968 answers the fixed size (0 4087 4087 4087)" \
	[ "$(bufsize $((kport + 1)) 3968)" = "0 4087 4087 4087" ]
check "keel: the TPM still says 4087 after it" [ "$(maxcmd "$tcti_keel_sw")" = 0xFF7 ]
tcti_keel=$tcti_keel_sw
both output "tpm2_getcap properties-fixed over keel's swtpm protocol" "tpm2_getcap properties-fixed | sed -E '/^TPM2_PT_MAX_(COMMAND|RESPONSE)_SIZE:/,+1d'"
both output "tpm2_hash (5000 bytes) over keel's swtpm protocol" "tpm2_hash -g sha256 --hex \$in/big.bin"
kh_stop
check "keel-hosted exits 0" [ "$kh_status" -eq 0 ]
grep -E "refused|bad frame|TPM_RC_FAILURE" "$tmp"/run*.log | sed 's/^/# /' | head -n 10
echo "1..$n"
