#!/bin/sh
# Installs the Debian packages Keel needs to build, boot and test, if missing.
# Called by `make run`, `make check` and `make bench`; harmless to re-run.
set -eu
PKGS="make gcc nasm clang libclang-rt-14-dev qemu-system-x86 libcmocka-dev libtpms-dev libssl-dev \
  seabios ovmf linux-image-cloud-amd64 busybox-static cpio \
  tpm2-tools swtpm swtpm-tools efitools openssl xxd python3 cppcheck iproute2 diffutils \
  libsqlite3-dev libpq-dev postgresql"
# kbs: the key broker (tools/kbs) and its tests (tests/hosted/kbs-*.sh)
PKGS="$PKGS libmicrohttpd-dev libjansson-dev python3-cryptography"
# end kbs
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages and not root; run as root or install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
