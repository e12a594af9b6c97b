#!/bin/sh
# Fetches and unpacks lwIP 2.1.3 (Debian source package `lwip`, the upstream
# tarball as Debian ships it) into DIR (default build/lwip), checking its
# SHA-256 so every checkout compiles the same bytes into the network task
# (docs/net.md). Needs a deb-src entry (tools/install-deps.sh adds one);
# harmless to re-run.
set -eu
dir=${1:-build/lwip}
want=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24
tarball=lwip_2.1.3+dfsg1.orig.tar.xz
[ -f "$dir/lwip-2.1.3/.keel-ok" ] && exit 0
mkdir -p "$dir"
cache=${KEEL_LWIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
mkdir -p "$cache"
if [ ! -f "$cache/$tarball" ]; then
	(cd "$cache" && apt-get source -qq --download-only lwip=2.1.3+dfsg1-2) >&2 ||
		{ echo "fetch-lwip: apt-get source lwip failed (is a deb-src line configured? tools/install-deps.sh adds one)" >&2; exit 1; }
fi
got=$(sha256sum "$cache/$tarball" | cut -d' ' -f1)
[ "$got" = "$want" ] || { echo "fetch-lwip: $tarball has SHA-256 $got, want $want" >&2; exit 1; }
rm -rf "$dir/lwip-2.1.3"
tar -C "$dir" -xJf "$cache/$tarball"
touch "$dir/lwip-2.1.3/.keel-ok"
