#!/bin/sh
# The kernel's core reaches the platform only through kernel/platform/platform.h
# (and devices.h beside it): no file of kernel/ outside kernel/platform/
# includes a header of platform/native/ or platform/snp/. One TAP line per
# offending include, then the verdict.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
found=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"platform/(native|snp)/' kernel \
	--include='*.c' --include='*.h' | grep -v '^kernel/platform/')
if [ -n "$found" ]; then
	echo "$found" | while IFS= read -r line; do echo "# $line"; done
fi
check "kernel/ outside kernel/platform includes no platform/native or platform/snp header" [ -z "$found" ]
check "kernel/platform/platform.h exists" [ -f kernel/platform/platform.h ]
plan
[ -z "$found" ]
