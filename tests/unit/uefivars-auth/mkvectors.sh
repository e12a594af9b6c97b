# Secure Boot test vectors for tests/unit/uefivars-auth, made by the real
# tools at test time (not executable: the cmocka test runs it with sh):
# openssl req for the keys, efitools cert-to-efi-sig-list and
# sign-efi-sig-list (bare SignedData, -t timestamps, -a append),
# sbvarsign (sbsigntool; the current time), and openssl cms for a
# descriptor whose PKCS#7 is a whole ContentInfo.
#   sh mkvectors.sh OUTDIR
set -eu
out=$1
cd "$out"

owner=11111111-2222-3333-4444-555555555555
key() { # NAME CN
	openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=$2/" \
		-keyout "$1.key" -out "$1.crt" >/dev/null 2>&1
	cert-to-efi-sig-list -g "$owner" "$1.crt" "$1.esl" >/dev/null
}
# sign VAR SIGNER ESL TIME OUT [-a]
sign() {
	sign-efi-sig-list ${6:-} -t "$4" -k "$2.key" -c "$2.crt" "$1" "$3" "$5" >/dev/null
}

key PK "Keel Test PK"
key KEK "Keel Test KEK"
key DB "Keel Test db"
key DB2 "Keel Test db 2"
key DB3 "Keel Test db 3"
key EVIL "Keel Test PK"    # same CN as PK, another key
key DBTWIN "Keel Test db"  # same CN as DB, another key
: > empty
cat DB.esl DB3.esl > DB-DB3.esl

sign PK PK PK.esl "2020-01-01 00:00:00" PK.auth            # setup mode: self-signed
sign PK EVIL PK.esl "2020-01-01 00:00:00" PK-evil.auth     # self-signed claim, wrong key
sign KEK PK KEK.esl "2020-01-02 00:00:00" KEK.auth
sign KEK KEK KEK.esl "2020-01-02 00:00:00" KEK-by-kek.auth # KEK must be signed by PK
sign db KEK DB.esl "2020-01-03 00:00:00" db.auth
sign db EVIL DB2.esl "2020-01-04 00:00:00" db-evil.auth
sign db KEK DB2.esl "2020-01-02 00:00:00" db-older.auth
sign db KEK DB2.esl "2020-01-03 00:00:00" db-equal.auth
sign db KEK DB2.esl "2020-01-05 00:00:00" db-append.auth -a
sign db KEK DB-DB3.esl "2020-01-01 00:00:00" db-append2.auth -a # older time: append allowed
sign db PK DB.esl "2020-01-07 00:00:00" db-by-pk.auth
sign dbx KEK DB3.esl "2020-01-03 00:00:00" dbx.auth
sign PK PK empty "2020-02-01 00:00:00" PK-delete.auth

# sbvarsign: db replaced with DB2's list, signed by KEK, stamped now.
sbvarsign --key KEK.key --cert KEK.crt \
	--attr NON_VOLATILE,BOOTSERVICE_ACCESS,RUNTIME_ACCESS,TIME_BASED_AUTHENTICATED_WRITE_ACCESS \
	--output db-sbvarsign.auth db DB2.esl >/dev/null

# db replaced by DB3's list, signed by KEK with openssl cms: the PKCS#7 is a ContentInfo.
sign-efi-sig-list -o -t "2020-01-08 00:00:00" db DB3.esl db-ci.bundle >/dev/null
openssl cms -sign -binary -md sha256 -outform DER -signer KEK.crt -inkey KEK.key \
	-in db-ci.bundle -out db-ci.p7 >/dev/null 2>&1
python3 - db-ci.bundle db-ci.p7 DB3.esl db-ci.auth <<'PY'
import struct, sys
bundle, p7, esl = (open(f, 'rb').read() for f in sys.argv[1:4])
# The bundle is name ‖ GUID ‖ attrs ‖ EFI_TIME ‖ payload: the time sits before the payload.
time = bundle[len(bundle) - len(esl) - 16:len(bundle) - len(esl)]
pkcs7_guid = bytes.fromhex('9dd2af4adf68ee498aa9347d375665a7')
hdr = struct.pack('<IHH', 24 + len(p7), 0x0200, 0x0ef1) + pkcs7_guid
open(sys.argv[4], 'wb').write(time + hdr + p7 + esl)
PY

# Private authenticated variables (vendor GUID below): pinned to the first signer.
pv() { # SIGNER DATA OUT
	printf '%s' "$2" > "$3.data"
	sbvarsign --key "$1.key" --cert "$1.crt" --guid 4b65656c-7465-7374-8e1a-000000000001 \
		--attr NON_VOLATILE,BOOTSERVICE_ACCESS,TIME_BASED_AUTHENTICATED_WRITE_ACCESS \
		--output "$3" PrivVar "$3.data" >/dev/null
}
pv DB "first value" priv-first
sleep 1.1   # sbvarsign stamps whole seconds; later writes must be strictly later
pv DB2 "other signer" priv-other
pv DB3 "other certificate" priv-othercert
pv DBTWIN "same CN, other key" priv-twin
pv DB "second value" priv-second
echo ok > done
