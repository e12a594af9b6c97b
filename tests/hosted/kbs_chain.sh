#!/bin/sh
# kbs_chain.sh DIR [CHIP_ID_HEX128 [emulated]]: a test SNP chain shaped like AMD's
# (docs/kbs.md): ARK RSA-4096 self-signed and ASK RSA-4096 signed by it, both
# RSASSA-PSS with SHA-384; VCEK EC P-384 signed by the ASK, carrying the hwID
# extension (1.3.6.1.4.1.3704.1.4) if a chip id is given, and Keel's
# emulated-platform marker (1.3.6.1.4.1.3704.1.99) with "emulated". Writes ark.pem,
# ask.pem, vcek.pem, vcek.der and the keys (*.key) into DIR.
set -eu
d=$1
chip=${2:-}
emulated=${3:-}
mkdir -p "$d"
cd "$d"
pss="-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sha384"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out ark.key 2>/dev/null
# shellcheck disable=SC2086
openssl req -x509 -new -key ark.key -subj /CN=ARK-Test -days 3650 $pss -out ark.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out ask.key 2>/dev/null
openssl req -new -key ask.key -subj /CN=SEV-Test -out ask.csr
printf 'basicConstraints=critical,CA:true\n' >ca.ext
# shellcheck disable=SC2086
openssl x509 -req -in ask.csr -CA ark.pem -CAkey ark.key -set_serial 2 -days 3650 $pss \
	-extfile ca.ext -out ask.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out vcek.key
openssl req -new -key vcek.key -subj /CN=VCEK -out vcek.csr
: >vcek.ext
[ -n "$chip" ] && printf '1.3.6.1.4.1.3704.1.4=DER:0440%s\n' "$chip" >>vcek.ext
[ "$emulated" = emulated ] && printf '1.3.6.1.4.1.3704.1.99=ASN1:UTF8String:keel-emulated\n' >>vcek.ext
# shellcheck disable=SC2086
openssl x509 -req -in vcek.csr -CA ask.pem -CAkey ask.key -set_serial 3 -days 3650 $pss \
	-extfile vcek.ext -out vcek.pem 2>/dev/null
openssl x509 -in vcek.pem -outform DER -out vcek.der
rm -f ./*.csr ./*.ext
