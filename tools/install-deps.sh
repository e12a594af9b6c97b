#!/bin/sh
# Installs the Debian packages Keel needs to build, boot and test, if missing.
# Called by `make run`, `make check` and `make bench`; harmless to re-run.
set -eu
PKGS="make gcc nasm clang libclang-rt-14-dev qemu-system-x86 libcmocka-dev libtpms-dev libssl-dev \
  seabios ovmf linux-image-cloud-amd64 busybox-static cpio \
  tpm2-tools swtpm swtpm-tools efitools sbsigntool openssl xxd python3 cppcheck iproute2 diffutils \
  libsqlite3-dev libpq-dev postgresql xz-utils"
# busybox-static (above) is also make run's network relay: keel-qemu
# --net-forward has slirp start "busybox nc" per guest connection (D22).
# kbs: the key broker (tools/kbs) and its tests (tests/hosted/kbs-*.sh; curl
# is the HTTPS client of kbs-tls.sh)
PKGS="$PKGS libmicrohttpd-dev libjansson-dev python3-cryptography curl"
# end kbs
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# --- BearSSL and lwIP sources (attest-kernel, docs/decisions.md; net, docs/net.md) ---
# The kernel compiles a few BearSSL files (tools/fetch-bearssl.sh) and the
# network task links lwIP (tools/fetch-lwip.sh): both need a deb-src line to
# `apt-get source`; added here (root) when missing, derived from the
# system's own Debian suite.
bearssl_src() {
	root=$(cd "$(dirname "$0")/.." && pwd)
	[ -f "$root/build/bearssl/bearssl-0.6/.keel-ok" ] && [ -f "$root/build/lwip/lwip-2.1.3/.keel-ok" ] && return 0
	if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/ &&
		[ "$(id -u)" = 0 ]; then
		echo "install-deps: adding a deb-src entry for bookworm (apt-get source bearssl lwip)"
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			>/etc/apt/sources.list.d/keel-deb-src.sources
		apt-get update -qq || true
	fi
	"$root/tools/fetch-bearssl.sh" "$root/build/bearssl"
	"$root/tools/fetch-lwip.sh" "$root/build/lwip"
}
# --- end BearSSL and lwIP (called last, once the packages are there) ---
install_missing() {
	[ -z "$missing" ] && return 0
	echo "install-deps: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing packages and not root; run as root or install:$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || true
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
}
install_missing
bearssl_src
