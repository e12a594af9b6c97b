#!/bin/sh
# Fetches and unpacks BearSSL 0.6 (Debian source package `bearssl`, the
# upstream tarball as Debian ships it) into DIR (default build/bearssl),
# checking its SHA-256 so every checkout compiles the same bytes into the
# kernel (docs/decisions.md, "BearSSL in the kernel"). Needs a deb-src entry
# (tools/install-deps.sh adds one); harmless to re-run.
set -eu
dir=${1:-build/bearssl}
want=102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004
tarball=bearssl_0.6+dfsg.1.orig.tar.xz
[ -f "$dir/bearssl-0.6/.keel-ok" ] && exit 0
mkdir -p "$dir"
cache=${KEEL_BEARSSL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
mkdir -p "$cache"
if [ ! -f "$cache/$tarball" ]; then
	(cd "$cache" && apt-get source -qq --download-only bearssl=0.6+dfsg.1-3) >&2 ||
		{ echo "fetch-bearssl: apt-get source bearssl failed (is a deb-src line configured? tools/install-deps.sh adds one)" >&2; exit 1; }
fi
got=$(sha256sum "$cache/$tarball" | cut -d' ' -f1)
[ "$got" = "$want" ] || { echo "fetch-bearssl: $tarball has SHA-256 $got, want $want" >&2; exit 1; }
rm -rf "$dir/bearssl-0.6"
tar -C "$dir" -xJf "$cache/$tarball"
touch "$dir/bearssl-0.6/.keel-ok"
